import { describe, expect, test } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceRow } from '../../src/ingest/xlsx.js';
import { detectHeader } from '../../src/ingest/header.js';
import { FIXTURES, ingest, writeTmp, writeXlsx, type Collected } from './helpers.js';

const fixtureFiles = readdirSync(FIXTURES).filter((f) => !f.endsWith('.py'));

describe('accounting', () => {
  test.each(fixtureFiles)('every physical row of %s lands in exactly one bucket', async (f) => {
    const c = await ingest(join(FIXTURES, f), f);
    // ingest() checks sum(buckets) = physicalRows per sheet; here: data rows ↔ emitted rows
    for (const s of c.acc.sheets) {
      const emitted = new Set(c.rows.filter((r) => r.at.sheet === s.sheet).map((r) => r.at.row));
      expect(emitted.size).toBe(s.buckets.data);
      const rejected = c.findings.filter((x) => x.rule === 'FILE-03' && x.at?.sheet === s.sheet);
      expect(rejected).toHaveLength(s.buckets.rejected);
    }
  });

  test('several files ingested at once give the same results as one by one', async () => {
    const book = await writeXlsx({
      成员: [['户编号', '姓名', '证件号码', '与户主关系'], ...Array.from({ length: 300 }, (_, i) => [`H${i}`, `人${i}`, `43052419900101${1000 + i}`, '户主'])],
      户: [['户编号', '贫困户属性'], ...Array.from({ length: 300 }, (_, i) => [`H${i}`, '一般贫困户'])],
    });
    const csv = writeTmp('c.csv', '户编号,姓名,证件号码,与户主关系\n' + Array.from({ length: 500 }, (_, i) => `C${i},名${i},1101011980010${1000 + i},户主`).join('\n'));
    const files = [book, csv, join(FIXTURES, 'late-parts.xlsx'), join(FIXTURES, 'households-gbk.csv'), book, csv];
    const strip = (c: Collected) => JSON.stringify({ acc: c.acc, rows: c.rows.map((r) => [r.table, r.at, r.v]), findings: c.findings });
    const sequential: string[] = [];
    for (const f of files) sequential.push(strip(await ingest(f, f)));
    const parallel = await Promise.all(files.map((f) => ingest(f, f)));
    expect(parallel.map(strip)).toEqual(sequential);
    // progress is reported and ends at the file's physical row count
    const p0 = parallel[0]!;
    expect(p0.progress.at(-1)).toBe(p0.acc.sheets.reduce((n, s) => n + s.physicalRows, 0));
  });
});

describe('header detection', () => {
  const row = (n: number, cells: (string | null)[]): SourceRow => ({ row: n, cells });

  test('a lower row adding household columns under a member header makes a two-row header', () => {
    const h = detectHeader([
      row(1, ['户编号', '姓名', '证件号码', '与户主关系', '收入情况', null]),
      row(2, [null, null, null, null, '工资性收入', '转移性收入']),
      row(3, ['H1', '张三', '43052419900101123X', '户主', '100', '200']),
    ]);
    if (!h.ok) throw new Error('header not found');
    expect(h.headerRows).toEqual([1, 2]);
    expect(h.tables).toEqual(['members', 'households']);
    const hh = h.bindings.get('households')!.map((b) => [b.col, b.key]);
    expect(hh).toEqual([
      [0, 'householdNo'],
      [4, 'incomeWage'],
      [5, 'incomeTransfer'],
    ]);
    // 户编号 feeds both tables from the same column
    expect(h.bindings.get('members')![0]).toMatchObject({ col: 0, key: 'householdNo' });
  });

  test('a data row right under the header is not taken as a second header row', () => {
    const h = detectHeader([
      row(1, ['户编号', '姓名', '证件号码', '与户主关系']),
      row(2, ['H1', '村', '43052419900101123X', '户主']),
    ]);
    expect(h.ok && h.headerRows).toEqual([1]);
  });

  test('a units row under the header belongs to the header', () => {
    const h = detectHeader([
      row(1, ['户编号', '贫困户属性', '人均纯收入', '家庭人口数']),
      row(2, [null, null, '（元）', '(人)']),
      row(3, ['H1', '一般贫困户', '3000', '4']),
    ]);
    if (!h.ok) throw new Error('header not found');
    expect(h.headerRows).toEqual([1, 2]);
    expect(h.bindings.get('households')!.find((b) => b.key === 'incomePerCapita')).toMatchObject({ col: 2, unit: '元' });
  });

  test('units and inverse headers are carried on the bindings', () => {
    const h = detectHeader([row(5, ['户编号', '人均纯收入（元）', '饮水是否困难', '总投资(万元)'])]);
    if (!h.ok) throw new Error('header not found');
    expect(h.headerRows).toEqual([5]);
    const b = h.bindings.get('households')!;
    expect(b.find((x) => x.key === 'incomePerCapita')).toMatchObject({ col: 1, unit: '元' });
    expect(b.find((x) => x.key === 'waterOk')).toMatchObject({ col: 2, inverse: true });
    expect(h.unknown.map((c) => c.text)).toEqual(['总投资(万元)']);
  });

  test('no header: best guess and missing required headers of the closest table', () => {
    const h = detectHeader([row(1, ['说明']), row(2, ['项目编号', '建设内容'])]);
    expect(h.ok).toBe(false);
    if (h.ok) return;
    expect(h.bestRow).toBe(2);
    expect(h.guessTable).toBe('projects');
    expect(h.missingLabels).toEqual(['项目名称', '项目类别']);
  });
});
