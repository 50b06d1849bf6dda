// What summary.json needs to know about households (per village: households, people, monitoring
// categories; which village a household is in), apart from the indexes, so that a run checked
// county by county (src/bycounty/) can add up its counties' facts without holding their rows.
import type { Indexes } from '../engine/indexes.js';
import { monitoringLabel } from '../normalize/dictionaries.js';

export interface VillageHouseholds {
  county?: string;
  township?: string;
  village?: string;
  households: number;
  people: number;
  /** households under 防返贫监测 by category, in the order first seen */
  monitored?: Record<string, number>;
}

export interface HouseholdFacts {
  households: number;
  people: number;
  /** by village key (villageKey), in the order first seen */
  villages: Map<string, VillageHouseholds>;
  /** household number → village key: every household, or (county by county) those findings name */
  villageOf: Map<string, string>;
  /** households under 防返贫监测 by category, in the order first seen */
  monitored: Record<string, number>;
}

export function villageKey(county?: string, township?: string, village?: string): string {
  return [county ?? '', township ?? '', village ?? ''].join('\u001f');
}

export function emptyHouseholdFacts(): HouseholdFacts {
  return { households: 0, people: 0, villages: new Map(), villageOf: new Map(), monitored: {} };
}

export function householdFacts(ix: Pick<Indexes, 'households' | 'members'>): HouseholdFacts {
  const facts = emptyHouseholdFacts();
  facts.households = ix.households.size;
  facts.people = ix.members.length;
  for (const h of ix.households.values()) {
    const key = villageKey(h.region.county, h.region.township, h.region.village);
    let v = facts.villages.get(key);
    if (!v) facts.villages.set(key, (v = { county: h.region.county, township: h.region.township, village: h.region.village, households: 0, people: 0 }));
    v.households++;
    v.people += h.members.length;
    const label = monitoringLabel(h.v);
    if (label !== undefined) {
      v.monitored ??= {};
      v.monitored[label] = (v.monitored[label] ?? 0) + 1;
      facts.monitored[label] = (facts.monitored[label] ?? 0) + 1;
    }
    facts.villageOf.set(h.householdNo, key);
  }
  return facts;
}

/** Adds `from` to `into` (counties checked one by one, added in path order). */
export function addHouseholdFacts(into: HouseholdFacts, from: HouseholdFacts): void {
  into.households += from.households;
  into.people += from.people;
  for (const [key, v] of from.villages) {
    const to = into.villages.get(key);
    if (!to) {
      into.villages.set(key, { ...v, ...(v.monitored ? { monitored: { ...v.monitored } } : {}) });
      continue;
    }
    to.households += v.households;
    to.people += v.people;
    if (v.monitored) {
      to.monitored ??= {};
      for (const [label, n] of Object.entries(v.monitored)) to.monitored[label] = (to.monitored[label] ?? 0) + n;
    }
  }
  for (const [label, n] of Object.entries(from.monitored)) into.monitored[label] = (into.monitored[label] ?? 0) + n;
  for (const [no, key] of from.villageOf) if (!into.villageOf.has(no)) into.villageOf.set(no, key);
}
