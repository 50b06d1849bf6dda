// 检验核查 (SPEC §4): judge each row of filled 整改台账 workbooks against the findings of a fresh
// export. Pure functions only (no I/O), so the judging is testable without the pipeline:
// rows are matched by fingerprint (the hidden 指纹 column); when a workbook lost that column the
// match falls back to rule + entity key (村, 户编号, 证件号码, 姓名, 字段) and the result says so.
import type { ResolvedFinding } from '../model.js';
import { normalizeText } from '../normalize/text.js';
import type { VillageSummary } from './summary.js';
import { fieldCellText, personIdOf, regionOf, RESULT_CORRECT, RESULT_FIXED, RESULT_UNVERIFIABLE } from './workbook.js';

export type ClerkResult = '已修正' | '数据无误' | '无法核实' | '';
export type Judgement = '已整改' | '未整改' | '已说明' | '待核实';

/** One data row of a filled 问题清单, as read back. */
export interface CorrectionRow {
  file: string;
  sheet: string;
  row: number; // Excel row number in the filled workbook
  seq?: number; // 序号
  fingerprint?: string;
  rule: string; // rule id (ID-03), '' when the 规则 cell was unreadable
  ruleText?: string; // the 规则 cell as written
  county: string;
  township: string;
  village: string;
  householdNo: string;
  head?: string;
  name: string;
  idNumber: string;
  field: string; // 字段 (Chinese header)
  message?: string;
  value?: string;
  expected?: string;
  severity?: string;
  /** 来源 and 相关位置 as written in the 台账 */
  source?: string;
  related?: string;
  result: ClerkResult;
  /** the 核实结果 cell as written, when it is not one of the three values */
  rawResult?: string;
  corrected?: string;
  verifier?: string;
  verifiedOn?: string;
  remark?: string;
}

/** Villages of a workbook's 汇总 sheet: the score at check time. */
export interface BeforeVillage {
  /** the 台账 file it was read from */
  file?: string;
  county: string;
  township: string;
  village: string;
  households?: number;
  score?: number;
}

export interface JudgedRow {
  row: CorrectionRow;
  judgement: Judgement;
  /** the fresh finding still there (undefined when gone) */
  fresh?: ResolvedFinding;
  /** fingerprint: the row's, or the matched fresh finding's when matched by entity key */
  fingerprint?: string;
  matchedBy: 'fingerprint' | 'entity';
}

export interface VillageVerification {
  county: string;
  township: string;
  village: string;
  findings: number;
  fixed: number;
  explained: number;
  notFixed: number;
  pending: number;
  open: number;
  newFindings: number;
  completionRate: number; // (fixed + explained) / findings, 0..1; 1 when the workbook had no rows there
  scoreBefore: number | null;
  scoreAfter: number | null;
}

export interface JudgeOutput {
  rows: JudgedRow[];
  newFindings: ResolvedFinding[];
  /** rows matched by rule + entity key because they had no fingerprint */
  entityMatched: number;
  /** rows dropped because another workbook row had the same fingerprint */
  duplicates: number;
}

// ---------------------------------------------------------------------------------------------

const RESULT_ALIASES: Record<string, ClerkResult> = {
  已修正: RESULT_FIXED,
  已改正: RESULT_FIXED,
  已整改: RESULT_FIXED,
  已更正: RESULT_FIXED,
  修正: RESULT_FIXED,
  数据无误: RESULT_CORRECT,
  无误: RESULT_CORRECT,
  数据正确: RESULT_CORRECT,
  无法核实: RESULT_UNVERIFIABLE,
};

/** The clerk's 核实结果 cell → one of the three values ('' when empty or not recognised). */
export function normalizeResult(cell: string): { result: ClerkResult; raw?: string } {
  const t = normalizeText(cell).replace(/\s+/g, '');
  if (!t) return { result: '' };
  const r = RESULT_ALIASES[t];
  return r !== undefined ? { result: r } : { result: '', raw: cell };
}

/** The rule id at the start of a 规则 cell (`ID-03 校验码错误` → `ID-03`). */
export function ruleIdOf(cell: string): string {
  const m = /^\s*([A-Z]+-\d+)/i.exec(normalizeText(cell));
  return m ? m[1]!.toUpperCase() : '';
}

const SEP = '\u001f';

export function villageKey(county: string | undefined, township: string | undefined, village: string | undefined): string {
  return [county ?? '', township ?? '', village ?? ''].join(SEP);
}

function norm(s: string | undefined): string {
  return s ? normalizeText(s) : '';
}

/** Entity key of a workbook row (fallback match when the fingerprint column is gone). */
export function rowEntityKey(r: CorrectionRow): string {
  return [r.rule, norm(r.village), norm(r.householdNo), norm(r.idNumber).toUpperCase(), (r.name ?? '').trim(), norm(r.field)].join(SEP);
}

/** The same key of a fresh finding, from the cells its workbook row would have. */
export function findingEntityKey(f: ResolvedFinding): string {
  return [f.rule, norm(regionOf(f).village), norm(f.householdNo), norm(personIdOf(f)).toUpperCase(), (f.name ?? '').trim(), norm(fieldCellText(f))].join(SEP);
}

/** Judgement of one row given whether its finding is still in the fresh export. */
export function judgeOne(r: Pick<CorrectionRow, 'result' | 'remark'>, stillThere: boolean): Judgement {
  if (!stillThere) return '已整改';
  if (r.result === RESULT_CORRECT && (r.remark ?? '').trim() !== '') return '已说明';
  if (r.result === RESULT_FIXED) return '未整改';
  return '待核实';
}

/** Which fresh findings count as "new" for these workbooks: those in their villages/townships. */
export interface Scope {
  villages: Set<string>; // villageKey
  townships: Set<string>; // county SEP township
  noTownship: boolean;
}

export function scopeOf(rows: CorrectionRow[], before: BeforeVillage[]): Scope {
  const s: Scope = { villages: new Set(), townships: new Set(), noTownship: false };
  // a township's 台账 also holds rows without a township of their own (a helper's findings routed
  // there): only a 台账 with no township anywhere (整改台账_未注明乡镇) covers the findings without one
  const filesWithTownship = new Set<string>();
  for (const r of rows) if (r.township) filesWithTownship.add(r.file);
  for (const v of before) if (v.township && v.file) filesWithTownship.add(v.file);
  const add = (c: string, t: string, v: string, file: string | undefined) => {
    if (!t) {
      if (file === undefined || !filesWithTownship.has(file)) s.noTownship = true;
      return;
    }
    s.townships.add(norm(c) + SEP + norm(t));
    s.villages.add(villageKey(norm(c), norm(t), norm(v)));
  };
  for (const r of rows) add(r.county, r.township, r.village, r.file);
  for (const v of before) add(v.county, v.township, v.village, v.file);
  return s;
}

export function inScope(f: ResolvedFinding, scope: Scope): boolean {
  const here = (county: string | undefined, township: string | undefined, village: string | undefined): boolean => {
    if (scope.villages.has(villageKey(norm(county), norm(township), norm(village)))) return true;
    return !village && scope.townships.has(norm(county) + SEP + norm(township));
  };
  const r = regionOf(f);
  // a helper's or project's finding goes to every township it concerns (routing.ts): so does its scope
  for (const x of f.routes ?? []) if (x.township && here(x.county, x.township, x.village)) return true;
  if (!r.township) return scope.noTownship && !(f.routes?.length);
  return here(r.county, r.township, r.village);
}

/**
 * Judge every row: 已整改 (its finding is gone from the fresh findings), 未整改 (marked 已修正 but
 * still there), 已说明 (数据无误 with a 备注), 待核实 (anything else still there). Rows with the same
 * fingerprint (the same workbook given twice, a township and a village workbook) count once: a
 * filled row wins over an empty one, a later one over an earlier one. Fresh findings matched by no
 * row and inside the workbooks' scope are the new findings.
 */
export function judge(rows: CorrectionRow[], fresh: ResolvedFinding[], scope?: Scope): JudgeOutput {
  const byFp = new Map<string, ResolvedFinding>();
  for (const f of fresh) byFp.set(f.fingerprint, f);
  let byEntity: Map<string, ResolvedFinding[]> | undefined;
  const entityIndex = () => {
    if (!byEntity) {
      byEntity = new Map();
      for (const f of fresh) {
        const k = findingEntityKey(f);
        const l = byEntity.get(k);
        if (l) l.push(f);
        else byEntity.set(k, [f]);
      }
    }
    return byEntity;
  };

  // one row per fingerprint
  const unique: CorrectionRow[] = [];
  const seenAt = new Map<string, number>();
  let duplicates = 0;
  for (const r of rows) {
    const fp = r.fingerprint;
    if (!fp) {
      unique.push(r);
      continue;
    }
    const at = seenAt.get(fp);
    if (at === undefined) {
      seenAt.set(fp, unique.length);
      unique.push(r);
      continue;
    }
    // the same finding in two townships' 台账 (a helper serving both) is expected, not a duplicate
    if (unique[at]!.file === r.file) duplicates++;
    if (r.result !== '' || unique[at]!.result === '') unique[at] = r;
  }

  const matched = new Set<string>();
  const out: JudgedRow[] = [];
  let entityMatched = 0;
  for (const r of unique) {
    let f: ResolvedFinding | undefined;
    let matchedBy: JudgedRow['matchedBy'] = 'fingerprint';
    if (r.fingerprint) {
      f = byFp.get(r.fingerprint);
    } else {
      matchedBy = 'entity';
      entityMatched++;
      const list = entityIndex().get(rowEntityKey(r));
      // prefer a finding no other row took yet; several left means still there either way
      f = list?.find((x) => !matched.has(x.fingerprint)) ?? list?.[0];
    }
    if (f) matched.add(f.fingerprint);
    out.push({ row: r, judgement: judgeOne(r, f !== undefined), fresh: f, fingerprint: r.fingerprint ?? f?.fingerprint, matchedBy });
  }
  for (const fp of seenAt.keys()) matched.add(fp);
  const newFindings = fresh.filter((f) => !matched.has(f.fingerprint) && (!scope || inScope(f, scope)));
  return { rows: out, newFindings, entityMatched, duplicates };
}

/**
 * Per village: completion rate and score before (the workbook's 汇总) and after (the fresh
 * summary). Villages of the 汇总 sheets without rows are listed too (nothing to do there).
 */
export function villageVerification(
  judged: JudgedRow[],
  newFindings: ResolvedFinding[],
  before: BeforeVillage[],
  after: VillageSummary[],
): VillageVerification[] {
  const map = new Map<string, VillageVerification>();
  const get = (c: string, t: string, v: string): VillageVerification => {
    const k = villageKey(norm(c), norm(t), norm(v));
    let x = map.get(k);
    if (!x) {
      x = {
        county: c,
        township: t,
        village: v,
        findings: 0,
        fixed: 0,
        explained: 0,
        notFixed: 0,
        pending: 0,
        open: 0,
        newFindings: 0,
        completionRate: 1,
        scoreBefore: null,
        scoreAfter: null,
      };
      map.set(k, x);
    }
    return x;
  };
  for (const b of before) {
    const x = get(b.county, b.township, b.village);
    if (b.score !== undefined) x.scoreBefore = b.score;
  }
  for (const j of judged) {
    const x = get(j.row.county, j.row.township, j.row.village);
    x.findings++;
    if (j.judgement === '已整改') x.fixed++;
    else if (j.judgement === '已说明') x.explained++;
    else if (j.judgement === '未整改') x.notFixed++;
    else x.pending++;
  }
  for (const f of newFindings) {
    const r = regionOf(f);
    const k = villageKey(norm(r.county), norm(r.township), norm(r.village));
    const x = map.get(k);
    if (x) x.newFindings++;
  }
  const afterByKey = new Map(after.map((v) => [villageKey(norm(v.county), norm(v.township), norm(v.village)), v]));
  for (const [k, x] of map) {
    x.open = x.notFixed + x.pending;
    x.completionRate = x.findings === 0 ? 1 : Math.round(((x.fixed + x.explained) / x.findings) * 10_000) / 10_000;
    const a = afterByKey.get(k);
    if (a && x.village) x.scoreAfter = a.score;
  }
  const collator = new Intl.Collator('zh-CN', { numeric: true });
  return [...map.values()].sort(
    (a, b) => collator.compare(a.county, b.county) || collator.compare(a.township, b.township) || (a.village === '' ? 1 : b.village === '' ? -1 : collator.compare(a.village, b.village)),
  );
}

// ---------------------------------------------------------------------------------------------
// verification.json (SPEC §4)

export interface VerificationJson {
  asOf: string;
  rows: { fingerprint: string | null; rule: string; village: string | null; household_no: string | null; result: ClerkResult; judgement: Judgement }[];
  villages: {
    county: string | null;
    township: string | null;
    village: string | null;
    findings: number;
    fixed: number;
    explained: number;
    open: number;
    completionRate: number;
    scoreBefore: number | null;
    scoreAfter: number | null;
  }[];
  /** fresh findings in the workbooks' villages that no workbook row names */
  newFindings: { fingerprint: string; rule: string; severity: string; village: string | null; household_no: string | null; message: string }[];
}

const orNull = (s: string | undefined): string | null => (s ? s : null);

export function verificationJson(asOf: string, judged: JudgedRow[], villages: VillageVerification[], newFindings: ResolvedFinding[]): VerificationJson {
  return {
    asOf,
    rows: judged.map((j) => ({
      fingerprint: j.fingerprint ?? null,
      rule: j.row.rule,
      village: orNull(j.row.village),
      household_no: orNull(j.row.householdNo),
      result: j.row.result,
      judgement: j.judgement,
    })),
    villages: villages.map((v) => ({
      county: orNull(v.county),
      township: orNull(v.township),
      village: orNull(v.village),
      findings: v.findings,
      fixed: v.fixed,
      explained: v.explained,
      open: v.open,
      completionRate: v.completionRate,
      scoreBefore: v.scoreBefore,
      scoreAfter: v.scoreAfter,
    })),
    newFindings: newFindings.map((f) => ({
      fingerprint: f.fingerprint,
      rule: f.rule,
      severity: f.severity,
      village: orNull(regionOf(f).village),
      household_no: orNull(f.householdNo),
      message: f.message,
    })),
  };
}
