// Worker threads for whole jobs (a county's check, a workbook): the compiled script of a worker
// module, and a pool that gives each job to an idle worker, keeps the worker for the next job and
// drops it when it fails. Protocol: the worker answers a job with `{ progress }` messages, then one
// `{ result }` or `{ error, code? }`.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type Transferable } from 'node:worker_threads';

/**
 * The compiled script of the worker module `name` (e.g. 'county-worker') beside the module at
 * `moduleUrl`. Run from source (tests under vitest) the module is a .ts file and the worker is taken
 * from dist/ (built by `npm test` before the tests run); undefined when it is not there.
 */
export function compiledWorker(moduleUrl: string, name: string): string | undefined {
  const here = fileURLToPath(moduleUrl);
  if (here.endsWith('.js')) return join(dirname(here), `${name}.js`);
  const root = resolve(dirname(here), '../..');
  const js = join(root, 'dist', relative(root, dirname(here)), `${name}.js`);
  return existsSync(js) ? js : undefined;
}

export type WorkerReply<R, P> = { progress: P } | { result: R } | { error: string; code?: string };

export class JobWorkers<J, R, P = never> {
  private readonly idle: Worker[] = [];
  private readonly busy = new Set<Worker>();

  constructor(private readonly script: string) {}

  /** Runs a job in an idle worker (or a new one); rejects if the worker reports an error or dies. */
  run(job: J, onProgress?: (p: P) => void): Promise<R> {
    const worker = this.idle.pop() ?? new Worker(this.script);
    this.busy.add(worker);
    return new Promise((done, fail) => {
      const finish = (err: Error | undefined, result?: R) => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        this.busy.delete(worker);
        if (err) {
          void worker.terminate();
          fail(err);
        } else {
          this.idle.push(worker);
          done(result as R);
        }
      };
      const onMessage = (m: WorkerReply<R, P>) => {
        if ('progress' in m) onProgress?.(m.progress);
        else if ('result' in m) finish(undefined, m.result);
        // the error's code (ENOSPC, EACCES) lets the caller name the cause in Chinese
        else finish(Object.assign(new Error(m.error), m.code ? { code: m.code } : {}));
      };
      const onError = (e: Error) => finish(e);
      const onExit = (code: number) => finish(new Error(`worker exited (${code})`));
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    const all = [...this.idle.splice(0), ...this.busy];
    await Promise.all(all.map((w) => w.terminate()));
  }
}

/** Inside a worker: answers each job with `work`'s result (its buffers transferred) or its error. */
export function serveJobs<J, R, P = never>(
  port: { on(event: 'message', f: (job: J) => void): unknown; postMessage(m: WorkerReply<R, P>, transfer?: Transferable[]): void },
  work: (job: J, progress: (p: P) => void) => Promise<R>,
  transfer: (result: R) => Transferable[] = () => [],
): void {
  port.on('message', (job) => {
    work(job, (progress) => port.postMessage({ progress }))
      .then((result) => port.postMessage({ result }, transfer(result)))
      .catch((e: unknown) => port.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e), ...(typeof (e as { code?: unknown }).code === 'string' ? { code: (e as { code: string }).code } : {}) }));
  });
}
