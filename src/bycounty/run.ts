// `qingxi check 全省文件夹 --by-county`: a province's folder checked one county folder at a time, so
// memory holds one county's rows (two, one per core), never the province's. Each county is the
// ordinary check of its folder (county-check.ts, in a worker thread); what relates rows across
// counties — a rule's `acrossCounties` key, such as ID-08's ID number — is settled afterwards over
// hashes of the keys and the few rows read back from the counties' spill files (across.ts).
//
// What differs from checking the whole folder at once (said in the --help text and the README):
// households, projects, villages, helpers and pairings are matched within their county only (a
// pairing in one county's files naming a household of another county is "not found"); files lying
// directly in the folder are checked together as one more unit of their own. Findings on one county
// are otherwise the same, and in the same order (tests/bycounty/by-county.test.ts compares the two).
// An across-county finding also goes to the 整改台账 of the other counties' townships it concerns
// (across.ts). checkCountiesAcross takes its counties from the caller: the nightly run passes its
// inbox units and splits the outcome by unit itself.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { join, resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import pLimit from 'p-limit';
import type { ResolvedFinding } from '../model.js';
import { discoverFiles, type CheckOptions, type CheckOutcome, type InputFile, type Progress } from '../pipeline.js';
import { RuleRunner, type CrossProfile } from '../engine/runner.js';
import { RULES } from '../../validators/index.js';
import { parseAsOf } from '../core/as-of.js';
import { UsageError } from '../core/errors.js';
import { buildSummary } from '../outputs/summary.js';
import { addHouseholdFacts, emptyHouseholdFacts, villageKey } from '../outputs/household-facts.js';
import { acrossCountyRules, checkCounty, countyCheckOptions, type CountyJob, type CountyOutcome } from './county-check.js';
import { CountyPool, countyWorkerScript } from './county-pool.js';
import { checkAcrossCounties, routesInOtherCounties, supersededBy, type AcrossResult } from './across.js';
import { Interner } from './intern.js';
import { pidAlive } from '../outputs/atomic.js';
import { packFindings, unpackFindings, type CountyFindings } from './packed.js';

export interface County {
  /** the county folder's name ('' for the files lying directly in the province folder) */
  name: string;
  paths: string[];
  displayPrefix: string;
  /** its files' display names, in reading order */
  files: string[];
}

/**
 * The counties of a province folder: each sub-folder, and the files lying directly in it as one
 * more unit (as the nightly run takes an inbox), in the order a whole-folder run reads them (by the
 * name of the first file; a folder's files are one block in that order).
 */
export async function countiesOf(folder: string): Promise<County[]> {
  const abs = resolve(folder);
  const found: InputFile[] = await discoverFiles([abs]);
  const counties: County[] = [];
  let loose: County | undefined;
  for (const f of found) {
    const slash = f.display.indexOf('/');
    if (slash < 0) {
      if (!loose) counties.push((loose = { name: '', paths: [], displayPrefix: '', files: [] }));
      loose.paths.push(f.abs);
      loose.files.push(f.display);
      continue;
    }
    const name = f.display.slice(0, slash);
    const last = counties[counties.length - 1];
    if (last && last.name === name && last !== loose) last.files.push(f.display);
    else counties.push({ name, paths: [join(abs, name)], displayPrefix: `${name}/`, files: [f.display] });
  }
  return counties;
}

/** How a county is checked (a test replaces it to make a county fail). */
export interface CountyChecker {
  (job: CountyJob, onProgress: (p: Progress) => void): Promise<CountyOutcome>;
}

/** Counties checked at once at most (`check --by-county --threads`, `nightly --threads`). */
export const MAX_COUNTY_THREADS = 16;

/**
 * Checks a province folder county by county. Options as runCheck; `threads` defaults to 2 (counties
 * in worker threads; 1 checks them one after another in this thread, or with `checker`).
 */
export async function runCheckByCounty(opts: CheckOptions, checker?: CountyChecker): Promise<CheckOutcome> {
  const t0 = Date.now();
  const folder = await provinceFolder(opts.paths);
  const counties = await countiesOf(folder);
  const t1 = Date.now();
  const checked = await checkCountiesAcross(counties, opts, { ...(checker ? { checker } : {}) });
  const merged = mergeCounties(checked, opts);
  const t2 = Date.now();
  const summary = buildSummary({ asOf: opts.asOf, files: merged.files, findings: merged.findings, households: merged.households, rules: RULES, failures: merged.failures });
  const timings = { discoverMs: t1 - t0, ingestMs: checked.countiesCheckedAt - t1, crossMs: t2 - checked.countiesCheckedAt, summaryMs: Date.now() - t2 };
  // the counties' own stage times, summed (time on either core; the two overlap in wall time)
  const countiesCrossMs = checked.outcomes.reduce((t, o) => t + o.timings.crossMs, 0);
  const countiesIngestMs = checked.outcomes.reduce((t, o) => t + o.timings.ingestMs, 0);
  summary.timings = { ...timings, counties: counties.length, countiesIngestMs, countiesCrossMs, acrossCountiesMs: checked.acrossMs, rowsReadBack: merged.rowsReadBack };
  const crossProfile = sumProfiles(checked.outcomes.flatMap((o) => (o.crossProfile ? [o.crossProfile] : [])));
  summary.crossProfile = crossProfile;
  for (const fail of merged.failures) opts.logger?.error({ event: 'rule_failed', rule: fail.rule, stage: fail.stage, err: fail.error }, 'rule failed');
  const dataRows = merged.files.reduce((s, a) => s + a.sheets.reduce((t, x) => t + x.buckets.data, 0), 0);
  return {
    asOf: opts.asOf,
    findings: merged.findings,
    files: merged.files,
    summary,
    failures: merged.failures,
    timings,
    nothingRead: dataRows === 0,
    skippedOwnOutputs: checked.outcomes.flatMap((o) => o.skippedOwnOutputs),
    headOf: (no) => merged.headNames.get(no),
    crossProfile,
  };
}

/** A run's options without its paths: the caller gives the counties (runCheck's `threads`: counties at once). */
export type CountiesOptions = Omit<CheckOptions, 'paths'>;

/** Counties checked and related across (checkCountiesAcross): what a caller splits or merges. */
export interface CheckedCounties {
  counties: County[];
  /** per county, in the order given; each county's packed findings are released by ownFindings */
  outcomes: CountyOutcome[];
  across: AcrossResult;
  /** each file's rank in the order a whole-folder run reads them (display names sorted) */
  fileRank: Map<string, number>;
  /** Date.now() when the last county was checked (before the across-county stage) */
  countiesCheckedAt: number;
  /** milliseconds of the across-county checks themselves (shared keys, rows read back, their rules), without merging findings */
  acrossMs: number;
  /**
   * County i's own findings (in its check's order) without those the across-county stage made
   * again over every county, with the village and 户主 name of the households they name. Unpacks
   * them once: the packed copy is released.
   */
  ownFindings(i: number): CountyFindings;
}

/**
 * The counties a caller chose (a province folder's, or the nightly inbox's units), checked two at
 * a time in worker threads (`threads`, default 2; 1 or a `checker`: one after another in this
 * thread), then the across-county stage over the keys they share. `countiesChecked` is called once
 * every county is checked, before the across-county stage (the nightly's kill point).
 */
export async function checkCountiesAcross(
  counties: County[],
  opts: CountiesOptions,
  hooks: { checker?: CountyChecker; countiesChecked?: () => void } = {},
): Promise<CheckedCounties> {
  await removeStaleSpills();
  const spillDir = await mkdtemp(join(tmpdir(), `${SPILL_PREFIX}${process.pid}-`));
  try {
    const outcomes = await checkCounties(counties, opts, spillDir, hooks.checker);
    const countiesCheckedAt = Date.now();
    hooks.countiesChecked?.();
    const asOf = parseAsOf(opts.asOf);
    const rules = acrossCountyRules(opts.config);
    const runnerOpts = opts.accepted ? { accepted: opts.accepted } : {};
    // the rank of each file in a whole-folder run's reading order
    const fileRank = new Map(counties.flatMap((c) => c.files).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((f, i) => [f, i]));
    const spillPaths = counties.map((_, i) => spillPath(spillDir, i));
    const acrossStart = performance.now();
    const across = checkAcrossCounties(rules, outcomes.map((o) => o.keyHashes), spillPaths, opts.config, asOf, runnerOpts, fileRank);
    const acrossMs = Math.round(performance.now() - acrossStart);
    const superseded = supersededBy(rules, across.shared);
    const interner = new Interner();
    return {
      counties,
      outcomes,
      across,
      fileRank,
      countiesCheckedAt,
      acrossMs,
      ownFindings(i) {
        const o = outcomes[i]!;
        const county = interner.county(unpackFindings(o.packed));
        o.packed = new Uint8Array(0);
        county.findings = county.findings.filter((f) => !superseded(f));
        return county;
      },
    };
  } finally {
    await rm(spillDir, { recursive: true, force: true });
  }
}

async function provinceFolder(paths: string[]): Promise<string> {
  const one = paths.length === 1 ? paths[0]! : undefined;
  const st = one ? await stat(one).catch(() => undefined) : undefined;
  if (one && !st) throw new UsageError(`找不到输入：${one}`);
  if (!one || !st?.isDirectory()) {
    throw new UsageError('--by-county 需要且只需要一个文件夹：全省（或全市）数据所在的文件夹，其中每个子文件夹是一个县的数据。');
  }
  return one;
}

const spillPath = (dir: string, i: number) => join(dir, `county-${i}.spill`);

/** Temporary folders of the spill files: `qingxi-bycounty-<pid>-XXXXXX` in the system temp folder. */
const SPILL_PREFIX = 'qingxi-bycounty-';

/**
 * Spill folders left by a run that was killed (its process is gone): a province's are gigabytes.
 * A folder of a live process (another run at the same time) is left alone.
 */
async function removeStaleSpills(): Promise<void> {
  const names = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const name of names) {
    const m = new RegExp(`^${SPILL_PREFIX}(\\d+)-`).exec(name);
    if (!m || pidAlive(Number(m[1]))) continue;
    await rm(join(tmpdir(), name), { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * Keeps the compiled rules from one county to the next. A county runs each rule's cross hook once,
 * after reading its files, and V8 drops the bytecode of a function left unused over several garbage
 * collections ("bytecode flushing"): a county's reading makes many, so every county's cross stage
 * parsed, compiled and optimised every rule anew. Measured on a generated province of 1 M members
 * (10 counties, same load): the counties' cross stages 7.3 s instead of 12.1 s. The flag is the
 * process's (worker threads share it); what it keeps is the bytecode of functions that ran, a few MB.
 */
function keepCompiledRules(): void {
  setFlagsFromString('--no-flush-bytecode');
}

/** Every county checked, two at a time in worker threads (or one after another in this thread). */
async function checkCounties(counties: County[], opts: CountiesOptions, spillDir: string, checker?: CountyChecker): Promise<CountyOutcome[]> {
  keepCompiledRules();
  const threads = checker ? 1 : Math.min(counties.length, opts.threads ?? 2);
  const script = threads > 1 ? countyWorkerScript() : undefined;
  const pool = script ? new CountyPool(script) : undefined;
  const limit = pLimit(pool ? threads : 1);
  const filesTotal = counties.reduce((s, c) => s + c.files.length, 0);
  let filesDone = 0;
  let rowsDone = 0;
  const live = new Map<number, Progress>();
  const options = countyCheckOptions(opts);
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
          const job: CountyJob = { paths: c.paths, displayPrefix: c.displayPrefix, options, spillPath: spillPath(spillDir, i) };
          const onProgress = (p: Progress) => {
            live.set(i, p);
            report();
          };
          let outcome: CountyOutcome;
          try {
            outcome = pool ? await pool.check(job, onProgress) : await (checker ?? checkCounty)(job, onProgress);
          } catch (e) {
            // a county whose check broke off (a worker out of memory, a full temp disk) is reported
            // file by file; the other counties' results stand
            opts.logger?.error({ event: 'county_failed', county: c.name, err: (e as Error).message }, 'county check failed');
            outcome = failedCounty(c, opts, (e as Error).message, job.spillPath);
          }
          live.delete(i);
          filesDone += c.files.length;
          rowsDone += outcome.files.reduce((s, f) => s + f.sheets.reduce((t, x) => t + x.physicalRows, 0), 0);
          report();
          const rows = outcome.files.reduce((s, f) => s + f.sheets.reduce((t, x) => t + x.buckets.data, 0), 0);
          opts.logger?.info({ event: 'county_done', county: c.name, files: c.files.length, rows, findings: outcome.findingCount, packedBytes: outcome.packed.byteLength, spilledRows: outcome.spilledRows }, 'county checked');
          return outcome;
        }),
      ),
    );
  } finally {
    await pool?.close();
  }
}

/** What is left of a county whose check broke off: each of its files reported as not checked. */
function failedCounty(c: County, opts: CountiesOptions, reason: string, spill: string): CountyOutcome {
  // whatever it spilled is not read back: none of its keys were counted
  rmSync(spill, { force: true });
  const runner = new RuleRunner(RULES, opts.config, parseAsOf(opts.asOf), opts.accepted ? { accepted: opts.accepted } : {});
  for (const file of c.files) runner.emit({ rule: 'FILE-04', at: { file } });
  const findings = runner.findings();
  return {
    packed: packFindings({ findings, villageOf: [], headNames: [] }),
    findingCount: findings.length,
    files: c.files.map((file) => ({ file, format: 'unknown', readable: false, error: `内部错误（所在县的检查中断：${failureCause(reason)}）`, sheets: [] })),
    failures: [],
    skippedOwnOutputs: [],
    households: emptyHouseholdFacts(),
    townships: [],
    keyHashes: acrossCountyRules(opts.config).map(() => new Float64Array(0)),
    spilledRows: 0,
    timings: { discoverMs: 0, ingestMs: 0, crossMs: 0, summaryMs: 0 },
    brokeOff: true,
  };
}

/** Why a county's check broke off, in Chinese (the details are in the log line county_failed). */
function failureCause(reason: string): string {
  if (/out of memory|ERR_WORKER_OUT_OF_MEMORY|heap/i.test(reason)) return '内存不足，请把该县的数据拆成几个文件夹，或在内存更大的机器上检查';
  if (/ENOSPC/.test(reason)) return '临时文件夹所在磁盘已满';
  return '程序内部错误，详见日志';
}

/** The counties' results as one run's: across-county findings replace the counties' own on shared keys. */
function mergeCounties(checked: CheckedCounties, opts: CheckOptions) {
  const { outcomes, across, fileRank } = checked;
  const asOf = parseAsOf(opts.asOf);
  const runnerOpts = opts.accepted ? { accepted: opts.accepted } : {};
  // one runner's ordering and merging of findings with the same fingerprint, as in a whole run
  const merger = new RuleRunner(RULES, opts.config, asOf, runnerOpts);
  for (const f of across.findings) {
    const c = across.counties.get(f);
    const more = c ? routesInOtherCounties(f, c) : [];
    if (more.length > 0) {
      f.routes = [...(f.routes ?? []), ...more];
      delete f.unrouted;
    }
  }
  merger.adopt(across.findings, across.failures);
  const households = emptyHouseholdFacts();
  const headNames = new Map<string, string>();
  outcomes.forEach((o, i) => {
    const county = checked.ownFindings(i);
    merger.adopt(county.findings, o.failures);
    addHouseholdFacts(households, o.households);
    for (const [no, key] of county.villageOf) if (!households.villageOf.has(no)) households.villageOf.set(no, key);
    for (const [no, name] of county.headNames) if (!headNames.has(no)) headNames.set(no, name);
  });
  for (const [no, h] of across.households) {
    if (!households.villageOf.has(no)) households.villageOf.set(no, villageKey(h.region.county, h.region.township, h.region.village));
    if (h.headName !== undefined && !headNames.has(no)) headNames.set(no, h.headName);
  }
  const findings: ResolvedFinding[] = merger.findings();
  return {
    findings,
    failures: merger.failures,
    // in reading order (the loose files' unit may lie between counties)
    files: outcomes.flatMap((o) => o.files).sort((a, b) => (fileRank.get(a.file) ?? 0) - (fileRank.get(b.file) ?? 0)),
    households,
    headNames,
    rowsReadBack: across.rowsReadBack,
  };
}

/** The counties' cross profiles as one: milliseconds summed (time on either core), uses joined. */
function sumProfiles(profiles: CrossProfile[]): CrossProfile {
  const out: CrossProfile = { rules: {}, indexes: {} };
  for (const p of profiles) {
    for (const kind of ['rules', 'indexes'] as const) {
      for (const [name, e] of Object.entries(p[kind])) {
        const t = (out[kind][name] ??= { ms: 0, uses: [] });
        t.ms += e.ms;
        for (const u of e.uses) if (!t.uses.includes(u)) t.uses.push(u);
      }
    }
  }
  return out;
}
