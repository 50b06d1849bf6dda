// Worker threads checking one county each (county-worker.ts): both cores check counties at once,
// and a county's rows live and die in its worker's heap.
import type { Progress } from '../pipeline.js';
import { JobWorkers, compiledWorker } from '../engine/workers.js';
import type { CountyJob, CountyOutcome } from './county-check.js';

export const countyWorkerScript = (): string | undefined => compiledWorker(import.meta.url, 'county-worker');

export class CountyPool extends JobWorkers<CountyJob, CountyOutcome, Progress> {
  check(job: CountyJob, onProgress?: (p: Progress) => void): Promise<CountyOutcome> {
    return this.run(job, onProgress);
  }
}
