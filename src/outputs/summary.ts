// summary.json (SPEC §4): per input file and sheet what was detected and how every physical row
// was accounted for; counts per rule and severity; per village households, people, households
// with errors and the score.
import type { Family, ResolvedFinding } from '../model.js';
import type { FileAccounting } from '../ingest/types.js';
import type { HouseholdFacts } from './household-facts.js';
import { villageKey } from './household-facts.js';
import type { AnyRule } from '../engine/rule.js';
import type { CrossProfile, RuleFailure } from '../engine/runner.js';
import { villageScore, type HouseholdDefects } from './score.js';
import { specKey } from '../schema/tables.js';

export interface VillageSummary {
  county?: string;
  township?: string;
  village?: string;
  households: number;
  people: number;
  householdsWithErrors: number;
  findings: number;
  errors: number;
  suspects: number;
  infos: number;
  byFamily: Record<string, number>;
  score: number;
  /** households under 防返贫监测 by category (边缘易致贫户 …); present only when there are any */
  monitored?: Record<string, number>;
}

/** A village's line before anything is counted. */
export function emptyVillage(county: string | undefined, township: string | undefined, village: string | undefined): VillageSummary {
  return { county, township, village, households: 0, people: 0, householdsWithErrors: 0, findings: 0, errors: 0, suspects: 0, infos: 0, byFamily: {}, score: 1000 };
}

export interface RuleCount {
  rule: string;
  family: Family;
  title: string;
  error: number;
  suspect: number;
  info: number;
}

export interface Summary {
  asOf: string;
  generatedAt: string;
  inputs: FileAccounting[];
  totals: {
    files: number;
    filesUnreadable: number;
    sheets: number;
    physicalRows: number;
    dataRows: number;
    rejectedRows: number;
    findings: number;
    error: number;
    suspect: number;
    info: number;
    households: number;
    people: number;
    /** households under 防返贫监测 by category; present only when there are any */
    monitored?: Record<string, number>;
  };
  rules: RuleCount[];
  villages: VillageSummary[];
  ruleFailures: { rule: string; stage: string }[];
  timings?: Record<string, number>;
  /** engineers' figures: cross-stage milliseconds by rule and derived index (engine/runner.ts CrossProfile) */
  crossProfile?: CrossProfile;
}

export interface SummaryInput {
  asOf: string;
  files: FileAccounting[];
  findings: ResolvedFinding[];
  /** households per village (householdFacts(indexes), or added up county by county) */
  households: HouseholdFacts;
  rules: readonly AnyRule[];
  failures: RuleFailure[];
}

export function buildSummary(input: SummaryInput): Summary {
  const { files, findings, households: facts } = input;
  const counts = new Map<string, RuleCount>();
  for (const r of input.rules) counts.set(r.id, { rule: r.id, family: r.family, title: r.title, error: 0, suspect: 0, info: 0 });
  const totals = { error: 0, suspect: 0, info: 0 };
  for (const f of findings) {
    const c = counts.get(f.rule);
    if (c) c[f.severity]++;
    totals[f.severity]++;
  }

  // villages: from the assembled households; findings are attributed by their region
  const villages = new Map<string, VillageSummary>();
  const villageOf = (county?: string, township?: string, village?: string): VillageSummary => {
    const k = villageKey(county, township, village);
    let v = villages.get(k);
    if (!v) {
      v = emptyVillage(county, township, village);
      villages.set(k, v);
    }
    return v;
  };
  for (const h of facts.villages.values()) {
    const v = villageOf(h.county, h.township, h.village);
    v.households += h.households;
    v.people += h.people;
    if (h.monitored) v.monitored = { ...h.monitored };
  }
  const totalMonitored = facts.monitored;
  const householdVillage = (no: string): VillageSummary | undefined => {
    const key = facts.villageOf.get(no);
    return key === undefined ? undefined : villages.get(key);
  };
  const defects = new Map<VillageSummary, Map<string, HouseholdDefects>>();
  for (const f of findings) {
    let v: VillageSummary | undefined = f.householdNo ? householdVillage(f.householdNo) : undefined;
    if (!v) {
      const r = f.region;
      if (!r?.village && !r?.township && !f.village) continue; // not tied to a village (file structure, helpers elsewhere)
      v = villageOf(r?.county, r?.township, r?.village ?? f.village);
    }
    v.findings++;
    if (f.severity === 'error') v.errors++;
    else if (f.severity === 'suspect') v.suspects++;
    else v.infos++;
    v.byFamily[f.family] = (v.byFamily[f.family] ?? 0) + 1;
    if (f.householdNo && householdVillage(f.householdNo) === v && f.severity !== 'info') {
      let m = defects.get(v);
      if (!m) defects.set(v, (m = new Map()));
      const d = m.get(f.householdNo) ?? { errors: 0, suspects: 0 };
      if (f.severity === 'error') d.errors++;
      else d.suspects++;
      m.set(f.householdNo, d);
    }
  }
  for (const v of villages.values()) {
    const m = defects.get(v);
    v.householdsWithErrors = m ? [...m.values()].filter((d) => d.errors > 0).length : 0;
    v.score = villageScore(v.households, m?.values() ?? []);
  }
  const villageList = [...villages.values()].sort((a, b) => {
    const ka = villageKey(a.county, a.township, a.village);
    const kb = villageKey(b.county, b.township, b.village);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });

  let sheets = 0;
  let physicalRows = 0;
  let dataRows = 0;
  let rejectedRows = 0;
  for (const f of files) {
    for (const s of f.sheets) {
      sheets++;
      physicalRows += s.physicalRows;
      dataRows += s.buckets.data;
      rejectedRows += s.buckets.rejected;
    }
  }
  return {
    asOf: input.asOf,
    generatedAt: new Date().toISOString(),
    inputs: files.map(withSpecFieldNames),
    totals: {
      files: files.length,
      filesUnreadable: files.filter((f) => !f.readable).length,
      sheets,
      physicalRows,
      dataRows,
      rejectedRows,
      findings: findings.length,
      ...totals,
      households: facts.households,
      people: facts.people,
      ...(Object.keys(totalMonitored).length > 0 ? { monitored: totalMonitored } : {}),
    },
    rules: [...counts.values()],
    villages: villageList,
    ruleFailures: input.failures.map((f) => ({ rule: f.rule, stage: f.stage })),
  };
}

/**
 * summary.json names fields as findings.jsonl and config `columns` do (snake_case, SPEC keys):
 * each sheet's bindings read `{col, header, table, field: "id_number"}`.
 */
function withSpecFieldNames(f: FileAccounting): FileAccounting {
  return {
    ...f,
    sheets: f.sheets.map((s) => (s.bindings ? { ...s, bindings: s.bindings.map((b) => ({ ...b, field: specKey(b.field) })) } : s)),
  };
}
