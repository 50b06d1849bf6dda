import { afterAll, describe, expect, it } from 'vitest';
import ExcelJS from '../../src/exceljs.js';
import { writeCorrectionWorkbooks } from '../../src/outputs/workbook.js';
import { writeVerifyWorkbook } from '../../src/outputs/verify-workbook.js';
import { judge } from '../../src/outputs/verify.js';
import { finding, input, tempDir, removeTempDirs, village, xlsxParts } from './fixtures.js';

afterAll(removeTempDirs);

const HOSTILE = ['=1+1', '+cmd|/C calc!A0', '-2', '@SUM(A1)', '=HYPERLINK("http://example.com","x")', '\t=1', '-2+3'];

function hostileFindings() {
  return HOSTILE.map((h, i) =>
    finding({
      rule: 'BASE-01',
      household: i === 3 ? '=H1' : `H${i}`,
      name: h,
      id: h,
      village: i % 2 ? '=村' : '@村',
      field: 'mainCause',
      value: h,
      expected: h,
      message: `${h} 说明`,
      code: String(i),
    }),
  );
}

/** Every worksheet part must be free of formula elements. */
function assertNoFormula(parts: Map<string, string>): number {
  let sheets = 0;
  for (const [name, xml] of parts) {
    if (!/^xl\/worksheets\/sheet\d+\.xml$/.test(name)) continue;
    sheets++;
    expect(xml, name).not.toMatch(/<f[\s>/]/);
    expect(xml, name).not.toMatch(/t="str"/); // formula string results
  }
  return sheets;
}

describe('no formula cell anywhere', () => {
  it('整改台账: hostile values are written as plain strings', async () => {
    const dir = await tempDir('f');
    const paths = await writeCorrectionWorkbooks(input(hostileFindings(), [village({ village: '@村' }), village({ village: '=村' })]), dir, 'township');
    expect(paths).toHaveLength(1);
    const parts = await xlsxParts(paths[0]!);
    expect(assertNoFormula(parts)).toBe(5); // 说明, 汇总, 问题清单, 打印清单, 规则说明
    // each hostile text sits in a string cell (inline string), exactly as written
    const issues = [...parts.entries()].find(([n, x]) => n.startsWith('xl/worksheets/') && x.includes('HYPERLINK'))![1];
    for (const h of ['=1+1', '+cmd|/C calc!A0', '@SUM(A1)', '=HYPERLINK(&quot;http://example.com&quot;,&quot;x&quot;)', '=村', '=H1', '-2']) {
      expect(issues).toMatch(new RegExp(`<c r="[A-Z]+\\d+"[^>]* t="inlineStr"><is><r><t[^>]*>${h.replace(/[|()+.]/g, '\\$&')}</t></r></is></c>`));
    }
    // read back: the cells are strings with exactly the source text, not formulas or numbers
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(paths[0]!);
    const ws = wb.getWorksheet('问题清单')!;
    const names: unknown[] = [];
    ws.eachRow((r, n) => {
      if (n === 1) return;
      r.eachCell((c) => expect(c.type).not.toBe(ExcelJS.ValueType.Formula));
      names.push(r.getCell(7).text);
    });
    expect(names.sort()).toEqual([...HOSTILE].sort());
    expect(ws.getRow(2).getCell(7).type).toBe(ExcelJS.ValueType.RichText); // an inline string
  });

  it('检验核查结果 workbook: same guarantee', async () => {
    const dir = await tempDir('f2');
    const fs = hostileFindings();
    const rows = fs.slice(0, 3).map((f) => ({
      file: '=x.xlsx',
      sheet: '问题清单',
      row: 2,
      fingerprint: f.fingerprint,
      rule: f.rule,
      ruleText: '=BASE-01',
      county: '+县',
      township: '-镇',
      village: '@村',
      householdNo: f.householdNo!,
      name: f.name!,
      idNumber: f.idNumber!,
      field: '=字段',
      value: '=1+1',
      result: '已修正' as const,
      remark: '=SUM(1)',
      corrected: '+1',
      verifier: '@me',
      verifiedOn: '-1',
    }));
    const out = judge(rows, fs);
    const p = `${dir}/v.xlsx`;
    await writeVerifyWorkbook(p, {
      asOf: '2020-06-30',
      checkedAt: '2020-07-01T00:00:00Z',
      corrections: ['=a.xlsx'],
      sources: ['+b.csv'],
      rows: out.rows,
      villages: [],
      newFindings: out.newFindings,
      notes: ['=note'],
    });
    const parts = await xlsxParts(p);
    expect(assertNoFormula(parts)).toBe(5);
    // the remark sits in the stacked 核实情况 cell of the printable layout, still an inline string
    expect([...parts.values()].some((x) => /t="inlineStr"><is><r><t[^>]*>[^<]*备注：=SUM\(1\)/.test(x))).toBe(true);
  });
});
