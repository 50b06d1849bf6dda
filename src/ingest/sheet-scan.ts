// One sheet part's XML turned into rows: the lean reader's cell rules (exceljs's values, see
// xlsx-lean.ts) over the chunks of the inflated part. Plain data in, plain rows out, so it runs in
// this thread or in the reader worker (reader-worker.ts) alike.
import { isAscii } from 'node:buffer';
import type { RawCell } from './types.js';
import type { SourceRow } from './xlsx.js';
import { LimitError } from './limits.js';
import { attr, decodeEntities, FAST_MORE, FAST_NO, scanXml, type XmlHandler } from './xml-scan.js';

/** What the cells of every sheet of a workbook are read with. */
export interface SheetScanCtx {
  shared: readonly (string | null)[];
  formats: readonly (string | undefined)[];
  date1904: boolean;
  /** the columns-per-row limit (a cell beyond it with a value: LimitError); always set, see XLSX_MAX_COLUMNS */
  maxColumns: number;
  name: string;
}

/** exceljs's test for a date format: y m d h s b outside quotes and brackets. */
function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  // asked for every number cell; a workbook has a handful of formats
  let known = dateFormats.get(fmt);
  if (known === undefined) {
    known = /[ymdhMsb]+/.test(fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
    if (dateFormats.size < 10_000) dateFormats.set(fmt, known);
  }
  return known;
}
const dateFormats = new Map<string, boolean>();

/** exceljs's second decoding of inline and formula strings (kept so both readers agree). */
function xmlDecodeAgain(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&([a-z]*);/g, (m, e: string) => ({ lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' } as Record<string, string>)[e] ?? m);
}

function excelToDate(v: number, date1904: boolean): Date {
  return new Date(Math.round((v - 25569 + (date1904 ? 1462 : 0)) * 24 * 3600 * 1000));
}

const ISO_CELL_DATE = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?\s*$/;

/**
 * A `t="d"` cell's ISO 8601 text as a date whose UTC fields are the date and time written (as a
 * serial date cell reads): a register's dates are calendar days, whatever zone offset the writer
 * added. Text that is not such a date stays text (the field's parser reports it), never a number.
 */
export function isoCellDate(text: string): RawCell {
  const m = ISO_CELL_DATE.exec(text);
  if (!m) return text;
  const n = (i: number) => (m[i] === undefined ? 0 : Number(m[i]));
  const [y, mo, d] = [n(1), n(2), n(3)];
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  const date = new Date(Date.UTC(y, mo - 1, d, n(4), n(5), n(6), ms));
  // 2021-02-30 or 24:00 rolls over in Date.UTC (and year 0099 becomes 1999): such text is no date
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return text;
  return date;
}

/** "AB12" at buf[from, to) → 28 (1-based column); 0 when the reference has no letters. */
function refColumnAt(buf: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = buf.charCodeAt(i);
    if (c >= 65 && c <= 90) n = n * 26 + (c - 64);
    else if (c >= 97 && c <= 122) n = n * 26 + (c - 96);
    else if (c === 0x24 /* $ */) continue;
    else break;
  }
  return n;
}

/** A cell's t="…" (the usual ones as the same strings, not a new one per cell). */
function cellType(buf: string, from: number, to: number): string {
  const len = to - from;
  if (len === 1) {
    const c = buf.charCodeAt(from);
    if (c === 0x73) return 's';
    if (c === 0x6e) return 'n';
    if (c === 0x62) return 'b';
    if (c === 0x65) return 'e';
    if (c === 0x64) return 'd';
  } else if (len === 3 && buf.startsWith('str', from)) return 'str';
  return buf.slice(from, to);
}

/** parseInt of a cell's s="…" (digits read in place; anything else as parseInt reads it). */
function styleIndex(buf: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = buf.charCodeAt(i) - 48;
    if (d < 0 || d > 9 || i - from > 9) return parseInt(buf.slice(from, to), 10);
    v = v * 10 + d;
  }
  return v;
}

/** Where the attributes of a cell's start tag lie in the chunk (one object per scanner, refilled). */
class CellTag {
  refFrom = -1;
  refTo = -1;
  styleFrom = -1;
  styleTo = -1;
  typeFrom = -1;
  typeTo = -1;
  selfClosing = false;
  /** the <v> text, raw (readCellValue); null for `<c …></c>` */
  text: string | null = null;
}

/**
 * The start tag of the usual cell at buf[lt]: `<c`, then ` name="value"` pairs (single spaces,
 * double quotes), then `>` or `/>`. Fills `tag` and returns the index after the tag; FAST_NO for any
 * other form, FAST_MORE when the chunk ends inside it. A value holding `&`, `<`, `=`, a quote or
 * white space is left to the events: entities are theirs to decode, and attr() could read
 * ` t='x'` inside another attribute's value as an attribute of its own.
 */
function readCellTag(buf: string, lt: number, tag: CellTag): number {
  const n = buf.length;
  if (lt + 2 >= n) return FAST_MORE;
  if (buf.charCodeAt(lt + 1) !== 0x63 /* c */) return FAST_NO;
  let i = lt + 2;
  let ch = buf.charCodeAt(i);
  if (ch !== 0x20 && ch !== 0x2f && ch !== 0x3e) return FAST_NO; // <col, <cfRule …: not a cell
  tag.refFrom = tag.styleFrom = tag.typeFrom = -1;
  while (ch === 0x20) {
    const nameFrom = ++i;
    while (i < n && (ch = buf.charCodeAt(i)) !== 0x3d /* = */ && ch !== 0x20 && ch !== 0x3e && ch !== 0x2f) i++;
    if (i + 1 >= n) return FAST_MORE;
    if (ch !== 0x3d || buf.charCodeAt(i + 1) !== 0x22 /* " */ || i === nameFrom) return FAST_NO;
    const nameTo = i;
    const valueFrom = i + 2;
    const valueTo = buf.indexOf('"', valueFrom);
    if (valueTo < 0) return FAST_MORE;
    for (let k = valueFrom; k < valueTo; k++) {
      const v = buf.charCodeAt(k);
      if (v === 0x26 || v === 0x3c || v === 0x3d || v === 0x27 || v <= 0x20) return FAST_NO;
    }
    if (nameTo - nameFrom === 1) {
      // the first of a repeated attribute counts, as attr() finds it
      const name = buf.charCodeAt(nameFrom);
      if (name === 0x72 /* r */ && tag.refFrom < 0) [tag.refFrom, tag.refTo] = [valueFrom, valueTo];
      else if (name === 0x73 /* s */ && tag.styleFrom < 0) [tag.styleFrom, tag.styleTo] = [valueFrom, valueTo];
      else if (name === 0x74 /* t */ && tag.typeFrom < 0) [tag.typeFrom, tag.typeTo] = [valueFrom, valueTo];
    }
    i = valueTo + 1;
    if (i >= n) return FAST_MORE;
    ch = buf.charCodeAt(i);
  }
  if (ch === 0x3e) {
    tag.selfClosing = false;
    return i + 1;
  }
  if (ch !== 0x2f) return FAST_NO;
  if (i + 1 >= n) return FAST_MORE;
  if (buf.charCodeAt(i + 1) !== 0x3e) return FAST_NO;
  tag.selfClosing = true;
  return i + 2;
}

/**
 * A cell's content after its start tag at buf[from]: `</c>` (tag.text null) or `<v>text</v></c>`
 * (tag.text the raw text). The index after `</c>`; FAST_NO for anything else (a formula, an inline
 * string, white space between the tags), FAST_MORE when the chunk ends first.
 */
function readCellValue(buf: string, from: number, tag: CellTag): number {
  const n = buf.length;
  if (from + 4 > n) return FAST_MORE;
  if (buf.startsWith('</c>', from)) {
    tag.text = null;
    return from + 4;
  }
  if (!buf.startsWith('<v>', from)) return FAST_NO;
  const close = buf.indexOf('<', from + 3);
  if (close < 0 || close + 8 > n) return FAST_MORE;
  if (!buf.startsWith('</v></c>', close)) return FAST_NO;
  tag.text = buf.slice(from + 3, close);
  return close + 8;
}

/** exceljs cell value → RawCell (toRawCell in xlsx.ts for the objects exceljs builds). */
function raw(v: number | string | boolean | Date | null): RawCell {
  if (typeof v === 'number') return Number.isNaN(v) ? null : v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  return v;
}


/**
 * Where a scanner puts each row's cells: row objects (ObjectRows), or typed arrays for the main
 * thread (RowPacker in row-codec.ts, in the reader worker). `take` hands on the rows completed.
 */
export interface RowSink<T> {
  /** a new row */
  start(): void;
  /** a value at a 0-based column; the columns skipped before it are empty. `sharedAt`: its index in the shared strings, or -1 */
  cell(col: number, v: RawCell, sharedAt: number): void;
  end(rowNo: number): void;
  take(): T;
}

/** Rows as objects. */
export class ObjectRows implements RowSink<SourceRow[]> {
  private cells: RawCell[] = [];
  private ready: SourceRow[] = [];

  start(): void {
    this.cells = [];
  }

  cell(col: number, v: RawCell): void {
    const cells = this.cells;
    while (cells.length < col) cells.push(null);
    cells[col] = v;
  }

  end(rowNo: number): void {
    this.ready.push({ row: rowNo, cells: this.cells });
  }

  take(): SourceRow[] {
    if (this.ready.length === 0) return NO_ROWS;
    const out = this.ready;
    this.ready = [];
    return out;
  }
}

/**
 * Scans a sheet part chunk by chunk. `write` takes the inflated bytes as they come and returns the
 * rows they completed; `end` the last ones (`feed`, `finish` and `take` split them). `done` once
 * </sheetData> is passed (the rest of the part carries no cells). Throws LimitError (columns per
 * row) and LeanUnsupported (a DOCTYPE or other declaration).
 */
export class SheetScanner<T = SourceRow[]> {
  done = false;
  private rest = '';
  private readonly decoder = new TextDecoder('utf-8');
  /** the decoder has seen the part's first bytes (its BOM) and holds no bytes of a cut character */
  private atBoundary = false;
  private readonly h: XmlHandler;
  private readonly sink: RowSink<T>;

  /** `fast: false` reads every cell through the XML events (the reference the one-step cell is tested against) */
  constructor(ctx: SheetScanCtx, sink?: RowSink<T>, fast = true) {
    const { shared, formats, date1904, maxColumns } = ctx;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const scanner = this;
    const rows = (this.sink = sink ?? (new ObjectRows() as unknown as RowSink<T>));
    let inData = false;
    // current row
    let rowNo = NaN;
    let rowFmt: string | undefined;
    let inRow = false;
    let beyond = 0;
    let lastCol = 0;
    // current cell
    let inCell = false;
    let col = 0;
    let type: string | undefined;
    let cellFmt: string | undefined;
    let hasFormula = false;
    let value: string | null = null; // <v> text, or the inline string
    let target: 0 | 1 | 2 = 0; // 1: <v> text, 2: inline <t> text
    let inlineRuns: string | null = null;
    let phonetic = 0;

    const setCell = (c: number, v: RawCell, present: boolean, sharedAt = -1) => {
      if (c > maxColumns) {
        if (v !== null && v !== '') beyond = Math.max(beyond, c);
        return;
      }
      // exceljs: a cell without a value is absent from row.values (but a later one may fill it)
      if (!present) return;
      rows.cell(c - 1, v, sharedAt);
    };

    const endCell = () => {
      let v: RawCell = null;
      let present = false;
      let sharedAt = -1;
      if (hasFormula) {
        present = true; // exceljs: a formula cell is a value even without a cached result
        if (value !== null) v = type === 'str' ? xmlDecodeAgain(value) : raw(parseFloat(value));
        // exceljs keeps a formula's result only when it is truthy: 0 and '' read as no value
        if (!v) v = null;
      } else if (value !== null) {
        switch (type) {
          case 's': {
            const at = parseInt(value, 10);
            const s = shared[at];
            present = s !== null && s !== undefined;
            v = present ? s! : null;
            if (present) sharedAt = at;
            break;
          }
          case 'inlineStr':
          case 'str':
            v = xmlDecodeAgain(value);
            present = true;
            break;
          case 'e':
            v = value;
            present = true;
            break;
          case 'b':
            v = parseInt(value, 10) !== 0;
            present = true;
            break;
          case 'd':
            // an ISO 8601 date cell (SheetJS with cellDates, some report tools): read as a number,
            // 2020-04-30 became 2020, a bare year or a serial day in 1905 depending on the field
            v = isoCellDate(value);
            present = true;
            break;
          default: {
            const n = parseFloat(value);
            present = true;
            v = isDateFormat(cellFmt) ? raw(excelToDate(n, date1904)) : raw(n);
          }
        }
      }
      setCell(col, v, present, sharedAt);
    };

    const h: XmlHandler = {
      wantText: false,
      open(name, a, self) {
        if (!inData) {
          if (name === 'sheetData' && !self) inData = true;
          return;
        }
        switch (name) {
          case 'row': {
            const r = attr(a, 'r');
            rowNo = r === undefined ? NaN : parseInt(r, 10);
            const s = attr(a, 's');
            rowFmt = s ? formats[parseInt(s, 10)] : undefined;
            inRow = true;
            rows.start();
            beyond = 0;
            lastCol = 0;
            break;
          }
          case 'c': {
            if (!inRow) return;
            const ref = attr(a, 'r');
            col = ref !== undefined ? refColumnAt(ref, 0, ref.length) : lastCol + 1;
            if (col < 1) col = lastCol + 1;
            lastCol = col;
            type = attr(a, 't');
            const s = attr(a, 's');
            const si = s ? parseInt(s, 10) : 0;
            // exceljs: the row's format unless the cell names an existing style of its own
            cellFmt = si && si < formats.length ? formats[si] : rowFmt;
            hasFormula = false;
            value = null;
            inlineRuns = null;
            phonetic = 0;
            inCell = !self;
            if (self) setCell(col, null, false);
            break;
          }
          case 'v':
            if (!inCell || self) {
              if (inCell) value = '';
              return;
            }
            value = '';
            target = 1;
            h.wantText = true;
            break;
          case 'f':
            if (inCell) hasFormula = true;
            break;
          case 'is':
            if (inCell) inlineRuns = '';
            break;
          case 'rPh':
            phonetic++;
            break;
          case 't':
            if (!inCell || phonetic > 0) return;
            if (inlineRuns === null) inlineRuns = '';
            if (!self) {
              target = 2;
              h.wantText = true;
            }
            break;
        }
      },
      close(name) {
        if (!inData) return;
        switch (name) {
          case 'v':
          case 't':
            target = 0;
            h.wantText = false;
            break;
          case 'rPh':
            phonetic--;
            break;
          case 'c':
            if (!inCell) return;
            if (inlineRuns !== null && (type === 'inlineStr' || value === null)) value = inlineRuns;
            endCell();
            inCell = false;
            break;
          case 'row':
            if (!inRow) return;
            if (beyond > 0) {
              throw new LimitError('columnsPerRow', maxColumns, `工作表「${ctx.name}」第${rowNo}行`, beyond);
            }
            rows.end(rowNo);
            inRow = false;
            break;
          case 'sheetData':
            inData = false;
            scanner.done = true;
            break;
        }
      },
      text(t) {
        const s = t.indexOf('&') >= 0 ? decodeEntities(t) : t;
        if (target === 1) value = value === null ? s : value + s;
        else if (target === 2) inlineRuns = inlineRuns === null ? s : inlineRuns + s;
      },
    };

    /**
     * The usual cell in one step (see readCellTag and readCellValue for the forms it takes), leaving
     * the state its open, text and close events would have left.
     */
    const tag = new CellTag();
    const fastCell = (buf: string, lt: number): number => {
      if (!inRow || inCell || h.wantText) return FAST_NO;
      const afterTag = readCellTag(buf, lt, tag);
      if (afterTag < 0) return afterTag;
      let after = afterTag;
      let text: string | null = null;
      if (!tag.selfClosing) {
        after = readCellValue(buf, afterTag, tag);
        if (after < 0) return after;
        text = tag.text;
      }
      // what open('c') sets
      col = tag.refFrom >= 0 ? refColumnAt(buf, tag.refFrom, tag.refTo) : lastCol + 1;
      if (col < 1) col = lastCol + 1;
      lastCol = col;
      type = tag.typeFrom < 0 ? undefined : cellType(buf, tag.typeFrom, tag.typeTo);
      const si = tag.styleFrom < 0 || tag.styleTo === tag.styleFrom ? 0 : styleIndex(buf, tag.styleFrom, tag.styleTo);
      cellFmt = si && si < formats.length ? formats[si] : rowFmt;
      hasFormula = false;
      inlineRuns = null;
      phonetic = 0;
      if (tag.selfClosing) {
        value = null;
        setCell(col, null, false);
        return after;
      }
      // what the <v> text and close('c') do
      value = text === null ? null : text.indexOf('&') >= 0 ? decodeEntities(text) : text;
      endCell();
      return after;
    };
    if (fast) h.fast = fastCell;

    this.h = h;
  }

  /** scans the inflated bytes; the rows they completed wait for `take` */
  feed(bytes: Uint8Array): void {
    if (this.done) return;
    const chunk = this.text(bytes);
    const buf = this.rest ? this.rest + chunk : chunk;
    const used = scanXml(buf, this.h, false);
    this.rest = used < buf.length ? buf.slice(used) : '';
  }

  /** the part is over: its last rows wait for `take` */
  finish(): void {
    if (!this.done) {
      this.rest += this.decoder.decode();
      if (this.rest) scanXml(this.rest, this.h, true);
    }
  }

  /** the rows completed since the last take */
  take(): T {
    return this.sink.take();
  }

  write(bytes: Uint8Array): T {
    this.feed(bytes);
    return this.take();
  }

  end(): T {
    this.finish();
    return this.take();
  }

  /**
   * A chunk's text. Sheet XML is mostly ASCII: such a chunk is copied as one-byte text, which
   * costs a fraction of UTF-8 decoding; the decoder takes the part's first chunk (a BOM is dropped
   * there) and every chunk after one that ended inside a character (its bytes wait in the decoder).
   */
  private text(bytes: Uint8Array): string {
    const boundary = this.atBoundary;
    this.atBoundary = bytes.length === 0 ? boundary : bytes[bytes.length - 1]! < 0x80;
    if (boundary && isAscii(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
    return this.decoder.decode(bytes, { stream: true });
  }

}

const NO_ROWS: SourceRow[] = [];
