// The logical tables of SPEC §2.1 as data: field keys, the headers that name them (canonical
// Simplified form first, then aliases), the value kind each is parsed as, and what makes a sheet
// one of these tables. Header matching compares normalised text (src/normalize/text.ts:
// spaces and line breaks removed, full-width → half-width, Traditional → Simplified, unit suffix
// split off), so aliases here are written once, in Simplified, without units.
import type { TableKind } from '../model.js';

/** Dictionaries (src/normalize/dictionaries.ts): canonical values plus aliases and codes. */
export type DictName =
  | 'gender'
  | 'idType'
  | 'relation'
  | 'education'
  | 'schoolStatus'
  | 'health'
  | 'laborSkill'
  | 'workStatus'
  | 'povertyAttribute'
  | 'mainCause'
  | 'status'
  | 'unitLevel'
  | 'rank'
  | 'role'
  | 'projectType'
  | 'projectStatus';

/**
 * How a cell is parsed (src/normalize/values.ts). Every kind yields its value or, when the cell is
 * non-empty but unreadable, records the raw text in `row.bad[key]`.
 * - text: trimmed text kept as written (names of people, units, content)
 * - key: join key (户编号, 项目编号): trimmed, half-width, numeric cells without `.0`
 * - region: region name used as a join key: trimmed, half-width, Traditional → Simplified
 * - id: IdValue (证件号码)
 * - phone: digits as text (`13800000000.0` → `13800000000`)
 * - date: PartialDate (every form of SPEC §2 and §3.0, Excel serials and date cells)
 * - year: a year (number); a date given in a year field yields its year
 * - int, number: numbers (separators allowed); amountWan: 万元, converting 元 (`1,250,000元`)
 * - yesno: boolean (是/否, Y/N, √/×, 1/0, 有/无); `inverse` on a header flips it
 * - dict: canonical dictionary value; multi: array of canonical values (comma-joined cell)
 * - doc: text naming a document, or false when the cell says 否/无 (a yes/no cell 是 → '是')
 * - url: trimmed text (validity is a rule's business)
 */
export type FieldKind =
  | 'text'
  | 'key'
  | 'region'
  | 'id'
  | 'phone'
  | 'date'
  | 'year'
  | 'int'
  | 'number'
  | 'amountWan'
  | 'yesno'
  | 'dict'
  | 'multi'
  | 'doc'
  | 'url';

export interface HeaderAlias {
  text: string;
  /** the header means the opposite of the field (是否危房 = 是 → housing_ok = 否) */
  inverse?: true;
}

export interface FieldSpec {
  key: string; // camelCase key used in code; output uses its snake_case form (specKey)
  headers: (string | HeaderAlias)[]; // canonical first
  kind: FieldKind;
  dict?: DictName;
  required?: true; // required for the table to be usable (FILE-02 when missing)
  household?: true; // (hh) field: merged per household
}

export interface TableSpec {
  kind: TableKind;
  fields: FieldSpec[];
  /**
   * Alternatives of required keys: the table is usable when every key of at least one
   * alternative has a column (pairings: household_no or head_id).
   */
  requiredAnyOf?: string[][];
}

const REGION: FieldSpec[] = [
  { key: 'province', headers: ['省', '省份'], kind: 'region' },
  { key: 'city', headers: ['市', '市州', '地市'], kind: 'region' },
  { key: 'county', headers: ['县', '县(市、区)', '区县', '县市区', '县(区)'], kind: 'region' },
  { key: 'township', headers: ['乡镇', '乡(镇)', '乡镇(街道)', '乡(镇、街道)'], kind: 'region' },
  { key: 'village', headers: ['行政村', '村', '村(社区)'], kind: 'region' },
];

const HOUSEHOLD_NO: FieldSpec = { key: 'householdNo', headers: ['户编号', '户码', '家庭编号'], kind: 'key' };

/** Household-level fields (hh): on every member row, the 户主 row only, or a households table. */
const HOUSEHOLD_FIELDS: FieldSpec[] = [
  { key: 'headName', headers: ['户主姓名'], kind: 'text' },
  { key: 'headId', headers: ['户主证件号码', '户主身份证号码', '户主身份证号'], kind: 'id' },
  { key: 'householdSize', headers: ['家庭人口数', '人口数', '家庭人数', '家庭人口'], kind: 'int', household: true },
  { key: 'povertyAttribute', headers: ['贫困户属性'], kind: 'dict', dict: 'povertyAttribute', household: true },
  { key: 'mainCause', headers: ['主要致贫原因'], kind: 'dict', dict: 'mainCause', household: true },
  { key: 'identifiedOn', headers: ['识别时间', '识别年度', '纳入时间'], kind: 'date', household: true },
  { key: 'status', headers: ['脱贫标志', '脱贫状态', '贫困户状态', '户类型'], kind: 'dict', dict: 'status', household: true },
  { key: 'exitYear', headers: ['脱贫年度', '脱贫时间'], kind: 'year', household: true },
  { key: 'plannedExitYear', headers: ['计划脱贫年度', '计划脱贫时间'], kind: 'year', household: true },
  { key: 'incomePerCapita', headers: ['人均纯收入', '家庭人均纯收入'], kind: 'number', household: true },
  { key: 'incomeNet', headers: ['家庭年纯收入', '年纯收入', '家庭纯收入'], kind: 'number', household: true },
  { key: 'incomeWage', headers: ['工资性收入'], kind: 'number', household: true },
  { key: 'incomeBusiness', headers: ['生产经营性收入'], kind: 'number', household: true },
  { key: 'incomeProperty', headers: ['财产性收入'], kind: 'number', household: true },
  { key: 'incomeTransfer', headers: ['转移性收入'], kind: 'number', household: true },
  { key: 'expenseBusiness', headers: ['生产经营性支出'], kind: 'number', household: true },
  { key: 'foodClothingOk', headers: ['不愁吃不愁穿', '是否解决吃穿', '两不愁'], kind: 'yesno', household: true },
  { key: 'educationOk', headers: ['义务教育有保障', '义务教育是否有保障'], kind: 'yesno', household: true },
  { key: 'medicalOk', headers: ['基本医疗有保障', '基本医疗是否有保障'], kind: 'yesno', household: true },
  {
    key: 'housingOk',
    headers: ['住房安全有保障', '住房是否安全', '住房安全是否有保障', { text: '是否危房', inverse: true }],
    kind: 'yesno',
    household: true,
  },
  {
    key: 'waterOk',
    headers: ['饮水安全有保障', '饮水是否安全', '饮水安全是否有保障', { text: '饮水是否困难', inverse: true }],
    kind: 'yesno',
    household: true,
  },
  { key: 'electricityOk', headers: ['是否通生活用电'], kind: 'yesno', household: true },
  { key: 'tvOk', headers: ['是否通广播电视'], kind: 'yesno', household: true },
];

export const TABLES: Record<TableKind, TableSpec> = {
  members: {
    kind: 'members',
    fields: [
      ...REGION,
      { ...HOUSEHOLD_NO, required: true },
      { key: 'name', headers: ['姓名', '成员姓名'], kind: 'text', required: true },
      { key: 'idNumber', headers: ['证件号码', '身份证号码', '身份证号', '公民身份号码'], kind: 'id', required: true },
      { key: 'idType', headers: ['证件类型'], kind: 'dict', dict: 'idType' },
      { key: 'gender', headers: ['性别'], kind: 'dict', dict: 'gender' },
      { key: 'birthDate', headers: ['出生日期'], kind: 'date' },
      { key: 'age', headers: ['年龄'], kind: 'int' },
      { key: 'relation', headers: ['与户主关系'], kind: 'dict', dict: 'relation', required: true },
      { key: 'ethnicity', headers: ['民族'], kind: 'text' },
      { key: 'education', headers: ['文化程度'], kind: 'dict', dict: 'education' },
      { key: 'schoolStatus', headers: ['在校生状况', '在校生情况'], kind: 'dict', dict: 'schoolStatus' },
      { key: 'health', headers: ['健康状况'], kind: 'multi', dict: 'health' },
      { key: 'laborSkill', headers: ['劳动技能'], kind: 'dict', dict: 'laborSkill' },
      { key: 'workStatus', headers: ['务工状况', '务工情况', '务工所在地'], kind: 'dict', dict: 'workStatus' },
      { key: 'workMonths', headers: ['务工时间'], kind: 'number' },
      { key: 'medicalInsurance', headers: ['是否参加城乡居民基本医疗保险', '是否参加基本医疗保险'], kind: 'yesno' },
      { key: 'criticalIllnessInsurance', headers: ['是否参加大病保险'], kind: 'yesno' },
      { key: 'phone', headers: ['联系电话', '手机号码'], kind: 'phone' },
    ],
  },
  households: {
    kind: 'households',
    fields: [...REGION, { ...HOUSEHOLD_NO, required: true }, ...HOUSEHOLD_FIELDS, { key: 'phone', headers: ['联系电话'], kind: 'phone' }],
  },
  helpers: {
    kind: 'helpers',
    fields: [
      ...REGION,
      { key: 'helperId', headers: ['证件号码', '身份证号码', '身份证号', '帮扶责任人证件号码', '帮扶人证件号码', '帮扶责任人身份证号码'], kind: 'id', required: true },
      { key: 'helperName', headers: ['姓名', '帮扶责任人姓名', '帮扶人姓名', '帮扶责任人'], kind: 'text', required: true },
      { key: 'gender', headers: ['性别', '帮扶责任人性别'], kind: 'dict', dict: 'gender' },
      { key: 'phone', headers: ['联系电话', '手机号码', '帮扶责任人联系电话', '帮扶人联系电话', '帮扶责任人电话'], kind: 'phone' },
      { key: 'unit', headers: ['帮扶单位', '工作单位', '所在单位', '帮扶责任人单位'], kind: 'text' },
      { key: 'unitLevel', headers: ['帮扶单位隶属关系', '单位隶属关系', '隶属关系'], kind: 'dict', dict: 'unitLevel' },
      { key: 'rank', headers: ['职务级别', '职级'], kind: 'dict', dict: 'rank' },
      { key: 'position', headers: ['职务'], kind: 'text' },
    ],
  },
  pairings: {
    kind: 'pairings',
    fields: [
      ...REGION,
      HOUSEHOLD_NO,
      { key: 'headId', headers: ['户主证件号码', '户主身份证号码', '户主身份证号'], kind: 'id' },
      { key: 'headName', headers: ['户主姓名'], kind: 'text' },
      { key: 'helperId', headers: ['帮扶责任人证件号码', '帮扶人证件号码', '帮扶责任人身份证号码'], kind: 'id', required: true },
      { key: 'helperName', headers: ['帮扶责任人姓名', '帮扶人姓名', '帮扶责任人'], kind: 'text' },
      { key: 'startOn', headers: ['帮扶开始时间', '结对开始时间', '帮扶开始日期', '结对开始日期'], kind: 'date', required: true },
      { key: 'endOn', headers: ['帮扶结束时间', '结对结束时间', '帮扶结束日期', '结对结束日期'], kind: 'date' },
    ],
    requiredAnyOf: [['householdNo'], ['headId']],
  },
  residencies: {
    kind: 'residencies',
    fields: [
      ...REGION.map((f) => (f.key === 'village' ? { ...f, required: true as const } : f)),
      { key: 'name', headers: ['姓名'], kind: 'text', required: true },
      { key: 'idNumber', headers: ['证件号码', '身份证号码', '身份证号'], kind: 'id', required: true },
      { key: 'gender', headers: ['性别'], kind: 'dict', dict: 'gender' },
      { key: 'role', headers: ['身份', '驻村身份', '驻村类别'], kind: 'dict', dict: 'role' },
      { key: 'dispatchUnit', headers: ['派出单位', '派驻单位'], kind: 'text' },
      { key: 'startOn', headers: ['驻村开始时间', '驻村开始日期'], kind: 'date', required: true },
      { key: 'endOn', headers: ['驻村结束时间', '驻村结束日期'], kind: 'date' },
      { key: 'phone', headers: ['联系电话', '手机号码'], kind: 'phone' },
    ],
  },
  villages: {
    kind: 'villages',
    fields: [
      ...REGION.map((f) => (f.key === 'village' ? { ...f, required: true as const } : f)),
      { key: 'isPoorVillage', headers: ['是否贫困村'], kind: 'yesno' },
      { key: 'exitYear', headers: ['出列年度', '出列时间'], kind: 'year' },
      { key: 'hardRoad', headers: ['通硬化路', '是否通硬化路'], kind: 'yesno' },
      { key: 'powerGrid', headers: ['通动力电', '是否通动力电'], kind: 'yesno' },
      { key: 'broadband', headers: ['通宽带', '是否通宽带'], kind: 'yesno' },
      { key: 'clinic', headers: ['有卫生室', '是否有卫生室'], kind: 'yesno' },
      { key: 'culturalRoom', headers: ['有文化室', '是否有文化室'], kind: 'yesno' },
    ],
  },
  projects: {
    kind: 'projects',
    fields: [
      ...REGION,
      { key: 'projectNo', headers: ['项目编号', '项目代码'], kind: 'key', required: true },
      { key: 'projectName', headers: ['项目名称'], kind: 'text', required: true },
      { key: 'projectType', headers: ['项目类别', '项目类型'], kind: 'dict', dict: 'projectType', required: true },
      { key: 'subType', headers: ['项目子类', '项目子类别'], kind: 'region' },
      { key: 'content', headers: ['建设内容', '建设任务'], kind: 'text' },
      { key: 'location', headers: ['建设地点'], kind: 'text' },
      { key: 'fundPlanDoc', headers: ['资金下达文号', '资金计划文号'], kind: 'doc' },
      { key: 'feasibilityDoc', headers: ['可研报告', '实施方案'], kind: 'doc' },
      { key: 'acceptanceDoc', headers: ['验收报告'], kind: 'doc' },
      { key: 'status', headers: ['项目状态'], kind: 'dict', dict: 'projectStatus' },
      { key: 'startOn', headers: ['开工时间', '开工日期'], kind: 'date' },
      { key: 'endOn', headers: ['完工时间', '竣工时间', '完工日期', '竣工日期'], kind: 'date' },
      { key: 'totalAmount', headers: ['总投资'], kind: 'amountWan' },
      { key: 'fiscalAmount', headers: ['财政专项扶贫资金', '财政资金'], kind: 'amountWan' },
      { key: 'noticeUrl', headers: ['公示公告网址', '公告公示网址'], kind: 'url' },
      { key: 'noticeAmount', headers: ['公示资金数额', '公示金额'], kind: 'amountWan' },
    ],
  },
  beneficiaries: {
    kind: 'beneficiaries',
    fields: [
      ...REGION,
      { key: 'projectNo', headers: ['项目编号', '项目代码'], kind: 'key', required: true },
      HOUSEHOLD_NO,
      { key: 'headId', headers: ['户主证件号码', '户主身份证号码', '户主身份证号'], kind: 'id' },
      { key: 'headName', headers: ['户主姓名'], kind: 'text' },
      { key: 'benefitType', headers: ['受益类型', '受益方式'], kind: 'text' },
    ],
    requiredAnyOf: [['householdNo'], ['headId']],
  },
};

/**
 * Sheet classification (SPEC §3.0), over the set of field keys each table recognised among the
 * sheet's headers. Returns the tables the sheet feeds, most specific first. Pure data-driven:
 * `present(table, key)` tells whether the sheet has a column for that table's field.
 */
export function classify(present: (table: TableKind, key: string) => boolean): TableKind[] {
  const out: TableKind[] = [];
  const hasPairingDates = present('pairings', 'startOn');
  const hasResidencyDates = present('residencies', 'startOn');
  const isProject = present('projects', 'projectName') && present('projects', 'projectType');
  if (isProject) out.push('projects');
  if (
    !isProject &&
    present('beneficiaries', 'projectNo') &&
    (present('beneficiaries', 'householdNo') || present('beneficiaries', 'headId'))
  ) {
    out.push('beneficiaries');
  }
  if (hasPairingDates) {
    out.push('pairings');
    // helper columns on pairing rows also feed helpers
    if (HELPER_ONLY_KEYS.some((k) => present('helpers', k))) out.push('helpers');
  }
  if (hasResidencyDates) out.push('residencies');
  if (
    !hasPairingDates &&
    !hasResidencyDates &&
    (present('helpers', 'unit') || present('helpers', 'rank')) &&
    present('helpers', 'helperId')
  ) {
    out.push('helpers');
  }
  if (present('villages', 'isPoorVillage') || present('villages', 'exitYear')) {
    // 出列年度 alone is village-level; 脱贫年度 is a household field and does not match here
    if (!present('members', 'relation')) out.push('villages');
  }
  // 与户主关系 alone is not enough: a hidden drop-down list sheet (性别 / 与户主关系 / 健康状况 …) has
  // it too. A member table also names the person or the household.
  const memberLike =
    (present('members', 'relation') &&
      (present('members', 'householdNo') || present('members', 'name') || present('members', 'idNumber'))) ||
    (present('members', 'name') && present('members', 'idNumber') && present('members', 'householdNo'));
  if (memberLike && !hasPairingDates && !hasResidencyDates && !out.includes('beneficiaries') && !out.includes('helpers')) {
    out.unshift('members');
  }
  const householdLike =
    present('households', 'householdNo') &&
    HOUSEHOLD_SIGNATURE_KEYS.some((k) => present('households', k));
  if (householdLike && !out.includes('projects') && !out.includes('beneficiaries') && !hasPairingDates) {
    out.push('households');
  }
  return out;
}

/** helper columns that, on a pairing sheet, make its rows also feed helpers */
export const HELPER_ONLY_KEYS = ['unit', 'unitLevel', 'rank', 'position', 'phone'];

/** fields whose presence makes a sheet (also) a households table */
export const HOUSEHOLD_SIGNATURE_KEYS = HOUSEHOLD_FIELDS.filter((f) => f.household).map((f) => f.key);

export function fieldSpec(table: TableKind, key: string): FieldSpec | undefined {
  return TABLES[table].fields.find((f) => f.key === key);
}

/** The canonical Chinese header of a field (for 字段 columns and messages). */
export function fieldLabel(table: TableKind | undefined, key: string): string {
  const tables = table ? [table] : (Object.keys(TABLES) as TableKind[]);
  for (const t of tables) {
    const f = fieldSpec(t, key);
    if (f) {
      const h = f.headers[0]!;
      return typeof h === 'string' ? h : h.text;
    }
  }
  for (const t of Object.keys(TABLES) as TableKind[]) {
    const f = fieldSpec(t, key);
    if (f) {
      const h = f.headers[0]!;
      return typeof h === 'string' ? h : h.text;
    }
  }
  return key;
}

/** camelCase field key → the SPEC's snake_case key (incomePerCapita → income_per_capita). */
export function specKey(key: string): string {
  return key.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
}
