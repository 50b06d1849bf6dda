// Builders for normalised rows in rule tests: what ingest + normalise would produce.
import type { IdValue, Loc, NormalRow, PartialDate, SheetInfo, TableKind } from '../../src/model.js';
import { TABLES } from '../../src/schema/tables.js';

let line = 1;
const sheets = new Map<string, SheetInfo>();

function sheetInfo(table: TableKind, at: Loc, tables: TableKind[], fields: string[] | undefined): SheetInfo {
  const key = `${at.file}|${at.sheet ?? ''}|${tables.join(',')}|${table}|${fields?.join(',') ?? '*'}`;
  let s = sheets.get(key);
  if (!s) {
    const f: SheetInfo['fields'] = {};
    for (const t of tables) {
      f[t] = new Set(fields ?? TABLES[t].fields.map((x) => x.key));
    }
    s = { file: at.file, sheet: at.sheet, tables, fields: f };
    sheets.set(key, s);
  }
  return s;
}

export interface RowOpts {
  at?: Partial<Loc>;
  bad?: Record<string, string>;
  /** field keys that had a column in the sheet (default: every field of the table) */
  fields?: string[];
  /** tables the sheet feeds (default: just this one) */
  sheetTables?: TableKind[];
  viaPairing?: boolean;
}

/** A normalised row of `table` with values `v`. Each call gets a new row number unless `at.row` is given. */
export function row<T>(table: TableKind, v: T, opts: RowOpts = {}): NormalRow<T> {
  const at: Loc = {
    file: opts.at?.file ?? `${table}.xlsx`,
    sheet: opts.at && 'sheet' in opts.at ? opts.at.sheet : 'Sheet1',
    row: opts.at?.row ?? ++line,
  };
  const tables = opts.sheetTables ?? [table];
  const r: NormalRow<T> & { viaPairing?: boolean } = {
    table,
    at,
    sheet: sheetInfo(table, at, tables, opts.fields),
    v,
  };
  if (opts.bad) r.bad = opts.bad as NormalRow<T>['bad'];
  if (opts.viaPairing) r.viaPairing = true;
  return r;
}

/** An ID number value as the normaliser would produce it from text (or from a numeric cell). */
export function id(text: string, opts: { numericCell?: boolean; scientific?: boolean; raw?: string } = {}): IdValue {
  return {
    raw: opts.raw ?? text,
    text,
    numericCell: opts.numericCell ?? false,
    scientific: opts.scientific ?? /e\+?\d+$/i.test(text),
  };
}

/** 'YYYY' | 'YYYY-MM' | 'YYYY-MM-DD' → PartialDate */
export function pd(s: string): PartialDate {
  const [y, m, d] = s.split('-').map(Number);
  const p: PartialDate = { y: y! };
  if (m !== undefined) p.m = m;
  if (d !== undefined) p.d = d;
  return p;
}
