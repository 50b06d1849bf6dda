// Sheets scanned in the reader worker (reader-client.ts) give the rows, the errors and the findings
// the in-thread scanner gives. QINGXI_SCAN_WORKER=0 sends every sheet to the worker, `off` none.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { buildStoredZip, ZipError, ZipFile } from '../../src/ingest/zip.js';
import { readStructure, type SourceRow } from '../../src/ingest/xlsx.js';
import { LeanUnsupported, readXlsxSheetsLean } from '../../src/ingest/xlsx-lean.js';
import { Deadline, DEFAULT_LIMITS, LimitError, PartMeter } from '../../src/ingest/limits.js';
import { generateSamples } from '../../src/samples/generate.js';
import { runQingxi } from '../helpers/cli.js';
import { sharedTooLarge, sheetScanWorker } from '../../src/ingest/reader-client.js';
import { BookCache } from '../../src/ingest/reader-protocol.js';

const tmp = mkdtempSync(join(tmpdir(), 'qingxi-scanworker-'));
const before = process.env['QINGXI_SCAN_WORKER'];
afterEach(() => {
  if (before === undefined) delete process.env['QINGXI_SCAN_WORKER'];
  else process.env['QINGXI_SCAN_WORKER'] = before;
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function readAll(path: string, where: 'worker' | 'here', maxColumns = 1000, stopAfter = Infinity): Promise<{ name: string | undefined; rows: SourceRow[] }[]> {
  process.env['QINGXI_SCAN_WORKER'] = where === 'worker' ? '0' : 'off';
  const zip = await ZipFile.open(path, statSync(path).size);
  try {
    const out: { name: string | undefined; rows: SourceRow[] }[] = [];
    for await (const s of readXlsxSheetsLean(zip, await readStructure(zip), { maxColumns })) {
      const rows: SourceRow[] = [];
      sheet: for await (const batch of s.batches) {
        for (const r of batch) {
          rows.push(r);
          if (rows.length >= stopAfter) break sheet;
        }
      }
      out.push({ name: s.name, rows });
    }
    return out;
  } finally {
    await zip.close();
  }
}

const xlsxFiles = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.xlsx')).map((f) => join(dir, f));

const plain = (sheetData: string) =>
  buildStoredZip([
    { name: 'xl/workbook.xml', data: '<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>' },
    { name: 'xl/_rels/workbook.xml.rels', data: '<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>' },
    { name: 'xl/worksheets/sheet1.xml', data: `<worksheet><sheetData>${sheetData}</sheetData></worksheet>`, deflate: true },
  ]);

describe('sheets scanned in the worker thread', () => {
  it('give the rows scanned here, on the samples and on a generated township (dates, shared strings, several sheets)', { timeout: 120_000 }, async () => {
    const gen = join(tmp, 'gen');
    await generateSamples({ outDir: gen, households: 300, seed: 7, formats: 'xlsx', asOf: '2020-04-30' });
    const files = [...xlsxFiles('samples/township'), ...xlsxFiles(gen)].filter((f) => !f.includes('损坏'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const here = await readAll(f, 'here');
      const there = await readAll(f, 'worker');
      expect(there, f).toEqual(here);
    }
  });

  it('throw the scanner\'s errors: a declaration (LeanUnsupported) and a row over the column limit (LimitError, same place)', async () => {
    const declared = join(tmp, 'declared.xlsx');
    writeFileSync(declared, plain('<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t><!ENTITY x "y"></t></is></c></row>'));
    await expect(readAll(declared, 'worker')).rejects.toBeInstanceOf(LeanUnsupported);
    const wide = join(tmp, 'wide.xlsx');
    writeFileSync(wide, plain('<row r="1"><c r="A1"><v>1</v></c></row><row r="7"><c r="A7"><v>1</v></c><c r="Z7"><v>2</v></c></row>'));
    const here = await readAll(wide, 'here', 5).catch((e: unknown) => e);
    const there = await readAll(wide, 'worker', 5).catch((e: unknown) => e);
    expect(there).toBeInstanceOf(LimitError);
    expect((there as LimitError).message).toBe((here as LimitError).message);
    expect((there as LimitError).message).toContain('第7行');
  });

  it('let a reader stop early, and read the next sheet after it', async () => {
    const f = xlsxFiles('samples/township').find((x) => x.includes('建档立卡'))!;
    const first = await readAll(f, 'worker', 1000, 2);
    expect(first.every((s) => s.rows.length <= 2)).toBe(true);
    expect(await readAll(f, 'worker')).toEqual(await readAll(f, 'here'));
  });

  it('read the next sheet ahead: its part is inflated and judged while the caller is still on this one', async () => {
    process.env['QINGXI_SCAN_WORKER'] = '0';
    const f = xlsxFiles('samples/township').find((x) => x.includes('建档立卡'))!;
    const zip = await ZipFile.open(f, statSync(f).size);
    try {
      const wb = await readStructure(zip);
      expect(wb.sheets.length).toBeGreaterThan(1);
      const meter = new PartMeter(zip, DEFAULT_LIMITS, new Deadline(600));
      const sheets = readXlsxSheetsLean(zip, wb, { meter })[Symbol.asyncIterator]();
      const first = await sheets.next();
      for await (const batch of first.value!.batches) void batch;
      // the caller has not asked for the second sheet yet
      await vi.waitFor(() => expect(meter.checked.get(wb.sheets[1]!.entry)).toEqual({ inflatedBytes: wb.sheets[1]!.entry.size, broken: false, inflateFailed: false }));
      // stopping here lets go of the sheet read ahead; the file reads whole again afterwards
      await sheets.return?.(undefined);
    } finally {
      await zip.close();
    }
    expect(await readAll(f, 'worker')).toEqual(await readAll(f, 'here'));
  });

  it('read nothing ahead after a sheet whose part is broken', async () => {
    process.env['QINGXI_SCAN_WORKER'] = '0';
    const f = xlsxFiles('samples/township').find((x) => x.includes('建档立卡'))!;
    const src = await ZipFile.open(f, statSync(f).size);
    let first: string;
    const parts: { name: string; data: Buffer; deflate: boolean; mangle?: (c: Buffer) => Buffer }[] = [];
    try {
      const wb = await readStructure(src);
      first = wb.sheets[0]!.entry.name;
      for (const [name, e] of src.entries) parts.push({ name, data: await src.read(e), deflate: true });
    } finally {
      await src.close();
    }
    for (const p of parts) if (p.name === first) p.mangle = (c) => c.subarray(0, Math.floor(c.length / 2));
    const broken = join(tmp, 'broken-first.xlsx');
    writeFileSync(broken, buildStoredZip(parts));
    const zip = await ZipFile.open(broken, statSync(broken).size);
    try {
      const wb = await readStructure(zip);
      const meter = new PartMeter(zip, DEFAULT_LIMITS, new Deadline(600));
      let rows = 0;
      const read = (async () => {
        for await (const s of readXlsxSheetsLean(zip, wb, { meter })) for await (const b of s.batches) rows += b.length;
      })();
      await expect(read).rejects.toBeInstanceOf(ZipError);
      expect(rows).toBeGreaterThan(0);
      expect(meter.checked.get(wb.sheets[0]!.entry)?.broken).toBe(true);
      expect(meter.checked.has(wb.sheets[1]!.entry)).toBe(false);
    } finally {
      await zip.close();
    }
  });

  it('give a check the same findings, file accounting and summary', { timeout: 120_000 }, async () => {
    const out = (name: string) => join(tmp, name);
    const a = runQingxi(['check', 'samples/township', '--as-of', '2020-04-30', '--out', out('here'), '--json'], { env: { QINGXI_SCAN_WORKER: 'off' } });
    const b = runQingxi(['check', 'samples/township', '--as-of', '2020-04-30', '--out', out('worker'), '--json'], { env: { QINGXI_SCAN_WORKER: '0' } });
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(readFileSync(join(out('worker'), 'findings.jsonl'), 'utf8')).toBe(readFileSync(join(out('here'), 'findings.jsonl'), 'utf8'));
    const summary = (d: string) => {
      const s = JSON.parse(readFileSync(join(d, 'summary.json'), 'utf8'));
      delete s.generatedAt;
      delete s.timings;
      delete s.crossProfile;
      return s;
    };
    expect(summary(out('worker'))).toEqual(summary(out('here')));
  });

  it('are not used for a workbook whose shared strings are too large to copy', () => {
    expect(sharedTooLarge(['张三', null, 'abc'], 5)).toBe(false);
    expect(sharedTooLarge(['张三', null, 'abcd'], 5)).toBe(true);
    const huge = [String('x').repeat(33 * 1024 * 1024)];
    expect(sheetScanWorker({ shared: huge, formats: [], date1904: false, maxColumns: 100, name: 'S' })).toBeUndefined();
    expect(sheetScanWorker({ shared: ['a'], formats: [], date1904: false, maxColumns: 100, name: 'S' })).toBeDefined();
  });

  it('keep the same shared-strings books on both sides: the oldest goes, a book sent again is the newest', () => {
    const c = new BookCache<string>(3);
    for (const b of [1, 2, 3, 4]) c.put(b, `b${b}`);
    expect([1, 2, 3, 4].map((b) => c.has(b))).toEqual([false, true, true, true]);
    c.put(2, 'again');
    c.put(5, 'b5');
    expect([2, 3, 4, 5].map((b) => c.has(b))).toEqual([true, false, true, true]);
    expect(c.get(2)).toBe('again');
  });
});
