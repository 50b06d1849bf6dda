// BASE — 基础信息 (SPEC §3, 扶贫对象 2): BASE-01..BASE-13 over members and the merged household
// records (src/engine/indexes.ts HouseholdRec: households table > 户主 row > other members).
import type { Finding, Loc } from '../src/model.js';
import type { MemberRow, MemberValues } from '../src/schema/rows.js';
import type { HouseholdKey, HouseholdRec } from '../src/engine/indexes.js';
import { type AnyRule } from '../src/engine/rule.js';
import { defineLegacyRule as defineRule } from '../src/engine/legacy-rule.js';
import { displayValue } from '../src/core/values.js';
import { fieldLabel } from '../src/schema/tables.js';
import { asOfYmd, personBase, placeOf } from './identity.js';
import { idGender, personAge } from './lib/idcard.js';
import { monitoringLabel, neverRegisteredPoor } from './lib/monitoring.js';
import { bySheet } from './lib/sheets.js';

/** Rules written for 贫困户 that leave 防返贫监测 households (2021 on) out. */
const MONITORING_SKIPPED_RULES = 'BASE-05（识别年度）、PAIR-01（未结对）、BASE-01（贫困户属性）';

// ---------------------------------------------------------------------------------------------
// Helpers

/** Household-level entity key and place (SPEC §3.0). */
function householdBase(h: HouseholdRec): Omit<Finding, 'rule'> {
  return { table: 'households', at: h.at, region: { ...h.region }, householdNo: h.householdNo };
}

const v = (f: Finding): string => displayValue(f.value);
const e = (f: Finding): string => displayValue(f.expected);
const label = (f: Finding): string => (f.field ? fieldLabel(f.table, f.field) : '');
const who = (f: Finding): string => (f.name ? `成员“${f.name}”` : '该成员');

/** SPEC §3.0 "in school": any 在校生状况 other than empty, 非在校生 and 学龄前儿童. */
export function inSchool(s: string | undefined): boolean {
  return s !== undefined && s !== '' && s !== '非在校生' && s !== '学龄前儿童';
}
const SECONDARY_OR_BELOW = new Set(['小学', '初中', '高中', '中职']);
const ABLE_LABOR = new Set(['普通劳动力', '技能劳动力']);

/** SPEC §3.0 working member: 务工 status other than 无/empty (其他 counts), or months > 0. */
function hasWorkStatus(s: string | undefined): boolean {
  return s !== undefined && s !== '' && s !== '无';
}

function sheetHas(row: MemberRow, key: string): boolean {
  return row.sheet.fields[row.table]?.has(key) ?? false;
}

function roundYuan(n: number): number {
  return Math.round(n * 100) / 100;
}

// ---------------------------------------------------------------------------------------------
// BASE-01

const HH_KEY_FIELDS: HouseholdKey[] = [
  'status',
  'identifiedOn',
  'povertyAttribute',
  'mainCause',
  'incomePerCapita',
  'foodClothingOk',
  'educationOk',
  'medicalOk',
  'housingOk',
  'waterOk',
];
// householdNo: a member row without it belongs to no household and would silently drop out of
// every household rule (e.g. 户编号 merged down over a household's rows, left empty below the first)
const MEMBER_KEY_FIELDS: (keyof MemberValues)[] = ['householdNo', 'relation', 'gender', 'health', 'laborSkill'];

const base01 = defineRule({
  id: 'BASE-01',
  family: 'BASE',
  severity: 'error',
  title: '关键指标缺失',
  explain:
    '贫困户的脱贫标志、识别时间、贫困户属性、主要致贫原因、人均纯收入和“两不愁三保障”及饮水安全情况，成员的与户主关系、性别、健康状况、劳动技能，是建档立卡的关键指标，不能为空。请到户核实后补填。若整份表都没有某一列，系统只提示一次（提示级），请从原系统重新导出包含该列的表。',
  reads: ['members', 'households'],
  cross(ix, emit) {
    // household indicators: empty where a source of the household had the column
    const noColumn = new Map<HouseholdKey, HouseholdRec[]>();
    for (const h of ix.households.values()) {
      // a monitored household that never was a 贫困户 has no 贫困户属性
      const neverPoor = neverRegisteredPoor(h.v);
      for (const k of HH_KEY_FIELDS) {
        if (h.v[k] !== undefined) continue;
        if (h.bad[k] !== undefined) continue; // unreadable: BASE-02
        if (neverPoor && k === 'povertyAttribute') continue;
        if (!h.columns.has(k)) {
          const list = noColumn.get(k) ?? [];
          list.push(h);
          noColumn.set(k, list);
          continue;
        }
        emit({ ...householdBase(h), rule: 'BASE-01', code: 'missing', field: k, value: '' });
      }
    }
    // member indicators: empty where the row's sheet had the column
    const memberNoColumn = new Map<string, MemberRow[]>();
    for (const m of ix.members) {
      for (const k of MEMBER_KEY_FIELDS) {
        const val = m.v[k];
        if (val !== undefined && !(Array.isArray(val) && val.length === 0) && val !== '') continue;
        if (m.bad?.[k] !== undefined) continue;
        if (!sheetHas(m, k)) {
          const list = memberNoColumn.get(k) ?? [];
          list.push(m);
          memberNoColumn.set(k, list);
          continue;
        }
        emit({ ...personBase(m), rule: 'BASE-01', code: 'missing', field: k, value: '' });
      }
    }
    // a column no source had at all: one note per field for the run, never one per household
    // one note per sheet and field (a household is placed on the sheet it is first seen on)
    for (const [k, hs] of noColumn) {
      for (const g of bySheet(hs, (h) => h.at)) {
        emit({
          rule: 'BASE-01',
          code: 'no_column',
          severity: 'info',
          table: 'households',
          at: g.at,
          recordKey: g.recordKey,
          field: k,
          value: '',
          params: { count: g.items.length, unit: '户', files: [g.at.file] },
        });
      }
    }
    for (const [k, ms] of memberNoColumn) {
      for (const g of bySheet(ms, (m) => m.at)) {
        emit({
          rule: 'BASE-01',
          code: 'no_column',
          severity: 'info',
          table: 'members',
          at: g.at,
          recordKey: g.recordKey,
          field: k,
          value: '',
          params: { count: g.items.length, unit: '人', files: [g.at.file] },
        });
      }
    }
  },
  describe(f) {
    if (f.code === 'no_column') {
      const files = (f.params?.['files'] as string[] | undefined) ?? [];
      return `表中没有“${label(f)}”列，涉及${displayValue(f.params?.['count'])}${displayValue(f.params?.['unit'])}（${files.join('、')}），请从原系统导出包含该列的表`;
    }
    if (f.table === 'members' && f.field === 'householdNo')
      return `${who(f)}的“户编号”为空，该成员无法归入任何一户（若户编号是合并单元格，请取消合并并逐行填写），请补填`;
    if (f.table === 'members') return `${who(f)}的“${label(f)}”为空，请补填`;
    return `户编号“${f.householdNo}”的“${label(f)}”为空，请补填`;
  },
});

// ---------------------------------------------------------------------------------------------
// BASE-02

const INCOME_KEYS: HouseholdKey[] = ['incomePerCapita', 'incomeNet', 'incomeWage', 'incomeBusiness', 'incomeProperty', 'incomeTransfer'];
/** handled by the ID rules, never reported here as unreadable */
const NOT_BASE02 = new Set(['idNumber', 'headId']);

const base02 = defineRule({
  id: 'BASE-02',
  family: 'BASE',
  severity: 'error',
  title: '数值异常',
  explain:
    '检查明显不合理的数值：收入为负数，人均纯收入超过10万元，家庭人口数为0或超过20人，务工时间不在0–12个月之间；填写的内容不在规定的选项中（如“致贫原因”写成了自由文字）或无法识别（如日期写错）；同一户在不同表或不同成员行上填写的户级信息互相矛盾。请到户核实后，按规定选项改正为正确的值。',
  reads: ['members', 'households'],
  row(row, emit) {
    const r = row as MemberRow;
    if (row.table === 'members') {
      const months = r.v.workMonths;
      if (typeof months === 'number' && (months < 0 || months > 12)) {
        emit({ ...personBase(r), rule: 'BASE-02', code: 'work_months', field: 'workMonths', value: months, expected: '0–12' });
      }
    }
    // unreadable or out-of-dictionary cells; household-level ones are reported per household (cross)
    const bad = row.bad as Record<string, string | undefined> | undefined;
    if (!bad) return;
    // a member sheet carrying household fields: its own cells are reported on the member row
    if (row.table === 'households' && row.sheet.tables.includes('members')) return;
    for (const [k, raw] of Object.entries(bad)) {
      if (raw === undefined || NOT_BASE02.has(k)) continue;
      if (row.table === 'households' && HH_FIELD_SET.has(k)) continue;
      if (row.table === 'members') {
        emit({ ...personBase(r), rule: 'BASE-02', code: 'bad_value', field: k, value: raw });
      } else {
        const hv = row.v as { householdNo?: string };
        emit({ rule: 'BASE-02', code: 'bad_value', table: row.table, at: row.at, householdNo: hv.householdNo ?? '', field: k, value: raw });
      }
    }
  },
  cross(ix, emit) {
    for (const h of ix.households.values()) {
      const hb = householdBase(h);
      for (const k of INCOME_KEYS) {
        const n = h.v[k];
        if (typeof n === 'number' && n < 0) emit({ ...hb, rule: 'BASE-02', code: 'negative', field: k, value: n });
      }
      const pc = h.v.incomePerCapita;
      if (typeof pc === 'number' && pc > 100_000) emit({ ...hb, rule: 'BASE-02', code: 'too_high', field: 'incomePerCapita', value: pc, expected: '不超过100000' });
      const size = h.v.householdSize;
      if (typeof size === 'number' && (size <= 0 || size > 20))
        emit({ ...hb, rule: 'BASE-02', code: 'size', field: 'householdSize', value: size, expected: '1–20' });
      for (const [k, raw] of Object.entries(h.bad)) {
        if (raw === undefined || NOT_BASE02.has(k)) continue;
        emit({ ...hb, rule: 'BASE-02', code: 'bad_value', field: k, value: raw });
      }
      for (const c of h.conflicts) {
        emit({
          ...hb,
          rule: 'BASE-02',
          code: 'conflict',
          field: c.field,
          value: h.v[c.field],
          related: c.values.map((x) => `${placeOf(x.at)}：${displayValue(x.value) || '（空）'}`),
          params: { values: c.values.map((x) => ({ value: displayValue(x.value), at: placeOf(x.at) })) },
        });
      }
    }
  },
  describe(f) {
    const sub = f.table === 'members' ? `${who(f)}的` : `户编号“${f.householdNo ?? ''}”的`;
    switch (f.code) {
      case 'negative':
        return `${sub}“${label(f)}”为负数（${v(f)}元），请核实`;
      case 'too_high':
        return `${sub}人均纯收入为${v(f)}元，超过10万元，可能多录了位数或单位填错`;
      case 'size':
        return `${sub}家庭人口数为${v(f)}，应在1–20人之间`;
      case 'work_months':
        return `${sub}务工时间为${v(f)}个月，应在0–12个月之间`;
      case 'conflict': {
        const vals = (f.params?.['values'] as { value: string; at: string }[] | undefined) ?? [];
        return `${sub}“${label(f)}”在不同位置填写不一致：${vals.map((x) => `“${x.value}”（${x.at}）`).join('，')}`;
      }
      default:
        return `${sub}“${label(f)}”填写为“${v(f)}”，不是规定的选项或无法识别，请按规定填写`;
    }
  },
});

const HH_FIELD_SET = new Set<string>([
  'householdSize', 'povertyAttribute', 'mainCause', 'identifiedOn', 'status', 'exitYear', 'plannedExitYear',
  'incomePerCapita', 'incomeNet', 'incomeWage', 'incomeBusiness', 'incomeProperty', 'incomeTransfer', 'expenseBusiness',
  'foodClothingOk', 'educationOk', 'medicalOk', 'housingOk', 'waterOk', 'electricityOk', 'tvOk', 'headName', 'headId',
]);

// ---------------------------------------------------------------------------------------------
// BASE-03, BASE-04

const base03 = defineRule({
  id: 'BASE-03',
  family: 'BASE',
  severity: 'error',
  title: '户主人数不为1',
  explain:
    '每户必须有且只有一名成员的“与户主关系”为“户主”。没有户主，或有两个以上户主，多是分户、户主去世后未变更，或录入时选错了关系。请到户核实户口簿，确定户主后改正各成员的与户主关系。',
  reads: ['members'],
  cross(ix, emit) {
    for (const h of ix.households.values()) {
      if (h.members.length === 0) continue;
      const heads = h.members.filter((m) => m.v.relation === '户主');
      if (heads.length === 1) continue;
      emit({
        ...householdBase(h),
        rule: 'BASE-03',
        code: heads.length === 0 ? 'no_head' : 'multiple_heads',
        field: 'relation',
        value: heads.length,
        expected: 1,
        related: heads.map((m) => `${placeOf(m.at)} / ${m.v.name ?? ''}`),
      });
    }
  },
  describe(f) {
    if (f.code === 'no_head') return `户编号“${f.householdNo}”没有成员的与户主关系为“户主”，应有且只有1名户主`;
    return `户编号“${f.householdNo}”有${v(f)}名户主，应有且只有1名`;
  },
});

const base04 = defineRule({
  id: 'BASE-04',
  family: 'BASE',
  severity: 'error',
  title: '家庭人口数与成员数不符',
  explain:
    '“家庭人口数”应等于本户登记的成员人数。不一致时，可能是新增、去世、外嫁、分户的成员没有同步增删，或人口数没有更新。请到户核实实际人口，同时改正成员名单和家庭人口数。',
  reads: ['households'],
  cross(ix, emit) {
    if (!ix.tables.has('members')) return; // without a member list there is nothing to count
    for (const h of ix.households.values()) {
      const size = h.v.householdSize;
      if (typeof size !== 'number') continue;
      const n = h.members.length;
      if (size !== n) emit({ ...householdBase(h), rule: 'BASE-04', code: 'size', field: 'householdSize', value: size, expected: n });
    }
  },
  describe(f) {
    return `户编号“${f.householdNo}”的家庭人口数为${v(f)}，但登记的成员有${e(f)}人`;
  },
});

// ---------------------------------------------------------------------------------------------
// BASE-05, BASE-06, BASE-07

const base05 = defineRule({
  id: 'BASE-05',
  family: 'BASE',
  severity: 'error',
  title: '脱贫标志与年度矛盾',
  explain:
    '脱贫标志与识别年度、脱贫年度应当一致：已脱贫户必须有脱贫年度；未脱贫户不应有脱贫年度（返贫户可保留原来的脱贫年度）；脱贫年度不能早于识别年度，也不能晚于核查日期；识别年度应在2013年（精准识别开始）到核查日期之间。请对照贫困户档案（识别、脱贫验收材料）核实后改正。',
  reads: ['households', 'members'],
  cross(ix, emit, ctx) {
    const asOfY = ctx.asOfDate.y;
    for (const h of ix.households.values()) {
      const hb = householdBase(h);
      const { status, exitYear } = h.v;
      const idY = h.v.identifiedOn?.y;
      if (status === '已脱贫' && exitYear === undefined && h.bad.exitYear === undefined && h.columns.has('exitYear')) {
        emit({ ...hb, rule: 'BASE-05', code: 'exit_year_missing', field: 'exitYear', value: '', params: { status } });
      }
      if (status === '未脱贫' && exitYear !== undefined) {
        emit({ ...hb, rule: 'BASE-05', code: 'exit_year_unexpected', field: 'exitYear', value: exitYear, params: { status } });
      }
      if (exitYear !== undefined && idY !== undefined && exitYear < idY) {
        emit({ ...hb, rule: 'BASE-05', code: 'exit_before_identified', field: 'exitYear', value: exitYear, params: { identified: idY } });
      }
      if (exitYear !== undefined && exitYear > asOfY) {
        emit({ ...hb, rule: 'BASE-05', code: 'exit_after_asof', field: 'exitYear', value: exitYear, params: { asOf: asOfY } });
      }
      if (idY !== undefined && (idY < 2013 || idY > asOfY) && !neverRegisteredPoor(h.v)) {
        emit({ ...hb, rule: 'BASE-05', code: 'identified_range', field: 'identifiedOn', value: h.v.identifiedOn, expected: `2013–${asOfY}` });
      }
    }
    // 防返贫监测 households (2021 on) are not 贫困户: the rules written for 贫困户 leave them out,
    // and the clerk is told once per sheet
    const bySheet = new Map<string, { at: Loc; count: number; statuses: Set<string> }>();
    for (const h of ix.households.values()) {
      const st = monitoringLabel(h.v);
      if (st === undefined || !neverRegisteredPoor(h.v)) continue;
      const at = h.src.status ?? h.at;
      const key = `${at.file}\u001f${at.sheet ?? ''}`;
      let g = bySheet.get(key);
      if (!g) bySheet.set(key, (g = { at: { file: at.file, ...(at.sheet !== undefined ? { sheet: at.sheet } : {}) }, count: 0, statuses: new Set() }));
      g.count++;
      g.statuses.add(st);
    }
    for (const [key, g] of bySheet) {
      emit({
        rule: 'BASE-05',
        code: 'monitoring_skipped',
        severity: 'info',
        table: 'households',
        at: g.at,
        recordKey: key,
        field: 'status',
        value: [...g.statuses].join('、'),
        params: { count: g.count, statuses: [...g.statuses], rules: MONITORING_SKIPPED_RULES },
      });
    }
  },
  describe(f) {
    const hh = `户编号“${f.householdNo}”`;
    switch (f.code) {
      case 'monitoring_skipped':
        return (
          `${f.at?.sheet !== undefined ? `工作表「${f.at.sheet}」` : `文件「${f.at?.file ?? ''}」`}中有 ${displayValue(f.params?.['count'])} 户为防返贫监测对象（${v(f)}），` +
          `不是建档立卡贫困户，${String(f.params?.['rules'] ?? '')} 等针对贫困户的检查对其不适用，已跳过`
        );
      case 'exit_year_missing':
        return `${hh}标为已脱贫，但没有填写脱贫年度`;
      case 'exit_year_unexpected':
        return `${hh}标为未脱贫，却填写了脱贫年度${v(f)}`;
      case 'exit_before_identified':
        return `${hh}的脱贫年度${v(f)}早于识别年度${displayValue(f.params?.['identified'])}`;
      case 'exit_after_asof':
        return `${hh}的脱贫年度${v(f)}晚于核查日期所在年度${displayValue(f.params?.['asOf'])}`;
      default:
        return `${hh}的识别时间为${v(f)}，应在${e(f)}年之间`;
    }
  },
});

const base06 = defineRule({
  id: 'BASE-06',
  family: 'BASE',
  severity: 'error',
  title: '已脱贫户人均纯收入低于贫困线',
  explain:
    '已脱贫户脱贫当年的人均纯收入必须高于当年的扶贫标准（贫困线，现价，如2016年2952元、2020年约4000元；各省可按本省标准调整）。低于标准而标为已脱贫，属于“数字脱贫”风险，或收入漏算、录错。请到户重新核算家庭收入（工资性、生产经营性、财产性、转移性收入减生产经营支出），核实是否达到脱贫标准。',
  reads: ['households', 'members'],
  cross(ix, emit, ctx) {
    for (const h of ix.households.values()) {
      const { status, exitYear, incomePerCapita } = h.v;
      if (status !== '已脱贫' || exitYear === undefined || typeof incomePerCapita !== 'number') continue;
      const line = ctx.povertyLine(exitYear);
      if (line === undefined) continue;
      if (incomePerCapita < line) {
        emit({
          ...householdBase(h),
          rule: 'BASE-06',
          code: 'below_line',
          field: 'incomePerCapita',
          value: incomePerCapita,
          expected: line,
          params: { exitYear },
        });
      }
    }
  },
  describe(f) {
    return `户编号“${f.householdNo}”已于${displayValue(f.params?.['exitYear'])}年脱贫，但人均纯收入${v(f)}元低于当年贫困线${e(f)}元`;
  },
});

const SECURED: HouseholdKey[] = ['foodClothingOk', 'educationOk', 'medicalOk', 'housingOk', 'waterOk'];

const base07 = defineRule({
  id: 'BASE-07',
  family: 'BASE',
  severity: 'error',
  title: '已脱贫户“两不愁三保障”未达标',
  explain:
    '贫困户脱贫必须做到不愁吃、不愁穿，义务教育、基本医疗、住房安全有保障，饮水安全有保障。已脱贫户有任何一项为“否”（或“是否危房”为“是”、“饮水是否困难”为“是”），要么脱贫不实，要么指标填错。请到户实地核实该项情况，确未达标的按程序处理，填错的改正。',
  reads: ['households', 'members'],
  cross(ix, emit) {
    for (const h of ix.households.values()) {
      if (h.v.status !== '已脱贫') continue;
      for (const k of SECURED) {
        if (h.v[k] === false) emit({ ...householdBase(h), rule: 'BASE-07', code: 'not_secured', field: k, value: false, expected: true });
      }
    }
  },
  describe(f) {
    return `户编号“${f.householdNo}”已脱贫，但“${label(f)}”为“否”`;
  },
});

// ---------------------------------------------------------------------------------------------
// BASE-08, BASE-09, BASE-10 (per person)

/** School level implausible for the age (SPEC BASE-08): the allowed range, or undefined when fine. */
function schoolAgeProblem(level: string, age: number): string | undefined {
  if (inSchool(level) && age < 3) return '3岁及以上';
  if (level === '学龄前儿童' || level === '学前教育') return age > 7 ? '7岁及以下' : undefined;
  switch (level) {
    case '小学':
      return age < 5 || age > 15 ? '5–15岁' : undefined;
    case '初中':
      return age < 11 || age > 18 ? '11–18岁' : undefined;
    case '高中':
    case '中职':
      return age < 14 || age > 21 ? '14–21岁' : undefined;
    case '高职高专':
    case '本科':
      return age < 17 ? '17岁及以上' : undefined;
    default:
      return undefined;
  }
}

const base08 = defineRule({
  id: 'BASE-08',
  family: 'BASE',
  severity: 'suspect',
  title: '年龄与在校情况不符',
  explain:
    '6–15岁是义务教育年龄，这个年龄的孩子在校生状况为空或“非在校生”，而本户又标为“义务教育有保障”，可能是辍学未被发现（隐性辍学），需要到户核实并落实控辍保学。在校阶段与年龄明显不符（如20岁读小学、10岁读高中）多为录入错误。请到户核实孩子的实际就读情况和年龄后改正。',
  reads: ['members'],
  cross(ix, emit, ctx) {
    const asOf = asOfYmd(ctx);
    for (const m of ix.members) {
      const age = personAge(m.v, asOf);
      if (age === undefined) continue;
      const level = m.v.schoolStatus;
      const h = m.v.householdNo ? ix.households.get(m.v.householdNo) : undefined;
      if (
        age >= 6 &&
        age <= 15 &&
        (level === undefined || level === '' || level === '非在校生') &&
        m.bad?.schoolStatus === undefined &&
        sheetHas(m, 'schoolStatus') &&
        h?.v.educationOk === true
      ) {
        emit({ ...personBase(m), rule: 'BASE-08', code: 'hidden_dropout', field: 'schoolStatus', value: level ?? '', params: { age } });
        continue;
      }
      if (level === undefined) continue;
      const range = schoolAgeProblem(level, age);
      if (range) emit({ ...personBase(m), rule: 'BASE-08', code: 'level_age', field: 'schoolStatus', value: level, expected: range, params: { age } });
    }
  },
  describe(f) {
    const age = displayValue(f.params?.['age']);
    if (f.code === 'hidden_dropout')
      return `${who(f)}${age}岁，处于义务教育年龄，在校生状况为“${v(f) || '空'}”，而本户“义务教育有保障”为“是”，疑似辍学`;
    return `${who(f)}${age}岁，在校生状况为“${v(f)}”，与年龄不符（该阶段通常为${e(f)}）`;
  },
});

const base09 = defineRule({
  id: 'BASE-09',
  family: 'BASE',
  severity: 'error',
  title: '年龄与劳动技能不符',
  explain:
    '未满16周岁的未成年人不能算劳动力，劳动技能应为“无劳动力”；正在读高中、中职及以下的学生一般不应是普通或技能劳动力；65岁及以上老人标为普通或技能劳动力，需核实是否确实还能正常劳动。劳动技能影响收入测算和帮扶措施，请到户核实后改正。',
  reads: ['members'],
  row(row, emit, ctx) {
    const r = row as MemberRow;
    const skill = r.v.laborSkill;
    if (!skill) return;
    const age = personAge(r.v, asOfYmd(ctx));
    if (age !== undefined && age < 16 && skill !== '无劳动力') {
      emit({ ...personBase(r), rule: 'BASE-09', code: 'minor', field: 'laborSkill', value: skill, expected: '无劳动力', params: { age } });
      return;
    }
    if (ABLE_LABOR.has(skill) && r.v.schoolStatus !== undefined && SECONDARY_OR_BELOW.has(r.v.schoolStatus)) {
      emit({
        ...personBase(r),
        rule: 'BASE-09',
        code: 'student',
        severity: 'suspect',
        field: 'laborSkill',
        value: skill,
        params: { age, school: r.v.schoolStatus },
      });
      return;
    }
    if (age !== undefined && age >= 65 && ABLE_LABOR.has(skill)) {
      emit({ ...personBase(r), rule: 'BASE-09', code: 'elderly', severity: 'suspect', field: 'laborSkill', value: skill, params: { age } });
    }
  },
  describe(f) {
    const age = displayValue(f.params?.['age']);
    if (f.code === 'minor') return `${who(f)}${age}岁，未满16周岁，劳动技能填写为“${v(f)}”，应为“无劳动力”`;
    if (f.code === 'student') return `${who(f)}是${displayValue(f.params?.['school'])}在校生，劳动技能却为“${v(f)}”，请核实`;
    return `${who(f)}${age}岁，劳动技能为“${v(f)}”，请核实是否确实具备正常劳动能力`;
  },
});

const base10 = defineRule({
  id: 'BASE-10',
  family: 'BASE',
  severity: 'error',
  title: '务工状况与务工时间矛盾',
  explain:
    '填写了务工状况（如县外省内务工）的成员，务工时间应大于0个月；务工状况为“无”或空的成员，务工时间应为0。两者矛盾会影响工资性收入测算和就业帮扶统计。请到户核实成员去年的实际务工地点和月数后改正。',
  reads: ['members'],
  row(row, emit) {
    const r = row as MemberRow;
    const { workStatus, workMonths } = r.v;
    if (hasWorkStatus(workStatus) && workMonths === 0) {
      emit({ ...personBase(r), rule: 'BASE-10', code: 'no_months', field: 'workMonths', value: 0, params: { workStatus } });
      return;
    }
    if (
      !hasWorkStatus(workStatus) &&
      typeof workMonths === 'number' &&
      workMonths > 0 &&
      r.bad?.workStatus === undefined &&
      sheetHas(r, 'workStatus')
    ) {
      emit({ ...personBase(r), rule: 'BASE-10', code: 'no_status', field: 'workStatus', value: workStatus ?? '', params: { workMonths } });
    }
  },
  describe(f) {
    if (f.code === 'no_months') return `${who(f)}务工状况为“${displayValue(f.params?.['workStatus'])}”，但务工时间为0个月`;
    return `${who(f)}务工状况为“${v(f) || '空'}”，但务工时间为${displayValue(f.params?.['workMonths'])}个月`;
  },
});

// ---------------------------------------------------------------------------------------------
// BASE-11

const NET_PARTS: HouseholdKey[] = ['incomeWage', 'incomeBusiness', 'incomeProperty', 'incomeTransfer', 'expenseBusiness'];

const base11 = defineRule({
  id: 'BASE-11',
  family: 'BASE',
  severity: 'error',
  title: '收入计算不平衡',
  explain:
    '家庭年纯收入应等于工资性收入＋生产经营性收入＋财产性收入＋转移性收入－生产经营性支出（允许1元误差）；人均纯收入应等于家庭年纯收入除以家庭人口数（允许1%误差）。对不上说明某项收入漏填、录错或人口数有误。请到户重新核算各项收入并改正。',
  reads: ['households', 'members'],
  cross(ix, emit) {
    for (const h of ix.households.values()) {
      const { incomeNet, incomePerCapita, householdSize } = h.v;
      if (typeof incomeNet === 'number' && NET_PARTS.every((k) => h.columns.has(k) || h.v[k] !== undefined) && NET_PARTS.some((k) => h.v[k] !== undefined)) {
        const part = (k: HouseholdKey): number => (typeof h.v[k] === 'number' ? (h.v[k] as number) : 0);
        const sum = part('incomeWage') + part('incomeBusiness') + part('incomeProperty') + part('incomeTransfer') - part('expenseBusiness');
        if (Math.abs(incomeNet - sum) > 1) {
          emit({ ...householdBase(h), rule: 'BASE-11', code: 'net', field: 'incomeNet', value: incomeNet, expected: roundYuan(sum) });
        }
      }
      if (typeof incomeNet === 'number' && typeof incomePerCapita === 'number' && typeof householdSize === 'number' && householdSize > 0) {
        const want = incomeNet / householdSize;
        // 1% of the expected value; at least 1 yuan so rounding to whole yuan is never a finding
        if (Math.abs(incomePerCapita - want) > Math.max(Math.abs(want) * 0.01, 1)) {
          emit({
            ...householdBase(h),
            rule: 'BASE-11',
            code: 'per_capita',
            field: 'incomePerCapita',
            value: incomePerCapita,
            expected: roundYuan(want),
            params: { incomeNet, householdSize },
          });
        }
      }
    }
  },
  describe(f) {
    if (f.code === 'per_capita')
      return `户编号“${f.householdNo}”人均纯收入为${v(f)}元，但家庭年纯收入${displayValue(f.params?.['incomeNet'])}元÷${displayValue(f.params?.['householdSize'])}人＝${e(f)}元`;
    return `户编号“${f.householdNo}”家庭年纯收入为${v(f)}元，但各项收入合计（减生产经营性支出）为${e(f)}元`;
  },
});

// ---------------------------------------------------------------------------------------------
// BASE-12

const FEMALE_ONLY = new Set(['之女', '之母', '之儿媳', '之婆婆', '之岳母', '之孙女', '之外孙女', '之祖母', '之外祖母', '之兄弟媳妇', '之侄女', '之曾孙女']);
const MALE_ONLY = new Set(['之子', '之父', '之女婿', '之公公', '之岳父', '之孙子', '之外孙子', '之祖父', '之外祖父', '之侄儿']);

const base12 = defineRule({
  id: 'BASE-12',
  family: 'BASE',
  severity: 'error',
  title: '与户主关系与性别矛盾',
  explain:
    '与户主关系隐含性别：如“之女”“之母”“之儿媳”只能是女性，“之子”“之父”“之女婿”只能是男性；配偶应与户主性别不同。矛盾时，要么关系选错（如把“之子”选成“之女”），要么性别填错。性别以性别栏为准，性别栏为空时按身份证号码判断。请到户对照户口簿改正。',
  reads: ['members'],
  cross(ix, emit, ctx) {
    const asOf = asOfYmd(ctx);
    const genderOf = (m: MemberRow): '男' | '女' | undefined => m.v.gender ?? idGender(m.v, asOf);
    // a household's 户主 rows, found once per household (not once per 配偶 row)
    const headsOf = new Map<string, MemberRow[]>();
    const heads = (no: string): MemberRow[] => {
      let list = headsOf.get(no);
      if (!list) headsOf.set(no, (list = ix.households.get(no)?.members.filter((x) => x.v.relation === '户主') ?? []));
      return list;
    };
    for (const m of ix.members) {
      const rel = m.v.relation;
      if (!rel) continue;
      const g = genderOf(m);
      if (!g) continue;
      if ((FEMALE_ONLY.has(rel) && g === '男') || (MALE_ONLY.has(rel) && g === '女')) {
        emit({
          ...personBase(m),
          rule: 'BASE-12',
          code: FEMALE_ONLY.has(rel) ? 'female_relation' : 'male_relation',
          field: 'relation',
          value: rel,
          params: { gender: g },
        });
        continue;
      }
      if (rel === '配偶' && m.v.householdNo) {
        const hs = heads(m.v.householdNo);
        if (hs.length !== 1) continue; // BASE-03
        const hg = genderOf(hs[0]!);
        if (hg && hg === g) {
          emit({
            ...personBase(m),
            rule: 'BASE-12',
            code: 'spouse_same_gender',
            field: 'relation',
            value: rel,
            params: { gender: g, head: hs[0]!.v.name ?? '' },
            related: [`${placeOf(hs[0]!.at)} / 户主 ${hs[0]!.v.name ?? ''}`],
          });
        }
      }
    }
  },
  describe(f) {
    const g = displayValue(f.params?.['gender']);
    if (f.code === 'spouse_same_gender') return `${who(f)}是户主“${displayValue(f.params?.['head'])}”的配偶，但两人性别都是“${g}”`;
    const want = f.code === 'female_relation' ? '女' : '男';
    return `${who(f)}与户主关系为“${v(f)}”（应为${want}性），但性别是“${g}”`;
  },
});

// ---------------------------------------------------------------------------------------------
// BASE-13

const base13 = defineRule({
  id: 'BASE-13',
  family: 'BASE',
  severity: 'suspect',
  title: '主要致贫原因与成员情况不符',
  explain:
    '主要致贫原因应与家庭成员的实际情况对得上：“因病”的户应有成员患长期慢性病或大病，“因残”的户应有残疾成员，“因学”的户应有在校学生。对不上时，可能是致贫原因填得不准，也可能是成员的健康状况、在校情况没有更新。请到户核实后改正致贫原因或成员信息。',
  reads: ['members'],
  cross(ix, emit) {
    for (const h of ix.households.values()) {
      const cause = h.v.mainCause;
      const ms = h.members;
      if (!cause || ms.length === 0) continue;
      const hb = { ...householdBase(h), rule: 'BASE-13' as const, field: 'mainCause', value: cause };
      const healthKnown = ms.every((m) => Array.isArray(m.v.health) && m.v.health.length > 0);
      if (cause === '因病' && healthKnown && ms.every((m) => m.v.health!.every((x) => x === '健康'))) {
        emit({ ...hb, code: 'illness' });
      } else if (
        cause === '因残' &&
        healthKnown &&
        !ms.some((m) => m.v.health!.includes('残疾') || m.v.idType === '残疾人证')
      ) {
        emit({ ...hb, code: 'disability' });
      } else if (
        cause === '因学' &&
        ms.some((m) => sheetHas(m, 'schoolStatus')) &&
        !ms.some((m) => m.bad?.schoolStatus !== undefined) &&
        !ms.some((m) => inSchool(m.v.schoolStatus))
      ) {
        emit({ ...hb, code: 'school' });
      }
    }
  },
  describe(f) {
    const hh = `户编号“${f.householdNo}”`;
    if (f.code === 'illness') return `${hh}主要致贫原因为“因病”，但所有成员健康状况均为“健康”`;
    if (f.code === 'disability') return `${hh}主要致贫原因为“因残”，但没有成员的健康状况为“残疾”`;
    return `${hh}主要致贫原因为“因学”，但没有在校学生`;
  },
});

export const basicInfoRules: AnyRule[] = [
  base01,
  base02,
  base03,
  base04,
  base05,
  base06,
  base07,
  base08,
  base09,
  base10,
  base11,
  base12,
  base13,
];
