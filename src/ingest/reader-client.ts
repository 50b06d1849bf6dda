// Reading beside the check, in one worker thread of the process (reader-worker.ts): a large xlsx
// sheet part is read from the file, inflated through the same checks as here (inflatePart) and
// scanned into rows there, while this thread normalises and checks the rows already back: on a
// 2-core machine, the second core for an xlsx check of one folder. This thread only learns the
// part's verdict (meter.record) and its merged ranges. Inflating here and sending the chunks on
// (as before) made the worker wait for this thread's turns between rows (measured: 1 s of 7 idle).
// CSV files are not sent: their records cost about as much to send back as to parse (measured: no
// gain). Only the main thread does this: a check already running in a worker (counties, the file
// pool) has the cores busy.
import { isMainThread, Worker } from 'node:worker_threads';
import type { SheetScanCtx } from './sheet-scan.js';
import type { SourceRow } from './xlsx.js';
import { compiledWorker } from '../engine/workers.js';
import { BookCache, scanErrorOf, type PartJob, type ScanReply, type ScanRequest } from './reader-protocol.js';
import type { PartCheck } from './limits.js';
import type { VerticalMerge } from './merges.js';
import { packedCount, unpackRows } from './row-codec.js';

/** A reader worker without a job for this long ends. */
const IDLE_MS = 30_000;
/** Declared inflated size from which a sheet is scanned in the worker (small ones cost less here). */
const DEFAULT_FROM = 2 * 1024 * 1024;

/**
 * Size (bytes) from which sheets go to the worker; Infinity when they never do. QINGXI_SCAN_WORKER:
 * `off`, or a byte count (tests send every sheet with 0).
 */
export function scanInWorkerFrom(): number {
  if (!isMainThread) return Infinity;
  const env = process.env['QINGXI_SCAN_WORKER'];
  if (env === 'off') return Infinity;
  if (env !== undefined && /^\d+$/.test(env)) return Number(env);
  return script() ? DEFAULT_FROM : Infinity;
}

let scriptPath: string | undefined | null = null;
const script = (): string | undefined => (scriptPath === null ? (scriptPath = compiledWorker(import.meta.url, 'reader-worker')) : scriptPath);

/** The reader worker of this process: started on first use, ended after IDLE_MS without a job. */
class ReaderWorker {
  private worker: Worker | undefined;
  private nextJob = 1;
  private nextBook = 1;
  private readonly listeners = new Map<number, (r: ScanReply) => void>();
  private readonly bookIds = new WeakMap<object, number>();
  private sent = new BookCache<true>();

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const path = script();
    if (!path) throw new Error('reader worker script not built');
    const w = new Worker(path);
    w.unref(); // an idle worker does not keep a finished run alive (ref'd while it holds a job)
    w.on('message', (r: ScanReply) => this.listeners.get(r.job)?.(r));
    const fail = () => {
      // a worker that dies fails the jobs it held; the next job starts a new worker (an old
      // worker's late exit must not touch the state of its successor). The message reaches the
      // clerk in the file's read error: Chinese, without the engine's own wording.
      if (this.worker !== w) return;
      this.worker = undefined;
      this.sent = new BookCache<true>();
      for (const [job, l] of this.listeners) l({ job, error: { kind: 'other', message: '表格读取线程异常退出' } });
    };
    w.on('error', fail);
    w.on('exit', fail);
    this.worker = w;
    return w;
  }

  private idleTimer: NodeJS.Timeout | undefined;

  /**
   * No job left: the worker no longer keeps the process alive, and after IDLE_MS without a job it
   * ends (a server would otherwise keep its heap and the last workbooks' shared strings).
   */
  private idle(): void {
    const w = this.worker;
    if (!w) return;
    w.unref();
    this.idleTimer = setTimeout(() => {
      if (this.listeners.size > 0 || this.worker !== w) return;
      this.worker = undefined;
      this.sent = new BookCache<true>();
      void w.terminate();
    }, IDLE_MS);
    this.idleTimer.unref();
  }

  private post(m: ScanRequest, transfer?: ArrayBuffer[]): void {
    this.ensure().postMessage(m, transfer ?? []);
  }

  /**
   * A new job: its number, the next reply (awaited in order), and `close`, which forgets the job
   * (telling the worker to drop it unless it ended) and lets the process end once no job is left.
   */
  private open(): { job: number; next: () => Promise<ScanReply>; close: (ended: boolean) => void } {
    const job = this.nextJob++;
    clearTimeout(this.idleTimer);
    this.ensure().ref(); // the answers awaited must keep the process alive
    const replies: ScanReply[] = [];
    let wake: (() => void) | undefined;
    this.listeners.set(job, (r) => {
      replies.push(r);
      wake?.();
    });
    const next = async (): Promise<ScanReply> => {
      while (replies.length === 0) await new Promise<void>((r) => (wake = r));
      wake = undefined;
      return replies.shift()!;
    };
    const close = (ended: boolean) => {
      this.listeners.delete(job);
      if (!ended && this.worker) this.post({ kind: 'drop', job });
      if (this.listeners.size === 0) this.idle();
    };
    return { job, next, close };
  }

  /**
   * The rows of one sheet part, read, inflated, metered and scanned in the worker: an answer's rows
   * a batch. A held part's merged ranges reach `seen.merges` before its first rows; its verdict
   * reaches `seen.checked` once the part is inflated to its end.
   */
  async *part(ctx: SheetScanCtx, part: PartJob, seen: PartSeen): AsyncGenerator<readonly SourceRow[]> {
    const { job, next, close } = this.open();
    let ended = false;
    try {
      const { shared, ...rest } = ctx;
      let book = this.bookIds.get(shared);
      if (book === undefined) this.bookIds.set(shared, (book = this.nextBook++));
      const known = this.sent.has(book);
      this.post({ kind: 'part', job, ctx: rest, book, part, ...(known ? {} : { shared }) });
      if (!known) this.sent.put(book, true);
      for (;;) {
        const r = await next();
        if ('error' in r) {
          ended = true;
          throw scanErrorOf(r.error);
        }
        if (r.merges) for (const m of r.merges) seen.merges.push(m); // one by one: there may be very many
        if (r.checked) seen.checked(r.checked);
        if (r.ended) ended = true;
        else this.post({ kind: 'more', job });
        if (packedCount(r.rows) > 0) yield unpackRows(r.rows, shared);
        if (ended) return;
      }
    } finally {
      close(ended);
    }
  }
}

/** What the reader of a part learns besides its rows. */
export interface PartSeen {
  merges: VerticalMerge[];
  checked(c: PartCheck): void;
}

let shared: ReaderWorker | undefined;

/** Characters of shared strings beyond which a workbook's sheets are scanned here (no copy made). */
const MAX_SHARED_CHARS = 32 * 1024 * 1024;
const sharedChars = new WeakMap<object, number>();

/** Are a workbook's shared strings more than `max` characters (counted once per workbook)? */
export function sharedTooLarge(strings: readonly (string | null)[], max = MAX_SHARED_CHARS): boolean {
  let chars = sharedChars.get(strings);
  if (chars === undefined) {
    chars = 0;
    for (const t of strings) chars += t?.length ?? 0;
    sharedChars.set(strings, chars);
  }
  return chars > max;
}

/**
 * The process's reader worker for one sheet with this context; undefined when its workbook's shared
 * strings are too large to copy to the worker (a copy would double what the limits allowed).
 */
export function sheetScanWorker(ctx: SheetScanCtx): { part(part: PartJob, seen: PartSeen): AsyncGenerator<readonly SourceRow[]> } | undefined {
  if (sharedTooLarge(ctx.shared)) return undefined;
  const w = (shared ??= new ReaderWorker());
  return { part: (part, seen) => w.part(ctx, part, seen) };
}
