// BASE — 基础信息 (SPEC §3, 扶贫对象 2): BASE-01..BASE-13 over members and the merged household
// records (src/engine/indexes.ts HouseholdRec: households table > 户主 row > other members).
import type { Loc } from '../src/model.js';
import type { HouseholdValues, MemberRow, MemberValues } from '../src/schema/rows.js';
import type { HouseholdKey, HouseholdRec } from '../src/engine/indexes.js';
import { defineRule, type AnyRule } from '../src/engine/rule.js';
import { createRowBuilder, idValue, partialDate } from '../src/engine/examples.js';
import { displayValue } from '../src/core/values.js';
import { placeText } from '../src/core/place.js';
import { expected, field, householdNo, msg, param, text, value, when } from '../src/i18n/template.js';
import { exampleIdNumber, member, personBase, type FindingBase } from './lib/person.js';
import { idGender, personAge } from './lib/idcard.js';
import { monitoringLabel, neverRegisteredPoor } from './lib/monitoring.js';
import { bySheet } from './lib/sheets.js';

/** Rules written for 贫困户 that leave 防返贫监测 households (2021 on) out. */
const MONITORING_SKIPPED_RULES = 'BASE-05（识别年度）、PAIR-01（未结对）、BASE-01（贫困户属性）';

// ---------------------------------------------------------------------------------------------
// Helpers

/** Household-level entity key and place (SPEC §3.0). */
function householdBase(h: HouseholdRec): FindingBase {
  return { table: 'households', at: h.at, region: { ...h.region }, householdNo: h.householdNo };
}

/** “户编号“H001”” in a message. */
const household = msg`户编号“${householdNo}”`;
/** The finding's value, “空” when empty. */
const valueOrEmpty = when(value, msg`${value}`, msg`空`);

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
// Examples (the catalogue test runs them through the engine; as-of 2020-04-30)

const row = createRowBuilder();


/** A complete, consistent household that exited poverty in 2018 (2 people). */
const goodHousehold: HouseholdValues = {
  county: '示例县',
  township: '示例镇',
  village: '示例村',
  householdNo: 'H001',
  householdSize: 2,
  povertyAttribute: '一般贫困户',
  mainCause: '缺技术',
  identifiedOn: partialDate('2014'),
  status: '已脱贫',
  exitYear: 2018,
  incomeWage: 8000,
  incomeBusiness: 2000,
  incomeProperty: 0,
  incomeTransfer: 1000,
  expenseBusiness: 1000,
  incomeNet: 10000,
  incomePerCapita: 5000,
  foodClothingOk: true,
  educationOk: true,
  medicalOk: true,
  housingOk: true,
  waterOk: true,
  electricityOk: true,
  tvOk: true,
};
const head: MemberValues = {
  county: '示例县',
  township: '示例镇',
  village: '示例村',
  householdNo: 'H001',
  name: '张三',
  idNumber: idValue(exampleIdNumber('19700101', '123')),
  gender: '男',
  relation: '户主',
  health: ['健康'],
  laborSkill: '普通劳动力',
  workStatus: '无',
  workMonths: 0,
  schoolStatus: '非在校生',
};
const spouse: MemberValues = { ...head, name: '李四', idNumber: idValue(exampleIdNumber('19720202', '124')), gender: '女', relation: '配偶' };

const householdRow = (v: Partial<HouseholdValues>, opts?: Parameters<typeof row>[2]) =>
  row<HouseholdValues>('households', { ...goodHousehold, ...v }, { at: { file: '贫困户.xlsx' }, ...opts });
const memberRow = (v: Partial<MemberValues>, opts?: Parameters<typeof row>[2]) => row<MemberValues>('members', { ...head, ...v }, { at: { file: '家庭成员.xlsx' }, ...opts });
/** A household and its members, consistent unless changed. */
const householdWith = (h: Partial<HouseholdValues>, members: Partial<MemberValues>[] = [{}, spouse]) => [householdRow(h), ...members.map((m) => memberRow(m))];

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

const isMemberFinding = (f: { table?: string }): boolean => f.table === 'members';

const BASE_01 = defineRule({
  id: 'BASE-01',
  family: 'BASE',
  severity: 'error',
  title: '关键指标缺失',
  explain:
    '贫困户的脱贫标志、识别时间、贫困户属性、主要致贫原因、人均纯收入和“两不愁三保障”及饮水安全情况，成员的与户主关系、性别、健康状况、劳动技能，是建档立卡的关键指标，不能为空。请到户核实后补填。若整份表都没有某一列，系统只提示一次（提示级），请从原系统重新导出包含该列的表。',
  reads: ['members', 'households'],
  messages: {
    missing: msg`${when(
      isMemberFinding,
      msg`${when(
        (f) => f.field === 'householdNo',
        msg`${member}的“户编号”为空，该成员无法归入任何一户（若户编号是合并单元格，请取消合并并逐行填写），请补填`,
        msg`${member}的“${field}”为空，请补填`,
      )}`,
      msg`${household}的“${field}”为空，请补填`,
    )}`,
    no_column: msg<{ count: number; unit: '户' | '人'; files: string[] }>`表中没有“${field}”列，涉及${param('count', '数量')}${param('unit', '单位')}（${param(
      'files',
      '文件',
      (files) => (files ?? []).join('、'),
    )}），请从原系统导出包含该列的表`,
  },
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
        emit({ ...householdBase(h), code: 'missing', field: k, value: '' });
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
        emit({ ...personBase(m), code: 'missing', field: k, value: '' });
      }
    }
    // a column no source had at all: one note per field for the run, never one per household
    // one note per sheet and field (a household is placed on the sheet it is first seen on)
    for (const [k, hs] of noColumn) {
      for (const g of bySheet(hs, (h) => h.at)) {
        emit({
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
  examples: {
    valid: [{ note: '户和成员的关键指标齐全', rows: householdWith({}) }],
    invalid: [
      {
        note: '贫困户没有填写主要致贫原因，配偶没有填写劳动技能',
        rows: householdWith({ mainCause: undefined }, [{}, { ...spouse, laborSkill: undefined }]),
        codes: ['missing'],
      },
      {
        note: '成员表没有“健康状况”列',
        rows: [
          householdRow({}),
          memberRow({ health: undefined }, { fields: Object.keys(head).filter((k) => k !== 'health') }),
          memberRow({ ...spouse, health: undefined }, { fields: Object.keys(head).filter((k) => k !== 'health') }),
        ],
        codes: ['no_column'],
      },
    ],
  },
});

// ---------------------------------------------------------------------------------------------
// BASE-02

const INCOME_KEYS: HouseholdKey[] = ['incomePerCapita', 'incomeNet', 'incomeWage', 'incomeBusiness', 'incomeProperty', 'incomeTransfer'];
/** handled by the ID rules, never reported here as unreadable */
const NOT_BASE02 = new Set(['idNumber', 'headId']);

/** “成员“张三”的” or “户编号“H001”的”: whose value it is. */
const whose = when(isMemberFinding, msg`${member}的`, msg`${household}的`);

const BASE_02 = defineRule({
  id: 'BASE-02',
  family: 'BASE',
  severity: 'error',
  title: '数值异常',
  explain:
    '检查明显不合理的数值：收入为负数，人均纯收入超过10万元，家庭人口数为0或超过20人，务工时间不在0–12个月之间；填写的内容不在规定的选项中（如“致贫原因”写成了自由文字）或无法识别（如日期写错）；同一户在不同表或不同成员行上填写的户级信息互相矛盾。请到户核实后，按规定选项改正为正确的值。',
  reads: ['members', 'households'],
  messages: {
    negative: msg`${whose}“${field}”为负数（${value}元），请核实`,
    too_high: msg`${whose}人均纯收入为${value}元，超过10万元，可能多录了位数或单位填错`,
    size: msg`${whose}家庭人口数为${value}，应在1–20人之间`,
    work_months: msg`${whose}务工时间为${value}个月，应在0–12个月之间`,
    conflict: msg<{ values: { value: string; at: string }[] }>`${whose}“${field}”在不同位置填写不一致：${param('values', '各处填写的值和位置', (vals) =>
      (vals ?? []).map((x) => `“${x.value}”（${x.at}）`).join('，'),
    )}`,
    bad_value: msg`${whose}“${field}”填写为“${value}”，不是规定的选项或无法识别，请按规定填写`,
  },
  row(r, emit) {
    if (r.table === 'members') {
      const months = r.v.workMonths;
      if (typeof months === 'number' && (months < 0 || months > 12)) {
        emit({ ...personBase(r), code: 'work_months', field: 'workMonths', value: months, expected: '0–12' });
      }
    }
    // unreadable or out-of-dictionary cells; household-level ones are reported per household (cross)
    if (!r.bad) return;
    // a member sheet carrying household fields: its own cells are reported on the member row
    if (r.table === 'households' && r.sheet.tables.includes('members')) return;
    for (const [k, raw] of Object.entries<string | undefined>(r.bad)) {
      if (raw === undefined || NOT_BASE02.has(k)) continue;
      if (r.table === 'households' && HH_FIELD_SET.has(k)) continue;
      if (r.table === 'members') {
        emit({ ...personBase(r), code: 'bad_value', field: k, value: raw });
      } else {
        emit({ code: 'bad_value', table: r.table, at: r.at, householdNo: r.v.householdNo ?? '', field: k, value: raw });
      }
    }
  },
  cross(ix, emit) {
    for (const h of ix.households.values()) {
      const hb = householdBase(h);
      for (const k of INCOME_KEYS) {
        const n = h.v[k];
        if (typeof n === 'number' && n < 0) emit({ ...hb, code: 'negative', field: k, value: n });
      }
      const pc = h.v.incomePerCapita;
      if (typeof pc === 'number' && pc > 100_000) emit({ ...hb, code: 'too_high', field: 'incomePerCapita', value: pc, expected: '不超过100000' });
      const size = h.v.householdSize;
      if (typeof size === 'number' && (size <= 0 || size > 20)) emit({ ...hb, code: 'size', field: 'householdSize', value: size, expected: '1–20' });
      for (const [k, raw] of Object.entries(h.bad)) {
        if (raw === undefined || NOT_BASE02.has(k)) continue;
        emit({ ...hb, code: 'bad_value', field: k, value: raw });
      }
      for (const c of h.conflicts) {
        emit({
          ...hb,
          code: 'conflict',
          field: c.field,
          value: h.v[c.field],
          related: c.values.map((x) => `${placeText(x)}：${displayValue(x.value) || '（空）'}`),
          params: { values: c.values.map((x) => ({ value: displayValue(x.value), at: placeText(x) })) },
        });
      }
    }
  },
  examples: {
    valid: [{ note: '收入、人口数、务工时间都在合理范围内', rows: householdWith({}) }],
    invalid: [
      {
        note: '工资性收入为负数，家庭人口数为0，配偶务工时间写成15个月',
        rows: householdWith({ incomeWage: -8000, householdSize: 0 }, [{}, { ...spouse, workMonths: 15 }]),
        codes: ['negative', 'size', 'work_months'],
      },
      {
        note: '人均纯收入写成500000元；主要致贫原因写成自由文字',
        rows: [householdRow({ incomePerCapita: 500_000 }, { bad: { mainCause: '家里穷' } })],
        codes: ['too_high', 'bad_value'],
      },
      {
        note: '户主行和贫困户表上的脱贫标志不一致',
        rows: [householdRow({}), ...memberSheetRows([{ m: {}, h: { status: '未脱贫' } }])],
        codes: ['conflict'],
      },
    ],
  },
});

/** Rows of a member sheet that also carries household columns: each line feeds both tables. */
function memberSheetRows(lines: { m: Partial<MemberValues>; h: Partial<HouseholdValues> }[]) {
  const tables: ('members' | 'households')[] = ['members', 'households'];
  return lines.flatMap(({ m, h }, i) => {
    const at = { file: '成员及户信息.xlsx', sheet: '成员', row: 3 + i };
    const v = { ...head, ...m };
    return [
      row<MemberValues>('members', v, { at, sheetTables: tables }),
      row<HouseholdValues>('households', { county: v.county, township: v.township, village: v.village, householdNo: v.householdNo, ...h }, { at, sheetTables: tables }),
    ];
  });
}

const HH_FIELD_SET = new Set<string>([
  'householdSize', 'povertyAttribute', 'mainCause', 'identifiedOn', 'status', 'exitYear', 'plannedExitYear',
  'incomePerCapita', 'incomeNet', 'incomeWage', 'incomeBusiness', 'incomeProperty', 'incomeTransfer', 'expenseBusiness',
  'foodClothingOk', 'educationOk', 'medicalOk', 'housingOk', 'waterOk', 'electricityOk', 'tvOk', 'headName', 'headId',
]);

// ---------------------------------------------------------------------------------------------
// BASE-03, BASE-04

const BASE_03 = defineRule({
  id: 'BASE-03',
  family: 'BASE',
  severity: 'error',
  title: '户主人数不为1',
  explain:
    '每户必须有且只有一名成员的“与户主关系”为“户主”。没有户主，或有两个以上户主，多是分户、户主去世后未变更，或录入时选错了关系。请到户核实户口簿，确定户主后改正各成员的与户主关系。',
  reads: ['members'],
  messages: {
    no_head: msg`${household}没有成员的与户主关系为“户主”，应有且只有1名户主`,
    multiple_heads: msg`${household}有${value}名户主，应有且只有1名`,
  },
  cross(ix, emit) {
    for (const h of ix.households.values()) {
      if (h.members.length === 0) continue;
      const heads = h.members.filter((m) => m.v.relation === '户主');
      if (heads.length === 1) continue;
      emit({
        ...householdBase(h),
        code: heads.length === 0 ? 'no_head' : 'multiple_heads',
        field: 'relation',
        value: heads.length,
        expected: 1,
        related: heads.map((m) => `${placeText(m)} / ${m.v.name ?? ''}`),
      });
    }
  },
  examples: {
    valid: [{ note: '户主和配偶各一人', rows: householdWith({}) }],
    invalid: [
      {
        note: '一户没有户主，另一户有两名户主',
        rows: [memberRow({ relation: '之子' }), memberRow({ householdNo: 'H002' }), memberRow({ ...spouse, householdNo: 'H002', relation: '户主' })],
        codes: ['no_head', 'multiple_heads'],
      },
    ],
  },
});

const BASE_04 = defineRule({
  id: 'BASE-04',
  family: 'BASE',
  severity: 'error',
  title: '家庭人口数与成员数不符',
  explain:
    '“家庭人口数”应等于本户登记的成员人数。不一致时，可能是新增、去世、外嫁、分户的成员没有同步增删，或人口数没有更新。请到户核实实际人口，同时改正成员名单和家庭人口数。',
  reads: ['households'],
  messages: {
    size: msg`${household}的家庭人口数为${value}，但登记的成员有${expected}人`,
  },
  cross(ix, emit) {
    if (!ix.tables.has('members')) return; // without a member list there is nothing to count
    for (const h of ix.households.values()) {
      const size = h.v.householdSize;
      if (typeof size !== 'number') continue;
      const n = h.members.length;
      if (size !== n) emit({ ...householdBase(h), code: 'size', field: 'householdSize', value: size, expected: n });
    }
  },
  examples: {
    valid: [{ note: '家庭人口数2，登记成员2人', rows: householdWith({}) }],
    invalid: [{ note: '家庭人口数3，登记成员只有2人', rows: householdWith({ householdSize: 3 }), codes: ['size'] }],
  },
});

// ---------------------------------------------------------------------------------------------
// BASE-05, BASE-06, BASE-07

const BASE_05 = defineRule({
  id: 'BASE-05',
  family: 'BASE',
  severity: 'error',
  title: '脱贫标志与年度矛盾',
  explain:
    '脱贫标志与识别年度、脱贫年度应当一致：已脱贫户必须有脱贫年度；未脱贫户不应有脱贫年度（返贫户可保留原来的脱贫年度）；脱贫年度不能早于识别年度，也不能晚于核查日期；识别年度应在2013年（精准识别开始）到核查日期之间。请对照贫困户档案（识别、脱贫验收材料）核实后改正。',
  reads: ['households', 'members'],
  messages: {
    monitoring_skipped: msg<{ count: number; statuses: string[]; rules: string }>`${when(
      (f) => f.at?.sheet !== undefined,
      msg`工作表「${text('工作表', (f) => f.at?.sheet ?? '')}」`,
      msg`文件「${text('文件', (f) => f.at?.file ?? '')}」`,
    )}中有 ${param('count', '户数')} 户为防返贫监测对象（${value}），不是建档立卡贫困户，${param('rules', '跳过的检查')} 等针对贫困户的检查对其不适用，已跳过`,
    exit_year_missing: msg<{ status: string }>`${household}标为已脱贫，但没有填写脱贫年度`,
    exit_year_unexpected: msg<{ status: string }>`${household}标为未脱贫，却填写了脱贫年度${value}`,
    exit_before_identified: msg<{ identified: number }>`${household}的脱贫年度${value}早于识别年度${param('identified', '识别年度')}`,
    exit_after_asof: msg<{ asOf: number }>`${household}的脱贫年度${value}晚于核查日期所在年度${param('asOf', '核查日期所在年度')}`,
    identified_range: msg`${household}的识别时间为${value}，应在${expected}年之间`,
  },
  cross(ix, emit, ctx) {
    const asOfY = ctx.asOf.y;
    for (const h of ix.households.values()) {
      const hb = householdBase(h);
      const { status, exitYear } = h.v;
      const idY = h.v.identifiedOn?.y;
      if (status === '已脱贫' && exitYear === undefined && h.bad.exitYear === undefined && h.columns.has('exitYear')) {
        emit({ ...hb, code: 'exit_year_missing', field: 'exitYear', value: '', params: { status } });
      }
      if (status === '未脱贫' && exitYear !== undefined) {
        emit({ ...hb, code: 'exit_year_unexpected', field: 'exitYear', value: exitYear, params: { status } });
      }
      if (exitYear !== undefined && idY !== undefined && exitYear < idY) {
        emit({ ...hb, code: 'exit_before_identified', field: 'exitYear', value: exitYear, params: { identified: idY } });
      }
      if (exitYear !== undefined && exitYear > asOfY) {
        emit({ ...hb, code: 'exit_after_asof', field: 'exitYear', value: exitYear, params: { asOf: asOfY } });
      }
      if (idY !== undefined && (idY < 2013 || idY > asOfY) && !neverRegisteredPoor(h.v)) {
        emit({ ...hb, code: 'identified_range', field: 'identifiedOn', value: h.v.identifiedOn, expected: `2013–${asOfY}` });
      }
    }
    // 防返贫监测 households (2021 on) are not 贫困户: the rules written for 贫困户 leave them out,
    // and the clerk is told once per sheet
    const skippedBySheet = new Map<string, { at: Loc; count: number; statuses: Set<string> }>();
    for (const h of ix.households.values()) {
      const st = monitoringLabel(h.v);
      if (st === undefined || !neverRegisteredPoor(h.v)) continue;
      const at = h.src.status ?? h.at;
      const key = `${at.file}\u001f${at.sheet ?? ''}`;
      let g = skippedBySheet.get(key);
      if (!g) skippedBySheet.set(key, (g = { at: { file: at.file, ...(at.sheet !== undefined ? { sheet: at.sheet } : {}) }, count: 0, statuses: new Set() }));
      g.count++;
      g.statuses.add(st);
    }
    for (const [key, g] of skippedBySheet) {
      emit({
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
  examples: {
    valid: [{ note: '2014年识别、2018年脱贫，已脱贫', rows: householdWith({}) }],
    invalid: [
      {
        note: '已脱贫户没有脱贫年度；未脱贫户填写了脱贫年度；脱贫年度早于识别年度',
        rows: [
          householdRow({ exitYear: undefined }),
          householdRow({ householdNo: 'H002', status: '未脱贫', exitYear: 2019 }),
          householdRow({ householdNo: 'H003', identifiedOn: partialDate('2016'), exitYear: 2015 }),
        ],
        codes: ['exit_year_missing', 'exit_year_unexpected', 'exit_before_identified'],
      },
      {
        note: '脱贫年度晚于核查日期所在年度（2020）；识别时间为2010年',
        rows: [householdRow({ exitYear: 2021 }), householdRow({ householdNo: 'H002', identifiedOn: partialDate('2010') })],
        codes: ['exit_after_asof', 'identified_range'],
      },
      {
        note: '防返贫监测的边缘易致贫户（不是贫困户）：提示一次已跳过的检查',
        rows: [householdRow({ status: '边缘易致贫户', povertyAttribute: undefined, identifiedOn: partialDate('2021'), exitYear: undefined })],
        codes: ['monitoring_skipped'],
        asOf: '2021-12-31',
      },
    ],
  },
});

const BASE_06 = defineRule({
  id: 'BASE-06',
  family: 'BASE',
  severity: 'error',
  title: '已脱贫户人均纯收入低于贫困线',
  explain:
    '已脱贫户脱贫当年的人均纯收入必须高于当年的扶贫标准（贫困线，现价，如2016年2952元、2020年约4000元；各省可按本省标准调整）。低于标准而标为已脱贫，属于“数字脱贫”风险，或收入漏算、录错。请到户重新核算家庭收入（工资性、生产经营性、财产性、转移性收入减生产经营支出），核实是否达到脱贫标准。',
  reads: ['households', 'members'],
  messages: {
    below_line: msg<{ exitYear: number }>`${household}已于${param('exitYear', '脱贫年度')}年脱贫，但人均纯收入${value}元低于当年贫困线${expected}元`,
  },
  cross(ix, emit, ctx) {
    for (const h of ix.households.values()) {
      const { status, exitYear, incomePerCapita } = h.v;
      if (status !== '已脱贫' || exitYear === undefined || typeof incomePerCapita !== 'number') continue;
      const line = ctx.povertyLine(exitYear);
      if (line === undefined) continue;
      if (incomePerCapita < line) {
        emit({
          ...householdBase(h),
          code: 'below_line',
          field: 'incomePerCapita',
          value: incomePerCapita,
          expected: line,
          params: { exitYear },
        });
      }
    }
  },
  examples: {
    valid: [{ note: '2018年脱贫，人均纯收入5000元，高于当年贫困线', rows: householdWith({}) }],
    invalid: [
      {
        note: '2018年脱贫，人均纯收入2000元，低于当年贫困线',
        rows: householdWith({ incomeWage: 1000, incomeBusiness: 2000, incomeTransfer: 2000, incomeNet: 4000, incomePerCapita: 2000 }),
        codes: ['below_line'],
      },
    ],
  },
});

const SECURED: HouseholdKey[] = ['foodClothingOk', 'educationOk', 'medicalOk', 'housingOk', 'waterOk'];

const BASE_07 = defineRule({
  id: 'BASE-07',
  family: 'BASE',
  severity: 'error',
  title: '已脱贫户“两不愁三保障”未达标',
  explain:
    '贫困户脱贫必须做到不愁吃、不愁穿，义务教育、基本医疗、住房安全有保障，饮水安全有保障。已脱贫户有任何一项为“否”（或“是否危房”为“是”、“饮水是否困难”为“是”），要么脱贫不实，要么指标填错。请到户实地核实该项情况，确未达标的按程序处理，填错的改正。',
  reads: ['households', 'members'],
  messages: {
    not_secured: msg`${household}已脱贫，但“${field}”为“否”`,
  },
  cross(ix, emit) {
    for (const h of ix.households.values()) {
      if (h.v.status !== '已脱贫') continue;
      for (const k of SECURED) {
        if (h.v[k] === false) emit({ ...householdBase(h), code: 'not_secured', field: k, value: false, expected: true });
      }
    }
  },
  examples: {
    valid: [
      { note: '已脱贫户“两不愁三保障”和饮水安全都为“是”', rows: householdWith({}) },
      { note: '未脱贫户住房安全尚未保障', rows: householdWith({ status: '未脱贫', exitYear: undefined, housingOk: false }) },
    ],
    invalid: [{ note: '已脱贫户住房安全有保障为“否”', rows: householdWith({ housingOk: false }), codes: ['not_secured'] }],
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

/** A child of the household born on `birth` (YYYYMMDD). */
const child = (name: string, birth: string, seq: string, v: Partial<MemberValues> = {}): Partial<MemberValues> => ({
  ...head,
  name,
  idNumber: idValue(exampleIdNumber(birth, seq)),
  relation: '之子',
  laborSkill: '无劳动力',
  ...v,
});

const BASE_08 = defineRule({
  id: 'BASE-08',
  family: 'BASE',
  severity: 'suspect',
  title: '年龄与在校情况不符',
  explain:
    '6–15岁是义务教育年龄，这个年龄的孩子在校生状况为空或“非在校生”，而本户又标为“义务教育有保障”，可能是辍学未被发现（隐性辍学），需要到户核实并落实控辍保学。在校阶段与年龄明显不符（如20岁读小学、10岁读高中）多为录入错误。请到户核实孩子的实际就读情况和年龄后改正。',
  reads: ['members'],
  messages: {
    hidden_dropout: msg<{ age: number }>`${member}${param('age', '年龄')}岁，处于义务教育年龄，在校生状况为“${valueOrEmpty}”，而本户“义务教育有保障”为“是”，疑似辍学`,
    level_age: msg<{ age: number }>`${member}${param('age', '年龄')}岁，在校生状况为“${value}”，与年龄不符（该阶段通常为${expected}）`,
  },
  cross(ix, emit, ctx) {
    for (const m of ix.members) {
      const age = personAge(m.v, ctx.asOf);
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
        emit({ ...personBase(m), code: 'hidden_dropout', field: 'schoolStatus', value: level ?? '', params: { age } });
        continue;
      }
      if (level === undefined) continue;
      const range = schoolAgeProblem(level, age);
      if (range) emit({ ...personBase(m), code: 'level_age', field: 'schoolStatus', value: level, expected: range, params: { age } });
    }
  },
  examples: {
    valid: [
      {
        note: '10岁的孩子在读小学',
        rows: householdWith({ householdSize: 3 }, [{}, spouse, child('张小明', '20100101', '135', { schoolStatus: '小学' })]),
      },
    ],
    invalid: [
      {
        note: '10岁的孩子是非在校生，本户义务教育有保障（疑似辍学）；20岁的成员在读小学',
        rows: householdWith({ householdSize: 4 }, [
          {},
          spouse,
          child('张小明', '20100101', '135', { schoolStatus: '非在校生' }),
          child('张大明', '20000101', '137', { schoolStatus: '小学' }),
        ]),
        codes: ['hidden_dropout', 'level_age'],
      },
    ],
  },
});

const BASE_09 = defineRule({
  id: 'BASE-09',
  family: 'BASE',
  severity: 'error',
  title: '年龄与劳动技能不符',
  explain:
    '未满16周岁的未成年人不能算劳动力，劳动技能应为“无劳动力”；正在读高中、中职及以下的学生一般不应是普通或技能劳动力；65岁及以上老人标为普通或技能劳动力，需核实是否确实还能正常劳动。劳动技能影响收入测算和帮扶措施，请到户核实后改正。',
  reads: ['members'],
  messages: {
    minor: msg<{ age: number }>`${member}${param('age', '年龄')}岁，未满16周岁，劳动技能填写为“${value}”，应为“无劳动力”`,
    student: msg<{ age: number | undefined; school: string }>`${member}是${param('school', '在校阶段')}在校生，劳动技能却为“${value}”，请核实`,
    elderly: msg<{ age: number }>`${member}${param('age', '年龄')}岁，劳动技能为“${value}”，请核实是否确实具备正常劳动能力`,
  },
  row(r, emit, ctx) {
    const skill = r.v.laborSkill;
    if (!skill) return;
    const age = personAge(r.v, ctx.asOf);
    if (age !== undefined && age < 16 && skill !== '无劳动力') {
      emit({ ...personBase(r), code: 'minor', field: 'laborSkill', value: skill, expected: '无劳动力', params: { age } });
      return;
    }
    if (ABLE_LABOR.has(skill) && r.v.schoolStatus !== undefined && SECONDARY_OR_BELOW.has(r.v.schoolStatus)) {
      emit({
        ...personBase(r),
        code: 'student',
        severity: 'suspect',
        field: 'laborSkill',
        value: skill,
        params: { age, school: r.v.schoolStatus },
      });
      return;
    }
    if (age !== undefined && age >= 65 && ABLE_LABOR.has(skill)) {
      emit({ ...personBase(r), code: 'elderly', severity: 'suspect', field: 'laborSkill', value: skill, params: { age } });
    }
  },
  examples: {
    valid: [{ note: '50岁的普通劳动力；10岁的孩子无劳动力', rows: [memberRow({}), memberRow(child('张小明', '20100101', '135', { schoolStatus: '小学' }))] }],
    invalid: [
      {
        note: '12岁的孩子标为普通劳动力；18岁的高中生标为普通劳动力；70岁老人标为技能劳动力',
        rows: [
          memberRow(child('张小明', '20080101', '135', { laborSkill: '普通劳动力', schoolStatus: '初中' })),
          memberRow(child('张大明', '20020101', '137', { laborSkill: '普通劳动力', schoolStatus: '高中' })),
          memberRow({ name: '张老汉', idNumber: idValue(exampleIdNumber('19500101', '139')), relation: '之父', laborSkill: '技能劳动力' }),
        ],
        codes: ['minor', 'student', 'elderly'],
      },
    ],
  },
});

const BASE_10 = defineRule({
  id: 'BASE-10',
  family: 'BASE',
  severity: 'error',
  title: '务工状况与务工时间矛盾',
  explain:
    '填写了务工状况（如县外省内务工）的成员，务工时间应大于0个月；务工状况为“无”或空的成员，务工时间应为0。两者矛盾会影响工资性收入测算和就业帮扶统计。请到户核实成员去年的实际务工地点和月数后改正。',
  reads: ['members'],
  messages: {
    no_months: msg<{ workStatus: string | undefined }>`${member}务工状况为“${param('workStatus', '务工状况')}”，但务工时间为0个月`,
    no_status: msg<{ workMonths: number }>`${member}务工状况为“${valueOrEmpty}”，但务工时间为${param('workMonths', '务工时间')}个月`,
  },
  row(r, emit) {
    const { workStatus, workMonths } = r.v;
    if (hasWorkStatus(workStatus) && workMonths === 0) {
      emit({ ...personBase(r), code: 'no_months', field: 'workMonths', value: 0, params: { workStatus } });
      return;
    }
    if (!hasWorkStatus(workStatus) && typeof workMonths === 'number' && workMonths > 0 && r.bad?.workStatus === undefined && sheetHas(r, 'workStatus')) {
      emit({ ...personBase(r), code: 'no_status', field: 'workStatus', value: workStatus ?? '', params: { workMonths } });
    }
  },
  examples: {
    valid: [{ note: '县外省内务工10个月；不务工、务工时间为0', rows: [memberRow({ workStatus: '县外省内务工', workMonths: 10 }), memberRow(spouse)] }],
    invalid: [
      {
        note: '务工状况为省外务工但务工时间为0；务工状况为“无”但务工时间为6个月',
        rows: [memberRow({ workStatus: '省外务工', workMonths: 0 }), memberRow({ ...spouse, workStatus: '无', workMonths: 6 })],
        codes: ['no_months', 'no_status'],
      },
    ],
  },
});

// ---------------------------------------------------------------------------------------------
// BASE-11

const NET_PARTS: HouseholdKey[] = ['incomeWage', 'incomeBusiness', 'incomeProperty', 'incomeTransfer', 'expenseBusiness'];

const BASE_11 = defineRule({
  id: 'BASE-11',
  family: 'BASE',
  severity: 'error',
  title: '收入计算不平衡',
  explain:
    '家庭年纯收入应等于工资性收入＋生产经营性收入＋财产性收入＋转移性收入－生产经营性支出（允许1元误差）；人均纯收入应等于家庭年纯收入除以家庭人口数（允许1%误差）。对不上说明某项收入漏填、录错或人口数有误。请到户重新核算各项收入并改正。',
  reads: ['households', 'members'],
  messages: {
    net: msg`${household}家庭年纯收入为${value}元，但各项收入合计（减生产经营性支出）为${expected}元`,
    per_capita: msg<{ incomeNet: number; householdSize: number }>`${household}人均纯收入为${value}元，但家庭年纯收入${param('incomeNet', '家庭年纯收入')}元÷${param(
      'householdSize',
      '家庭人口数',
    )}人＝${expected}元`,
  },
  cross(ix, emit) {
    for (const h of ix.households.values()) {
      const { incomeNet, incomePerCapita, householdSize } = h.v;
      if (typeof incomeNet === 'number' && NET_PARTS.every((k) => h.columns.has(k) || h.v[k] !== undefined) && NET_PARTS.some((k) => h.v[k] !== undefined)) {
        const part = (k: HouseholdKey): number => (typeof h.v[k] === 'number' ? (h.v[k] as number) : 0);
        const sum = part('incomeWage') + part('incomeBusiness') + part('incomeProperty') + part('incomeTransfer') - part('expenseBusiness');
        if (Math.abs(incomeNet - sum) > 1) {
          emit({ ...householdBase(h), code: 'net', field: 'incomeNet', value: incomeNet, expected: roundYuan(sum) });
        }
      }
      if (typeof incomeNet === 'number' && typeof incomePerCapita === 'number' && typeof householdSize === 'number' && householdSize > 0) {
        const want = incomeNet / householdSize;
        // 1% of the expected value; at least 1 yuan so rounding to whole yuan is never a finding
        if (Math.abs(incomePerCapita - want) > Math.max(Math.abs(want) * 0.01, 1)) {
          emit({
            ...householdBase(h),
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
  examples: {
    valid: [{ note: '8000＋2000＋0＋1000－1000＝10000元，÷2人＝5000元', rows: householdWith({}) }],
    invalid: [
      {
        note: '家庭年纯收入写成12000元（各项合计10000元），人均纯收入仍为5000元（12000÷2＝6000）',
        rows: householdWith({ incomeNet: 12000 }),
        codes: ['net', 'per_capita'],
      },
    ],
  },
});

// ---------------------------------------------------------------------------------------------
// BASE-12

const FEMALE_ONLY = new Set(['之女', '之母', '之儿媳', '之婆婆', '之岳母', '之孙女', '之外孙女', '之祖母', '之外祖母', '之兄弟媳妇', '之侄女', '之曾孙女']);
const MALE_ONLY = new Set(['之子', '之父', '之女婿', '之公公', '之岳父', '之孙子', '之外孙子', '之祖父', '之外祖父', '之侄儿']);

const BASE_12 = defineRule({
  id: 'BASE-12',
  family: 'BASE',
  severity: 'error',
  title: '与户主关系与性别矛盾',
  explain:
    '与户主关系隐含性别：如“之女”“之母”“之儿媳”只能是女性，“之子”“之父”“之女婿”只能是男性；配偶应与户主性别不同。矛盾时，要么关系选错（如把“之子”选成“之女”），要么性别填错。性别以性别栏为准，性别栏为空时按身份证号码判断。请到户对照户口簿改正。',
  reads: ['members'],
  messages: {
    female_relation: msg<{ gender: '男' | '女' }>`${member}与户主关系为“${value}”（应为女性），但性别是“${param('gender', '性别')}”`,
    male_relation: msg<{ gender: '男' | '女' }>`${member}与户主关系为“${value}”（应为男性），但性别是“${param('gender', '性别')}”`,
    spouse_same_gender: msg<{ gender: '男' | '女'; head: string }>`${member}是户主“${param('head', '户主姓名')}”的配偶，但两人性别都是“${param('gender', '性别')}”`,
  },
  cross(ix, emit, ctx) {
    const genderOf = (m: MemberRow): '男' | '女' | undefined => m.v.gender ?? idGender(m.v, ctx.asOf);
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
            code: 'spouse_same_gender',
            field: 'relation',
            value: rel,
            params: { gender: g, head: hs[0]!.v.name ?? '' },
            related: [`${placeText(hs[0]!)} / 户主 ${hs[0]!.v.name ?? ''}`],
          });
        }
      }
    }
  },
  examples: {
    valid: [{ note: '男户主、女配偶', rows: householdWith({}) }],
    invalid: [
      {
        note: '“之女”性别为男；“之子”性别为女；配偶与户主都是男性',
        rows: householdWith({ householdSize: 4 }, [
          {},
          { ...spouse, gender: '男' },
          child('张小明', '20100101', '135', { relation: '之女', gender: '男' }),
          child('张小红', '20120101', '146', { relation: '之子', gender: '女' }),
        ]),
        codes: ['female_relation', 'male_relation', 'spouse_same_gender'],
      },
    ],
  },
});

// ---------------------------------------------------------------------------------------------
// BASE-13

/** Every member's 健康状况 is written. */
const healthKnown = (ms: readonly MemberRow[]): boolean => ms.every((m) => Array.isArray(m.v.health) && m.v.health.length > 0);

const BASE_13 = defineRule({
  id: 'BASE-13',
  family: 'BASE',
  severity: 'suspect',
  title: '主要致贫原因与成员情况不符',
  explain:
    '主要致贫原因应与家庭成员的实际情况对得上：“因病”的户应有成员患长期慢性病或大病，“因残”的户应有残疾成员，“因学”的户应有在校学生。对不上时，可能是致贫原因填得不准，也可能是成员的健康状况、在校情况没有更新。请到户核实后改正致贫原因或成员信息。',
  reads: ['members'],
  messages: {
    illness: msg`${household}主要致贫原因为“因病”，但所有成员健康状况均为“健康”`,
    disability: msg`${household}主要致贫原因为“因残”，但没有成员的健康状况为“残疾”`,
    school: msg`${household}主要致贫原因为“因学”，但没有在校学生`,
  },
  cross(ix, emit) {
    for (const h of ix.households.values()) {
      const cause = h.v.mainCause;
      const ms = h.members;
      if (!cause || ms.length === 0) continue;
      // the finding's fields are made only for a household that has the problem (few do)
      const found = (code: 'illness' | 'disability' | 'school') => emit({ ...householdBase(h), field: 'mainCause', value: cause, code });
      if (cause === '因病') {
        if (healthKnown(ms) && ms.every((m) => m.v.health!.every((x) => x === '健康'))) found('illness');
      } else if (cause === '因残') {
        if (healthKnown(ms) && !ms.some((m) => m.v.health!.includes('残疾') || m.v.idType === '残疾人证')) found('disability');
      } else if (
        cause === '因学' &&
        ms.some((m) => sheetHas(m, 'schoolStatus')) &&
        !ms.some((m) => m.bad?.schoolStatus !== undefined) &&
        !ms.some((m) => inSchool(m.v.schoolStatus))
      ) {
        found('school');
      }
    }
  },
  examples: {
    valid: [
      { note: '因病致贫，配偶患长期慢性病', rows: householdWith({ mainCause: '因病' }, [{}, { ...spouse, health: ['长期慢性病'] }]) },
    ],
    invalid: [
      {
        note: '一户因病致贫但成员都健康；一户因残致贫但无残疾成员；一户因学致贫但没有在校学生',
        rows: [
          ...householdWith({ mainCause: '因病' }),
          ...householdWith({ householdNo: 'H002', mainCause: '因残' }, [{ householdNo: 'H002' }, { ...spouse, householdNo: 'H002' }]),
          ...householdWith({ householdNo: 'H003', mainCause: '因学' }, [{ householdNo: 'H003' }, { ...spouse, householdNo: 'H003' }]),
        ],
        codes: ['illness', 'disability', 'school'],
      },
    ],
  },
});

export const basicInfoRules: AnyRule[] = [BASE_01, BASE_02, BASE_03, BASE_04, BASE_05, BASE_06, BASE_07, BASE_08, BASE_09, BASE_10, BASE_11, BASE_12, BASE_13];
