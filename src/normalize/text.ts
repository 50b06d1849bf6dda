// Text normalisation for comparisons: dictionary values, headers and region names used as join
// keys are compared after trimming, full-width → half-width and Traditional → Simplified
// (SPEC §3.0). Names of people are never passed through here: they are kept as written.
import * as OpenCC from 'opencc-js';

const toSimplified: (s: string) => string = OpenCC.Converter({ from: 't', to: 'cn' });

/** Full-width ASCII (U+FF01..U+FF5E) and the ideographic space → half-width. */
export function toHalfWidth(s: string): string {
  let out = '';
  let changed = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) {
      out += String.fromCharCode(c - 0xfee0);
      changed = true;
    } else if (c === 0x3000) {
      out += ' ';
      changed = true;
    } else out += s[i];
  }
  return changed ? out : s;
}

// Cache: the same few hundred dictionary values and headers recur on every row.
const simplifiedCache = new Map<string, string>();
const HAN = /[\u3400-\u9fff]/;

/** Traditional → Simplified (OpenCC, maintained tables), cached per distinct string. */
export function simplify(s: string): string {
  if (!HAN.test(s)) return s;
  let r = simplifiedCache.get(s);
  if (r === undefined) {
    r = toSimplified(s);
    if (simplifiedCache.size < 100_000) simplifiedCache.set(s, r);
  }
  return r;
}

/** Trim, full-width → half-width, Traditional → Simplified. For dictionary values and region keys. */
export function normalizeText(s: string): string {
  return simplify(toHalfWidth(s).trim());
}

/** Unit suffixes that may follow a header: `(元)`, `（万元）`, `(月)` … */
const UNIT_SUFFIX = /\((元|万元|月|人|个|岁|年|亩|%|元\/人|元\/年|万|千元|天)\)$/;

/**
 * Field codes that some systems put before a header: letters with digits (`B92-1`, `AAB004`,
 * `A01.`), or an item number (`1.`, `12、`, `(3)`, `③`); only when Chinese text
 * follows, so a header that is all code stays as it is.
 */
const FIELD_CODE = /^(?:[A-Za-z]{1,4}\d{1,4}(?:[-_.]\d{1,3})*[-_.、:]?|\d{1,3}[.、]|\(\d{1,2}\)|[\u2460-\u2473])(?=[\u3400-\u9fff*])/;

export interface NormalizedHeader {
  /** comparable header text: no spaces or line breaks, half-width, Simplified, unit removed */
  name: string;
  /** the unit suffix found, if any (元, 万元, 月 …) */
  unit?: string;
}

/** Normalise a header cell for matching against the aliases in src/schema/tables.ts. */
export function normalizeHeader(raw: string): NormalizedHeader {
  let s = simplify(toHalfWidth(raw)).replace(/[\s\u00a0\u200b\ufeff]+/g, '');
  s = s.replace(/^[*＊※]+|[*＊※:：]+$/g, ''); // required-field stars and trailing colons
  // a field code before the name (`B92-1姓名`, `AAB004 姓名`, `A01.姓名`, `1.姓名`) is not part of it
  s = s.replace(FIELD_CODE, '');
  s = s.replace(/^[*＊※]+/, '');
  const m = UNIT_SUFFIX.exec(s);
  if (m) return { name: s.slice(0, m.index), unit: m[1] };
  return { name: s };
}

/**
 * Characters OpenCC turns into another character although they are current Simplified usage in
 * place names (乾县, 乾安县 would become 干县, 干安县).
 */
const PLACE_NAME_KEEP = new Set(['乾']);

/**
 * normalizeText for region names (join keys that are also shown to the clerk): as normalizeText,
 * without inner spaces (城关 镇 = 城关镇), and keeping the characters of PLACE_NAME_KEEP.
 */
export function normalizePlaceName(s: string): string {
  const t = toHalfWidth(s).replace(/[\s\u00a0\u200b\ufeff]+/g, '');
  const r = simplify(t);
  if (r === t || r.length !== t.length) return r;
  let hasKeep = false;
  for (const c of t) if (PLACE_NAME_KEEP.has(c)) hasKeep = true;
  if (!hasKeep) return r;
  let out = '';
  for (let i = 0; i < t.length; i++) out += PLACE_NAME_KEEP.has(t[i]!) ? t[i] : r[i];
  return out;
}
