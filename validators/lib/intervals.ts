// Interval semantics for every date-range rule (PAIR-02..04, PAIR-06, PAIR-07, PAIR-09), in one
// place (SPEC §3.0 "Dates"):
// - dates are inclusive at both ends, as epoch days (days since 1970-01-01 UTC);
// - a start written as a month or a bare year means its first day, an end so written its last day;
// - an empty end means active through the as-of date.
//
// The sweeps work on compact typed arrays and sort per key (counting sort into groups, then a
// sort inside each small group), so they run in O(n log n) over a province's ~1 M pairings and
// never compare all pairs.
import type { PartialDate } from '../../src/model.js';
import { firstDay, formatDay, lastDay } from '../../src/core/values.js';

export type Precision = 'day' | 'month' | 'year';

export function precisionOf(p: PartialDate): Precision {
  return p.m === undefined ? 'year' : p.d === undefined ? 'month' : 'day';
}

/** The inclusive day span of a start/end pair, as the rules read it. */
export interface Span {
  start: number;
  end: number;
  /** no end written: active through as-of (end = as-of) */
  open: boolean;
  startPrecision: Precision;
  /** absent when open */
  endPrecision?: Precision;
}

/** First day of a start date (`2017` → 2017-01-01, `2017-02` → 2017-02-01). */
export function startDay(p: PartialDate): number {
  return firstDay(p);
}

/** Last day of an end date (`2017` → 2017-12-31, `2017-02` → 2017-02-28). */
export function endDay(p: PartialDate): number {
  return lastDay(p);
}

/** Marks "no date" in typed arrays of days. */
export const NO_DAY = -2147483648;

/** End day of an end date, or as-of when the end is empty (active through as-of). */
export function endDayOrAsOf(p: PartialDate | undefined, asOf: number): number {
  return p ? lastDay(p) : asOf;
}

/**
 * The span of a start/end pair. `undefined` when it is unusable for coverage: no start, or the
 * end (or as-of, for an open pairing) before the start — PAIR-02 reports those rows.
 */
export function spanOf(start: PartialDate | undefined, end: PartialDate | undefined, asOf: number): Span | undefined {
  if (!start) return undefined;
  const s = firstDay(start);
  const e = end ? lastDay(end) : asOf;
  if (e < s) return undefined;
  const span: Span = { start: s, end: e, open: !end, startPrecision: precisionOf(start) };
  if (end) span.endPrecision = precisionOf(end);
  return span;
}

/** A finding's params saying a date was written only to the month or year (absent: an exact day). */
export interface PrecisionParams {
  startPrecision?: Exclude<Precision, 'day'>;
  endPrecision?: Exclude<Precision, 'day'>;
}

/** Params describing partial precision, for a finding's `params` (empty when both are exact days). */
export function precisionParams(start?: PartialDate, end?: PartialDate): PrecisionParams {
  const out: PrecisionParams = {};
  if (start) {
    const p = precisionOf(start);
    if (p !== 'day') out.startPrecision = p;
  }
  if (end) {
    const p = precisionOf(end);
    if (p !== 'day') out.endPrecision = p;
  }
  return out;
}

/** Chinese note for partial precision (used in messages): 开始时间只写到年，按1月1日计 … */
export function precisionNote(params: PrecisionParams | undefined): string {
  if (!params) return '';
  const parts: string[] = [];
  const sp = params.startPrecision;
  const ep = params.endPrecision;
  if (sp === 'year') parts.push('开始时间只写到年，按当年1月1日计');
  else if (sp === 'month') parts.push('开始时间只写到月，按当月1日计');
  if (ep === 'year') parts.push('结束时间只写到年，按当年12月31日计');
  else if (ep === 'month') parts.push('结束时间只写到月，按当月最后一天计');
  return parts.length ? `（${parts.join('；')}）` : '';
}

export function rangeText(from: number, to: number): string {
  return from === to ? formatDay(from) : `${formatDay(from)} 至 ${formatDay(to)}`;
}

// ---------------------------------------------------------------------------------------------
// Compact interval lists

/** A growable list of (key, start, end, ref) in typed arrays; `ref` points back to the source row. */
export class IntervalList {
  keys: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
  refs: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    const c = Math.max(16, capacity);
    this.keys = new Int32Array(c);
    this.starts = new Int32Array(c);
    this.ends = new Int32Array(c);
    this.refs = new Int32Array(c);
  }

  push(key: number, start: number, end: number, ref: number): void {
    if (this.length === this.keys.length) this.grow();
    const i = this.length++;
    this.keys[i] = key;
    this.starts[i] = start;
    this.ends[i] = end;
    this.refs[i] = ref;
  }

  private grow(): void {
    const c = this.keys.length * 2;
    const g = (a: Int32Array): Int32Array => {
      const b = new Int32Array(c);
      b.set(a);
      return b;
    };
    this.keys = g(this.keys);
    this.starts = g(this.starts);
    this.ends = g(this.ends);
    this.refs = g(this.refs);
  }
}

/**
 * Groups of a key column, CSR style: the entries of key k are `order[offsets[k] .. offsets[k+1])`.
 * Counting sort, O(n + keyCount); entries keep their input order inside a group.
 */
export interface Groups {
  offsets: Int32Array;
  order: Int32Array;
}

export function groupByKey(keys: Int32Array, n: number, keyCount: number): Groups {
  const offsets = new Int32Array(keyCount + 1);
  for (let i = 0; i < n; i++) offsets[keys[i]! + 1]!++;
  for (let k = 0; k < keyCount; k++) offsets[k + 1]! += offsets[k]!;
  const fill = offsets.slice(0, keyCount);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[keys[i]!]!++] = i;
  return { offsets, order };
}

/**
 * Sort `order[lo..hi)` by `cmp` in place: insertion sort for the small groups that dominate
 * (a household has a handful of pairings), the typed-array sort otherwise.
 */
export function sortRange(order: Int32Array, lo: number, hi: number, cmp: (a: number, b: number) => number): void {
  const n = hi - lo;
  if (n < 2) return;
  if (n <= 24) {
    for (let i = lo + 1; i < hi; i++) {
      const x = order[i]!;
      let j = i - 1;
      while (j >= lo && cmp(order[j]!, x) > 0) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = x;
    }
    return;
  }
  order.subarray(lo, hi).sort(cmp);
}

/** Sort every group's entries by start, then end, then index (a total, deterministic order). */
export function sortGroupsByStart(g: Groups, starts: Int32Array, ends: Int32Array): void {
  const cmp = (a: number, b: number): number => starts[a]! - starts[b]! || ends[a]! - ends[b]! || a - b;
  for (let k = 0; k + 1 < g.offsets.length; k++) sortRange(g.order, g.offsets[k]!, g.offsets[k + 1]!, cmp);
}

// ---------------------------------------------------------------------------------------------
// Gaps (PAIR-03, PAIR-04)

/** Days covered by no interval, inclusive. */
export interface Gap {
  from: number;
  to: number;
}

/**
 * Gaps between the first start and the last end of the intervals `idx[lo..hi)` (sorted by start).
 * A gap is reported when the next start is more than `gapDays` days after the day following the
 * covered stretch (gapDays 0: a next start on the day after the previous end is no gap).
 */
export function gapsSorted(
  starts: Int32Array,
  ends: Int32Array,
  idx: Int32Array,
  lo: number,
  hi: number,
  gapDays: number,
): Gap[] {
  const gaps: Gap[] = [];
  if (hi - lo < 2) return gaps;
  let cover = ends[idx[lo]!]!;
  for (let p = lo + 1; p < hi; p++) {
    const i = idx[p]!;
    const s = starts[i]!;
    if (s > cover + 1 + gapDays) gaps.push({ from: cover + 1, to: s - 1 });
    const e = ends[i]!;
    if (e > cover) cover = e;
  }
  return gaps;
}

/** Days after as-of are not judged: drop gaps starting after it, cut the others at it. */
export function clipGaps(gs: Gap[], asOf: number): Gap[] {
  const out: Gap[] = [];
  for (const g of gs) if (g.from <= asOf) out.push(g.to > asOf ? { from: g.from, to: asOf } : g);
  return out;
}

/** Gaps of unsorted plain intervals (convenience for small lists and tests). */
export function gaps(intervals: readonly { start: number; end: number }[], gapDays = 0): Gap[] {
  const n = intervals.length;
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  const idx = new Int32Array(n);
  intervals.forEach((iv, i) => {
    starts[i] = iv.start;
    ends[i] = iv.end;
    idx[i] = i;
  });
  sortRange(idx, 0, n, (a, b) => starts[a]! - starts[b]! || ends[a]! - ends[b]!);
  return gapsSorted(starts, ends, idx, 0, n, gapDays);
}

// ---------------------------------------------------------------------------------------------
// Merging (duplicate rows of one pair count once in PAIR-07)

/**
 * Merge intervals `idx[lo..hi)` (sorted by start) that overlap or touch into `out` (start/end pairs
 * appended). Returns the number of merged intervals written.
 */
export function mergeSorted(
  starts: Int32Array,
  ends: Int32Array,
  idx: Int32Array,
  lo: number,
  hi: number,
  out: { push(start: number, end: number): void },
): number {
  if (hi <= lo) return 0;
  let s = starts[idx[lo]!]!;
  let e = ends[idx[lo]!]!;
  let written = 0;
  for (let p = lo + 1; p < hi; p++) {
    const i = idx[p]!;
    const si = starts[i]!;
    const ei = ends[i]!;
    if (si <= e + 1) {
      if (ei > e) e = ei;
    } else {
      out.push(s, e);
      written++;
      s = si;
      e = ei;
    }
  }
  out.push(s, e);
  return written + 1;
}

// ---------------------------------------------------------------------------------------------
// Concurrency (PAIR-07)

export interface Concurrency {
  /** highest number of intervals active on one day */
  peak: number;
  /** the first stretch of days at the peak, inclusive */
  peakFrom: number;
  peakTo: number;
  /** stretches of days with at least `cap` intervals active, inclusive, in order (from, to pairs) */
  over: Gap[];
}

/**
 * Sweep over intervals (inclusive days): the peak count, the first stretch at the peak, and the
 * stretches where the count is ≥ cap. `starts`/`ends` are scratch arrays of length n and are sorted
 * in place. O(n log n).
 */
export function concurrency(starts: Int32Array, ends: Int32Array, n: number, cap: number): Concurrency {
  const res: Concurrency = { peak: 0, peakFrom: 0, peakTo: -1, over: [] };
  if (n === 0) return res;
  const S = starts.subarray(0, n).sort();
  // an interval stops counting on the day after its end
  const E = ends.subarray(0, n);
  for (let i = 0; i < n; i++) E[i] = E[i]! + 1;
  E.sort();
  let i = 0;
  let j = 0;
  let count = 0;
  let overFrom = 0;
  let inOver = false;
  let peakOpen = false; // the current stretch is at the (current) peak and still running
  while (i < n || j < n) {
    // the next day on which the count changes
    const day = i < n && S[i]! < E[j]! ? S[i]! : E[j]!;
    while (j < n && E[j] === day) {
      count--;
      j++;
    }
    while (i < n && S[i] === day) {
      count++;
      i++;
    }
    // the count holds from `day` until the next event
    if (count > res.peak) {
      res.peak = count;
      res.peakFrom = day;
      peakOpen = true;
    } else if (count < res.peak && peakOpen) {
      res.peakTo = day - 1;
      peakOpen = false;
    }
    if (count >= cap && !inOver) {
      inOver = true;
      overFrom = day;
    } else if (count < cap && inOver) {
      inOver = false;
      res.over.push({ from: overFrom, to: day - 1 });
    }
  }
  // every interval ends, so the count returns to 0 and every stretch is closed above
  return res;
}

/** Does [s, e] intersect any of the sorted, disjoint stretches? (binary search) */
export function intersectsAny(stretches: readonly Gap[], s: number, e: number): boolean {
  let lo = 0;
  let hi = stretches.length;
  // first stretch whose end ≥ s
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (stretches[mid]!.to < s) lo = mid + 1;
    else hi = mid;
  }
  return lo < stretches.length && stretches[lo]!.from <= e;
}
