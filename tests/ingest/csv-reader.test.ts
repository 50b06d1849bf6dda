// The CSV reader (openCsv → csvRows) on files: decoded encodings through our parser, the rows read
// before an error, the line an error names, and the limits, across the reader's 256 KiB chunks.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { CSV_PARSE_REFERENCE } from './helpers.js';
import { CsvParseError, openCsv } from '../../src/ingest/csv.js';
import { LimitError } from '../../src/ingest/limits.js';
import type { SourceRow } from '../../src/ingest/xlsx.js';

const tmp = mkdtempSync(join(tmpdir(), 'qingxi-csvreader-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
function file(content: Buffer): string {
  const p = join(tmp, `f${n++}.csv`);
  writeFileSync(p, content);
  return p;
}

async function read(path: string, limits = { maxCellChars: 256 * 1024, maxColumns: 1000 }): Promise<{ rows: SourceRow[]; error?: unknown; delimiter: string; encoding: string }> {
  const { readFileSync } = await import('node:fs');
  const src = openCsv(path, readFileSync(path).subarray(0, 1024 * 1024), limits);
  const rows: SourceRow[] = [];
  try {
    for await (const b of src.batches) for (const r of b) rows.push(r);
    return { rows, delimiter: src.delimiter, encoding: src.encoding.encoding };
  } catch (error) {
    return { rows, error, delimiter: src.delimiter, encoding: src.encoding.encoding };
  }
}

const OPTIONS = CSV_PARSE_REFERENCE;

describe('decoded encodings', () => {
  const token = fc.constantFrom('户编号', '张三', '𠀀', '😀', 'a', ',', ',', '\t', '"', '""', '\n', '\r\n', '\r', ' ', '镕');
  it.each([
    ['UTF-16LE with BOM', (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(t, 'utf16le')]), 'utf16le'],
    ['GB18030', (t: string) => iconv.encode(t, 'gb18030'), 'gb18030'],
  ])('%s: the records csv-parse gives on the decoded text', { timeout: 120_000 }, async (_name, encode, encoding) => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(token, { minLength: 1, maxLength: 150 }), async (tokens) => {
        // a header line the encoding sniffer recognises
        const text = '户编号,姓名,证件号码\n' + tokens.join('');
        const got = await read(file(encode(text)));
        if (got.encoding !== encoding) return; // a short random text may sniff otherwise: not this test's subject
        compared++;
        let want: string[][] = [];
        let failed = false;
        try {
          want = parse(text, { ...OPTIONS, delimiter: got.delimiter }) as string[][];
        } catch {
          failed = true;
        }
        expect(got.error !== undefined).toBe(failed);
        if (failed) expect(got.error).toBeInstanceOf(CsvParseError);
        else expect(got.rows.map((r) => r.cells)).toEqual(want);
      }),
      { numRuns: 150 },
    );
    expect(compared).toBeGreaterThan(100);
  });
});

describe('errors after many chunks', () => {
  const line = '户编号,"张三,李四",王五\r\n';
  const lines = 20_000; // ~600 KiB: the failure lies chunks after the start

  it('an unclosed quote: every record before it is read; the error names the line its record starts on', async () => {
    const body = line.repeat(lines) + 'H9,"never closed\nH10,1,2\nH11,3,4\n';
    const got = await read(file(Buffer.from(body)));
    expect(got.rows).toHaveLength(lines);
    expect(got.rows.at(-1)!.row).toBe(lines);
    expect(got.error).toBeInstanceOf(CsvParseError);
    expect((got.error as CsvParseError).line).toBe(lines + 1);
    expect((got.error as CsvParseError).message).toBe('引号未闭合，此后的内容无法按行拆分');
  });

  it('a cell over the limit, growing across chunks: LimitError on its line, before the cell is held whole', async () => {
    const body = Buffer.concat([Buffer.from(line.repeat(lines) + 'H9,"'), Buffer.alloc(3 << 20, 'A'), Buffer.from('",1\n')]);
    const got = await read(file(body));
    expect(got.rows).toHaveLength(lines);
    expect(got.error).toBeInstanceOf(LimitError);
    expect((got.error as LimitError).message).toContain(`第${lines + 1}行`);
    expect((got.error as LimitError).message).toContain('单元格内容长度');
  });

  it('a line of too many delimiters: the columns limit', async () => {
    const body = line.repeat(lines) + ','.repeat(10_001) + '\n' + line;
    const got = await read(file(Buffer.from(body)));
    expect(got.error).toBeInstanceOf(LimitError);
    expect((got.error as LimitError).message).toContain('列');
    // the same count of delimiters spread over lines is read
    const ok = await read(file(Buffer.from(line.repeat(lines) + (','.repeat(5_000) + '\n').repeat(3))));
    expect(ok.error).toBeUndefined();
    expect(ok.rows).toHaveLength(lines + 3);
  });

  it('line numbers count quoted line breaks of every kind', async () => {
    const body = 'a,"1\r\n2\n3\r4"\nb,"x"\r\n\nc\r';
    const got = await read(file(Buffer.from(body)));
    expect(got.rows.map((r) => [r.row, r.cells])).toEqual([
      [1, ['a', '1\r\n2\n3\r4']],
      [5, ['b', 'x']],
      [6, ['']],
      [7, ['c']],
    ]);
    expect(got.rows[1]!.raw).toBe('b,x');
  });
});
