// A county's findings arrive as fresh copies (unpacked from a serialisation): every finding's rule
// title, file name, region names, and every household's village key are strings of their own. A province sends millions of findings (one per unpaired household alone
// is a third of the households): the repeated texts are shared again as they arrive, so what the
// main thread holds grows with the findings' own texts (message, name, fingerprint), not with copies.
import type { Region, ResolvedFinding } from '../model.js';
import type { CountyFindings } from './packed.js';

export class Interner {
  private readonly strings = new Map<string, string>();
  private readonly regions = new Map<string, Region>();

  text<T extends string | undefined>(s: T): T {
    if (s === undefined) return s;
    const hit = this.strings.get(s);
    if (hit !== undefined) return hit as T;
    this.strings.set(s, s);
    return s;
  }

  region(r: Region | undefined): Region | undefined {
    if (!r) return r;
    let key = '';
    for (const [k, v] of Object.entries(r)) key += `${k}\u0001${String(v)}\u0002`;
    const hit = this.regions.get(key);
    if (hit) return hit;
    const shared: Region = {};
    for (const [k, v] of Object.entries(r)) (shared as Record<string, unknown>)[k] = typeof v === 'string' ? this.text(v) : v;
    this.regions.set(key, shared);
    return shared;
  }

  /** The finding with its repeated texts and regions shared (changed in place, key order kept). */
  finding(f: ResolvedFinding): ResolvedFinding {
    f.rule = this.text(f.rule);
    f.severity = this.text(f.severity);
    f.family = this.text(f.family);
    f.title = this.text(f.title);
    if (f.code !== undefined) f.code = this.text(f.code);
    if (f.table !== undefined) f.table = this.text(f.table);
    if (f.field !== undefined) f.field = this.text(f.field);
    if (f.village !== undefined) f.village = this.text(f.village);
    if (f.unrouted !== undefined) f.unrouted = this.text(f.unrouted);
    if (f.at) {
      f.at.file = this.text(f.at.file);
      if (f.at.sheet !== undefined) f.at.sheet = this.text(f.at.sheet);
    }
    if (f.region) f.region = this.region(f.region);
    if (f.routes) f.routes = f.routes.map((r) => this.region(r)!);
    return f;
  }

  /** A county's findings as unpacked, shared in place. */
  county(c: CountyFindings): CountyFindings {
    for (const f of c.findings) this.finding(f);
    for (const pair of c.villageOf) pair[1] = this.text(pair[1]);
    return c;
  }
}
