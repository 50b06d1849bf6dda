// The finding ledger's state machine, as pure functions (the SQLite store only persists what this
// decides). A finding is keyed by its fingerprint (stable across runs, SPEC §4).
//
//   (new) ──seen──▶ open ──not seen, its scope checked──▶ fixed (销号) ──seen again──▶ reopened
//                    │                                      ▲                           │
//                    └── fingerprint in accepted.json ──▶ accepted        not seen, checked
//
// "Its scope checked" means: the finding's inbox unit (the county's folder) was delivered tonight
// and, when the finding names a township, that township had data in it; when it names none (a file
// structure problem, a helper, a project), the folder its file came from held files tonight — and
// the finding's rule did not crash in that county tonight. A finding whose county or
// township is missing tonight stays as it is (open stays open) and is counted as missing input —
// never fixed. An accepted finding (检验核查: 数据无误 with a 备注) stays accepted while it is still
// seen; if it disappears from a checked scope the data changed and it is fixed like any other.
import type { Family, Severity } from '../model.js';

export type LedgerStatus = 'open' | 'fixed' | 'accepted' | 'reopened';
export const LEDGER_STATUSES: readonly LedgerStatus[] = ['open', 'fixed', 'accepted', 'reopened'];
export const STATUS_ZH: Record<LedgerStatus, string> = { open: '未整改', fixed: '已销号', accepted: '已说明', reopened: '再次出现' };

/** What tonight's check said about one finding. */
export interface Observation {
  fingerprint: string;
  rule: string;
  family: Family;
  severity: Severity;
  title: string;
  message: string;
  /** inbox unit (top-level folder) the finding came from */
  unit: string;
  county: string;
  township: string;
  village: string;
  householdNo: string;
  /** folder of the file the finding was read from ('县/乡镇', '' when none): judges findings that name no township */
  source: string;
}

export interface LedgerFinding extends Observation {
  status: LedgerStatus;
  firstSeen: string; // YYYY-MM-DD (run dates)
  lastSeen: string;
  /** when it last became open (first seen, or reopened) — the age of an open finding counts from here */
  openSince: string;
  fixedOn: string | null;
  /** run date of the last status change */
  statusOn: string;
}

export type EventKind = 'new' | 'fixed' | 'reopened' | 'accepted' | 'unaccepted';
export const EVENT_ZH: Record<EventKind, string> = { new: '新发现', fixed: '销号', reopened: '再次出现', accepted: '确认已说明', unaccepted: '撤销已说明' };

export interface LedgerChange {
  fingerprint: string;
  /** the row before tonight (null: first seen tonight) */
  before: LedgerFinding | null;
  after: LedgerFinding;
  /** the status transition, if any (a finding only seen again has none) */
  event?: EventKind;
}

/** What was delivered tonight. */
export interface Presence {
  units: ReadonlySet<string>;
  /** townshipKey(unit, county, township) of every township with data tonight */
  townships: ReadonlySet<string>;
  /** folders (as in Observation.source) that held input files tonight */
  folders: ReadonlySet<string>;
  /** rules that crashed in a unit tonight: their findings there were not judged */
  failedRules?: ReadonlyMap<string, ReadonlySet<string>>;
}

export function townshipKey(unit: string, county: string, township: string): string {
  return [unit, county, township].join('\u001f');
}

export function isOpen(s: LedgerStatus): boolean {
  return s === 'open' || s === 'reopened';
}

/** Whether tonight's inputs cover the place of a finding, so its absence means it was fixed. */
export function scopeChecked(f: Pick<Observation, 'rule' | 'unit' | 'county' | 'township' | 'source'>, p: Presence): boolean {
  if (!p.units.has(f.unit)) return false;
  if (p.failedRules?.get(f.unit)?.has(f.rule)) return false; // the rule crashed there: its absence proves nothing
  if (f.township !== '') return p.townships.has(townshipKey(f.unit, f.county, f.township));
  // no township (file structure, helpers, projects): judged when the folder it came from delivered
  return f.source === '' || p.folders.has(f.source);
}

export interface NightResult {
  /** rows that change tonight (new, status change, or seen again) */
  changes: LedgerChange[];
  /** open findings not judged tonight because their county or township sent no data */
  keptOpenMissing: LedgerFinding[];
}

/**
 * Applies one night to the ledger. `prev` is the state before the night, `observed` what the check
 * found (one per fingerprint), `accepted` the fingerprints explained as 数据无误.
 */
export function applyNight(
  prev: ReadonlyMap<string, LedgerFinding>,
  observed: Iterable<Observation>,
  presence: Presence,
  accepted: ReadonlySet<string>,
  date: string,
): NightResult {
  const changes: LedgerChange[] = [];
  const seen = new Set<string>();
  for (const o of observed) {
    if (seen.has(o.fingerprint)) continue;
    seen.add(o.fingerprint);
    const before = prev.get(o.fingerprint) ?? null;
    const isAccepted = accepted.has(o.fingerprint);
    if (!before) {
      const status: LedgerStatus = isAccepted ? 'accepted' : 'open';
      changes.push({
        fingerprint: o.fingerprint,
        before: null,
        after: { ...o, status, firstSeen: date, lastSeen: date, openSince: date, fixedOn: null, statusOn: date },
        event: 'new',
      });
      continue;
    }
    const after: LedgerFinding = { ...before, ...o, lastSeen: date };
    let event: EventKind | undefined;
    if (isAccepted && before.status !== 'accepted') {
      event = 'accepted';
      after.status = 'accepted';
    } else if (before.status === 'fixed') {
      event = 'reopened';
      after.status = 'reopened';
      after.openSince = date;
      after.fixedOn = null;
    } else if (before.status === 'accepted' && !isAccepted) {
      event = 'unaccepted';
      after.status = 'open';
      after.openSince = date;
    }
    if (event) after.statusOn = date;
    changes.push({ fingerprint: o.fingerprint, before, after, event });
  }
  const keptOpenMissing: LedgerFinding[] = [];
  for (const before of prev.values()) {
    if (seen.has(before.fingerprint) || before.status === 'fixed') continue;
    if (scopeChecked(before, presence)) {
      changes.push({ fingerprint: before.fingerprint, before, after: { ...before, status: 'fixed', fixedOn: date, statusOn: date }, event: 'fixed' });
    } else if (accepted.has(before.fingerprint) && before.status !== 'accepted') {
      changes.push({ fingerprint: before.fingerprint, before, after: { ...before, status: 'accepted', statusOn: date }, event: 'accepted' });
    } else if (isOpen(before.status)) keptOpenMissing.push(before);
  }
  return { changes, keptOpenMissing };
}

/** Whole days from `from` to `to` (YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to + 'T00:00:00Z') - Date.parse(from + 'T00:00:00Z')) / 86_400_000);
}
