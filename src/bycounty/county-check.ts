// One county of a run checked county by county: the ordinary check over the county's files, then
// what the run keeps of it — findings, file accounting, household counts per village, the 户主 names
// its findings need, and for each across-county rule the hashes of the keys its rows carry (rows
// carrying a key go to the spill file). The county's rows and indexes are dropped on return.
import type { Config } from '../config.js';
import type { FileAccounting } from '../ingest/types.js';
import type { AnyRule } from '../engine/rule.js';
import type { CrossProfile } from '../engine/runner.js';
import { runCheck, type CheckOptions, type CheckResult, type Progress, type StageTimings } from '../pipeline.js';
import { rowsOfTable } from '../engine/indexes.js';
import { ruleContext, type RuleFailure } from '../engine/runner.js';
import { parseAsOf } from '../core/as-of.js';
import { householdFacts, type HouseholdFacts } from '../outputs/household-facts.js';
import type { ResolvedFinding } from '../model.js';
import { packFindings } from './packed.js';
import { RULES } from '../../validators/index.js';
import { distinctSorted, keyHash } from './key-hash.js';
import { SpillWriter } from './spill.js';

/** The options of a run that every county's check shares. */
export type CountyCheckOptions = Pick<CheckOptions, 'asOf' | 'config' | 'accepted' | 'xlsxReader' | 'concurrency'>;

export interface CountyJob {
  /** the county's folder, or the loose files at the top of the run's folder */
  paths: string[];
  /** the county folder's name and '/', so files are named as a whole-folder run names them */
  displayPrefix: string;
  options: CountyCheckOptions;
  /** where rows carrying an across-county key are written */
  spillPath: string;
}

/** The shared options out of a run's (no function, no logger: they go to a worker thread). */
export function countyCheckOptions(opts: Omit<CheckOptions, 'paths'>): CountyCheckOptions {
  return {
    asOf: opts.asOf,
    config: opts.config,
    ...(opts.accepted ? { accepted: opts.accepted } : {}),
    ...(opts.xlsxReader ? { xlsxReader: opts.xlsxReader } : {}),
    ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
  };
}

export interface CountyOutcome {
  /**
   * the findings (routed, in the order of a whole run: place, rule, fingerprint; duplicates
   * merged) with the village and 户主 name of the households they name, packed (packed.ts)
   */
  packed: Uint8Array;
  findingCount: number;
  files: FileAccounting[];
  failures: RuleFailure[];
  skippedOwnOutputs: string[];
  /** household counts per village (`villageOf` is in `packed`) */
  households: HouseholdFacts;
  /**
   * the townships its findings name or are routed to and its households lie in: what a caller
   * delivering township by township (the nightly) must know of every county before writing any
   * township's 整改台账
   */
  townships: CountyTownship[];
  /** per across-county rule (acrossCountyRules order): the distinct hashes of its keys, sorted */
  keyHashes: Float64Array[];
  spilledRows: number;
  timings: StageTimings;
  /** set when the county's check broke off: its files are reported as FILE-04, nothing else of it is known */
  brokeOff?: true;
  crossProfile?: CrossProfile;
}

/** The enabled rules that relate rows across counties, in catalogue order (the same in every thread). */
export function acrossCountyRules(config: Config): AnyRule[] {
  return RULES.filter((r) => r.acrossCounties && config.rules.get(r.id)?.enabled !== false);
}

export async function checkCounty(job: CountyJob, onProgress?: (p: Progress) => void): Promise<CountyOutcome> {
  const result = await runCheck({
    ...job.options,
    paths: job.paths,
    displayPrefix: job.displayPrefix,
    threads: 0,
    ...(onProgress ? { onProgress } : {}),
  });
  const failures = [...result.failures];
  const { keyHashes, spilledRows } = spillKeyedRows(result, job, failures);
  const named = new Set<string>();
  for (const f of result.findings) if (f.householdNo) named.add(f.householdNo);
  const headNames: [string, string][] = [];
  for (const no of named) {
    const name = result.headOf(no);
    if (name !== undefined) headNames.push([no, name]);
  }
  const facts = householdFacts(result.indexes);
  const villageOf: [string, string][] = [];
  for (const no of named) {
    const key = facts.villageOf.get(no);
    if (key !== undefined) villageOf.push([no, key]);
  }
  return {
    packed: packFindings({ findings: result.findings, villageOf, headNames }),
    findingCount: result.findings.length,
    files: result.files,
    failures,
    skippedOwnOutputs: result.skippedOwnOutputs,
    households: { ...facts, villageOf: new Map() },
    townships: townshipsOf(result.findings, facts),
    keyHashes,
    spilledRows,
    timings: result.timings,
    ...(result.crossProfile ? { crossProfile: result.crossProfile } : {}),
  };
}

/** A township as the data names it (county '' when the data names none). */
export interface CountyTownship {
  county: string;
  township: string;
}

/** Distinct townships (a county's and its name), in the order first added; one without a name is not kept. */
export class TownshipSet {
  private readonly byKey = new Map<string, CountyTownship>();
  add(county = '', township = ''): void {
    if (township) this.byKey.set(`${county}\u001f${township}`, { county, township });
  }
  /** a finding's own township and those it is routed to */
  addFinding(f: ResolvedFinding): void {
    this.add(f.region?.county, f.region?.township);
    for (const r of f.routes ?? []) this.add(r.county, r.township);
  }
  values(): CountyTownship[] {
    return [...this.byKey.values()];
  }
}

/** The townships of a county's findings (their own and those they are routed to) and households. */
function townshipsOf(findings: readonly ResolvedFinding[], facts: HouseholdFacts): CountyTownship[] {
  const out = new TownshipSet();
  for (const f of findings) out.addFinding(f);
  for (const v of facts.villages.values()) if (v.households > 0) out.add(v.county, v.township);
  return out.values();
}

/** Keys of the across-county rules: hashes kept, rows carrying one written to the spill file. */
function spillKeyedRows(result: CheckResult, job: CountyJob, failures: RuleFailure[]): { keyHashes: Float64Array[]; spilledRows: number } {
  const rules = acrossCountyRules(job.options.config);
  const asOf = parseAsOf(job.options.asOf);
  const ix = result.indexes;
  const spill = new SpillWriter(job.spillPath, rules.length);
  const hashes: number[][] = rules.map(() => []);
  try {
    const tables = [...new Set(rules.map((r) => r.acrossCounties!.table))];
    for (const table of tables) {
      const here = rules.map((r, i) => ({ r, i, ctx: ruleContext(r, job.options.config, asOf) })).filter((x) => x.r.acrossCounties!.table === table);
      const failed = new Set<number>();
      for (const row of rowsOfTable(ix, table)) {
        const rowHashes: number[] = [];
        let any = false;
        for (const { r, i, ctx } of here) {
          if (failed.has(i)) continue;
          let key: string | undefined;
          try {
            key = r.acrossCounties!.key(row, ctx);
          } catch (e) {
            failed.add(i);
            failures.push({ rule: r.id, stage: 'cross', error: (e as Error).stack ?? String(e) });
            continue;
          }
          if (key === undefined) continue;
          const h = keyHash(key);
          rowHashes[i] = h;
          hashes[i]!.push(h);
          any = true;
        }
        if (!any) continue;
        const no = (row.v as { householdNo?: string }).householdNo;
        const hh = no ? ix.households.get(no) : undefined;
        const headName = hh ? result.headOf(hh.householdNo) : undefined;
        spill.add(
          hh ? { row, household: { householdNo: hh.householdNo, region: hh.region, ...(headName !== undefined ? { headName } : {}) } } : { row },
          rowHashes,
        );
      }
    }
  } finally {
    spill.close();
  }
  return { keyHashes: hashes.map((h) => distinctSorted(Float64Array.from(h))), spilledRows: spill.rowsWritten };
}
