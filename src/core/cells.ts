// What a reader hands the normaliser: raw cells, the columns bound to fields, and the row normaliser
// contract. Ingest (readers, header detection) and normalize (cell parsers, row schemas) both use
// these types; neither imports the other's.
import type { Loc, NormalRow, TableKind } from '../model.js';

/** A cell as a reader delivers it. xlsx date cells arrive as Date (UTC parts); CSV cells as strings. */
export type RawCell = string | number | boolean | Date | null;

/** A column of a sheet bound to a field of a logical table (one column may feed several tables). */
export interface ColumnBinding {
  col: number; // 0-based
  table: TableKind;
  key: string;
  /** header is the inverse of the field (是否危房 for housingOk) */
  inverse?: boolean;
  /** unit suffix read from the header: 元, 万元, 月 … */
  unit?: string;
}

/** Turns one physical row into a normalised row of one table. Never throws on cell content. */
export type RowNormalizer = (cells: readonly RawCell[], at: Loc) => NormalRow;

/**
 * The code list a coded 与户主关系 column follows: the national 扶贫 system's or GB/T 4761
 * (decided per column in src/normalize/dialect.ts, or forced by config `columns`).
 */
export type RelationDialect = 'national' | 'gbt4761';
