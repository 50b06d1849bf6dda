// Derived indexes: views over the indexes that several cross rules share (pairings by helper, by
// household, …). A rule declares the ones it uses; the runner builds each once per run, whoever
// asks first, and forgets them with the run — no module-level caches in rule files.
import type { AsOf } from '../core/as-of.js';
import type { Indexes } from './indexes.js';

export interface DerivedIndex<T> {
  /** for messages and failures */
  readonly name: string;
  readonly build: (ix: Indexes, ctx: { asOf: AsOf; use<U>(index: DerivedIndex<U>): U }) => T;
}

/** Declares a derived index; `build` may use other derived indexes through `ctx.use`. */
export function defineIndex<T>(name: string, build: DerivedIndex<T>['build']): DerivedIndex<T> {
  return { name, build };
}

/** Time spent building one derived index (without the indexes it used), and what it used. */
export interface IndexBuild {
  ms: number;
  uses: string[];
}

/** The derived indexes of one run: each built at most once, on first use. */
export class DerivedIndexes {
  private readonly built = new Map<DerivedIndex<unknown>, unknown>();
  private readonly building: DerivedIndex<unknown>[] = [];
  /** by index name: for the bench's like-for-like comparison (summary.json crossProfile) */
  readonly builds = new Map<string, IndexBuild>();
  /** milliseconds spent in builds so far (each counted once, nested ones included) */
  buildMs = 0;

  constructor(
    private readonly ix: Indexes,
    private readonly asOf: AsOf,
  ) {}

  get<T>(index: DerivedIndex<T>): T {
    const outer = this.building[this.building.length - 1];
    if (outer) this.builds.get(outer.name)?.uses.push(index.name);
    if (this.built.has(index)) return this.built.get(index) as T;
    if (this.building.includes(index as DerivedIndex<unknown>)) throw new Error(`derived index ${index.name} depends on itself`);
    this.building.push(index as DerivedIndex<unknown>);
    const record: IndexBuild = { ms: 0, uses: [] };
    this.builds.set(index.name, record);
    const t0 = performance.now();
    const nestedBefore = this.buildMs;
    try {
      const value = index.build(this.ix, { asOf: this.asOf, use: (d) => this.get(d) });
      this.built.set(index, value);
      return value;
    } finally {
      this.building.pop();
      const total = performance.now() - t0;
      record.ms = total - (this.buildMs - nestedBefore);
      this.buildMs = nestedBefore + total;
    }
  }
}
