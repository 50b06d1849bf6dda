// PROJ — 项目信息完整性 (资金和项目 1), SPEC §3 PROJ-01..PROJ-04. Row rules over the projects
// table (项目库). Entity key: project_no. Amounts arrive in 万元 (the normaliser converts 元);
// an amount cell that could not be read arrives as raw text in `row.bad` and is reported under
// PROJ-04, never thrown.
import { bySheet } from './lib/sheets.js';
import type { Finding, Loc, Region } from '../src/model.js';
import { type AnyRule } from '../src/engine/rule.js';
import { defineLegacyRule as defineRule } from '../src/engine/legacy-rule.js';
import type { ProjectRow, ProjectValues } from '../src/schema/rows.js';
import { displayValue, firstDay, formatDay, formatPartialDate, lastDay, regionOf } from '../src/core/values.js';
import { fieldLabel } from '../src/schema/tables.js';

/** 万元: amounts within this are equal (SPEC PROJ-04) */
export const AMOUNT_TOLERANCE_WAN = 0.01;
// floating point slack so that 12.50 vs 12.51 counts as "within 0.01"
const EPS = 1e-9;


function label(field: string): string {
  return fieldLabel('projects', field);
}

function hasColumn(row: ProjectRow, field: string): boolean {
  const cols = row.sheet.fields.projects;
  return cols === undefined || cols.has(field);
}

type ProjField = keyof ProjectValues & string;

/**
 * Project rows whose sheet lacked a column a rule needed: one info note per field for the run
 * (a clerk's export without an optional column), never one error per project. No project entity.
 */
function noColumnNotes(
  rule: Finding['rule'],
  projects: readonly ProjectRow[],
  checks: readonly { key: ProjField; applies?: (v: ProjectValues) => boolean }[],
  emit: (f: Finding) => void,
): void {
  for (const { key, applies } of checks) {
    const rows = projects.filter((r) => !hasColumn(r, key) && (applies ? applies(r.v) : true));
    // one note per sheet and field
    for (const g of bySheet(rows, (r) => r.at)) {
      emit({
        rule,
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

function noColumnText(f: Finding): string {
  const files = (f.params?.['files'] as string[] | undefined) ?? [];
  return `项目库导出的表中没有“${label(f.field ?? '')}”列，涉及${displayValue(f.params?.['count'])}个项目（${files.join('、')}），无法检查该项，请从原系统导出包含该列的项目库`;
}

const isFinished = (v: ProjectValues): boolean => v.status === '已完工' || v.status === '已验收';

/** Common finding fields for one project row. */
function base(row: ProjectRow, rule: Finding['rule']): Finding {
  const f: Finding = { rule, at: row.at, region: regionOf(row.v), table: 'projects', projectNo: row.v.projectNo };
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
function projectRef(f: Finding): string {
  const no = f.projectNo ? `项目${f.projectNo}` : '项目（无项目编号）';
  const name = f.params?.['projectName'];
  return typeof name === 'string' && name ? `${no}（${name}）` : no;
}

function commonParams(v: ProjectValues): Record<string, unknown> {
  const p: Record<string, unknown> = {};
  if (v.projectName) p['projectName'] = v.projectName;
  if (v.status) p['status'] = v.status;
  return p;
}

/** A document cell is missing when empty or when it says 否/无 (normalised to false). */
function docMissing(row: ProjectRow, key: 'fundPlanDoc' | 'feasibilityDoc' | 'acceptanceDoc'): boolean {
  const v = row.v[key];
  if (row.bad?.[key]) return false; // something was written; not our business to judge its form
  return v === undefined || v === false || (typeof v === 'string' && v.trim() === '');
}

// ---------------------------------------------------------------------------------------------

const PROJ_01 = defineRule({
  id: 'PROJ-01',
  family: 'PROJ',
  severity: 'error',
  title: '项目批复或验收材料缺失',
  explain:
    '项目库中每个项目都应填写资金下达文号（资金计划文号）和可研报告（实施方案）；项目状态为“已验收”的还必须有验收报告，缺失为错误；状态为“已完工”而未填验收报告的列为疑似，请核实是否已组织验收。单元格为空、填“否”或“无”都视为缺失；项目库导出的表没有该列时无法检查，只提示一次缺列，不逐个项目报错。请补录文号或报告名称，或更正项目状态。',
  reads: ['projects'],
  row(r, emit) {
    if (r.table !== 'projects') return;
    const row = r as ProjectRow;
    const v = row.v;
    const check = (key: 'fundPlanDoc' | 'feasibilityDoc' | 'acceptanceDoc', code: string, severity?: 'suspect') => {
      // without the column the document is unknown, not missing: one note in cross()
      if (!hasColumn(row, key) || !docMissing(row, key)) return;
      emit({
        ...base(row, 'PROJ-01'),
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
    noColumnNotes('PROJ-01', ix.projects, [{ key: 'fundPlanDoc' }, { key: 'feasibilityDoc' }, { key: 'acceptanceDoc', applies: isFinished }], emit);
  },
  describe(f) {
    if (f.code === 'no_column') return noColumnText(f);
    const what = label(f.field ?? '');
    const said = f.value === '否' ? '（填写为“否”）' : '';
    if (f.code === 'acceptance_doc_missing') {
      const st = String(f.params?.['status'] ?? '');
      return st === '已完工'
        ? `${projectRef(f)}已完工，但未填写验收报告${said}，请核实是否已组织验收`
        : `${projectRef(f)}状态为“已验收”，但验收报告缺失${said}`;
    }
    return `${projectRef(f)}缺少${what}${said}`;
  },
});

// ---------------------------------------------------------------------------------------------

const PROJ_02 = defineRule({
  id: 'PROJ-02',
  family: 'PROJ',
  severity: 'error',
  title: '项目建设内容或起止时间有误',
  explain:
    '项目应填写建设内容；除“未开工”外的项目应有开工时间，“已完工”“已验收”的项目应有完工时间；完工时间不能早于开工时间，开工和完工时间都不能晚于核查基准日。只写到年或月的开工时间按该年（月）第一天、完工时间按最后一天计算。请对照项目档案更正。',
  reads: ['projects'],
  row(r, emit, ctx) {
    if (r.table !== 'projects') return;
    const row = r as ProjectRow;
    const v = row.v;
    const p = commonParams(v);
    const emitF = (field: string, code: string, value?: unknown, expected?: unknown, extra?: Record<string, unknown>) =>
      emit({ ...base(row, 'PROJ-02'), field, code, value, expected, params: { ...p, ...extra } });

    // "missing" only where the sheet had the column; an absent column is one note in cross()
    if (hasColumn(row, 'content') && (v.content === undefined || v.content.trim() === '')) emitF('content', 'content_missing');

    const badStart = row.bad?.startOn;
    const badEnd = row.bad?.endOn;
    if (badStart !== undefined) emitF('startOn', 'start_unreadable', badStart);
    else if (v.startOn === undefined && v.status !== '未开工' && hasColumn(row, 'startOn')) emitF('startOn', 'start_missing');
    if (badEnd !== undefined) emitF('endOn', 'end_unreadable', badEnd);
    else if (v.endOn === undefined && isFinished(v) && hasColumn(row, 'endOn')) emitF('endOn', 'end_missing');

    const start = v.startOn ? firstDay(v.startOn) : undefined;
    const end = v.endOn ? lastDay(v.endOn) : undefined;
    if (start !== undefined && end !== undefined && end < start) {
      emitF('endOn', 'end_before_start', v.endOn, `不早于${formatPartialDate(v.startOn!)}`, {
        startOn: formatPartialDate(v.startOn!),
      });
    }
    const asOf = formatDay(ctx.asOf);
    if (start !== undefined && start > ctx.asOf) emitF('startOn', 'start_after_as_of', v.startOn, `不晚于${asOf}`, { asOf });
    // SPEC §3.0: a 完工时间 written as a year or month means its last day; after as-of it is an
    // error when certainly after, a suspect when only the written precision puts it there
    if (end !== undefined && v.endOn && end > ctx.asOf) {
      if (firstDay(v.endOn) > ctx.asOf) emitF('endOn', 'end_after_as_of', v.endOn, `不晚于${asOf}`, { asOf });
      else
        emit({
          ...base(row, 'PROJ-02'),
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
    noColumnNotes(
      'PROJ-02',
      ix.projects,
      [{ key: 'content' }, { key: 'startOn', applies: (v) => v.status !== '未开工' }, { key: 'endOn', applies: isFinished }],
      emit,
    );
  },
  describe(f) {
    if (f.code === 'no_column') return noColumnText(f);
    const ref = projectRef(f);
    const val = displayValue(f.value);
    const st = f.params?.['status'] ? `（状态：${String(f.params['status'])}）` : '';
    switch (f.code) {
      case 'content_missing':
        return `${ref}未填写建设内容`;
      case 'start_missing':
        return `${ref}${st}缺少开工时间`;
      case 'end_missing':
        return `${ref}${st}缺少完工时间`;
      case 'start_unreadable':
        return `${ref}的开工时间“${val}”无法识别为日期`;
      case 'end_unreadable':
        return `${ref}的完工时间“${val}”无法识别为日期`;
      case 'end_before_start':
        return `${ref}的完工时间${val}早于开工时间${String(f.params?.['startOn'] ?? '')}`;
      case 'start_after_as_of':
        return `${ref}的开工时间${val}晚于核查基准日${String(f.params?.['asOf'] ?? '')}`;
      case 'end_after_as_of':
        return `${ref}的完工时间${val}晚于核查基准日${String(f.params?.['asOf'] ?? '')}`;
      case 'end_coarse_after_as_of':
        return (
          `${ref}的完工时间只写了“${val}”，按${f.params?.['precision'] === 'month' ? '当月' : '当年'}最后一天 ${String(f.params?.['end'] ?? '')} 计晚于核查基准日${String(f.params?.['asOf'] ?? '')}；` +
          '如果实际在核查基准日或之前完工，请补全到具体日期'
        );
      default:
        return `${ref}建设内容或起止时间有误`;
    }
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
  row(r, emit) {
    if (r.table !== 'projects') return;
    const row = r as ProjectRow;
    const v = row.v;
    const p = commonParams(v);
    const url = v.noticeUrl?.trim();
    // "missing" only where the sheet had the column; an absent column is one note in cross()
    if (!url) {
      if (hasColumn(row, 'noticeUrl')) emit({ ...base(row, 'PROJ-03'), field: 'noticeUrl', code: 'url_missing', params: p });
    } else if (!isHttpUrl(url)) {
      const fix = suggestUrl(url);
      emit({ ...base(row, 'PROJ-03'), field: 'noticeUrl', code: 'url_invalid', value: url, expected: fix, params: p });
    }
    // an unreadable amount is PROJ-04's business, not "missing"
    if (v.noticeAmount === undefined && row.bad?.noticeAmount === undefined && hasColumn(row, 'noticeAmount')) {
      emit({ ...base(row, 'PROJ-03'), field: 'noticeAmount', code: 'notice_amount_missing', params: p });
    }
  },
  cross(ix, emit) {
    noColumnNotes('PROJ-03', ix.projects, [{ key: 'noticeUrl' }, { key: 'noticeAmount' }], emit);
  },
  describe(f) {
    if (f.code === 'no_column') return noColumnText(f);
    const ref = projectRef(f);
    switch (f.code) {
      case 'url_missing':
        return `${ref}未填写公示公告网址`;
      case 'url_invalid':
        return f.expected
          ? `${ref}的公示公告网址“${displayValue(f.value)}”缺少“http://”或“https://”，应为${displayValue(f.expected)}`
          : `${ref}的公示公告网址“${displayValue(f.value)}”不是有效的http(s)网址`;
      case 'notice_amount_missing':
        return `${ref}未填写公示资金数额`;
      default:
        return `${ref}公示信息缺失`;
    }
  },
});

// ---------------------------------------------------------------------------------------------

const AMOUNT_FIELDS = ['totalAmount', 'fiscalAmount', 'noticeAmount'] as const;

function wan(n: number): string {
  return `${displayValue(Math.round(n * 10_000) / 10_000)}万元`;
}

const PROJ_04 = defineRule({
  id: 'PROJ-04',
  family: 'PROJ',
  severity: 'error',
  title: '项目资金数额异常',
  explain:
    `公示资金数额应与财政专项扶贫资金一致（没有财政资金数的，与总投资一致），相差超过${AMOUNT_TOLERANCE_WAN}万元即提示；总投资、财政资金和公示金额都必须大于0；财政专项扶贫资金不能超过总投资。金额按万元比较，填写为“元”的已自动换算；无法识别的金额（如含文字）也在此列出。请对照资金下达文件和公示材料更正。`,
  reads: ['projects'],
  row(r, emit) {
    if (r.table !== 'projects') return;
    const row = r as ProjectRow;
    const v = row.v;
    const p = commonParams(v);
    const at = base(row, 'PROJ-04');
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
  describe(f) {
    const ref = projectRef(f);
    const what = label(f.field ?? '');
    switch (f.code) {
      case 'unreadable':
        return `${ref}的${what}“${displayValue(f.value)}”无法识别为金额`;
      case 'not_positive':
        return `${ref}的${what}为${typeof f.value === 'number' ? wan(f.value) : displayValue(f.value)}，应大于0`;
      case 'fiscal_over_total':
        return `${ref}的财政专项扶贫资金${typeof f.value === 'number' ? wan(f.value) : ''}超过总投资${typeof f.params?.['totalAmount'] === 'number' ? wan(f.params['totalAmount']) : ''}`;
      case 'notice_mismatch': {
        const refLabel = label(String(f.params?.['refField'] ?? 'fiscalAmount'));
        const a = typeof f.value === 'number' ? wan(f.value) : displayValue(f.value);
        const b = typeof f.expected === 'number' ? wan(f.expected) : displayValue(f.expected);
        return `${ref}的公示资金数额${a}与${refLabel}${b}不一致`;
      }
      default:
        return `${ref}资金数额异常`;
    }
  },
});

export const projectRules: AnyRule[] = [PROJ_01, PROJ_02, PROJ_03, PROJ_04];

/** exported for tests and for callers that want a single rule */
export { PROJ_01, PROJ_02, PROJ_03, PROJ_04 };
