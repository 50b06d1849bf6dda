// The corpus of real layouts (tests/fixtures/real): each layout is built into the file format it
// comes in and checked end to end. Per layout: the sheet is detected as the right table, every
// key column is bound, instruction rows are their own bucket, the planted defect is found on its
// row, and no error or suspect finding lands on a clean row.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from '../../src/exceljs.js';
import { runCheck, type CheckResult } from '../../src/pipeline.js';
import { loadConfigFile, type Config } from '../../src/config.js';
import { RULES } from '../../validators/index.js';
import { LAYOUTS, type LayoutCell, type RealLayout } from '../fixtures/real/layouts.js';

const dirs: string[] = [];
let config: Config;
beforeAll(async () => {
  config = loadConfigFile(undefined, RULES);
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function csvLine(cells: LayoutCell[]): string {
  return cells
    .map((c) => {
      if (c === null || c === undefined) return '';
      const t = String(c);
      return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
    })
    .join(',');
}

/** The sheet's rows top to bottom, and the row number of the first data row. */
function sheetRows(l: RealLayout): { rows: LayoutCell[][]; firstData: number } {
  const rows = [...(l.above ?? []), ...l.header, ...(l.instructions ?? []), ...l.rows, l.defect.row];
  return { rows, firstData: (l.above?.length ?? 0) + l.header.length + (l.instructions?.length ?? 0) + 1 };
}

async function build(l: RealLayout, dir: string): Promise<string> {
  const { rows } = sheetRows(l);
  for (const [name, text] of Object.entries(l.companions ?? {})) writeFileSync(join(dir, name), '\ufeff' + text);
  if (l.format === 'csv') {
    const name = `${l.id}.csv`;
    writeFileSync(join(dir, name), '\ufeff' + rows.map(csvLine).join('\r\n') + '\r\n');
    return name;
  }
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(l.title.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '));
  rows.forEach((cells, i) => {
    cells.forEach((c, j) => {
      if (c !== null && c !== undefined && c !== '') ws.getCell(i + 1, j + 1).value = c;
    });
  });
  for (const m of l.merges ?? []) ws.mergeCells(m);
  const name = `${l.id}.xlsx`;
  await wb.xlsx.writeFile(join(dir, name));
  return name;
}

async function check(l: RealLayout): Promise<{ result: CheckResult; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'qingxi-real-'));
  dirs.push(dir);
  const file = await build(l, dir);
  const result = await runCheck({ paths: [dir], asOf: l.asOf, config, concurrency: 1 });
  return { result, file };
}

describe('corpus of real layouts', () => {
  it('covers every table, at least three layouts each for pairings, residencies, projects and beneficiaries', () => {
    expect(LAYOUTS.length).toBeGreaterThanOrEqual(20);
    const count = (t: string) => LAYOUTS.filter((l) => l.table === t || l.also?.includes(t as never)).length;
    for (const t of ['members', 'households', 'helpers', 'villages']) expect(count(t), t).toBeGreaterThanOrEqual(1);
    for (const t of ['pairings', 'residencies', 'projects', 'beneficiaries']) expect(count(t), t).toBeGreaterThanOrEqual(3);
    expect(new Set(LAYOUTS.map((l) => l.id)).size).toBe(LAYOUTS.length);
  });

  describe.each(LAYOUTS.map((l) => [l.id, l] as const))('%s', (_id, l) => {
    let result: CheckResult;
    let file: string;
    beforeAll(async () => {
      ({ result, file } = await check(l));
    });

    it('is detected as the right table with every key column bound', () => {
      const acc = result.files.find((f) => f.file === file)!;
      expect(acc.readable).toBe(true);
      const sheet = acc.sheets[0]!;
      expect(sheet.tables[0], JSON.stringify(sheet.headerGuess ?? sheet.tables)).toBe(l.table);
      for (const t of l.also ?? []) expect(sheet.tables).toContain(t);
      expect(sheet.headerRows).toEqual(l.header.map((_, i) => (l.above?.length ?? 0) + i + 1));
      const bound = new Set((sheet.bindings ?? []).filter((b) => b.table === l.table).map((b) => b.field));
      for (const k of l.keys) expect(bound.has(k), `${k} bound (bound: ${[...bound].join(', ')})`).toBe(true);
      // every physical row in one bucket; instruction rows are their own bucket
      const b = sheet.buckets;
      expect(b.title + b.header + b.instruction + b.data + b.blank + b.footer + b.rejected + b.unrecognised).toBe(sheet.physicalRows);
      expect(b.instruction).toBe(l.instructions?.length ?? 0);
      expect(b.data).toBe(l.rows.length + 1);
      if (l.dialect) expect(sheet.dialects?.['relation']?.dialect).toBe(l.dialect);
    });

    it('finds the planted defect on its row', () => {
      const { firstData } = sheetRows(l);
      const row = firstData + l.rows.length;
      const hits = result.findings.filter((f) => f.rule === l.defect.rule && f.at?.file === file && f.at?.row === row);
      const shown = result.findings.filter((f) => f.at?.file === file).map((f) => `${f.rule} r${f.at?.row} ${f.field ?? ''} ${f.message}`);
      expect(hits.length, shown.join('\n')).toBeGreaterThan(0);
      if (l.defect.field) expect(hits.some((f) => f.field === l.defect.field), shown.join('\n')).toBe(true);
    });

    it('reports no error or suspect finding on a clean row', () => {
      const { firstData } = sheetRows(l);
      const clean = new Set(l.rows.map((_, i) => firstData + i));
      const onClean = result.findings.filter((f) => f.severity !== 'info' && f.at?.file === file && f.at.row !== undefined && clean.has(f.at.row));
      expect(onClean.map((f) => `${f.rule} r${f.at?.row} ${f.field ?? ''} ${f.message}`)).toEqual([]);
    });
  });
});
