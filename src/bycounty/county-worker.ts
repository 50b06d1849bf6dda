// Worker-thread entry: checks the counties the main thread sends (county-check.ts), one at a time.
// The packed findings and the key hashes go back as transferred buffers.
import { parentPort } from 'node:worker_threads';
import { serveJobs } from '../engine/workers.js';
import { checkCounty, type CountyJob, type CountyOutcome } from './county-check.js';
import type { Progress } from '../pipeline.js';

if (!parentPort) throw new Error('county-worker.ts runs only as a worker thread');
serveJobs<CountyJob, CountyOutcome, Progress>(parentPort, checkCounty, (o) => [o.packed.buffer as ArrayBuffer, ...o.keyHashes.map((h) => h.buffer as ArrayBuffer)]);
