// The across-county stage of a run checked county by county: keys whose hash occurs in two or more
// counties are read back from the counties' spill files (in county order, so rows come in the
// order a whole-folder run reads them) and each across-county rule runs its cross hook over the rows
// of its shared keys. Those findings replace the counties' own findings on the same keys.
//
// Such a finding stands at its first place (in one county) and lists the others in `related`; it
// also goes to the 整改台账 of every township of the other counties its rows lie in
// (routesInOtherCounties), so that each county's clerk sees the person registered elsewhere.
// `counties` says, per finding, which counties its rows lie in and their townships.
import { existsSync } from 'node:fs';
import type { NormalRow, Region, ResolvedFinding } from '../model.js';
import type { AnyRule } from '../engine/rule.js';
import type { AsOf } from '../core/as-of.js';
import { IndexBuilder } from '../engine/indexes.js';
import { RuleRunner, ruleContext, type RunnerOptions, type RuleFailure, type RunSettings } from '../engine/runner.js';
import { routeFindings } from '../outputs/routing.js';
import { keyHash, sharedHashes } from './key-hash.js';
import { readWanted, type SpilledRow } from './spill.js';

export interface AcrossResult {
  findings: ResolvedFinding[];
  failures: RuleFailure[];
  /** per rule: the hashes of keys found in two or more counties */
  shared: Set<number>[];
  /** the households of the rows read back: region (for the summary) and 户主 name */
  households: HouseholdHeads;
  /** the same, per county (index in path order): a household number may recur in two counties */
  countyHouseholds: HouseholdHeads[];
  /** per finding: the county of its own place, and the townships of its rows in each county */
  counties: Map<ResolvedFinding, FindingCounties>;
  rowsReadBack: number;
}

export interface FindingCounties {
  /** the county (index in path order) of the finding's own place: its first row */
  own: number;
  /** county index → the distinct townships (regions with a township) of its rows there, in key order */
  places: Map<number, Region[]>;
}

/** household number → its region (as its county merged it) and 户主 name */
export type HouseholdHeads = Map<string, { region: Region; headName?: string }>;

export function checkAcrossCounties(
  rules: readonly AnyRule[],
  /** per county, in path order: its key hashes per rule */
  countyHashes: readonly (readonly Float64Array[])[],
  spillPaths: readonly string[],
  settings: RunSettings,
  asOf: AsOf,
  opts: RunnerOptions,
  /** each file's rank in a whole-folder run's reading order (the loose files' unit comes before some counties' files and after others) */
  fileRank: ReadonlyMap<string, number>,
): AcrossResult {
  const shared = rules.map((_, r) => sharedHashes(countyHashes.map((h) => h[r]!)));
  const households: HouseholdHeads = new Map();
  const countyHouseholds: HouseholdHeads[] = spillPaths.map(() => new Map());
  const result: AcrossResult = { findings: [], failures: [], shared, households, countyHouseholds, counties: new Map(), rowsReadBack: 0 };
  if (shared.every((s) => s.size === 0)) return result;
  const read: { row: SpilledRow; rules: number[]; rank: number; county: number }[] = [];
  spillPaths.forEach((path, county) => {
    if (!existsSync(path)) return; // a county whose check broke off
    for (const { row, rules: wanted } of readWanted(path, rules.length, shared)) read.push({ row, rules: wanted, rank: fileRank.get(row.row.at.file) ?? Number.MAX_SAFE_INTEGER, county });
  });
  // rows in the order a whole-folder run reads them: by file (stable: a file's own rows keep theirs)
  read.sort((a, b) => a.rank - b.rank);
  result.rowsReadBack = read.length;
  const builders = rules.map(() => new IndexBuilder());
  for (const { row, rules: wanted, county } of read) {
    for (const r of wanted) builders[r]!.add(row.row as NormalRow);
    const hh = row.household;
    if (!hh) continue;
    const facts = { region: hh.region, ...(hh.headName !== undefined ? { headName: hh.headName } : {}) };
    if (!households.has(hh.householdNo)) households.set(hh.householdNo, facts);
    if (!countyHouseholds[county]!.has(hh.householdNo)) countyHouseholds[county]!.set(hh.householdNo, facts);
  }
  rules.forEach((rule, r) => {
    if (shared[r]!.size === 0) return;
    // where each shared key's rows lie: county and township (the household's, as its county merged it)
    const ctx = ruleContext(rule, settings, asOf);
    const placesOfKey = new Map<string, { county: number; region: Region }[]>();
    for (const { row, rules: wanted, county } of read) {
      if (!wanted.includes(r)) continue;
      let key: string | undefined;
      try {
        key = rule.acrossCounties!.key(row.row, ctx);
      } catch {
        continue; // the county's check computed it once already (a failure there is reported there)
      }
      if (key === undefined) continue;
      const v = row.row.v as Region;
      const region = row.household?.region ?? { county: v.county, township: v.township, village: v.village };
      const list = placesOfKey.get(key);
      if (list) list.push({ county, region });
      else placesOfKey.set(key, [{ county, region }]);
    }
    const ix = builders[r]!.finish();
    // the household's region as its county merged it (a households table may give what member rows lack)
    for (const h of ix.households.values()) {
      const known = households.get(h.householdNo);
      if (known) h.region = known.region;
    }
    const runner = new RuleRunner([rule], settings, asOf, opts);
    runner.cross(ix);
    for (const f of routeFindings(runner.resolved(), ix)) {
      const places = f.groupKey === undefined ? undefined : placesOfKey.get(f.groupKey);
      if (places) result.counties.set(f, countiesOf(places));
      result.findings.push(f);
    }
    for (const f of runner.failures) result.failures.push(f);
  });
  return result;
}

const regionKey = (r: Region) => [r.county ?? '', r.township ?? '', r.village ?? ''].join('\u001f');

/** The counties of a key's rows (the first row's is the finding's own) and their townships. */
function countiesOf(places: readonly { county: number; region: Region }[]): FindingCounties {
  const byCounty = new Map<number, Map<string, Region>>();
  for (const { county, region } of places) {
    let m = byCounty.get(county);
    if (!m) byCounty.set(county, (m = new Map()));
    if (!region.township) continue;
    const k = regionKey(region);
    if (!m.has(k)) m.set(k, { ...(region.county ? { county: region.county } : {}), township: region.township, ...(region.village ? { village: region.village } : {}) });
  }
  const out = new Map<number, Region[]>();
  for (const [county, m] of byCounty) out.set(county, [...m.keys()].sort().map((k) => m.get(k)!));
  return { own: places[0]!.county, places: out };
}

/**
 * The townships of a finding's rows in the counties other than its own, not already its own
 * place or among its routes: the 整改台账 of those counties' townships carry it too.
 */
export function routesInOtherCounties(f: ResolvedFinding, c: FindingCounties): Region[] {
  const have = new Set((f.routes ?? []).map(regionKey));
  if (f.region?.township) have.add(regionKey({ county: f.region.county, township: f.region.township, village: f.region.village }));
  const add: Region[] = [];
  for (const [county, regions] of c.places) {
    if (county === c.own) continue;
    for (const r of regions) {
      const k = regionKey(r);
      if (have.has(k)) continue;
      have.add(k);
      add.push(r);
    }
  }
  return add;
}

/** A county's finding that the across-county stage made again with every county's rows. */
export function supersededBy(rules: readonly AnyRule[], shared: readonly Set<number>[]): (f: ResolvedFinding) => boolean {
  const index = new Map(rules.map((r, i) => [r.id as string, i]));
  return (f) => {
    const r = index.get(f.rule);
    return r !== undefined && f.groupKey !== undefined && shared[r]!.has(keyHash(f.groupKey));
  };
}
