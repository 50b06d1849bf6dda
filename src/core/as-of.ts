// The as-of date (数据截止日期) of a run, parsed once. Every layer takes this one value: the text
// for outputs, the epoch day for interval arithmetic, the calendar parts for ages.
import { epochDay } from './values.js';

export interface AsOf {
  /** YYYY-MM-DD, as given */
  readonly text: string;
  /** days since 1970-01-01 (UTC) */
  readonly day: number;
  readonly y: number;
  readonly m: number;
  readonly d: number;
}

/** YYYY-MM-DD as text (config, 台账 and 核查 dates); tryParseAsOf also checks the calendar. */
export const ISO_DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;

const AS_OF = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses YYYY-MM-DD; undefined when it is not a real calendar date. */
export function tryParseAsOf(text: string): AsOf | undefined {
  const m = AS_OF.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const day = epochDay(y, mo, d);
  const back = new Date(day * 86_400_000);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() + 1 !== mo || back.getUTCDate() !== d) return undefined;
  return Object.freeze({ text, day, y, m: mo, d });
}

/** Parses YYYY-MM-DD; throws on anything else (callers validate user input before, in Chinese). */
export function parseAsOf(text: string): AsOf {
  const a = tryParseAsOf(text);
  if (!a) throw new Error(`invalid as-of date ${text}`);
  return a;
}

/** Today's date on the machine's clock (local time) as YYYY-MM-DD: the as-of date when none is given. */
export function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
