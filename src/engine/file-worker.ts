// Worker-thread entry: checks the files the main thread sends (file-check.ts), one at a time, and
// posts each result back. Progress and batches of rows are posted as they come, so the main thread
// takes rows in (structured clone) while the file is still being read.
import { parentPort } from 'node:worker_threads';
import { checkFile, type FileJob } from './file-check.js';

const port = parentPort;
if (!port) throw new Error('file-worker.ts runs only as a worker thread');

port.on('message', (msg: { id: number; job: FileJob }) => {
  checkFile(msg.job, (rows) => port.postMessage({ id: msg.id, progress: rows }), {
    send: (rows) => port.postMessage({ id: msg.id, rows }),
    discard: () => port.postMessage({ id: msg.id, discard: true }),
  })
    .then((result) => port.postMessage({ id: msg.id, result }))
    .catch((e: unknown) => port.postMessage({ id: msg.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }));
});
