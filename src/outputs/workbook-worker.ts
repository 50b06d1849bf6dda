// Worker-thread entry: writes the 整改台账 workbooks the main thread sends (workbook-pool.ts).
import { parentPort } from 'node:worker_threads';
import { writeBucketWorkbook } from './workbook.js';
import type { WorkbookJob } from './workbook-pool.js';

const port = parentPort;
if (!port) throw new Error('workbook-worker.ts runs only as a worker thread');

port.on('message', (job: WorkbookJob) => {
  const heads = new Map(job.heads);
  writeBucketWorkbook(job.path, job.bucket, { ...job.meta, headOf: (no) => heads.get(no) })
    .then(() => port.postMessage({ ok: true }))
    // the error's code (ENOSPC, EACCES) lets the output set name the cause in Chinese
    .catch((e: unknown) => port.postMessage({ error: e instanceof Error ? e.message : String(e), code: (e as { code?: string }).code }));
});
