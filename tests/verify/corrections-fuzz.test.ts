// A filled 整改台账 comes back from the clerk in whatever state a spreadsheet program and a person
// leave it: any cell may hold a huge or odd number, an impossible date, a formula, rich text, an
// error value, a hyperlink, very long text, or be emptied; rows may be deleted. Reading it gives the
// corrections or a Chinese reason — never a crash — and verify runs to its outputs.
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import ExcelJS from '../../src/exceljs.js';
import { readCorrections } from '../../src/verify/read-corrections.js';
import { runVerify } from '../../src/verify/run.js';
import { loadConfigFile } from '../../src/config.js';
import { RULES } from '../../validators/index.js';
import { removeTempDirs, sampleTownshipWorkbook } from '../outputs/fixtures.js';

afterAll(removeTempDirs);

const ODD: ExcelJS.CellValue[] = [
  1e308, -0, Number.NaN, Number.POSITIVE_INFINITY, '', ' ', '1E999999999', new Date(Number.NaN), new Date(8.64e15),
  { formula: 'A1+1', result: 3 } as ExcelJS.CellFormulaValue, { error: '#N/A' } as ExcelJS.CellErrorValue,
  { richText: [{ text: '已' }, { text: '整改' }] }, { text: '链接', hyperlink: 'http://example.invalid' }, true, false,
  '=1+1', 'x'.repeat(40_000), '\u0000', '已整改', '数据无误', null,
];

describe('a filled 整改台账 mangled cell by cell', () => {
  it('is read or refused in Chinese, and verify runs', { timeout: 180_000 }, async () => {
    const config = loadConfigFile(undefined, RULES);
    const { dir, path: base } = await sampleTownshipWorkbook('corrections-fuzz');
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const unmangled = await readCorrections(base);
    expect(unmangled.rows.length).toBeGreaterThan(20);
    const mangled: string[] = [];
    let read = 0;
    let refused = 0;
    for (let k = 0; k < 12; k++) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(base);
      for (const ws of wb.worksheets) {
        for (let m = 0; m < 25; m++) ws.getCell(1 + rnd(ws.rowCount + 2), 1 + rnd(ws.columnCount + 2)).value = ODD[rnd(ODD.length)]!;
        if (rnd(4) === 0) ws.spliceRows(1 + rnd(5), 1);
      }
      const path = join(dir, `整改台账_${k}.xlsx`);
      await wb.xlsx.writeFile(path);
      mangled.push(path);
      try {
        const got = await readCorrections(path);
        read++;
        expect(got.rows.length).toBeLessThanOrEqual(unmangled.rows.length);
      } catch (e) {
        refused++;
        const err = e as Error;
        expect(err.name, err.message).not.toMatch(/^(TypeError|RangeError|ReferenceError|SyntaxError)$/);
        expect(err.message).toMatch(/[\u4e00-\u9fff]/);
      }
    }
    expect(read + refused).toBe(12);
    expect(read).toBeGreaterThan(0); // most mangled workbooks are still read
    let verified = 0;
    for (const path of mangled.slice(0, 3)) {
      try {
        const v = await runVerify({ corrections: [path], paths: ['samples/township'], config, out: join(dir, `v-${mangled.indexOf(path)}`) });
        expect(v).toBeDefined();
        verified++;
      } catch (e) {
        expect((e as Error).message).toMatch(/[\u4e00-\u9fff]/);
      }
    }
    expect(verified).toBeGreaterThan(0);
  });
});
