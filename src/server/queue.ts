// The check queue: jobs run in worker threads, at most `concurrency` at once (p-limit); the others
// wait and can see their place. Listeners (the progress page's server-sent events) get every change.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import pLimit, { type LimitFunction } from 'p-limit';
import { projectRoot } from '../paths.js';
import type { JobMessage, JobRequest } from './jobs/worker.js';
import type { JobProgress } from './jobs/check-job.js';
import type { RunTotals, UploadedFile } from '../store/runs.js';

export interface LiveState {
  status: 'queued' | 'running' | 'done' | 'failed';
  /** 1-based place among waiting jobs (queued only) */
  position?: number;
  progress?: JobProgress;
  failure?: string;
}

export interface JobHandlers {
  onStart(): void;
  onDone(totals: RunTotals): void;
  onFailed(reason: string, detail?: string): void;
}

/** The compiled worker script (tests import the sources, but a worker needs JavaScript). */
export function workerScript(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return join(here, '..', 'jobs', 'worker.js');
  const compiled = join(projectRoot(), 'dist', 'src', 'server', 'jobs', 'worker.js');
  if (!existsSync(compiled)) throw new Error('dist/src/server/jobs/worker.js missing: run `npm run build` first');
  return compiled;
}

type Listener = (s: LiveState) => void;

export class JobQueue {
  private readonly limit: LimitFunction;
  private readonly previewLimit: LimitFunction;
  private readonly waiting: string[] = [];
  private readonly states = new Map<string, LiveState>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly workers = new Set<Worker>();

  constructor(
    concurrency: number,
    private readonly timeoutMs: number,
  ) {
    this.limit = pLimit(Math.max(1, concurrency));
    this.previewLimit = pLimit(Math.max(1, concurrency));
  }

  state(runId: string): LiveState | undefined {
    return this.states.get(runId);
  }

  subscribe(runId: string, l: Listener): () => void {
    let set = this.listeners.get(runId);
    if (!set) this.listeners.set(runId, (set = new Set()));
    set.add(l);
    return () => {
      set.delete(l);
      if (set.size === 0) this.listeners.delete(runId);
    };
  }

  private set(runId: string, s: LiveState): void {
    this.states.set(runId, s);
    for (const l of this.listeners.get(runId) ?? []) l(s);
  }

  private renumber(): void {
    this.waiting.forEach((id, i) => this.set(id, { status: 'queued', position: i + 1 }));
  }

  /** Queues a check or verify job for a run. */
  enqueue(runId: string, req: JobRequest, h: JobHandlers): void {
    this.waiting.push(runId);
    this.renumber();
    void this.limit(async () => {
      this.waiting.splice(this.waiting.indexOf(runId), 1);
      this.renumber();
      this.set(runId, { status: 'running' });
      h.onStart();
      const outcome = await this.runWorker(req, (p) => this.set(runId, { status: 'running', progress: p }));
      if (outcome.type === 'done') {
        h.onDone(outcome.totals!);
        this.set(runId, { status: 'done' });
      } else {
        h.onFailed(outcome.reason, outcome.detail);
        this.set(runId, { status: 'failed', failure: outcome.reason });
      }
      // finished states are kept briefly for late listeners, then the database is the truth
      setTimeout(() => this.states.delete(runId), 60_000).unref();
    });
  }

  /** Reads each file's tables and row counts in a worker (never on the request thread). */
  async preview(files: { path: string; name: string }[]): Promise<NonNullable<UploadedFile['preview']>[]> {
    const outcome = await this.previewLimit(() => this.runWorker({ kind: 'preview', files }, () => {}));
    if (outcome.type === 'done' && outcome.previews) return outcome.previews;
    return files.map(() => ({ readable: false, error: '预览失败', sheets: [] }));
  }

  private runWorker(req: JobRequest, onProgress: (p: JobProgress) => void): Promise<Extract<JobMessage, { type: 'done' | 'failed' }>> {
    return new Promise((resolve) => {
      let settled = false;
      const worker = new Worker(workerScript(), { workerData: req, resourceLimits: { maxOldGenerationSizeMb: 2048 } });
      this.workers.add(worker);
      const finish = (m: Extract<JobMessage, { type: 'done' | 'failed' }>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.workers.delete(worker);
        void worker.terminate();
        resolve(m);
      };
      const timer = setTimeout(
        () => finish({ type: 'failed', reason: `检查超过 ${Math.round(this.timeoutMs / 60000)} 分钟仍未完成，已停止。请减少文件后重试，或联系管理员。`, internal: false }),
        this.timeoutMs,
      );
      worker.on('message', (m: JobMessage) => {
        if (m.type === 'progress') onProgress(m.progress);
        else finish(m);
      });
      worker.on('error', (e) => finish({ type: 'failed', reason: '检查过程中发生内部错误，请联系管理员（详情见服务日志）。', internal: true, detail: e.stack ?? String(e) }));
      worker.on('exit', (code) => finish({ type: 'failed', reason: '检查意外中止（可能是内存不足），请联系管理员。', internal: true, detail: `worker exit ${code}` }));
    });
  }

  /** Stops every running worker (server shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.workers].map((w) => w.terminate()));
  }
}
