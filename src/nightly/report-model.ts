// The province report as data (index.html and 省级汇总.xlsx both render this): per county and
// township — households, open findings by family and severity, new and fixed since the last run,
// oldest open age, score and a 30-run trend; a ranking of townships; the top rules; missing inputs.
import type { Family } from '../model.js';
import type { Ledger, RunRecord, StatusCounts, TownshipRun } from '../store/ledger.js';
import { isOpen, townshipKey, type LedgerFinding } from './ledger-state.js';

export const TREND_RUNS = 30;
export const NO_TOWNSHIP_LABEL = '（未注明乡镇）';

export interface TownshipRow extends TownshipRun {
  countyLabel: string;
  townshipLabel: string;
  openTotal: number;
  /** open findings at each of the trend's runs (null: the township had no row that night) */
  trendOpen: (number | null)[];
  trendScore: (number | null)[];
}

export interface CountyRow {
  county: string;
  units: string[];
  townships: number;
  missingTownships: number;
  /** every unit of the county delivered tonight */
  present: boolean;
  households: number;
  people: number;
  score: number | null;
  openError: number;
  openSuspect: number;
  openInfo: number;
  openTotal: number;
  openByFamily: Record<string, number>;
  newCount: number;
  fixedCount: number;
  reopenedCount: number;
  acceptedCount: number;
  oldestOpenDays: number | null;
  trendOpen: number[];
}

export interface RuleRow {
  rule: string;
  title: string;
  family: Family;
  open: number;
  error: number;
  suspect: number;
  info: number;
  newCount: number;
}

export interface ProvinceReport {
  date: string;
  previousRun: string | null;
  generatedAt: string;
  run: RunRecord;
  status: StatusCounts;
  trendDates: string[];
  provinceTrend: { open: number[]; newCount: number[]; fixedCount: number[] };
  totals: {
    households: number;
    people: number;
    open: number;
    openError: number;
    openSuspect: number;
    openInfo: number;
    newCount: number;
    fixedCount: number;
    reopenedCount: number;
    acceptedCount: number;
  };
  counties: CountyRow[];
  townships: TownshipRow[];
  /** townships with data tonight, worst first (score, then open findings) */
  ranking: TownshipRow[];
  topRules: RuleRow[];
  missing: { units: string[]; townships: { unit: string; county: string; township: string }[] };
  /** tonight's township workbooks (paths relative to the date folder), linked from the page */
  workbooks: { county: string; township: string; rel: string }[];
}

const COLLATOR = new Intl.Collator('zh-CN', { numeric: true });

export function buildProvinceReport(ledger: Ledger, date: string, after: ReadonlyMap<string, LedgerFinding>): ProvinceReport {
  const run = ledger.run(date);
  if (!run) throw new Error(`no ledger run for ${date}`);
  const trendDates = ledger.runDates(TREND_RUNS);
  const allRuns = ledger.townshipRuns(trendDates);
  const tonight = allRuns.filter((t) => t.runDate === date);
  const byKeyDate = new Map<string, TownshipRun>();
  for (const t of allRuns) byKeyDate.set(townshipKey(t.unit, t.county, t.township) + '\u001e' + t.runDate, t);
  const open = (t: TownshipRun) => t.openError + t.openSuspect + t.openInfo;

  const townships: TownshipRow[] = tonight.map((t) => {
    const k = townshipKey(t.unit, t.county, t.township);
    const series = trendDates.map((d) => byKeyDate.get(k + '\u001e' + d));
    return {
      ...t,
      countyLabel: t.county || t.unit,
      townshipLabel: t.township || NO_TOWNSHIP_LABEL,
      openTotal: open(t),
      trendOpen: series.map((s) => (s ? open(s) : null)),
      trendScore: series.map((s) => (s ? s.score : null)),
    };
  });

  const counties = new Map<string, CountyRow & { weighted: number; scored: number }>();
  for (const t of townships) {
    let c = counties.get(t.countyLabel);
    if (!c) {
      c = {
        county: t.countyLabel, units: [], townships: 0, missingTownships: 0, present: true, households: 0, people: 0, score: null,
        openError: 0, openSuspect: 0, openInfo: 0, openTotal: 0, openByFamily: {}, newCount: 0, fixedCount: 0, reopenedCount: 0,
        acceptedCount: 0, oldestOpenDays: null, trendOpen: trendDates.map(() => 0), weighted: 0, scored: 0,
      };
      counties.set(t.countyLabel, c);
    }
    if (!c.units.includes(t.unit)) c.units.push(t.unit);
    if (t.township !== '') {
      c.townships++;
      if (!t.present) c.missingTownships++;
    }
    if (!run.units.includes(t.unit)) c.present = false;
    c.households += t.households ?? 0;
    c.people += t.people ?? 0;
    if (t.score !== null && t.households) {
      c.weighted += t.score * t.households;
      c.scored += t.households;
    }
    c.openError += t.openError;
    c.openSuspect += t.openSuspect;
    c.openInfo += t.openInfo;
    c.openTotal += t.openTotal;
    for (const [f, n] of Object.entries(t.openByFamily)) c.openByFamily[f] = (c.openByFamily[f] ?? 0) + n;
    c.newCount += t.newCount;
    c.fixedCount += t.fixedCount;
    c.reopenedCount += t.reopenedCount;
    c.acceptedCount += t.acceptedCount;
    if (t.oldestOpenDays !== null && (c.oldestOpenDays === null || t.oldestOpenDays > c.oldestOpenDays)) c.oldestOpenDays = t.oldestOpenDays;
    t.trendOpen.forEach((n, i) => (c!.trendOpen[i]! += n ?? 0));
  }
  const countyRows: CountyRow[] = [...counties.values()]
    .map(({ weighted, scored, ...c }) => ({ ...c, score: scored > 0 ? Math.round(weighted / scored) : null }))
    .sort((a, b) => COLLATOR.compare(a.county, b.county));

  const ranking = townships
    .filter((t) => t.present && t.township !== '' && t.score !== null)
    .sort((a, b) => a.score! - b.score! || b.openTotal - a.openTotal || COLLATOR.compare(a.countyLabel + a.townshipLabel, b.countyLabel + b.townshipLabel));

  const rules = new Map<string, RuleRow>();
  for (const f of after.values()) {
    if (!isOpen(f.status)) continue;
    let r = rules.get(f.rule);
    if (!r) rules.set(f.rule, (r = { rule: f.rule, title: f.title, family: f.family, open: 0, error: 0, suspect: 0, info: 0, newCount: 0 }));
    r.open++;
    r[f.severity]++;
    if (f.firstSeen === date) r.newCount++;
  }
  const topRules = [...rules.values()].sort((a, b) => b.open - a.open || (a.rule < b.rule ? -1 : 1)).slice(0, 15);

  const byDate = new Map<string, { open: number; newCount: number; fixedCount: number }>();
  for (const t of allRuns) {
    const d = byDate.get(t.runDate) ?? { open: 0, newCount: 0, fixedCount: 0 };
    d.open += open(t);
    d.newCount += t.newCount;
    d.fixedCount += t.fixedCount;
    byDate.set(t.runDate, d);
  }
  const sum = (k: keyof TownshipRun) => townships.reduce((s, t) => s + ((t[k] as number | null) ?? 0), 0);
  const allDates = ledger.runDates();
  const idx = allDates.indexOf(date);
  return {
    date,
    previousRun: idx > 0 ? allDates[idx - 1]! : null,
    generatedAt: new Date().toISOString(),
    run,
    status: ledger.status(),
    trendDates,
    provinceTrend: {
      open: trendDates.map((d) => byDate.get(d)?.open ?? 0),
      newCount: trendDates.map((d) => byDate.get(d)?.newCount ?? 0),
      fixedCount: trendDates.map((d) => byDate.get(d)?.fixedCount ?? 0),
    },
    totals: {
      households: sum('households'),
      people: sum('people'),
      open: townships.reduce((s, t) => s + t.openTotal, 0),
      openError: sum('openError'),
      openSuspect: sum('openSuspect'),
      openInfo: sum('openInfo'),
      newCount: sum('newCount'),
      fixedCount: sum('fixedCount'),
      reopenedCount: sum('reopenedCount'),
      acceptedCount: sum('acceptedCount'),
    },
    counties: countyRows,
    townships,
    ranking,
    topRules,
    missing: run.missing,
    workbooks: [],
  };
}
