// A streaming CSV record parser over UTF-8 bytes, written for qingxi's CSV reader (csv.ts). It
// replaced csv-parse, whose per-byte state machine, per-field buffers and per-record stream
// plumbing cost a fifth of the CSV check, and it gives the records csv-parse gave with the options
// qingxi used (relax_column_count, relax_quotes, skip_empty_lines: false, bom: false,
// record_delimiter ['\r\n', '\n', '\r'], max_record_size), cell for cell, whatever the chunking:
//
// - a cell starting with `"` is quoted: `""` inside it is one quote; delimiters and line breaks
//   inside it are text; it closes at a `"` followed by the delimiter, a line break, the end of the
//   input or a NUL byte (csv-parse tests the next byte for truth, and NUL is false);
// - a `"` followed by anything else closes the quote as well, and the cell keeps the text as
//   written around it: `"ab"c` gives the cell `"ab"c` (csv-parse's relax_quotes: it puts the
//   opening quote back in front and appends the closing one); text after it up to the delimiter is
//   literal, quotes included;
// - a `"` inside an unquoted cell is literal;
// - CRLF, LF and CR end a record, each line on its own (files appended to by several programs mix
//   them); an empty line is the record `['']`; a line break at the end of the input adds nothing;
// - a quoted cell still open at the end of the input is an error (`quote-not-closed`) on the line
//   where its record starts; every record before it has been delivered;
// - maxRecordSize is csv-parse's max_record_size exactly: before a byte is added to a cell, the
//   characters of the record's earlier cells plus the bytes of the cell so far must not exceed it
//   (`record-too-large`, line where the record starts). A cell growing across chunks is stopped as
//   soon as it is certain to fail, before it is held whole;
// - maxDelimitersPerLine is delimiterGuard's bound (csv.ts) counted in the same scan: delimiter
//   bytes per physical line, quotes not tracked.
//
// Text (GBK, GB18030 and UTF-16 files decoded by iconv-lite) comes in as its UTF-8 encoding, as it
// reached csv-parse: a lone surrogate becomes U+FFFD there too. Cells are decoded from the bytes
// with Node's UTF-8 decoder, each cell on its own as csv-parse did, so an invalid sequence becomes
// U+FFFD exactly where it did before.
import { isUtf8 } from 'node:buffer';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const FFFD_UTF8 = Buffer.from('\ufffd', 'utf8');

/** The error codes csv-parse reported as CSV_QUOTE_NOT_CLOSED and CSV_MAX_RECORD_SIZE. */
export type CsvRecordErrorCode = 'quote-not-closed' | 'record-too-large';

export class CsvRecordError extends Error {
  constructor(
    readonly code: CsvRecordErrorCode,
    /** the physical line (1-based) where the failing record starts */
    readonly line: number,
  ) {
    super(`${code} (record starting on line ${line})`);
  }
}

export interface CsvParserOptions {
  /** one ASCII character other than `"`, CR and LF */
  delimiter: string;
  /** csv-parse's max_record_size (see the header) */
  maxRecordSize?: number;
  /** more delimiters than this on one physical line throw `tooManyDelimiters()` */
  maxDelimitersPerLine?: number;
  tooManyDelimiters?: () => Error;
}

/**
 * Receives each record: its cells, the line where it starts, whether a cell holds U+FFFD (an
 * invalid byte sequence, or the character written as such) and whether one holds NUL.
 */
export type CsvRecordSink = (cells: string[], line: number, badEncoding: boolean, hasNul: boolean) => void;

// where the scan stands between two bytes
const FIELD_START = 0; // nothing of the current cell read yet
const UNQUOTED = 1; // inside an unquoted cell, or after the closing quote of a quoted one
const QUOTED = 2; // inside a quoted cell
const QUOTE_SEEN = 3; // inside a quoted cell right after a `"`: the next byte decides what it was

type Utf8Buffer = Buffer & { utf8Slice(start: number, end: number): string };

// Decoded-cell cache: most cells of a register repeat (places, 男/女, 汉族, 是/否, codes, dates) and
// decoding each costs a call into the runtime and a new string. A direct-mapped table from a short
// cell's bytes to its string, compared byte for byte on a hit, gives the same string again: the same
// value as decoding (a function of the bytes alone), one copy in memory, and 45 % less time in
// making cells. Shared by every parser of the thread (files of one township share their places).
const CACHED_BYTES = 32;
const CACHE_SLOTS = 8192;
const CACHE_MASK = CACHE_SLOTS - 1;
const cacheBytes = new Uint8Array(CACHE_SLOTS * CACHED_BYTES);
const cacheLengths = new Int32Array(CACHE_SLOTS); // 0: empty (empty cells never go in)
const cacheStrings: string[] = new Array<string>(CACHE_SLOTS).fill('');

export class CsvRecordParser {
  private readonly delim: number;
  private readonly maxRecordSize: number;
  private readonly limited: boolean;
  private readonly maxDelims: number;
  private readonly tooManyDelimiters: () => Error;

  private state = FIELD_START;
  /** the physical line at the scan position, and the one where the current record starts */
  private line = 1;
  private recordLine = 1;
  private lineDelims = 0;
  /** a CR ended the last chunk: an LF starting the next one belongs to it */
  private skipLF = false;
  private record: string[] = [];
  /** characters of the record's finished cells (max_record_size counts them) */
  private recordChars = 0;
  private recordBad = false;
  private recordNul = false;
  /** the current cell's bytes from earlier chunks */
  private pieces: Buffer[] = [];
  private piecesBytes = 0;
  /** the current cell: quoted, `""` pairs in it, something after its closing quote */
  private quoted = false;
  private pairs = 0;
  private afterClose = false;
  private relaxed = false;
  /** the current chunk may hold U+FFFD or NUL in cells that lie wholly inside it */
  private checkCells = false;
  private failed = false;

  constructor(opts: CsvParserOptions) {
    const d = opts.delimiter;
    if (d.length !== 1 || d.charCodeAt(0) >= 0x80 || d === '"' || d === '\r' || d === '\n') {
      throw new Error(`unsupported CSV delimiter ${JSON.stringify(d)}`);
    }
    this.delim = d.charCodeAt(0);
    this.maxRecordSize = opts.maxRecordSize ?? 0;
    this.limited = opts.maxRecordSize !== undefined;
    this.maxDelims = opts.maxDelimitersPerLine ?? Infinity;
    this.tooManyDelimiters = opts.tooManyDelimiters ?? (() => new Error('too many delimiters on one line'));
  }

  /** Parses a chunk of UTF-8 bytes; complete records go to `sink` as they end. */
  write(chunk: Buffer, sink: CsvRecordSink): void {
    if (this.failed) throw new Error('CSV parser used after an error');
    if (chunk.length === 0) return;
    try {
      this.scan(chunk as Utf8Buffer, sink);
    } catch (e) {
      this.failed = true;
      throw e;
    }
  }

  /** Parses text (decoded from another encoding) as its UTF-8 bytes. */
  writeText(text: string, sink: CsvRecordSink): void {
    if (text.length > 0) this.write(Buffer.from(text, 'utf8'), sink);
  }

  /** The end of the input: the last record, or the error of a quote never closed. */
  end(sink: CsvRecordSink): void {
    if (this.failed) throw new Error('CSV parser used after an error');
    this.failed = true; // nothing may follow
    const empty = Buffer.alloc(0) as Utf8Buffer;
    this.checkCells = true;
    switch (this.state) {
      case FIELD_START:
        // after a delimiter the record has an empty last cell; after a line break there is none
        if (this.record.length > 0) {
          this.record.push('');
          this.emit(sink);
        }
        return;
      case QUOTED: {
        // the cell so far: its bytes less the opening quote and one of each pair
        this.checkSize(this.piecesBytes - 1 - this.pairs);
        throw new CsvRecordError('quote-not-closed', this.recordLine);
      }
      case QUOTE_SEEN: // a `"` as the last byte closes the cell
      case UNQUOTED:
        this.endCell(empty, 0, 0);
        this.emit(sink);
        return;
    }
  }

  private scan(b: Utf8Buffer, sink: CsvRecordSink): void {
    const n = b.length;
    const delim = this.delim;
    const maxDelims = this.maxDelims;
    let state = this.state;
    let line = this.line;
    let lineDelims = this.lineDelims;
    let i = 0;
    let fieldStart = 0;
    this.checkCells = chunkNeedsCellChecks(b, this.pieces.length > 0);
    if (this.skipLF) {
      this.skipLF = false;
      // an LF right after a CR: the CR counted the line (and ended the record outside quotes)
      if (b[0] === LF) i = 1;
    }
    for (;;) {
      if (state === FIELD_START) {
        if (i >= n) break;
        fieldStart = i;
        if (b[i] === QUOTE) {
          this.quoted = true;
          state = QUOTED;
          i++;
        } else state = UNQUOTED;
      }
      if (state === UNQUOTED) {
        let c = 0;
        let h = 0; // the cell's hash, for the decoded-cell cache
        while (i < n) {
          c = b[i]!;
          if (c === delim || c === LF || c === CR) break;
          h = (Math.imul(h, 31) + c) | 0;
          i++;
        }
        if (i >= n) break;
        if (this.piecesBytes === 0 && !this.quoted) {
          // the common cell: unquoted, wholly inside this chunk
          const len = i - fieldStart;
          let cell: string;
          if (len === 0) cell = '';
          else if (len > CACHED_BYTES) cell = b.utf8Slice(fieldStart, i);
          else {
            // a cell seen recently (a village, 男, 汉族, a date): its string again, no decoding
            const slot = (h ^ (h >>> 13) ^ len) & CACHE_MASK;
            const at = slot * CACHED_BYTES;
            let k = 0;
            if (cacheLengths[slot] === len) while (k < len && cacheBytes[at + k] === b[fieldStart + k]) k++;
            if (k === len) cell = cacheStrings[slot]!;
            else {
              cell = b.utf8Slice(fieldStart, i);
              cacheLengths[slot] = len;
              for (k = 0; k < len; k++) cacheBytes[at + k] = b[fieldStart + k]!;
              cacheStrings[slot] = cell;
            }
          }
          if (this.limited) {
            this.checkSize(i - fieldStart);
            this.recordChars += cell.length;
          }
          if (this.checkCells && cell.length > 0) this.testCell(cell);
          this.record.push(cell);
        } else this.endCell(b, fieldStart, i);
        if (c === delim) {
          if (++lineDelims > maxDelims) throw this.tooManyDelimiters();
          i++;
          state = FIELD_START;
          continue;
        }
        // a line break ends the record
        lineDelims = 0;
        this.emit(sink);
        line++;
        this.recordLine = line;
        if (c === CR) {
          if (i + 1 < n) {
            if (b[i + 1] === LF) i++;
          } else this.skipLF = true;
        }
        i++;
        state = FIELD_START;
        continue;
      }
      if (state === QUOTED) {
        while (i < n) {
          const c = b[i]!;
          if (c === QUOTE) break;
          if (c === LF) {
            line++;
            lineDelims = 0;
          } else if (c === CR) {
            line++;
            lineDelims = 0;
            if (i + 1 < n) {
              if (b[i + 1] === LF) i++;
            } else this.skipLF = true;
          } else if (c === delim && ++lineDelims > maxDelims) throw this.tooManyDelimiters();
          i++;
        }
        if (i >= n) break;
        i++;
        state = QUOTE_SEEN;
      }
      // QUOTE_SEEN
      if (i >= n) break;
      const c = b[i]!;
      if (c === QUOTE) {
        // `""`: one quote
        this.pairs++;
        i++;
        state = QUOTED;
        continue;
      }
      state = UNQUOTED;
      if (c !== delim && c !== LF && c !== CR) {
        // NUL closes the quote too; anything else is relax_quotes' literal quote
        this.afterClose = true;
        if (c !== 0) this.relaxed = true;
      }
    }
    this.state = state;
    this.line = line;
    this.lineDelims = lineDelims;
    if (state !== FIELD_START && fieldStart < n) {
      // the cell goes on in the next chunk
      this.pieces.push(b.subarray(fieldStart, n));
      this.piecesBytes += n - fieldStart;
      // stop a huge cell now if it fails whatever follows: at least this many bytes are in it
      if (this.limited) this.checkSize(this.piecesBytes - 2 - this.pairs);
    }
  }

  /** csv-parse's max_record_size test for a cell of `bytes` bytes (it tests before each byte). */
  private checkSize(bytes: number): void {
    if (this.limited && bytes > 0 && this.recordChars + bytes - 1 > this.maxRecordSize) throw new CsvRecordError('record-too-large', this.recordLine);
  }

  /** The cell whose raw bytes (earlier pieces, then b[start, end)) just ended. */
  private endCell(b: Utf8Buffer, start: number, end: number): void {
    let raw = b;
    let rawLen = end - start;
    if (this.piecesBytes > 0) {
      this.pieces.push(b.subarray(start, end));
      rawLen += this.piecesBytes;
      raw = Buffer.concat(this.pieces, rawLen) as Utf8Buffer;
      start = 0;
      end = rawLen;
      this.pieces = [];
      this.piecesBytes = 0;
    }
    let cell: string;
    let bytes: number;
    if (!this.quoted) {
      bytes = rawLen;
      cell = rawLen === 0 ? '' : raw.utf8Slice(start, end);
    } else {
      if (this.afterClose) {
        cell = quotedCellWithTail(raw, start, end);
        bytes = this.relaxed ? rawLen - this.pairs : rawLen - 2 - this.pairs;
      } else {
        bytes = rawLen - 2 - this.pairs;
        cell = rawLen === 2 ? '' : raw.utf8Slice(start + 1, end - 1);
        if (this.pairs > 0) cell = cell.replaceAll('""', '"');
      }
      this.quoted = false;
      this.pairs = 0;
      this.afterClose = false;
      this.relaxed = false;
    }
    if (this.limited) {
      this.checkSize(bytes);
      this.recordChars += cell.length;
    }
    if ((this.checkCells || raw !== b) && cell.length > 0) this.testCell(cell);
    this.record.push(cell);
  }

  private testCell(cell: string): void {
    if (cell.includes('\ufffd')) this.recordBad = true;
    if (cell.includes('\u0000')) this.recordNul = true;
  }

  private emit(sink: CsvRecordSink): void {
    const record = this.record;
    const bad = this.recordBad;
    const nul = this.recordNul;
    this.record = [];
    this.recordChars = 0;
    this.recordBad = false;
    this.recordNul = false;
    sink(record, this.recordLine, bad, nul);
  }
}

/**
 * A quoted cell with text after its closing quote, from its raw bytes b[start, end): the quoted
 * part (pairs undone), then, unless the quote was closed by a NUL, csv-parse's relax_quotes form
 * `"` + quoted part + `"`, then the rest as written. Each part is decoded on its own: they meet at
 * a quote or a NUL (ASCII), where the decoder ends any sequence anyway.
 */
function quotedCellWithTail(b: Utf8Buffer, start: number, end: number): string {
  let q = start + 1;
  let pairs = false;
  for (;;) {
    q = b.indexOf(QUOTE, q);
    if (q < 0 || q >= end) throw new Error('quoted cell without its closing quote'); // the scan found it
    if (q + 1 < end && b[q + 1] === QUOTE) {
      pairs = true;
      q += 2;
    } else break;
  }
  let inner = q === start + 1 ? '' : b.utf8Slice(start + 1, q);
  if (pairs) inner = inner.replaceAll('""', '"');
  const tail = q + 1 < end ? b.utf8Slice(q + 1, end) : '';
  return b[q + 1] === 0 && q + 1 < end ? inner + tail : `"${inner}"${tail}`;
}

/**
 * Whether the cells lying wholly inside this chunk need the U+FFFD / NUL test: false when the
 * chunk is valid UTF-8 without an encoded U+FFFD and without NUL. A character cut by the chunk's
 * end (or, when a cell goes on from the previous chunk, by its start) belongs to a cell that spans
 * chunks, which is always tested.
 */
function chunkNeedsCellChecks(b: Buffer, continuesCell: boolean): boolean {
  if (b.indexOf(0) >= 0 || b.indexOf(FFFD_UTF8) >= 0) return true;
  const n = b.length;
  let s = 0;
  if (continuesCell) while (s < 3 && s < n && (b[s]! & 0xc0) === 0x80) s++;
  let e = n;
  let k = n - 1;
  while (k > s && n - k < 4 && (b[k]! & 0xc0) === 0x80) k--;
  const lead = b[k]!;
  if (k >= s && lead >= 0xc0) {
    const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    if (n - k < need) e = k;
  }
  return !isUtf8(b.subarray(s, e));
}
