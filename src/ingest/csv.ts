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
 * Counts delimiters per physical line in the decoded text, before csv-parse: a line of millions of
 * delimiters would otherwise become a record of millions of cells (50 MB of commas: 2.3 GB).
 * Quotes are not tracked (a cheap, generous bound: ten times the columns limit); the exact limit
 * is judged per record after parsing (guardRows).
 */
export function delimiterGuard(delimiter: string, maxPerLine: number, onTooMany: () => Error): Transform {
  let count = 0;
  return new Transform({
    decodeStrings: false,
    encoding: 'utf8',
    transform(chunk: string | Buffer, _enc, cb) {
      const s = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      let i = 0;
      let nextBreak = lineBreakAt(s, 0);
      for (;;) {
        const d = s.indexOf(delimiter, i);
        if (d < 0) break;
        while (nextBreak >= 0 && nextBreak < d) {
          count = 0;
          nextBreak = lineBreakAt(s, nextBreak + 1);
        }
        if (++count > maxPerLine) return cb(onTooMany());
        i = d + delimiter.length;
      }
      if (nextBreak >= 0) count = 0; // a line break after the last delimiter of the chunk
      cb(null, s);
    },
  });
}

function lineBreakAt(s: string, from: number): number {
  const n = s.indexOf('\n', from);
  const r = s.indexOf('\r', from);
  return n < 0 ? r : r < 0 ? n : Math.min(n, r);
}

async function* csvRows(path: string, enc: EncodingGuess, delimiter: string, limits: CsvLimits): AsyncGenerator<SourceRow> {
  const maxCellChars = limits.maxCellChars;
  const input = createReadStream(path, { start: enc.bomLength, highWaterMark: 256 * 1024 });
  // stripBOM: a BOM-less guess may still meet a BOM-like char at the start; keep the text as is
  const decoder = iconv.decodeStream(enc.encoding, { stripBOM: false });
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
    // csv-parse builds a CsvError (with a stack trace) for every record whose length differs from
    // the FIRST record's, even under relax_column_count; after a one-cell title line that is every
    // data row (a quarter of the CPU). Compare with the previous record instead, synchronously, so
    // an error arises only where the width changes. Cell counts are judged by ingest, not here.
    on_record: (record: string[]) => {
      parserState.expectedRecordLength = record.length;
      return record;
    },
  });
  const parserState = (parser as unknown as { state: { expectedRecordLength?: number } }).state;
  input.on('error', (e) => parser.destroy(e));
  decoder.on('error', (e: Error) => parser.destroy(e));
  if (limits.maxColumns !== undefined) {
    const cap = limits.maxColumns;
    const guard = delimiterGuard(delimiter, cap * 10, () => new LimitError('columnsPerRow', cap, '', cap * 10));
    guard.on('error', (e: Error) => parser.destroy(e));
    input.pipe(decoder).pipe(guard).pipe(parser);
  } else input.pipe(decoder).pipe(parser);
  // Line numbers are counted here rather than with csv-parse's `info`/`raw` options, which cost
  // ~12% of the CSV path: a record spans one line plus the line breaks inside its quoted cells.
  let line = 1;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      const row = line;
      let badEncoding = false;
      let hasNul = false;
      for (const c of cells) {
        if (c.length === 0) continue;
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
