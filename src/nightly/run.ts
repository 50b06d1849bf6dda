// One provincial night: check the inbox's county folders as `check --by-county` checks a province
// (two at a time in worker threads, then the ID numbers shared by two county folders related across
// them: src/bycounty/), deliver each township its 整改台账 unit by unit, then commit the ledger in one
// transaction, then write the province report. Only compact per-county outcomes are held, never a
// county's rows or indexes. Order matters for kills: workbooks appear (atomically) before the
// ledger moves; the ledger moves in one step; the report is rebuilt from the committed ledger, so a
// re-run of the same date converges.
import { mkdir, rm } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { UsageError } from '../core/errors.js';
import { RULES } from '../../validators/index.js';
import { checkCountiesAcross, type County, type CountyChecker } from '../bycounty/run.js';
import { InboxUnits } from './units.js';
import { loadAcceptedEntries } from '../outputs/accepted.js';
import { regionOf } from '../outputs/workbook.js';
import type { Ledger } from '../store/ledger.js';
import { ROOT_UNIT, scanInbox, type InboxUnit } from './inbox.js';
import { removeLeftovers, stagingDir as makeStagingDir } from '../outputs/atomic.js';
import { deliverTownshipWorkbooks, removeStaleWorkbooks, type TownshipWorkbook } from './delivery.js';
import { SharedTownships } from './shared-townships.js';
import { applyNight, townshipKey, type Observation, type Presence } from './ledger-state.js';
import { buildTownshipRuns, type TownshipFacts } from './township-stats.js';
import { buildProvinceReport, type ProvinceReport } from './report-model.js';
import { writeProvinceReport } from './report-write.js';
import { pauseAt } from './pause.js';

export interface NightlyOptions {
  inbox: string;
  out: string;
  ledger: Ledger;
  asOf: string;
  config: Config;
  /** an extra accepted.json besides those found in the inbox */
  acceptedFile?: string;
  logger?: Logger;
  /** county folders checked at once in worker threads (default 2; 1: one after another in this thread) */
  threads?: number;
  /** how a county is checked (tests: a county whose check breaks off); implies threads 1 */
  countyChecker?: CountyChecker;
}

export interface NightlyResult {
  date: string;
  dateDir: string;
  units: string[];
  workbooks: TownshipWorkbook[];
  report: ProvinceReport;
  /** units whose check had a rule failure or broke off (outputs incomplete) */
  failedUnits: string[];
}

export class NightlyInputError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'NightlyInputError';
  }
}

export async function runNightly(opts: NightlyOptions): Promise<NightlyResult> {
  const startedAt = new Date().toISOString();
  const log = opts.logger;
  const date = opts.asOf;
  opts.ledger.checkOrder(date); // refuse early, before any work

  let inbox;
  try {
    inbox = await scanInbox(opts.inbox);
  } catch {
    throw new NightlyInputError(`收件箱“${opts.inbox}”不存在或不是文件夹。`);
  }
  const dateDir = join(opts.out, date);
  await mkdir(dateDir, { recursive: true });
  const leftovers = await removeLeftovers(dateDir);
  if (leftovers > 0) log?.warn({ event: 'leftovers_removed', count: leftovers }, 'removed temporary files of an interrupted run');

  // accepted exceptions (检验核查)
  const acceptedFps = new Set<string>();
  const acceptedPaths = [...inbox.acceptedFiles, ...(opts.acceptedFile ? [opts.acceptedFile] : [])];
  for (const p of acceptedPaths) {
    try {
      for (const e of await loadAcceptedEntries(p)) acceptedFps.add(e.fingerprint);
    } catch (e) {
      if (p === opts.acceptedFile) throw new NightlyInputError((e as Error).message);
      log?.warn({ event: 'accepted_unreadable', file: p, err: (e as Error).message }, 'accepted file skipped');
    }
  }

  const stagingDir = await makeStagingDir(dateDir, 'staging');
  const observations: Observation[] = [];
  const facts: TownshipFacts[] = [];
  const presentTownships = new Set<string>();
  const workbooks: TownshipWorkbook[] = [];
  const failedUnits: string[] = [];
  const failedRules = new Map<string, Set<string>>();
  const rules = RULES.map((r) => ({ id: r.id, family: r.family, severity: r.severity, title: r.title, explain: r.explain }));

  // Every unit checked as a county of `check --by-county` (two at a time in worker threads), then
  // the numbers shared by two units related across them; then unit by unit: its findings split off,
  // its ledger observations, its townships' workbooks.
  const counties: County[] = inbox.units.map((u) => ({ name: u.name, paths: unitPaths(u), displayPrefix: `${u.name}/`, files: u.files.map((f) => displayOf(u, f)) }));
  const threads = opts.countyChecker ? 1 : (opts.threads ?? 2);
  log?.info({ event: 'nightly_started', date, units: counties.length, files: counties.reduce((s, c) => s + c.files.length, 0), threads }, 'nightly started');
  const checked = await checkCountiesAcross(
    counties,
    { asOf: date, config: opts.config, accepted: acceptedFps, threads, ...(log ? { logger: log } : {}) },
    { ...(opts.countyChecker ? { checker: opts.countyChecker } : {}), countiesChecked: () => pauseAt('reading') },
  );
  const units = new InboxUnits(checked, { asOf: date, config: opts.config, accepted: acceptedFps, knownUnits: opts.ledger.knownUnits(date) });
  for (const fail of units.acrossFailures) log?.error({ event: 'rule_failed', rule: fail.rule, stage: fail.stage, err: fail.error }, 'rule failed in the across-county stage');
  // township folders that two units deliver to (loose files or a second folder naming a county
  // folder's township): one workbook each, written once the last of their units is delivered
  const shared = new SharedTownships(
    join(stagingDir, 'shared'),
    inbox.units.map((u, i) => ({ fallbackCounty: u.name, townships: units.townships(i) })),
  );
  if (shared.folders.length > 0) log?.info({ event: 'shared_townships', townships: shared.folders.length }, 'townships delivered by more than one inbox unit: one workbook each');

  for (let i = 0; i < inbox.units.length; i++) {
    const unit = inbox.units[i]!;
    const t0 = Date.now();
    const checkedUnit = units.unit(i);
    const { findings } = checkedUnit;
    for (const fail of checkedUnit.failures) log?.error({ event: 'rule_failed', unit: unit.name, rule: fail.rule, stage: fail.stage, err: fail.error }, 'rule failed');
    if (checkedUnit.brokeOff || checkedUnit.failures.length > 0) failedUnits.push(unit.name);
    if (checkedUnit.unjudged.size > 0) failedRules.set(unit.name, checkedUnit.unjudged);
    for (const f of findings) {
      const r = regionOf(f);
      observations.push({
        fingerprint: f.fingerprint,
        rule: f.rule,
        family: f.family,
        severity: f.severity,
        title: f.title,
        message: f.message,
        unit: unit.name,
        county: r.county,
        township: r.township,
        village: r.village,
        householdNo: f.householdNo ?? '',
        source: folderOf(f.at?.file ?? ''),
      });
    }
    // townships with data tonight: households assembled from the members/households tables
    const byTownship = new Map<string, TownshipFacts>();
    for (const v of checkedUnit.villages) {
      if (v.households <= 0) continue;
      const county = v.county ?? '';
      const township = v.township ?? '';
      const k = townshipKey(unit.name, county, township);
      let t = byTownship.get(k);
      if (!t) byTownship.set(k, (t = { unit: unit.name, county, township, households: 0, people: 0, weightedScore: 0 }));
      t.households += v.households;
      t.people += v.people;
      t.weightedScore += v.score * v.households;
    }
    for (const [k, t] of byTownship) {
      presentTownships.add(k);
      facts.push(t);
    }
    workbooks.push(
      ...(await deliverTownshipWorkbooks({ unit: checkedUnit.delivery, fallbackCounty: unit.name, dateDir, stagingDir: join(stagingDir, String(i)), checkedAt: startedAt, rules, shared })),
      ...(await shared.deliverDue(i, { dateDir, checkedAt: startedAt, rules })),
    );
    const t = checkedUnit.timings;
    log?.info(
      {
        event: 'unit_checked',
        unit: unit.name,
        files: unit.files.length,
        findings: findings.length,
        acrossCounties: checkedUnit.acrossCounties,
        townships: byTownship.size,
        // its check (on either core) and its delivery
        ms: t.discoverMs + t.ingestMs + t.crossMs + t.summaryMs + Date.now() - t0,
        rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
      },
      'county checked',
    );
  }
  await rm(stagingDir, { recursive: true, force: true });

  // ---- ledger: one transaction ----
  const folders = new Set(inbox.units.flatMap((u) => u.files.map((f) => folderOf(displayOf(u, f)))));
  const presence: Presence = { units: new Set(inbox.units.map((u) => u.name)), townships: presentTownships, folders, failedRules };
  const prev = opts.ledger.stateBefore(date);
  const night = applyNight(prev, observations, presence, acceptedFps, date);
  observations.length = 0;
  const after = new Map(prev);
  for (const c of night.changes) after.set(c.fingerprint, c.after);
  const known = opts.ledger.knownTownships(date);
  const missingUnits = opts.ledger.knownUnits(date).filter((u) => !presence.units.has(u));
  const townshipRuns = buildTownshipRuns({ date, after, changes: night.changes, facts, known, presence });
  // townships of a county folder that is missing altogether are covered by its own line
  const missingTownships = townshipRuns
    .filter((t) => !t.present && t.township !== '' && presence.units.has(t.unit))
    .map((t) => ({ unit: t.unit, county: t.county, township: t.township }));
  const totals = {
    units: inbox.units.length,
    households: facts.reduce((s, t) => s + t.households, 0),
    people: facts.reduce((s, t) => s + t.people, 0),
    new: night.changes.filter((c) => c.event === 'new').length,
    fixed: night.changes.filter((c) => c.event === 'fixed').length,
    reopened: night.changes.filter((c) => c.event === 'reopened').length,
    keptOpenMissing: night.keptOpenMissing.length,
  };
  opts.ledger.commitRun({
    run: { runDate: date, startedAt, finishedAt: new Date().toISOString(), units: inbox.units.map((u) => u.name), missing: { units: missingUnits, townships: missingTownships }, totals },
    changes: night.changes,
    townships: townshipRuns,
    beforeCommit: () => pauseAt('ledger-commit'),
  });
  for (const u of missingUnits) log?.warn({ event: 'missing_input', unit: u }, 'county folder missing tonight: its findings stay open');
  for (const t of missingTownships) log?.warn({ event: 'missing_input', unit: t.unit, county: t.county, township: t.township }, 'township has no data tonight: its findings stay open');
  log?.info({ event: 'ledger_committed', date, ...totals }, 'ledger committed');

  // ---- province report, from the committed ledger ----
  const report = buildProvinceReport(opts.ledger, date, after);
  report.workbooks = workbooks;
  await writeProvinceReport(report, dateDir);
  const removed = await removeStaleWorkbooks(dateDir, new Set(workbooks.map((w) => w.rel)));
  if (removed.length > 0) log?.info({ event: 'stale_workbooks_removed', count: removed.length }, 'removed workbooks of an earlier run of this date');
  return { date, dateDir, units: inbox.units.map((u) => u.name), workbooks, report, failedUnits };
}

/** The display name runCheck gives a unit's file (see displayPrefix). */
function displayOf(unit: InboxUnit, file: string): string {
  return `${unit.name}/${unit.name === ROOT_UNIT ? basename(file) : relative(unit.dir, file).split(sep).join('/')}`;
}

function folderOf(display: string): string {
  const i = display.lastIndexOf('/');
  return i < 0 ? '' : display.slice(0, i);
}

function unitPaths(unit: InboxUnit): string[] {
  // a county folder is checked as a folder; the root unit's loose files are listed one by one and
  // checked together (each named by its base name)
  return unit.name === ROOT_UNIT ? unit.files : [unit.dir];
}
