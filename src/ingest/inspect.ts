// `qingxi inspect`: how each sheet of a file is read — tables, header rows, every header → field
// binding, the headers nobody recognised with the nearest known fields, and a config `columns`
// entry to paste. It reads the file exactly as `check` does (same readers, same detection, same
// config `columns`), keeping no rows, so what it shows is what check will do.
import type { Finding, TableKind } from '../model.js';
import { specKey } from '../schema/tables.js';
import { nearestFields, type NearField } from './columns.js';
import { ingestFile, type IngestOptions } from './index.js';
import type { FileAccounting, SheetAccounting } from './types.js';
import { fileMessage } from '../../validators/file.js';

export interface InspectBinding {
  col: string;
  header: string;
  table: TableKind;
  /** snake_case, as in the SPEC, summary.json and config `columns` */
  field: string;
}

export interface InspectUnbound {
  col: string;
  header: string;
  nearest: { table: TableKind; field: string; header: string; score: number }[];
}

export interface InspectSheet {
  sheet?: string;
  recognised: boolean;
  origin: 'detected' | 'forced';
  columnsEntry?: number;
  tables: TableKind[];
  /** unrecognised: the table the closest row looks like */
  guessTable?: TableKind;
  /** unrecognised: detection's closest row, when inspect offers another row as the header */
  detectedRow?: number;
  headerRows: number[];
  bindings: InspectBinding[];
  unbound: InspectUnbound[];
  missingRequired: string[];
  dataRows: number;
  dialects?: SheetAccounting['dialects'];
  /** FILE-01/02 messages for this sheet, as check gives them */
  messages: string[];
  /** a config `columns` entry reproducing (and completing) this reading */
  snippet: SnippetEntry;
}

export interface SnippetEntry {
  file: string;
  sheet?: string;
  table: TableKind | TableKind[];
  headerRows: number | number[];
  fields: Record<string, string>;
}

export interface InspectFile {
  file: string;
  format: FileAccounting['format'];
  readable: boolean;
  error?: string;
  sheets: InspectSheet[];
  /** FILE-04 messages (file unreadable) */
  messages: string[];
}

const UNKNOWN_COL = /^([A-Z]+)「([\s\S]*)」$/;

/** Nearest fields, in the sheet's own tables first, else in any table. */
function nearest(header: string, tables: readonly TableKind[]): InspectUnbound['nearest'] {
  let near = tables.length ? nearestFields(header, 3, tables) : [];
  if (near.length === 0) near = nearestFields(header, 3);
  return near.map((n: NearField) => ({ table: n.table, field: specKey(n.key), header: n.header, score: n.score }));
}

/** A row holding ID numbers, long digit strings or dates is data, not a header. */
function looksLikeData(cells: readonly { text: string }[]): boolean {
  return cells.some((c) => /^\d{6,}[\dXx]*$|^\d{4}[-/.年]\d{1,2}/.test(c.text.trim()));
}

export async function inspectFile(absPath: string, display: string, opts: IngestOptions = {}): Promise<InspectFile> {
  const findings: Finding[] = [];
  const acc = await ingestFile(
    absPath,
    display,
    {
      row: () => {}, // rows are not kept: inspect shows how a sheet is read, not its content
      finding: (f) => findings.push(f),
    },
    opts,
  );
  const base = display.split('/').pop() ?? display;
  const sheets: InspectSheet[] = acc.sheets.map((s) => {
    const recognised = s.tables.length > 0;
    const bindings: InspectBinding[] = (s.bindings ?? []).map((b) => ({ col: b.col, header: b.header, table: b.table, field: specKey(b.field) }));
    let unbound: InspectUnbound[];
    let headerRows = s.headerRows;
    let tables = s.tables;
    let detectedRow: number | undefined;
    if (recognised) {
      unbound = s.unknownColumns.map((u) => {
        const m = UNKNOWN_COL.exec(u);
        const col = m?.[1] ?? '';
        const header = m?.[2] ?? u;
        return { col, header, nearest: nearest(header, s.tables) };
      });
    } else {
      const g = s.headerGuess;
      // detection's closest row can be a data row whose values happen to be header words (户主);
      // a header of codes (hh_no, xm, sfzh) above it matches nothing, so prefer the first row
      // when the guess holds data-looking values and the first row does not
      const useFirst = g?.firstRow && looksLikeData(g.cells ?? []) && !looksLikeData(g.firstRow.cells);
      const row = useFirst ? g!.firstRow! : g ? { row: g.row, cells: g.cells ?? [] } : undefined;
      headerRows = row ? [row.row] : [];
      if (useFirst) detectedRow = g!.row;
      tables = g?.table ? [g.table] : [];
      unbound = (row?.cells ?? []).map((c) => ({ col: c.col, header: c.text, nearest: nearest(c.text, tables) }));
    }
    const fields: Record<string, string> = {};
    for (const b of bindings) if (!(b.header in fields)) fields[b.header] = b.field;
    // every unbound header is listed: with its nearest field, or empty (an empty value binds
    // nothing, so the snippet can be pasted as it is and filled in)
    for (const u of unbound) if (!(u.header in fields)) fields[u.header] = u.nearest[0]?.field ?? '';
    const sheetName = s.sheet;
    const messages = findings
      .filter((f) => (f.rule === 'FILE-01' || f.rule === 'FILE-02') && f.at?.sheet === sheetName)
      .map(fileMessage);
    // a forced header row that was not used (blank, or beyond the rows scanned for a header)
    const entry = s.columnsEntry !== undefined ? opts.columns?.[s.columnsEntry - 1] : undefined;
    if (entry?.headerRows && entry.headerRows.join() !== s.headerRows.join()) {
      messages.unshift(
        `配置 columns 第${s.columnsEntry}项指定表头在第${entry.headerRows.join('、')}行，但该行为空或不在表格前部，未按它读取${s.headerRows.length ? `（实际按第${s.headerRows.join('、')}行读取）` : ''}。请核对行号（即 Excel 左侧显示的行号）。`,
      );
    }
    return {
      ...(sheetName !== undefined ? { sheet: sheetName } : {}),
      recognised,
      origin: s.origin ?? 'detected',
      ...(s.columnsEntry !== undefined ? { columnsEntry: s.columnsEntry } : {}),
      tables: recognised ? s.tables : [],
      ...(!recognised && tables[0] ? { guessTable: tables[0] } : {}),
      ...(detectedRow !== undefined ? { detectedRow } : {}),
      headerRows,
      bindings,
      unbound,
      missingRequired: s.missingRequired,
      dataRows: s.buckets.data,
      ...(s.dialects ? { dialects: s.dialects } : {}),
      messages,
      snippet: {
        file: base,
        ...(sheetName !== undefined ? { sheet: sheetName } : {}),
        table: tables.length === 1 ? tables[0]! : tables,
        headerRows: headerRows.length === 1 ? headerRows[0]! : headerRows,
        fields,
      },
    };
  });
  return {
    file: display,
    format: acc.format,
    readable: acc.readable,
    ...(acc.error ? { error: acc.error } : {}),
    sheets,
    messages: findings.filter((f) => f.rule === 'FILE-04').map(fileMessage),
  };
}
