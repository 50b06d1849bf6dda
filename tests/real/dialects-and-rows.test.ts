// 与户主关系 code dialects decided per column, instruction rows, and what real layouts need from the
// rules: absent columns give one note, records without a key keep their own findings, monitoring
// statuses are known values that 贫困户-only rules skip with one note per sheet.
import { describe, expect, it } from 'vitest';
import { decideRelationDialect, relationCode, relationLabel } from '../../src/normalize/dialect.js';
import { isInstructionRow } from '../../src/ingest/instruction.js';
import { lookup } from '../../src/normalize/dictionaries.js';
import { fingerprint } from '../../src/engine/fingerprint.js';
import { ingest, writeTmp } from '../ingest/helpers.js';
import { id, row } from '../helpers/rows.js';
import { runRules } from '../helpers/engine.js';
import type { MemberRow } from '../../src/schema/rows.js';
import { pid, badCheck } from '../fixtures/real/people.js';

const obs = (pairs: [string, string][]) => pairs.map(([household, code]) => ({ household, code }));

describe('与户主关系 dialect', () => {
  it('reads codes in either list', () => {
    expect(relationCode('1')).toBe('01');
    expect(relationCode(2)).toBe('02');
    expect(relationCode('03.0')).toBe('03');
    expect(relationCode('户主')).toBeUndefined();
    expect(relationLabel('national', '01')).toBe('户主');
    expect(relationLabel('national', '02')).toBe('配偶');
    expect(relationLabel('national', '04')).toBe('之女');
    expect(relationLabel('national', '20')).toBe('之外祖母');
    expect(relationLabel('gbt4761', '02')).toBe('户主');
    expect(relationLabel('gbt4761', '10')).toBe('配偶');
    expect(relationLabel('gbt4761', '04')).toBeUndefined();
  });
  it("'02' once per household and '01' never → GB/T 4761", () => {
    const d = decideRelationDialect(obs([['a', '02'], ['a', '10'], ['a', '20'], ['b', '02'], ['b', '30'], ['c', '02']]));
    expect(d.dialect).toBe('gbt4761');
  });
  it("'01' once per household → national, even with only shared codes", () => {
    const d = decideRelationDialect(obs([['a', '01'], ['a', '02'], ['a', '11'], ['b', '01'], ['b', '12'], ['c', '01'], ['c', '02']]));
    expect(d.dialect).toBe('national');
  });
  it('a code only one list defines settles it', () => {
    expect(decideRelationDialect(obs([['a', '02'], ['a', '03']])).dialect).toBe('national');
    expect(decideRelationDialect(obs([['a', '01'], ['a', '38']])).dialect).toBe('gbt4761');
  });
  it('without households, the more frequent head code decides', () => {
    expect(decideRelationDialect([{ household: undefined, code: '01' }, { household: undefined, code: '01' }, { household: undefined, code: '02' }]).dialect).toBe('national');
  });

  const csv = (codes: string[][]) =>
    '户编号,姓名,证件号码,与户主关系\n' + codes.map(([hh, name, n, code]) => `${hh},${name},${pid(Number(n), Number(n) % 2 === 1)},${code}`).join('\n') + '\n';

  it('decided from the whole column and recorded in the sheet accounting (national list)', async () => {
    const c = await ingest(writeTmp('m.csv', csv([['A', '甲', '1', '01'], ['A', '乙', '2', '02'], ['A', '丙', '3', '03'], ['B', '丁', '5', '01'], ['B', '戊', '6', '02']])));
    const rels = (c.rows.filter((r) => r.table === 'members') as MemberRow[]).map((r) => r.v.relation);
    expect(rels).toEqual(['户主', '配偶', '之子', '户主', '配偶']);
    expect(c.acc.sheets[0]!.dialects?.['relation']?.dialect).toBe('national');
  });
  it('the same codes with GB/T 4761 meanings when the column says so', async () => {
    const c = await ingest(writeTmp('m.csv', csv([['A', '甲', '1', '02'], ['A', '乙', '2', '10'], ['A', '丙', '3', '20'], ['B', '丁', '5', '02'], ['B', '戊', '6', '12']])));
    const rels = (c.rows.filter((r) => r.table === 'members') as MemberRow[]).map((r) => r.v.relation);
    expect(rels).toEqual(['户主', '配偶', '之子', '户主', '配偶']);
    expect(c.acc.sheets[0]!.dialects?.['relation']?.dialect).toBe('gbt4761');
  });
  it('a code the decided list does not define is unreadable (BASE-02), not guessed', async () => {
    const c = await ingest(writeTmp('m.csv', csv([['A', '甲', '1', '01'], ['A', '乙', '2', '03'], ['A', '丙', '3', '55']])));
    const m = c.rows.filter((r) => r.table === 'members') as MemberRow[];
    expect(c.acc.sheets[0]!.dialects?.['relation']?.dialect).toBe('national');
    expect(m[2]!.v.relation).toBeUndefined();
    expect(m[2]!.bad?.relation).toBe('55');
  });
});

describe('instruction rows', () => {
  it.each([
    [['必填', '必填', '18位数字', '01:户主 02:配偶 03:之子 04:之女']],
    [['填写说明：带*为必填项']],
    [['文本', '文本', '日期', '数字']],
    [['示例', '张三', pid(1, true), '户主']],
    [['格式:YYYY-MM-DD']],
    [['只能填写是/否', '按实际单位名称填写']],
    [['1-男，2-女', '']],
  ])('%j is an instruction row', (cells) => {
    expect(isInstructionRow(cells)).toBe(true);
  });
  it.each([
    [['H001', '张三', pid(1, true), '户主', '备注：未填写电话']],
    [['H001', '张三', pid(1, true), '户主']],
    [['1', '2016-03-01', '是', '13900001111']],
  ])('%j is data', (cells) => {
    expect(isInstructionRow(cells, [2])).toBe(false);
  });
  it('are their own bucket and never data', async () => {
    const text =
      '户编号,姓名,证件号码,与户主关系\n' +
      '必填,必填,必填（18位）,01:户主 02:配偶 03:之子 04:之女\n' +
      `H1,甲,${pid(1, true)},01\n` +
      `H1,乙,${pid(2, false)},02\n`;
    const c = await ingest(writeTmp('t.csv', text));
    const s = c.acc.sheets[0]!;
    expect(s.buckets).toMatchObject({ header: 1, instruction: 1, data: 2 });
    expect(c.rows.filter((r) => r.table === 'members')).toHaveLength(2);
  });
});

describe('absent is not empty', () => {
  it('a residency list without an ID column: one HELPER-01 note, no finding per row', () => {
    const rows = [1, 2, 3].map((i) =>
      row('residencies', { village: '白竹村', name: `书记${i}`, role: '第一书记', dispatchUnit: '县委', startOn: { y: 2018, m: 1, d: 1 } }, { fields: ['village', 'name', 'role', 'dispatchUnit', 'startOn'], at: { file: 'r.xlsx' } }),
    );
    const f = runRules(rows).filter((x) => x.rule === 'HELPER-01');
    expect(f).toHaveLength(1);
    expect(f[0]!.code).toBe('no_column');
    expect(f[0]!.severity).toBe('info');
  });
  it('one note per sheet and field: two residency sheets without an ID column give two notes with their own fingerprints', () => {
    const r = (file: string, i: number) =>
      row('residencies', { village: '白竹村', name: `书记${i}`, role: '第一书记', dispatchUnit: '县委', startOn: { y: 2018, m: 1, d: 1 } }, { fields: ['village', 'name', 'role', 'dispatchUnit', 'startOn'], at: { file } });
    const f = runRules([r('a.xlsx', 1), r('a.xlsx', 2), r('b.xlsx', 3)]).filter((x) => x.rule === 'HELPER-01');
    expect(f.map((x) => [x.at?.file, x.params?.['count']])).toEqual([['a.xlsx', 2], ['b.xlsx', 1]]);
    expect(new Set(f.map((x) => x.fingerprint)).size).toBe(2);
  });
  it('a pairing list without a helper ID column: one PAIR-08 note', () => {
    const rows = [1, 2].map((i) =>
      row('pairings', { householdNo: `H${i}`, helperName: '某', startOn: { y: 2018, m: 1, d: 1 } }, { fields: ['householdNo', 'helperName', 'startOn'] }),
    );
    const f = runRules(rows).filter((x) => x.rule === 'PAIR-08');
    expect(f.map((x) => [x.code, x.severity])).toEqual([['no_column', 'info']]);
  });
  it('projects without 项目编号 keep findings of their own', () => {
    const p = (name: string) =>
      row('projects', { projectName: name, projectType: '基础设施', status: '未开工', content: '修路' }, { fields: ['projectName', 'projectType', 'status', 'content', 'fundPlanDoc'] });
    const f = runRules([p('甲村道路'), p('乙村道路')]).filter((x) => x.rule === 'PROJ-01' && x.code !== 'no_column');
    expect(f).toHaveLength(2);
    expect(new Set(f.map((x) => x.fingerprint)).size).toBe(2);
    // a numbered project's fingerprint does not change
    expect(fingerprint({ rule: 'PROJ-01', projectNo: 'X1', field: 'fundPlanDoc' })).toBe(fingerprint({ rule: 'PROJ-01', projectNo: 'X1', field: 'fundPlanDoc' }));
  });
});

describe('head ID numbers wherever written', () => {
  it('a household-only sheet’s head ID gets ID-02/ID-03/ID-10', () => {
    const hh = (no: string, text: string) => row('households', { householdNo: no, headName: '某', headId: id(text) }, { fields: ['householdNo', 'headName', 'headId'] });
    const f = runRules([hh('A', '12345'), hh('B', badCheck(pid(3, true))), hh('C', pid(4, true) + '00'), hh('D', '4.30524E+17'), hh('E', pid(5, true))]);
    const got = f.filter((x) => x.field === 'headId' && x.severity !== 'info').map((x) => `${x.householdNo}:${x.rule}`);
    expect(got).toEqual(expect.arrayContaining(['A:ID-02', 'B:ID-03', 'C:ID-02', 'D:ID-10']));
    expect(got.some((x) => x.startsWith('E:'))).toBe(false);
  });
  it('a head ID also on a member row is checked once, there', () => {
    const bad = badCheck(pid(3, true));
    const f = runRules([
      row('members', { householdNo: 'A', name: '某', idNumber: id(bad), relation: '户主' }),
      row('households', { householdNo: 'A', headName: '某', headId: id(bad) }, { fields: ['householdNo', 'headName', 'headId'] }),
    ]).filter((x) => x.rule === 'ID-03');
    expect(f).toHaveLength(1);
    expect(f[0]!.field).toBe('idNumber');
  });
});

describe('monitoring-era statuses (2021 on)', () => {
  it.each(['监测户', '监测对象', '边缘易致贫户', '脱贫不稳定户', '突发严重困难户'])('%s is a known status', (s) => {
    expect(lookup('status', s)).toBeDefined();
  });
  it('are never BASE-02, skip 贫困户-only rules, and say so once per sheet', () => {
    const rows = ['A', 'B', 'C'].map((no) =>
      row(
        'households',
        { householdNo: no, status: '监测对象', monitoringType: '边缘易致贫户', identifiedOn: { y: 2022 }, mainCause: '因病', incomePerCapita: 7000 },
        { fields: ['householdNo', 'status', 'monitoringType', 'identifiedOn', 'povertyAttribute', 'mainCause', 'incomePerCapita'], at: { file: 'jc.xlsx' } },
      ),
    );
    rows.push(row('pairings', { householdNo: 'X', helperId: id(pid(9, true)), startOn: { y: 2018, m: 1, d: 1 } }));
    const f = runRules(rows, { asOf: '2024-06-30' });
    expect(f.filter((x) => x.rule === 'BASE-02')).toEqual([]);
    expect(f.filter((x) => x.rule === 'PAIR-01' && ['A', 'B', 'C'].includes(x.householdNo ?? ''))).toEqual([]);
    expect(f.filter((x) => x.rule === 'BASE-01' && x.field === 'povertyAttribute')).toEqual([]);
    const notes = f.filter((x) => x.code === 'monitoring_skipped');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.severity).toBe('info');
    expect(notes[0]!.message).toContain('3 户');
  });
});

describe('other coded columns know the national system’s codes', () => {
  it.each([
    ['health', '01', '健康'], ['health', '4', '残疾'], ['laborSkill', '01', '普通劳动力'], ['laborSkill', '04', '无劳动力'],
  ] as const)('%s %s → %s', (dict, code, label) => {
    expect(lookup(dict, code)).toBe(label);
  });
});

describe('households linked across layouts by the head’s ID number', () => {
  it('members keyed by 户主身份证号 join the household a households sheet names by 户编号', () => {
    const head = pid(41, true);
    const mem = (name: string, n: string, relation: string) =>
      row('members', { householdNo: head, headId: id(head), name, idNumber: id(n), relation, gender: Number(n[16]) % 2 === 1 ? '男' : '女', health: ['健康'], laborSkill: '普通劳动力' }, { fields: ['headId', 'name', 'idNumber', 'relation', 'gender', 'health', 'laborSkill'], at: { file: 'm.xlsx' } });
    const f = runRules([
      mem('甲', head, '户主'),
      mem('乙', pid(42, false), '配偶'),
      row('households', { householdNo: 'H9', headId: id(head), householdSize: 2 }, { fields: ['householdNo', 'headId', 'householdSize'], at: { file: 'h.xlsx' } }),
    ]);
    expect(f.filter((x) => x.rule === 'BASE-04')).toEqual([]);
    expect(f.filter((x) => x.rule === 'BASE-03')).toEqual([]);
  });
  it('a residency form’s 是否第一书记 / 是否队长 columns give the role', async () => {
    const text =
      '行政村,姓名,证件号码,是否队长,是否第一书记,驻村开始时间,派出单位\n' +
      `白竹村,甲,${pid(1, true)},否,是,2018-03-01,县委\n` +
      `白竹村,乙,${pid(2, false)},是,否,2018-03-01,县委\n` +
      `白竹村,丙,${pid(3, true)},否,否,2018-03-01,县委\n`;
    const c = await ingest(writeTmp('r.csv', text));
    const roles = c.rows.filter((r) => r.table === 'residencies').map((r) => (r.v as { role?: string }).role);
    expect(roles).toEqual(['第一书记', '工作队队长', '工作队员']);
  });
});

describe('column-number rows of printed forms', () => {
  it.each([[[1, 2, 3, 4, 5, 6]], [['甲', '乙', '1', '2', '3', '4']], [['(1)', '(2)', '(3)', '(4)']], [['栏次', '1', '2']]])('%j is not data', (cells) => {
    expect(isInstructionRow(cells)).toBe(true);
  });
  it.each([[[1, 2016, 3, 4]], [['1', 'H001', '张三', '户主']], [[3, 4]]])('%j is data', (cells) => {
    expect(isInstructionRow(cells)).toBe(false);
  });
});

describe('a pairing export whose only ID column is the head’s', () => {
  it('is a pairing sheet (not a helper list): one FILE-02 for the helper’s ID, head IDs checked, no helper made of the head', async () => {
    const text = '户主姓名,证件号码,帮扶责任人,帮扶单位,联系电话,结对时间\n' + `甲,${badCheck(pid(1, true))},乙,县委,13900001111,2016-03-01\n` + `丙,${pid(2, true)},乙,县委,13900001111,2016-03-01\n`;
    const c = await ingest(writeTmp('p.csv', text));
    expect(c.acc.sheets[0]!.tables).toEqual(['pairings', 'helpers']);
    expect(c.findings.filter((f) => f.rule === 'FILE-02')).toHaveLength(1);
    const helpers = c.rows.filter((r) => r.table === 'helpers') as { v: { helperId?: unknown } }[];
    expect(helpers.every((r) => r.v.helperId === undefined)).toBe(true);
    const f = runRules(c.rows);
    expect(f.filter((x) => x.rule === 'PAIR-05')).toEqual([]);
    expect(f.filter((x) => x.rule === 'ID-03' && x.field === 'headId')).toHaveLength(1);
  });
});
