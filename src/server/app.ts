// The web page for township clerks (SPEC §6 `serve`): fastify with its own plugins for cookies,
// CSRF, multipart, rate limiting and static files. Routes only parse, check access, call the
// stores, the job queue and the page functions.
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import type { Logger } from 'pino';
import { openDb } from '../store/db.js';
import { UserStore, generatePassword, hashPassword } from '../store/users.js';
import { SessionStore } from '../store/sessions.js';
import { RunStore } from '../store/runs.js';
import { AuditLog } from '../store/audit.js';
import { projectRoot } from '../paths.js';
import type { ServeConfig } from './config.js';
import { JobQueue } from './queue.js';
import { notFound, pageCtx, sendError, sendPage, SESSION_COOKIE, type ServerContext } from './context.js';
import { authRoutes } from './routes/auth.js';
import { runDir, runRoutes } from './routes/runs.js';
import { adminRoutes } from './routes/admin.js';
import { helpPage } from './views/misc.js';
import { RULES } from '../../validators/index.js';
import { removeTemps } from '../outputs/atomic.js';

export interface Server {
  app: FastifyInstance;
  ctx: ServerContext;
  /** the administrator's one-time password, when this start created the account */
  adminPassword?: string;
  close(): Promise<void>;
}

export const DB_FILE = 'qingxi.sqlite';

/** Paths a signed-in user whose password must change may still open. */
const OPEN_WHILE_MUST_CHANGE = new Set(['/password', '/logout']);

export async function createServer(config: ServeConfig, logger: Logger, opts: { resetAdmin?: boolean } = {}): Promise<Server> {
  const db = openDb(join(config.dataDir, DB_FILE));
  const ctx: ServerContext = {
    config,
    db,
    users: new UserStore(db),
    sessions: new SessionStore(db),
    runs: new RunStore(db),
    audit: new AuditLog(db),
    queue: new JobQueue(config.concurrentChecks, config.checkTimeoutMs),
    logger,
  };

  // first start: the administrator, with a one-time password shown once
  let adminPassword: string | undefined;
  if (ctx.users.count() === 0) {
    adminPassword = generatePassword();
    ctx.users.create({ username: 'admin', displayName: '管理员', role: 'admin', passwordHash: await hashPassword(adminPassword), mustChangePassword: true });
  } else if (opts.resetAdmin) {
    // the administrator's password was lost: a new one-time password, shown once
    const admin = ctx.users.byUsername('admin');
    if (admin) {
      adminPassword = generatePassword();
      ctx.users.setPassword(admin.id, await hashPassword(adminPassword), true);
      ctx.users.setDisabled(admin.id, false);
      ctx.sessions.deleteForUser(admin.id);
      ctx.audit.record({ action: 'password_reset', username: 'admin', detail: '启动参数 --reset-admin' });
    }
  }
  // a previous process stopped while checks were queued or running: they can never finish
  for (const r of ctx.runs.interrupted()) {
    ctx.runs.setFailed(r.id, '服务重启，检查被中断，请重新开始检查。');
    await removeTemps(runDir(ctx, r.id));
  }
  await deleteExpired(ctx);
  ctx.sessions.purgeExpired();
  const retentionTimer = setInterval(() => {
    ctx.sessions.purgeExpired();
    void deleteExpired(ctx);
  }, 3600_000);
  retentionTimer.unref();

  // forceCloseConnections: open progress streams (server-sent events) must not hold up a shutdown
  const app = Fastify({ logger: false, trustProxy: config.trustProxy, bodyLimit: 1024 * 1024, forceCloseConnections: true });
  await app.register(fastifyCookie);
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure: config.secureCookies },
    // multipart forms carry the token in the query string: their body is a file stream
    getToken: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      const fromBody = body && typeof body['_csrf'] === 'string' ? body['_csrf'] : undefined;
      const q = req.query as Record<string, unknown> | undefined;
      return fromBody ?? (req.headers['x-csrf-token'] as string | undefined) ?? (typeof q?.['_csrf'] === 'string' ? q['_csrf'] : undefined);
    },
  });
  await app.register(fastifyMultipart, { limits: { fileSize: config.maxFileBytes, files: config.maxFiles } });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_req, c) => ({ statusCode: 429, code: 'RATE_LIMIT', message: `登录尝试太频繁，请 ${Math.ceil(c.ttl / 1000)} 秒后再试。` }),
  });
  await app.register(fastifyStatic, { root: join(projectRoot(), 'src', 'server', 'static'), prefix: '/static/', maxAge: 3600_000 });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  // who is signed in (server-side session); a password to change comes first
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; form-action 'self'; frame-ancestors 'none'");
    const sid = req.cookies[SESSION_COOKIE];
    if (sid) {
      const uid = ctx.sessions.userOf(sid);
      const user = uid === undefined ? undefined : ctx.users.byId(uid);
      if (user && !user.disabled) {
        req.user = user;
        req.sessionId = sid;
      }
    }
    const path = req.url.split('?')[0]!;
    if (req.user?.mustChangePassword && !OPEN_WHILE_MUST_CHANGE.has(path) && !path.startsWith('/static/')) {
      return reply.redirect('/password', 303);
    }
  });

  authRoutes(app, ctx);
  runRoutes(app, ctx);
  adminRoutes(app, ctx);
  app.get('/help', async (req, reply) => {
    if (!req.user) return reply.redirect('/login');
    return sendPage(reply, helpPage(pageCtx(req, reply), RULES.map((r) => ({ id: r.id, family: r.family, severity: r.severity, title: r.title, explain: r.explain }))));
  });

  app.setNotFoundHandler((req, reply) => notFound(req, reply));
  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, req, reply) => {
    if (err.code?.startsWith('FST_CSRF')) return sendError(req, reply, 403, '页面已过期或请求来源不明（缺少安全校验码），请刷新页面后重试。');
    if (err.statusCode === 429) return sendError(req, reply, 429, err.message && /[\u4e00-\u9fff]/.test(err.message) ? err.message : '操作太频繁，请稍后再试。');
    if (err.statusCode === 413) return sendError(req, reply, 413, '上传的内容超过上限。');
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return sendError(req, reply, err.statusCode, '请求无法处理，请返回重试。');
    logger.error({ event: 'request_failed', url: req.url.split('?')[0], err: err.message, stack: err.stack }, 'request failed');
    return sendError(req, reply, 500, '服务器内部错误，请稍后重试或联系管理员。');
  });

  return {
    app,
    ctx,
    adminPassword,
    async close() {
      clearInterval(retentionTimer);
      await app.close();
      await ctx.queue.close();
      db.close();
    },
  };
}

/** Uploads and outputs older than the retention period are deleted (the audit log keeps the facts). */
export async function deleteExpired(ctx: ServerContext, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - ctx.config.retentionDays * 86400_000).toISOString();
  let n = 0;
  for (const r of ctx.runs.olderThan(cutoff)) {
    if (r.status === 'queued' || r.status === 'running') continue;
    await rm(runDir(ctx, r.id), { recursive: true, force: true });
    ctx.runs.delete(r.id);
    ctx.audit.record({ action: 'retention_delete', runId: r.id, detail: `${r.scopeName} ${r.createdAt.slice(0, 10)}` });
    n++;
  }
  return n;
}
