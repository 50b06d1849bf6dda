// Per-township figures of one night, from the ledger state after the night: what the report shows
// and what the 30-run trend reads back from ledger_townships.
import type { TownshipRun } from '../store/ledger.js';
import { daysBetween, isOpen, townshipKey, type LedgerChange, type LedgerFinding, type Presence } from './ledger-state.js';

/** What tonight's check said about a township with data. */
export interface TownshipFacts {
  unit: string;
  county: string;
  township: string;
  households: number;
  people: number;
  /** Σ village score × village households (score = this ÷ households) */
  weightedScore: number;
}

export function buildTownshipRuns(input: {
  date: string;
  after: ReadonlyMap<string, LedgerFinding>;
  changes: readonly LedgerChange[];
  facts: readonly TownshipFacts[];
  known: readonly { unit: string; county: string; township: string }[];
  presence: Presence;
}): TownshipRun[] {
  const runs = new Map<string, TownshipRun>();
  const get = (unit: string, county: string, township: string): TownshipRun => {
    const k = townshipKey(unit, county, township);
    let t = runs.get(k);
    if (!t) {
      runs.set(
        k,
        (t = {
          runDate: input.date, unit, county, township, present: input.presence.townships.has(k) || (township === '' && input.presence.units.has(unit)),
          households: null, people: null, score: null, openError: 0, openSuspect: 0, openInfo: 0, openByFamily: {},
          newCount: 0, fixedCount: 0, reopenedCount: 0, acceptedCount: 0, oldestOpenDays: null,
        }),
      );
    }
    return t;
  };
  for (const f of input.facts) {
    const t = get(f.unit, f.county, f.township);
    t.households = f.households;
    t.people = f.people;
    t.score = f.households > 0 ? Math.round(f.weightedScore / f.households) : null;
  }
  for (const k of input.known) get(k.unit, k.county, k.township);
  for (const f of input.after.values()) {
    if (!isOpen(f.status)) continue;
    const t = get(f.unit, f.county, f.township);
    if (f.severity === 'error') t.openError++;
    else if (f.severity === 'suspect') t.openSuspect++;
    else t.openInfo++;
    t.openByFamily[f.family] = (t.openByFamily[f.family] ?? 0) + 1;
    const age = daysBetween(f.openSince, input.date);
    if (t.oldestOpenDays === null || age > t.oldestOpenDays) t.oldestOpenDays = age;
  }
  for (const c of input.changes) {
    if (!c.event) continue;
    const t = get(c.after.unit, c.after.county, c.after.township);
    if (c.event === 'new') t.newCount++;
    else if (c.event === 'fixed') t.fixedCount++;
    else if (c.event === 'reopened') t.reopenedCount++;
    else if (c.event === 'accepted') t.acceptedCount++;
  }
  return [...runs.values()].sort((a, b) => cmp(a.county, b.county) || cmp(a.township, b.township) || cmp(a.unit, b.unit));
}

const COLLATOR = new Intl.Collator('zh-CN', { numeric: true });
const cmp = (a: string, b: string) => (a === b ? 0 : a === '' ? 1 : b === '' ? -1 : COLLATOR.compare(a, b));
