// Legacy workbooks: Excel 97–2003 (BIFF8, also BIFF5 and WPS .et, which is BIFF inside an OLE
// compound file), and the two text formats systems export under an .xls name (an HTML table, the
// Excel 2003 XML spreadsheet). Read through SheetJS (@e965/xlsx, the maintained 0.20.3 build),
// which parses a whole file in memory — hence its own, smaller size cap (config `limits.xlsMaxBytes`).
//
// The cells handed on are the same as the xlsx reader's: numbers stay numbers (an ID number stored
// as a numeric cell keeps its damage, so ID-10 sees it), date-formatted numbers become Date with
// UTC parts computed exactly as exceljs does, formulas give their cached result, merged ranges
// spanning rows are reported for sheet.ts to fill down, hidden sheets are read like any other.
import { createRequire } from 'node:module';
import iconv from 'iconv-lite';
import type * as XLSXNs from '@e965/xlsx';
import { detectEncoding } from './sniff.js';
import type { RawCell } from './types.js';
import type { SourceRow, SourceSheet, VerticalMerge } from './xlsx.js';

// The CommonJS build loads SheetJS's code-page tables itself (BIFF5 and some BIFF8 strings are
// stored in the workbook's code page, 936 = GBK on Chinese systems); the ESM build does not.
// Loaded on the first legacy file (~80 ms with its code pages): most runs read none.
const require = createRequire(import.meta.url);
let sheetJs: typeof XLSXNs | undefined;
const xlsx = (): typeof XLSXNs => (sheetJs ??= require('@e965/xlsx') as typeof XLSXNs);

export type LegacyKind = 'biff' | 'html' | 'xml2003';

/** The file holds no worksheet SheetJS could read: the caller tells the clerk how to re-save. */
export class LegacyReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LegacyReadError';
  }
}

export interface LegacyWorkbook {
  sheets: SourceSheet[];
}

/** BIFF error codes → the text Excel shows (what exceljs delivers for an error cell in .xlsx). */
const BIFF_ERRORS: Record<number, string> = {
  0x00: '#NULL!',
  0x07: '#DIV/0!',
  0x0f: '#VALUE!',
  0x17: '#REF!',
  0x1d: '#NAME?',
  0x24: '#NUM!',
  0x2a: '#N/A',
  0x2b: '#GETTING_DATA',
};

/** Same arithmetic as exceljs's excelToDate, so a date reads the same from .xls and .xlsx. */
function serialToDate(v: number, date1904: boolean): Date {
  return new Date(Math.round((v - 25569 + (date1904 ? 1462 : 0)) * 24 * 3600 * 1000));
}

function toRawCell(c: XLSXNs.CellObject | undefined, date1904: boolean): RawCell {
  if (!c) return null;
  switch (c.t) {
    case 'n': {
      const v = c.v as number;
      if (typeof v !== 'number' || !Number.isFinite(v)) return null;
      if (typeof c.z === 'string' && xlsx().SSF.is_date(c.z)) return serialToDate(v, date1904);
      return v;
    }
    case 's':
      return typeof c.v === 'string' ? c.v : c.v === undefined || c.v === null ? null : String(c.v);
    case 'b':
      return c.v === true;
    case 'd':
      return c.v instanceof Date && !Number.isNaN(c.v.getTime()) ? c.v : null;
    case 'e':
      return typeof c.v === 'number' ? (BIFF_ERRORS[c.v] ?? c.w ?? '#N/A') : (c.w ?? '#N/A');
    default:
      return null; // 'z' stub
  }
}

function decodeText(buf: Buffer): string {
  const enc = detectEncoding(buf);
  const body = buf.subarray(enc.bomLength);
  let encoding: string = enc.encoding;
  if (enc.encoding !== 'utf16le' && enc.encoding !== 'utf16be') {
    // an HTML export names its charset, an XML one its encoding; trust that over the byte guess
    // (GBK pages are common)
    const head = body.subarray(0, 4096).toString('latin1');
    const meta = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head) ?? /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w-]+)/i.exec(head);
    const declared = meta?.[1]?.toLowerCase();
    if (declared && /^(gb2312|gbk|gb18030|x-gbk)$/.test(declared)) encoding = 'gb18030';
    else if (declared === 'utf-8' || declared === 'utf8') encoding = 'utf8';
  }
  return iconv.decode(body, encoding);
}

/**
 * Parses a legacy workbook held in memory. Throws LegacyReadError when it holds no worksheet;
 * anything SheetJS throws on a damaged file propagates (the caller turns it into FILE-04).
 */
export function readLegacyWorkbook(buf: Buffer, kind: LegacyKind): LegacyWorkbook {
  const common: XLSXNs.ParsingOptions = {
    dense: true,
    cellDates: false, // dates are made here, in UTC, from the cell's number format
    cellNF: true,
    cellFormula: false,
    cellHTML: false,
    cellText: false,
    cellStyles: false,
    sheetStubs: false,
    bookVBA: false,
  };
  const wb =
    kind === 'biff'
      ? xlsx().read(buf, { ...common, type: 'buffer' })
      : // text formats: cells are taken as written (raw), never guessed into numbers, so an ID
        // number in an HTML cell keeps every digit
        xlsx().read(decodeText(buf), { ...common, type: 'string', raw: kind === 'html' });
  const date1904 = Boolean(wb.Workbook?.WBProps?.date1904);
  const sheets: SourceSheet[] = [];
  wb.SheetNames.forEach((name) => {
    const ws = wb.Sheets[name];
    if (!ws) return;
    const type = (ws as { '!type'?: string })['!type'];
    if (type === 'chart' || type === 'macro' || type === 'dialog') return; // no cells
    sheets.push({ name, batches: sheetRows(ws, date1904), merges: verticalMerges(ws) });
  });
  if (sheets.length === 0) throw new LegacyReadError('no worksheet');
  return { sheets };
}

function verticalMerges(ws: XLSXNs.WorkSheet): VerticalMerge[] {
  const out: VerticalMerge[] = [];
  for (const m of ws['!merges'] ?? []) if (m.e.r > m.s.r) out.push({ col: m.s.c, top: m.s.r + 1, bottom: m.e.r + 1 });
  return out;
}

/** Rows handed on per batch: the cells of a whole legacy sheet are in memory already. */
const XLS_BATCH = 512;

async function* sheetRows(ws: XLSXNs.WorkSheet, date1904: boolean): AsyncGenerator<readonly SourceRow[]> {
  const data = (ws as { '!data'?: (XLSXNs.CellObject[] | undefined)[] })['!data'] ?? [];
  let batch: SourceRow[] = [];
  for (let r = 0; r < data.length; r++) {
    const src = data[r];
    if (!src) continue; // absent rows are blank rows; sheet.ts accounts for the gap
    data[r] = undefined; // SheetJS's cells are large: let each row go once it is handed on
    const cells: RawCell[] = [];
    for (let c = 0; c < src.length; c++) cells.push(toRawCell(src[c], date1904));
    batch.push({ row: r + 1, cells });
    if (batch.length === XLS_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
