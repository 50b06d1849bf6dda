// Cell parsers: one raw cell (RawCell) → a normalised value. Each parser returns the value,
// `undefined` when the cell is empty, or UNREADABLE when it holds something that cannot be read
// (the row normaliser then keeps the raw text in `row.bad[key]`). Parsers never throw.
import type { IdValue, PartialDate } from '../model.js';
import type { RawCell } from '../core/cells.js';
import { isValidDate } from '../core/values.js';
import { toHalfWidth } from './text.js';

/** Marker for "present but unreadable": a single symbol, so no allocation per bad cell. */
export const UNREADABLE: unique symbol = Symbol('unreadable');
export type Unreadable = typeof UNREADABLE;
export type Parsed<T> = T | undefined | Unreadable;

// ---------------------------------------------------------------------------------------------
// Shared helpers

/** A string that is empty after trimming (incl. NBSP, ideographic and zero-width spaces). */
const BLANK = /^[\s\u00a0\u3000\u200b\ufeff]*$/;

/** Placeholders a clerk writes for "not applicable" in numeric/date/dictionary cells. */
const PLACEHOLDERS = new Set(['-', '/', '--', '—', '——', '－', '／', '\\', '、']);

export function isEmptyCell(cell: RawCell | undefined): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && BLANK.test(cell));
}

/**
 * Integer text of a number without exponent, as a spreadsheet shows it: Excel and LibreOffice keep
 * 15 significant digits, so a longer number reads back as those digits then zeros
 * (4.30524197509221e17 → '430524197509221000'), never the binary double's artefact digits
 * ('…220608' or '…220992', which differ between programs for the same cell).
 */
export function integerText(n: number): string {
  if (Number.isSafeInteger(n) && Math.abs(n) < 1e15) return String(n);
  if (Number.isInteger(n)) return expandScientific(n.toPrecision(15)) ?? BigInt(n).toString();
  return String(n);
}

/** The raw text of a cell, as kept in `row.bad` and shown to the clerk. */
export function rawText(cell: RawCell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') return Number.isInteger(cell) ? integerText(cell) : String(cell);
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if (Number.isNaN(cell.getTime())) return String(cell);
  const y = cell.getUTCFullYear();
  const m = cell.getUTCMonth() + 1;
  const d = cell.getUTCDate();
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** Full-width ASCII or the ideographic space: the only input toHalfWidth changes. */
const FULL_WIDTH = /[\uff01-\uff5e\u3000]/;

/** Half-width form; skips the per-character copy for the common all-ASCII/Chinese cell. */
export function halfWidth(s: string): string {
  return FULL_WIDTH.test(s) ? toHalfWidth(s) : s;
}

/** Trimmed, half-width text of a string cell. */
function clean(s: string): string {
  return halfWidth(s).trim();
}

/** Signed decimal (no exponent): '1234.5', '-3', '.5'. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;
const SCIENTIFIC = /^[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+$/;

// ---------------------------------------------------------------------------------------------
// Dates

const EXCEL_MAX_SERIAL = 2_958_465; // 9999-12-31
const MS_PER_DAY = 86_400_000;
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * Excel 1900 date system. Serial 60 is Excel's fictitious 1900-02-29 (Lotus bug) → unreadable;
 * serials 1..59 are one day later than the plain day count from 1899-12-30 suggests.
 * The fraction (time of day) is dropped.
 */
export function fromExcelSerial(serial: number): Parsed<PartialDate> {
  if (!Number.isFinite(serial) || serial < 1 || serial >= EXCEL_MAX_SERIAL + 1) return UNREADABLE;
  const day = Math.floor(serial);
  if (day === 60) return UNREADABLE;
  const offset = day < 60 ? day + 1 : day;
  const t = new Date(EXCEL_EPOCH_MS + offset * MS_PER_DAY);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

function ymd(y: number, m: number, d: number): Parsed<PartialDate> {
  return y >= 1000 && y <= 9999 && isValidDate(y, m, d) ? { y, m, d } : UNREADABLE;
}

function ym(y: number, m: number): Parsed<PartialDate> {
  return y >= 1000 && y <= 9999 && m >= 1 && m <= 12 ? { y, m } : UNREADABLE;
}

/** A number in a date field (SPEC §3.0): year, YYYYMMDD, else Excel serial. */
function dateFromNumber(n: number): Parsed<PartialDate> {
  if (!Number.isFinite(n) || n < 0) return UNREADABLE;
  if (n === 0) return undefined; // a zero cell means "no date", never 1900-01-00
  if (Number.isInteger(n)) {
    if (n >= 1900 && n <= 2100) return { y: n };
    if (n >= 19_000_101 && n <= 21_001_231) {
      return ymd(Math.floor(n / 10000), Math.floor(n / 100) % 100, n % 100);
    }
    // YYYYMM (201603): as a serial it would be a date in the 25th century, never meant
    if (n >= 190_001 && n <= 210_012 && n % 100 >= 1 && n % 100 <= 12) {
      return { y: Math.floor(n / 100), m: n % 100 };
    }
  } else if (n >= 1900 && n <= 2100) {
    return UNREADABLE; // 2016.3 as a float: month lost (2016.10 → 2016.1), don't guess
  }
  return fromExcelSerial(n);
}

function dateFromDateObject(d: Date): Parsed<PartialDate> {
  const t = d.getTime();
  if (Number.isNaN(t)) return UNREADABLE;
  const y = d.getUTCFullYear();
  // Excel shows a zero in a date-formatted cell as 1900-01-00, which readers turn into
  // 1899-12-30/31: that is an empty cell, not a date.
  if (y < 1900) {
    if (y === 1899 && d.getUTCMonth() === 11 && d.getUTCDate() >= 30) return undefined;
    return UNREADABLE;
  }
  return { y, m: d.getUTCMonth() + 1, d: d.getUTCDate() };
}

const RE_YMD = /^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$/;
const RE_YM = /^(\d{4})\s*[-/.]\s*(\d{1,2})$/;
const RE_ZH = /^(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号]?)?)?(?:份|度)?$/;
/** A time part some readers append: ` 00:00:00`, `T00:00:00.000Z`. */
const RE_TIME = /(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)$/;
/** MySQL-style zero dates mean "no date". */
const RE_ZERO_DATE = /^0{4}[-/.]?0{1,2}[-/.]?0{1,2}$/;

/** `至今` and friends in an end date: still running, i.e. empty (active through the as-of date). */
const ONGOING = /^(至今|今|现在|目前|在岗|在帮|仍在帮扶|未结束|长期)$/;

/** Value of the decimal digit at s[i], or -1 (char codes: no match array, no substrings). */
function digitAt(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/**
 * `2016-03-01` read by char codes: what the general path gives such a text, without a match array
 * and three substrings per cell (CSV exports write every date so); undefined when not of that form.
 */
function isoDate(s: string): Parsed<PartialDate> | undefined {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined;
  const y0 = digitAt(s, 0), y1 = digitAt(s, 1), y2 = digitAt(s, 2), y3 = digitAt(s, 3);
  const m0 = digitAt(s, 5), m1 = digitAt(s, 6), d0 = digitAt(s, 8), d1 = digitAt(s, 9);
  if ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) < 0) return undefined;
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  // 0000-…: a zero date, left to the general path
  return y === 0 ? undefined : ymd(y, m0 * 10 + m1, d0 * 10 + d1);
}

/** A date field's text; exported for the fast-path test (tests/core/fast-paths.test.ts). */
export function dateFromString(s0: string): Parsed<PartialDate> {
  const iso = isoDate(s0);
  if (iso !== undefined) return iso;
  let s = clean(s0);
  if (s === '' || PLACEHOLDERS.has(s) || ONGOING.test(s)) return undefined;
  s = s.replace(RE_TIME, '');
  if (RE_ZERO_DATE.test(s)) return undefined;
  let m = RE_YMD.exec(s);
  if (m) return ymd(+m[1]!, +m[2]!, +m[3]!);
  // `2016.3` / `2016.03` as text is year.month (text keeps 2016.10 apart from 2016.1);
  // `2016.0` is a year read back as a float
  m = RE_YM.exec(s);
  if (m && !(s[4] === '.' && /^0+$/.test(m[2]!))) return ym(+m[1]!, +m[2]!);
  if (DECIMAL.test(s)) return dateFromNumber(Number(s));
  m = RE_ZH.exec(s);
  if (m) {
    const y = +m[1]!;
    if (m[3] !== undefined) return ymd(y, +m[2]!, +m[3]);
    if (m[2] !== undefined) return ym(y, +m[2]);
    return y >= 1900 && y <= 2100 ? { y } : UNREADABLE;
  }
  return UNREADABLE;
}

/** Date field: every form of SPEC §2 / §3.0. */
export function parseDate(cell: RawCell | undefined): Parsed<PartialDate> {
  if (cell === null || cell === undefined) return undefined;
  if (typeof cell === 'string') return dateFromString(cell);
  if (typeof cell === 'number') return dateFromNumber(cell);
  if (cell instanceof Date) return dateFromDateObject(cell);
  return UNREADABLE; // boolean
}

/** Year field (识别年度, 脱贫年度, 出列年度): 1900–2100; a full date yields its year. */
export function parseYear(cell: RawCell | undefined): Parsed<number> {
  if (cell === null || cell === undefined) return undefined;
  let d: Parsed<PartialDate>;
  if (typeof cell === 'number') {
    if (cell === 0) return undefined;
    // Small numbers are not serials here: a year field holding 19 must not become 1900.
    if (cell < 10_000 && !(Number.isInteger(cell) && cell >= 1900 && cell <= 2100)) return UNREADABLE;
    d = dateFromNumber(cell);
  } else if (typeof cell === 'string') {
    const s = clean(cell);
    if (s === '' || PLACEHOLDERS.has(s)) return undefined;
    // numeric text goes the number way, except `2019.6` (year.month as text)
    if (DECIMAL.test(s) && !(s[4] === '.' && RE_YM.test(s) && !/\.0+$/.test(s))) return parseYear(Number(s));
    d = dateFromString(s);
  } else if (cell instanceof Date) {
    d = dateFromDateObject(cell);
  } else return UNREADABLE;
  if (d === undefined || d === UNREADABLE) return d;
  return d.y >= 1900 && d.y <= 2100 ? d.y : UNREADABLE;
}

// ---------------------------------------------------------------------------------------------
// Yes / no

const YES = ['是', 'Y', 'YES', '√', '✓', '✔', '☑', '1', '有', 'TRUE', '已', '对', '是的', '已通', '通', 'T'];
const NO = ['否', 'N', 'NO', '×', '✗', '✘', '☒', 'X', '0', '无', '没有', 'FALSE', '未', '不是', '未通', '不通', 'F'];
const YESNO = new Map<string, boolean>();
for (const s of YES) YESNO.set(s, true);
for (const s of NO) YESNO.set(s, false);

/** Yes/no: 是/否, Y/N, √/×, ✓/✗, 1/0, 有/无, true/false, 已/未. `inverse` flips the answer. */
export function parseYesNo(cell: RawCell | undefined, inverse = false): Parsed<boolean> {
  if (cell === null || cell === undefined) return undefined;
  let b: boolean | undefined;
  if (typeof cell === 'boolean') b = cell;
  else if (typeof cell === 'number') b = cell === 1 ? true : cell === 0 ? false : undefined;
  else if (typeof cell === 'string') {
    b = YESNO.get(cell); // exact hit (是/否) without any copying
    if (b === undefined) {
      const s = clean(cell).toUpperCase();
      if (s === '' || PLACEHOLDERS.has(s)) return undefined;
      b = YESNO.get(s) ?? YESNO.get(simplifyYesNo(s));
      if (b === undefined && DECIMAL.test(s)) {
        const n = Number(s); // 1.0 / 0.0 read back from floats
        b = n === 1 ? true : n === 0 ? false : undefined;
      }
    }
  }
  if (b === undefined) return UNREADABLE;
  return inverse ? !b : b;
}

/** Traditional forms of the few yes/no words (無, 沒有): avoid OpenCC for a handful of chars. */
function simplifyYesNo(s: string): string {
  return s.replace(/無/g, '无').replace(/沒/g, '没');
}

// ---------------------------------------------------------------------------------------------
// Numbers

/** Units a number cell may carry after its digits. */
const NUMBER_SUFFIX = /(?:元|人|个月|月|岁|口|户|次)$/;

/** Thousands separators must group by three (`1,250,000`); `6,5` or `6500,50` is a typo, not 65. */
const GROUPED = /^[-+]?\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?\D*$/;

/** Strip separators and spaces from a numeric string; '' when nothing numeric is left. */
function numericText(s: string): string {
  const t = s.replace(/[\s\u00a0'¥￥]/g, '');
  // badly grouped separators: leave a non-numeric text so the cell is reported as unreadable
  if (/[,，]/.test(t) && !GROUPED.test(t)) return t;
  // spaces and thousands separators (half-width after toHalfWidth: `,`; also `，` not converted)
  return t.replace(/[,，]/g, '');
}

/** Plain decimal text needing no cleaning (`30`, `3218.5`, `-12`). */
const PLAIN_NUMBER = /^-?\d{1,15}(?:\.\d+)?$/;

function parseNumericString(s0: string): Parsed<number> {
  if (PLAIN_NUMBER.test(s0)) return Number(s0);
  let s = clean(s0);
  if (s === '' || PLACEHOLDERS.has(s)) return undefined;
  s = numericText(s).replace(NUMBER_SUFFIX, '');
  if (DECIMAL.test(s) || SCIENTIFIC.test(s)) {
    const n = Number(s);
    return Number.isFinite(n) ? n : UNREADABLE;
  }
  return UNREADABLE;
}

/** Header unit factor for plain numbers (a yuan field whose header says 万元 or 千元). */
function unitFactor(unit: string | undefined): number {
  if (unit === '万元' || unit === '万') return 10_000;
  if (unit === '千元') return 1_000;
  return 1;
}

/** Number: separators, spaces, full-width digits, trailing 元/人/月; `-` or `/` alone = empty. */
export function parseNumber(cell: RawCell | undefined, unit?: string): Parsed<number> {
  if (cell === null || cell === undefined) return undefined;
  let n: Parsed<number>;
  if (typeof cell === 'number') n = Number.isFinite(cell) ? cell : UNREADABLE;
  else if (typeof cell === 'string') n = parseNumericString(cell);
  else return UNREADABLE;
  if (typeof n !== 'number') return n;
  const f = unitFactor(unit);
  return f === 1 ? n : round(n * f);
}

/** Integer: as parseNumber, and the value must be whole (5.0 is fine, 5.5 is not). */
export function parseInteger(cell: RawCell | undefined): Parsed<number> {
  const n = parseNumber(cell);
  if (typeof n !== 'number') return n;
  return Number.isSafeInteger(n) ? n : UNREADABLE;
}

/** Round away binary noise from unit conversions (1250000 / 10000 stays 125, 0.1 * 3 → 0.3). */
function round(n: number): number {
  return Math.round(n * 1e8) / 1e8;
}

const AMOUNT = /^(.*?)(万元|万|千元|元)?$/;

/**
 * Amount in 万元: `12.5万元` → 12.5, `1,250,000元` → 125. A bare number is 万元 unless the
 * header's unit says 元 (÷10000) or 千元 (÷10). Anything else (`12.5美元`, `约十万`) is unreadable.
 */
export function parseAmountWan(cell: RawCell | undefined, headerUnit?: string): Parsed<number> {
  if (cell === null || cell === undefined) return undefined;
  let n: number;
  let unit = headerUnit;
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return UNREADABLE;
    n = cell;
  } else if (typeof cell === 'string') {
    const s = numericText(clean(cell));
    if (s === '' || PLACEHOLDERS.has(s)) return undefined;
    const m = AMOUNT.exec(s)!;
    const digits = m[1]!;
    if (m[2]) unit = m[2];
    if (!DECIMAL.test(digits) && !SCIENTIFIC.test(digits)) return UNREADABLE;
    n = Number(digits);
    if (!Number.isFinite(n)) return UNREADABLE;
  } else return UNREADABLE;
  if (unit === '元') return round(n / 10_000);
  if (unit === '千元') return round(n / 10);
  return n;
}

// ---------------------------------------------------------------------------------------------
// ID numbers, phones, keys, text

/**
 * Digits an expanded number may have: a double's largest integer has 309, so every numeric cell
 * still expands; a typed `1E999999999` (a billion zeros: a gigabyte string, or a RangeError) is
 * left as written.
 */
const MAX_EXPANDED_DIGITS = 400;

/** Expand `4.30524E+17` to its integer digits; undefined when the value is not an integer or too long. */
export function expandScientific(s: string): string | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?[eE]([+-]?\d+)$/.exec(s);
  if (!m) return undefined;
  const intPart = m[2] ?? '';
  const frac = m[3] ?? '';
  const exp = Number(m[4]);
  const digits = intPart + frac;
  const point = intPart.length + exp; // position of the decimal point within digits
  if (point > MAX_EXPANDED_DIGITS) return undefined;
  if (point < digits.length) {
    // digits after the point must all be zero for an integer
    if (!/^0*$/.test(digits.slice(Math.max(point, 0)))) return undefined;
    const head = digits.slice(0, Math.max(point, 0)).replace(/^0+(?=\d)/, '');
    return (m[1] === '-' ? '-' : '') + (head === '' ? '0' : head);
  }
  const out = (digits + '0'.repeat(point - digits.length)).replace(/^0+(?=\d)/, '');
  return (m[1] === '-' ? '-' : '') + out;
}

/** An ID number already in normal form: nothing to do. */
const CLEAN_ID = /^\d{14,21}[\dX]$/;
const ID_STRIP = /[\s\u00a0\u200b\ufeff]+/g;
const LEADING_QUOTE = /^['‘’`"“]+/;

/** ID number (证件号码): IdValue with what a spreadsheet did to it; never unreadable. */
export function parseIdValue(cell: RawCell | undefined): IdValue | undefined {
  if (cell === null || cell === undefined) return undefined;
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return { raw: String(cell), text: String(cell), numericCell: true, scientific: false };
    const raw = Number.isInteger(cell) ? integerText(cell) : String(cell);
    return { raw, text: raw, numericCell: true, scientific: false };
  }
  if (typeof cell === 'boolean' || cell instanceof Date) {
    const raw = rawText(cell);
    return { raw, text: raw, numericCell: false, scientific: false };
  }
  if (CLEAN_ID.test(cell)) return { raw: cell, text: cell, numericCell: false, scientific: false };
  if (BLANK.test(cell)) return undefined;
  let text = halfWidth(cell).replace(ID_STRIP, '').replace(LEADING_QUOTE, '');
  if (text === '') return undefined;
  let scientific = false;
  if (SCIENTIFIC.test(text)) {
    scientific = true;
    text = expandScientific(text) ?? text.toUpperCase();
  } else {
    text = text.replace(/x/g, 'X');
  }
  return { raw: cell, text, numericCell: false, scientific };
}

/** `13800000000.0` → `13800000000`: a whole number read back as a float. */
const TRAILING_ZERO_FRACTION = /^(\d+)\.0+$/;
// dashes (ASCII, full-width, en/em) and brackets inside a phone number
const PHONE_SEPARATORS = /[-－–—()（）]/g;
const CN_PREFIX = /^(?:\+86|0086|\(\+86\)|\(86\)|86)(?=1[3-9]\d{9}$)/;

/**
 * Digits only, not starting with 86 (a +86 prefix written without the +): what the general path
 * below returns unchanged. Most phone cells written as text; six regex passes skipped.
 */
function isPlainPhone(s: string): boolean {
  if (s.length === 0 || (s.charCodeAt(0) === 0x38 && s.charCodeAt(1) === 0x36) || s.startsWith('0086')) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** Phone: digits as text; numeric cells as integer text, spaces, dashes, brackets and a +86 prefix removed. */
export function parsePhone(cell: RawCell | undefined): string | undefined {
  if (cell === null || cell === undefined) return undefined;
  if (typeof cell === 'number') return Number.isInteger(cell) ? integerText(cell) : String(cell);
  if (typeof cell !== 'string') return rawText(cell);
  if (isPlainPhone(cell)) return cell;
  let s = toHalfWidth(cell).replace(ID_STRIP, '').replace(LEADING_QUOTE, '');
  if (s === '') return undefined;
  const m = TRAILING_ZERO_FRACTION.exec(s);
  if (m) s = m[1]!;
  else if (SCIENTIFIC.test(s)) s = expandScientific(s) ?? s;
  // separators clerks type inside numbers (138-0000-0001, (0731)1234567), like the spaces above;
  // a bracketed (+86) becomes +86, which CN_PREFIX still takes off
  s = s.replace(PHONE_SEPARATORS, '');
  if (s === '') return undefined;
  return s.replace(CN_PREFIX, '');
}

/**
 * A key nothing below would change (no space, quote, dot, full-width character or e/E that could
 * be an exponent): most 户编号 and 项目编号 cells, which every member row carries.
 */
const PLAIN_KEY = /^[0-9A-DF-Za-df-z_-]+$/;

/** Join key (户编号, 项目编号): trimmed, half-width; numbers without `.0` or exponent. */
export function parseKey(cell: RawCell | undefined): string | undefined {
  if (cell === null || cell === undefined) return undefined;
  if (typeof cell === 'number') return Number.isInteger(cell) ? integerText(cell) : String(cell);
  if (typeof cell !== 'string') return rawText(cell);
  if (PLAIN_KEY.test(cell)) return cell;
  let s = clean(cell).replace(LEADING_QUOTE, '');
  if (s === '') return undefined;
  const m = TRAILING_ZERO_FRACTION.exec(s);
  if (m) s = m[1]!;
  else if (SCIENTIFIC.test(s)) s = expandScientific(s) ?? s; // a number CSV'd as 4.3052401E+12
  return s;
}

/** Text kept as written (names of people): only trimmed. */
export function parseText(cell: RawCell | undefined): string | undefined {
  if (cell === null || cell === undefined) return undefined;
  if (typeof cell !== 'string') return rawText(cell);
  const s = cell.trim();
  return s === '' ? undefined : s;
}

/**
 * Document column (资金下达文号, 可研报告, 验收报告): the text naming the document, or false when
 * the cell says there is none (否/无/N/×); a bare yes (是/√/1) → '是'.
 */
export function parseDoc(cell: RawCell | undefined): string | false | undefined {
  if (cell === null || cell === undefined) return undefined;
  if (typeof cell === 'boolean') return cell ? '是' : false;
  if (typeof cell === 'number') {
    if (cell === 0) return false;
    if (cell === 1) return '是';
    return rawText(cell);
  }
  if (cell instanceof Date) return rawText(cell);
  const s = cell.trim();
  if (s === '') return undefined;
  const yn = parseYesNo(s);
  if (yn === false) return false;
  if (yn === true) return '是';
  if (PLACEHOLDERS.has(toHalfWidth(s))) return false;
  return s;
}
