// A pool of worker threads checking files (file-worker.ts), so both cores read, normalise and run
// row rules at once. The caller merges results in path order, so the output never depends on which
// worker finished first.
import { Worker } from 'node:worker_threads';
import type { NormalRow } from '../model.js';
import type { FileChecked, FileJob } from './file-check.js';
import { compiledWorker } from './workers.js';

/** The compiled worker script (from source under vitest: the copy `npm test` built into dist/). */
export const workerScript = (): string | undefined => compiledWorker(import.meta.url, 'file-worker');

interface Pending {
  /** rows received in batches so far */
  rows: NormalRow[];
  resolve: (r: FileChecked) => void;
  reject: (e: Error) => void;
  progress?: (rows: number) => void;
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

export class FilePool {
  private readonly slots: Slot[] = [];
  private readonly queue: { id: number; job: FileJob }[] = [];
  private readonly pending = new Map<number, Pending & { slot?: Slot }>();
  private nextId = 0;

  constructor(
    private readonly script: string,
    size: number,
  ) {
    for (let i = 0; i < size; i++) this.add();
  }

  private add(): void {
    const worker = new Worker(this.script);
    const slot: Slot = { worker, busy: false };
    worker.on('message', (m: { id: number; progress?: number; rows?: NormalRow[]; discard?: boolean; result?: FileChecked; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.progress !== undefined) {
        p.progress?.(m.progress);
        return;
      }
      if (m.rows) {
        for (const r of m.rows) p.rows.push(r);
        return;
      }
      if (m.discard) {
        p.rows.length = 0;
        return;
      }
      this.pending.delete(m.id);
      slot.busy = false;
      if (m.result) {
        // the batches first, then the rows of the last batch
        if (p.rows.length) {
          for (const r of m.result.rows) p.rows.push(r);
          m.result.rows = p.rows;
        }
        p.resolve(m.result);
      }
      else p.reject(new Error(m.error ?? 'worker failed'));
      this.pump();
    });
    worker.on('error', (e) => {
      // a worker that dies fails the file it held; the pool goes on with the others
      for (const [id, p] of this.pending) {
        if (p.slot === slot) {
          this.pending.delete(id);
          p.reject(e);
        }
      }
      const at = this.slots.indexOf(slot);
      if (at >= 0) this.slots.splice(at, 1);
      this.pump();
    });
    this.slots.push(slot);
  }

  /** Checks a file in a free worker; `abandon` drops the file and replaces a worker stuck on it. */
  check(job: FileJob, progress?: (rows: number) => void, abandon?: AbortSignal): Promise<FileChecked> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { rows: [], resolve, reject, ...(progress ? { progress } : {}) });
      this.queue.push({ id, job });
      abandon?.addEventListener('abort', () => this.abandon(id), { once: true });
      this.pump();
    });
  }

  private abandon(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    const queued = this.queue.findIndex((q) => q.id === id);
    if (queued >= 0) this.queue.splice(queued, 1);
    const slot = p.slot;
    if (slot) {
      this.slots.splice(this.slots.indexOf(slot), 1);
      void slot.worker.terminate();
      this.add();
    }
    p.reject(new Error('abandoned'));
    this.pump();
  }

  private pump(): void {
    if (this.slots.length === 0) {
      for (const q of this.queue.splice(0)) {
        const p = this.pending.get(q.id);
        this.pending.delete(q.id);
        p?.reject(new Error('no worker left'));
      }
      return;
    }
    for (const slot of this.slots) {
      if (slot.busy) continue;
      const q = this.queue.shift();
      if (!q) return;
      slot.busy = true;
      this.pending.get(q.id)!.slot = slot;
      slot.worker.postMessage(q);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
