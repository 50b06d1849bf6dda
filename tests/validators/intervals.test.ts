import { describe, expect, it } from 'vitest';
import {
  IntervalList,
  concurrency,
  gaps,
  groupByKey,
  intersectsAny,
  mergeSorted,
  precisionParams,
  sortGroupsByStart,
  spanOf,
} from '../../validators/lib/intervals.js';
import { epochDay, formatDay } from '../../src/core/values.js';
import { pd } from '../helpers/rows.js';
import { Rng } from '../../src/samples/prng.js';

const D = (s: string): number => {
  const [y, m, d] = s.split('-').map(Number);
  return epochDay(y!, m!, d!);
};
const AS_OF = D('2020-04-30');

/** Seeded, reproducible random numbers in [0, 1) (the sample generator's mulberry32). */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

describe('spanOf: partial dates and open ends', () => {
  it('a bare year start is 1 January, a bare year end 31 December', () => {
    const s = spanOf(pd('2016'), pd('2017'), AS_OF)!;
    expect(formatDay(s.start)).toBe('2016-01-01');
    expect(formatDay(s.end)).toBe('2017-12-31');
    expect(s.startPrecision).toBe('year');
    expect(s.endPrecision).toBe('year');
  });
  it('a month end is the last day of that month (leap February)', () => {
    const s = spanOf(pd('2016-02'), pd('2016-02'), AS_OF)!;
    expect(formatDay(s.start)).toBe('2016-02-01');
    expect(formatDay(s.end)).toBe('2016-02-29');
  });
  it('an empty end means active through as-of', () => {
    const s = spanOf(pd('2019-03-05'), undefined, AS_OF)!;
    expect(s.open).toBe(true);
    expect(s.end).toBe(AS_OF);
  });
  it('no start, or an end before the start, gives no span', () => {
    expect(spanOf(undefined, pd('2019-01-01'), AS_OF)).toBeUndefined();
    expect(spanOf(pd('2019-05-01'), pd('2019-04-30'), AS_OF)).toBeUndefined();
    // open pairing starting after as-of
    expect(spanOf(pd('2021-01-01'), undefined, AS_OF)).toBeUndefined();
  });
  it('precision params name only partial dates', () => {
    expect(precisionParams(pd('2016-03-01'), pd('2017-05-31'))).toEqual({});
    expect(precisionParams(pd('2016'), pd('2017-05'))).toEqual({ startPrecision: 'year', endPrecision: 'month' });
  });
});

describe('gaps', () => {
  it('adjacent intervals (end 06-30, next start 07-01) are not a gap', () => {
    expect(gaps([{ start: D('2017-01-01'), end: D('2017-06-30') }, { start: D('2017-07-01'), end: D('2018-01-01') }])).toEqual([]);
  });
  it('one uncovered day is a gap at threshold 0, not at threshold 1', () => {
    const iv = [
      { start: D('2017-07-02'), end: D('2018-01-01') },
      { start: D('2017-01-01'), end: D('2017-06-30') },
    ];
    expect(gaps(iv)).toEqual([{ from: D('2017-07-01'), to: D('2017-07-01') }]);
    expect(gaps(iv, 1)).toEqual([]);
  });
  it('a long interval covers later short ones (max end, not last end)', () => {
    const iv = [
      { start: D('2016-01-01'), end: D('2019-12-31') },
      { start: D('2016-05-01'), end: D('2016-06-01') },
      { start: D('2018-01-01'), end: D('2018-02-01') },
    ];
    expect(gaps(iv)).toEqual([]);
  });
});

describe('concurrency sweep', () => {
  it('finds the peak, its first stretch and the stretches at or over the cap', () => {
    const s = Int32Array.from([10, 12, 15, 40]);
    const e = Int32Array.from([20, 30, 16, 45]);
    const c = concurrency(s, e, 4, 2);
    expect(c.peak).toBe(3);
    expect([c.peakFrom, c.peakTo]).toEqual([15, 16]);
    expect(c.over).toEqual([{ from: 12, to: 20 }]);
  });
  it('an interval ending the day before another starts does not overlap it', () => {
    const c = concurrency(Int32Array.from([1, 11]), Int32Array.from([10, 20]), 2, 2);
    expect(c.peak).toBe(1);
    expect(c.over).toEqual([]);
  });
  it('intersectsAny checks sorted stretches', () => {
    const st = [
      { from: 5, to: 9 },
      { from: 20, to: 25 },
    ];
    expect(intersectsAny(st, 0, 4)).toBe(false);
    expect(intersectsAny(st, 0, 5)).toBe(true);
    expect(intersectsAny(st, 10, 19)).toBe(false);
    expect(intersectsAny(st, 25, 30)).toBe(true);
    expect(intersectsAny(st, 26, 30)).toBe(false);
  });
});

describe('grouping and merging', () => {
  it('groups by key (counting sort) and sorts each group by start', () => {
    const l = new IntervalList(2); // grows
    const data: [number, number, number][] = [
      [2, 50, 60],
      [0, 30, 40],
      [2, 10, 20],
      [1, 5, 5],
      [0, 1, 2],
    ];
    data.forEach(([k, s, e], i) => l.push(k, s, e, i));
    const g = groupByKey(l.keys, l.length, 3);
    sortGroupsByStart(g, l.starts, l.ends);
    expect(Array.from(g.offsets)).toEqual([0, 2, 3, 5]);
    expect(Array.from(g.order)).toEqual([4, 1, 3, 2, 0]);
  });
  it('merges overlapping and touching intervals of one pair', () => {
    const s = Int32Array.from([1, 5, 11, 30]);
    const e = Int32Array.from([6, 10, 12, 31]);
    const out: [number, number][] = [];
    const n = mergeSorted(s, e, Int32Array.from([0, 1, 2, 3]), 0, 4, { push: (a, b) => out.push([a, b]) });
    expect(n).toBe(2);
    expect(out).toEqual([
      [1, 12],
      [30, 31],
    ]);
  });
});

describe('property: sweeps agree with a day-by-day count', () => {
  const W = 120;
  function randomIntervals(r: () => number): { start: number; end: number }[] {
    const n = 1 + Math.floor(r() * 10);
    return Array.from({ length: n }, () => {
      const start = Math.floor(r() * W);
      const len = Math.floor(r() * (r() < 0.3 ? 3 : 40));
      return { start, end: Math.min(W - 1, start + len) };
    });
  }
  function runs(pred: (day: number) => boolean, from: number, to: number): { from: number; to: number }[] {
    const out: { from: number; to: number }[] = [];
    for (let d = from; d <= to; d++) {
      if (!pred(d)) continue;
      const a = d;
      while (d + 1 <= to && pred(d + 1)) d++;
      out.push({ from: a, to: d });
    }
    return out;
  }

  it('gaps: maximal uncovered runs inside [first start, last end] longer than gapDays', () => {
    const r = rng(20200430);
    for (let iter = 0; iter < 600; iter++) {
      const iv = randomIntervals(r);
      const gapDays = Math.floor(r() * 4);
      const covered = new Uint8Array(W);
      for (const x of iv) for (let d = x.start; d <= x.end; d++) covered[d] = 1;
      const lo = Math.min(...iv.map((x) => x.start));
      const hi = Math.max(...iv.map((x) => x.end));
      const expected = runs((d) => covered[d] === 0, lo, hi).filter((g) => g.to - g.from + 1 > gapDays);
      expect(gaps(iv, gapDays), JSON.stringify({ iv, gapDays })).toEqual(expected);
    }
  });

  it('concurrency: peak, first peak stretch and stretches at or over the cap', () => {
    const r = rng(42);
    for (let iter = 0; iter < 600; iter++) {
      const iv = randomIntervals(r);
      const cap = 1 + Math.floor(r() * 4);
      const count = new Int32Array(W);
      for (const x of iv) for (let d = x.start; d <= x.end; d++) count[d]!++;
      const peak = Math.max(...count);
      const firstPeak = runs((d) => count[d] === peak, 0, W - 1)[0]!;
      const over = runs((d) => count[d]! >= cap, 0, W - 1);
      const c = concurrency(
        Int32Array.from(iv, (x) => x.start),
        Int32Array.from(iv, (x) => x.end),
        iv.length,
        cap,
      );
      const ctx = JSON.stringify({ iv, cap });
      expect(c.peak, ctx).toBe(peak);
      expect({ from: c.peakFrom, to: c.peakTo }, ctx).toEqual(firstPeak);
      expect(c.over, ctx).toEqual(over);
    }
  });
});
