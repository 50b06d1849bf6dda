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

/** The derived indexes of one run: each built at most once, on first use. */
export class DerivedIndexes {
  private readonly built = new Map<DerivedIndex<unknown>, unknown>();
  private readonly building = new Set<DerivedIndex<unknown>>();

  constructor(
    private readonly ix: Indexes,
    private readonly asOf: AsOf,
  ) {}

  get<T>(index: DerivedIndex<T>): T {
    if (this.built.has(index)) return this.built.get(index) as T;
    if (this.building.has(index)) throw new Error(`derived index ${index.name} depends on itself`);
    this.building.add(index);
    try {
      const value = index.build(this.ix, { asOf: this.asOf, use: (d) => this.get(d) });
      this.built.set(index, value);
      return value;
    } finally {
      this.building.delete(index);
    }
  }
}
