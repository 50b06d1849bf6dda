// The across-county stage of a run checked county by county: keys whose hash occurs in two or more
// counties are read back from the counties' spill files (in county order, so rows come in the
// order a whole-folder run reads them) and each across-county rule runs its cross hook over the rows
// of its shared keys. Those findings replace the counties' own findings on the same keys.
import { existsSync } from 'node:fs';
import type { NormalRow, Region, ResolvedFinding } from '../model.js';
import type { AnyRule } from '../engine/rule.js';
import type { AsOf } from '../core/as-of.js';
import { IndexBuilder } from '../engine/indexes.js';
import { RuleRunner, type RunnerOptions, type RuleFailure, type RunSettings } from '../engine/runner.js';
import { routeFindings } from '../outputs/routing.js';
import { keyHash, sharedHashes } from './key-hash.js';
import { readWanted, type SpilledRow } from './spill.js';

export interface AcrossResult {
  findings: ResolvedFinding[];
  failures: RuleFailure[];
  /** per rule: the hashes of keys found in two or more counties */
  shared: Set<number>[];
  /** the households of the rows read back: region (for the summary) and 户主 name */
  households: Map<string, { region: Region; headName?: string }>;
  rowsReadBack: number;
}

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
  const households = new Map<string, { region: Region; headName?: string }>();
  const result: AcrossResult = { findings: [], failures: [], shared, households, rowsReadBack: 0 };
  if (shared.every((s) => s.size === 0)) return result;
  const read: { row: SpilledRow; rules: number[]; rank: number }[] = [];
  for (const path of spillPaths) {
    if (!existsSync(path)) continue; // a county whose check broke off
    for (const { row, rules: wanted } of readWanted(path, rules.length, shared)) read.push({ row, rules: wanted, rank: fileRank.get(row.row.at.file) ?? Number.MAX_SAFE_INTEGER });
  }
  // rows in the order a whole-folder run reads them: by file (stable: a file's own rows keep theirs)
  read.sort((a, b) => a.rank - b.rank);
  result.rowsReadBack = read.length;
  const builders = rules.map(() => new IndexBuilder());
  for (const { row, rules: wanted } of read) {
    for (const r of wanted) builders[r]!.add(row.row as NormalRow);
    const hh = row.household;
    if (hh && !households.has(hh.householdNo)) households.set(hh.householdNo, { region: hh.region, ...(hh.headName !== undefined ? { headName: hh.headName } : {}) });
  }
  rules.forEach((rule, r) => {
    if (shared[r]!.size === 0) return;
    const ix = builders[r]!.finish();
    // the household's region as its county merged it (a households table may give what member rows lack)
    for (const h of ix.households.values()) {
      const known = households.get(h.householdNo);
      if (known) h.region = known.region;
    }
    const runner = new RuleRunner([rule], settings, asOf, opts);
    runner.cross(ix);
    for (const f of routeFindings(runner.resolved(), ix)) result.findings.push(f);
    for (const f of runner.failures) result.failures.push(f);
  });
  return result;
}

/** A county's finding that the across-county stage made again with every county's rows. */
export function supersededBy(rules: readonly AnyRule[], shared: readonly Set<number>[]): (f: ResolvedFinding) => boolean {
  const index = new Map(rules.map((r, i) => [r.id as string, i]));
  return (f) => {
    const r = index.get(f.rule);
    return r !== undefined && f.groupKey !== undefined && shared[r]!.has(keyHash(f.groupKey));
  };
}
