// The provincial finding ledger in the shared SQLite store (tables: migration 3 in migrations.ts).
// What a night changes is decided by src/nightly/ledger-state.ts; this file persists it. A run is
// committed in ONE transaction: a killed run leaves the previous state, and re-running the latest
// date first undoes that date (from the before-images in ledger_undo) inside the same transaction,
// so the result equals a single run of that date.
import type { Db } from './db.js';
import { UsageError } from '../core/errors.js';
import type { EventKind, LedgerChange, LedgerFinding, LedgerStatus } from '../nightly/ledger-state.js';

/** A night older than the ledger's latest run: refused (bad usage, exit 2). */
export class LedgerOrderError extends UsageError {
  constructor(
    message: string,
    readonly latest: string,
  ) {
    super(message);
    this.name = 'LedgerOrderError';
  }
}

interface FindingRow {
  fingerprint: string;
  rule: string;
  family: string;
  severity: string;
  title: string;
  message: string;
  unit: string;
  county: string;
  township: string;
  village: string;
  household_no: string;
  source: string;
  status: string;
  first_seen: string;
  last_seen: string;
  open_since: string;
  fixed_on: string | null;
  status_on: string;
}

function fromRow(r: FindingRow): LedgerFinding {
  return {
    fingerprint: r.fingerprint,
    rule: r.rule,
    family: r.family as LedgerFinding['family'],
    severity: r.severity as LedgerFinding['severity'],
    title: r.title,
    message: r.message,
    unit: r.unit,
    county: r.county,
    township: r.township,
    village: r.village,
    householdNo: r.household_no,
    source: r.source,
    status: r.status as LedgerStatus,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    openSince: r.open_since,
    fixedOn: r.fixed_on,
    statusOn: r.status_on,
  };
}

function toParams(f: LedgerFinding): FindingRow {
  return {
    fingerprint: f.fingerprint,
    rule: f.rule,
    family: f.family,
    severity: f.severity,
    title: f.title,
    message: f.message,
    unit: f.unit,
    county: f.county,
    township: f.township,
    village: f.village,
    household_no: f.householdNo,
    source: f.source,
    status: f.status,
    first_seen: f.firstSeen,
    last_seen: f.lastSeen,
    open_since: f.openSince,
    fixed_on: f.fixedOn,
    status_on: f.statusOn,
  };
}

const FINDING_COLUMNS = [
  'fingerprint', 'rule', 'family', 'severity', 'title', 'message', 'unit', 'county', 'township', 'village', 'household_no',
  'source', 'status', 'first_seen', 'last_seen', 'open_since', 'fixed_on', 'status_on',
];
const UPSERT_SQL = `INSERT OR REPLACE INTO ledger_findings (${FINDING_COLUMNS.join(', ')}) VALUES (${FINDING_COLUMNS.map((c) => '@' + c).join(', ')})`;

/** One township's figures for one run (the 30-run trend reads these back). */
export interface TownshipRun {
  runDate: string;
  unit: string;
  county: string;
  township: string;
  present: boolean;
  households: number | null;
  people: number | null;
  score: number | null;
  openError: number;
  openSuspect: number;
  openInfo: number;
  openByFamily: Record<string, number>;
  newCount: number;
  fixedCount: number;
  reopenedCount: number;
  acceptedCount: number;
  oldestOpenDays: number | null;
}

export interface RunRecord {
  runDate: string;
  startedAt: string;
  finishedAt: string;
  units: string[];
  missing: { units: string[]; townships: { unit: string; county: string; township: string }[] };
  totals: Record<string, number>;
}

export interface CommitInput {
  run: RunRecord;
  changes: LedgerChange[];
  townships: TownshipRun[];
  /** called inside the transaction after every write, before COMMIT (test hook for kills) */
  beforeCommit?: () => void;
}

export interface StatusCounts {
  open: number;
  fixed: number;
  accepted: number;
  reopened: number;
  total: number;
  runs: number;
  lastRun: string | null;
  /** county folders and townships that sent nothing in the last run (their findings kept open) */
  lastRunMissingUnits: number;
  lastRunMissingTownships: number;
}

export interface HistoryEntry {
  runDate: string;
  kind: EventKind;
  status: LedgerStatus;
}

export interface ExportFilter {
  status?: LedgerStatus;
  county?: string;
  township?: string;
}

export class Ledger {
  constructor(readonly db: Db) {}

  latestRun(): string | null {
    const r = this.db.prepare('SELECT MAX(run_date) AS d FROM ledger_runs').get() as { d: string | null };
    return r.d;
  }

  runDates(limit?: number): string[] {
    const rows = this.db.prepare(`SELECT run_date FROM ledger_runs ORDER BY run_date DESC${limit ? ' LIMIT ' + Math.floor(limit) : ''}`).all() as { run_date: string }[];
    return rows.map((r) => r.run_date).reverse();
  }

  run(date: string): RunRecord | undefined {
    const r = this.db.prepare('SELECT * FROM ledger_runs WHERE run_date = ?').get(date) as
      | { run_date: string; started_at: string; finished_at: string; units_json: string; missing_json: string; totals_json: string }
      | undefined;
    if (!r) return undefined;
    return {
      runDate: r.run_date,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      units: JSON.parse(r.units_json),
      missing: JSON.parse(r.missing_json),
      totals: JSON.parse(r.totals_json),
    };
  }

  /** Refuses a date before the latest run (the ledger only moves forward; the latest may be re-run). */
  checkOrder(date: string): void {
    const latest = this.latestRun();
    if (latest !== null && date < latest) {
      throw new LedgerOrderError(`账本中已有 ${latest} 的运行，不能再运行更早的日期 ${date}。`, latest);
    }
  }

  /**
   * The ledger as it stood before a run of `date`: the current rows, with the before-images of
   * `date`'s own run put back when `date` is the latest run (a re-run).
   */
  stateBefore(date: string): Map<string, LedgerFinding> {
    this.checkOrder(date);
    const state = new Map<string, LedgerFinding>();
    for (const r of this.db.prepare('SELECT * FROM ledger_findings').iterate() as IterableIterator<FindingRow>) state.set(r.fingerprint, fromRow(r));
    if (this.latestRun() === date) {
      for (const u of this.db.prepare('SELECT fingerprint, before_json FROM ledger_undo WHERE run_date = ?').iterate(date) as IterableIterator<{ fingerprint: string; before_json: string | null }>) {
        if (u.before_json === null) state.delete(u.fingerprint);
        else state.set(u.fingerprint, JSON.parse(u.before_json) as LedgerFinding);
      }
    }
    return state;
  }

  /** Townships seen by runs before `date` (to report the ones missing tonight). */
  knownTownships(date: string): { unit: string; county: string; township: string }[] {
    return this.db
      .prepare('SELECT DISTINCT unit, county, township FROM ledger_townships WHERE run_date < ? ORDER BY unit, county, township')
      .all(date) as { unit: string; county: string; township: string }[];
  }

  /** Units (county folders) delivered in any run before `date`. */
  knownUnits(date: string): string[] {
    const out = new Set<string>();
    for (const r of this.db.prepare('SELECT units_json FROM ledger_runs WHERE run_date < ?').all(date) as { units_json: string }[]) {
      for (const u of JSON.parse(r.units_json) as string[]) out.add(u);
    }
    return [...out].sort();
  }

  /** Writes one run in a single transaction (undoing an earlier run of the same date first). */
  commitRun(input: CommitInput): void {
    const { run } = input;
    const db = this.db;
    const upsert = db.prepare(UPSERT_SQL);
    const del = db.prepare('DELETE FROM ledger_findings WHERE fingerprint = ?');
    const undoIns = db.prepare('INSERT INTO ledger_undo (run_date, fingerprint, before_json) VALUES (?, ?, ?)');
    const evIns = db.prepare('INSERT INTO ledger_events (run_date, fingerprint, kind, status) VALUES (?, ?, ?, ?)');
    const twIns = db.prepare(
      `INSERT INTO ledger_townships (run_date, unit, county, township, present, households, people, score, open_error, open_suspect,
        open_info, open_by_family_json, new_count, fixed_count, reopened_count, accepted_count, oldest_open_days)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    db.transaction(() => {
      this.checkOrder(run.runDate);
      if (this.latestRun() === run.runDate) {
        // a re-run: put the before-images back, forget that run's events and figures
        for (const u of db.prepare('SELECT fingerprint, before_json FROM ledger_undo WHERE run_date = ?').all(run.runDate) as { fingerprint: string; before_json: string | null }[]) {
          if (u.before_json === null) del.run(u.fingerprint);
          else upsert.run(toParams(JSON.parse(u.before_json) as LedgerFinding));
        }
        db.prepare('DELETE FROM ledger_events WHERE run_date = ?').run(run.runDate);
        db.prepare('DELETE FROM ledger_townships WHERE run_date = ?').run(run.runDate);
        db.prepare('DELETE FROM ledger_runs WHERE run_date = ?').run(run.runDate);
      }
      db.prepare('DELETE FROM ledger_undo').run();
      for (const c of input.changes) {
        undoIns.run(run.runDate, c.fingerprint, c.before ? JSON.stringify(c.before) : null);
        upsert.run(toParams(c.after));
        if (c.event) evIns.run(run.runDate, c.fingerprint, c.event, c.after.status);
      }
      for (const t of input.townships) {
        twIns.run(
          t.runDate, t.unit, t.county, t.township, t.present ? 1 : 0, t.households, t.people, t.score, t.openError, t.openSuspect,
          t.openInfo, JSON.stringify(t.openByFamily), t.newCount, t.fixedCount, t.reopenedCount, t.acceptedCount, t.oldestOpenDays,
        );
      }
      db.prepare('INSERT INTO ledger_runs (run_date, started_at, finished_at, units_json, missing_json, totals_json) VALUES (?, ?, ?, ?, ?, ?)').run(
        run.runDate, run.startedAt, run.finishedAt, JSON.stringify(run.units), JSON.stringify(run.missing), JSON.stringify(run.totals),
      );
      input.beforeCommit?.();
    })();
  }

  status(): StatusCounts {
    const lastRun = this.latestRun();
    const missing = lastRun ? this.run(lastRun)?.missing : undefined;
    const counts: StatusCounts = {
      open: 0, fixed: 0, accepted: 0, reopened: 0, total: 0, runs: 0, lastRun,
      lastRunMissingUnits: missing?.units.length ?? 0, lastRunMissingTownships: missing?.townships.length ?? 0,
    };
    for (const r of this.db.prepare('SELECT status, COUNT(*) AS n FROM ledger_findings GROUP BY status').all() as { status: LedgerStatus; n: number }[]) {
      counts[r.status] = r.n;
      counts.total += r.n;
    }
    counts.runs = (this.db.prepare('SELECT COUNT(*) AS n FROM ledger_runs').get() as { n: number }).n;
    return counts;
  }

  finding(fingerprint: string): LedgerFinding | undefined {
    const r = this.db.prepare('SELECT * FROM ledger_findings WHERE fingerprint = ?').get(fingerprint) as FindingRow | undefined;
    return r ? fromRow(r) : undefined;
  }

  history(fingerprint: string): HistoryEntry[] {
    return (this.db.prepare('SELECT run_date, kind, status FROM ledger_events WHERE fingerprint = ? ORDER BY run_date').all(fingerprint) as {
      run_date: string;
      kind: EventKind;
      status: LedgerStatus;
    }[]).map((r) => ({ runDate: r.run_date, kind: r.kind, status: r.status }));
  }

  /** Findings matching a filter, in place order (county, township, village, household, rule). */
  *findings(filter: ExportFilter = {}): IterableIterator<LedgerFinding> {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.status) {
      where.push('status = ?');
      args.push(filter.status);
    }
    if (filter.county !== undefined) {
      where.push('county = ?');
      args.push(filter.county);
    }
    if (filter.township !== undefined) {
      where.push('township = ?');
      args.push(filter.township);
    }
    const sql = `SELECT * FROM ledger_findings ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY county, township, village, household_no, rule, fingerprint`;
    for (const r of this.db.prepare(sql).iterate(...args) as IterableIterator<FindingRow>) yield fromRow(r);
  }

  /** Township figures of the given runs (for the trend). */
  townshipRuns(dates: string[]): TownshipRun[] {
    if (dates.length === 0) return [];
    const rows = this.db
      .prepare(`SELECT * FROM ledger_townships WHERE run_date IN (${dates.map(() => '?').join(', ')}) ORDER BY run_date, unit, county, township`)
      .all(...dates) as Record<string, unknown>[];
    return rows.map((r) => ({
      runDate: r['run_date'] as string,
      unit: r['unit'] as string,
      county: r['county'] as string,
      township: r['township'] as string,
      present: r['present'] === 1,
      households: r['households'] as number | null,
      people: r['people'] as number | null,
      score: r['score'] as number | null,
      openError: r['open_error'] as number,
      openSuspect: r['open_suspect'] as number,
      openInfo: r['open_info'] as number,
      openByFamily: JSON.parse(r['open_by_family_json'] as string) as Record<string, number>,
      newCount: r['new_count'] as number,
      fixedCount: r['fixed_count'] as number,
      reopenedCount: r['reopened_count'] as number,
      acceptedCount: r['accepted_count'] as number,
      oldestOpenDays: r['oldest_open_days'] as number | null,
    }));
  }
}
