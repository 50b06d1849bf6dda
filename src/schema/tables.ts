// The logical tables of SPEC §2.1 as data: field keys, the headers that name them (canonical
// Simplified form first, then aliases), the value kind each is parsed as, and what makes a sheet
// one of these tables. Header matching compares normalised text (src/normalize/text.ts:
// spaces and line breaks removed, full-width → half-width, Traditional → Simplified, unit suffix
// split off), so aliases here are written once, in Simplified, without units.

/**
 * The logical tables of SPEC §2.1 and their Chinese names, in listing order: the one list a new
 * table is added to (its key becomes a `TableKind`; `TABLES` below then needs its spec). A sheet is
 * classified into one or more of them by its headers (`classify`).
 */
export const TABLE_ZH = {
  members: '家庭成员',
  households: '贫困户',
  helpers: '帮扶责任人',
  pairings: '结对帮扶',
  residencies: '驻村工作队', // 驻村工作队 / 第一书记
  villages: '贫困村',
  projects: '项目库',
  beneficiaries: '项目受益户',
} as const satisfies Record<string, string>;

export type TableKind = keyof typeof TABLE_ZH;

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
  | 'projectStatus'
  | 'riskStatus'
  | 'monitoringType';

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
  /**
   * A generic header whose meaning comes from the table it sits in (a bare 开始时间 is the pairing's
   * period in a pairing sheet, the residency's in a residency sheet, the project's in a project
   * sheet; a bare 姓名 on a one-row-per-household sheet is the head's name). It never classifies a
   * sheet on its own, and binds only when no table of the sheet claims the column by a specific
   * header (src/ingest/header.ts).
   */
  generic?: true;
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
  /** the headers that tell this table apart (SPEC §3.0), named by FILE-01 when every required one is there */
  distinctive: string;
}

// Vocabulary of other systems (provincial 扶贫/防返贫 platforms, import templates, entity classes
// with Chinese column comments: tests/fixtures/real/README.md lists the sources).
const REGION: FieldSpec[] = [
  { key: 'province', headers: ['省', '省份', '省(区、市)', '省(自治区、直辖市)', '所在省'], kind: 'region' },
  { key: 'city', headers: ['市', '市州', '地市', '市(州)', '地(市、州)', '市(地、州)', '地州市', '所在市'], kind: 'region' },
  {
    key: 'county',
    headers: ['县', '县(市、区)', '区县', '县市区', '县(区)', '县区', '县(市、区、旗)', '县(市区)', '县(区、市)', '县市', '区(县)', '所在县', '县(市)'],
    kind: 'region',
  },
  {
    key: 'township',
    headers: ['乡镇', '乡(镇)', '乡镇(街道)', '乡(镇、街道)', '乡镇街道', '乡(镇、街道办)', '镇(乡)', '乡镇(办事处)', '所在乡镇', '乡镇名称', '镇', '乡'],
    kind: 'region',
  },
  {
    key: 'village',
    headers: ['行政村', '村', '村(社区)', '村居', '村(居)', '行政村(社区)', '村社区', '所在村', '村名', '村(居)委会', '村委会', '行政村名称', '贫困村名', '贫困村名称', '村名称', '村组(社区)'],
    kind: 'region',
  },
];

const HOUSEHOLD_NO: FieldSpec = {
  key: 'householdNo',
  headers: ['户编号', '户码', '家庭编号', '农户编码', '贫困户编号', '户编码', '农户编号', '家庭户编号', '户号', '脱贫户编号', '监测户编号', '家庭编码'],
  kind: 'key',
};

/** the head's ID number: links members to their household when there is no 户编号 */
// 户住证件号码: a typo of 户主证件号码 found in two public code bases' column comments
const HEAD_ID_HEADERS = ['户主证件号码', '户主身份证号码', '户主身份证号', '户主公民身份号码', '户主身份证件号码', '户主证件号', '户住证件号码'];
// (a bare 户主 is not among them: some member lists use it for a 是/否 column; 户主 above 姓名 in a
// two-row header still makes 户主姓名)
const HEAD_NAME_HEADERS = ['户主姓名', '户主名称', '户主名字'];
const PROJECT_NO_HEADERS = ['项目编号', '项目代码', '项目编码', '项目库编号'];

const HELPER_ID_HEADERS = [
  '帮扶责任人证件号码', '帮扶人证件号码', '帮扶责任人身份证号码', '帮扶人身份证号码', '帮扶责任人身份证号', '帮扶人身份证号',
  '帮扶干部身份证号码', '帮扶干部证件号码', '帮扶责任人公民身份号码',
];
const HELPER_NAME_HEADERS = ['帮扶责任人姓名', '帮扶人姓名', '帮扶责任人', '帮扶干部姓名', '帮扶人', '帮扶干部', '结对帮扶人', '结对人', '帮扶联系人', '帮扶联系人姓名'];

/** Household-level fields (hh): on every member row, the 户主 row only, or a households table. */
const HOUSEHOLD_FIELDS: FieldSpec[] = [
  { key: 'headName', headers: [...HEAD_NAME_HEADERS, { text: '姓名', generic: true }], kind: 'text' },
  { key: 'headId', headers: [...HEAD_ID_HEADERS, { text: '证件号码', generic: true }, { text: '身份证号码', generic: true }, { text: '身份证号', generic: true }, { text: '公民身份号码', generic: true }, { text: '身份证件号码', generic: true }], kind: 'id' },
  { key: 'householdSize', headers: ['家庭人口数', '人口数', '家庭人数', '家庭人口', '人数', '家庭成员数', '户人口数', '家庭总人口', '家庭总人数', '家庭人口数(人)', '户籍人口数'], kind: 'int', household: true },
  { key: 'povertyAttribute', headers: ['贫困户属性'], kind: 'dict', dict: 'povertyAttribute', household: true },
  { key: 'mainCause', headers: ['主要致贫原因', '致贫原因', '致贫原因1', '主要致贫原因1'], kind: 'dict', dict: 'mainCause', household: true },
  { key: 'identifiedOn', headers: ['识别时间', '识别年度', '纳入时间', '识别年份', '首次识别时间', '建档立卡时间', '纳入年度'], kind: 'date', household: true },
  { key: 'status', headers: ['脱贫标志', '脱贫状态', '贫困户状态', '户类型', '贫困状态', '脱贫属性'], kind: 'dict', dict: 'status', household: true },
  { key: 'exitYear', headers: ['脱贫年度', '脱贫时间', '脱贫年份', '脱贫日期'], kind: 'year', household: true },
  { key: 'plannedExitYear', headers: ['计划脱贫年度', '计划脱贫时间'], kind: 'year', household: true },
  { key: 'incomePerCapita', headers: ['人均纯收入', '家庭人均纯收入', '人均收入', '家庭人均收入', '人均纯收入(元)', '年人均纯收入', '家庭年人均纯收入'], kind: 'number', household: true },
  { key: 'incomeNet', headers: ['家庭年纯收入', '年纯收入', '家庭纯收入', '家庭年收入', '家庭纯收入总额'], kind: 'number', household: true },
  { key: 'incomeWage', headers: ['工资性收入'], kind: 'number', household: true },
  { key: 'incomeBusiness', headers: ['生产经营性收入', '家庭经营性收入', '经营性收入'], kind: 'number', household: true },
  { key: 'incomeProperty', headers: ['财产性收入'], kind: 'number', household: true },
  { key: 'incomeTransfer', headers: ['转移性收入'], kind: 'number', household: true },
  { key: 'expenseBusiness', headers: ['生产经营性支出', '生产经营费用支出', '生产经营费用总支出', '生产经营支出'], kind: 'number', household: true },
  { key: 'foodClothingOk', headers: ['不愁吃不愁穿', '是否解决吃穿', '两不愁', '是否不愁吃不愁穿', '吃穿不愁'], kind: 'yesno', household: true },
  { key: 'educationOk', headers: ['义务教育有保障', '义务教育是否有保障', '是否义务教育有保障'], kind: 'yesno', household: true },
  { key: 'medicalOk', headers: ['基本医疗有保障', '基本医疗是否有保障', '是否基本医疗有保障'], kind: 'yesno', household: true },
  {
    key: 'housingOk',
    headers: ['住房安全有保障', '住房是否安全', '住房安全是否有保障', { text: '是否危房', inverse: true }, { text: '危房户', inverse: true }, { text: '是否危房户', inverse: true }],
    kind: 'yesno',
    household: true,
  },
  {
    key: 'waterOk',
    headers: ['饮水安全有保障', '饮水是否安全', '饮水安全是否有保障', { text: '饮水是否困难', inverse: true }, '是否解决安全饮用水', '安全饮水是否有保障', '是否安全饮水'],
    kind: 'yesno',
    household: true,
  },
  { key: 'electricityOk', headers: ['是否通生活用电', '是否通电', '通生活用电'], kind: 'yesno', household: true },
  { key: 'tvOk', headers: ['是否通广播电视', '通广播电视'], kind: 'yesno', household: true },
  // 防返贫监测 (2021 on): the monitoring category, next to 户类型 in monitoring exports
  {
    key: 'monitoringType',
    headers: ['易返贫致贫户(监测对象)类型', '监测对象类别', '监测类型', '监测户类型', '监测对象类型', '易返贫致贫户类型', '监测对象类别(户)'],
    kind: 'dict',
    dict: 'monitoringType',
    household: true,
  },
  // 防返贫监测 (2021 on): whether the risk of a monitored household is eliminated
  {
    key: 'riskStatus',
    headers: ['风险是否消除', '是否风险消除', '风险消除情况', '风险消除状态', '是否消除风险', '风险状态', '风险消除'],
    kind: 'dict',
    dict: 'riskStatus',
    household: true,
  },
];

export const TABLES: Record<TableKind, TableSpec> = {
  members: {
    distinctive: '与户主关系',
    kind: 'members',
    fields: [
      ...REGION,
      HOUSEHOLD_NO,
      { key: 'headId', headers: HEAD_ID_HEADERS, kind: 'id' },
      { key: 'headName', headers: HEAD_NAME_HEADERS, kind: 'text' },
      { key: 'name', headers: ['姓名', '成员姓名', '家庭成员姓名', '人员姓名', '成员名称'], kind: 'text', required: true },
      {
        key: 'idNumber',
        headers: ['证件号码', '身份证号码', '身份证号', '公民身份号码', '身份证件号码', '成员身份证号码', '成员证件号码', '居民身份证号码', '证件号', '身份证'],
        kind: 'id',
        required: true,
      },
      { key: 'idType', headers: ['证件类型', '证件类别', '身份证件类型'], kind: 'dict', dict: 'idType' },
      { key: 'gender', headers: ['性别'], kind: 'dict', dict: 'gender' },
      { key: 'birthDate', headers: ['出生日期', '出生年月', '出生年月日'], kind: 'date' },
      { key: 'age', headers: ['年龄'], kind: 'int' },
      { key: 'relation', headers: ['与户主关系', '与户主的关系', '家庭关系', '成员关系', '与户主关系代码'], kind: 'dict', dict: 'relation', required: true },
      { key: 'ethnicity', headers: ['民族'], kind: 'text' },
      { key: 'education', headers: ['文化程度', '学历'], kind: 'dict', dict: 'education' },
      { key: 'schoolStatus', headers: ['在校生状况', '在校生情况', '在校情况', '在校状况', '在校学生', '在校学生情况'], kind: 'dict', dict: 'schoolStatus' },
      { key: 'health', headers: ['健康状况', '健康情况', '身体状况'], kind: 'multi', dict: 'health' },
      { key: 'laborSkill', headers: ['劳动技能', '劳动能力', '劳动力状况', '劳动力类型'], kind: 'dict', dict: 'laborSkill' },
      { key: 'workStatus', headers: ['务工状况', '务工情况', '务工所在地', '务工地点', '务工区域'], kind: 'dict', dict: 'workStatus' },
      { key: 'workMonths', headers: ['务工时间', '务工月数', '务工时长'], kind: 'number' },
      {
        key: 'medicalInsurance',
        headers: ['是否参加城乡居民基本医疗保险', '是否参加基本医疗保险', '参加城乡居民基本医疗保险', '是否参加新型农村合作医疗', '参加新型农村合作医疗', '是否参加新农合', '参加新农合', '是否参加城乡居民医疗保险'],
        kind: 'yesno',
      },
      { key: 'criticalIllnessInsurance', headers: ['是否参加大病保险', '参加大病保险', '是否参加大病医疗保险', '参加大病医疗', '是否参加大病医疗'], kind: 'yesno' },
      { key: 'phone', headers: ['联系电话', '手机号码', '联系方式', '手机号', '人联系电话', '本人联系电话'], kind: 'phone' },
    ],
    // members are linked to their household by 户编号, or by the head's ID number where there is none
    requiredAnyOf: [['householdNo'], ['headId']],
  },
  households: {
    distinctive: '贫困户属性、人均纯收入或脱贫标志等户信息',
    kind: 'households',
    fields: [...REGION, HOUSEHOLD_NO, ...HOUSEHOLD_FIELDS, { key: 'phone', headers: ['联系电话', '联系方式', '手机号码', '户联系电话'], kind: 'phone' }],
    // a list of households keyed by the head's ID number (income lists) is a households table too
    requiredAnyOf: [['householdNo'], ['headId']],
  },
  helpers: {
    distinctive: '帮扶单位或职务级别',
    kind: 'helpers',
    fields: [
      ...REGION,
      {
        key: 'helperId',
        headers: [
          ...HELPER_ID_HEADERS,
          { text: '证件号码', generic: true }, { text: '身份证号码', generic: true }, { text: '身份证号', generic: true }, { text: '公民身份号码', generic: true }, { text: '身份证件号码', generic: true },
        ],
        kind: 'id',
        required: true,
      },
      { key: 'helperName', headers: [...HELPER_NAME_HEADERS, { text: '姓名', generic: true }], kind: 'text', required: true },
      { key: 'gender', headers: ['帮扶责任人性别', '帮扶人性别', { text: '性别', generic: true }], kind: 'dict', dict: 'gender' },
      {
        key: 'phone',
        headers: [
          '帮扶责任人联系电话', '帮扶人联系电话', '帮扶责任人电话', '帮扶人电话', '帮扶干部联系电话', '帮扶责任人手机号码', '帮扶人手机号码', '帮扶责任人联系方式', '帮扶人联系方式',
          { text: '联系电话', generic: true }, { text: '手机号码', generic: true }, { text: '联系方式', generic: true }, { text: '手机号', generic: true },
        ],
        kind: 'phone',
      },
      {
        key: 'unit',
        headers: ['帮扶单位', '工作单位', '所在单位', '帮扶责任人单位', '帮扶人单位', '帮扶人工作单位', '帮扶责任人工作单位', '帮扶干部单位', '帮扶单位名称', '单位名称'],
        kind: 'text',
      },
      { key: 'unitLevel', headers: ['帮扶单位隶属关系', '单位隶属关系', '隶属关系', '单位级别', '帮扶单位级别'], kind: 'dict', dict: 'unitLevel' },
      { key: 'rank', headers: ['职务级别', '职级', '帮扶人职级', '帮扶责任人职务级别', '帮扶责任人职级'], kind: 'dict', dict: 'rank' },
      { key: 'position', headers: ['职务', '帮扶人职务', '帮扶责任人职务'], kind: 'text' },
    ],
  },
  pairings: {
    distinctive: '帮扶开始时间',
    kind: 'pairings',
    fields: [
      ...REGION,
      HOUSEHOLD_NO,
      { key: 'headId', headers: [...HEAD_ID_HEADERS, { text: '证件号码', generic: true }, { text: '身份证号码', generic: true }, { text: '身份证号', generic: true }, { text: '公民身份号码', generic: true }], kind: 'id' },
      { key: 'headName', headers: HEAD_NAME_HEADERS, kind: 'text' },
      // bare 姓名 / 证件号码 are the helper's on a pairing sheet that names the household by 户主姓名
      // (src/ingest/header.ts decides whose a bare one is)
      {
        key: 'helperId',
        headers: [...HELPER_ID_HEADERS, { text: '证件号码', generic: true }, { text: '身份证号码', generic: true }, { text: '身份证号', generic: true }, { text: '公民身份号码', generic: true }],
        kind: 'id',
        required: true,
      },
      { key: 'helperName', headers: [...HELPER_NAME_HEADERS, { text: '姓名', generic: true }], kind: 'text' },
      {
        key: 'startOn',
        headers: ['帮扶开始时间', '结对开始时间', '帮扶开始日期', '结对开始日期', '结对时间', '结对日期', '帮扶起始时间', '结对起始时间', { text: '开始时间', generic: true }, { text: '开始日期', generic: true }, { text: '起始时间', generic: true }, { text: '起始日期', generic: true }],
        kind: 'date',
        required: true,
      },
      {
        key: 'endOn',
        headers: ['帮扶结束时间', '结对结束时间', '帮扶结束日期', '结对结束日期', '帮扶截止时间', '结对截止时间', '解除结对时间', { text: '结束时间', generic: true }, { text: '结束日期', generic: true }, { text: '截止时间', generic: true }, { text: '截止日期', generic: true }],
        kind: 'date',
      },
    ],
    requiredAnyOf: [['householdNo'], ['headId']],
  },
  residencies: {
    distinctive: '驻村开始时间',
    kind: 'residencies',
    fields: [
      ...REGION.map((f) => (f.key === 'village' ? { ...f, headers: [...f.headers, '驻村村名', '派驻村', '驻村名称', '所驻村'], required: true as const } : f)),
      { key: 'name', headers: ['姓名', '驻村干部姓名', '第一书记姓名', '队员姓名'], kind: 'text', required: true },
      { key: 'idNumber', headers: ['证件号码', '身份证号码', '身份证号', '公民身份号码', '身份证件号码'], kind: 'id', required: true },
      { key: 'gender', headers: ['性别'], kind: 'dict', dict: 'gender' },
      { key: 'role', headers: ['身份', '驻村身份', '驻村类别', '驻村职务', '驻村干部类别'], kind: 'dict', dict: 'role' },
      // 是/否 columns some forms use instead of a role column (是否第一书记, 是否队长): the role is
      // worked out from them (src/normalize/row.ts)
      { key: 'isFirstSecretary', headers: ['是否第一书记', '是否驻村第一书记'], kind: 'yesno' },
      { key: 'isTeamLeader', headers: ['是否队长', '是否工作队队长', '是否驻村工作队队长'], kind: 'yesno' },
      { key: 'dispatchUnit', headers: ['派出单位', '派驻单位', '选派单位', '派出单位名称'], kind: 'text' },
      {
        key: 'startOn',
        headers: ['驻村开始时间', '驻村开始日期', '进驻时间', '派驻时间', '选派时间', '到村时间', '任职时间', '派驻开始时间', { text: '开始时间', generic: true }, { text: '开始日期', generic: true }, { text: '起始时间', generic: true }, { text: '起始日期', generic: true }],
        kind: 'date',
        required: true,
      },
      {
        key: 'endOn',
        headers: ['驻村结束时间', '驻村结束日期', '离村时间', '撤离时间', '召回时间', '轮换时间', '派驻结束时间', { text: '结束时间', generic: true }, { text: '结束日期', generic: true }, { text: '截止时间', generic: true }, { text: '截止日期', generic: true }],
        kind: 'date',
      },
      { key: 'phone', headers: ['联系电话', '手机号码', '联系方式', '手机号'], kind: 'phone' },
    ],
  },
  villages: {
    distinctive: '是否贫困村或出列年度',
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
    distinctive: '项目名称和项目类别',
    kind: 'projects',
    fields: [
      ...REGION,
      { key: 'projectNo', headers: PROJECT_NO_HEADERS, kind: 'key', required: true },
      { key: 'projectName', headers: ['项目名称', '项目名'], kind: 'text', required: true },
      { key: 'projectType', headers: ['项目类别', '项目类型', '项目大类', '项目分类'], kind: 'dict', dict: 'projectType', required: true },
      { key: 'subType', headers: ['项目子类', '项目子类别', '项目小类', '项目子类型', '子项目类型'], kind: 'region' },
      { key: 'content', headers: ['建设内容', '建设任务', '建设内容及规模', '建设规模及内容', '主要建设内容', '建设内容和规模', '主要内容', '项目内容', '建设规模'], kind: 'text' },
      { key: 'location', headers: ['建设地点', '项目实施地点', '实施地点', '项目地点', '项目建设地点'], kind: 'text' },
      { key: 'fundPlanDoc', headers: ['资金下达文号', '资金计划文号', '资金文号', '资金下达文件', '下达资金文号', '资金计划下达文号'], kind: 'doc' },
      { key: 'feasibilityDoc', headers: ['可研报告', '实施方案', '可行性研究报告', '项目实施方案'], kind: 'doc' },
      { key: 'acceptanceDoc', headers: ['验收报告', '验收文件', '项目验收报告'], kind: 'doc' },
      { key: 'status', headers: ['项目状态', '实施状态', '建设状态', '项目实施状态', { text: '项目进度', generic: true }], kind: 'dict', dict: 'projectStatus' },
      { key: 'startOn', headers: ['开工时间', '开工日期', '实际开工时间', '项目开工时间', { text: '开始时间', generic: true }, { text: '开始日期', generic: true }, { text: '起始时间', generic: true }, { text: '计划开工时间', generic: true }, { text: '计划开始时间', generic: true }], kind: 'date' },
      { key: 'endOn', headers: ['完工时间', '竣工时间', '完工日期', '竣工日期', '实际完工时间', '项目完工时间', { text: '结束时间', generic: true }, { text: '结束日期', generic: true }, { text: '截止时间', generic: true }, { text: '计划完工时间', generic: true }, { text: '计划结束时间', generic: true }], kind: 'date' },
      { key: 'totalAmount', headers: ['总投资', '项目总投资', '总投资额', '投资总额', '计划总投资', '资金规模', '资金规模合计', '投资规模', '投资合计'], kind: 'amountWan' },
      { key: 'fiscalAmount', headers: ['财政专项扶贫资金', '财政资金', '财政衔接资金', '衔接资金', '财政衔接推进乡村振兴补助资金', '财政专项资金', '中央财政资金'], kind: 'amountWan' },
      { key: 'noticeUrl', headers: ['公示公告网址', '公告公示网址', '公示网址', '公告网址', '公示链接'], kind: 'url' },
      { key: 'noticeAmount', headers: ['公示资金数额', '公示金额', '公示资金'], kind: 'amountWan' },
    ],
  },
  beneficiaries: {
    distinctive: '项目编号和户编号（或户主证件号码）',
    kind: 'beneficiaries',
    fields: [
      ...REGION,
      { key: 'projectNo', headers: PROJECT_NO_HEADERS, kind: 'key', required: true },
      HOUSEHOLD_NO,
      { key: 'headId', headers: [...HEAD_ID_HEADERS, '受益户身份证号码', '受益户证件号码', '受益人身份证号码', { text: '证件号码', generic: true }, { text: '身份证号码', generic: true }, { text: '身份证号', generic: true }, { text: '公民身份号码', generic: true }], kind: 'id' },
      { key: 'headName', headers: [...HEAD_NAME_HEADERS, '受益户姓名', '受益户户主姓名', '受益人姓名', { text: '姓名', generic: true }], kind: 'text' },
      { key: 'benefitType', headers: ['受益类型', '受益方式', '带动方式', '受益形式', '联农带农方式'], kind: 'text' },
    ],
    requiredAnyOf: [['householdNo'], ['headId']],
  },
};

/** Does the sheet have a column for a table's field? (`generic` headers included or not) */
export type Presence = (table: TableKind, key: string) => boolean;

/**
 * Sheet classification (SPEC §3.0), over the set of field keys each table recognised among the
 * sheet's headers. Returns the tables the sheet feeds, most specific first. Pure data-driven:
 * `present(table, key)` tells whether the sheet has a column for that table's field, counting
 * generic headers (bare 开始时间, 姓名, 证件号码) too; `specific` counts only headers that name the
 * field on their own. A generic header never makes a sheet a table by itself: it completes a sheet
 * whose specific headers already point there.
 */
export function classify(present: Presence, specific: Presence = present): TableKind[] {
  const out: TableKind[] = [];
  const householdKey = (t: TableKind) => specific(t, 'householdNo') || specific(t, 'headId');
  // a household's helper named on the row (帮扶责任人姓名 / 证件号码)
  const pairingParty = specific('pairings', 'helperId') || specific('pairings', 'helperName');
  const hasPairingDates =
    specific('pairings', 'startOn') ||
    (present('pairings', 'startOn') && pairingParty && (householdKey('pairings') || present('pairings', 'headId') || specific('pairings', 'headName')));
  const residencyParty = specific('residencies', 'role') || specific('residencies', 'dispatchUnit');
  const hasResidencyDates =
    specific('residencies', 'startOn') || (!hasPairingDates && !pairingParty && present('residencies', 'startOn') && residencyParty);
  const isProject = specific('projects', 'projectName') && specific('projects', 'projectType');
  if (isProject) out.push('projects');
  const isBeneficiary =
    !isProject && specific('beneficiaries', 'projectNo') && (specific('beneficiaries', 'householdNo') || present('beneficiaries', 'headId'));
  if (isBeneficiary) out.push('beneficiaries');
  // 与户主关系 alone is not enough: a hidden drop-down list sheet (性别 / 与户主关系 / 健康状况 …) has
  // it too. A member table also names the person or the household.
  const relation = specific('members', 'relation');
  const householdLike =
    householdKey('households') && HOUSEHOLD_SIGNATURE_KEYS.some((k) => specific('households', k));
  // personal columns only a member list has (a household list may carry the head's 姓名 and 证件号码)
  const personal = MEMBER_ONLY_KEYS.some((k) => specific('members', k));
  const memberLike =
    (relation &&
      (householdKey('members') || specific('members', 'name') || specific('members', 'idNumber'))) ||
    // one row per person without 与户主关系; a sheet of one row per household (income lists) that
    // carries only the head's name and ID number is a households table, not a member list
    ((!householdLike || personal) && specific('members', 'name') && specific('members', 'idNumber') && householdKey('members'));
  // a sheet naming both a household and its helper is a pairing sheet even without dates (FILE-02
  // then names the missing start column); unless it is a member or household list with a helper column
  const pairingWithoutDates =
    !hasPairingDates && pairingParty && (householdKey('pairings') || present('pairings', 'headId') || specific('pairings', 'headName')) && !memberLike && !householdLike && !isProject && !isBeneficiary;
  if (hasPairingDates || pairingWithoutDates) {
    out.push('pairings');
    // helper columns on pairing rows also feed helpers
    if (HELPER_ONLY_KEYS.some((k) => present('helpers', k))) out.push('helpers');
  }
  if (hasResidencyDates) out.push('residencies');
  if (
    !hasPairingDates &&
    !pairingWithoutDates &&
    !hasResidencyDates &&
    (specific('helpers', 'unit') || specific('helpers', 'rank')) &&
    // a helper list only when its ID column belongs to the helper (header.ts resolves whose a
    // bare 证件号码 is: a pairing export whose only ID is the head's is not a helper list)
    present('helpers', 'helperId') &&
    !memberLike &&
    !householdLike
  ) {
    out.push('helpers');
  }
  if (specific('villages', 'isPoorVillage') || specific('villages', 'exitYear')) {
    // 出列年度 alone is village-level; 脱贫年度 is a household field and does not match here
    if (!relation) out.push('villages');
  }
  if (memberLike && !hasPairingDates && !hasResidencyDates && !out.includes('beneficiaries') && !out.includes('helpers') && !out.includes('pairings')) {
    out.unshift('members');
  }
  if (householdLike && !out.includes('projects') && !out.includes('beneficiaries') && !hasPairingDates) {
    out.push('households');
  }
  return out;
}

/** member fields that make a sheet with 姓名 + 证件号码 a member list (not a household list) */
const MEMBER_ONLY_KEYS = [
  'gender', 'birthDate', 'age', 'idType', 'ethnicity', 'education', 'schoolStatus', 'health', 'laborSkill', 'workStatus',
  'workMonths', 'medicalInsurance', 'criticalIllnessInsurance',
];

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
