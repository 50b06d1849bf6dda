// What a held row costs. Every normalised row of a county (and its household record) is held until
// the cross rules run, so the few bytes each one carries decide whether a province fits in memory
// (docs/architecture.md "Scale"). These helpers shrink what rows hold without changing what they
// look like: the same values, the same keys in the same order; only identity and layout change.

/**
 * V8 keeps an object whose keys are added one by one under computed names (`v[key] = …`) in its
 * compact "fast" layout only up to about 18 keys; past that it switches the object to a hash table
 * ("dictionary mode"), ~6× the size (measured: 27 keys, 1,636 bytes against 276). A copy made by
 * spreading is laid out fast again. Objects with more keys than this are copied once built.
 */
export const FAST_KEY_LIMIT = 16;

/** The same keys and values in V8's compact layout (see FAST_KEY_LIMIT); the original is dropped. */
export function compactObject<T extends object>(o: T): T {
  return { ...o };
}

/**
 * A bounded table of strings: equal strings read from different cells become one string in
 * memory (V8 keeps each parsed cell's text separately). Values never change, only identity; when
 * the table is full, new strings pass through as they are.
 */
export class StringPool {
  private readonly map = new Map<string, string>();

  constructor(
    readonly capacity: number,
    /** longer strings are rarely repeated (addresses, descriptions): not kept */
    readonly maxLength = 64,
  ) {}

  get size(): number {
    return this.map.size;
  }

  intern(s: string): string {
    const hit = this.map.get(s);
    if (hit !== undefined) return hit;
    if (this.map.size < this.capacity && s.length <= this.maxLength) this.map.set(s, s);
    return s;
  }
}

/** Values a column must have read before it is judged (a sample of the sheet). */
const JUDGE_AFTER = 256;

/**
 * Interning for one column of one sheet, which turns itself off when the column's values are
 * mostly distinct (names, ID numbers): a table of them would cost more than it saves. A column of
 * repeated values (units, duties, 民族, household numbers on member rows) keeps going, bounded by
 * its pool.
 */
export class ColumnInterner {
  private seen = 0;
  private fresh = 0;
  private on = true;
  /** the column's previous value: rows of one household or one helper follow each other */
  private last: string | undefined;

  constructor(private readonly pool: StringPool) {}

  intern(s: string): string {
    if (s === this.last) return this.last;
    this.last = s;
    if (!this.on) return s;
    this.seen++;
    const before = this.pool.size;
    const out = this.pool.intern(s);
    if (this.pool.size !== before) this.fresh++;
    // after a sample, a column where over half the values were new is not worth a table
    if (this.seen === JUDGE_AFTER && this.fresh * 2 > this.seen) this.on = false;
    this.last = out;
    return out;
  }

  get active(): boolean {
    return this.on;
  }
}

interface DateParts {
  y: number;
  m?: number;
  d?: number;
}

/**
 * One object per distinct partial date (birth dates, start and end dates repeat across rows). Rules
 * never mutate a PartialDate, so rows can share them. Bounded: a century of days is ~37,000 keys.
 */
export class DatePool {
  private readonly map = new Map<number, DateParts>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.map.size;
  }

  share<T extends DateParts>(p: T): T {
    // m is 1..12 and d 1..31 when present: one number keys each (y, m, d) exactly
    const key = p.y * 10_000 + (p.m ?? 0) * 100 + (p.d ?? 0);
    const hit = this.map.get(key);
    if (hit !== undefined && hit.m === p.m && hit.d === p.d && hit.y === p.y) return hit as T;
    if (hit === undefined && this.map.size < this.capacity) this.map.set(key, p);
    return p;
  }
}
