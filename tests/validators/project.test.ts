import { describe, expect, it } from 'vitest';
import type { ResolvedFinding } from '../../src/model.js';
import type { ProjectValues } from '../../src/schema/rows.js';
import { projectRules, isHttpUrl } from '../../validators/project.js';
import { runRules } from '../helpers/engine.js';
import { pd, row, type RowOpts } from '../helpers/rows.js';

/** A complete, consistent project: no PROJ finding. Overrides replace (undefined removes) fields. */
function proj(over: Partial<Record<keyof ProjectValues, unknown>> = {}, opts: RowOpts = {}) {
  const v: Record<string, unknown> = {
    county: '沅陵县',
    township: '官庄镇',
    village: '张家村',
    projectNo: 'P001',
    projectName: '张家村组道路硬化',
    projectType: '基础设施',
    subType: '道路',
    content: '硬化村组道路2.5公里',
    fundPlanDoc: '沅财农〔2019〕12号',
    feasibilityDoc: '是',
    acceptanceDoc: '沅扶验〔2019〕3号',
    status: '已验收',
    startOn: pd('2019-03'),
    endOn: pd('2019-10-15'),
    totalAmount: 100,
    fiscalAmount: 80,
    noticeUrl: 'http://www.yuanling.gov.cn/gsgg/2019/1.html',
    noticeAmount: 80,
  };
  for (const [k, x] of Object.entries(over)) {
    if (x === undefined) delete v[k];
    else v[k] = x;
  }
  return row('projects', v as ProjectValues, opts);
}

function run(rows: ReturnType<typeof proj>[], asOf?: string): ResolvedFinding[] {
  return runRules(rows, { rules: projectRules, ...(asOf ? { asOf } : {}) });
}

/** Findings of one rule, ordered by field then code (the runner orders same-row findings by fingerprint). */
function only(fs: ResolvedFinding[], rule: string): ResolvedFinding[] {
  const key = (f: ResolvedFinding) => `${f.field ?? ''}|${f.code ?? ''}`;
  return fs.filter((f) => f.rule === rule).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

describe('PROJ baseline', () => {
  it('a complete, consistent project has no PROJ finding', () => {
    expect(run([proj()])).toEqual([]);
  });

  it('every rule has a Chinese title and explanation', () => {
    expect(projectRules.map((r) => r.id)).toEqual(['PROJ-01', 'PROJ-02', 'PROJ-03', 'PROJ-04']);
    for (const r of projectRules) {
      expect(r.title).toMatch(/[\u4e00-\u9fff]/);
      expect(r.explain.length).toBeGreaterThan(30);
      expect(r.explain).not.toContain('\n');
    }
  });
});

describe('PROJ-01 documents', () => {
  it('reports a missing fund plan document and a feasibility document written as 否', () => {
    const fs = only(run([proj({ fundPlanDoc: undefined, feasibilityDoc: false })]), 'PROJ-01');
    expect(fs.map((f) => [f.code, f.field, f.severity])).toEqual([
      ['feasibility_doc_missing', 'feasibilityDoc', 'error'],
      ['fund_plan_doc_missing', 'fundPlanDoc', 'error'],
    ]);
    expect(fs[1]!.projectNo).toBe('P001');
    expect(fs[1]!.region?.village).toBe('张家村');
    expect(fs[1]!.message).toContain('资金下达文号');
    expect(fs[0]!.message).toContain('可研报告（填写为“否”）');
  });

  it('acceptance report: error when 已验收, suspect when 已完工, nothing while 在建', () => {
    const accepted = only(run([proj({ acceptanceDoc: undefined })]), 'PROJ-01');
    expect(accepted.map((f) => [f.code, f.severity])).toEqual([['acceptance_doc_missing', 'error']]);
    const finished = only(run([proj({ acceptanceDoc: undefined, status: '已完工' })]), 'PROJ-01');
    expect(finished.map((f) => [f.code, f.severity])).toEqual([['acceptance_doc_missing', 'suspect']]);
    expect(finished[0]!.message).toContain('核实是否已组织验收');
    const building = only(run([proj({ acceptanceDoc: undefined, status: '在建', endOn: undefined })]), 'PROJ-01');
    expect(building).toEqual([]);
  });

  it('a project library without the column: one info note for the run, no error per project', () => {
    const fields = ['projectNo', 'projectName', 'projectType', 'subType', 'content', 'feasibilityDoc', 'acceptanceDoc', 'status'];
    const at = { file: '项目库.xlsx' };
    const fs = only(run([proj({ fundPlanDoc: undefined }, { fields, at }), proj({ projectNo: 'P002', fundPlanDoc: undefined }, { fields, at })]), 'PROJ-01');
    expect(fs.map((f) => [f.code, f.field, f.severity])).toEqual([['no_column', 'fundPlanDoc', 'info']]);
    expect(fs[0]!.projectNo).toBeUndefined();
    expect(fs[0]!.householdNo).toBeUndefined();
    expect(fs[0]!.at).toEqual({ file: '项目库.xlsx', sheet: 'Sheet1' });
    expect(fs[0]!.params?.['count']).toBe(2);
    expect(fs[0]!.message).toContain('没有“');
    expect(fs[0]!.message).toContain('无法检查');
  });
});

describe('PROJ-01/02/03 columns absent from the export', () => {
  // a bare export: keys, status and the three amounts only
  const fields = ['projectNo', 'projectName', 'projectType', 'status', 'startOn', 'endOn', 'totalAmount', 'fiscalAmount'];
  const bare = (over: Partial<Record<keyof ProjectValues, unknown>> = {}) =>
    proj({ fundPlanDoc: undefined, feasibilityDoc: undefined, acceptanceDoc: undefined, content: undefined, noticeUrl: undefined, noticeAmount: undefined, ...over }, { fields, at: { file: '简表.xlsx' } });

  it('no per-project errors, one info note per absent field', () => {
    const fs = run([bare(), bare({ projectNo: 'P002' }), bare({ projectNo: 'P003', status: '在建', endOn: undefined })]);
    expect(fs.filter((f) => f.severity !== 'info')).toEqual([]);
    const key = (x: unknown[]): string => x.join('|');
    expect(fs.map((f) => key([f.rule, f.field, f.code, f.params?.['count']])).sort()).toEqual(
      [
        ['PROJ-01', 'acceptanceDoc', 'no_column', 2],
        ['PROJ-01', 'feasibilityDoc', 'no_column', 3],
        ['PROJ-01', 'fundPlanDoc', 'no_column', 3],
        ['PROJ-02', 'content', 'no_column', 3],
        ['PROJ-03', 'noticeAmount', 'no_column', 3],
        ['PROJ-03', 'noticeUrl', 'no_column', 3],
      ]
        .map(key)
        .sort(),
    );
    expect(fs.every((f) => f.projectNo === undefined && f.at?.file === '简表.xlsx')).toBe(true);
  });

  it('empty cells are still errors where the column exists; absent date columns are noted too', () => {
    const fs = only(run([bare({ startOn: undefined, endOn: undefined })]), 'PROJ-02');
    expect(fs.filter((f) => f.severity === 'error').map((f) => f.code).sort()).toEqual(['end_missing', 'start_missing']);
    const allButDates = ['projectNo', 'projectName', 'projectType', 'status', 'content', 'fundPlanDoc', 'feasibilityDoc', 'acceptanceDoc', 'noticeUrl', 'noticeAmount', 'totalAmount', 'fiscalAmount'];
    const noDates = proj({ startOn: undefined, endOn: undefined }, { fields: allButDates });
    expect(only(run([noDates]), 'PROJ-02').map((f) => [f.field, f.code, f.severity]).sort()).toEqual([
      ['endOn', 'no_column', 'info'],
      ['startOn', 'no_column', 'info'],
    ]);
  });
});

describe('PROJ-02 content and dates', () => {
  it('reports missing content', () => {
    const fs = only(run([proj({ content: '  ' })]), 'PROJ-02');
    expect(fs.map((f) => f.code)).toEqual(['content_missing']);
  });

  it('start date is required unless 未开工; end date only when 已完工/已验收', () => {
    expect(only(run([proj({ status: '在建', startOn: undefined, endOn: undefined })]), 'PROJ-02').map((f) => f.code)).toEqual([
      'start_missing',
    ]);
    expect(
      only(run([proj({ status: '未开工', startOn: undefined, endOn: undefined, acceptanceDoc: undefined })]), 'PROJ-02'),
    ).toEqual([]);
    expect(only(run([proj({ status: '已完工', endOn: undefined })]), 'PROJ-02').map((f) => f.code)).toEqual(['end_missing']);
    expect(only(run([proj({ status: '在建', endOn: undefined })]), 'PROJ-02')).toEqual([]);
  });

  it('end before start is reported; partial dates compare start→first day, end→last day', () => {
    const fs = only(run([proj({ startOn: pd('2019-05-01'), endOn: pd('2019-04-30') })]), 'PROJ-02');
    expect(fs.map((f) => [f.code, f.field])).toEqual([['end_before_start', 'endOn']]);
    expect(fs[0]!.message).toContain('早于开工时间2019-05-01');
    // end given as the same month as the start day is not "before"
    expect(only(run([proj({ startOn: pd('2019-05-20'), endOn: pd('2019-05') })]), 'PROJ-02')).toEqual([]);
  });

  it('dates after the as-of date are reported; an end month that closes on as-of is not', () => {
    const late = only(run([proj({ status: '在建', startOn: pd('2020-05-01'), endOn: undefined })]), 'PROJ-02');
    expect(late.map((f) => f.code)).toEqual(['start_after_as_of']);
    expect(late[0]!.message).toContain('2020-04-30');
    expect(only(run([proj({ startOn: pd('2020-01'), endOn: pd('2020-04') })]), 'PROJ-02')).toEqual([]);
    expect(only(run([proj({ startOn: pd('2020-01'), endOn: pd('2020-05') })]), 'PROJ-02').map((f) => f.code)).toEqual([
      'end_after_as_of',
    ]);
    // as-of comes from the run, never the wall clock
    expect(only(run([proj({ startOn: pd('2020-01'), endOn: pd('2020-05') })], '2020-06-30'), 'PROJ-02')).toEqual([]);
  });

  it('an unreadable date is reported as such, not as missing', () => {
    const fs = only(run([proj({ startOn: undefined }, { bad: { startOn: '去年三月' } })]), 'PROJ-02');
    expect(fs.map((f) => [f.code, f.value])).toEqual([['start_unreadable', '去年三月']]);
  });
});

describe('PROJ-03 notice', () => {
  it('accepts http and https URLs with a host only', () => {
    expect(isHttpUrl('https://www.gov.cn/a?b=1')).toBe(true);
    expect(isHttpUrl(' http://10.1.2.3:8080/gs ')).toBe(true);
    expect(isHttpUrl('ftp://www.gov.cn/a')).toBe(false);
    expect(isHttpUrl('http://')).toBe(false);
    expect(isHttpUrl('www.gov.cn/a')).toBe(false);
    expect(isHttpUrl('已公示')).toBe(false);
  });

  it('reports a missing URL and a missing notice amount', () => {
    const fs = only(run([proj({ noticeUrl: undefined, noticeAmount: undefined })]), 'PROJ-03');
    expect(fs.map((f) => [f.code, f.field])).toEqual([
      ['notice_amount_missing', 'noticeAmount'],
      ['url_missing', 'noticeUrl'],
    ]);
  });

  it('reports a URL that is not http(s), suggesting the scheme when it was only left off', () => {
    const noScheme = only(run([proj({ noticeUrl: 'www.yuanling.gov.cn/gs/1.html' })]), 'PROJ-03');
    expect(noScheme.map((f) => [f.code, f.expected])).toEqual([['url_invalid', 'http://www.yuanling.gov.cn/gs/1.html']]);
    const text = only(run([proj({ noticeUrl: '村务公开栏' })]), 'PROJ-03');
    expect(text.map((f) => [f.code, f.expected])).toEqual([['url_invalid', undefined]]);
    expect(text[0]!.message).toContain('不是有效的http(s)网址');
  });
});

describe('PROJ-04 amounts', () => {
  it('an unreadable amount cell is reported as an abnormal value, not a crash', () => {
    const fs = run([proj({ totalAmount: undefined }, { bad: { totalAmount: '约一百万' } })]);
    const p4 = only(fs, 'PROJ-04');
    expect(p4.map((f) => [f.code, f.field, f.value])).toEqual([['unreadable', 'totalAmount', '约一百万']]);
    expect(p4[0]!.message).toContain('无法识别为金额');
  });

  it('an unreadable notice amount is PROJ-04, not PROJ-03 "missing"', () => {
    const fs = run([proj({ noticeAmount: undefined }, { bad: { noticeAmount: '见公示' } })]);
    expect(only(fs, 'PROJ-03')).toEqual([]);
    expect(only(fs, 'PROJ-04').map((f) => [f.code, f.field])).toEqual([['unreadable', 'noticeAmount']]);
  });

  it('notice amount equal within 0.01 万元 passes; beyond it is reported', () => {
    expect(only(run([proj({ fiscalAmount: 12.5, noticeAmount: 12.51, totalAmount: 20 })]), 'PROJ-04')).toEqual([]);
    expect(only(run([proj({ fiscalAmount: 12.5, noticeAmount: 12.49, totalAmount: 20 })]), 'PROJ-04')).toEqual([]);
    const fs = only(run([proj({ fiscalAmount: 12.5, noticeAmount: 12.52, totalAmount: 20 })]), 'PROJ-04');
    expect(fs.map((f) => [f.code, f.value, f.expected])).toEqual([['notice_mismatch', 12.52, 12.5]]);
    expect(fs[0]!.message).toContain('财政专项扶贫资金12.5万元');
  });

  it('without a fiscal amount the notice amount is compared with the total', () => {
    expect(only(run([proj({ fiscalAmount: undefined, totalAmount: 100, noticeAmount: 100 })]), 'PROJ-04')).toEqual([]);
    const fs = only(run([proj({ fiscalAmount: undefined, totalAmount: 100, noticeAmount: 80 })]), 'PROJ-04');
    expect(fs.map((f) => [f.code, f.params?.['refField']])).toEqual([['notice_mismatch', 'totalAmount']]);
    // an unreadable fiscal amount is not "absent": no comparison with the total
    const bad = only(run([proj({ fiscalAmount: undefined, noticeAmount: 80 }, { bad: { fiscalAmount: '八十' } })]), 'PROJ-04');
    expect(bad.map((f) => f.code)).toEqual(['unreadable']);
  });

  it('amounts ≤ 0 and fiscal over total are reported', () => {
    const zero = only(run([proj({ totalAmount: 0, fiscalAmount: -5, noticeAmount: -5 })]), 'PROJ-04');
    expect(zero.map((f) => [f.code, f.field])).toEqual([
      ['not_positive', 'fiscalAmount'],
      ['not_positive', 'noticeAmount'],
      ['not_positive', 'totalAmount'],
    ]);
    const over = only(run([proj({ totalAmount: 50, fiscalAmount: 80, noticeAmount: 80 })]), 'PROJ-04');
    expect(over.map((f) => [f.code, f.field])).toEqual([['fiscal_over_total', 'fiscalAmount']]);
    expect(over[0]!.message).toContain('超过总投资50万元');
  });
});

describe('PROJ fingerprints', () => {
  it('are per project and sub-problem, independent of row position', () => {
    const a = run([proj({ fundPlanDoc: undefined }, { at: { row: 5 } })]);
    const b = run([proj({ fundPlanDoc: undefined }, { at: { row: 90 } })]);
    expect(a[0]!.fingerprint).toBe(b[0]!.fingerprint);
    const c = run([proj({ fundPlanDoc: undefined, projectNo: 'P002' })]);
    expect(c[0]!.fingerprint).not.toBe(a[0]!.fingerprint);
  });
});

describe('PROJ-02 end written as a year', () => {
  it('a 完工时间 of the as-of year is not "after as-of"; the next year is', () => {
    const mk = (end: string) =>
      runRules([row<ProjectValues>('projects', { projectNo: 'P1', projectName: '道路', projectType: '基础设施', status: '已完工', content: '修路', startOn: pd('2019-03-01'), endOn: pd(end) })], { rules: projectRules })
        .filter((f) => f.rule === 'PROJ-02' && f.code === 'end_after_as_of');
    expect(mk('2020')).toEqual([]);
    expect(mk('2021')).toHaveLength(1);
  });
  it('a 完工时间 of the as-of year is a suspect: only its written precision puts it after as-of (SPEC §3.0)', () => {
    const fs = runRules([row<ProjectValues>('projects', { projectNo: 'P1', projectName: '道路', projectType: '基础设施', status: '已完工', content: '修路', startOn: pd('2019-03-01'), endOn: pd('2020') })], { rules: projectRules })
      .filter((f) => f.rule === 'PROJ-02');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'end_coarse_after_as_of', severity: 'suspect', field: 'endOn' });
    expect(fs[0]!.message).toContain('完工时间只写了“2020”，按当年最后一天 2020-12-31 计晚于核查基准日2020-04-30');
  });
});
