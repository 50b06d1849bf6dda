// The lean reader inflates every part once: the limits are judged on the chunks it reads, and a
// sheet's merged ranges (written after its cells) still reach the data rows. What the clerk sees
// must be what the check-everything-first path (the exceljs reader) gives on the same file.
import { statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from '../../src/exceljs.js';
import { ingestFile, type IngestOptions } from '../../src/ingest/index.js';
import { DEFAULT_LIMITS, Deadline, PartMeter, type Limits } from '../../src/ingest/limits.js';
import type { FileAccounting } from '../../src/ingest/types.js';
import { readXlsxSheetsLean } from '../../src/ingest/xlsx-lean.js';
import { mergesInChunks } from '../../src/ingest/merges.js';
import { readStructure, verticalMergesIn } from '../../src/ingest/xlsx.js';
import { buildStoredZip, ZipFile } from '../../src/ingest/zip.js';
import type { Finding, NormalRow } from '../../src/model.js';
import { checkInvariant, writeTmp } from './helpers.js';
import { fileMessage } from '../../validators/file.js';

const HEADER = ['户编号', '姓名', '证件号码', '与户主关系', '家庭人口数'];
const ids = ['11010519491231002X', '440524188001010014', '110105201001010015', '110101198001011237'];

function memberRows(n: number): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [HEADER];
  // numbers and a few repeated texts: the sheets grow, the shared strings stay small
  for (let i = 0; i < n; i++) rows.push([100000 + i, `成员${i % 10}`, ids[i % ids.length]!, '户主', 1]);
  return rows;
}

async function book(sheets: Record<string, (string | number | null)[][]>, merges: Record<string, string[]> = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    ws.addRows(rows);
    for (const m of merges[name] ?? []) ws.mergeCells(m);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The same workbook re-zipped part by part, some parts' compressed bytes spoiled. */
async function repack(xlsx: Buffer, mangle: Record<string, (compressed: Buffer) => Buffer>): Promise<Buffer> {
  const p = writeTmp('src.xlsx', xlsx);
  const zip = await ZipFile.open(p, statSync(p).size);
  try {
    const parts = [];
    for (const [name, e] of zip.entries) parts.push({ name, data: await zip.read(e), deflate: true, ...(mangle[name] ? { mangle: mangle[name] } : {}) });
    return buildStoredZip(parts);
  } finally {
    await zip.close();
  }
}

interface Seen {
  acc: FileAccounting;
  rows: NormalRow[];
  findings: Finding[];
}

/** Ingests with a sink that forgets a skipped file's rows and findings (as file-check.ts does). */
async function read(path: string, opts: IngestOptions): Promise<Seen> {
  let rows: NormalRow[] = [];
  let findings: Finding[] = [];
  const acc = await ingestFile(path, 'book.xlsx', {
    row: (r) => rows.push(r),
    finding: (f) => findings.push(f),
    discard: () => {
      rows = [];
      findings = [];
    },
  }, opts);
  checkInvariant(acc);
  return { acc, rows, findings };
}

/** Lean and exceljs readers: the same accounting, rows and findings. */
async function bothReaders(path: string, limits: Limits): Promise<Seen> {
  const lean = await read(path, { limits, xlsxReader: 'lean' });
  const exceljs = await read(path, { limits, xlsxReader: 'exceljs' });
  expect(JSON.stringify(lean)).toBe(JSON.stringify(exceljs));
  return lean;
}

const limitOf = (s: Seen) => s.findings.filter((f) => f.rule === 'FILE-04').map((f) => f.params?.['limit']);

// every case twice: sheets scanned in this thread, and read, inflated, metered and scanned in the
// reader worker (QINGXI_SCAN_WORKER=0 sends every sheet there; the next sheet is then read ahead)
describe.each(['here', 'worker'] as const)('lean reader, one inflate per part (sheets read %s)', (where) => {
  const before = process.env['QINGXI_SCAN_WORKER'];
  beforeEach(() => {
    process.env['QINGXI_SCAN_WORKER'] = where === 'worker' ? '0' : 'off';
  });
  afterEach(() => {
    if (before === undefined) delete process.env['QINGXI_SCAN_WORKER'];
    else process.env['QINGXI_SCAN_WORKER'] = before;
  });

  it('meters every part while reading it: sizes counted, nothing broken', async () => {
    const p = writeTmp('two.xlsx', await book({ 甲: memberRows(50), 乙: memberRows(20) }));
    const zip = await ZipFile.open(p, statSync(p).size);
    try {
      const wb = await readStructure(zip);
      const meter = new PartMeter(zip, DEFAULT_LIMITS, new Deadline(600));
      let rows = 0;
      for await (const s of readXlsxSheetsLean(zip, wb, { meter })) for await (const b of s.batches) for (const r of b) rows += r.row > 0 ? 1 : 0;
      expect(rows).toBe(72);
      for (const e of [wb.workbook, wb.styles!, wb.sharedStrings!, ...wb.sheets.map((s) => s.entry)]) {
        expect(meter.checked.get(e)).toEqual({ inflatedBytes: e.size, broken: false, inflateFailed: false });
      }
    } finally {
      await zip.close();
    }
  });

  it('merged ranges are known once the first row is read, and fill the data rows', async () => {
    const p = writeTmp(
      'merged.xlsx',
      await book(
        {
          成员: [HEADER, ['H001', '张三', ids[0]!, '户主', 3], [null, '李四', ids[1]!, '配偶', null], [null, '张小', ids[2]!, '之子', null], ['H002', '王五', ids[3]!, '户主', 1]],
        },
        { 成员: ['A2:A4', 'E2:E4', 'B5:C5'] },
      ),
    );
    const zip = await ZipFile.open(p, statSync(p).size);
    try {
      const wb = await readStructure(zip);
      for await (const s of readXlsxSheetsLean(zip, wb)) {
        const it = s.batches[Symbol.asyncIterator]();
        await it.next();
        // horizontal merges (one row) are not kept
        expect(s.merges).toEqual([
          { col: 0, top: 2, bottom: 4 },
          { col: 4, top: 2, bottom: 4 },
        ]);
        await it.return?.(undefined);
      }
    } finally {
      await zip.close();
    }
    const seen = await bothReaders(p, DEFAULT_LIMITS);
    expect(seen.rows.filter((r) => r.table === 'members').map((r) => (r.v as { householdNo?: string }).householdNo)).toEqual(['H001', 'H001', 'H001', 'H002']);
  });

  it('an inflated part over its limit skips the whole file, rows already read from earlier sheets included', async () => {
    const p = writeTmp('big-second.xlsx', await book({ 小表: memberRows(5), 大表: memberRows(3000) }));
    const seen = await bothReaders(p, { ...DEFAULT_LIMITS, inflatedBytesPerPart: 64 * 1024 });
    expect(seen.acc.readable).toBe(false);
    expect(seen.acc.sheets).toEqual([]);
    expect(seen.rows).toEqual([]);
    expect(limitOf(seen)).toEqual(['inflatedBytesPerPart']);
    expect(fileMessage(seen.findings[0]!)).toContain('工作表「大表」：超过单个部件解压后大小上限');
  });

  it('the file-wide inflated total fires on the sheet that passes it', async () => {
    const p = writeTmp('total.xlsx', await book({ 一: memberRows(1500), 二: memberRows(1500) }));
    const sizes = await (async () => {
      const zip = await ZipFile.open(p, statSync(p).size);
      try {
        const wb = await readStructure(zip);
        return { sheet: wb.sheets[0]!.entry.size, all: [...zip.entries.values()].reduce((n, e) => n + e.size, 0) };
      } finally {
        await zip.close();
      }
    })();
    const seen = await bothReaders(p, { ...DEFAULT_LIMITS, inflatedBytesPerFile: sizes.all - sizes.sheet / 2 });
    expect(limitOf(seen)).toEqual(['inflatedBytesPerFile']);
    expect(seen.rows).toEqual([]);
  });

  it('a row-level limit early in the file gives way to an inflate limit further on (as when every part was checked first)', async () => {
    const wide = memberRows(5);
    wide[3]![40] = '远处的值';
    const p = writeTmp('wide-then-big.xlsx', await book({ 宽表: wide, 大表: memberRows(3000) }));
    const seen = await bothReaders(p, { ...DEFAULT_LIMITS, columnsPerRow: 20, inflatedBytesPerPart: 64 * 1024 });
    expect(limitOf(seen)).toEqual(['inflatedBytesPerPart']);
    // without the later limit, the row-level one is reported
    const alone = await bothReaders(p, { ...DEFAULT_LIMITS, columnsPerRow: 20 });
    expect(limitOf(alone)).toEqual(['columnsPerRow']);
  });

  it('a sheet broken part-way: its rows up to the break are read and reported, unless a later part is over a limit', async () => {
    const xlsx = await book({ 坏表: memberRows(1200), 大表: memberRows(3000), 小表: memberRows(3) });
    const cut = (c: Buffer) => c.subarray(0, Math.floor(c.length / 2));
    const broken = writeTmp('broken.xlsx', await repack(xlsx, { 'xl/worksheets/sheet1.xml': cut }));
    const reported = await bothReaders(broken, DEFAULT_LIMITS);
    expect(reported.acc.readable).toBe(true);
    expect(reported.findings.filter((f) => f.rule === 'FILE-04').map((f) => f.code)).toEqual(['broken-sheet']);
    const data = reported.acc.sheets[0]!.buckets.data;
    expect(data).toBeGreaterThan(100);
    expect(data).toBeLessThan(1200);
    const limited = await bothReaders(broken, { ...DEFAULT_LIMITS, inflatedBytesPerPart: 256 * 1024 });
    expect(limitOf(limited)).toEqual(['inflatedBytesPerPart']);
    expect(limited.rows).toEqual([]);
  });

  it('a broken shared-strings part makes the file unreadable before any row, as before', async () => {
    const xlsx = await book({ 表: memberRows(500) });
    const p = writeTmp('bad-sst.xlsx', await repack(xlsx, { 'xl/sharedStrings.xml': (c) => c.subarray(0, c.length - 40) }));
    const seen = await bothReaders(p, DEFAULT_LIMITS);
    expect(seen.acc.readable).toBe(false);
    expect(seen.findings.map((f) => f.code)).toEqual(['corrupt-zip']);
    expect(seen.rows).toEqual([]);
  });

  it('one huge run of text (bytesPerCell) is caught while the part inflates', async () => {
    const rows = memberRows(3);
    rows[2]![1] = '长'.repeat(40_000);
    const p = writeTmp('huge-cell.xlsx', await book({ 表: rows }));
    const seen = await bothReaders(p, { ...DEFAULT_LIMITS, bytesPerCell: 64 * 1024 });
    expect(limitOf(seen)).toEqual(['bytesPerCell']);
  });

  it('a sheet with more merged ranges than a function call takes arguments is read', async () => {
    const src = writeTmp('many-merges-src.xlsx', await book({ 表: memberRows(3) }));
    const zip = await ZipFile.open(src, statSync(src).size);
    const parts = [];
    try {
      for (const [name, e] of zip.entries) {
        let data = await zip.read(e);
        if (name === 'xl/worksheets/sheet1.xml') {
          const merges = Array.from({ length: 200_000 }, (_, i) => `<mergeCell ref="F${i * 3 + 10}:F${i * 3 + 12}"/>`).join('');
          data = Buffer.from(data.toString('utf8').replace('</sheetData>', `</sheetData><mergeCells count="200000">${merges}</mergeCells>`));
        }
        parts.push({ name, data, deflate: true });
      }
    } finally {
      await zip.close();
    }
    const seen = await read(writeTmp('many-merges.xlsx', buildStoredZip(parts)), { limits: DEFAULT_LIMITS, xlsxReader: 'lean' });
    expect(seen.acc.readable).toBe(true);
    expect(seen.rows.filter((r) => r.table === 'members')).toHaveLength(3);
  });

  it('finds the last merge list in a part held as chunks, wherever the chunks are cut', () => {
    const xml = Buffer.from(
      '<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:A3"/></mergeCells>' +
        '<extLst><mergeCells count="1"><mergeCell ref="B2:B9"/><mergeCell ref="C2:D2"/></mergeCells></extLst></worksheet>',
    );
    const whole = verticalMergesIn(xml);
    expect(whole).toEqual([{ col: 1, top: 2, bottom: 9 }]);
    for (let a = 1; a < xml.length - 1; a += 3) {
      for (const b of [a + 1, a + 7, a + 40]) {
        if (b >= xml.length) continue;
        expect(mergesInChunks([xml.subarray(0, a), xml.subarray(a, b), xml.subarray(b)])).toEqual(whole);
      }
    }
    expect(mergesInChunks([Buffer.from('<worksheet><sheetData/>'), Buffer.from('</worksheet>')])).toEqual([]);
  });
});
