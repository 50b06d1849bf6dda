// Legacy workbooks (.xls BIFF8, WPS .et, HTML and XML spreadsheets named .xls): the same data
// written as .xlsx and as .xls by SheetJS gives the same rows and findings.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type * as XLSXNs from '@e965/xlsx';
import type { MemberRow } from '../../src/schema/rows.js';
import { DEFAULT_LIMITS } from '../../src/ingest/limits.js';
import { findingsOf, ingest, msg, rowsOf, tmpDir, writeTmp, type Collected } from './helpers.js';

const XLSX = createRequire(import.meta.url)('@e965/xlsx') as typeof XLSXNs;

type Cell = string | number | Date | null;

interface SheetDef {
  rows: Cell[][];
  merges?: string[];
  hidden?: boolean;
}

/** Writes one workbook with SheetJS in the given format; returns its path. */
function writeBook(sheets: Record<string, SheetDef>, bookType: 'xlsx' | 'biff8', name: string): string {
  const wb = XLSX.utils.book_new();
  for (const [sheetName, def] of Object.entries(sheets)) {
    const ws = XLSX.utils.aoa_to_sheet(def.rows, { cellDates: true, dateNF: 'yyyy-mm-dd' });
    if (def.merges) ws['!merges'] = def.merges.map((m) => XLSX.utils.decode_range(m));
    XLSX.utils.book_append_sheet(wb, ws, sheetName);
  }
  wb.Workbook = { Sheets: Object.values(sheets).map((d) => ({ Hidden: d.hidden ? 1 : 0 })) };
  const p = join(tmpDir(), name);
  // compression: the xlsx side deflates its parts (SheetJS stores them uncompressed by default,
  // which the current xlsx zip layer misreads — a separate issue of the xlsx reader)
  writeFileSync(p, XLSX.write(wb, { type: 'buffer', bookType, compression: true }) as Buffer);
  return p;
}

const d = (y: number, m: number, day: number) => new Date(Date.UTC(y, m - 1, day));

/** A township export: title row, two-row merged header, 户编号 merged down, dates, numeric IDs. */
const BOOK: Record<string, SheetDef> = {
  成员: {
    rows: [
      ['XX镇建档立卡贫困人口信息表'],
      ['户编号', '成员信息', null, null, null, '出生日期', '家庭人口数', '人均纯收入', '脱贫标志'],
      [null, '姓名', '证件号码', '与户主关系', '性别', null, null, null, null],
      ['H001', '张三', '430524199001011234', '户主', '男', d(1990, 1, 1), 3, 3500.5, '已脱贫'],
      [null, '李四', 430524199201011000, '配偶', '女', d(1992, 1, 1), null, null, null],
      [null, '张小', '430524201501011230', '之子', '男', d(2015, 1, 1), null, null, null],
      ['H002', '王五', '43052419800101123X', '户主', '男', '1980/1/1', 1, 2800, '未脱贫'],
      ['合计', null, '4人'],
    ],
    merges: ['A2:A3', 'B2:E2', 'F2:F3', 'G2:G3', 'H2:H3', 'I2:I3', 'A4:A6', 'G4:G6', 'H4:H6', 'I4:I6'],
  },
  帮扶责任人: {
    rows: [
      ['姓名', '证件号码', '帮扶单位', '联系电话'],
      ['赵六', 110101198001011237, '县农业局', 13800000000],
    ],
  },
  下拉选项: {
    rows: [['性别', '与户主关系'], ['男', '户主'], ['女', '配偶']],
    hidden: true,
  },
};

function comparable(c: Collected, file: string) {
  const strip = (x: unknown) => JSON.parse(JSON.stringify(x).replaceAll(file, 'FILE'));
  return {
    rows: strip(c.rows),
    findings: strip(c.findings),
    sheets: strip(c.acc.sheets.map((s) => ({ ...s, buckets: { ...s.buckets, blank: 0 }, physicalRows: 0 }))),
  };
}

describe('.xls (BIFF8) read like .xlsx', () => {
  test('the same data as .xlsx and as .xls: same rows, same findings', async () => {
    const x = await ingest(writeBook(BOOK, 'xlsx', 'book.xlsx'), 'book.xlsx');
    const l = await ingest(writeBook(BOOK, 'biff8', 'book.xls'), 'book.xls');
    expect(x.acc.format).toBe('xlsx');
    expect(l.acc.format).toBe('xls');
    expect(l.acc.readable).toBe(true);
    expect(comparable(l, 'book.xls')).toEqual(comparable(x, 'book.xlsx'));

    // and what they agree on is right
    expect(l.acc.sheets.map((s) => s.sheet)).toEqual(['成员', '帮扶责任人', '下拉选项']);
    const s = l.acc.sheets[0]!;
    expect(s.headerRows).toEqual([2, 3]);
    expect(s.buckets).toMatchObject({ title: 1, header: 2, data: 4, footer: 1 });
    const members = rowsOf(l, 'members') as MemberRow[];
    // 户编号 merged down over the household's rows reaches each of them
    expect(members.map((m) => m.v.householdNo)).toEqual(['H001', 'H001', 'H001', 'H002']);
    // a date cell, and a date written as text
    expect(members[0]!.v.birthDate).toEqual({ y: 1990, m: 1, d: 1 });
    expect(members[3]!.v.birthDate).toEqual({ y: 1980, m: 1, d: 1 });
    // an ID typed as a number is a numeric cell (ID-10's business), a text ID is not
    expect(members[1]!.v.idNumber).toMatchObject({ numericCell: true });
    expect(members[0]!.v.idNumber).toMatchObject({ text: '430524199001011234', numericCell: false });
    const households = rowsOf(l, 'households');
    expect(households.length).toBeGreaterThan(0);
    // the merged-down 家庭人口数 too
    expect(JSON.stringify(households[0]!.v)).toContain('3500.5');
  });

  test('legacy workbooks read at once take turns, and a broken one does not hold up the others', async () => {
    const good = writeBook(BOOK, 'biff8', 'good.xls');
    const broken = readFileSync(good);
    const bad = writeTmp('bad.xls', broken.subarray(0, 1536)); // the OLE header survives, the rest is gone
    const [a, b, c] = await Promise.all([ingest(good, 'a.xls'), ingest(bad, 'bad.xls'), ingest(good, 'c.xls')]);
    expect(rowsOf(a, 'members')).toHaveLength(4);
    expect(rowsOf(c, 'members')).toHaveLength(4);
    expect(b.findings.map((f) => f.rule)).toEqual(['FILE-04']);
  });

  test('a BIFF8 file named .et (WPS) is read; the extension never decides', async () => {
    const p = writeBook(BOOK, 'biff8', 'book.xls');
    const et = writeTmp('表格.et', readFileSync(p));
    const c = await ingest(et, '表格.et');
    expect(c.acc.format).toBe('xls');
    expect(rowsOf(c, 'members')).toHaveLength(4);
    expect(findingsOf(c, 'FILE-04')).toHaveLength(0);
  });

  test('a password-protected .xls (FILEPASS record): FILE-04 telling how to remove the password', async () => {
    // a BIFF8 workbook with a FilePass record (XOR obfuscation) right after its BOF, as Excel
    // writes one when an open password is set
    const cfb = XLSX.CFB.read(readFileSync(writeBook(BOOK, 'biff8', 'plain.xls')), { type: 'buffer' });
    const entry = XLSX.CFB.find(cfb, 'Workbook')!;
    const data = Buffer.from(entry.content as Uint8Array);
    const bofEnd = 4 + data.readUInt16LE(2);
    const filePass = Buffer.from([0x2f, 0x00, 0x06, 0x00, 0x00, 0x00, 0x34, 0x12, 0x78, 0x56]);
    entry.content = Buffer.concat([data.subarray(0, bofEnd), filePass, data.subarray(bofEnd)]);
    entry.size = entry.content.length;
    const p = writeTmp('加密.xls', XLSX.CFB.write(cfb, { type: 'buffer' }) as Buffer);
    const c = await ingest(p, '加密.xls');
    expect(c.findings.map((f) => f.rule)).toEqual(['FILE-04']);
    expect(c.findings[0]!.code).toBe('encrypted');
    expect(msg(c.findings[0]!)).toMatch(/Excel 97-2003[\s\S]*打开密码[\s\S]*取消打开密码后另存为 \.xlsx/);
    expect(c.acc.readable).toBe(false);
  });

  test('over the .xls size cap: FILE-04 naming the limit, nothing read', async () => {
    const p = writeBook(BOOK, 'biff8', 'big.xls');
    const c = await ingest(p, 'big.xls', { limits: { ...DEFAULT_LIMITS, xlsMaxBytes: 1000 } });
    const f = findingsOf(c, 'FILE-04');
    expect(f).toHaveLength(1);
    expect(f[0]!.code).toBe('too-large');
    expect(msg(f[0]!)).toContain('上限 0.0 MB');
    expect(msg(f[0]!)).toContain('limits.xlsMaxBytes');
    expect(msg(f[0]!)).toContain('另存为');
    expect(c.rows).toHaveLength(0);
  });
});

describe('.xls dates', () => {
  test('a workbook in the 1904 date system (old Mac Excel) gives the same dates', async () => {
    for (const date1904 of [false, true]) {
      const wb = XLSX.utils.book_new();
      const ws = XLSX.utils.aoa_to_sheet(
        [['户编号', '姓名', '证件号码', '与户主关系', '出生日期'], ['H001', '张三', '430524199001011234', '户主', d(1990, 1, 1)]],
        { cellDates: true, dateNF: 'yyyy-mm-dd' },
      );
      XLSX.utils.book_append_sheet(wb, ws, '成员');
      wb.Workbook = { WBProps: { date1904 } };
      const p = writeTmp(`d${date1904}.xls`, XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer);
      const members = rowsOf(await ingest(p), 'members') as MemberRow[];
      expect(members[0]!.v.birthDate, `date1904=${date1904}`).toEqual({ y: 1990, m: 1, d: 1 });
    }
  });
});

describe('text spreadsheets named .xls', () => {
  test('an HTML table (GBK, meta charset): cells as written, an 18-digit ID keeps every digit', async () => {
    const html =
      '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body><table>' +
      '<tr><td colspan="4">XX村贫困人口名单</td></tr>' +
      '<tr><td>户编号</td><td>姓名</td><td>证件号码</td><td>与户主关系</td></tr>' +
      '<tr><td>H001</td><td>张三</td><td>430524199001011234</td><td>户主</td></tr>' +
      '<tr><td>H001</td><td>李四</td><td>43052419920101124X</td><td>配偶</td></tr>' +
      '</table></body></html>';
    const iconv = (await import('iconv-lite')).default;
    const c = await ingest(writeTmp('export.xls', iconv.encode(html, 'gb18030')), 'export.xls');
    expect(c.acc.format).toBe('xls');
    expect(c.acc.sheets[0]!.headerRows).toEqual([2]);
    const members = rowsOf(c, 'members') as MemberRow[];
    expect(members.map((m) => m.v.name)).toEqual(['张三', '李四']);
    expect(members[0]!.v.idNumber).toMatchObject({ text: '430524199001011234', numericCell: false });
    expect(findingsOf(c, 'ID-10')).toHaveLength(0);
  });

  test('an Excel 2003 XML spreadsheet', async () => {
    const cell = (v: string, t = 'String') => `<Cell><Data ss:Type="${t}">${v}</Data></Cell>`;
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<?mso-application progid="Excel.Sheet"?>\n' +
      '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">' +
      '<Worksheet ss:Name="成员"><Table>' +
      `<Row>${cell('户编号')}${cell('姓名')}${cell('证件号码')}${cell('与户主关系')}</Row>` +
      `<Row>${cell('H001')}${cell('张三')}${cell('430524199001011234')}${cell('户主')}</Row>` +
      '</Table></Worksheet></Workbook>';
    const c = await ingest(writeTmp('old.xls', xml), 'old.xls');
    expect(c.acc.sheets.map((s) => s.sheet)).toEqual(['成员']);
    expect((rowsOf(c, 'members') as MemberRow[]).map((m) => m.v.name)).toEqual(['张三']);
    // the same file saved in GB2312, as its prolog says
    const iconv = (await import('iconv-lite')).default;
    const gbk = iconv.encode(xml.replace('encoding="UTF-8"', 'encoding="GB2312"'), 'gb18030');
    const g = await ingest(writeTmp('old-gbk.xls', gbk), 'old-gbk.xls');
    expect((rowsOf(g, 'members') as MemberRow[]).map((m) => m.v.name)).toEqual(['张三']);
  });
});
