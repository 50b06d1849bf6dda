// Our CSV record parser (src/ingest/csv-parser.ts) against csv-parse with the options the CSV
// reader used before it: on random inputs full of quotes, delimiters, every line ending, CJK,
// emoji, NUL, empty lines, unclosed quotes and invalid UTF-8, fed in random chunks, the records,
// their start lines, the flags and the error (with its line) must be csv-parse's.
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CSV_PARSE_REFERENCE } from './helpers.js';
import { Transform } from 'node:stream';
import { CsvRecordError, CsvRecordParser } from '../../src/ingest/csv-parser.js';
import { delimiterGuard } from '../../src/ingest/csv.js';

interface Outcome {
  records: string[][];
  lines: number[];
  error?: { code: string; line: number };
}

/** csv-parse as src/ingest/csv.ts called it; lines counted as csv.ts counted them. */
function reference(input: Buffer, delimiter: string, maxRecordSize?: number): Outcome {
  const records: string[][] = [];
  let error: { code: string; line: number } | undefined;
  try {
    parse(input, {
      delimiter,
      ...CSV_PARSE_REFERENCE,
      ...(maxRecordSize !== undefined ? { max_record_size: maxRecordSize } : {}),
      on_record: (r: string[]) => {
        records.push(r);
        return r;
      },
    });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'CSV_QUOTE_NOT_CLOSED') error = { code: 'quote-not-closed', line: 0 };
    else if (code === 'CSV_MAX_RECORD_SIZE') error = { code: 'record-too-large', line: 0 };
    else throw e;
  }
  // a record spans one line plus the line breaks inside its cells
  const lines: number[] = [];
  let line = 1;
  for (const cells of records) {
    lines.push(line);
    for (const c of cells) line += (c.match(/\r\n|\n|\r/g) ?? []).length;
    line++;
  }
  if (error) error.line = line;
  return { records, lines, ...(error ? { error } : {}) };
}

function ours(chunks: (Buffer | string)[], delimiter: string, maxRecordSize?: number): Outcome & { flags: [boolean, boolean][] } {
  const p = new CsvRecordParser({ delimiter, ...(maxRecordSize !== undefined ? { maxRecordSize } : {}) });
  const out: Outcome & { flags: [boolean, boolean][] } = { records: [], lines: [], flags: [] };
  const sink = (cells: string[], line: number, bad: boolean, nul: boolean) => {
    out.records.push(cells);
    out.lines.push(line);
    out.flags.push([bad, nul]);
  };
  try {
    for (const c of chunks) {
      if (typeof c === 'string') p.writeText(c, sink);
      else p.write(c, sink);
    }
    p.end(sink);
  } catch (e) {
    if (!(e instanceof CsvRecordError)) throw e;
    out.error = { code: e.code, line: e.line };
  }
  return out;
}

/** cuts at the given fractions of the length (sorted, duplicates allowed: empty chunks too) */
function cutPoints(len: number, fractions: number[]): number[] {
  return [0, ...fractions.map((f) => Math.floor(f * (len + 1))).sort((a, b) => a - b), len];
}
function splitBytes(buf: Buffer, fractions: number[]): Buffer[] {
  const at = cutPoints(buf.length, fractions);
  return at.slice(1).map((end, i) => buf.subarray(at[i]!, end));
}
/** never between the two halves of a surrogate pair (iconv-lite's decoders keep pairs together) */
function splitText(text: string, fractions: number[]): string[] {
  const at = cutPoints(text.length, fractions).map((k) => (k > 0 && k < text.length && /[\ud800-\udbff]/.test(text[k - 1]!) && /[\udc00-\udfff]/.test(text[k]!) ? k + 1 : k));
  return at.slice(1).map((end, i) => text.slice(at[i]!, end));
}

const TEXT_TOKENS = ['a', 'Z', '1', ' ', '张', '户主', '，', ',', ',', ';', '\t', '"', '"', '""', '\n', '\r', '\r\n', '\u0000', '😀', '\ufffd', 'é'];
const textToken = fc.constantFrom(...TEXT_TOKENS);
const byteToken = fc.oneof(
  { weight: 6, arbitrary: textToken.map((t) => Buffer.from(t, 'utf8')) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      Buffer.from([0xe4]), // a lead byte alone
      Buffer.from([0xe4, 0xb8]), // a character cut short
      Buffer.from([0xf0, 0x9f, 0x98]), // an emoji cut short
      Buffer.from([0xff]),
      Buffer.from([0x80]),
      Buffer.from([0xc3, 0x28]),
      Buffer.from([0xed, 0xa0, 0x80]), // an encoded surrogate
    ),
  },
);
const delimiter = fc.constantFrom(',', ';', '\t');
const fractions = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 });
const maxRecordSize = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 40, max: 400 }) },
);

function expectSame(got: ReturnType<typeof ours>, want: Outcome): void {
  expect(got.records).toEqual(want.records);
  expect(got.lines).toEqual(want.lines);
  expect(got.error).toEqual(want.error);
  expect(got.flags).toEqual(want.records.map((r) => [r.some((c) => c.includes('\ufffd')), r.some((c) => c.includes('\u0000'))]));
}

describe('CsvRecordParser gives csv-parse’s records', () => {
  it('UTF-8 bytes in random chunks', () => {
    fc.assert(
      fc.property(fc.array(byteToken, { maxLength: 120 }), delimiter, fractions, maxRecordSize, (tokens, d, cuts, max) => {
        const input = Buffer.concat(tokens);
        expectSame(ours(splitBytes(input, cuts), d, max), reference(input, d, max));
      }),
      { numRuns: 5000 },
    );
  });

  it('decoded text (with lone surrogates) in random chunks', () => {
    const lone = fc.constantFrom('\ud83d', '\ude00');
    fc.assert(
      fc.property(fc.array(fc.oneof({ weight: 8, arbitrary: textToken }, { weight: 1, arbitrary: lone }), { maxLength: 120 }), delimiter, fractions, maxRecordSize, (tokens, d, cuts, max) => {
        const text = tokens.join('');
        expectSame(ours(splitText(text, cuts), d, max), reference(Buffer.from(text, 'utf8'), d, max));
      }),
      { numRuns: 5000 },
    );
  });

  it('one byte at a time', () => {
    fc.assert(
      fc.property(fc.array(byteToken, { maxLength: 60 }), delimiter, maxRecordSize, (tokens, d, max) => {
        const input = Buffer.concat(tokens);
        expectSame(ours([...input].map((b) => Buffer.from([b])), d, max), reference(input, d, max));
      }),
      { numRuns: 1000 },
    );
  });

  it('cases spelled out', () => {
    const one = (s: string, max?: number) => ours([Buffer.from(s)], ',', max);
    // text after a closing quote: the cell as written (relax_quotes)
    expect(one('"ab"c,d').records).toEqual([['"ab"c', 'd']]);
    expect(one('"a""b"c').records).toEqual([['"a"b"c']]);
    // a NUL right after the closing quote closes it (csv-parse tests the next byte for truth)
    expect(one('"ab"\u0000c,d').records).toEqual([['ab\u0000c', 'd']]);
    // a quote inside an unquoted cell is literal
    expect(one('a"b,c"\n').records).toEqual([['a"b', 'c"']]);
    // empty lines are records of one empty cell; a final line break adds none
    expect(one('a\n\n\r\n\rb\n')).toMatchObject({ records: [['a'], [''], [''], [''], ['b']], lines: [1, 2, 3, 4, 5] });
    expect(one('')).toMatchObject({ records: [] });
    expect(one('""')).toMatchObject({ records: [['']] });
    expect(one('a,')).toMatchObject({ records: [['a', '']] });
    // a quoted line break: the next record starts two lines on
    expect(one('"x\r\ny",1\nz')).toMatchObject({ records: [['x\r\ny', '1'], ['z']], lines: [1, 3] });
    // a quote never closed: the error names the line where its record starts, after every record before it
    expect(one('a\nb\n"c\nd\ne')).toEqual({ records: [['a'], ['b']], lines: [1, 2], flags: [[false, false], [false, false]], error: { code: 'quote-not-closed', line: 3 } });
    // max_record_size: the record's earlier cells in characters plus the cell so far in bytes
    expect(one('abcd,ef', 5).error).toBeUndefined();
    expect(one('abcd,efg', 5).error).toEqual({ code: 'record-too-large', line: 1 });
    expect(one('1\n张张', 5).error).toBeUndefined();
    expect(one('1\n张张a', 5).error).toEqual({ code: 'record-too-large', line: 2 });
    expect(reference(Buffer.from('1\n张张a'), ',', 5).error).toEqual({ code: 'record-too-large', line: 2 });
    expect(reference(Buffer.from('1\n张张'), ',', 5).error).toBeUndefined();
  });
});

describe('the delimiter bound counted in the scan', () => {
  async function guardTrips(chunks: Buffer[], max: number): Promise<boolean> {
    const g: Transform = delimiterGuard(',', max, () => new Error('too many'), true);
    return new Promise((resolve) => {
      g.on('data', () => undefined);
      g.on('error', () => resolve(true));
      g.on('end', () => resolve(false));
      for (const c of chunks) g.write(c);
      g.end();
    });
  }
  it('trips exactly where delimiterGuard trips', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(byteToken, { maxLength: 80 }), fractions, fc.integer({ min: 0, max: 6 }), async (tokens, cuts, max) => {
        const chunks = splitBytes(Buffer.concat(tokens), cuts).filter((c) => c.length > 0);
        const tooMany = new Error('too many');
        const p = new CsvRecordParser({ delimiter: ',', maxDelimitersPerLine: max, tooManyDelimiters: () => tooMany });
        let tripped = false;
        try {
          for (const c of chunks) p.write(c, () => undefined);
          p.end(() => undefined);
        } catch (e) {
          if (e === tooMany) tripped = true;
          else if (!(e instanceof CsvRecordError)) throw e;
        }
        expect(tripped).toBe(await guardTrips(chunks, max));
      }),
      { numRuns: 1000 },
    );
  });
});
