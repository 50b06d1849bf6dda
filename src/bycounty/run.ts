// `qingxi check 全省文件夹 --by-county`: a province's folder checked one county folder at a time, so
// memory holds one county's rows (two, one per core), never the province's. Each county is the
// ordinary check of its folder (county-check.ts, in a worker thread); what relates rows across
// counties — a rule's `acrossCounties` key, such as ID-08's ID number — is settled afterwards over
// hashes of the keys and the few rows read back from the counties' spill files (across.ts).
//
// What differs from checking the whole folder at once (said in the --help text and the README):
// households, projects, villages, helpers and pairings are matched within their county only (a
// pairing in one county's files naming a household of another county is "not found"); files lying
// directly in the folder are each checked on their own. Findings on one county are otherwise the
// same, and in the same order (tests/integration/by-county.test.ts compares the two).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import pLimit from 'p-limit';
import type { ResolvedFinding } from '../model.js';
import { discoverFiles, type CheckOptions, type CheckOutcome, type InputFile, type Progress } from '../pipeline.js';
import { RuleRunner } from '../engine/runner.js';
import { RULES } from '../../validators/index.js';
import { parseAsOf } from '../core/as-of.js';
import { UsageError } from '../core/errors.js';
import { buildSummary } from '../outputs/summary.js';
import { addHouseholdFacts, emptyHouseholdFacts, villageKey } from '../outputs/household-facts.js';
import { acrossCountyRules, checkCounty, type CountyJob, type CountyOutcome } from './county-check.js';
import { CountyPool, countyWorkerScript } from './county-pool.js';
import { checkAcrossCounties, supersededBy } from './across.js';
import { Interner } from './intern.js';

export interface County {
  /** the county folder's name ('' for a file lying directly in the province folder) */
  name: string;
  paths: string[];
  displayPrefix: string;
  files: number;
}

/**
 * The counties of a province folder: each sub-folder, and each file lying directly in it, in the
 * order a whole-folder run reads them (by the name of the first file; a folder's files are one
 * block in that order).
 */
export async function countiesOf(folder: string): Promise<County[]> {
  const abs = resolve(folder);
  const found: InputFile[] = await discoverFiles([abs]);
  const counties: County[] = [];
  for (const f of found) {
    const slash = f.display.indexOf('/');
    if (slash < 0) {
      counties.push({ name: '', paths: [f.abs], displayPrefix: '', files: 1 });
      continue;
    }
    const name = f.display.slice(0, slash);
    const last = counties[counties.length - 1];
    if (last && last.name === name) last.files++;
    else counties.push({ name, paths: [join(abs, name)], displayPrefix: `${name}/`, files: 1 });
  }
  return counties;
}

/** Checks a province folder county by county. Options as runCheck; `threads` defaults to 2. */
export async function runCheckByCounty(opts: CheckOptions): Promise<CheckOutcome> {
  const t0 = Date.now();
  const folder = await provinceFolder(opts.paths);
  const counties = await countiesOf(folder);
  const t1 = Date.now();
  const spillDir = await mkdtemp(join(tmpdir(), 'qingxi-bycounty-'));
  try {
    const outcomes = await checkCounties(counties, opts, spillDir);
    const t2 = Date.now();
    const merged = mergeCounties(outcomes, counties.map((_, i) => spillPath(spillDir, i)), opts);
    const t3 = Date.now();
    const summary = buildSummary({ asOf: opts.asOf, files: merged.files, findings: merged.findings, households: merged.households, rules: RULES, failures: merged.failures });
    const timings = { discoverMs: t1 - t0, ingestMs: t2 - t1, crossMs: t3 - t2, summaryMs: Date.now() - t3 };
    // the counties' own stage times, summed (time on either core; the two overlap in wall time)
    const countiesCrossMs = outcomes.reduce((t, o) => t + o.timings.crossMs, 0);
    const countiesIngestMs = outcomes.reduce((t, o) => t + o.timings.ingestMs, 0);
    summary.timings = { ...timings, counties: counties.length, countiesIngestMs, countiesCrossMs, rowsReadBack: merged.rowsReadBack };
    const dataRows = merged.files.reduce((s, a) => s + a.sheets.reduce((t, x) => t + x.buckets.data, 0), 0);
    return {
      asOf: opts.asOf,
      findings: merged.findings,
      files: merged.files,
      summary,
      failures: merged.failures,
      timings,
      nothingRead: dataRows === 0,
      skippedOwnOutputs: outcomes.flatMap((o) => o.skippedOwnOutputs),
      headOf: (no) => merged.headNames.get(no),
    };
  } finally {
    await rm(spillDir, { recursive: true, force: true });
  }
}

async function provinceFolder(paths: string[]): Promise<string> {
  const one = paths.length === 1 ? paths[0]! : undefined;
  const st = one ? await stat(one).catch(() => undefined) : undefined;
  if (!one || !st?.isDirectory()) {
    throw new UsageError('--by-county 需要且只需要一个文件夹：全省（或全市）数据所在的文件夹，其中每个子文件夹是一个县的数据。');
  }
  return one;
}

const spillPath = (dir: string, i: number) => join(dir, `county-${i}.spill`);

/** Every county checked, two at a time in worker threads (or one after another in this thread). */
async function checkCounties(counties: County[], opts: CheckOptions, spillDir: string): Promise<CountyOutcome[]> {
  const threads = Math.min(counties.length, opts.threads ?? 2);
  const script = threads > 1 ? countyWorkerScript() : undefined;
  const pool = script ? new CountyPool(script) : undefined;
  const limit = pLimit(pool ? threads : 1);
  const filesTotal = counties.reduce((s, c) => s + c.files, 0);
  let filesDone = 0;
  let rowsDone = 0;
  const live = new Map<number, Progress>();
  const interner = new Interner();
  const report = () => {
    let files = filesDone;
    let rows = rowsDone;
    for (const p of live.values()) {
      files += p.filesDone;
      rows += p.rowsRead;
    }
    opts.onProgress?.({ filesDone: files, filesTotal, rowsRead: rows });
  };
  try {
    return await Promise.all(
      counties.map((c, i) =>
        limit(async () => {
          const job: CountyJob = {
            paths: c.paths,
            displayPrefix: c.displayPrefix,
            asOf: opts.asOf,
            config: opts.config,
            ...(opts.accepted ? { accepted: opts.accepted } : {}),
            ...(opts.xlsxReader ? { xlsxReader: opts.xlsxReader } : {}),
            ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
            spillPath: spillPath(spillDir, i),
          };
          const onProgress = (p: Progress) => {
            live.set(i, p);
            report();
          };
          const outcome = interner.outcome(pool ? await pool.check(job, onProgress) : await checkCounty(job, onProgress));
          live.delete(i);
          filesDone += c.files;
          rowsDone += outcome.files.reduce((s, f) => s + f.sheets.reduce((t, x) => t + x.physicalRows, 0), 0);
          report();
          const rows = outcome.files.reduce((s, f) => s + f.sheets.reduce((t, x) => t + x.buckets.data, 0), 0);
          opts.logger?.info({ event: 'county_done', county: c.name, files: c.files, rows, findings: outcome.findings.length, spilledRows: outcome.spilledRows }, 'county checked');
          return outcome;
        }),
      ),
    );
  } finally {
    await pool?.close();
  }
}

/** The counties' results as one run's: across-county findings replace the counties' own on shared keys. */
function mergeCounties(outcomes: CountyOutcome[], spillPaths: string[], opts: CheckOptions) {
  const asOf = parseAsOf(opts.asOf);
  const rules = acrossCountyRules(opts.config);
  const runnerOpts = opts.accepted ? { accepted: opts.accepted } : {};
  const across = checkAcrossCounties(rules, outcomes.map((o) => o.keyHashes), spillPaths, opts.config, asOf, runnerOpts);
  const superseded = supersededBy(rules, across.shared);
  // one runner's ordering and merging of findings with the same fingerprint, as in a whole run
  const merger = new RuleRunner(RULES, opts.config, asOf, runnerOpts);
  merger.adopt(across.findings, across.failures);
  const households = emptyHouseholdFacts();
  const headNames = new Map<string, string>();
  for (const o of outcomes) {
    merger.adopt(o.findings.filter((f) => !superseded(f)), o.failures);
    addHouseholdFacts(households, o.households);
    for (const [no, name] of o.headNames) if (!headNames.has(no)) headNames.set(no, name);
  }
  for (const [no, h] of across.households) {
    if (!households.villageOf.has(no)) households.villageOf.set(no, villageKey(h.region.county, h.region.township, h.region.village));
    if (h.headName !== undefined && !headNames.has(no)) headNames.set(no, h.headName);
  }
  const findings: ResolvedFinding[] = merger.findings();
  return {
    findings,
    failures: merger.failures,
    files: outcomes.flatMap((o) => o.files),
    households,
    headNames,
    rowsReadBack: across.rowsReadBack,
  };
}
