// Small helpers shared by the workbook writers and readers: safe cell text, safe file names,
// and reading a cell back as text whatever a spreadsheet program turned it into.
import { isIdValue } from '../core/values.js';

/** Excel's limit for the text of one cell. */
export const MAX_CELL_CHARS = 32_767;

// Characters XML 1.0 cannot carry (a broken CSV may deliver them) and unpaired surrogates.
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text safe for a cell: XML-invalid characters removed, cut at Excel's cell limit. The text is
 * always written as a string cell (shared string), so `=1+1`, `+cmd`, `-2` or `@SUM(A1)` stay
 * text; nothing here ever builds a formula.
 */
export function cellText(s: string | undefined | null): string {
  if (s === undefined || s === null) return '';
  let t = s.replace(XML_INVALID, '');
  if (t.length > MAX_CELL_CHARS) t = t.slice(0, MAX_CELL_CHARS - 1) + '…';
  return t;
}

/** An ID number (string or IdValue) as written in the source. */
export function idText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (isIdValue(v)) return v.raw || v.text;
  return String(v);
}

/** One component of a file name: no path separators, reserved characters or control characters. */
export function safeNamePart(s: string, max = 60): string {
  let t = s
    .replace(/[\\/:*?"<>|\u0000-\u001F\u007F]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .replace(/[. ]+$/, '');
  if (t.length > max) t = t.slice(0, max);
  return t || '_';
}

/** A cell value as exceljs reads it back (plain, rich text, hyperlink, formula result, date) → text. */
export function readCellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return '';
    const y = v.getUTCFullYear();
    const m = String(v.getUTCMonth() + 1).padStart(2, '0');
    const d = String(v.getUTCDate()).padStart(2, '0');
    return `${y}-${m}-${d}`;
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o['richText'])) return (o['richText'] as { text?: string }[]).map((r) => r.text ?? '').join('').trim();
    if ('result' in o) return readCellText(o['result']);
    if ('text' in o) return readCellText(o['text']);
    if ('error' in o) return '';
  }
  return String(v).trim();
}

/** Display width of text in column-width units: CJK and full-width characters count two. */
export function textUnits(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c >= 0x2e80 && !(c >= 0xff61 && c <= 0xff9f) ? 2 : 1;
  }
  return n;
}

// Characters a line may not start with (closing punctuation) or end with (opening punctuation):
// spreadsheet programs keep them with their neighbour when wrapping.
const NO_LINE_START = /[，。、；：？！”’）》」』】〕,.;:?!)\]}%]/;
const NO_LINE_END = /[“‘（《「『【〔(\[{]/;

/**
 * Lines a wrapped cell of this column width needs. Greedy line filling the way a spreadsheet
 * wraps: a CJK character may break anywhere, a run of digits or latin letters (an ID number, a
 * file name) only as a whole, punctuation stays with its neighbour.
 */
export function wrappedLines(s: string, width: number): number {
  if (!s) return 1;
  const per = Math.max(1, Math.floor(width - 1));
  let lines = 0;
  for (const part of s.split('\n')) {
    // tokens: an ASCII run, or one other character; opening punctuation glued to what follows,
    // closing punctuation to what precedes
    const tokens: string[] = [];
    for (const m of part.matchAll(/[A-Za-z0-9_@#&+\-.]+|[\s\S]/gu)) {
      const t = m[0];
      if (tokens.length && (NO_LINE_START.test(t) || NO_LINE_END.test(tokens[tokens.length - 1]!.slice(-1)))) tokens[tokens.length - 1] += t;
      else tokens.push(t);
    }
    let n = 1;
    let used = 0;
    for (const t of tokens) {
      const w = textUnits(t);
      if (used + w <= per) {
        used += w;
        continue;
      }
      if (w <= per) {
        n++;
        used = t.trim() === '' ? 0 : w;
        continue;
      }
      // longer than a line: it is broken where it must be
      const rest = w - (per - used);
      n += Math.ceil(rest / per);
      used = rest % per || per;
    }
    lines += n;
  }
  return lines;
}

/**
 * Row height (points) for wrapped text (10-point font unless given). Spreadsheet programs do not grow rows
 * of a generated file on opening, so the writer sets the height; undefined means the default.
 */
export function rowHeightFor(lines: number, fontSize = 10): number | undefined {
  // 1.5 × the font size a line: LibreOffice's CJK fallback fonts (Noto CJK) need more than Excel's 1.35
  return lines > 1 ? Math.min(409, Math.ceil(1.5 * fontSize * lines + 3)) : undefined;
}

/** An inline rich-text string value (what exceljs's streaming writer stores as a plain string). */
export interface TextValue {
  richText: { text: string }[];
}

/**
 * A string cell value. Without a shared-string table exceljs would write a bare string as
 * `t="str"` (the type of a formula's cached result); as rich text it becomes an inline string
 * (`t="inlineStr"`), the plain-string cell type. Empty text → an empty cell.
 */
export function textCell(s: string | undefined | null): TextValue | null {
  const t = cellText(s);
  return t === '' ? null : { richText: [{ text: t }] };
}
