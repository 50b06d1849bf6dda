// What held rows share (src/core/compact.ts): equal values, fewer copies, nothing observable changed.
import { describe, expect, it } from 'vitest';
import { ColumnInterner, DatePool, FAST_KEY_LIMIT, StringPool, compactObject } from '../../src/core/compact.js';

describe('StringPool', () => {
  it('keeps one entry per distinct string and returns equal values', () => {
    const pool = new StringPool(10);
    const a = pool.intern(['隆回县', '民政局'].join(''));
    const b = pool.intern('隆回县民政局');
    expect(a).toBe('隆回县民政局');
    expect(b).toBe(a);
    expect(pool.size).toBe(1);
  });

  it('stops growing at its capacity and passes new strings through unchanged', () => {
    const pool = new StringPool(3);
    for (const s of ['a', 'b', 'c', 'd', 'e']) expect(pool.intern(s)).toBe(s);
    expect(pool.size).toBe(3);
  });

  it('does not keep strings longer than its limit', () => {
    const pool = new StringPool(10, 4);
    expect(pool.intern('建设内容很长')).toBe('建设内容很长');
    expect(pool.size).toBe(0);
  });
});

describe('ColumnInterner', () => {
  it('keeps interning a column of repeated values', () => {
    const pool = new StringPool(1000);
    const col = new ColumnInterner(pool);
    for (let i = 0; i < 1000; i++) expect(col.intern(['科员', '股长', '干部'][i % 3]!)).toBe(['科员', '股长', '干部'][i % 3]);
    expect(col.active).toBe(true);
    expect(pool.size).toBe(3);
  });

  it('turns itself off for a column of mostly distinct values (names, ID numbers)', () => {
    const pool = new StringPool(100_000);
    const col = new ColumnInterner(pool);
    for (let i = 0; i < 1000; i++) expect(col.intern(`43052419900101${String(i).padStart(4, '0')}`)).toBe(`43052419900101${String(i).padStart(4, '0')}`);
    expect(col.active).toBe(false);
    expect(pool.size).toBe(256); // the sample it judged on, no more
  });

  it('rows of one household in a row do not count as fresh values', () => {
    const pool = new StringPool(100_000);
    const col = new ColumnInterner(pool);
    // household numbers: each repeated on ~3 consecutive member rows
    for (let i = 0; i < 3000; i++) col.intern(`4305241060300${Math.floor(i / 3)}`);
    expect(col.active).toBe(false); // after the repeats, every value was new
    expect(pool.size).toBe(256);
  });
});

describe('DatePool', () => {
  it('shares one object per distinct date and keeps each precision apart', () => {
    const pool = new DatePool(100);
    const a = pool.share({ y: 2016, m: 3, d: 1 });
    expect(pool.share({ y: 2016, m: 3, d: 1 })).toBe(a);
    const month = pool.share({ y: 2016, m: 3 });
    expect(month).not.toBe(a);
    expect(month).toEqual({ y: 2016, m: 3 });
    expect(Object.keys(month)).toEqual(['y', 'm']);
    expect(pool.share({ y: 2016 })).toEqual({ y: 2016 });
    expect(pool.size).toBe(3);
  });

  it('is bounded', () => {
    const pool = new DatePool(2);
    for (let y = 2000; y < 2010; y++) pool.share({ y });
    expect(pool.size).toBe(2);
    const d = { y: 2009 };
    expect(pool.share(d)).toBe(d);
  });
});

describe('compactObject', () => {
  it('keeps every key, in order, with the same values', () => {
    const o: Record<string, unknown> = {};
    const keys = Array.from({ length: FAST_KEY_LIMIT + 12 }, (_, i) => `k${(i * 7) % 31}`);
    keys.forEach((k, i) => (o[k] = i % 2 ? { y: 2000 + i } : `v${i}`));
    const c = compactObject(o);
    expect(c).not.toBe(o);
    expect(Object.keys(c)).toEqual(Object.keys(o));
    for (const k of keys) expect(c[k]).toBe(o[k]);
  });
});
