// BENE — 受益对象与基本状况不对称 (资金和项目 2), SPEC §3 BENE-01..BENE-05. Cross rules over the
// beneficiaries (项目受益户), projects, merged households and villages. Which indicator a project
// should have changed comes from ONE table, validators/lib/project-types.ts, which is also rendered
// into the explanations below.
//
// Entity keys (SPEC §3.0): BENE-01..03 and BENE-05 carry project_no and household_no as written in
// the beneficiary row; a row that names its household by 户主证件号码 only carries that ID in
// `idNumber` (household_no empty) and the resolved household number in params.resolvedHouseholdNo.
// BENE-04 carries project_no and village.
import type { Finding, Region } from '../src/model.js';
import { defineRule, type AnyRule, type RuleEmit } from '../src/engine/rule.js';
import { defineIndex } from '../src/engine/derived.js';
import type { HouseholdRec, Indexes } from '../src/engine/indexes.js';
import type { BeneficiaryRow, HouseholdValues, MemberRow, MemberValues, ProjectRow, ProjectValues, VillageRow, BeneficiaryValues, VillageValues } from '../src/schema/rows.js';
import { normalizeText } from '../src/normalize/text.js';
import {
  expectedHouseholdIndicators,
  matchingEntries,
  renderRuleMapping,
  targetFieldLabel,
  type VillageFacility,
} from './lib/project-types.js';
import { regionOf } from '../src/core/values.js';
import { isDamagedId } from './lib/idcard.js';
import { createRowBuilder, idValue, partialDate } from '../src/engine/examples.js';
import { householdNo, idNumber, msg, param, projectNo, text, village, when, type Piece } from '../src/i18n/template.js';

// ---------------------------------------------------------------------------------------------
// Shared lookups, built once per run

/** Project rows by 项目编号; a number written twice keeps the first row read. */
const projectsByNo = defineIndex('projectsByNo', (ix) => {
  const projects = new Map<string, ProjectRow>();
  for (const p of ix.projects) {
    const no = p.v.projectNo;
    if (no && !projects.has(no)) projects.set(no, p);
  }
  return projects;
});

/** Were households given at all (a members or households table)? */
function householdsGiven(ix: Indexes): boolean {
  return ix.tables.has('members') || ix.tables.has('households');
}

interface Resolved {
  /** the household the row names, when it could be found */
  household?: HouseholdRec;
  /** households a head ID resolves to (several when one ID wrongly heads two) */
  byHead: string[];
  /** the row's 户编号 was given but no such household exists */
  noMissing: boolean;
}

function resolveHousehold(ix: Indexes, b: BeneficiaryRow): Resolved {
  const no = b.v.householdNo;
  const head = b.v.headId?.text;
  const byHead = head ? (ix.householdsByHeadId.get(head) ?? []) : [];
  if (no) {
    const h = ix.households.get(no);
    return { household: h, byHead, noMissing: !h };
  }
  const first = byHead[0];
  return { household: first !== undefined ? ix.households.get(first) : undefined, byHead, noMissing: false };
}

function pickRegion(...rs: (Region | undefined)[]): Region {
  for (const r of rs) if (r && (r.village || r.township || r.county)) return { ...r };
  return {};
}

/** Entity keys and place of a finding about one beneficiary row (SPEC §3.0: as written). */
function beneBase(b: BeneficiaryRow, h?: HouseholdRec): Omit<Finding, 'rule' | 'code' | 'params'> {
  const f: Omit<Finding, 'rule' | 'code' | 'params'> = {
    at: b.at,
    table: 'beneficiaries',
    region: pickRegion(h?.region, regionOf(b.v)),
    projectNo: b.v.projectNo,
  };
  if (b.v.householdNo) f.householdNo = b.v.householdNo;
  else if (b.v.headId?.text) f.idNumber = b.v.headId.text;
  // a row without its project number keeps findings of its own: its content stands in for the key
  if (!b.v.projectNo) f.recordKey = [b.v.householdNo, b.v.headId?.text, b.v.headName, b.v.benefitType, b.v.village].map((x) => x ?? '').join('|');
  return f;
}

/** What the clerk recognises a project by (in messages). */
interface ProjectParams {
  projectName?: string;
  projectType?: string;
  subType?: string;
  status?: string;
}

/** The household a beneficiary row resolved to. */
interface HouseholdParams {
  resolvedHouseholdNo: string;
  /** the row named its household by 户主证件号码 only */
  viaHeadId?: true;
}

function projectParams(p: ProjectRow): ProjectParams {
  const out: ProjectParams = {};
  const v = p.v;
  if (v.projectName) out.projectName = v.projectName;
  if (v.projectType) out.projectType = v.projectType;
  if (v.subType) out.subType = v.subType;
  if (v.status) out.status = v.status;
  return out;
}

function hhParams(b: BeneficiaryRow, h: HouseholdRec): HouseholdParams {
  const out: HouseholdParams = { resolvedHouseholdNo: h.householdNo };
  if (!b.v.householdNo && b.v.headId?.text) out.viaHeadId = true;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Message pieces

/** "项目P001（村道硬化，基础设施/道路）" */
const project = text<ProjectParams>('项目', (f) => {
  const no = f.projectNo ? `项目${f.projectNo}` : '项目';
  const name = f.params.projectName;
  const kind = [f.params.projectType, f.params.subType].filter((x) => typeof x === 'string' && x).join('/');
  const bits = [typeof name === 'string' ? name : '', kind].filter(Boolean).join('，');
  return bits ? `${no}（${bits}）` : no;
});

/** "受益户H001", or by its head's ID when the row gave no 户编号 */
const beneficiaryHousehold = text<Partial<HouseholdParams>>('受益户', (f) => {
  if (f.householdNo) return `受益户${f.householdNo}`;
  const resolved = f.params.resolvedHouseholdNo;
  if (f.idNumber) {
    const id = typeof f.idNumber === 'string' ? f.idNumber : '';
    return typeof resolved === 'string' ? `户主证件号码为${id}的受益户（户编号${resolved}）` : `户主证件号码为${id}的受益户`;
  }
  return '受益户';
});

/** 已完工 / 已验收 as "已{完工}" (a project without status counts as 已完工) */
const doneAs = text<ProjectParams>('项目状态', (f) => String(f.params.status ?? '已完工').replace(/^已/, ''));

/** "项目P001" where the row has a project number, else "项目" */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const projectNoRef: Piece<any> = text('项目', (f) => (f.projectNo ? `项目${f.projectNo}` : '项目'));

/** Example rows (the catalogue test runs them through the engine). */
const row = createRowBuilder();
const EX_REGION = { county: '示例县', township: '示例镇', village: '示例村' };
const EX_HEAD_ID = '430524198001010011';

/** A household H001 (户主 and spouse, indicators all 是 unless overridden) as members and households rows. */
function exampleHousehold(over: Partial<HouseholdValues> = {}, members: Partial<MemberValues>[] = [{}, {}], no = 'H001', headId = EX_HEAD_ID) {
  return [
    ...members.map((m, i) =>
      row<MemberValues>('members', {
        ...EX_REGION,
        householdNo: no,
        name: i === 0 ? '张三' : '李四',
        idNumber: idValue(i === 0 ? headId : `4305241982030400${no.slice(-2)}`),
        relation: i === 0 ? '户主' : '配偶',
        workStatus: '无',
        workMonths: 0,
        ...m,
      }),
    ),
    row<HouseholdValues>('households', {
      ...EX_REGION,
      householdNo: no,
      headId: idValue(headId),
      status: '已脱贫',
      foodClothingOk: true,
      educationOk: true,
      medicalOk: true,
      housingOk: true,
      waterOk: true,
      ...over,
    }),
  ];
}

function exampleProject(over: Partial<ProjectValues> = {}) {
  return row<ProjectValues>('projects', {
    ...EX_REGION,
    projectNo: 'P2019001',
    projectName: '农户危房改造',
    projectType: '危房改造',
    status: '已验收',
    startOn: partialDate('2019-03'),
    endOn: partialDate('2019-09'),
    ...over,
  });
}

function exampleBeneficiary(v: Partial<BeneficiaryValues> = { projectNo: 'P2019001', householdNo: 'H001' }) {
  return row<BeneficiaryValues>('beneficiaries', { ...EX_REGION, ...v });
}

function exampleVillage(over: Partial<VillageValues> = {}) {
  return row<VillageValues>('villages', { ...EX_REGION, isPoorVillage: true, hardRoad: true, powerGrid: true, ...over });
}

// ---------------------------------------------------------------------------------------------
// BENE-01..03: beneficiary household vs project type

/** Iterate the beneficiary rows whose project and household both resolve. */
function forEachBeneficiary(ix: Indexes, projects: ReadonlyMap<string, ProjectRow>, fn: (b: BeneficiaryRow, p: ProjectRow, h: HouseholdRec) => void): void {
  for (const b of ix.beneficiaries) {
    const no = b.v.projectNo;
    if (!no) continue;
    const p = projects.get(no);
    if (!p) continue;
    const { household } = resolveHousehold(ix, b);
    if (!household) continue;
    fn(b, p, household);
  }
}

type IndicatorParams = ProjectParams & HouseholdParams & { indicator: string };
const indicator = param<IndicatorParams>('indicator', '指标');

const bene01Messages = {
  indicator_no: msg<IndicatorParams>`${project}已${doneAs}，但${beneficiaryHousehold}的“${indicator}”仍为“否”，请核实是否已解决并更新，或核实受益户名单`,
};
const bene03Messages = {
  indicator_no: msg<IndicatorParams>`${beneficiaryHousehold}是${project}的受益户，但其“${indicator}”为“否”，请核实`,
};

function indicatorFindings(rule: 'BENE-01' | 'BENE-03', ix: Indexes, projects: ReadonlyMap<string, ProjectRow>, emit: RuleEmit<typeof bene01Messages>): void {
  forEachBeneficiary(ix, projects, (b, p, h) => {
    for (const field of expectedHouseholdIndicators(rule, p.v)) {
      if (h.v[field] !== false) continue; // only a recorded 否; an empty indicator is BASE-01's business
      emit({
        ...beneBase(b, h),
        field,
        value: false,
        expected: true,
        code: 'indicator_no',
        params: { ...projectParams(p), ...hhParams(b, h), indicator: targetFieldLabel(field) },
      });
    }
  });
}

const BENE_01 = defineRule({
  id: 'BENE-01',
  family: 'BENE',
  severity: 'error',
  title: '项目已完工但受益户相应保障仍为“否”',
  explain:
    '教育、医疗、住房（危房改造）、饮水类项目完工或验收后，受益户的相应保障指标应已解决。对照规则为：' +
    renderRuleMapping('BENE-01') +
    '。出现“否”说明受益户名单有误、项目未真正惠及该户，或户的指标未及时更新，请到户核实后更正。项目在建或未开工时不检查。',
  reads: ['beneficiaries'],
  messages: bene01Messages,
  uses: [projectsByNo],
  cross(ix, emit, ctx) {
    indicatorFindings('BENE-01', ix, ctx.use(projectsByNo), emit);
  },
  examples: {
    valid: [
      {
        note: '危房改造项目已验收，受益户“住房安全有保障”为“是”',
        rows: [...exampleHousehold(), exampleProject(), exampleBeneficiary()],
      },
      {
        note: '危房改造项目在建时不检查',
        rows: [...exampleHousehold({ housingOk: false }), exampleProject({ status: '在建', endOn: undefined }), exampleBeneficiary()],
      },
    ],
    invalid: [
      {
        note: '危房改造项目已验收，受益户的“住房安全有保障”仍为“否”',
        rows: [...exampleHousehold({ housingOk: false }), exampleProject(), exampleBeneficiary()],
        codes: ['indicator_no'],
      },
    ],
  },
});

/** A working member (SPEC §3.0): 务工 status other than 无/empty (其他 counts), or work_months > 0. */
export function isWorkingMember(m: MemberRow): boolean {
  const ws = m.v.workStatus !== undefined ? normalizeText(m.v.workStatus) : '';
  if (ws !== '' && ws !== '无') return true;
  // an unreadable status cell still says something other than 无/empty
  const bad = m.bad?.workStatus;
  if (bad !== undefined && normalizeText(bad) !== '' && normalizeText(bad) !== '无') return true;
  return typeof m.v.workMonths === 'number' && m.v.workMonths > 0;
}

/** Could the members' work situation be read at all (some member sheet had a work column)? */
function workColumnsSeen(h: HouseholdRec): boolean {
  return h.members.some((m) => {
    const cols = m.sheet.fields.members;
    return cols === undefined || cols.has('workStatus') || cols.has('workMonths');
  });
}

const BENE_02 = defineRule({
  id: 'BENE-02',
  family: 'BENE',
  severity: 'error',
  title: '就业类项目受益户无务工成员',
  explain:
    '就业扶贫、公益岗位项目的受益户应有人务工。对照规则为：' +
    renderRuleMapping('BENE-02') +
    '。该户没有任何成员务工（务工状况均为“无”或空，且务工时间均为0或空），请核实务工情况是否漏填，或受益户名单是否有误。家庭成员表未提供、或没有务工状况和务工时间两列时不检查。',
  reads: ['beneficiaries'],
  messages: {
    no_working_member: msg<ProjectParams & HouseholdParams & { members: number }>`${beneficiaryHousehold}是${project}的受益户，但家庭成员${param('members', '成员人数')}人均无务工记录，请核实务工情况或受益户名单`,
  },
  uses: [projectsByNo],
  cross(ix, emit, ctx) {
    // one look at a household's members however many beneficiary rows name it
    const judged = new Map<HouseholdRec, boolean>();
    const noneWorking = (h: HouseholdRec): boolean => {
      let r = judged.get(h);
      if (r === undefined) judged.set(h, (r = h.members.length > 0 && workColumnsSeen(h) && !h.members.some(isWorkingMember)));
      return r;
    };
    forEachBeneficiary(ix, ctx.use(projectsByNo), (b, p, h) => {
      if (matchingEntries('BENE-02', p.v).length === 0) return;
      if (!noneWorking(h)) return;
      emit({
        ...beneBase(b, h),
        field: 'workStatus',
        value: '无',
        expected: '至少一名成员务工',
        code: 'no_working_member',
        params: { ...projectParams(p), ...hhParams(b, h), members: h.members.length },
      });
    });
  },
  examples: {
    valid: [
      {
        note: '公益岗位项目的受益户有一名成员务工',
        rows: [...exampleHousehold({}, [{ workStatus: '省外务工', workMonths: 10 }, {}]), exampleProject({ projectName: '护林员', projectType: '公益岗位' }), exampleBeneficiary()],
      },
    ],
    invalid: [
      {
        note: '就业扶贫项目的受益户两名成员务工状况均为“无”',
        rows: [...exampleHousehold(), exampleProject({ projectName: '技能培训', projectType: '就业扶贫' }), exampleBeneficiary()],
        codes: ['no_working_member'],
      },
    ],
  },
});

const BENE_03 = defineRule({
  id: 'BENE-03',
  family: 'BENE',
  severity: 'suspect',
  title: '基础设施或产业项目受益户两不愁三保障未解决',
  explain:
    '基础设施、产业发展项目的受益户一般是吃穿和三保障已经解决的户。对照规则为：' +
    renderRuleMapping('BENE-03') +
    '。受益户仍有指标为“否”时列为疑似：请到户核实该指标是否已解决并更新，或确认该户确应享受此项目。',
  reads: ['beneficiaries'],
  messages: bene03Messages,
  uses: [projectsByNo],
  cross(ix, emit, ctx) {
    indicatorFindings('BENE-03', ix, ctx.use(projectsByNo), emit);
  },
  examples: {
    valid: [
      {
        note: '产业发展项目的受益户吃穿和三保障均为“是”',
        rows: [...exampleHousehold(), exampleProject({ projectName: '养牛', projectType: '产业发展', status: '在建', endOn: undefined }), exampleBeneficiary()],
      },
    ],
    invalid: [
      {
        note: '产业发展项目的受益户“义务教育有保障”为“否”',
        rows: [...exampleHousehold({ educationOk: false }), exampleProject({ projectName: '养牛', projectType: '产业发展' }), exampleBeneficiary()],
        codes: ['indicator_no'],
      },
    ],
  },
});

// ---------------------------------------------------------------------------------------------
// BENE-04: the project's village vs the villages table

function sameRegionPart(a: string | undefined, b: string | undefined): boolean {
  return !a || !b || normalizeText(a) === normalizeText(b);
}

/** Village rows by normalised name, and the answers already found per project place: built once per run. */
interface VillageLookup {
  byName: Map<string, VillageRow[]>;
  names: string[];
  memo: Map<string, VillageRow[]>;
}

function villageLookup(ix: Indexes): VillageLookup {
  const byName = new Map<string, VillageRow[]>();
  for (const vr of ix.villages) {
    if (!vr.v.village) continue;
    const k = normalizeText(vr.v.village);
    const list = byName.get(k);
    if (list) list.push(vr);
    else byName.set(k, [vr]);
  }
  return { byName, names: [...byName.keys()], memo: new Map() };
}

/**
 * Village rows for a project: by its village column, else a village name found in 建设地点. Looked
 * up by name, and remembered per (county, township, village or place): many projects at one place
 * cost one search, not one scan of the villages table each.
 */
function villagesOfProject(vl: VillageLookup, p: ProjectRow): VillageRow[] {
  const v = p.v;
  const key = [v.county ?? '', v.township ?? '', v.village ? 'v' : 'l', v.village ?? v.location ?? ''].join('\u0000');
  const known = vl.memo.get(key);
  if (known) return known;
  const compatible = (vr: VillageRow) => sameRegionPart(vr.v.county, v.county) && sameRegionPart(vr.v.township, v.township);
  let found: VillageRow[] = [];
  if (v.village) {
    found = (vl.byName.get(normalizeText(v.village)) ?? []).filter(compatible);
  } else if (v.location) {
    const loc = normalizeText(v.location);
    const hits = vl.names.filter((n) => loc.includes(n)).flatMap((n) => vl.byName.get(n)!.filter(compatible));
    // prefer the longest name (张家村 over 家村); several distinct villages → ambiguous, skip
    const names = [...new Set(hits.map((h) => normalizeText(h.v.village!)))].sort((a, b) => b.length - a.length);
    const best = names[0];
    if (best !== undefined && !names.slice(1).some((n) => !best.includes(n))) found = hits.filter((h) => normalizeText(h.v.village!) === best);
  }
  vl.memo.set(key, found);
  return found;
}

const BENE_04 = defineRule({
  id: 'BENE-04',
  family: 'BENE',
  severity: 'error',
  title: '村级基础设施项目已完工但村基础设施指标仍为“否”',
  explain:
    '基础设施项目完工或验收后，项目所在村的相应设施指标应为“是”。对照规则为：' +
    renderRuleMapping('BENE-04') +
    '。项目所在村取项目库的“行政村”列，没有该列时从建设地点中识别村名，并与贫困村表按县、乡镇、村名对应。贫困村表仍为“否”时，请核实项目是否确已完工、建设地点是否正确，或更新贫困村表。未提供贫困村表时不检查。',
  reads: ['projects'],
  messages: {
    facility_no: msg<ProjectParams & { facility: string; villageAt: string }>`${project}已${doneAs}，但贫困村表中${village}的“${param('facility', '设施')}”仍为“否”，请核实项目完工情况或更新村基础设施信息`,
  },
  cross(ix, emit) {
    if (!ix.tables.has('villages')) return;
    const vl = villageLookup(ix);
    for (const p of ix.projects) {
      const facilities: VillageFacility[] = [];
      for (const e of matchingEntries('BENE-04', p.v)) {
        if (e.target.kind === 'village' && !facilities.includes(e.target.field)) facilities.push(e.target.field);
      }
      if (facilities.length === 0) continue;
      const villages = villagesOfProject(vl, p);
      for (const field of facilities) {
        const no = villages.find((vr) => vr.v[field] === false);
        if (!no) continue;
        const region = { ...regionOf(p.v), ...regionOf(no.v) };
        emit({
          at: p.at,
          table: 'projects',
          region,
          projectNo: p.v.projectNo,
          village: no.v.village,
          field,
          value: false,
          expected: true,
          code: 'facility_no',
          params: {
            ...projectParams(p),
            facility: targetFieldLabel(field),
            villageAt: [no.at.file, no.at.sheet, no.at.row].filter((x) => x !== undefined).join(' / '),
          },
        });
      }
    }
  },
  examples: {
    valid: [
      {
        note: '村道硬化项目已完工，贫困村表中该村“通硬化路”为“是”',
        rows: [exampleProject({ projectName: '村道硬化', projectType: '基础设施', subType: '道路', status: '已完工' }), exampleVillage()],
      },
    ],
    invalid: [
      {
        note: '村道硬化项目已完工，贫困村表中该村“通硬化路”仍为“否”',
        rows: [exampleProject({ projectName: '村道硬化', projectType: '基础设施', subType: '道路', status: '已完工' }), exampleVillage({ hardRoad: false })],
        codes: ['facility_no'],
      },
    ],
  },
});

// ---------------------------------------------------------------------------------------------
// BENE-05: dangling keys

/** "（按户主证件号码对应的户编号为H002）" where the head's ID names other households */
const headHint = when<{ byHeadId?: string[] }>(
  (f) => Array.isArray(f.params.byHeadId) && f.params.byHeadId.length > 0,
  msg`（按户主证件号码对应的户编号为${param('byHeadId', '户主对应的户编号')}）`,
);

const BENE_05 = defineRule({
  id: 'BENE-05',
  family: 'BENE',
  severity: 'error',
  title: '受益户或项目不存在',
  explain:
    '项目受益户表中的每一行都应能对上项目库中的一个项目和建档立卡户中的一户（按户编号，或按户主证件号码）。项目编号在项目库中找不到、户编号或户主证件号码在家庭成员表和贫困户表中都找不到、户编号与户主证件号码指向不同的户，或该行没有填写项目编号或户信息的，都在此列出。未提供项目库时不核对项目是否存在，未提供家庭成员表或贫困户表时不核对户是否存在。请核对编号是否录错，或补齐漏导出的项目和户。',
  reads: ['beneficiaries'],
  messages: {
    project_no_missing: msg`受益户表中该行未填写项目编号`,
    project_missing: msg`受益户表中的项目编号${projectNo}在项目库中不存在`,
    household_key_missing: msg`受益户表中${projectNoRef}的该行既没有户编号也没有户主证件号码`,
    household_missing: msg<{ byHeadId?: string[] }>`${projectNoRef}的受益户户编号${householdNo}在建档立卡户中不存在${headHint}`,
    head_id_damaged: msg`${projectNoRef}的受益户户主证件号码${idNumber}已被表格软件损坏（以数值或科学计数法保存，末几位丢失），无法对应到户：请把该列设为文本格式后重新导出`,
    head_id_missing: msg`${projectNoRef}的受益户户主证件号码${idNumber}在建档立卡户中找不到对应的户`,
    household_mismatch: msg<{ byHeadId: string[] }>`${projectNoRef}的受益户户编号${householdNo}与所填户主证件号码不是同一户${headHint}`,
  },
  uses: [projectsByNo],
  cross(ix, emit, ctx) {
    const projects = ctx.use(projectsByNo);
    const judgeProjects = ix.tables.has('projects');
    const judgeHouseholds = householdsGiven(ix);
    for (const b of ix.beneficiaries) {
      const v = b.v;
      const baseF = beneBase(b);
      if (!v.projectNo) {
        emit({ ...baseF, field: 'projectNo', code: 'project_no_missing' });
      } else if (judgeProjects && !projects.has(v.projectNo)) {
        emit({ ...baseF, field: 'projectNo', code: 'project_missing', value: v.projectNo });
      }
      const head = v.headId?.text;
      if (!v.householdNo && !head) {
        emit({ ...baseF, field: 'householdNo', code: 'household_key_missing' });
        continue;
      }
      if (!judgeHouseholds) continue;
      const r = resolveHousehold(ix, b);
      if (v.householdNo && r.noMissing) {
        emit({
          ...baseF,
          field: 'householdNo',
          code: 'household_missing',
          value: v.householdNo,
          params: r.byHead.length ? { byHeadId: r.byHead } : {},
        });
      } else if (!v.householdNo && head && r.byHead.length === 0) {
        // a head ID damaged by a spreadsheet cannot match anyone: say why, not just "not found"
        if (v.headId !== undefined && isDamagedId(v.headId)) emit({ ...baseF, field: 'headId', code: 'head_id_damaged', value: v.headId });
        else emit({ ...baseF, field: 'headId', code: 'head_id_missing', value: v.headId });
      } else if (v.householdNo && head && r.household && r.byHead.length > 0 && !r.byHead.includes(v.householdNo)) {
        emit({
          ...beneBase(b, r.household),
          field: 'headId',
          code: 'household_mismatch',
          value: v.headId,
          params: { byHeadId: r.byHead },
        });
      }
    }
  },
  examples: {
    valid: [
      {
        note: '受益户行的项目编号和户编号都能在项目库和建档立卡户中找到',
        rows: [...exampleHousehold(), exampleProject(), exampleBeneficiary()],
      },
      {
        note: '只填户主证件号码的受益户行，按户主对应到户',
        rows: [...exampleHousehold(), exampleProject(), exampleBeneficiary({ projectNo: 'P2019001', headId: idValue(EX_HEAD_ID) })],
      },
    ],
    invalid: [
      {
        note: '受益户行没有项目编号；另一行的项目编号在项目库中不存在，也没有户编号和户主证件号码',
        rows: [...exampleHousehold(), exampleProject(), exampleBeneficiary({ householdNo: 'H001' }), exampleBeneficiary({ projectNo: 'P404' })],
        codes: ['project_no_missing', 'project_missing', 'household_key_missing'],
      },
      {
        note: '户编号不存在；户主证件号码找不到户；户编号与户主证件号码不是同一户',
        rows: [
          ...exampleHousehold(),
          ...exampleHousehold({}, [{}, {}], 'H002', '430524198506070033'),
          exampleProject(),
          exampleBeneficiary({ projectNo: 'P2019001', householdNo: 'H404' }),
          exampleBeneficiary({ projectNo: 'P2019001', headId: idValue('430524199001010044') }),
          exampleBeneficiary({ projectNo: 'P2019001', householdNo: 'H001', headId: idValue('430524198506070033') }),
        ],
        codes: ['household_missing', 'head_id_missing', 'household_mismatch'],
      },
      {
        note: '户主证件号码被表格软件存成了科学计数法',
        rows: [...exampleHousehold(), exampleProject(), exampleBeneficiary({ projectNo: 'P2019001', headId: idValue('4.30524E+17', { numericCell: true }) })],
        codes: ['head_id_damaged'],
      },
    ],
  },
});

export const beneficiaryRules: AnyRule[] = [BENE_01, BENE_02, BENE_03, BENE_04, BENE_05];

export { BENE_01, BENE_02, BENE_03, BENE_04, BENE_05 };
