// Worker thread entry: runs one job (preview, check or verify) off the server's request thread and
// reports progress and the outcome to the parent. One worker per job; the parent may terminate it.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { runCheckJob, type CheckJobInput, type JobProgress } from './check-job.js';
import { runVerifyJob, JobInputError, type VerifyJobInput } from './verify-job.js';
import { previewFile } from './preview.js';
import type { RunTotals, UploadedFile } from '../../store/runs.js';

export type JobRequest =
  | { kind: 'check'; input: CheckJobInput }
  | { kind: 'verify'; input: VerifyJobInput }
  | { kind: 'preview'; files: { path: string; name: string }[] };

export type JobMessage =
  | { type: 'progress'; progress: JobProgress }
  | { type: 'done'; totals?: RunTotals; previews?: NonNullable<UploadedFile['preview']>[] }
  | { type: 'failed'; reason: string; internal: boolean; detail?: string };

async function main(req: JobRequest): Promise<void> {
  const post = (m: JobMessage) => parentPort!.postMessage(m);
  const progress = (p: JobProgress) => post({ type: 'progress', progress: p });
  try {
    if (req.kind === 'check') post({ type: 'done', totals: await runCheckJob(req.input, progress) });
    else if (req.kind === 'verify') post({ type: 'done', totals: await runVerifyJob(req.input, progress) });
    else {
      const previews = [];
      for (const f of req.files) previews.push(await previewFile(f.path, f.name));
      post({ type: 'done', previews });
    }
  } catch (e) {
    const internal = !(e instanceof JobInputError);
    // an internal error's text is for the log, not for the clerk (it may be English or name a path)
    post({
      type: 'failed',
      reason: internal ? '检查过程中发生内部错误，请联系管理员（详情见服务日志）。' : (e as Error).message,
      internal,
      detail: internal ? (e as Error).stack ?? String(e) : undefined,
    });
  }
}

if (parentPort) {
  // A check is batch work: on Linux this lowers the priority of this thread only (per-thread nice),
  // so page requests on the server's main thread stay fast while checks fill the cores.
  try {
    setPriority(10);
  } catch {
    // not permitted on this system: run at normal priority
  }
  void main(workerData as JobRequest);
}
