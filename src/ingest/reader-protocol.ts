// The messages between the main thread and the reader worker (xlsx sheets scanned beside the
// check), and the errors they carry.
import type { SheetScanCtx } from './sheet-scan.js';
import type { SourceRow } from './xlsx.js';
import { LimitError, type LimitKind } from './limits.js';
import { LeanUnsupported } from './xml-scan.js';

/** A sheet's context without its shared strings, which go once per workbook (BookCache). */
export type ScanCtx = Omit<SheetScanCtx, 'shared'>;

export type ScanRequest =
  | { kind: 'start'; job: number; ctx: ScanCtx; book: number; shared?: readonly (string | null)[] }
  | { kind: 'chunk'; job: number; chunk: Uint8Array }
  | { kind: 'end'; job: number }
  | { kind: 'drop'; job: number };

export type ScanError =
  | { kind: 'limit'; limit: LimitKind; value: number; where: string; actual?: number }
  | { kind: 'unsupported'; what: string }
  | { kind: 'other'; message: string };

export type ScanReply = { job: number; rows: SourceRow[]; done: boolean; ended?: boolean } | { job: number; error: ScanError };

const UNSUPPORTED_PREFIX = 'lean xlsx reader: ';

export function describeScanError(e: unknown): ScanError {
  if (e instanceof LimitError) return { kind: 'limit', limit: e.kind, value: e.limit, where: e.where, ...(e.actual !== undefined ? { actual: e.actual } : {}) };
  if (e instanceof LeanUnsupported) return { kind: 'unsupported', what: e.message.startsWith(UNSUPPORTED_PREFIX) ? e.message.slice(UNSUPPORTED_PREFIX.length) : e.message };
  return { kind: 'other', message: e instanceof Error ? e.message : String(e) };
}

/** The error the scanner threw in the worker, as the in-thread scanner would have thrown it. */
export function scanErrorOf(e: ScanError): Error {
  if (e.kind === 'limit') return new LimitError(e.limit, e.value, e.where, e.actual);
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
