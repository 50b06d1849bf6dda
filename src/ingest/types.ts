// Contracts between the readers (xlsx, csv), header detection and the row normaliser.
import type { Finding, Loc, NormalRow, TableKind } from '../model.js';
export type { RawCell, ColumnBinding, RowNormalizer } from '../core/cells.js';

/** Every physical row of a sheet lands in exactly one bucket (tested invariant). */
export interface RowBuckets {
  title: number; // above the header
  header: number; // the header row(s)
  instruction: number; // import templates' instruction / example rows under the header (必填, 格式, 示例, code lists)
  data: number; // read as data
  blank: number; // empty rows (trailing or inside)
  footer: number; // 合计, 制表人 … after the data
  rejected: number; // could not be read (FILE-03)
  unrecognised: number; // rows of a sheet whose header was not recognised (FILE-01)
}

export interface RejectedRow {
  row: number;
  reason: string; // Chinese, for the clerk
  raw?: string;
}

export interface SheetAccounting {
  file: string;
  sheet?: string;
  tables: TableKind[];
  /** 1-based header rows (one, or two for a merged two-row header) */
  headerRows: number[];
  /** total physical rows, = the sum of the buckets */
  physicalRows: number;
  buckets: RowBuckets;
  rejected: RejectedRow[];
  unknownColumns: string[];
  missingRequired: string[];
  /** no header recognised (FILE-01): the row that came closest, as written */
  headerGuess?: {
    row: number;
    text: string;
    /** the guessed row's cells, and the sheet's first non-blank row when it is another (inspect) */
    cells?: { col: string; text: string }[];
    table?: TableKind;
    firstRow?: { row: number; cells: { col: string; text: string }[] };
  };
  /** code dialect decided (or forced) per coded column, by field key: relation → national | gbt4761 */
  dialects?: Record<string, { dialect: string; reason: string; forced?: boolean }>;
  /** forced: a config `columns` entry (1-based `columnsEntry`) matched the sheet; else detected */
  origin?: 'detected' | 'forced';
  columnsEntry?: number;
  /** header → field bindings per table, as read (summary.json, inspect) */
  bindings?: { col: string; header: string; table: TableKind; field: string }[];
}

export interface FileAccounting {
  file: string;
  format: 'xlsx' | 'csv' | 'xls' | 'unknown';
  encoding?: string;
  readable: boolean;
  /** Chinese reason when the file could not be read (FILE-04) */
  error?: string;
  sheets: SheetAccounting[];
}

/** Where ingest sends its results. Rows arrive in file order, sheet by sheet, row by row. */
export interface IngestSink {
  row(r: NormalRow): void;
  finding(f: Finding): void;
  /** physical rows read so far in this file (for the progress display) */
  progress?(rows: number): void;
  /** forget every row and finding this file sent so far (it is skipped as a whole: over a limit) */
  discard?(): void;
  /** a row skipped because a cell broke a parser (reported to the clerk as FILE-03; this is for the log) */
  rowError?(err: unknown, at: Loc): void;
}
