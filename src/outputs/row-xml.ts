// The rows of a 整改台账's long sheets (问题清单, 打印清单), written as sheet XML here instead of
// through exceljs's Row / Cell objects and XML stream: building a Row, its Cells and an array of
// XML pieces per cell was about a third of writing a workbook. The XML is the same, byte for
// byte, as exceljs's streaming writer makes for these cells (tests/outputs/row-xml.test.ts renders
// both): style ids come from the workbook's own style table, and the sheet's own bookkeeping (row
// numbers, the opening <sheetData>) moves as a committed exceljs row moves it. Everything else of
// the sheet (columns, views, filters, validations, protection, page setup) stays exceljs's.
import type ExcelJS from '../exceljs.js';

/** A run of rich text; only the font properties the 整改台账 uses are written. */
export interface XmlRun {
  text: string;
  font?: XmlFont;
}

export interface XmlFont {
  name?: string;
  size?: number;
  bold?: boolean;
  color?: { argb: string };
}

/** A cell value: a number, inline rich text (the plain-string form, see textCell) or none. */
export type XmlCellValue = number | { richText: XmlRun[] } | null;

export interface XmlCell {
  value: XmlCellValue;
  style: Partial<ExcelJS.Style>;
}

// exceljs's ValueType numbers, as its style table takes them (a number cell gets the General format)
const TYPE_NULL = 0;
const TYPE_NUMBER = 2;
const TYPE_RICH_TEXT = 8;

/** What the fast path touches of exceljs's streaming worksheet (exceljs 4.4, lib/stream/xlsx/worksheet-writer.js). */
interface SheetWriterInternals {
  _rowZero: number;
  _rows: unknown[];
  startedData: boolean;
  _writeColumns(): void;
  _writeOpenSheetData(): void;
  stream: { write(chunk: string): unknown };
  _workbook: { styles: { addStyleModel(model: object, cellType: number): number } };
}

const PRESERVE = /^\s|\n|\s$/;
/** A row's style: exceljs gives every row an empty one (registered once, as the General number format). */
const ROW_STYLE = Object.freeze({});
const NEEDS_ESCAPE = /[<>&'"\x7F\x00-\x08\x0B-\x0C\x0E-\x1F]/;

/** exceljs's xmlEncode: the five entities, and the characters XML cannot carry dropped. */
export function xmlText(text: string): string {
  const first = NEEDS_ESCAPE.exec(text);
  if (!first) return text;
  let out = text.slice(0, first.index);
  for (let i = first.index; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) out += '&quot;';
    else if (c === 38) out += '&amp;';
    else if (c === 39) out += '&apos;';
    else if (c === 60) out += '&lt;';
    else if (c === 62) out += '&gt;';
    else if (c === 127 || (c <= 31 && (c <= 8 || (c >= 11 && c !== 13)))) continue;
    else out += text[i];
  }
  return out;
}

/** by font object: the 整改台账's runs share a few font objects, never changed once made */
const fontXmlOf = new WeakMap<XmlFont, string>();

/** A run's <rPr>, in exceljs's element order (b, color, sz, rFont). */
function runProperties(font: XmlFont): string {
  let xml = fontXmlOf.get(font);
  if (xml === undefined) fontXmlOf.set(font, (xml = fontProperties(font)));
  return xml;
}

function fontProperties(font: XmlFont): string {
  for (const k of Object.keys(font)) if (k !== 'name' && k !== 'size' && k !== 'bold' && k !== 'color') throw new Error(`RowXmlWriter: font property ${k} is not written`);
  if (font.color && Object.keys(font.color).some((k) => k !== 'argb')) throw new Error('RowXmlWriter: only an ARGB font colour is written');
  let xml = '<rPr>';
  if (font.bold) xml += '<b/>';
  if (font.color?.argb) xml += `<color rgb="${xmlText(font.color.argb)}"/>`;
  if (font.size !== undefined) xml += `<sz val="${font.size}"/>`;
  if (font.name !== undefined) xml += `<rFont val="${xmlText(font.name)}"/>`;
  return `${xml}</rPr>`;
}

const LETTERS: string[] = [];
function columnLetter(col: number): string {
  let s = LETTERS[col];
  if (s === undefined) {
    s = '';
    for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
    LETTERS[col] = s;
  }
  return s;
}

/** Writes rows of one streaming worksheet; every earlier row of the sheet must be committed. */
export class RowXmlWriter {
  private readonly sheet: SheetWriterInternals;

  constructor(ws: ExcelJS.Worksheet) {
    this.sheet = ws as unknown as SheetWriterInternals;
  }

  /** Appends the next row; a row with no value and no height is skipped, as exceljs skips it. */
  write(cells: readonly XmlCell[], height?: number): void {
    const sheet = this.sheet;
    if (sheet._rows.length > 0) throw new Error('RowXmlWriter: the sheet has uncommitted rows');
    const number = sheet._rowZero;
    sheet._rowZero = number + 1;
    // a skipped row registers no style either (exceljs never prepares it)
    if (!height && !cells.some((c) => c.value !== null)) return;
    if (!sheet.startedData) {
      sheet._writeColumns();
      sheet._writeOpenSheetData();
      sheet.startedData = true;
    }
    const styles = sheet._workbook.styles;
    // the row's own (empty) style first, then each cell's: the order exceljs adds them to the table
    const rowStyleId = styles.addStyleModel(ROW_STYLE, TYPE_NUMBER);
    let body = '';
    for (let i = 0; i < cells.length; i++) {
      const { value, style } = cells[i]!;
      const type = value === null ? TYPE_NULL : typeof value === 'number' ? TYPE_NUMBER : TYPE_RICH_TEXT;
      const styleId = styles.addStyleModel(style, type);
      if (type === TYPE_NULL) {
        if (styleId) body += `<c r="${columnLetter(i + 1)}${number}" s="${styleId}"/>`;
        continue;
      }
      body += `<c r="${columnLetter(i + 1)}${number}"${styleId ? ` s="${styleId}"` : ''}`;
      if (type === TYPE_NUMBER) {
        body += `><v>${xmlText(String(value))}</v></c>`;
        continue;
      }
      const runs = (value as { richText: XmlRun[] }).richText;
      if (runs.length === 0) {
        body += ' t="inlineStr"><is/></c>';
        continue;
      }
      body += ' t="inlineStr"><is>';
      for (const run of runs) {
        body += run.font ? `<r>${runProperties(run.font)}` : '<r>';
        body += PRESERVE.test(run.text) ? '<t xml:space="preserve">' : '<t>';
        body += `${xmlText(run.text)}</t></r>`;
      }
      body += '</is></c>';
    }
    let open = `<row r="${number}"`;
    if (height) open += ` ht="${height}" customHeight="1"`;
    if (cells.length > 0) open += ` spans="1:${cells.length}"`;
    if (rowStyleId) open += ` s="${rowStyleId}" customFormat="1"`;
    // a row with no cell written is an empty element, as exceljs closes it
    sheet.stream.write(body === '' ? `${open} x14ac:dyDescent="0.25"/>` : `${open} x14ac:dyDescent="0.25">${body}</row>`);
  }
}
