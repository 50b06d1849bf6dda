// CSV / text reader: encoding and delimiter sniffed, records streamed with csv-parse.
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse';
import { decodeForSniff, detectEncoding, sniffDelimiter, type EncodingGuess } from './sniff.js';
import type { SourceRow } from './xlsx.js';
import { LimitError } from './limits.js';

export interface CsvSource {
  encoding: EncodingGuess;
  delimiter: string;
  rows: AsyncIterable<SourceRow>;
}

/** Thrown by the row iterator when csv-parse gives up (e.g. a quote never closed). */
export class CsvParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const DELIM_ZH: Record<string, string> = { ',': '逗号', '\t': '制表符', ';': '分号' };
export const delimiterLabel = (d: string): string => DELIM_ZH[d] ?? d;

export interface CsvLimits {
  /** a longer cell stops the file (LimitError) before it is held in memory */
  maxCellChars?: number;
  /** the columns-per-row limit: a line with ten times as many delimiters stops the file before parsing */
  maxColumns?: number;
}

export function openCsv(path: string, sample: Buffer, limits: CsvLimits = {}): CsvSource {
  const encoding = detectEncoding(sample);
  const delimiter = sniffDelimiter(decodeForSniff(sample, encoding));
  return { encoding, delimiter, rows: csvRows(path, encoding, delimiter, limits) };
}

/**
 * Counts delimiters per physical line, before csv-parse: a line of millions of delimiters would
 * otherwise become a record of millions of cells (50 MB of commas: 2.3 GB). Quotes are not
 * tracked (a cheap, generous bound: ten times the columns limit); the exact limit is judged per
 * record after parsing (guardRows). Reads decoded text, or, with `bytes`, UTF-8 bytes (the
 * delimiters and line breaks are ASCII, never part of a multi-byte character: the counts agree).
 */
export function delimiterGuard(delimiter: string, maxPerLine: number, onTooMany: () => Error, bytes = false): Transform {
  let count = 0;
  const delim = bytes ? delimiter.charCodeAt(0) : delimiter;
  const nl = bytes ? 0x0a : '\n';
  const cr = bytes ? 0x0d : '\r';
  return new Transform({
    decodeStrings: false,
    ...(bytes ? {} : { encoding: 'utf8' as const }),
    transform(chunk: string | Buffer, _enc, cb) {
      // indexOf takes a string on text and a byte on a Buffer
      const s = (bytes || typeof chunk === 'string' ? chunk : chunk.toString('utf8')) as { indexOf(x: unknown, from?: number): number };
      const lineBreakAt = (from: number): number => {
        const n = s.indexOf(nl, from);
        const r = s.indexOf(cr, from);
        return n < 0 ? r : r < 0 ? n : Math.min(n, r);
      };
      let i = 0;
      let nextBreak = lineBreakAt(0);
      for (;;) {
        const d = s.indexOf(delim, i);
        if (d < 0) break;
        while (nextBreak >= 0 && nextBreak < d) {
          count = 0;
          nextBreak = lineBreakAt(nextBreak + 1);
        }
        if (++count > maxPerLine) return cb(onTooMany());
        i = d + 1;
      }
      if (nextBreak >= 0) count = 0; // a line break after the last delimiter of the chunk
      cb(null, s);
    },
  });
}

/** Line breaks inside a cell, the replacement character (bad encoding), NUL. */
const RARE_CHARS = /[\n\r\ufffd\u0000]/;

async function* csvRows(path: string, enc: EncodingGuess, delimiter: string, limits: CsvLimits): AsyncGenerator<SourceRow> {
  const maxCellChars = limits.maxCellChars;
  const input = createReadStream(path, { start: enc.bomLength, highWaterMark: 256 * 1024 });
  // UTF-8 goes to csv-parse as bytes, as it reads them anyway: decoding to text first only for
  // csv-parse to encode it again cost a tenth of the CSV path. csv-parse decodes each cell; an
  // invalid sequence becomes U+FFFD either way (the delimiters and line breaks are ASCII and never
  // part of one). Other encodings are decoded by iconv-lite first.
  const utf8 = enc.encoding === 'utf8';
  // stripBOM: a BOM-less guess may still meet a BOM-like char at the start; keep the text as is
  const decoder = utf8 ? undefined : iconv.decodeStream(enc.encoding, { stripBOM: false });
  const parser = parse({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    bom: false,
    // every line ending, line by line: files appended to by different programs mix CRLF, LF and CR
    // (csv-parse otherwise takes the first line's ending for the whole file)
    record_delimiter: ['\r\n', '\n', '\r'],
    // csv-parse's field buffer: a cell longer than this stops the file instead of filling memory
    ...(maxCellChars !== undefined ? { max_record_size: maxCellChars } : {}),
  });
  // csv-parse builds a CsvError (with a stack trace) for every record whose length differs from
  // the FIRST record's, even under relax_column_count; after a one-cell title line that is every
  // data row (a quarter of the CPU). The length it expects is set to the record's own just before
  // its check, so no error arises. (An `on_record` hook doing this after each record cost an info
  // object per record, a twentieth of reading a CSV; an accessor on `state` slowed every state
  // access of the parser by a third.) Cell counts are judged by ingest, not here.
  const api = (parser as unknown as { api: { state: { record: unknown[]; expectedRecordLength?: number }; __onRecord: (push: unknown) => unknown } }).api;
  const onRecord = api.__onRecord;
  api.__onRecord = function (this: typeof api, push: unknown) {
    this.state.expectedRecordLength = this.state.record.length;
    return onRecord.call(this, push);
  };
  input.on('error', (e) => parser.destroy(e));
  decoder?.on('error', (e: Error) => parser.destroy(e));
  const text = decoder ? input.pipe(decoder) : input;
  if (limits.maxColumns !== undefined) {
    const cap = limits.maxColumns;
    const guard = delimiterGuard(delimiter, cap * 10, () => new LimitError('columnsPerRow', cap, '', cap * 10), utf8);
    guard.on('error', (e: Error) => parser.destroy(e));
    text.pipe(guard).pipe(parser);
  } else text.pipe(parser);
  // Line numbers are counted here rather than with csv-parse's `info`/`raw` options, which cost
  // ~12% of the CSV path: a record spans one line plus the line breaks inside its quoted cells.
  let line = 1;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      const row = line;
      let badEncoding = false;
      let hasNul = false;
      for (const c of cells) {
        // one scan a cell for the rare characters, then the detail
        if (c.length === 0 || !RARE_CHARS.test(c)) continue;
        if (c.includes('\n') || c.includes('\r')) line += (c.match(/\r\n|\n|\r/g) ?? []).length;
        if (c.includes('\ufffd')) badEncoding = true;
        if (c.includes('\u0000')) hasNul = true;
      }
      line++;
      // the raw text is only needed for a rejected row (FILE-03): rebuilt from the cells
      yield { row, cells, get raw() { return cells.join(delimiter); }, badEncoding, ...(hasNul ? { hasNul } : {}) };
    }
  } catch (err) {
    const e = err as { code?: string; lines?: number; message?: string };
    if (e.code === 'CSV_MAX_RECORD_SIZE' && maxCellChars !== undefined) throw new LimitError('bytesPerCell', maxCellChars, `第${line}行`);
    if (e.code && e.code.startsWith('CSV_')) {
      throw new CsvParseError(
        e.code === 'CSV_QUOTE_NOT_CLOSED' ? '引号未闭合，此后的内容无法按行拆分' : `无法解析（${e.code}）`,
        // the record that failed starts where the last good one ended (csv-parse's own count is
        // the end of the file for an unclosed quote)
        line,
      );
    }
    throw err;
  } finally {
    input.destroy();
  }
}
