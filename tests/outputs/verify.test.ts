import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import ExcelJS from '../../src/exceljs.js';
import type { ResolvedFinding } from '../../src/model.js';
import { ISSUE_HEADERS, writeCorrectionWorkbooks } from '../../src/outputs/workbook.js';
import { readCorrections, CorrectionsFileError } from '../../src/verify/read-corrections.js';
import {
  judge,
  judgeOne,
  normalizeResult,
  ruleIdOf,
  scopeOf,
  verificationJson,
  villageVerification,
  type CorrectionRow,
} from '../../src/outputs/verify.js';
import { input, tempDir, removeTempDirs, village } from './fixtures.js';
import { fillWorkbook, scenario } from './scenario.js';

afterAll(removeTempDirs);

function rowOf(x: ResolvedFinding, extra: Partial<CorrectionRow> = {}): CorrectionRow {
  return {
    file: 't.xlsx',
    sheet: '问题清单',
    row: 2,
    fingerprint: x.fingerprint,
    rule: x.rule,
    county: x.region?.county ?? '',
    township: x.region?.township ?? '',
    village: x.region?.village ?? '',
    householdNo: x.householdNo ?? '',
    name: x.name ?? '',
    idNumber: x.idNumber ?? '',
    field: '',
    result: '',
    ...extra,
  };
}

describe('judge (pure)', () => {
  it('judges each row by presence in the fresh findings and what the clerk wrote', () => {
    const s = scenario();
    const rows = s.all
      .filter((x) => x !== s.f.deleted)
      .map((x) => {
        const fl = s.fill[x.fingerprint] ?? {};
        return rowOf(x, { result: normalizeResult(fl.result ?? '').result, remark: fl.remark ?? '' });
      })
      .reverse(); // re-sorted
    const out = judge(rows, s.fresh, scopeOf(rows, []));
    const got = Object.fromEntries(out.rows.map((j) => [j.fingerprint, j.judgement]));
    expect(got).toEqual(s.expected);
    // the deleted row and the brand-new finding are new; the other township's finding is out of scope
    expect(out.newFindings.map((x) => x.fingerprint).sort()).toEqual([s.f.deleted.fingerprint, s.brandNew.fingerprint].sort());
    expect(out.entityMatched).toBe(0);
  });

  it('judgement table', () => {
    expect(judgeOne({ result: '数据无误', remark: '有依据' }, false)).toBe('已整改');
    expect(judgeOne({ result: '数据无误', remark: '有依据' }, true)).toBe('已说明');
    expect(judgeOne({ result: '数据无误', remark: '  ' }, true)).toBe('待核实');
    expect(judgeOne({ result: '已修正' }, true)).toBe('未整改');
    expect(judgeOne({ result: '无法核实' }, true)).toBe('待核实');
    expect(judgeOne({ result: '' }, true)).toBe('待核实');
    expect(judgeOne({ result: '' }, false)).toBe('已整改');
  });

  it('normalises what the clerk wrote, Traditional characters included', () => {
    expect(normalizeResult(' 已修正 ').result).toBe('已修正');
    expect(normalizeResult('數據無誤').result).toBe('数据无误');
    expect(normalizeResult('无法核实').result).toBe('无法核实');
    expect(normalizeResult('好了')).toEqual({ result: '', raw: '好了' });
    expect(ruleIdOf('ID-03 校验码错误')).toBe('ID-03');
    expect(ruleIdOf('ＢＡＳＥ－０１ 关键指标缺失')).toBe('BASE-01');
  });

  it('the same fingerprint in two workbooks counts once, the filled row wins', () => {
    const s = scenario();
    const a = rowOf(s.f.claimedFixed, { file: 'a.xlsx' });
    const b = rowOf(s.f.claimedFixed, { file: 'b.xlsx', result: '已修正' });
    const out = judge([a, b], s.fresh);
    expect(out.rows).toHaveLength(1);
    expect(out.rows[0]!.row.file).toBe('b.xlsx');
    expect(out.rows[0]!.judgement).toBe('未整改');
    // a finding in two 台账 is expected (a helper serving two townships is in both): no warning
    expect(out.duplicates).toBe(0);
    // the same 台账 row twice in one file is worth a note
    expect(judge([a, { ...a, row: a.row + 1 }], s.fresh).duplicates).toBe(1);
  });

  it('falls back to rule + entity key when rows have no fingerprint', () => {
    const s = scenario();
    const rows = [
      rowOf(s.f.fixed, { fingerprint: undefined, field: '证件号码', result: '已修正' }),
      rowOf(s.f.claimedFixed, { fingerprint: undefined, field: '性别', result: '已修正' }),
    ];
    const out = judge(rows, s.fresh);
    expect(out.rows.map((j) => j.judgement)).toEqual(['已整改', '未整改']);
    expect(out.rows.every((j) => j.matchedBy === 'entity')).toBe(true);
    expect(out.rows[1]!.fingerprint).toBe(s.f.claimedFixed.fingerprint);
    expect(out.entityMatched).toBe(2);
  });

  it('per village: completion rate, score before and after; verification.json has the SPEC shape', () => {
    const s = scenario();
    const rows = s.all.filter((x) => x !== s.f.deleted).map((x) => {
      const fl = s.fill[x.fingerprint] ?? {};
      return rowOf(x, { result: normalizeResult(fl.result ?? '').result, remark: fl.remark ?? '' });
    });
    const out = judge(rows, s.fresh, scopeOf(rows, []));
    const before = [
      { county: '测试县', township: '城关镇', village: '一村', score: 333 },
      { county: '测试县', township: '城关镇', village: '二村', score: 200 },
    ];
    const after = [village({ village: '一村', score: 700 }), village({ village: '二村', score: 450 })];
    const vs = villageVerification(out.rows, out.newFindings, before, after);
    const one = vs.find((v) => v.village === '一村')!;
    expect(one).toMatchObject({ findings: 3, fixed: 1, explained: 1, notFixed: 1, pending: 0, open: 1, completionRate: 0.6667, scoreBefore: 333, scoreAfter: 700, newFindings: 1 });
    const two = vs.find((v) => v.village === '二村')!;
    expect(two).toMatchObject({ findings: 4, fixed: 1, explained: 0, open: 3, completionRate: 0.25, scoreBefore: 200, scoreAfter: 450, newFindings: 1 });
    const json = verificationJson('2020-06-30', out.rows, vs, out.newFindings);
    expect(Object.keys(json)).toEqual(['asOf', 'rows', 'villages', 'newFindings']);
    expect(Object.keys(json.rows[0]!)).toEqual(['fingerprint', 'rule', 'village', 'household_no', 'result', 'judgement']);
    expect(json.villages[0]).toEqual(expect.objectContaining({ village: '二村', findings: 4, fixed: 1, explained: 0, open: 3, completionRate: 0.25, scoreBefore: 200, scoreAfter: 450 }));
    expect(json.newFindings[0]).toEqual(expect.objectContaining({ rule: expect.any(String), fingerprint: expect.any(String), household_no: expect.any(String), message: expect.any(String) }));
  });
});

describe('verify round trip through a written workbook', () => {
  it('reads a filled, re-sorted workbook with a deleted row and judges every row as expected', async () => {
    const s = scenario();
    const dir = await tempDir('vr');
    const [path] = await writeCorrectionWorkbooks(input(s.all, [village({ village: '一村', score: 333 }), village({ village: '二村', score: 200 })]), dir, 'township');
    const filled = join(dir, '整改台账_已填.xlsx');
    await fillWorkbook(path!, filled, s.fill, { deleteFp: s.f.deleted.fingerprint });
    const read = await readCorrections(filled);
    expect(read.hasFingerprint).toBe(true);
    expect(read.rows).toHaveLength(7);
    expect(read.missingSeq).toHaveLength(1);
    expect(read.before).toEqual([
      { file: read.file, county: '测试县', township: '城关镇', village: '二村', households: 10, score: 200 },
      { file: read.file, county: '测试县', township: '城关镇', village: '一村', households: 10, score: 333 },
    ]);
    const explainedRow = read.rows.find((r) => r.fingerprint === s.f.explained.fingerprint)!;
    expect(explainedRow).toMatchObject({ result: '数据无误', remark: '经入户核实，致贫原因属实', verifier: '王五', verifiedOn: '2020-06-01', rule: 'BASE-01', householdNo: 'H002' });
    // a hostile value came back as the text it was
    expect(read.rows.find((r) => r.fingerprint === s.f.claimedFixed.fingerprint)!.value).toBe('=1+1');
    const out = judge(read.rows, s.fresh, scopeOf(read.rows, read.before));
    expect(Object.fromEntries(out.rows.map((j) => [j.fingerprint, j.judgement]))).toEqual(s.expected);
    expect(out.newFindings.map((x) => x.fingerprint).sort()).toEqual([s.f.deleted.fingerprint, s.brandNew.fingerprint].sort());
  });

  it('without the fingerprint column matches by rule + entity key with the same judgements', async () => {
    const s = scenario();
    const dir = await tempDir('vr2');
    const [path] = await writeCorrectionWorkbooks(input(s.all, [village({ village: '一村' }), village({ village: '二村' })]), dir, 'township');
    const filled = join(dir, '整改台账_无指纹.xlsx');
    await fillWorkbook(path!, filled, s.fill, { deleteFp: s.f.deleted.fingerprint, dropFingerprintColumn: true });
    const read = await readCorrections(filled);
    expect(read.hasFingerprint).toBe(false);
    expect(read.rows.every((r) => r.fingerprint === undefined)).toBe(true);
    const out = judge(read.rows, s.fresh, scopeOf(read.rows, read.before));
    expect(out.entityMatched).toBe(7);
    const byHouseholdRule = Object.fromEntries(out.rows.map((j) => [`${j.row.householdNo}/${j.row.rule}/${j.row.field}`, j.judgement]));
    expect(byHouseholdRule).toEqual({
      'H001/ID-03/证件号码': '已整改',
      'H001/ID-06/性别': '未整改',
      'H002/BASE-01/主要致贫原因': '已说明',
      'H003/BASE-01/主要致贫原因': '待核实',
      'H003/BASE-04/': '待核实',
      'H004/BASE-01/脱贫标志': '待核实',
      'H005/BASE-01/脱贫标志': '已整改',
    });
  });

  it('refuses a file that is not a 整改台账 with a Chinese message', async () => {
    const dir = await tempDir('vr3');
    const p = join(dir, 'x.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Sheet1').addRow(['姓名', '证件号码']);
    await wb.xlsx.writeFile(p);
    await expect(readCorrections(p)).rejects.toThrow(/不是整改台账/);
    const bad = join(dir, 'bad.xlsx');
    await writeFile(bad, 'not a zip');
    await expect(readCorrections(bad)).rejects.toBeInstanceOf(CorrectionsFileError);
    await expect(readCorrections(join(dir, 'missing.xlsx'))).rejects.toThrow(/找不到整改台账/);
  });
});
