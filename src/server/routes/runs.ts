// 上传检查, a run's pages, its progress events, its downloads, 检验核查 and 历史.
import { createReadStream, existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RunStore, type Run, type UploadedFile } from '../../store/runs.js';
import type { FindingRecord } from '../../outputs/findings.js';
import type { CheckResultPage, VerifyResultPage } from '../jobs/result.js';
import { OUT_DIR } from '../jobs/check-job.js';
import { removeTemps } from '../../outputs/atomic.js';
import type { LiveState } from '../queue.js';
import { audit, isIsoDate, notFound, pageCtx, sendPage, todayInChina, visibleRun, type ServerContext } from '../context.js';
import { draftPage, uploadPage, verifyUploadPage } from '../views/upload.js';
import { checkResultPage, failedPage, FINDINGS_PER_PAGE, progressPage, verifyResultPage, type FindingFilter } from '../views/run.js';
import { historyPage } from '../views/misc.js';
import { receiveFiles, UploadError } from './upload.js';

export function runDir(ctx: ServerContext, id: string): string {
  return join(ctx.config.dataDir, 'runs', id);
}

/** result.json and findings of recently viewed runs, parsed once (paging and filtering re-read nothing). */
class ResultCache {
  private readonly map = new Map<string, { page: unknown; findings?: FindingRecord[] }>();
  async get(id: string, out: string, withFindings: boolean): Promise<{ page: unknown; findings?: FindingRecord[] }> {
    let hit = this.map.get(id);
    if (hit) this.map.delete(id);
    else hit = { page: JSON.parse(await readFile(join(out, 'result.json'), 'utf8')) };
    if (withFindings && !hit.findings) {
      const text = await readFile(join(out, 'findings.jsonl'), 'utf8');
      hit.findings = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as FindingRecord);
    }
    this.map.set(id, hit);
    // bounded by findings held, not only by runs: one large county's run can hold 100,000
    let held = 0;
    for (const v of this.map.values()) held += v.findings?.length ?? 0;
    while (this.map.size > 1 && (this.map.size > 32 || held > 300_000)) {
      const oldest = this.map.keys().next().value!;
      held -= this.map.get(oldest)!.findings?.length ?? 0;
      this.map.delete(oldest);
    }
    return hit;
  }
}

function requireClerk(req: FastifyRequest, reply: FastifyReply): boolean {
  const u = req.user;
  if (!u) {
    void reply.redirect('/login');
    return false;
  }
  if (u.role !== 'clerk' || !u.scopeLevel || !u.scopeName) {
    void reply.redirect(u.role === 'admin' ? '/admin' : '/login');
    return false;
  }
  return true;
}

export function runRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const cfg = ctx.config;
  const limits = { maxFiles: cfg.maxFiles, maxFileBytes: cfg.maxFileBytes };
  const cache = new ResultCache();

  const enqueue = (run: Run, asOf: string) => {
    const dir = runDir(ctx, run.id);
    const scope = { level: run.scopeLevel, name: run.scopeName };
    const inputs = run.files.filter((f) => f.role === 'export').map((f) => join(dir, 'inputs', f.stored));
    const req =
      run.kind === 'check'
        ? { kind: 'check' as const, input: { runDir: dir, inputs, asOf, scope } }
        : {
            kind: 'verify' as const,
            input: {
              runDir: dir,
              inputs,
              asOf,
              scope,
              today: todayInChina(),
              corrections: run.files.filter((f) => f.role === 'corrections').map((f) => ({ path: join(dir, 'inputs', f.stored), name: f.name })),
            },
          };
    ctx.runs.setQueued(run.id, asOf || null);
    ctx.queue.enqueue(run.id, req, {
      onStart: () => ctx.runs.setRunning(run.id),
      onDone: (totals) => {
        const { asOf: usedAsOf, ...rest } = totals as typeof totals & { asOf?: string };
        if (usedAsOf) ctx.runs.setAsOf(run.id, usedAsOf);
        ctx.runs.setDone(run.id, rest);
        ctx.logger.info({ event: 'run_done', run: run.id, kind: run.kind, findings: totals.findings }, 'run done');
      },
      onFailed: (reason, detail) => {
        ctx.runs.setFailed(run.id, reason);
        void removeTemps(dir);
        ctx.logger.error({ event: 'run_failed', run: run.id, kind: run.kind, reason, detail: detail ? maskDigits(detail) : undefined }, 'run failed');
      },
    });
  };

  app.get('/', async (req, reply) => {
    if (!requireClerk(req, reply)) return reply;
    return sendPage(reply, uploadPage(pageCtx(req, reply), limits));
  });

  app.post('/uploads', { preHandler: app.csrfProtection }, async (req, reply) => {
    if (!requireClerk(req, reply)) return reply;
    const u = req.user!;
    const id = RunStore.newId();
    const dir = join(runDir(ctx, id), 'inputs');
    let files: UploadedFile[];
    try {
      ({ files } = await receiveFiles(req, dir, cfg, { files: 'export' }));
      if (files.length === 0) throw new UploadError('请至少选择一个文件。', 400);
    } catch (e) {
      await rm(runDir(ctx, id), { recursive: true, force: true });
      if (e instanceof UploadError) return sendPage(reply, uploadPage(pageCtx(req, reply), limits, e.message), e.status);
      throw e;
    }
    const previews = await ctx.queue.preview(files.map((f) => ({ path: join(dir, f.stored), name: f.name })));
    files.forEach((f, i) => (f.preview = previews[i]));
    ctx.runs.create({ id, kind: 'check', userId: u.id, scopeLevel: u.scopeLevel!, scopeName: u.scopeName!, scopeCode: u.scopeCode, files });
    audit(ctx, req, 'upload', id, files.map((f) => f.name).join('、'));
    return reply.redirect(`/runs/${id}`, 303);
  });

  app.post<{ Params: { id: string } }>('/runs/:id/start', { preHandler: app.csrfProtection }, async (req, reply) => {
    if (!requireClerk(req, reply)) return reply;
    const run = visibleRun(ctx, req, req.params.id);
    if (!run || run.kind !== 'check') return notFound(req, reply);
    if (run.status !== 'draft') return reply.redirect(`/runs/${run.id}`, 303);
    const asOf = String(((req.body ?? {}) as Record<string, unknown>)['asOf'] ?? '');
    if (!isIsoDate(asOf)) return sendPage(reply, draftPage(pageCtx(req, reply), run, todayInChina(), '请填写有效的数据截至日期。'), 400);
    enqueue(run, asOf);
    audit(ctx, req, 'check_start', run.id, `数据截至 ${asOf}`);
    return reply.redirect(`/runs/${run.id}`, 303);
  });

  app.get<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>('/runs/:id', async (req, reply) => {
    if (!requireClerk(req, reply)) return reply;
    const run = visibleRun(ctx, req, req.params.id);
    if (!run) return notFound(req, reply);
    const pc = pageCtx(req, reply);
    if (run.status === 'draft') return sendPage(reply, draftPage(pc, run, todayInChina()));
    if (run.status === 'queued' || run.status === 'running') return sendPage(reply, progressPage(pc, run, ctx.queue.state(run.id)));
    if (run.status === 'failed') return sendPage(reply, failedPage(pc, run));
    const out = join(runDir(ctx, run.id), OUT_DIR);
    if (run.kind === 'verify') {
      const { page } = await cache.get(run.id, out, false);
      return sendPage(reply, verifyResultPage(pc, run, page as VerifyResultPage));
    }
    const cached = await cache.get(run.id, out, true);
    const page = cached.page as CheckResultPage;
    const all = cached.findings!;
    const q = req.query;
    const filter: FindingFilter = {
      village: q['village'] || undefined,
      family: q['family'] || undefined,
      rule: q['rule'] || undefined,
      severity: q['severity'] || undefined,
      page: Math.max(1, Math.floor(Number(q['page'] ?? 1)) || 1),
    };
    const matched = all.filter(
      (f) =>
        (!filter.village || f.village === filter.village) &&
        (!filter.family || f.family === filter.family) &&
        (!filter.rule || f.rule === filter.rule) &&
        (!filter.severity || f.severity === filter.severity),
    );
    const pages = Math.max(1, Math.ceil(matched.length / FINDINGS_PER_PAGE));
    filter.page = Math.min(filter.page, pages);
    const items = matched.slice((filter.page - 1) * FINDINGS_PER_PAGE, filter.page * FINDINGS_PER_PAGE);
    const villages = [...new Set(all.map((f) => f.village).filter((v): v is string => !!v))].sort((a, b) => a.localeCompare(b, 'zh-CN'));
    return sendPage(reply, checkResultPage(pc, run, page, { total: matched.length, items, villages }, filter));
  });

  // Server-sent events: queue place, stage, files and rows read; `done`/`failed` end the stream.
  app.get<{ Params: { id: string } }>('/runs/:id/events', async (req, reply) => {
    if (!requireClerk(req, reply)) return reply;
    const run = visibleRun(ctx, req, req.params.id);
    if (!run) return notFound(req, reply);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const send = (s: LiveState) => res.write(`data: ${JSON.stringify(s)}\n\n`);
    const current = ctx.runs.get(run.id)!;
    if (current.status === 'done' || current.status === 'failed' || current.status === 'draft') {
      send({ status: current.status === 'draft' ? 'queued' : current.status, failure: current.failure ?? undefined });
      res.end();
      return;
    }
    send(ctx.queue.state(run.id) ?? { status: current.status });
    const heartbeat = setInterval(() => res.write(': 保持连接\n\n'), 15_000);
    const stop = ctx.queue.subscribe(run.id, (s) => {
      send(s);
      if (s.status === 'done' || s.status === 'failed') close();
    });
    const close = () => {
      clearInterval(heartbeat);
      stop();
      res.end();
    };
    req.raw.on('close', close);
  });

  app.get<{ Params: { id: string; name: string } }>('/runs/:id/download/:name', async (req, reply) => {
    if (!requireClerk(req, reply)) return reply;
    const run = visibleRun(ctx, req, req.params.id);
    if (!run || run.status !== 'done') return notFound(req, reply);
    const out = join(runDir(ctx, run.id), OUT_DIR);
    const page = (await cache.get(run.id, out, false)).page as Partial<CheckResultPage & VerifyResultPage>;
    const allowed = run.kind === 'check' ? [...(page.workbooks ?? []), 'findings.jsonl'] : [page.workbook ?? '', 'verification.json'];
    const name = req.params.name;
    if (!allowed.includes(name) || !existsSync(join(out, name))) return notFound(req, reply);
    audit(ctx, req, 'download', run.id, name);
    const type = name.endsWith('.xlsx')
      ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
      : name.endsWith('.json')
        ? 'application/json; charset=utf-8'
        : 'application/x-ndjson; charset=utf-8';
    return reply
      .header('content-type', type)
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
      .send(createReadStream(join(out, name)));
  });

  app.get('/verify', async (req, reply) => {
    if (!requireClerk(req, reply)) return reply;
    return sendPage(reply, verifyUploadPage(pageCtx(req, reply), limits, todayInChina()));
  });

  app.post('/verify', { preHandler: app.csrfProtection }, async (req, reply) => {
    if (!requireClerk(req, reply)) return reply;
    const u = req.user!;
    const id = RunStore.newId();
    const dir = join(runDir(ctx, id), 'inputs');
    let received;
    const fail = (msg: string, status: number) => sendPage(reply, verifyUploadPage(pageCtx(req, reply), limits, todayInChina(), msg), status);
    try {
      received = await receiveFiles(req, dir, cfg, { corrections: 'corrections', files: 'export' });
    } catch (e) {
      if (e instanceof UploadError) return fail(e.message, e.status);
      throw e;
    }
    const asOf = received.fields['asOf'] ?? '';
    const problem = !received.files.some((f) => f.role === 'corrections')
      ? '请选择填好的整改台账。'
      : !received.files.some((f) => f.role === 'export')
        ? '请选择重新导出的数据文件。'
        : asOf !== '' && !isIsoDate(asOf)
          ? '数据截至日期无效，请重新选择，或留空使用台账中的日期。'
          : undefined;
    if (problem) {
      await rm(runDir(ctx, id), { recursive: true, force: true });
      return fail(problem, 400);
    }
    const run = ctx.runs.create({ id, kind: 'verify', userId: u.id, scopeLevel: u.scopeLevel!, scopeName: u.scopeName!, scopeCode: u.scopeCode, asOf: asOf || undefined, files: received.files });
    audit(ctx, req, 'verify', id, received.files.map((f) => f.name).join('、'));
    enqueue(run, asOf);
    return reply.redirect(`/runs/${id}`, 303);
  });

  app.get('/history', async (req, reply) => {
    if (!requireClerk(req, reply)) return reply;
    const u = req.user!;
    const runs = ctx.runs.listForScope({ level: u.scopeLevel!, name: u.scopeName!, code: u.scopeCode }).filter((r) => r.status !== 'draft');
    return sendPage(reply, historyPage(pageCtx(req, reply), runs, cfg.retentionDays));
  });
}

/** Digits runs long enough to be an ID number or a phone are masked before a line reaches the log. */
export function maskDigits(s: string): string {
  return s.replace(/\d{11,}[\dXx]?/g, (m) => m.slice(0, 6) + '*'.repeat(Math.max(0, m.length - 10)) + m.slice(-4));
}
