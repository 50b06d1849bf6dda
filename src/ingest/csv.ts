// CSV / text reader: encoding and delimiter sniffed, records streamed by our own parser (csv-parser.ts).
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import iconv from 'iconv-lite';
import { decodeForSniff, detectEncoding, sniffDelimiter, type EncodingGuess } from './sniff.js';
import type { RowBatches, SourceRow } from './xlsx.js';
import { LimitError } from './limits.js';
import { CsvRecordError, CsvRecordParser, type CsvRecordSink } from './csv-parser.js';

export interface CsvSource {
  encoding: EncodingGuess;
  delimiter: string;
  /** the records, a chunk's at a time */
  batches: RowBatches;
}

/** Thrown by the row iterator when the parser gives up (a quote never closed). */
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
  return { encoding, delimiter, batches: csvRows(path, encoding, delimiter, limits) };
}

/**
 * Counts delimiters per physical line, as a stream stage: a line of millions of delimiters would
 * otherwise become a record of millions of cells (50 MB of commas: 2.3 GB). Quotes are not
 * tracked (a cheap, generous bound: ten times the columns limit); the exact limit is judged per
 * record after parsing (guardRows). Reads decoded text, or, with `bytes`, UTF-8 bytes (the
 * delimiters and line breaks are ASCII, never part of a multi-byte character: the counts agree).
 * csvRows no longer pipes through it: CsvRecordParser counts the same bound in its own scan
 * (`maxDelimitersPerLine`; a property test holds the two to the same verdict).
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

/** A record as the sheet reader sees it; the raw text is only needed for a rejected row (FILE-03). */
class CsvRow implements SourceRow {
  hasNul?: boolean;
  constructor(
    readonly row: number,
    readonly cells: string[],
    private readonly delimiter: string,
    readonly badEncoding: boolean,
    hasNul: boolean,
  ) {
    if (hasNul) this.hasNul = true;
  }
  /** rebuilt from the cells */
  get raw(): string {
    return this.cells.join(this.delimiter);
  }
}

async function* csvRows(path: string, enc: EncodingGuess, delimiter: string, limits: CsvLimits): AsyncGenerator<readonly SourceRow[]> {
  const maxCellChars = limits.maxCellChars;
  const input = createReadStream(path, { start: enc.bomLength, highWaterMark: 256 * 1024 });
  // UTF-8 is parsed as bytes, each cell decoded once (an invalid sequence becomes U+FFFD; the
  // delimiters, quotes and line breaks are ASCII and never part of one). Other encodings are
  // decoded by iconv-lite first (stripBOM off: a BOM-less guess may still meet a BOM-like char at
  // the start; keep the text as is) and parsed as the UTF-8 of that text.
  const decoder = enc.encoding === 'utf8' ? undefined : iconv.getDecoder(enc.encoding, { stripBOM: false });
  const cap = limits.maxColumns;
  const parser = new CsvRecordParser({
    delimiter,
    // a cell longer than this stops the file instead of filling memory (csv-parse's
    // max_record_size, as before: see csv-parser.ts)
    ...(maxCellChars !== undefined ? { maxRecordSize: maxCellChars } : {}),
    // delimiterGuard's bound, counted in the parser's own scan
    ...(cap !== undefined ? { maxDelimitersPerLine: cap * 10, tooManyDelimiters: () => new LimitError('columnsPerRow', cap, '', cap * 10) } : {}),
  });
  let rows: CsvRow[] = [];
  const sink: CsvRecordSink = (cells, line, bad, nul) => {
    rows.push(new CsvRow(line, cells, delimiter, bad, nul));
  };
  // the records of a chunk are handed on before an error in it is thrown: every record before the
  // failing one is read
  let failure: unknown;
  const feed = (step: () => void): void => {
    try {
      step();
    } catch (e) {
      failure = e;
    }
  };
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      if (decoder) feed(() => parser.writeText(decoder.write(chunk), sink));
      else feed(() => parser.write(chunk, sink));
      if (rows.length > 0) {
        const ready = rows;
        rows = [];
        yield ready;
      }
      if (failure !== undefined) break;
    }
    if (failure === undefined) {
      feed(() => {
        const rest = decoder?.end();
        if (rest) parser.writeText(rest, sink);
        parser.end(sink);
      });
      if (rows.length > 0) yield rows;
    }
  } finally {
    input.destroy();
  }
  if (failure === undefined) return;
  if (failure instanceof CsvRecordError) {
    if (failure.code === 'record-too-large' && maxCellChars !== undefined) throw new LimitError('bytesPerCell', maxCellChars, `第${failure.line}行`);
    throw new CsvParseError(failure.code === 'quote-not-closed' ? '引号未闭合，此后的内容无法按行拆分' : `无法解析（${failure.code}）`, failure.line);
  }
  throw failure;
}
