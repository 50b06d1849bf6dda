// PROJ — 项目信息完整性 (资金和项目 1), SPEC §3 PROJ-01..PROJ-04. Row rules over the projects
// table (项目库). Entity key: project_no. Amounts arrive in 万元 (the normaliser converts 元);
// an amount cell that could not be read arrives as raw text in `row.bad` and is reported under
// PROJ-04, never thrown.
import { bySheet } from './lib/sheets.js';
import type { Finding } from '../src/model.js';
import { defineRule, type AnyRule, type RuleEmit } from '../src/engine/rule.js';
import type { ProjectRow, ProjectValues } from '../src/schema/rows.js';
import { displayValue, firstDay, formatDay, formatPartialDate, lastDay, regionOf } from '../src/core/values.js';
import { fieldLabel } from '../src/schema/tables.js';
import { createRowBuilder, partialDate } from '../src/engine/examples.js';
import { expected, field, msg, param, text, value, when, select, type MessageInput } from '../src/i18n/template.js';

/** 万元: amounts within this are equal (SPEC PROJ-04) */
export const AMOUNT_TOLERANCE_WAN = 0.01;
// floating point slack so that 12.50 vs 12.51 counts as "within 0.01"
const EPS = 1e-9;

function hasColumn(row: ProjectRow, field: string): boolean {
  const cols = row.sheet.fields.projects;
  return cols === undefined || cols.has(field);
}

type ProjField = keyof ProjectValues & string;

/** Params every project finding carries: what the clerk recognises the project by. */
interface ProjectParams {
  projectName?: string;
  status?: string;
}

/** Params of a note about a column the export lacks. */
interface NoColumnParams {
  count: number;
  files: string[];
}

/** A column the project sheet lacks: one info note per sheet and field. */
const noColumnMessage = msg<NoColumnParams>`项目库导出的表中没有“${field}”列，涉及${param('count', '项目数')}个项目（${param('files', '文件', (files) => files.join('、'))}），无法检查该项，请从原系统导出包含该列的项目库`;

/**
 * Project rows whose sheet lacked a column a rule needed: one info note per field for the run
 * (a clerk's export without an optional column), never one error per project. No project entity.
 */
function noColumnNotes(
  projects: readonly ProjectRow[],
  checks: readonly { key: ProjField; applies?: (v: ProjectValues) => boolean }[],
  emit: RuleEmit<{ no_column: typeof noColumnMessage }>,
): void {
  for (const { key, applies } of checks) {
    const rows = projects.filter((r) => !hasColumn(r, key) && (applies ? applies(r.v) : true));
    // one note per sheet and field
    for (const g of bySheet(rows, (r) => r.at)) {
      emit({
        code: 'no_column',
        severity: 'info',
        table: 'projects',
        at: g.at,
        recordKey: g.recordKey,
        field: key,
        value: '',
        params: { count: g.items.length, files: [g.at.file] },
      });
    }
  }
}

const isFinished = (v: ProjectValues): boolean => v.status === '已完工' || v.status === '已验收';

/** Common finding fields for one project row. */
function base(row: ProjectRow): Omit<Finding, 'rule'> {
  const f: Omit<Finding, 'rule'> = { at: row.at, region: regionOf(row.v), table: 'projects', projectNo: row.v.projectNo };
  if (!row.v.projectNo) f.recordKey = projectContentKey(row.v);
  return f;
}

/**
 * A project without 项目编号 is told apart by what it is (name, type, place, content, dates, amounts):
 * its findings are its own, never merged with another unnumbered project's.
 */
function projectContentKey(v: ProjectValues): string {
  const d = (p: ProjectValues['startOn']) => (p ? [p.y, p.m ?? '', p.d ?? ''].join('-') : '');
  return [v.projectName, v.projectType, v.county, v.township, v.village, v.location, v.content, d(v.startOn), d(v.endOn), v.totalAmount, v.fiscalAmount]
    .map((x) => (x === undefined ? '' : String(x)))
    .join('|');
}

/** "项目P001（村道硬化）" for messages. */
const project = text<ProjectParams>('项目', (f) => {
  const no = f.projectNo ? `项目${f.projectNo}` : '项目（无项目编号）';
  const name = f.params.projectName;
  return typeof name === 'string' && name ? `${no}（${name}）` : no;
});

function commonParams(v: ProjectValues): ProjectParams {
  const p: ProjectParams = {};
  if (v.projectName) p.projectName = v.projectName;
  if (v.status) p.status = v.status;
  return p;
}

/** A document cell is missing when empty or when it says 否/无 (normalised to false). */
function docMissing(row: ProjectRow, key: 'fundPlanDoc' | 'feasibilityDoc' | 'acceptanceDoc'): boolean {
  const v = row.v[key];
  if (row.bad?.[key]) return false; // something was written; not our business to judge its form
  return v === undefined || v === false || (typeof v === 'string' && v.trim() === '');
}

/** Example project rows (the catalogue test runs them through the engine). */
const row = createRowBuilder();
const goodProject: ProjectValues = {
  projectNo: 'P2019001',
  projectName: '村道硬化',
  projectType: '基础设施',
  county: '示例县',
  township: '示例镇',
  village: '示例村',
  content: '硬化村道2公里',
  fundPlanDoc: '示财农〔2019〕12号',
  feasibilityDoc: '村道硬化实施方案',
  acceptanceDoc: '验收报告（2019年12月）',
  status: '已验收',
  startOn: partialDate('2019-03-01'),
  endOn: partialDate('2019-11-30'),
  totalAmount: 80,
  fiscalAmount: 60,
  noticeUrl: 'http://www.example.gov.cn/gs/2019/001.html',
  noticeAmount: 60,
};
const projectRow = (v: Partial<ProjectValues>, opts?: Parameters<typeof row>[2]) => row<ProjectValues>('projects', { ...goodProject, ...v }, { at: { file: '项目库.xlsx' }, ...opts });

// ---------------------------------------------------------------------------------------------

/** “（填写为“否”）” when the document cell said 否 */
const saidNo = when<ProjectParams>((f) => f.value === '否', msg`（填写为“否”）`);

const PROJ_01 = defineRule({
  id: 'PROJ-01',
  family: 'PROJ',
  severity: 'error',
  title: '项目批复或验收材料缺失',
  explain:
    '项目库中每个项目都应填写资金下达文号（资金计划文号）和可研报告（实施方案）；项目状态为“已验收”的还必须有验收报告，缺失为错误；状态为“已完工”而未填验收报告的列为疑似，请核实是否已组织验收。单元格为空、填“否”或“无”都视为缺失；项目库导出的表没有该列时无法检查，只提示一次缺列，不逐个项目报错。请补录文号或报告名称，或更正项目状态。',
  reads: ['projects'],
  messages: {
    fund_plan_doc_missing: msg<ProjectParams>`${project}缺少${field}${saidNo}`,
    feasibility_doc_missing: msg<ProjectParams>`${project}缺少${field}${saidNo}`,
    acceptance_doc_missing: msg<ProjectParams>`${select(
      'status',
      { 已完工: msg`${project}已完工，但未填写验收报告${saidNo}，请核实是否已组织验收` },
      msg`${project}状态为“已验收”，但验收报告缺失${saidNo}`,
      '项目状态',
    )}`,
    no_column: noColumnMessage,
  },
  row(row, emit) {
    const v = row.v;
    const check = (key: 'fundPlanDoc' | 'feasibilityDoc' | 'acceptanceDoc', code: 'fund_plan_doc_missing' | 'feasibility_doc_missing' | 'acceptance_doc_missing', severity?: 'suspect') => {
      // without the column the document is unknown, not missing: one note in cross()
      if (!hasColumn(row, key) || !docMissing(row, key)) return;
      emit({
        ...base(row),
        field: key,
        value: v[key] === false ? '否' : undefined,
        code,
        ...(severity ? { severity } : {}),
        params: commonParams(v),
      });
    };
    check('fundPlanDoc', 'fund_plan_doc_missing');
    check('feasibilityDoc', 'feasibility_doc_missing');
    if (v.status === '已验收') check('acceptanceDoc', 'acceptance_doc_missing');
    else if (v.status === '已完工') check('acceptanceDoc', 'acceptance_doc_missing', 'suspect');
  },
  cross(ix, emit) {
    noColumnNotes(ix.projects, [{ key: 'fundPlanDoc' }, { key: 'feasibilityDoc' }, { key: 'acceptanceDoc', applies: isFinished }], emit);
  },
  examples: {
    valid: [{ note: '文号、可研报告、验收报告齐全的已验收项目', rows: [projectRow({})] }],
    invalid: [
      {
        note: '已验收项目没有资金下达文号，可研报告填“否”，也没有验收报告',
        rows: [projectRow({ fundPlanDoc: undefined, feasibilityDoc: false, acceptanceDoc: undefined })],
        codes: ['fund_plan_doc_missing', 'feasibility_doc_missing', 'acceptance_doc_missing'],
      },
      {
        note: '项目库导出的表没有“验收报告”列',
        rows: [projectRow({ acceptanceDoc: undefined }, { fields: Object.keys(goodProject).filter((k) => k !== 'acceptanceDoc') })],
        codes: ['no_column'],
      },
    ],
  },
});

// ---------------------------------------------------------------------------------------------

/** “（状态：在建）” where the project has a status */
const statusNote = when<ProjectParams>(param('status'), msg`（状态：${param('status', '项目状态')}）`);

interface AsOfParams extends ProjectParams {
  asOf: string;
}

const PROJ_02 = defineRule({
  id: 'PROJ-02',
  family: 'PROJ',
  severity: 'error',
  title: '项目建设内容或起止时间有误',
  explain:
    '项目应填写建设内容；除“未开工”外的项目应有开工时间，“已完工”“已验收”的项目应有完工时间；完工时间不能早于开工时间，开工和完工时间都不能晚于核查基准日。只写到年或月的开工时间按该年（月）第一天、完工时间按最后一天计算。请对照项目档案更正。',
  reads: ['projects'],
  messages: {
    content_missing: msg<ProjectParams>`${project}未填写建设内容`,
    start_missing: msg<ProjectParams>`${project}${statusNote}缺少开工时间`,
    end_missing: msg<ProjectParams>`${project}${statusNote}缺少完工时间`,
    start_unreadable: msg<ProjectParams>`${project}的开工时间“${value}”无法识别为日期`,
    end_unreadable: msg<ProjectParams>`${project}的完工时间“${value}”无法识别为日期`,
    end_before_start: msg<ProjectParams & { startOn: string }>`${project}的完工时间${value}早于开工时间${param('startOn', '开工时间')}`,
    start_after_as_of: msg<AsOfParams>`${project}的开工时间${value}晚于核查基准日${param('asOf', '核查基准日')}`,
    end_after_as_of: msg<AsOfParams>`${project}的完工时间${value}晚于核查基准日${param('asOf', '核查基准日')}`,
    end_coarse_after_as_of: msg<AsOfParams & { end: string; precision: 'year' | 'month' }>`${project}的完工时间只写了“${value}”，按${select(
      'precision',
      { month: msg`当月` },
      msg`当年`,
      { month: '完工时间写到月' },
    )}最后一天 ${param('end', '最后一天')} 计晚于核查基准日${param('asOf', '核查基准日')}；如果实际在核查基准日或之前完工，请补全到具体日期`,
    no_column: noColumnMessage,
  },
  row(row, emit, ctx) {
    const v = row.v;
    const p = commonParams(v);
    const at = base(row);
    type Simple = 'content_missing' | 'start_missing' | 'end_missing' | 'start_unreadable' | 'end_unreadable';
    const simple = (field: ProjField, code: Simple, value?: unknown) => emit({ ...at, field, code, value, expected: undefined, params: p });

    // "missing" only where the sheet had the column; an absent column is one note in cross()
    if (hasColumn(row, 'content') && (v.content === undefined || v.content.trim() === '')) simple('content', 'content_missing');

    const badStart = row.bad?.startOn;
    const badEnd = row.bad?.endOn;
    if (badStart !== undefined) simple('startOn', 'start_unreadable', badStart);
    else if (v.startOn === undefined && v.status !== '未开工' && hasColumn(row, 'startOn')) simple('startOn', 'start_missing');
    if (badEnd !== undefined) simple('endOn', 'end_unreadable', badEnd);
    else if (v.endOn === undefined && isFinished(v) && hasColumn(row, 'endOn')) simple('endOn', 'end_missing');

    const start = v.startOn ? firstDay(v.startOn) : undefined;
    const end = v.endOn ? lastDay(v.endOn) : undefined;
    if (start !== undefined && end !== undefined && end < start) {
      const startOn = formatPartialDate(v.startOn!);
      emit({ ...at, field: 'endOn', code: 'end_before_start', value: v.endOn, expected: `不早于${startOn}`, params: { ...p, startOn } });
    }
    const asOf = formatDay(ctx.asOf.day);
    if (start !== undefined && start > ctx.asOf.day) emit({ ...at, field: 'startOn', code: 'start_after_as_of', value: v.startOn, expected: `不晚于${asOf}`, params: { ...p, asOf } });
    // SPEC §3.0: a 完工时间 written as a year or month means its last day; after as-of it is an
    // error when certainly after, a suspect when only the written precision puts it there
    if (end !== undefined && v.endOn && end > ctx.asOf.day) {
      if (firstDay(v.endOn) > ctx.asOf.day) emit({ ...at, field: 'endOn', code: 'end_after_as_of', value: v.endOn, expected: `不晚于${asOf}`, params: { ...p, asOf } });
      else
        emit({
          ...at,
          severity: 'suspect',
          field: 'endOn',
          code: 'end_coarse_after_as_of',
          value: v.endOn,
          expected: `不晚于${asOf}`,
          params: { ...p, asOf, end: formatDay(end), precision: v.endOn.m === undefined ? 'year' : 'month' },
        });
    }
  },
  cross(ix, emit) {
    noColumnNotes(ix.projects, [{ key: 'content' }, { key: 'startOn', applies: (v) => v.status !== '未开工' }, { key: 'endOn', applies: isFinished }], emit);
  },
  examples: {
    valid: [
      { note: '已验收项目，开工、完工时间齐全且不晚于核查基准日', rows: [projectRow({})] },
      { note: '未开工项目可以没有开工和完工时间', rows: [projectRow({ status: '未开工', startOn: undefined, endOn: undefined, acceptanceDoc: undefined })] },
    ],
    invalid: [
      {
        note: '完工时间早于开工时间，建设内容为空',
        rows: [projectRow({ content: undefined, startOn: partialDate('2019-06-01'), endOn: partialDate('2019-03-01') })],
        codes: ['content_missing', 'end_before_start'],
      },
      {
        note: '在建项目开工时间晚于核查基准日（2020-04-30）；已完工项目没有完工时间',
        rows: [projectRow({ status: '在建', startOn: partialDate('2020-06-01'), endOn: undefined }), projectRow({ projectNo: 'P2019002', status: '已完工', endOn: undefined })],
        codes: ['start_after_as_of', 'end_missing'],
      },
      {
        note: '完工时间只写到“2020年”：按年底计晚于核查基准日（疑似）',
        rows: [projectRow({ endOn: partialDate('2020') })],
        codes: ['end_coarse_after_as_of'],
      },
    ],
  },
});

// ---------------------------------------------------------------------------------------------

/** An http(s) URL with a host. Parsing only; never any network access. */
export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s.trim());
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
  } catch {
    return false;
  }
}

/** For a URL written without its scheme (`www.xx.gov.cn/gs/1.html`), the form it should have. */
function suggestUrl(s: string): string | undefined {
  const t = s.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(t) || /\s/.test(t)) return undefined;
  // a host-like start: letters/digits with at least one dot before the first slash
  if (!/^[\w-]+(\.[\w-]+)+(:\d+)?(\/|$)/.test(t)) return undefined;
  const c = 'http://' + t;
  return isHttpUrl(c) ? c : undefined;
}

const PROJ_03 = defineRule({
  id: 'PROJ-03',
  family: 'PROJ',
  severity: 'error',
  title: '项目公示信息缺失',
  explain:
    '扶贫项目须公告公示：项目库应填写公示公告网址和公示资金数额。网址必须是以 http:// 或 https:// 开头、带有网站域名的完整地址（只检查写法，不访问网站）。请补录公示网址和公示金额；网址漏写了“http://”的，按参考值补全。',
  reads: ['projects'],
  messages: {
    url_missing: msg<ProjectParams>`${project}未填写公示公告网址`,
    url_invalid: msg<ProjectParams>`${project}的公示公告网址“${value}”${when(
      expected,
      msg`缺少“http://”或“https://”，应为${expected}`,
      msg`不是有效的http(s)网址`,
    )}`,
    notice_amount_missing: msg<ProjectParams>`${project}未填写公示资金数额`,
    no_column: noColumnMessage,
  },
  row(row, emit) {
    const v = row.v;
    const p = commonParams(v);
    const url = v.noticeUrl?.trim();
    // "missing" only where the sheet had the column; an absent column is one note in cross()
    if (!url) {
      if (hasColumn(row, 'noticeUrl')) emit({ ...base(row), field: 'noticeUrl', code: 'url_missing', params: p });
    } else if (!isHttpUrl(url)) {
      const fix = suggestUrl(url);
      emit({ ...base(row), field: 'noticeUrl', code: 'url_invalid', value: url, expected: fix, params: p });
    }
    // an unreadable amount is PROJ-04's business, not "missing"
    if (v.noticeAmount === undefined && row.bad?.noticeAmount === undefined && hasColumn(row, 'noticeAmount')) {
      emit({ ...base(row), field: 'noticeAmount', code: 'notice_amount_missing', params: p });
    }
  },
  cross(ix, emit) {
    noColumnNotes(ix.projects, [{ key: 'noticeUrl' }, { key: 'noticeAmount' }], emit);
  },
  examples: {
    valid: [{ note: '公示网址以 http:// 开头，公示金额已填', rows: [projectRow({})] }],
    invalid: [
      {
        note: '网址漏写“http://”；另一个项目没有公示网址和公示金额',
        rows: [projectRow({ noticeUrl: 'www.example.gov.cn/gs/1.html' }), projectRow({ projectNo: 'P2019002', noticeUrl: undefined, noticeAmount: undefined })],
        codes: ['url_invalid', 'url_missing', 'notice_amount_missing'],
      },
    ],
  },
});

// ---------------------------------------------------------------------------------------------

const AMOUNT_FIELDS = ['totalAmount', 'fiscalAmount', 'noticeAmount'] as const;

function wan(n: number): string {
  return `${displayValue(Math.round(n * 10_000) / 10_000)}万元`;
}

/** An amount as written in messages: 12.5万元 (a number), else as read */
const wanOr = (x: unknown): string => (typeof x === 'number' ? wan(x) : displayValue(x));

const PROJ_04 = defineRule({
  id: 'PROJ-04',
  family: 'PROJ',
  severity: 'error',
  title: '项目资金数额异常',
  explain:
    `公示资金数额应与财政专项扶贫资金一致（没有财政资金数的，与总投资一致），相差超过${AMOUNT_TOLERANCE_WAN}万元即提示；总投资、财政资金和公示金额都必须大于0；财政专项扶贫资金不能超过总投资。金额按万元比较，填写为“元”的已自动换算；无法识别的金额（如含文字）也在此列出。请对照资金下达文件和公示材料更正。`,
  reads: ['projects'],
  messages: {
    unreadable: msg<ProjectParams>`${project}的${field}“${value}”无法识别为金额`,
    not_positive: msg<ProjectParams>`${project}的${field}为${text('金额', (f) => wanOr(f.value))}，应大于0`,
    fiscal_over_total: msg<ProjectParams & { totalAmount: number }>`${project}的财政专项扶贫资金${text('财政资金', (f) => (typeof f.value === 'number' ? wan(f.value) : ''))}超过总投资${param('totalAmount', '总投资', (n) => (typeof n === 'number' ? wan(n) : ''))}`,
    notice_mismatch: msg<ProjectParams & { refField: 'fiscalAmount' | 'totalAmount' }>`${project}的公示资金数额${text('公示金额', (f) => wanOr(f.value))}与${param('refField', '参照字段', (k) => fieldLabel('projects', String(k ?? 'fiscalAmount')))}${text('参照金额', (f) => wanOr(f.expected))}不一致`,
  },
  row(row, emit) {
    const v = row.v;
    const p = commonParams(v);
    const at = base(row);
    for (const key of AMOUNT_FIELDS) {
      const raw = row.bad?.[key];
      if (raw !== undefined) {
        emit({ ...at, field: key, code: 'unreadable', value: raw, params: p });
        continue;
      }
      const n = v[key];
      if (typeof n === 'number' && !(n > 0)) emit({ ...at, field: key, code: 'not_positive', value: n, expected: '大于0', params: p });
    }
    const total = v.totalAmount;
    const fiscal = v.fiscalAmount;
    if (typeof total === 'number' && typeof fiscal === 'number' && fiscal - total > AMOUNT_TOLERANCE_WAN + EPS) {
      emit({ ...at, field: 'fiscalAmount', code: 'fiscal_over_total', value: fiscal, expected: `不超过${wan(total)}`, params: { ...p, totalAmount: total } });
    }
    // the reference: fiscal amount, or the total when the fiscal amount is absent (not when unreadable)
    const notice = v.noticeAmount;
    let refKey: 'fiscalAmount' | 'totalAmount' | undefined;
    if (typeof fiscal === 'number') refKey = 'fiscalAmount';
    else if (row.bad?.fiscalAmount === undefined && typeof total === 'number') refKey = 'totalAmount';
    if (typeof notice === 'number' && refKey) {
      const ref = v[refKey]!;
      if (Math.abs(notice - ref) > AMOUNT_TOLERANCE_WAN + EPS) {
        emit({ ...at, field: 'noticeAmount', code: 'notice_mismatch', value: notice, expected: ref, params: { ...p, refField: refKey } });
      }
    }
  },
  examples: {
    valid: [{ note: '公示金额与财政资金一致（相差不超过0.01万元）', rows: [projectRow({ noticeAmount: 60.005 })] }],
    invalid: [
      {
        note: '财政资金超过总投资，公示金额与财政资金不一致',
        rows: [projectRow({ totalAmount: 50, fiscalAmount: 60, noticeAmount: 55 })],
        codes: ['fiscal_over_total', 'notice_mismatch'],
      },
      {
        note: '总投资为0，公示金额写成了文字',
        rows: [projectRow({ totalAmount: 0, fiscalAmount: undefined, noticeAmount: undefined }, { bad: { noticeAmount: '六十万' } })],
        codes: ['not_positive', 'unreadable'],
      },
    ],
  },
});

export const projectRules: AnyRule[] = [PROJ_01, PROJ_02, PROJ_03, PROJ_04];

/** exported for tests and for callers that want a single rule */
export { PROJ_01, PROJ_02, PROJ_03, PROJ_04 };
