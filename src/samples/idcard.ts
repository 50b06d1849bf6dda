// GB 11643 ID numbers for synthetic people: check digit, construction, 15-digit legacy form.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export interface Ymd {
  y: number;
  m: number;
  d: number;
}

/** Check character of the first 17 digits. */
export function checkChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

export function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

export function ymd8(b: Ymd): string {
  return `${b.y}${pad(b.m, 2)}${pad(b.d, 2)}`;
}

/** An 18-character ID: region(6) + birth(8) + seq(2) + gender digit (odd = 男) + check. */
export function makeId(region: string, birth: Ymd, seq2: number, male: boolean, genderSeed: number): string {
  const g = (genderSeed % 5) * 2 + (male ? 1 : 0);
  const first17 = region + ymd8(birth) + pad(seq2 % 100, 2) + String(g);
  return first17 + checkChar(first17);
}

export function isValidId18(id: string): boolean {
  return /^\d{17}[\dX]$/.test(id) && checkChar(id.slice(0, 17)) === id[17];
}

/** The 18-digit form of a 15-digit legacy number (births 19xx). */
export function upgrade15(id15: string): string {
  const first17 = id15.slice(0, 6) + '19' + id15.slice(6);
  return first17 + checkChar(first17);
}

/** Whole years of age at a date (birthday reached). */
export function ageAt(b: Ymd, at: Ymd): number {
  let a = at.y - b.y;
  if (at.m < b.m || (at.m === b.m && at.d < b.d)) a--;
  return a;
}

const DAY = 86_400_000;
export function epochDay(d: Ymd): number {
  return Math.floor(Date.UTC(d.y, d.m - 1, d.d) / DAY);
}
export function fromEpochDay(n: number): Ymd {
  const t = new Date(n * DAY);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}
/** Excel 1900-system serial of a date. */
export function excelSerial(d: Ymd): number {
  return epochDay(d) + 25569;
}
