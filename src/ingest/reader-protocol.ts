// The messages between the main thread and the reader worker (xlsx sheets scanned beside the
// check), and the errors they carry.
import type { SheetScanCtx } from './sheet-scan.js';
import type { VerticalMerge } from './merges.js';
import type { PackedRows } from './row-codec.js';
import { LimitError, PartLimitError, type LimitKind, type PartCheck, type PartRules, type PartSource } from './limits.js';
import { LeanUnsupported } from './xml-scan.js';

/** A sheet's context without its shared strings, which go once per workbook (BookCache). */
export type ScanCtx = Omit<SheetScanCtx, 'shared'>;

/** One sheet part for the worker to inflate, meter and scan, as the main thread would have. */
export interface PartJob {
  source: PartSource;
  rules: PartRules;
  deadline: { seconds: number; until: number };
  /** the file's inflated bytes before this part */
  fileTotal: number;
  /** held whole until its merged ranges are known (they are listed after the cells) */
  hold: boolean;
}

export type ScanRequest =
  | { kind: 'part'; job: number; ctx: ScanCtx; book: number; shared?: readonly (string | null)[]; part: PartJob }
  /** the main thread took an answer: one more may be sent */
  | { kind: 'more'; job: number }
  | { kind: 'drop'; job: number };

/**
 * Rows scanned (packed: row-codec.ts); the part's merged ranges (in the first answer, when it was held) and its verdict
 * (once it is inflated to its end); `ended` on the last answer.
 */
export type ScanReply =
  | { job: number; rows: PackedRows; merges?: VerticalMerge[]; checked?: PartCheck; ended?: boolean }
  | { job: number; error: ScanError };

export type ScanError =
  | { kind: 'limit'; limit: LimitKind; value: number; where: string; actual?: number; inflating?: boolean }
  | { kind: 'unsupported'; what: string }
  | { kind: 'other'; message: string };

const UNSUPPORTED_PREFIX = 'lean xlsx reader: ';

export function describeScanError(e: unknown): ScanError {
  if (e instanceof LimitError) {
    return { kind: 'limit', limit: e.kind, value: e.limit, where: e.where, ...(e.actual !== undefined ? { actual: e.actual } : {}), ...(e instanceof PartLimitError ? { inflating: true } : {}) };
  }
  if (e instanceof LeanUnsupported) return { kind: 'unsupported', what: e.message.startsWith(UNSUPPORTED_PREFIX) ? e.message.slice(UNSUPPORTED_PREFIX.length) : e.message };
  return { kind: 'other', message: e instanceof Error ? e.message : String(e) };
}

/** The error the scanner threw in the worker, as the in-thread scanner would have thrown it. */
export function scanErrorOf(e: ScanError): Error {
  if (e.kind === 'limit') return new (e.inflating ? PartLimitError : LimitError)(e.limit, e.value, e.where, e.actual);
  if (e.kind === 'unsupported') return new LeanUnsupported(e.what);
  return new Error(e.message);
}

/**
 * The shared strings of the last few workbooks, by number. Both sides keep the same entries in
 * the same order (messages arrive in order), so the main thread knows which it need not send again.
 */
export class BookCache<T> {
  private readonly entries = new Map<number, T>();

  constructor(private readonly size = 4) {}

  get(book: number): T | undefined {
    return this.entries.get(book);
  }

  has(book: number): boolean {
    return this.entries.has(book);
  }

  put(book: number, value: T): void {
    this.entries.delete(book); // a book put again is the newest
    this.entries.set(book, value);
    while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
  }
}
