// Worker-thread entry of the reader worker (reader-client.ts): each job is one large xlsx sheet
// part, which this thread reads from the file, inflates through the same checks the main thread's
// PartMeter makes (inflatePart) and scans into rows, while the main thread checks the rows already
// answered. Answers run at most AHEAD ahead of what the main thread took; a job's error ends it
// with a description the main thread turns back into the error the in-thread reader throws.
import { parentPort } from 'node:worker_threads';
import { SheetScanner, type SheetScanCtx } from './sheet-scan.js';
import { BookCache, describeScanError, type PartJob, type ScanReply, type ScanRequest } from './reader-protocol.js';
import { Deadline, inflatePart, type PartCheck } from './limits.js';
import { holdWhole, mergesInChunks } from './merges.js';
import { packedBuffers, packedCount, RowPacker, type PackedRows } from './row-codec.js';

const port = parentPort;
if (!port) throw new Error('reader-worker.ts runs only as a worker thread');

/** Answers sent and not yet taken by the main thread, per job. */
const AHEAD = 8;
/** Inflated bytes scanned for one answer: fewer messages, each worth the main thread's while. */
const ANSWER_BYTES = 256 * 1024;

const reply = (r: ScanReply) => port.postMessage(r, 'error' in r ? [] : packedBuffers(r.rows));
const books = new BookCache<readonly (string | null)[]>();
const jobs = new Map<number, PartReading>();

/** One sheet part being read for the main thread. */
class PartReading {
  private waiting = 0;
  private wake: (() => void) | undefined;
  dropped = false;

  constructor(
    readonly job: number,
    private readonly ctx: SheetScanCtx,
    private readonly part: PartJob,
  ) {}

  /** the main thread took an answer */
  more(): void {
    this.waiting--;
    this.wake?.();
  }

  drop(): void {
    this.dropped = true;
    this.wake?.();
  }

  private async send(r: Omit<Extract<ScanReply, { rows: PackedRows }>, 'job'>): Promise<void> {
    reply({ job: this.job, ...r });
    if (r.ended) return;
    this.waiting++;
    while (this.waiting >= AHEAD && !this.dropped) await new Promise<void>((w) => (this.wake = w));
    this.wake = undefined;
  }

  /** reads the part; whatever goes wrong ends the job with an error answer, never the worker */
  async run(): Promise<void> {
    try {
      await this.read();
    } catch (e) {
      reply({ job: this.job, error: describeScanError(e) });
      jobs.delete(this.job);
    }
  }

  private async read(): Promise<void> {
    const { part } = this;
    const chunks = inflatePart(part.source, part.rules, new Deadline(part.deadline.seconds, part.deadline.until), { total: part.fileTotal });
    const scanner = new SheetScanner(this.ctx, new RowPacker());
    /** the part's verdict, once its last chunk is out; sent with the next answer */
    let checked: PartCheck | undefined;
    let verdictSent = false;
    const verdict = (): { checked?: PartCheck } => {
      if (!checked || verdictSent) return {};
      verdictSent = true;
      return { checked };
    };
    // the next chunk inflates (zlib works on the thread pool) while this thread scans the last one
    const pull = async (): Promise<Buffer | undefined> => {
      const next = await chunks.next();
      if (!next.done) return next.value;
      checked = next.value;
      return undefined;
    };
    let inflating: Promise<Buffer | undefined> | undefined = pull();
    const nextChunk = async (): Promise<Buffer | undefined> => {
      if (!inflating) return undefined;
      const chunk = await inflating;
      inflating = chunk ? pull() : undefined;
      if (inflating) inflating.catch(() => {}); // thrown when awaited
      return chunk;
    };
    /** bytes scanned since the last answer (its rows wait in the scanner's packer) */
    let scanned = 0;
    /** scans a chunk; true when an answer is full */
    const scan = (chunk: Buffer): boolean => {
      if (scanner.done) return false; // the cells are read: the rest of the part only goes through the meter
      scanner.feed(chunk);
      scanned += chunk.length;
      if (scanned < ANSWER_BYTES) return false;
      scanned = 0;
      return true;
    };
    try {
      let held: Buffer[] = [];
      if (part.hold) {
        // a held part's merged ranges go first, before any of its rows: the whole part inflates
        const kept = await holdWhole(nextChunk, () => this.dropped);
        if (this.dropped) return;
        held = kept.held;
        const merges = kept.whole && !checked?.inflateFailed ? mergesInChunks(held) : [];
        await this.send({ rows: scanner.take(), merges, ...verdict() });
        if (this.dropped) return;
      }
      for (;;) {
        const chunk = held.length > 0 ? held.shift() : await nextChunk();
        if (this.dropped) return;
        if (!chunk) break;
        if (scan(chunk)) {
          await this.send({ rows: scanner.take(), ...verdict() });
          if (this.dropped) return;
        }
      }
      held = [];
      scanner.finish();
      await this.send({ rows: scanner.take(), ...verdict(), ended: true });
    } catch (e) {
      // the rows scanned before the error come first, as the in-thread reader hands them on
      const rows = scanner.take();
      if (packedCount(rows) > 0) reply({ job: this.job, rows });
      reply({ job: this.job, error: describeScanError(e) });
    } finally {
      jobs.delete(this.job);
      if (inflating) await inflating.catch(() => {});
      await chunks.return(undefined as never);
    }
  }
}

port.on('message', (m: ScanRequest) => {
  if (m.kind === 'part') {
    if (m.shared) books.put(m.book, m.shared);
    const shared = books.get(m.book);
    if (!shared) {
      // an internal fault (both sides keep the same books); the clerk reads the file's error in Chinese
      reply({ job: m.job, error: { kind: 'other', message: '表格读取线程缺少该工作簿的共享字符串表（内部错误）' } });
      return;
    }
    const reading = new PartReading(m.job, { ...m.ctx, shared }, m.part);
    jobs.set(m.job, reading);
    void reading.run();
  } else if (m.kind === 'more') jobs.get(m.job)?.more();
  else jobs.get(m.job)?.drop();
});
