// Examples a rule carries (valid and invalid normalised rows), and the builders that make them:
// what ingest + normalise would produce from a sheet. The catalogue test runs every example
// through the engine; rule tests build their rows with the same builders (tests/helpers/rows.ts).
import type { IdValue, Loc, NormalRow, PartialDate, SheetInfo, TableKind } from '../model.js';
import { TABLES } from '../schema/tables.js';

/** A normalised row of any table (examples mix tables). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRow = NormalRow<any>;

/** Normalised rows a row or cross rule checks. */
export interface RowsExample {
  /** what the example shows, in Chinese (docs/rules.md prints it) */
  readonly note: string;
  readonly rows: readonly AnyRow[];
  /** for invalid examples: the problem codes the rule must report on these rows ('default' for none) */
  readonly codes?: readonly string[];
  /** as-of date of the example run (default 2020-04-30) */
  readonly asOf?: string;
  readonly file?: undefined;
}

/**
 * A tiny input file, for rules whose findings come from reading files (FILE): `checkFileText`
 * (run-file.ts) writes `text` (UTF-8, as is) to a file named `name`, reads it through ingest and
 * runs the rules over it, FILE findings going through the runner like a check's.
 */
export interface FileExample {
  readonly note: string;
  readonly file: { readonly name: string; readonly text: string };
  /** for invalid examples: the problem codes the rule must report on this file ('default' for none) */
  readonly codes?: readonly string[];
  readonly rows?: undefined;
  readonly asOf?: undefined;
}

export type Example = RowsExample | FileExample;

export interface RowOpts {
  at?: Partial<Loc>;
  bad?: Record<string, string>;
  /** field keys that had a column in the sheet (default: every field of the table) */
  fields?: string[];
  /** tables the sheet feeds (default: just this one) */
  sheetTables?: TableKind[];
  viaPairing?: boolean;
}

export type RowFn = <T>(table: TableKind, v: T, opts?: RowOpts) => NormalRow<T>;

/**
 * A row builder with its own line counter and sheet cache: each call gets the next row number
 * unless `at.row` is given; rows of one file, sheet and column set share one SheetInfo.
 */
export function createRowBuilder(): RowFn {
  let line = 1;
  const sheets = new Map<string, SheetInfo>();
  const sheetInfo = (table: TableKind, at: Loc, tables: TableKind[], fields: string[] | undefined): SheetInfo => {
    const key = `${at.file}|${at.sheet ?? ''}|${tables.join(',')}|${table}|${fields?.join(',') ?? '*'}`;
    let s = sheets.get(key);
    if (!s) {
      const f: SheetInfo['fields'] = {};
      for (const t of tables) f[t] = new Set(fields ?? TABLES[t].fields.map((x) => x.key));
      s = { file: at.file, sheet: at.sheet, tables, fields: f };
      sheets.set(key, s);
    }
    return s;
  };
  return <T>(table: TableKind, v: T, opts: RowOpts = {}): NormalRow<T> => {
    const at: Loc = {
      file: opts.at?.file ?? `${table}.xlsx`,
      sheet: opts.at && 'sheet' in opts.at ? opts.at.sheet : 'Sheet1',
      row: opts.at?.row ?? ++line,
    };
    const r: NormalRow<T> & { viaPairing?: boolean } = { table, at, sheet: sheetInfo(table, at, opts.sheetTables ?? [table], opts.fields), v };
    if (opts.bad) r.bad = opts.bad as NormalRow<T>['bad'];
    if (opts.viaPairing) r.viaPairing = true;
    return r;
  };
}

/** An ID number value as the normaliser would produce it from text (or from a numeric cell). */
export function idValue(text: string, opts: { numericCell?: boolean; scientific?: boolean; raw?: string } = {}): IdValue {
  return {
    raw: opts.raw ?? text,
    text,
    numericCell: opts.numericCell ?? false,
    scientific: opts.scientific ?? /e\+?\d+$/i.test(text),
  };
}

/** 'YYYY' | 'YYYY-MM' | 'YYYY-MM-DD' → PartialDate */
export function partialDate(s: string): PartialDate {
  const [y, m, d] = s.split('-').map(Number);
  const p: PartialDate = { y: y! };
  if (m !== undefined) p.m = m;
  if (d !== undefined) p.d = d;
  return p;
}
