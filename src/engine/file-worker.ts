// Worker-thread entry: checks the files the main thread sends (file-check.ts), one at a time, and
// posts each result back. Progress is posted as it goes.
import { parentPort } from 'node:worker_threads';
import { checkFile, type FileJob } from './file-check.js';

const port = parentPort;
if (!port) throw new Error('file-worker.ts runs only as a worker thread');

port.on('message', (msg: { id: number; job: FileJob }) => {
  checkFile(msg.job, (rows) => port.postMessage({ id: msg.id, progress: rows }))
    .then((result) => port.postMessage({ id: msg.id, result }))
    .catch((e: unknown) => port.postMessage({ id: msg.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }));
});
