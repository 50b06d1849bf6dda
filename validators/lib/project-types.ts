// Which household or village indicator a project is expected to have changed, by project type
// (项目类别) and sub type (项目子类). ONE declarative table (SPEC §3 BENE-01..04): the BENE rules
// read it to decide, and render it into their Chinese explanations, so `qingxi rules` and the
// workbook legend say exactly why a row was flagged.
import type { HouseholdFields, ProjectValues } from '../../src/schema/rows.js';
import { fieldLabel } from '../../src/schema/tables.js';
import { normalizeText } from '../../src/normalize/text.js';

export type BeneRuleId = 'BENE-01' | 'BENE-02' | 'BENE-03' | 'BENE-04';

/** household-level indicators a project may be expected to secure */
export type HouseholdIndicator = keyof Pick<
  HouseholdFields,
  'foodClothingOk' | 'educationOk' | 'medicalOk' | 'housingOk' | 'waterOk'
>;
/** village facilities (villages table) a project may be expected to provide */
export type VillageFacility = 'hardRoad' | 'powerGrid';

export type ProjectTarget =
  /** the household's indicator(s) should be 是; any of them 否 is flagged */
  | { kind: 'household'; fields: HouseholdIndicator[] }
  /** the project's village should have the facility (villages table) */
  | { kind: 'village'; field: VillageFacility }
  /** the household should have at least one working member (SPEC §3.0 "working member") */
  | { kind: 'working' };

export interface ProjectTypeEntry {
  rule: BeneRuleId;
  /** project_type (项目类别) values; the entry needs one of them when given */
  types?: readonly string[];
  /** sub_type (项目子类) keywords; the entry needs the sub type to equal or contain one when given */
  subTypes?: readonly string[];
  target: ProjectTarget;
  /** applies only once the project is 已完工 or 已验收 */
  onlyWhenDone: boolean;
}

const SAN_BAOZHANG_AND_FOOD: HouseholdIndicator[] = ['foodClothingOk', 'educationOk', 'medicalOk', 'housingOk'];

/**
 * The mapping. Within an entry every given criterion must hold (type AND sub type); a project
 * matches a rule when any of the rule's entries match. Values are compared after trimming,
 * full-width → half-width and Traditional → Simplified.
 */
export const PROJECT_TYPE_TABLE: readonly ProjectTypeEntry[] = [
  // BENE-01: 三保障 / 饮水 projects, once finished
  { rule: 'BENE-01', subTypes: ['教育'], target: { kind: 'household', fields: ['educationOk'] }, onlyWhenDone: true },
  { rule: 'BENE-01', types: ['教育扶贫'], target: { kind: 'household', fields: ['educationOk'] }, onlyWhenDone: true },
  { rule: 'BENE-01', subTypes: ['医疗'], target: { kind: 'household', fields: ['medicalOk'] }, onlyWhenDone: true },
  { rule: 'BENE-01', types: ['健康扶贫'], target: { kind: 'household', fields: ['medicalOk'] }, onlyWhenDone: true },
  { rule: 'BENE-01', subTypes: ['住房', '危房改造'], target: { kind: 'household', fields: ['housingOk'] }, onlyWhenDone: true },
  { rule: 'BENE-01', types: ['危房改造'], target: { kind: 'household', fields: ['housingOk'] }, onlyWhenDone: true },
  { rule: 'BENE-01', subTypes: ['饮水'], target: { kind: 'household', fields: ['waterOk'] }, onlyWhenDone: true },
  // BENE-02: employment projects, whatever their status
  { rule: 'BENE-02', types: ['就业扶贫', '公益岗位'], target: { kind: 'working' }, onlyWhenDone: false },
  // BENE-03: infrastructure / industry projects go to households whose basic needs are met
  { rule: 'BENE-03', types: ['基础设施', '产业发展'], target: { kind: 'household', fields: SAN_BAOZHANG_AND_FOOD }, onlyWhenDone: false },
  // BENE-04: village infrastructure, once finished
  { rule: 'BENE-04', types: ['基础设施'], subTypes: ['道路'], target: { kind: 'village', field: 'hardRoad' }, onlyWhenDone: true },
  { rule: 'BENE-04', types: ['基础设施'], subTypes: ['电力'], target: { kind: 'village', field: 'powerGrid' }, onlyWhenDone: true },
];

export const DONE_STATUSES: readonly string[] = ['已完工', '已验收'];

export function isDone(status: string | undefined): boolean {
  return status !== undefined && DONE_STATUSES.includes(normalizeText(status));
}

function norm(s: string | undefined): string {
  return s === undefined ? '' : normalizeText(s);
}

/** Does one entry apply to a project (status included)? */
export function entryMatches(e: ProjectTypeEntry, p: Pick<ProjectValues, 'projectType' | 'subType' | 'status'>): boolean {
  if (e.onlyWhenDone && !isDone(p.status)) return false;
  if (!e.types && !e.subTypes) return false;
  if (e.types) {
    const t = norm(p.projectType);
    if (!t || !e.types.includes(t)) return false;
  }
  if (e.subTypes) {
    const s = norm(p.subType);
    if (!s || !e.subTypes.some((k) => s === k || s.includes(k))) return false;
  }
  return true;
}

/** The entries of one rule that apply to a project (in table order). */
export function matchingEntries(rule: BeneRuleId, p: Pick<ProjectValues, 'projectType' | 'subType' | 'status'>): ProjectTypeEntry[] {
  return PROJECT_TYPE_TABLE.filter((e) => e.rule === rule && entryMatches(e, p));
}

/** Household indicators a project is expected to have secured under one rule (deduplicated, table order). */
export function expectedHouseholdIndicators(
  rule: BeneRuleId,
  p: Pick<ProjectValues, 'projectType' | 'subType' | 'status'>,
): HouseholdIndicator[] {
  const out: HouseholdIndicator[] = [];
  for (const e of matchingEntries(rule, p)) {
    if (e.target.kind !== 'household') continue;
    for (const f of e.target.fields) if (!out.includes(f)) out.push(f);
  }
  return out;
}

/** The Chinese label of an indicator or facility (the canonical header). */
export function targetFieldLabel(field: HouseholdIndicator | VillageFacility): string {
  return field === 'hardRoad' || field === 'powerGrid' ? fieldLabel('villages', field) : fieldLabel('households', field);
}

function quoteList(xs: readonly string[]): string {
  return xs.map((x) => `“${x}”`).join('或');
}

function renderCriteria(e: ProjectTypeEntry): string {
  const parts: string[] = [];
  if (e.types) parts.push(`项目类别为${quoteList(e.types)}`);
  if (e.subTypes) parts.push(`项目子类为（或含）${quoteList(e.subTypes)}`);
  return parts.join('且');
}

const DONE_CLAUSE = `，且项目状态为${quoteList(DONE_STATUSES)}`;

function renderCondition(e: ProjectTypeEntry): string {
  return renderCriteria(e) + (e.onlyWhenDone ? DONE_CLAUSE : '');
}

function renderTarget(t: ProjectTarget): string {
  switch (t.kind) {
    case 'household': {
      const labels = t.fields.map((f) => `“${targetFieldLabel(f)}”`);
      return labels.length === 1
        ? `受益户的${labels[0]}应为“是”`
        : `受益户的${labels.join('、')}均应为“是”（任一为“否”即提示）`;
    }
    case 'village':
      return `项目所在村的“${targetFieldLabel(t.field)}”应为“是”`;
    case 'working':
      return '受益户应至少有一名务工成员（务工状况不为“无”或空，或务工时间大于0个月）';
  }
}

/** One Chinese line per table entry: condition → expectation. */
export function renderEntry(e: ProjectTypeEntry): string {
  return `${renderCondition(e)}：${renderTarget(e.target)}`;
}

/** The table as Chinese lines (`rule` restricts it to one rule), each prefixed with the rule id. */
export function renderProjectTypeTable(rule?: BeneRuleId): string[] {
  return PROJECT_TYPE_TABLE.filter((e) => rule === undefined || e.rule === rule).map((e) => `${e.rule} ${renderEntry(e)}`);
}

/**
 * The entries of one rule as a single Chinese sentence fragment (for a rule's one-paragraph
 * `explain`): entries with the same expectation are merged (`项目子类为“教育”或项目类别为“教育扶贫”…`).
 */
export function renderRuleMapping(rule: BeneRuleId): string {
  const groups: { target: string; onlyWhenDone: boolean; criteria: string[] }[] = [];
  for (const e of PROJECT_TYPE_TABLE) {
    if (e.rule !== rule) continue;
    const target = renderTarget(e.target);
    let g = groups.find((x) => x.target === target && x.onlyWhenDone === e.onlyWhenDone);
    if (!g) groups.push((g = { target, onlyWhenDone: e.onlyWhenDone, criteria: [] }));
    g.criteria.push(renderCriteria(e));
  }
  const done = DONE_STATUSES.join('或');
  return groups
    .map((g) => `${g.onlyWhenDone ? `${done}的项目中，` : ''}${g.criteria.join('，或')}的：${g.target}`)
    .join('；');
}
