// Worker-thread entry: checks the counties the main thread sends (county-check.ts), one at a time.
// The key hashes go back as transferred buffers; progress is posted as files are read.
import { parentPort } from 'node:worker_threads';
import { checkCounty, type CountyJob } from './county-check.js';

const port = parentPort;
if (!port) throw new Error('county-worker.ts runs only as a worker thread');

port.on('message', (msg: { job: CountyJob }) => {
  checkCounty(msg.job, (progress) => port.postMessage({ progress }))
    .then((outcome) => port.postMessage({ outcome }, [outcome.packed.buffer as ArrayBuffer, ...outcome.keyHashes.map((h) => h.buffer as ArrayBuffer)]))
    .catch((e: unknown) => port.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) }));
});
