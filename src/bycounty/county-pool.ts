// Worker threads checking one county each (county-worker.ts): both cores check counties at once,
// and a county's rows live and die in its worker's heap. Workers are kept for the next county
// (loading the modules costs a few hundred milliseconds) and dropped when one fails.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Progress } from '../pipeline.js';
import type { CountyJob, CountyOutcome } from './county-check.js';

/** The compiled worker script (from source under vitest: the copy `npm test` built into dist/). */
export function countyWorkerScript(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return join(dirname(here), 'county-worker.js');
  const root = resolve(dirname(here), '../..');
  const js = join(root, 'dist', relative(root, dirname(here)), 'county-worker.js');
  return existsSync(js) ? js : undefined;
}

type Message = { progress?: Progress; outcome?: CountyOutcome; error?: string };

export class CountyPool {
  private readonly idle: Worker[] = [];

  constructor(private readonly script: string) {}

  /** Checks a county in an idle worker (or a new one); rejects if the worker fails or dies. */
  check(job: CountyJob, onProgress?: (p: Progress) => void): Promise<CountyOutcome> {
    const worker = this.idle.pop() ?? new Worker(this.script);
    return new Promise((done, fail) => {
      const finish = (err?: Error, outcome?: CountyOutcome) => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (err) {
          void worker.terminate();
          fail(err);
        } else {
          this.idle.push(worker);
          done(outcome!);
        }
      };
      const onMessage = (m: Message) => {
        if (m.progress) onProgress?.(m.progress);
        else if (m.outcome) finish(undefined, m.outcome);
        else finish(new Error(m.error ?? 'county worker failed'));
      };
      const onError = (e: Error) => finish(e);
      const onExit = (code: number) => finish(new Error(`county worker exited (${code})`));
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ job });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.idle.splice(0).map((w) => w.terminate()));
  }
}
