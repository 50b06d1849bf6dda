// The nightly benchmark copies one township into every county folder: each county's people get ID
// numbers of their own (the nightly relates ID numbers across county folders), written as they were,
// and a planted wrong check character stays wrong.
import { describe, expect, it } from 'vitest';
import { countyOwnId } from '../../scripts/bench-nightly.js';
import { checkDigit } from '../../validators/lib/idcard.js';

const valid = (first17: string) => first17 + checkDigit(first17);
const ID = valid('43052419800515375');

describe('bench-nightly: county-own ID numbers', () => {
  it('keeps county 1 as generated and gives each other county a different valid number of the same person', () => {
    expect(countyOwnId(ID, 0)).toBe(ID);
    const ids = [1, 2, 3, 49].map((i) => countyOwnId(ID, i));
    expect(new Set([ID, ...ids]).size).toBe(5);
    for (const id of ids) {
      expect(id).toMatch(/^\d{17}[\dX]$/);
      expect(id[17]).toBe(checkDigit(id.slice(0, 17)));
      expect(id.slice(0, 14)).toBe(ID.slice(0, 14)); // region and birth day kept
      expect(id[16]).toBe(ID[16]); // gender digit kept
    }
  });

  it('keeps the written form: full-width digits, lower-case x, a 15-digit number, a 残疾人证 suffix', () => {
    const wide = (s: string) => s.replace(/[0-9Xx]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    expect(countyOwnId(wide(ID), 2)).toBe(wide(countyOwnId(ID, 2)));
    const withX = Array.from({ length: 100 }, (_, n) => valid(`4305241980051${String(n).padStart(2, '0')}37`)).find((x) => x.endsWith('X'))!;
    expect(withX).toBeDefined();
    const lower = countyOwnId(withX.toLowerCase(), 1);
    expect(lower).toBe(countyOwnId(withX, 1).toLowerCase());
    expect(lower).not.toBe(withX.toLowerCase());
    expect(countyOwnId('430524800515375', 3)).toBe('430524800515405');
    expect(countyOwnId(ID + '12', 1)).toBe(countyOwnId(ID, 1) + '12');
  });

  it('leaves a number with a wrong check character as it is', () => {
    const wrong = ID.slice(0, 17) + (ID[17] === '0' ? '1' : '0');
    expect(countyOwnId(wrong, 5)).toBe(wrong);
  });
});
