// Sheets laid out for paper: A4 landscape at 100 % scale, so the body prints at its 10.5-point
// size (a sheet fitted to one page wide with 20+ columns printed at 3–4 pt). A printable sheet
// holds only what a clerk acts on, several facts stacked in one cell (村 over 户编号, 姓名 over 证件
// 号码, 当前值 over 参考值), the message wrapped; the full detail stays on the screen sheet.
// The column widths add up to at most PRINT_WIDTH_BUDGET, the width LibreOffice and Excel print
// on one A4 landscape page at 100 %; a test converts a workbook and measures the printed glyphs.
import ExcelJS from '../exceljs.js';
import { cellText, textCell, wrappedLines } from './xlsx-text.js';
import { RowXmlWriter, type XmlCell, type XmlFont, type XmlRun } from './row-xml.js';

/** Body font of printable sheets (points). */
export const PRINT_FONT_SIZE = 10.5;
const FONT = { name: '宋体', size: PRINT_FONT_SIZE };
const THIN = { style: 'thin' as const, color: { argb: 'FF808080' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/**
 * Sum of column widths (character units) that fits A4 landscape (842 pt) between 0.3-inch margins
 * at 100 %. Measured from LibreOffice's PDF: one width unit prints as 7.0 pt (Excel prints it as
 * about 5.25 pt, so Excel has room to spare), and a CJK character at 10.5 pt takes 1.5 units.
 * 798 pt ÷ 7 = 114; two units are kept for the border lines and rounding.
 */
export const PRINT_WIDTH_BUDGET = 112;

export const PRINT_PAGE: Partial<ExcelJS.PageSetup> = {
  paperSize: 9,
  orientation: 'landscape',
  // no fit-to-page: fitting shrinks the text; the widths are chosen to fit at 100 %
  scale: 100,
  fitToPage: false,
  horizontalCentered: true,
  printTitlesRow: '1:1',
  margins: { left: 0.3, right: 0.3, top: 0.55, bottom: 0.5, header: 0.25, footer: 0.25 },
};

export interface PrintColumn {
  header: string;
  width: number;
  /** text may wrap (false: one line, e.g. ID numbers) */
  wrap?: boolean;
  center?: boolean;
}

/** A cell whose first part is bold and coloured (e.g. the severity tag 【错误】). */
export interface TaggedText {
  tag: string;
  tagColor: string; // ARGB
  text: string;
}

export interface PrintRow {
  cells: (string | number | null | TaggedText)[];
  /** fill colour (ARGB) per cell, e.g. the severity */
  fills?: (string | undefined)[];
}

// one style object per combination (exceljs resolves a style id once per object); looked up per
// cell without building a key string: by the three flags, then the fill colour
const styleCache: Map<string, Partial<ExcelJS.Style>>[] = Array.from({ length: 8 }, () => new Map());
function cellStyle(wrap: boolean, center: boolean, fillArgb: string | undefined, header = false): Partial<ExcelJS.Style> {
  const byFill = styleCache[(wrap ? 1 : 0) | (center ? 2 : 0) | (header ? 4 : 0)]!;
  let s = byFill.get(fillArgb ?? '');
  if (!s) {
    s = {
      font: header ? { ...FONT, bold: true } : FONT,
      border: BORDER,
      alignment: { vertical: header ? 'middle' : 'top', horizontal: center || header ? 'center' : 'left', wrapText: wrap || header },
      ...(fillArgb ? { fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: fillArgb } } as ExcelJS.Fill } : {}),
    };
    byFill.set(fillArgb ?? '', s);
  }
  return s;
}

/** Row height for lines of 10.5-point text. */
function printRowHeight(lines: number): number {
  // measured in LibreOffice's PDF: a 10.5-point CJK line takes 15.2 pt
  return Math.min(409, Math.ceil(16 * Math.max(1, lines) + 4));
}

/**
 * Write a printable sheet: header row repeated on every page, page numbers and `title` in the
 * page header, `footer` (e.g. a signature line) at the foot of every page.
 */
export async function writePrintSheet(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  columns: readonly PrintColumn[],
  rows: Iterable<PrintRow>,
  opts: { title: string; footer?: string; autoFilter?: boolean; yieldEvery?: number; onYield?: () => Promise<void> } = { title: '' },
): Promise<void> {
  const total = columns.reduce((a, c) => a + c.width, 0);
  // a layout wider than the page would print across two pages (or shrink): a programming error
  if (total > PRINT_WIDTH_BUDGET) throw new Error(`print layout ${name} is ${total} units wide, over ${PRINT_WIDTH_BUDGET}`);
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }],
    pageSetup: PRINT_PAGE,
    headerFooter: {
      oddHeader: `&L${escapeHf(opts.title)}&R第 &P 页，共 &N 页`,
      oddFooter: opts.footer ? `&L${escapeHf(opts.footer)}` : '',
    },
  });
  ws.columns = columns.map((c) => ({ width: c.width }));
  const head = ws.getRow(1);
  columns.forEach((c, i) => {
    head.getCell(i + 1).value = textCell(c.header);
    head.getCell(i + 1).style = cellStyle(true, true, 'FFD9D9D9', true);
  });
  head.height = printRowHeight(Math.max(...columns.map((c) => wrappedLines(c.header, c.width))));
  head.commit();
  let n = 0;
  const writer = new RowXmlWriter(ws);
  for (const r of rows) {
    let lines = 1;
    const cells: XmlCell[] = columns.map((c, i) => {
      const cell = r.cells[i] ?? null;
      const v = isTagged(cell) ? cell.tag + cell.text : cell;
      if (typeof v === 'string') lines = Math.max(lines, c.wrap === false ? v.split('\n').length : wrappedLines(v, c.width));
      return {
        value: typeof cell === 'string' ? textCell(cell) : isTagged(cell) ? taggedCell(cell) : cell,
        style: cellStyle(c.wrap ?? true, c.center ?? false, r.fills?.[i]),
      };
    });
    writer.write(cells, printRowHeight(lines));
    n++;
    if (opts.onYield && n % (opts.yieldEvery ?? 16) === 0) await opts.onYield();
  }
  if (opts.autoFilter) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: n + 1, column: columns.length } };
  ws.commit();
}

function isTagged(v: unknown): v is TaggedText {
  return typeof v === 'object' && v !== null && 'tag' in v;
}

/** The bold coloured font of a tag, one object per colour (made once, not per printed row). */
const tagFonts = new Map<string, XmlFont>();
function tagFont(argb: string): XmlFont {
  let f = tagFonts.get(argb);
  if (!f) tagFonts.set(argb, (f = { ...FONT, bold: true, color: { argb } }));
  return f;
}

function taggedCell(v: TaggedText): { richText: XmlRun[] } {
  return {
    richText: [
      { text: cellText(v.tag), font: tagFont(v.tagColor) },
      { text: cellText(v.text), font: FONT },
    ],
  };
}

function escapeHf(s: string): string {
  return cellText(s).replace(/&/g, '&&');
}

