// The verify scenario shared by the verify tests: a workbook of 8 findings filled by a clerk.
import ExcelJS from '../../src/exceljs.js';
import type { ResolvedFinding } from '../../src/model.js';
import { ISSUE_HEADERS } from '../../src/outputs/workbook.js';
import { finding } from './fixtures.js';

// The scenario: a workbook of 8 findings filled by a clerk, then a fresh export.
export function scenario() {
  const f = {
    fixed: finding({ rule: 'ID-03', household: 'H001', name: '张三', id: '430524199001011234', village: '一村', field: 'idNumber' }),
    claimedFixed: finding({ rule: 'ID-06', household: 'H001', name: '李四', id: '430524199202021236', village: '一村', field: 'gender', value: '=1+1' }),
    explained: finding({ rule: 'BASE-01', household: 'H002', village: '一村', field: 'mainCause' }),
    noRemark: finding({ rule: 'BASE-01', household: 'H003', village: '二村', field: 'mainCause' }),
    unverifiable: finding({ rule: 'BASE-04', household: 'H003', village: '二村', severity: 'suspect' }),
    empty: finding({ rule: 'BASE-01', household: 'H004', village: '二村', field: 'status' }),
    goneUnmarked: finding({ rule: 'BASE-01', household: 'H005', village: '二村', field: 'status' }),
    deleted: finding({ rule: 'ID-03', household: 'H006', name: '赵六', id: '430524199505051237', village: '二村', field: 'idNumber' }),
  };
  const brandNew = finding({ rule: 'BASE-01', household: 'H007', village: '一村', field: 'status' });
  const elsewhere = finding({ rule: 'BASE-01', household: 'X001', township: '别的镇', village: '三村', field: 'status' });
  const fresh: ResolvedFinding[] = [f.claimedFixed, f.explained, f.noRemark, f.unverifiable, f.empty, f.deleted, brandNew, elsewhere];
  const fill: Record<string, { result?: string; remark?: string; corrected?: string }> = {
    [f.fixed.fingerprint]: { result: '已修正', corrected: '430524199001011235' },
    [f.claimedFixed.fingerprint]: { result: '已修正', corrected: '女' },
    [f.explained.fingerprint]: { result: '数据无误', remark: '经入户核实，致贫原因属实' },
    [f.noRemark.fingerprint]: { result: '数据无误' },
    [f.unverifiable.fingerprint]: { result: '无法核实', remark: '户外出务工' },
    [f.goneUnmarked.fingerprint]: {},
  };
  const expected: Record<string, string> = {
    [f.fixed.fingerprint]: '已整改',
    [f.claimedFixed.fingerprint]: '未整改',
    [f.explained.fingerprint]: '已说明',
    [f.noRemark.fingerprint]: '待核实',
    [f.unverifiable.fingerprint]: '待核实',
    [f.empty.fingerprint]: '待核实',
    [f.goneUnmarked.fingerprint]: '已整改',
  };
  return { f, all: Object.values(f), fresh, brandNew, elsewhere, fill, expected };
}

/** Fill a written workbook like a clerk: results by fingerprint, rows re-sorted, one row deleted. */
export async function fillWorkbook(path: string, out: string, fill: Record<string, { result?: string; remark?: string; corrected?: string }>, opts: { deleteFp?: string; dropFingerprintColumn?: boolean } = {}) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.getWorksheet('问题清单')!;
  const col = (h: string) => ISSUE_HEADERS.indexOf(h) + 1;
  const data: unknown[][] = [];
  for (let r = 2; r <= ws.rowCount; r++) data.push((ws.getRow(r).values as unknown[]).slice(1));
  const fpIdx = col('指纹') - 1;
  const text = (x: unknown): string =>
    x && typeof x === 'object' && 'richText' in x ? (x as { richText: { text: string }[] }).richText.map((t) => t.text).join('') : String(x ?? '');
  let rows = data.filter((v) => text(v[fpIdx]) !== opts.deleteFp);
  rows = rows.reverse(); // re-sorted by the clerk
  for (const v of rows) {
    const fl = fill[text(v[fpIdx])];
    if (!fl) continue;
    v[col('核实结果') - 1] = fl.result ?? null;
    v[col('备注') - 1] = fl.remark ?? null;
    v[col('修正后值') - 1] = fl.corrected ?? null;
    v[col('核实人') - 1] = '王五';
    v[col('核实日期') - 1] = new Date(Date.UTC(2020, 5, 1));
  }
  // rewrite the data rows in the new order; the row freed by the deletion is left empty
  // (exceljs's spliceRows leaves a stale copy of the last row behind)
  const last = ws.rowCount;
  for (let r = 2; r <= last; r++) {
    const v = rows[r - 2];
    const row = ws.getRow(r);
    for (let j = 0; j < ISSUE_HEADERS.length; j++) row.getCell(j + 1).value = (v?.[j] ?? null) as ExcelJS.CellValue;
  }
  ws.getRow(3).hidden = true; // a hidden row
  if (opts.dropFingerprintColumn) ws.spliceColumns(col('指纹'), 1);
  await wb.xlsx.writeFile(out);
}

