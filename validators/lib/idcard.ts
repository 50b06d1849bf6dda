// Resident ID numbers (公民身份号码, GB 11643-1999) as rules need them: normalisation, the 15 → 18
// upgrade, the check digit, and the per-number checks of SPEC §3 ID-02..ID-05 and ID-10.
// Used by the ID rules (validators/identity.ts) and by HELPER-01 (validators/helper.ts).
import type { IdValue } from '../../src/model.js';
import { ageAt, isValidDate } from '../../src/core/values.js';
import { lookup } from '../../src/normalize/dictionaries.js';
import { isKnownProvince, isKnownRegion } from './regions.js';

/** The params of each per-number problem, by rule and code (the ID rules' templates read them). */
export interface IdProblemParams {
  'ID-02': {
    format: { length?: number };
    /** without params when the upgrade is proposed (in `expected`); why not, when it cannot be */
    legacy15: { unusable?: 'birth' | 'province'; birth?: string; province?: string };
    disability_suffix: { suffix: string };
  };
  'ID-03': { check_digit: { checkDigit: string; written: string } };
  'ID-04': { birth_invalid: { birth: string }; birth_future: { birth: string }; age_over_120: { birth: string; age: number } };
  'ID-05': { province: { province: string; region: string }; county: { region: string } };
  'ID-10': { scientific: Record<string, never>; numeric_cell: { digits: number }; trailing_zeros: Record<string, never> };
}

export type IdRule = keyof IdProblemParams;

/** One problem of one number: its rule, code (enters the fingerprint) and that code's params. */
export type IdProblem = {
  [R in IdRule]: {
    [C in keyof IdProblemParams[R] & string]: {
      rule: R;
      code: C;
      /** only when it differs from the rule's default (error) */
      severity?: 'error' | 'suspect';
      field?: string;
      value?: string;
      expected?: string;
      params?: IdProblemParams[R][C];
    };
  }[keyof IdProblemParams[R] & string];
}[IdRule];

export interface IdCheck {
  problems: IdProblem[];
  /** 18-character form (upgraded from 15, first 18 of a 残疾人证 number) when the format is usable */
  normalized?: string;
  /** birth date in the number, when it is a real date, not in the future and age ≤ 120 */
  birth?: { y: number; m: number; d: number };
  /** from the 17th digit (odd = 男) */
  gender?: '男' | '女';
}

type Ymd = { y: number; m: number; d: number };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** GB 11643 check character of the first 17 digits (sum of digit × weight, mod 11). */
export function checkDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('checkDigit: 17 digits expected');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** 15-digit legacy number → 18 digits: century `19` inserted after the region code, check digit appended. */
export function upgrade15(id15: string): string {
  if (!/^\d{15}$/.test(id15)) throw new Error('upgrade15: 15 digits expected');
  const first17 = id15.slice(0, 6) + '19' + id15.slice(6);
  return first17 + checkDigit(first17);
}

/** Text normalizeIdText leaves as it is: half-width digits and capital letters only. */
const PLAIN_ID_TEXT = /^[0-9A-Z]*$/;

/** Trim, full-width → half-width, inner spaces removed, lowercase x → X (idempotent). */
export function normalizeIdText(text: string): string {
  // nearly every number is already plain: no regex replacements (called several times per person)
  if (PLAIN_ID_TEXT.test(text)) return text;
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000\u00A0]+/g, '')
    .replace(/x/g, 'X');
}

/** The placeholder `999999…` written where a person has no ID number (SPEC §2). */
export function isPlaceholder(text: string): boolean {
  return PLACEHOLDER_START.test(normalizeIdText(text));
}
const PLACEHOLDER_START = /^9{6}/;

/** Texts a clerk writes into an ID cell to say there is none. */
const NONE_TEXTS = new Set(['无', '暂无', '没有', '未办', '未办理', '-', '--', '—', '/', '\\', '0', '空', 'NULL']);
export function isNoneText(text: string): boolean {
  return NONE_TEXTS.has(normalizeIdText(text).toUpperCase());
}

/** A 证件类型 through the idType dictionary (身份证 → 居民身份证, 残疾证 → 残疾人证); as written when unknown. */
export function canonicalIdType(idType: string): string {
  let canonical = canonicalIdTypes.get(idType);
  if (canonical === undefined) {
    const t = normalizeIdText(idType);
    canonical = lookup('idType', t) ?? t;
    if (canonicalIdTypes.size < 1000) canonicalIdTypes.set(idType, canonical);
  }
  return canonical;
}
/** 证件类型 as written → canonical: a column holds a handful of distinct texts, asked per person. */
const canonicalIdTypes = new Map<string, string>();

/** Certificate types whose numbers are resident ID numbers (ID-02..ID-07 apply). */
export function isResidentIdType(idType: string | undefined): boolean {
  if (idType === undefined || idType === '') return true;
  const t = canonicalIdType(idType);
  return t === '居民身份证' || t === '残疾人证';
}

/** 证件类型 absent or 残疾人证: a 20/22-character number may be a 残疾人证 number. */
function mayBeDisabilityCert(idType: string | undefined): boolean {
  return idType === undefined || idType === '' || canonicalIdType(idType) === '残疾人证';
}

function cmpYmd(a: Ymd, b: Ymd): number {
  return a.y - b.y || a.m - b.m || a.d - b.d;
}

/** How a spreadsheet damaged a number (the ID-10 cases), if it did. */
function idDamage(id: IdValue, text: string): { code: 'scientific' | 'trailing_zeros' } | { code: 'numeric_cell'; digits: number } | undefined {
  // the usual number: typed as text, no exponent, no decimal point, not ending in 000
  if (!id.scientific && !id.numericCell && !text.endsWith('000') && !text.includes('E') && !text.includes('.')) return undefined;
  if (id.scientific || /^\d(\.\d+)?E\+?\d+$/.test(text)) return { code: 'scientific' };
  const digits = text.replace(/\.0+$/, '');
  if (id.numericCell && /^\d{15,}$/.test(digits)) return { code: 'numeric_cell', digits: digits.length };
  if (/^\d{15}0{3}$/.test(digits) && checkDigit(digits.slice(0, 17)) !== digits[17]) return { code: 'trailing_zeros' };
  return undefined;
}

/**
 * A number damaged by a spreadsheet (scientific notation, a numeric cell with 15 or more digits,
 * 18 digits ending in 000 that fail the check digit). Its digits no longer identify a person: many
 * people share `430524000000000000`, so it must never serve as a join key.
 */
export function isDamagedId(id: IdValue): boolean {
  return idDamage(id, normalizeIdText(id.text || id.raw || '')) !== undefined;
}

/**
 * ID-02..ID-05 and ID-10 for one number (SPEC §3.0, §3 ID). An empty number or the placeholder
 * yields no problem (ID-01 is the caller's business), nor does a certificate type other than
 * 居民身份证 / 残疾人证. A number damaged by a spreadsheet (scientific notation, a numeric cell
 * with 15 or more digits, or 18 digits ending in 000 that fail the check digit) yields ID-10 alone.
 */
export function checkIdNumber(id: IdValue, asOf: Ymd, opts: { idType?: string } = {}): IdCheck {
  return (!id.scientific && !id.numericCell && soundIdCheck(id.text, asOf, opts.idType)) || checkIdNumberInFull(id, asOf, opts);
}

/**
 * The answer for the usual number, which has no problem: 18 characters written as text, the
 * check digit right, a real birth date at most 120 years back, a known county. One pass over char
 * codes instead of the regexes and substrings of the full check; undefined for any other number
 * (the full check then answers, problems and all). Equal to the full check wherever it answers
 * (tests/core/fast-paths.test.ts).
 */
function soundIdCheck(text: string, asOf: Ymd, idType: string | undefined): IdCheck | undefined {
  if (text.length !== 18) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    sum += d * WEIGHTS[i]!;
  }
  const last = text.charCodeAt(17);
  if (last !== CHECK_CODES[sum % 11]) return undefined;
  // 18 digits ending in 000 may be a number cut by a spreadsheet (ID-10); 999999… is the placeholder
  if (text.endsWith('000') || text.startsWith('999999')) return undefined;
  if (!isResidentIdType(idType)) return undefined;
  const y = digits(text, 6, 4);
  const m = digits(text, 10, 2);
  const d = digits(text, 12, 2);
  if (y < 1800 || !isValidDate(y, m, d)) return undefined;
  const birth = { y, m, d };
  if (cmpYmd(birth, asOf) > 0 || ageAt(birth, asOf) > 120) return undefined;
  if (!isKnownProvince(text.slice(0, 2)) || !isKnownRegion(text.slice(0, 6))) return undefined;
  return { problems: [], normalized: text, birth, gender: (text.charCodeAt(16) - 48) % 2 === 1 ? '男' : '女' };
}

/** The decimal number of `n` digit characters of `s` from `at` (known to be digits). */
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) v = v * 10 + (s.charCodeAt(i) - 48);
  return v;
}

/** CHECK_CHARS as char codes. */
const CHECK_CODES = Array.from(CHECK_CHARS, (c) => c.charCodeAt(0));

/** Every check of checkIdNumber, for any number; exported for the fast-path test only. */
export function checkIdNumberInFull(id: IdValue, asOf: Ymd, opts: { idType?: string } = {}): IdCheck {
  const problems: IdProblem[] = [];
  const text = normalizeIdText(id.text || id.raw || '');
  const shown = id.raw || id.text;
  // `text` is normalised already (normalizeIdText is idempotent): isPlaceholder / isNoneText inline
  if (text === '' || PLACEHOLDER_START.test(text) || NONE_TEXTS.has(text.toUpperCase())) return { problems };
  if (!isResidentIdType(opts.idType)) return { problems };

  // ID-10: what a spreadsheet did to it
  const damage = idDamage(id, text);
  if (damage) {
    problems.push(
      damage.code === 'numeric_cell'
        ? { rule: 'ID-10', code: damage.code, value: shown, params: { digits: damage.digits } }
        : { rule: 'ID-10', code: damage.code, value: shown },
    );
    return { problems };
  }

  // ID-02: format
  let id18: string;
  if (/^\d{15}$/.test(text)) {
    id18 = upgrade15(text);
    // the upgrade is proposed only for a usable number: an impossible birth date or an unknown
    // province would make a wrong 18-digit number look authoritative (ID-04 / ID-05 report them)
    const birth15 = { y: 1900 + Number(text.slice(6, 8)), m: Number(text.slice(8, 10)), d: Number(text.slice(10, 12)) };
    const unusable = !isValidDate(birth15.y, birth15.m, birth15.d) ? 'birth' : !isKnownProvince(text.slice(0, 2)) ? 'province' : undefined;
    problems.push(
      unusable
        ? { rule: 'ID-02', code: 'legacy15', severity: 'suspect', value: shown, params: { unusable, birth: text.slice(6, 12), province: text.slice(0, 2) } }
        : { rule: 'ID-02', code: 'legacy15', severity: 'suspect', value: shown, expected: id18 },
    );
  } else if (/^\d{17}[\dX]$/.test(text)) {
    id18 = text;
  } else if ((text.length === 20 || text.length === 22) && /^\d{17}[\dX]/.test(text) && mayBeDisabilityCert(opts.idType)) {
    // 残疾人证: the 18-character ID, disability category 1–7, grade 1–4 (22: plus a reissue mark)
    const suffix = text.slice(18);
    if (!/^[1-7][1-4]/.test(suffix) || (suffix.length === 4 && !/^[1-7][1-4][0-9A-Z]{2}$/.test(suffix))) {
      problems.push({
        rule: 'ID-02',
        code: 'disability_suffix',
        value: shown,
        params: { suffix },
      });
    }
    id18 = text.slice(0, 18);
  } else {
    const problem: IdProblem = { rule: 'ID-02', code: 'format', value: shown, params: { length: text.length } };
    // 证件类型 says 居民身份证 but the number is 20/22 characters (a 残疾人证 number, or digits
    // appended): suggest its first 18 characters when they form a valid number
    if ((text.length === 20 || text.length === 22) && /^\d{17}[\dX]/.test(text)) {
      const first18 = text.slice(0, 18);
      if (checkDigit(first18.slice(0, 17)) === first18[17]) problem.expected = first18;
    }
    problems.push(problem);
    return { problems };
  }

  const out: IdCheck = { problems, normalized: id18 };

  // ID-03: check digit
  const expectedCheck = checkDigit(id18.slice(0, 17));
  if (id18[17] !== expectedCheck) {
    problems.push({
      rule: 'ID-03',
      code: 'check_digit',
      value: shown,
      expected: id18.slice(0, 17) + expectedCheck,
      params: { checkDigit: expectedCheck, written: id18[17] },
    });
  }

  // ID-04: birth date
  const birth = { y: Number(id18.slice(6, 10)), m: Number(id18.slice(10, 12)), d: Number(id18.slice(12, 14)) };
  const birthText = id18.slice(6, 14);
  if (!isValidDate(birth.y, birth.m, birth.d) || birth.y < 1800) {
    problems.push({ rule: 'ID-04', code: 'birth_invalid', value: shown, params: { birth: birthText } });
  } else if (cmpYmd(birth, asOf) > 0) {
    problems.push({ rule: 'ID-04', code: 'birth_future', value: shown, params: { birth: birthText } });
  } else {
    const age = ageAt(birth, asOf);
    if (age > 120) problems.push({ rule: 'ID-04', code: 'age_over_120', value: shown, params: { birth: birthText, age } });
    else out.birth = birth;
  }

  // ID-05: region code
  const province = id18.slice(0, 2);
  const county = id18.slice(0, 6);
  if (!isKnownProvince(province)) {
    problems.push({ rule: 'ID-05', code: 'province', value: shown, params: { province, region: county } });
  } else if (!isKnownRegion(county)) {
    problems.push({ rule: 'ID-05', code: 'county', severity: 'suspect', value: shown, params: { region: county } });
  }

  out.gender = Number(id18[16]) % 2 === 1 ? '男' : '女';
  return out;
}

// ---------------------------------------------------------------------------------------------
// Shared by the ID and BASE rules: one check per number and as-of date, and a person's age.

/**
 * What an IdValue keeps of its check: the check itself, with the as-of date and 证件类型 it was
 * made for. A county holds one per member row until the cross rules have run, so it is one object:
 * no empty problem list of its own (NO_PROBLEMS), no birth date of its own (one per distinct date,
 * BIRTHS), no separate key record (it was five objects a number, ~200 bytes).
 */
interface CachedCheck extends IdCheck {
  readonly y: number;
  readonly m: number;
  readonly d: number;
  readonly idType: string | undefined;
}

/** The problem list of every number without one (never pushed to: built anew when there are). */
const NO_PROBLEMS: IdProblem[] = Object.freeze([]) as unknown as IdProblem[];
/** Birth dates in numbers, one object per date (a few tens of thousands of distinct ones). */
const BIRTHS = new Map<number, Ymd>();
const MAX_BIRTHS = 100_000;

function sharedBirth(b: Ymd): Ymd {
  const k = b.y * 10_000 + b.m * 100 + b.d;
  const hit = BIRTHS.get(k);
  if (hit) return hit;
  if (BIRTHS.size < MAX_BIRTHS) BIRTHS.set(k, b);
  return b;
}

/** One object holding the check and what it was made for (a literal: all fields in the object). */
function cachedCheck(c: IdCheck, asOf: Ymd, idType: string | undefined): CachedCheck {
  return {
    problems: c.problems.length === 0 ? NO_PROBLEMS : c.problems,
    normalized: c.normalized,
    birth: c.birth === undefined ? undefined : sharedBirth(c.birth),
    gender: c.gender,
    y: asOf.y,
    m: asOf.m,
    d: asOf.d,
    idType,
  };
}

/**
 * Where an IdValue keeps its check: a non-enumerable symbol property, invisible to equality,
 * JSON and structured clone. It was a WeakMap, whose lookups and ephemeron table cost several
 * times a property's for the hundreds of thousands of numbers a county holds.
 */
const CHECKED = Symbol('qingxi.idCheck');
type Checked = IdValue & { [CHECKED]?: CachedCheck };

/** checkIdNumber, memoised per IdValue object (several rules look at the same number). */
export function checkIdCached(id: IdValue, asOf: Ymd, idType?: string): IdCheck {
  const hit = (id as Checked)[CHECKED];
  if (hit && hit.y === asOf.y && hit.m === asOf.m && hit.d === asOf.d && hit.idType === idType) return hit;
  const entry = cachedCheck(checkIdNumber(id, asOf, { idType }), asOf, idType);
  if (hit) (id as Checked)[CHECKED] = entry;
  else if (Object.isExtensible(id)) Object.defineProperty(id, CHECKED, { value: entry, writable: true, enumerable: false, configurable: false });
  return entry;
}

export interface PersonLike {
  idNumber?: IdValue;
  idType?: string;
  birthDate?: { y: number; m?: number; d?: number };
  age?: number;
}

/**
 * Whole years at the as-of date (SPEC §3.0): from the ID number when usable, else 出生日期
 * (a month or year alone counts from its first day), else 年龄; undefined when none is known.
 */
export function personAge(p: PersonLike, asOf: Ymd): number | undefined {
  if (p.idNumber) {
    const c = checkIdCached(p.idNumber, asOf, p.idType);
    if (c.birth) return ageAt(c.birth, asOf);
  }
  if (p.birthDate && Number.isInteger(p.birthDate.y)) {
    const b = { y: p.birthDate.y, m: p.birthDate.m ?? 1, d: p.birthDate.d ?? 1 };
    if (isValidDate(b.y, b.m, b.d) && cmpYmd(b, asOf) <= 0) return ageAt(b, asOf);
  }
  if (typeof p.age === 'number' && Number.isFinite(p.age) && p.age >= 0) return Math.floor(p.age);
  return undefined;
}

/** Gender from the ID number when usable. */
export function idGender(p: PersonLike, asOf: Ymd): '男' | '女' | undefined {
  if (!p.idNumber) return undefined;
  const c = checkIdCached(p.idNumber, asOf, p.idType);
  return c.normalized && !c.problems.some((x) => x.rule === 'ID-10') ? c.gender : undefined;
}
