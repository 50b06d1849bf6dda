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
  let t = MAYBE_INVALID.test(s) ? s.replace(XML_INVALID, '') : s;
  if (t.length > MAX_CELL_CHARS) t = t.slice(0, MAX_CELL_CHARS - 1) + '…';
  return t;
}

// Any unit XML_INVALID might remove (surrogates, paired or not, included): a plain class the
// regex engine scans fast, where XML_INVALID's look-arounds are slow. Nearly every text has none.
const MAYBE_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

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
const NO_LINE_START_CHARS = '，。、；：？！”’）》」』】〕,.;:?!)]}%';
const NO_LINE_END_CHARS = '“‘（《「『【〔([{';

// What lineCount asks of a UTF-16 unit, looked up once per unit in a table of all 65,536 (64 KiB):
// the per-character questions were most of measuring a 整改台账's cells.
const RUN = 1; // latin letters, digits and `_@#&+-.`: a run that wraps only as a whole
const TRIMMED = 2; // what String.prototype.trim removes (ECMAScript white space and line terminators)
const NO_START = 4;
const NO_END = 8;
const WIDE = 16; // two column units: CJK and full-width (half-width katakana are narrow)

const CHAR_CLASS: Uint8Array = (() => {
  const t = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x40 || c === 0x23 || c === 0x26 || c === 0x2b || c === 0x2d || c === 0x2e) t[c]! |= RUN;
    if ((c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff) t[c]! |= TRIMMED;
    if (c >= 0x2e80 && !(c >= 0xff61 && c <= 0xff9f)) t[c]! |= WIDE;
  }
  for (const ch of NO_LINE_START_CHARS) t[ch.charCodeAt(0)]! |= NO_START;
  for (const ch of NO_LINE_END_CHARS) t[ch.charCodeAt(0)]! |= NO_END;
  return t;
})();

/**
 * Lines a wrapped cell of this column width needs. Greedy line filling the way a spreadsheet
 * wraps: a CJK character may break anywhere, a run of digits or latin letters (an ID number, a
 * file name) only as a whole, punctuation stays with its neighbour. One pass over the char codes,
 * no token strings: every cell of every 整改台账 row is measured (it was a fifth of writing them).
 */
export function wrappedLines(s: string, width: number): number {
  if (!s) return 1;
  const per = Math.max(1, Math.floor(width - 1));
  // no character is wider than two units: a short text without a line break fits on one line
  if (s.length * 2 <= per && s.indexOf('\n') < 0) return 1;
  let lines = 0;
  let from = 0;
  for (;;) {
    const nl = s.indexOf('\n', from);
    const to = nl < 0 ? s.length : nl;
    lines += lineCount(s, from, to, per);
    if (nl < 0) return lines;
    from = nl + 1;
  }
}

/**
 * Lines of one paragraph s[from, to). Tokens are an ASCII run or one other character; a token
 * with closing punctuation joins the one before, as does any token after opening punctuation.
 */
function lineCount(s: string, from: number, to: number, per: number): number {
  let n = 1;
  let used = 0;
  // the token being built: its width, whether it is all white space, whether its last unit is
  // opening punctuation (the next token then joins it)
  let open = false;
  let width = 0;
  let blank = true;
  let prevEnds = false;
  const place = (): void => {
    if (used + width <= per) used += width;
    else if (width <= per) {
      n++;
      used = blank ? 0 : width;
    } else {
      // longer than a line: it is broken where it must be
      const rest = width - (per - used);
      n += Math.ceil(rest / per);
      used = rest % per || per;
    }
  };
  let i = from;
  while (i < to) {
    const c = s.charCodeAt(i);
    const k = CHAR_CLASS[c]!;
    let w: number;
    let ws: boolean;
    let closes: boolean;
    if (k & RUN) {
      let j = i + 1;
      closes = c === 0x2e; // '.' is the only closing punctuation inside a run
      while (j < to) {
        const d = s.charCodeAt(j);
        if (!(CHAR_CLASS[d]! & RUN)) break;
        if (d === 0x2e) closes = true;
        j++;
      }
      w = j - i;
      ws = false;
      i = j;
    } else {
      const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < to && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff;
      w = pair || k & WIDE ? 2 : 1;
      ws = !pair && (k & TRIMMED) !== 0;
      closes = (k & NO_START) !== 0;
      i += pair ? 2 : 1;
    }
    if (open && (closes || prevEnds)) {
      width += w;
      blank = blank && ws;
    } else {
      if (open) place();
      open = true;
      width = w;
      blank = ws;
    }
    prevEnds = (CHAR_CLASS[s.charCodeAt(i - 1)]! & NO_END) !== 0;
  }
  if (open) place();
  return n;
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
