// Ledger rows as an analyst opens them: CSV with a BOM (Excel reads it as UTF-8) and .xlsx.
import { createWriteStream } from 'node:fs';
import { FAMILY_ZH, SEVERITY_ZH, type Family, type Severity } from '../model.js';
import { newWorkbookWriter } from '../outputs/workbook.js';
import { cellText } from '../outputs/xlsx-text.js';
import { STATUS_ZH, type LedgerFinding } from '../nightly/ledger-state.js';

export const EXPORT_HEADERS = [
  '指纹', '状态', '规则', '问题名称', '问题类别', '严重程度', '县', '乡镇', '村', '户编号', '问题描述',
  '首次发现', '最近发现', '本轮未整改起始', '销号日期', '状态变更日期', '县级文件夹',
];

export function exportCells(f: LedgerFinding): string[] {
  return [
    f.fingerprint, STATUS_ZH[f.status], f.rule, f.title, FAMILY_ZH[f.family as Family] ?? f.family, SEVERITY_ZH[f.severity as Severity] ?? f.severity,
    f.county, f.township, f.village, f.householdNo, f.message, f.firstSeen, f.lastSeen, f.openSince, f.fixedOn ?? '', f.statusOn, f.unit,
  ];
}

/** One CSV field: quoted when needed; a leading = + - @ gets a ' so Excel shows text, not a formula. */
export function csvField(s: string): string {
  let t = /^[=+\-@]/.test(s) ? `'${s}` : s;
  if (/[",\r\n]/.test(t)) t = `"${t.replace(/"/g, '""')}"`;
  return t;
}

export function csvLine(cells: string[]): string {
  return cells.map(csvField).join(',') + '\r\n';
}

/** Writes rows as CSV (UTF-8 with BOM, CRLF) to a stream-like sink; returns the row count. */
export async function writeLedgerCsv(rows: Iterable<LedgerFinding>, write: (s: string) => void | Promise<void>): Promise<number> {
  await write('\ufeff' + csvLine(EXPORT_HEADERS));
  let n = 0;
  for (const f of rows) {
    await write(csvLine(exportCells(f)));
    n++;
  }
  return n;
}

export async function writeLedgerCsvFile(rows: Iterable<LedgerFinding>, path: string): Promise<number> {
  const out = createWriteStream(path);
  const n = await writeLedgerCsv(rows, (s) => {
    if (!out.write(s)) return new Promise<void>((res) => out.once('drain', () => res()));
  });
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  return n;
}

export async function writeLedgerXlsx(rows: Iterable<LedgerFinding>, path: string): Promise<number> {
  const wb = newWorkbookWriter(path);
  const ws = wb.addWorksheet('问题账本', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = EXPORT_HEADERS.map((h) => ({ header: h, width: h === '问题描述' ? 50 : h === '指纹' ? 22 : 12 }));
  ws.getRow(1).font = { bold: true };
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: EXPORT_HEADERS.length } };
  let n = 0;
  for (const f of rows) {
    ws.addRow(exportCells(f).map(cellText)).commit();
    n++;
  }
  ws.commit();
  await wb.commit();
  return n;
}
