// The fast paths taken for the common cell (a plain key, a plain ID number, a month length without
// a Date object) must give exactly what the general path gives. Each is compared with the general
// computation it skips, written out here as it stood before the fast path.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { daysInMonth, isValidDate } from '../../src/core/values.js';
import { expandScientific, halfWidth, parseKey } from '../../src/normalize/values.js';
import { normalizeIdText } from '../../validators/lib/idcard.js';
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
