// Test helpers: a collecting sink, the accounting invariant, workbooks written by exceljs.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from '../../src/exceljs.js';
import { expect } from 'vitest';
import type { Finding, NormalRow } from '../../src/model.js';
import { ingestFile, type IngestOptions } from '../../src/ingest/index.js';
import type { FileAccounting, IngestSink } from '../../src/ingest/types.js';
import { fileMessage } from '../../validators/file.js';

/**
 * csv-parse's options as src/ingest/csv.ts passed them before our parser replaced it: the reference
 * our CSV reader is compared with.
 */
export const CSV_PARSE_REFERENCE = {
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: false,
  bom: false,
  record_delimiter: ['\r\n', '\n', '\r'],
};

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'ingest');

export interface Collected {
  acc: FileAccounting;
  rows: NormalRow[];
  findings: Finding[];
  progress: number[];
}

export function tmpDir(): string {
  return mkdtempSync(join(tmpdir(), 'qingxi-ingest-'));
}

export function writeTmp(name: string, data: Buffer | string): string {
  const p = join(tmpDir(), name);
  writeFileSync(p, data);
  return p;
}

export async function ingest(path: string, display = path.split('/').pop()!, opts?: IngestOptions): Promise<Collected> {
  const rows: NormalRow[] = [];
  const findings: Finding[] = [];
  const progress: number[] = [];
  const sink: IngestSink = {
    row: (r) => rows.push(r),
    finding: (f) => findings.push(f),
    progress: (n) => progress.push(n),
  };
  const acc = await ingestFile(path, display, sink, opts);
  checkInvariant(acc);
  return { acc, rows, findings, progress };
}

/** Every physical row lands in exactly one bucket; rejected rows are listed. */
export function checkInvariant(acc: FileAccounting): void {
  for (const s of acc.sheets) {
    const b = s.buckets;
    const sum = b.title + b.header + b.instruction + b.data + b.blank + b.footer + b.rejected + b.unrecognised;
    expect(sum, `${s.sheet ?? s.file}: buckets ${JSON.stringify(b)}`).toBe(s.physicalRows);
    expect(s.rejected.length).toBe(b.rejected);
    if (s.tables.length > 0) expect(b.header).toBeGreaterThanOrEqual(s.headerRows.length);
  }
}

export type Cell = string | number | Date | boolean | null | ExcelJS.CellValue;

/** Writes a workbook with exceljs: sheet name → rows (arrays of cells, index 0 = column A). */
export async function writeXlsx(
  sheets: Record<string, Cell[][]>,
  opts: { merges?: Record<string, string[]>; name?: string } = {},
): Promise<string> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    rows.forEach((cells, i) => {
      cells.forEach((c, j) => {
        if (c !== null && c !== undefined) ws.getCell(i + 1, j + 1).value = c as ExcelJS.CellValue;
      });
    });
    for (const m of opts.merges?.[name] ?? []) ws.mergeCells(m);
  }
  const p = join(tmpDir(), opts.name ?? 'book.xlsx');
  await wb.xlsx.writeFile(p);
  return p;
}

export function rowsOf(c: Collected, table: string): NormalRow[] {
  return c.rows.filter((r) => r.table === table);
}

export function findingsOf(c: Collected, rule: string): Finding[] {
  return c.findings.filter((f) => f.rule === rule);
}

/** A FILE finding's text, from the FILE rules' templates (as a check renders it). */
export function msg(f: Finding): string {
  return fileMessage(f);
}
