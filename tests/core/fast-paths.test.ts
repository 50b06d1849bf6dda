// The fast paths taken for the common cell (a plain key, a plain ID number, a month length without
// a Date object) must give exactly what the general path gives. Each is compared with the general
// computation it skips, written out here as it stood before the fast path.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { daysInMonth, isValidDate } from '../../src/core/values.js';
import { dateFromString, expandScientific, halfWidth, parseKey, parsePhone } from '../../src/normalize/values.js';
import { checkDigit, checkIdCached, checkIdNumber, checkIdNumberInFull, normalizeIdText } from '../../validators/lib/idcard.js';
import { regionCodes } from '../../validators/lib/regions.js';
import { deserialize, serialize } from 'node:v8';
import { createHash } from 'node:crypto';
import { detectEncoding } from '../../src/ingest/sniff.js';

const LEADING_QUOTE = /^['‘’`"“]+/;
const TRAILING_ZERO_FRACTION = /^(\d+)\.0+$/;
const SCIENTIFIC = /^[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+$/;

/** parseKey's general path for a string cell. */
function keyGeneral(cell: string): string | undefined {
  let s = halfWidth(cell).trim().replace(LEADING_QUOTE, '');
  if (s === '') return undefined;
  const m = TRAILING_ZERO_FRACTION.exec(s);
  if (m) s = m[1]!;
  else if (SCIENTIFIC.test(s)) s = expandScientific(s) ?? s;
  return s;
}

/** normalizeIdText's general path. */
function idTextGeneral(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000\u00A0]+/g, '')
    .replace(/x/g, 'X');
}

// characters that matter to the two paths: digits, e/E, x/X, letters, dot, quotes, spaces,
// full-width forms, a Chinese character
const KEY_CHARS = [...'0123456789eExXAZaz.-_+ \'"‘', '\u3000', '\u00a0', '０', '９', 'Ｘ', 'ｅ', '村', '\t'];
const keyText = fc.array(fc.constantFrom(...KEY_CHARS), { maxLength: 20 }).map((a) => a.join(''));

describe('fast paths give the general result', () => {
  it('parseKey on any text of keys, exponents, spaces, quotes and full-width forms', () => {
    fc.assert(fc.property(keyText, (s) => {
      expect(parseKey(s)).toBe(keyGeneral(s));
    }), { numRuns: 5000 });
    for (const s of ['4305240101001', 'HH-0001', '4.305240101001E+12', '1e5', ' 43052401 ', "'0012", '０１２', '12.0'])
      expect(parseKey(s)).toBe(keyGeneral(s));
  });

  it('normalizeIdText on any text of digits, x/X, spaces and full-width forms', () => {
    fc.assert(fc.property(keyText, (s) => {
      expect(normalizeIdText(s)).toBe(idTextGeneral(s));
    }), { numRuns: 5000 });
    for (const s of ['43052419800101001X', '43052419800101001x', '４３０５２４', '430524 1980', '']) expect(normalizeIdText(s)).toBe(idTextGeneral(s));
  });

  it('daysInMonth equals the Date.UTC month length for every year and month, odd ones included', () => {
    for (let y = -500; y <= 3000; y++) for (let m = -1; m <= 14; m++) expect(daysInMonth(y, m)).toBe(new Date(Date.UTC(y, m, 0)).getUTCDate());
    for (const y of [1900.5, 0, 99, 100, 1900, 2000, 2100]) expect(daysInMonth(y, 2)).toBe(new Date(Date.UTC(y, 2, 0)).getUTCDate());
    expect(isValidDate(2000, 2, 29)).toBe(true);
    expect(isValidDate(1900, 2, 29)).toBe(false);
    expect(isValidDate(2023, 4, 31)).toBe(false);
  });

  it('detectEncoding says UTF-8 exactly when a streaming TextDecoder accepts the sample', () => {
    const general = (b: Uint8Array): boolean => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(b, { stream: true });
        return true;
      } catch {
        return false;
      }
    };
    // text cut anywhere (ASCII, Chinese, 4-byte characters), GBK bytes, and random bytes
    const utf8 = fc.string({ unit: 'binary', maxLength: 40 }).map((t) => Buffer.from('序号,姓名\n' + t + '𠀀中', 'utf8'));
    const cut = fc.tuple(utf8, fc.nat()).map(([b, n]) => b.subarray(0, b.length - (n % 5)));
    const bytes = fc.uint8Array({ maxLength: 24 }).map((a) => Buffer.concat([Buffer.from('a,b\n'), Buffer.from(a)]));
    fc.assert(
      fc.property(fc.oneof(cut, bytes), (b) => {
        const { encoding } = detectEncoding(b);
        // NUL-heavy samples are judged UTF-16 before UTF-8 is considered
        if (encoding !== 'utf16le' && encoding !== 'utf16be') expect(encoding === 'utf8').toBe(general(b));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('a date text of the form 2016-03-01 (read by char codes) gives what the general path gives', () => {
  // a leading space never takes the fast path, and the general path trims it: the reference
  const general = (s: string) => dateFromString(' ' + s);
  it('on fixed examples', () => {
    for (const s of ['2016-03-01', '2016-02-30', '2016-13-01', '0000-00-00', '0000-03-01', '0999-01-01', '1900-02-29', '2000-02-29', '2016-3-01', '2016/03/01', '２016-03-01']) {
      expect(dateFromString(s)).toEqual(general(s));
    }
    expect(dateFromString('2016-03-01')).toEqual({ y: 2016, m: 3, d: 1 });
  });
  it('on random texts of dates, near-dates and noise', () => {
    const digit = fc.constantFrom(...'0123456789');
    const d = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((a) => a.join(''));
    const near = fc.tuple(d(4), fc.constantFrom('-', '/', '.', '－', ' '), d(2), fc.constantFrom('-', '/', '.', ' '), d(2)).map((p) => p.join(''));
    const noise = fc.array(fc.constantFrom(...'0123456789-/. 年月日X'), { minLength: 0, maxLength: 12 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.oneof(near, noise), (s) => {
        expect(dateFromString(s)).toEqual(general(s));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('a phone written as plain digits (returned as is) gives what the general path gives', () => {
  // a leading space never takes the fast path, and the general path drops it: the reference
  const general = (s: string) => parsePhone(' ' + s);
  it('on fixed examples and random digit texts with prefixes, separators and noise', () => {
    for (const s of ['13800000000', '8613800000000', '008613800000000', '86', '8', '0731-1234567', '13800000000.0', '1.38E+10']) {
      expect(parsePhone(s)).toEqual(general(s));
    }
    expect(parsePhone('8613800000000')).toBe('13800000000');
    const text = fc.array(fc.constantFrom(...'0123456789', '86', '0086', '+', '-', '.', 'E', ' ', '（'), { minLength: 1, maxLength: 16 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, (s) => {
        expect(parsePhone(s)).toEqual(general(s));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('wrappedLines (one pass over char codes) gives what the token version gave', () => {
  const NO_LINE_START = /[，。、；：？！”’）》」』】〕,.;:?!)\]}%]/;
  const NO_LINE_END = /[“‘（《「『【〔(\[{]/;
  const units = (s: string): number => {
    let n = 0;
    for (const ch of s) {
      const c = ch.codePointAt(0)!;
      n += c >= 0x2e80 && !(c >= 0xff61 && c <= 0xff9f) ? 2 : 1;
    }
    return n;
  };
  /** the tokenising version, as it stood */
  function reference(s: string, width: number): number {
    if (!s) return 1;
    const per = Math.max(1, Math.floor(width - 1));
    let lines = 0;
    for (const part of s.split('\n')) {
      const tokens: string[] = [];
      for (const m of part.matchAll(/[A-Za-z0-9_@#&+\-.]+|[\s\S]/gu)) {
        const t = m[0];
        if (tokens.length && (NO_LINE_START.test(t) || NO_LINE_END.test(tokens[tokens.length - 1]!.slice(-1)))) tokens[tokens.length - 1] += t;
        else tokens.push(t);
      }
      let n = 1;
      let used = 0;
      for (const t of tokens) {
        const w = units(t);
        if (used + w <= per) {
          used += w;
          continue;
        }
        if (w <= per) {
          n++;
          used = t.trim() === '' ? 0 : w;
          continue;
        }
        const rest = w - (per - used);
        n += Math.ceil(rest / per);
        used = rest % per || per;
      }
      lines += n;
    }
    return lines;
  }
  const CHARS = [...'ab Z09_.-,;:%()[]{}“”‘’（）《》，。、！？\n\r\t', '\u3000', '\u00a0', '\u2003', 'ｱ', '中', '国', '𠀀', '\ud800', '\udc00', '村'];
  const text = fc.array(fc.constantFrom(...CHARS), { maxLength: 60 }).map((a) => a.join(''));

  it('on random texts and widths', async () => {
    const { wrappedLines } = await import('../../src/outputs/xlsx-text.js');
    fc.assert(
      fc.property(text, fc.double({ min: 0, max: 40, noNaN: true }), (s, w) => {
        expect(wrappedLines(s, w)).toBe(reference(s, w));
      }),
      { numRuns: 20000 },
    );
    const msg = '证件号码“430524198001011234”校验位错误：按前17位计算，最后一位应为“5”，请对照身份证原件核对。文件 成员信息-大坪村.csv 第 12 行';
    for (const w of [1, 4, 8.5, 12, 30, 100]) expect(wrappedLines(msg, w)).toBe(reference(msg, w));
  });
});

describe('an ID number without problems (checked by char codes) gets what the full check gives', () => {
  const known = [...regionCodes().codes.keys()].filter((c) => /^\d{6}$/.test(c)).slice(0, 400);
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  // a number built from a known county, a birth date and a sequence, with its check digit; then
  // perhaps spoiled the ways real numbers are (check digit, date, county, 000 end, placeholder, x)
  const numberText = fc
    .record({
      county: fc.oneof(fc.constantFrom(...known), fc.constantFrom('990101', '431299', '000000', '999999')),
      y: fc.oneof(fc.integer({ min: 1920, max: 1990 }), fc.integer({ min: 1790, max: 2030 })),
      m: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 13 })),
      d: fc.oneof(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 32 })),
      seq: fc.integer({ min: 0, max: 999 }),
      spoil: fc.constantFrom('none', 'none', 'none', 'check', 'zeros', 'lower', 'short', 'long'),
    })
    .map(({ county, y, m, d, seq, spoil }) => {
      const first17 = county + pad(y, 4) + pad(m, 2) + pad(d, 2) + pad(seq, 3);
      const good = first17 + checkDigit(first17);
      if (spoil === 'check') return first17 + (good[17] === '0' ? '1' : '0');
      if (spoil === 'zeros') return first17.slice(0, 15) + '000';
      if (spoil === 'lower') return good.replace('X', 'x');
      if (spoil === 'short') return good.slice(0, 17);
      if (spoil === 'long') return good + '1';
      return good;
    });
  it('on random numbers, as-of dates, 证件类型 and cell kinds', () => {
    let sound = 0;
    fc.assert(
      fc.property(
        numberText,
        fc.record({ y: fc.integer({ min: 1990, max: 2030 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) }),
        fc.constantFrom(undefined, '', '居民身份证', '身份证', '护照', '残疾人证'),
        fc.constantFrom('text', 'text', 'numeric', 'scientific'),
        (text, asOf, idType, kind) => {
          const id = { raw: text, text, numericCell: kind === 'numeric', scientific: kind === 'scientific' };
          const full = checkIdNumberInFull(id, asOf, { idType });
          expect(checkIdNumber(id, asOf, { idType })).toEqual(full);
          if (full.problems.length === 0 && full.birth) sound++;
        },
      ),
      { numRuns: 6000 },
    );
    expect(sound).toBeGreaterThan(300); // sound numbers, where the fast path answers, came often (~7 %)
  });
});

describe('an ID number\'s remembered check', () => {
  it('is the same answer, is asked again per as-of date and type, and leaves no trace in equality, JSON or a clone', () => {
    const id = { raw: '430524199001011234', text: '430524199001011234', numericCell: false, scientific: false };
    const copy = { ...id };
    const asOf = { y: 2020, m: 4, d: 30 };
    const first = checkIdCached(id, asOf);
    const { problems, normalized, birth, gender } = first;
    expect({ problems, normalized, birth, gender }).toEqual(checkIdNumber(copy, asOf));
    expect(checkIdCached(id, { ...asOf })).toBe(first); // remembered
    expect(checkIdCached(id, { y: 1985, m: 1, d: 1 })).not.toBe(first); // another as-of date: checked again
    expect(checkIdCached(id, { y: 1985, m: 1, d: 1 }).problems.map((p) => p.code)).toContain('birth_future');
    expect(checkIdCached(id, asOf, '护照').problems).toEqual([]); // another 证件类型: checked again
    expect(id).toStrictEqual(copy);
    expect(JSON.stringify(id)).toBe(JSON.stringify(copy));
    expect(deserialize(serialize(id))).toStrictEqual(copy);
    const frozen = Object.freeze({ ...copy });
    expect(checkIdCached(frozen, asOf)).toEqual(first); // a frozen value is checked, not remembered
  });

  it('holds one object per number: problem-free checks share one frozen empty list, equal birth dates one date', () => {
    const asOf = { y: 2020, m: 4, d: 30 };
    const idOf = (text: string) => ({ raw: text, text, numericCell: false, scientific: false });
    // two valid numbers born the same day, one with a wrong check digit
    const a = checkIdCached(idOf('430524199001011238'), asOf);
    const b = checkIdCached(idOf('430524199001014578'), asOf);
    const bad = checkIdCached(idOf('430524199001011234'), asOf);
    expect(a.problems).toEqual([]);
    expect(b.problems).toEqual([]);
    expect(a.problems).toBe(b.problems);
    expect(Object.isFrozen(a.problems)).toBe(true);
    expect(bad.problems.map((p) => p.code)).toEqual(['check_digit']);
    expect(bad.problems).not.toBe(a.problems);
    expect(a.birth).toEqual({ y: 1990, m: 1, d: 1 });
    expect(b.birth).toBe(a.birth);
    expect(bad.birth).toBe(a.birth);
    // each answer is what checkIdNumber says
    for (const [text, c] of [['430524199001011238', a], ['430524199001014578', b], ['430524199001011234', bad]] as const) {
      expect({ problems: c.problems, normalized: c.normalized, birth: c.birth, gender: c.gender }).toEqual(checkIdNumber(idOf(text), asOf));
    }
  });
});

describe('cellText (a char-code check before the regex) gives what the regex alone gave', () => {
  const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
  const reference = (s: string): string => {
    const t = s.replace(XML_INVALID, '');
    return t.length > 32_767 ? t.slice(0, 32_766) + '…' : t;
  };
  const UNITS = ['a', '中', ' ', '\t', '\n', '\r', '\u0000', '\u0008', '\u000b', '\u001f', '\ud800', '\udbff', '\udc00', '\udfff', '\ufffd', '\ufffe', '\uffff', '\ue000', '𠀀', '\u007f'];
  it('on random texts of clean and invalid units, paired and unpaired surrogates', async () => {
    const { cellText } = await import('../../src/outputs/xlsx-text.js');
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...UNITS), { maxLength: 40 }), (a) => {
        const s = a.join('');
        expect(cellText(s)).toBe(reference(s));
      }),
      { numRuns: 20000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(cellText(s)).toBe(reference(s));
      }),
      { numRuns: 5000 },
    );
    expect(cellText('x'.repeat(40_000))).toBe(reference('x'.repeat(40_000)));
  });
});

describe('fingerprint (concatenated key, one-shot hash) gives what the array-join version gave', () => {
  const idText = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? (v as { text: string }).text : String(v));
  const referenceKey = (f: Record<string, any>): string => {
    if (f.groupKey !== undefined) return ['group', f.groupKey].join('\u001f');
    if (f.rule.startsWith('FILE-')) return ['file', f.at?.file ?? '', f.at?.sheet ?? '', f.at?.row ?? ''].join('\u001f');
    return [
      'hh', f.householdNo ?? '', 'nm', f.name ?? '', 'id', idText(f.idNumber), 'hp', idText(f.helperId), 'pj', f.projectNo ?? '', 'vl',
      f.village ? [f.region?.county ?? '', f.region?.township ?? '', f.village].join('/') : '',
      ...(f.recordKey !== undefined ? ['rk', f.recordKey] : []),
    ].join('\u001f');
  };
  const referenceFp = (f: Record<string, any>): string =>
    createHash('sha1').update([f.rule, f.code ?? '', referenceKey(f), f.field ?? ''].join('\u001e')).digest('hex').slice(0, 20);
  const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
  const str = fc.constantFrom('', 'H001', '芙蓉区', '河坝村', '新村', '430524199001011234', 'a\u001fb', '0');
  const id = fc.oneof(str, fc.record({ raw: str, text: str, numericCell: fc.boolean(), scientific: fc.boolean() }));
  const finding = fc.record({
    rule: fc.constantFrom('ID-08', 'PAIR-01', 'FILE-03', 'FILE-04', 'BASE-04'),
    code: opt(fc.constantFrom('none', 'inactive', 'dup')),
    field: opt(fc.constantFrom('householdNo', 'status')),
    householdNo: opt(str),
    name: opt(str),
    idNumber: opt(id),
    helperId: opt(id),
    projectNo: opt(str),
    village: opt(str),
    region: opt(fc.record({ county: opt(str), township: opt(str) })),
    groupKey: opt(str),
    recordKey: opt(str),
    at: opt(fc.record({ file: str, sheet: opt(str), row: opt(fc.nat(99999)) })),
  });
  it('on random findings of every key kind', async () => {
    const { fingerprint, entityKey } = await import('../../src/engine/fingerprint.js');
    fc.assert(
      fc.property(finding, (f) => {
        expect(entityKey(f as never)).toBe(referenceKey(f));
        expect(fingerprint(f as never)).toBe(referenceFp(f));
      }),
      { numRuns: 20000 },
    );
  });
});

describe('TextRows (a typed-array hash table sized once) answers what a Map of text → first row answered', () => {
  // few distinct texts, so rows repeat them; ID-like texts, Chinese, empty-ish and lookalikes
  const TEXTS = ['430524199001011234', '43052419900101123X', '430524900101123', '4305241990010112341101', '无', '中国', '0', 'a', 'A', ' ', '\u0000', '𠀀'];
  const column = fc.array(fc.option(fc.constantFrom(...TEXTS), { nil: undefined }), { maxLength: 60 });
  /** Adds every row to the table and to a Map of text → first row (-1 once repeated), checking each add; the Map. */
  const addEach = (table: { add(i: number): number | undefined }, texts: readonly (string | undefined)[]): Map<string, number> => {
    const map = new Map<string, number>();
    texts.forEach((t, i) => {
      if (t === undefined) return;
      const before = map.get(t);
      expect(table.add(i)).toBe(before);
      map.set(t, before === undefined ? i : -1);
    });
    return map;
  };
  it('on random columns of repeated texts: add as rows come, then get and has for every text', async () => {
    const { TextRows } = await import('../../validators/lib/text-rows.js');
    fc.assert(
      fc.property(column, (texts) => {
        const table = new TextRows(texts);
        const map = addEach(table, texts);
        for (const t of [...TEXTS, 'never written']) {
          expect(table.get(t)).toBe(map.get(t));
          expect(table.has(t)).toBe(map.has(t));
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('with many distinct texts (probe runs that wrap around the table)', async () => {
    const { TextRows } = await import('../../validators/lib/text-rows.js');
    const texts = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? undefined : `430524${String((i * 7919) % 3000).padStart(12, '0')}`));
    const table = new TextRows(texts);
    const map = addEach(table, texts);
    for (let k = 0; k < 4000; k++) {
      const t = `430524${String(k).padStart(12, '0')}`;
      expect(table.get(t)).toBe(map.get(t));
    }
  });
});

describe('sharedHashes (pairwise merges of sorted lists) gives what sorting them all together gave', () => {
  /** the version before: every list concatenated, sorted, equal neighbours shared */
  const reference = (lists: Float64Array[]): number[] => {
    const all = Float64Array.from(lists.flatMap((l) => [...l])).sort();
    const shared = new Set<number>();
    for (let i = 1; i < all.length; i++) if (all[i] === all[i - 1]) shared.add(all[i]!);
    return [...shared];
  };
  // counties' distinct sorted hashes from a small range (so they overlap), large ones included
  const hash = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constantFrom(2 ** 53 - 1, 2 ** 52 + 3, 4294967296, 4294967297));
  const county = fc.array(hash, { maxLength: 30 }).map((a) => Float64Array.from(new Set(a)).sort());
  it('on random counties (none, one, odd and even numbers of them), in ascending order', async () => {
    const { sharedHashes } = await import('../../src/bycounty/key-hash.js');
    fc.assert(
      fc.property(fc.array(county, { maxLength: 9 }), (lists) => {
        expect([...sharedHashes(lists)]).toEqual(reference(lists));
      }),
      { numRuns: 5000 },
    );
  });
});
