// Worker threads writing 整改台账 workbooks (workbook-worker.ts): a province's run writes a thousand
// township workbooks with millions of findings, and exceljs's writer is CPU work that both cores
// can share. A workbook's bucket goes over with the 户主 names of its households (a function does
// not cross threads).
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Bucket, WorkbookInput } from './workbook.js';

/** The compiled worker script (from source under vitest: the copy `npm test` built into dist/). */
export function workbookWorkerScript(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return join(dirname(here), 'workbook-worker.js');
  const root = resolve(dirname(here), '../..');
  const js = join(root, 'dist', relative(root, dirname(here)), 'workbook-worker.js');
  return existsSync(js) ? js : undefined;
}

export interface WorkbookJob {
  path: string;
  bucket: Bucket;
  meta: Omit<WorkbookInput, 'findings' | 'headOf'>;
  heads: [string, string][];
}

export class WorkbookPool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];

  constructor(
    private readonly script: string,
    private readonly size: number,
  ) {}

  write(path: string, bucket: Bucket, input: Omit<WorkbookInput, 'findings'>): Promise<void> {
    const heads: [string, string][] = [];
    if (input.headOf) {
      const seen = new Set<string>();
      for (const f of bucket.findings) {
        const no = f.householdNo;
        if (!no || seen.has(no)) continue;
        seen.add(no);
        const name = input.headOf(no);
        if (name !== undefined) heads.push([no, name]);
      }
    }
    // the run's findings are not sent: the bucket holds the workbook's own
    const { headOf: _headOf, findings: _findings, ...meta } = input as WorkbookInput;
    const job: WorkbookJob = { path, bucket, meta, heads };
    const worker = this.idle.pop() ?? this.spawn();
    return new Promise((done, fail) => {
      const finish = (err?: Error) => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (err) {
          void worker.terminate();
          fail(err);
        } else {
          this.idle.push(worker);
          done();
        }
      };
      const onMessage = (m: { ok?: boolean; error?: string }) => finish(m.ok ? undefined : Object.assign(new Error(m.error ?? 'workbook worker failed'), { code: (m as { code?: string }).code }));
      const onError = (e: Error) => finish(e);
      const onExit = (code: number) => finish(new Error(`workbook worker exited (${code})`));
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(job);
    });
  }

  private spawn(): Worker {
    if (this.all.length >= this.size * 2) throw new Error('workbook workers keep failing');
    const w = new Worker(this.script);
    this.all.push(w);
    return w;
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}
