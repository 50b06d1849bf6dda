// What every route needs: config, stores, the job queue, and helpers to render and to answer 404.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ServeConfig } from './config.js';
import type { Db } from '../store/db.js';
import type { User } from '../store/users.js';
import { UserStore } from '../store/users.js';
import { SessionStore } from '../store/sessions.js';
import { RunStore, runVisibleTo, type Run } from '../store/runs.js';
import { AuditLog, type AuditAction } from '../store/audit.js';
import type { JobQueue } from './queue.js';
import type { PageContext } from './views/layout.js';
import { errorPage } from './views/misc.js';
import { tryParseAsOf } from '../core/as-of.js';

declare module 'fastify' {
  interface FastifyRequest {
    user?: User;
    sessionId?: string;
  }
}

export interface ServerContext {
  config: ServeConfig;
  db: Db;
  users: UserStore;
  sessions: SessionStore;
  runs: RunStore;
  audit: AuditLog;
  queue: JobQueue;
  logger: Logger;
}

export const SESSION_COOKIE = 'qx_session';

export function pageCtx(req: FastifyRequest, reply: FastifyReply, nav?: PageContext['nav']): PageContext {
  return { user: req.user, csrf: reply.generateCsrf(), nav };
}

export function sendPage(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply.code(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

export function sendError(req: FastifyRequest, reply: FastifyReply, status: number, text: string): FastifyReply {
  return sendPage(reply, errorPage(pageCtx(req, reply), status, text), status);
}

export function notFound(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendError(req, reply, 404, '找不到这个页面或记录，或者您没有查看它的权限。');
}

/** The run if the signed-in clerk may see it; undefined otherwise (answer 404: do not reveal it exists). */
export function visibleRun(ctx: ServerContext, req: FastifyRequest, id: string): Run | undefined {
  const u = req.user;
  if (!u || u.role !== 'clerk' || !u.scopeLevel || !u.scopeName) return undefined;
  if (!/^[0-9a-f]{24}$/.test(id)) return undefined;
  const run = ctx.runs.get(id);
  if (!run) return undefined;
  return runVisibleTo(run, { level: u.scopeLevel, name: u.scopeName, code: u.scopeCode }) ? run : undefined;
}

export function audit(ctx: ServerContext, req: FastifyRequest, action: AuditAction, runId?: string, detail?: string): void {
  ctx.audit.record({ userId: req.user?.id, username: req.user?.username, action, runId, detail, address: req.ip });
}

/** Today in China (the default as-of date). */
export function todayInChina(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export function isIsoDate(s: string): boolean {
  return tryParseAsOf(s) !== undefined;
}
