// Worker-thread entry: writes the 整改台账 workbooks the main thread sends (workbook-pool.ts).
import { parentPort } from 'node:worker_threads';
import { serveJobs } from '../engine/workers.js';
import { writeBucketWorkbook } from './workbook.js';
import type { WorkbookJob } from './workbook-pool.js';

if (!parentPort) throw new Error('workbook-worker.ts runs only as a worker thread');
serveJobs<WorkbookJob, true>(parentPort, async (job) => {
  const heads = new Map(job.heads);
  await writeBucketWorkbook(job.path, job.bucket, { ...job.meta, headOf: (no) => heads.get(no) });
  return true;
});
