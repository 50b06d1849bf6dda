// Value helpers below every layer (ingest, normalize, engine, validators, outputs): epoch days,
// partial dates, equality and display of normalised values. Imports nothing but the model types.
import type { IdValue, PartialDate, Region } from '../model.js';

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 (UTC) of a calendar date. */
export function epochDay(y: number, m: number, d: number): number {
  return Math.floor(Date.UTC(y, m - 1, d) / MS_PER_DAY);
}

/** Calendar date of an epoch day. */
export function fromEpochDay(day: number): { y: number; m: number; d: number } {
  const t = new Date(day * MS_PER_DAY);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** Days in month m (1–12) of year y; years 0–99 are 1900–1999, as Date.UTC reads them. */
export function daysInMonth(y: number, m: number): number {
  // arithmetic, not a Date object: called for every date and ID number read
  if (!Number.isInteger(y)) return new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (m === 2) {
    const year = y >= 0 && y <= 99 ? 1900 + y : y;
    return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  }
  if (m >= 1 && m <= 12) return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Is y-m-d a real calendar date? */
export function isValidDate(y: number, m: number, d: number): boolean {
  return Number.isInteger(y) && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** A start written as a month or a year means its first day (SPEC §3.0). */
export function firstDay(p: PartialDate): number {
  return epochDay(p.y, p.m ?? 1, p.d ?? 1);
}

/** An end written as a month or a year means its last day (SPEC §3.0). */
export function lastDay(p: PartialDate): number {
  const m = p.m ?? 12;
  return epochDay(p.y, m, p.d ?? daysInMonth(p.y, m));
}

/** `2016-03-01`, `2016-03` or `2016`, as precise as it was written. */
export function formatPartialDate(p: PartialDate): string {
  const mm = p.m !== undefined ? '-' + String(p.m).padStart(2, '0') : '';
  const dd = p.d !== undefined && p.m !== undefined ? '-' + String(p.d).padStart(2, '0') : '';
  return `${p.y}${mm}${dd}`;
}

export function formatDay(day: number): string {
  const { y, m, d } = fromEpochDay(day);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Whole years of age at a date (birthday reached). */
export function ageAt(birth: { y: number; m: number; d: number }, at: { y: number; m: number; d: number }): number {
  let age = at.y - birth.y;
  if (at.m < birth.m || (at.m === birth.m && at.d < birth.d)) age--;
  return age;
}

export function isPartialDate(v: unknown): v is PartialDate {
  return typeof v === 'object' && v !== null && typeof (v as PartialDate).y === 'number' && !('text' in v);
}

export function isIdValue(v: unknown): v is IdValue {
  return typeof v === 'object' && v !== null && typeof (v as IdValue).text === 'string' && 'numericCell' in v;
}

/** Equality of two normalised values (numbers, strings, booleans, dates, ID numbers, arrays). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    const sa = [...a].sort();
    const sb = [...b].sort();
    return sa.every((x, i) => x === sb[i]);
  }
  if (isIdValue(a) && isIdValue(b)) return a.text === b.text;
  if (isPartialDate(a) && isPartialDate(b)) return a.y === b.y && a.m === b.m && a.d === b.d;
  return false;
}

/** A normalised value as a clerk reads it (outputs, messages). */
export function displayValue(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(displayValue).join('、');
  if (isIdValue(v)) return v.raw || v.text;
  if (isPartialDate(v)) return formatPartialDate(v);
  return JSON.stringify(v);
}

/** The region parts of a row's values (only those present), as a finding's `region`. */
export function regionOf(v: Region): Region {
  const r: Region = {};
  if (v.province) r.province = v.province;
  if (v.city) r.city = v.city;
  if (v.county) r.county = v.county;
  if (v.township) r.township = v.township;
  if (v.village) r.village = v.village;
  return r;
}
