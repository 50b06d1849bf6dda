import { describe, expect, it } from 'vitest';
import type { NormalRow, ResolvedFinding } from '../../src/model.js';
import type { HouseholdValues, PairingValues, ResidencyValues, VillageValues } from '../../src/schema/rows.js';
import { pairingRules } from '../../validators/pairing.js';
import { id, pd, row } from '../helpers/rows.js';
import { runRules } from '../helpers/engine.js';

const H1 = '110101195001010011';
const H2 = '110101196002020022';

function hh(no: string, v: Partial<HouseholdValues> = {}): NormalRow {
  return row<HouseholdValues>('households', { village: '红星村', householdNo: no, status: '未脱贫', identifiedOn: pd('2015'), ...v }) as NormalRow;
}

function pair(no: string | undefined, helper: string | undefined, start?: string, end?: string, extra: Partial<PairingValues> = {}): NormalRow {
  const v: PairingValues = { village: '红星村', ...extra };
  if (no) v.householdNo = no;
  if (helper) {
    v.helperId = id(helper);
    v.helperName = '帮扶人' + helper.slice(-2);
  }
  if (start) v.startOn = pd(start);
  if (end) v.endOn = pd(end);
  return row<PairingValues>('pairings', v) as NormalRow;
}

function run(rows: NormalRow[], config?: unknown, asOf?: string): ResolvedFinding[] {
  return runRules(rows, { rules: pairingRules, config, ...(asOf ? { asOf } : {}) });
}

const of = (fs: ResolvedFinding[], rule: string): ResolvedFinding[] => fs.filter((f) => f.rule === rule);

describe('rule metadata', () => {
  it('every PAIR rule has a Chinese title and explanation', () => {
    expect(pairingRules.map((r) => r.id)).toEqual(['PAIR-01', 'PAIR-02', 'PAIR-03', 'PAIR-04', 'PAIR-05', 'PAIR-06', 'PAIR-07', 'PAIR-08', 'PAIR-09']);
    for (const r of pairingRules) {
      expect(r.title).toMatch(/[\u4e00-\u9fa5]/);
      expect(r.explain.length).toBeGreaterThan(30);
    }
  });
});

describe('PAIR-01 household without pairing', () => {
  it('flags a household with no pairing at all, whatever its status', () => {
    const fs = of(run([hh('A', { status: '已脱贫' }), hh('B'), pair('B', H1, '2016-01-01')]), 'PAIR-01');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ householdNo: 'A', code: 'none', severity: 'error' });
    expect(fs[0]!.message).toContain('没有任何结对帮扶记录');
  });
  it('flags 未脱贫 and 返贫 households whose pairings all ended before as-of, not 已脱贫 ones', () => {
    const fs = of(
      run([
        hh('A'),
        pair('A', H1, '2016-01-01', '2019-12-31'),
        hh('B', { status: '返贫' }),
        pair('B', H1, '2016-01-01', '2019-12-31'),
        hh('C', { status: '已脱贫' }),
        pair('C', H1, '2016-01-01', '2019-12-31'),
        hh('D'),
        pair('D', H2, '2016-01-01'), // open-ended: active
      ]),
      'PAIR-01',
    );
    expect(fs.map((f) => [f.householdNo, f.code])).toEqual([
      ['A', 'inactive'],
      ['B', 'inactive'],
    ]);
    expect(fs[0]!.params).toMatchObject({ lastEnd: '2019-12-31', asOf: '2020-04-30' });
    expect(fs[0]!.message).toContain('2019-12-31');
  });
  it('a pairing named by the head ID only resolves through the households head IDs', () => {
    const rows = [
      hh('A', { headId: id(H2) }),
      row<PairingValues>('pairings', { headId: id(H2), helperId: id(H1), startOn: pd('2016-01-01') }) as NormalRow,
    ];
    const fs = run(rows);
    expect(of(fs, 'PAIR-01')).toEqual([]);
    expect(of(fs, 'PAIR-08')).toEqual([]);
  });
});

describe('PAIR-02 pairing dates', () => {
  it('accepts a clean pairing', () => {
    expect(of(run([pair('A', H1, '2016-03-01', '2019-12-31')]), 'PAIR-02')).toEqual([]);
  });
  it('reports each wrong date with its own code', () => {
    const fs = of(
      run([
        pair('A', H1, undefined, '2019-12-31'),
        pair('B', H1, '2018-05-01', '2018-04-30'),
        pair('C', H1, '2020-05-01'),
        pair('D', H1, '2019-01-01', '2020-05-01'),
        pair('E', H1, '2012-12-31', '2014-01-01'),
      ]),
      'PAIR-02',
    );
    expect(fs.map((f) => [f.householdNo, f.code])).toEqual([
      ['A', 'start_missing'],
      ['B', 'end_before_start'],
      ['C', 'start_after_asof'],
      ['D', 'end_after_asof'],
      ['E', 'start_too_early'],
    ]);
    expect(fs.every((f) => f.helperId === H1)).toBe(true);
    expect(fs[1]!.message).toBe('结对帮扶结束时间 2018-04-30 早于开始时间 2018-05-01');
  });
  it('an end written as a year whose last day is after as-of: suspect when only the precision puts it there (SPEC §3.0)', () => {
    const coarse = of(run([pair('A', H1, '2019-01-01', '2020')]), 'PAIR-02');
    expect(coarse).toHaveLength(1);
    expect(coarse[0]).toMatchObject({ code: 'end_coarse_after_asof', severity: 'suspect', params: { end: '2020-12-31', asOf: '2020-04-30', written: '2020' } });
    expect(coarse[0]!.message).toBe(
      '结对帮扶结束时间只写了“2020”，按当年最后一天 2020-12-31 计晚于核查日 2020-04-30；如果实际在核查日或之前结束，请补全到具体日期；如果结对仍在进行，结束时间应为空',
    );
    // a month ending on as-of is not after it
    expect(of(run([pair('A', H1, '2019-01-01', '2020-04')], undefined, '2020-04-30'), 'PAIR-02')).toEqual([]);
    expect(of(run([pair('A', H1, '2019-01-01', '2020-04')], undefined, '2020-04-29'), 'PAIR-02')[0]).toMatchObject({ code: 'end_coarse_after_asof', severity: 'suspect' });
    expect(of(run([pair('A', H1, '2019-01-01', '2019')]), 'PAIR-02')).toEqual([]);
  });
  it('an end certainly after as-of is an error, and says how it was read', () => {
    const fs = of(run([pair('A', H1, '2019-01-01', '2021')]), 'PAIR-02');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'end_after_asof', params: { end: '2021-12-31', endPrecision: 'year' } });
    expect(fs[0]!.message).toContain('结束时间只写到年');
  });
  it('reports an unreadable start cell with its raw text', () => {
    const r = row<PairingValues>('pairings', { householdNo: 'A', helperId: id(H1) }, { bad: { startOn: '去年春天' } }) as NormalRow;
    const fs = of(run([r]), 'PAIR-02');
    expect(fs).toMatchObject([{ code: 'start_invalid', value: '去年春天' }]);
  });
  it('the earliest allowed start is configurable', () => {
    const rows = [pair('A', H1, '2014-06-01', '2016-01-01')];
    expect(of(run(rows), 'PAIR-02')).toEqual([]);
    expect(of(run(rows, { rules: { 'PAIR-02': { earliestStart: '2015-01-01' } } }), 'PAIR-02')).toHaveLength(1);
  });
});

describe('PAIR-03 pairing gaps', () => {
  it('adjacent intervals (end 06-30, next start 07-01) are not a gap', () => {
    const fs = run([pair('A', H1, '2016-01-01', '2017-06-30'), pair('A', H2, '2017-07-01')]);
    expect(of(fs, 'PAIR-03')).toEqual([]);
  });
  it('a month-precision end and start that meet are not a gap (2017-06 then 2017-07)', () => {
    const fs = run([pair('A', H1, '2016-01', '2017-06'), pair('A', H2, '2017-07', '2019-12-31')]);
    expect(of(fs, 'PAIR-03')).toEqual([]);
  });
  it('reports the uncovered days with dates, located at the row that resumes', () => {
    const resume = pair('A', H2, '2017-09-01');
    const fs = of(run([pair('A', H1, '2016-01-01', '2017-06-30'), resume]), 'PAIR-03');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ householdNo: 'A', code: 'gap', value: '2017-07-01 至 2017-08-31', at: resume.at });
    expect(fs[0]!.params).toMatchObject({ gapCount: 1, totalGapDays: 62 });
    expect(fs[0]!.message).toContain('2017-07-01 至 2017-08-31');
  });
  it('an open-ended pairing covers through as-of; overlapping pairings of one household leave no gap', () => {
    const fs = run([
      pair('A', H1, '2016-01-01'),
      pair('A', H2, '2017-01-01', '2018-01-01'),
      pair('A', H2, '2018-06-01', '2019-01-01'),
    ]);
    expect(of(fs, 'PAIR-03')).toEqual([]);
  });
  it('days after as-of are not judged', () => {
    // the later pairing starts after as-of (PAIR-02 reports that); the gap is cut at as-of
    const fs = of(run([pair('A', H1, '2016-01-01', '2020-03-31'), pair('A', H2, '2020-06-01', '2020-12-31')]), 'PAIR-03');
    expect(fs.map((f) => f.value)).toEqual(['2020-04-01 至 2020-04-30']);
    const none = of(run([pair('A', H1, '2016-01-01', '2020-12-31'), pair('A', H2, '2021-03-01', '2021-12-31')]), 'PAIR-03');
    expect(none).toEqual([]);
  });
  it('pairGapDays tolerates short gaps', () => {
    const rows = [pair('A', H1, '2016-01-01', '2017-06-30'), pair('A', H2, '2017-07-10', '2018-01-01')];
    expect(of(run(rows), 'PAIR-03')).toHaveLength(1);
    expect(of(run(rows, { rules: { 'PAIR-03': { pairGapDays: 9 } } }), 'PAIR-03')).toEqual([]);
    expect(of(run(rows, { rules: { 'PAIR-03': { pairGapDays: 8 } } }), 'PAIR-03')).toHaveLength(1);
  });
});

describe('PAIR-04 residency gaps', () => {
  function res(village: string, start?: string, end?: string, v: Partial<ResidencyValues> = {}): NormalRow {
    const x: ResidencyValues = { township: '城关镇', village, name: '驻村干部', idNumber: id(H1), role: '工作队员', dispatchUnit: '县财政局', ...v };
    if (start) x.startOn = pd(start);
    if (end) x.endOn = pd(end);
    return row<ResidencyValues>('residencies', x) as NormalRow;
  }
  function village(name: string, poor: boolean): NormalRow {
    return row<VillageValues>('villages', { township: '城关镇', village: name, isPoorVillage: poor }) as NormalRow;
  }
  it('without a villages table, any village with residency rows is checked; 第一书记 and 工作队 together', () => {
    const fs = of(
      run([
        res('甲村', '2016-01-01', '2017-12-31', { role: '第一书记' }),
        res('甲村', '2018-01-01', '2018-12-31'),
        res('甲村', '2019-03-01'),
        res('乙村', '2016-01-01', '2017-12-31'),
        res('乙村', '2018-01-01'),
      ]),
      'PAIR-04',
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ village: '甲村', value: '2019-01-01 至 2019-02-28', code: 'gap' });
    expect(fs[0]!.householdNo).toBeUndefined();
  });
  it('with a villages table, only 贫困村 are checked; a 贫困村 without any residency is listed', () => {
    const fs = of(
      run([
        village('甲村', false),
        village('乙村', true),
        village('丙村', true),
        res('甲村', '2016-01-01', '2017-01-01'),
        res('甲村', '2018-01-01'),
        res('乙村', '2016-01-01', '2017-01-01'),
        res('乙村', '2018-01-01'),
      ]),
      'PAIR-04',
    );
    expect(fs.map((f) => `${f.village}:${f.code}`).sort()).toEqual(['丙村:none', '乙村:gap'].sort());
  });
  it('rows without a start date are left out of the coverage', () => {
    const fs = of(run([res('甲村', '2016-01-01', '2016-12-31'), res('甲村', undefined, '2017-12-31'), res('甲村', '2017-01-01')]), 'PAIR-04');
    expect(fs).toEqual([]);
    const gap = of(run([res('甲村', '2016-01-01', '2016-12-31'), res('甲村', undefined, '2017-12-31'), res('甲村', '2017-02-01')]), 'PAIR-04');
    expect(gap).toHaveLength(1);
  });
});

describe('PAIR-05 helper who is also a poor-household member', () => {
  it('matches helpers and resident cadres against member ID numbers', () => {
    const member = row('members', { village: '红星村', householdNo: 'M1', name: '张三', idNumber: id(H1), relation: '户主' }) as NormalRow;
    const other = row('members', { householdNo: 'M2', name: '李四', idNumber: id('110101197003030033'), relation: '户主' }) as NormalRow;
    const cadre = row<ResidencyValues>('residencies', { village: '红星村', name: '李四', idNumber: id('110101197003030033'), startOn: pd('2016') }) as NormalRow;
    const fs = of(run([member, other, pair('X', H1, '2016-01-01'), pair('X', H2, '2016-01-01'), cadre]), 'PAIR-05');
    expect(fs.map((f) => [f.helperId, f.idNumber, f.householdNo])).toEqual([
      [H1, H1, 'M1'],
      ['110101197003030033', '110101197003030033', 'M2'],
    ]);
    expect(fs[1]!.message).toContain('驻村干部');
  });
  it('names the helper as first read when a 15-digit number and its 18-digit form both appear', () => {
    const n18 = '130503196704010016';
    const n15 = '130503670401001';
    const member = row('members', { householdNo: 'M1', name: '张三', idNumber: id(n18), relation: '户主' }) as NormalRow;
    const oldForm = row('members', { householdNo: 'M2', name: '王五', idNumber: id(n15), relation: '户主' }) as NormalRow;
    const named = (no: string, helper: string, name: string) =>
      row<PairingValues>('pairings', { village: '红星村', householdNo: no, helperId: id(helper), helperName: name, startOn: pd('2016-01-01') }) as NormalRow;
    const first = named('X', n15, '甲');
    const second = named('Y', n18, '乙');
    for (const [rows, name, helper] of [
      [[member, oldForm, first, second], '甲', n15],
      [[member, oldForm, second, first], '乙', n18],
    ] as const) {
      const fs = of(run([...rows]), 'PAIR-05');
      expect(fs.map((f) => [f.householdNo, f.helperId, f.params?.['helperName']])).toEqual([
        ['M1', helper, name],
        ['M2', helper, name],
      ]);
    }
  });
  it('does not match empty or placeholder numbers', () => {
    const member = row('members', { householdNo: 'M1', name: '张三', idNumber: id('999999000000000000'), relation: '户主' }) as NormalRow;
    expect(of(run([member, pair('X', '999999000000000000', '2016-01-01')]), 'PAIR-05')).toEqual([]);
  });
});

describe('PAIR-06 pairing before identification', () => {
  it('a bare identified year counts as 1 January', () => {
    const fs = of(
      run([hh('A', { identifiedOn: pd('2016') }), pair('A', H1, '2015-12-31', '2016-06-30'), pair('A', H2, '2016-01-01')]),
      'PAIR-06',
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ householdNo: 'A', helperId: H1, params: { start: '2015-12-31', identifiedOn: '2016-01-01' } });
  });
  it('notes a partial start precision', () => {
    const fs = of(run([hh('A', { identifiedOn: pd('2016-03-01') }), pair('A', H1, '2016', '2016-12-31')]), 'PAIR-06');
    expect(fs).toHaveLength(1);
    expect(fs[0]!.params).toMatchObject({ startPrecision: 'year' });
    expect(fs[0]!.message).toContain('按当年1月1日计');
  });
});

describe('PAIR-07 one helper, many households', () => {
  it('flags exactly maxHouseholdsPerHelper concurrent households, with the peak range and every household', () => {
    const fs = of(
      run([
        pair('A', H1, '2016-01-01', '2018-12-31'),
        pair('B', H1, '2017-01-01', '2017-12-31'),
        pair('C', H1, '2017-06-01'),
        pair('D', H2, '2017-06-01'),
      ]),
      'PAIR-07',
    );
    expect(fs).toHaveLength(1);
    const f = fs[0]!;
    expect(f).toMatchObject({ helperId: H1, value: 3, code: 'too_many' });
    expect(f.householdNo).toBeUndefined();
    expect(f.related).toEqual(['A', 'B', 'C']);
    expect(f.params).toMatchObject({ peak: 3, cap: 3, peakFrom: '2017-06-01', peakTo: '2017-12-31' });
    expect(f.message).toContain('2017-06-01 至 2017-12-31');
    // no contradiction: 3 households reach the reporting number 3, i.e. more than the 2 allowed
    expect(f.message).toMatch(/同时结对 3 户（2017-06-01 至 2017-12-31），超过每人同时最多帮扶 2 户的规定（同时结对 3 户及以上即列出）/);
    expect(f.expected).toBe('不超过2户');
  });
  it('one household fewer is not flagged', () => {
    const fs = run([pair('A', H1, '2016-01-01', '2018-12-31'), pair('B', H1, '2017-01-01', '2017-12-31')]);
    expect(of(fs, 'PAIR-07')).toEqual([]);
  });
  it('three households that never overlap in time are not flagged', () => {
    const fs = run([pair('A', H1, '2016-01-01', '2016-12-31'), pair('B', H1, '2017-01-01', '2017-12-31'), pair('C', H1, '2018-01-01')]);
    expect(of(fs, 'PAIR-07')).toEqual([]);
  });
  it('duplicate rows of one pair count once', () => {
    const fs = run([
      pair('A', H1, '2016-01-01'),
      pair('A', H1, '2016-01-01'),
      pair('A', H1, '2017-01-01', '2018-01-01'),
      pair('B', H1, '2016-01-01'),
    ]);
    expect(of(fs, 'PAIR-07')).toEqual([]);
  });
  it('the cap comes from config, and per rank from the helper records', () => {
    const rows = [
      pair('A', H1, '2016-01-01'),
      pair('B', H1, '2016-01-01'),
      pair('C', H1, '2016-01-01'),
      pair('D', H1, '2016-01-01'),
      row('helpers', { helperId: id(H1), helperName: '王五', rank: '县处级正职', unitLevel: '县' }) as NormalRow,
      pair('E', H2, '2016-01-01'),
      pair('F', H2, '2016-01-01'),
      pair('G', H2, '2016-01-01'),
    ];
    expect(of(run(rows), 'PAIR-07').map((f) => f.helperId)).toEqual([H1, H2]);
    expect(of(run(rows, { rules: { 'PAIR-07': { maxHouseholdsPerHelper: 4 } } }), 'PAIR-07').map((f) => f.helperId)).toEqual([H1]);
    const perRank = of(run(rows, { rules: { 'PAIR-07': { perRank: { 县处级正职: 5 } } } }), 'PAIR-07');
    expect(perRank.map((f) => f.helperId)).toEqual([H2]);
    const atRankCap = of(run(rows, { rules: { 'PAIR-07': { perRank: { 县处级正职: 4 } } } }), 'PAIR-07');
    expect(atRankCap.map((f) => [f.helperId, f.params?.['cap']])).toEqual([
      [H1, 4],
      [H2, 3],
    ]);
    expect(atRankCap[0]!.params?.['rank']).toBe('县处级正职');
  });
  it('perRank keys go through the rank dictionary; unknown ranks are refused in Chinese', () => {
    const rows = [
      pair('A', H1, '2016-01-01'),
      pair('B', H1, '2016-01-01'),
      pair('C', H1, '2016-01-01'),
      row('helpers', { helperId: id(H1), helperName: '王五', rank: '县处级正职' }) as NormalRow,
    ];
    // 正处级 is an alias of 县处级正职: the cap applies instead of being ignored
    expect(of(run(rows, { rules: { 'PAIR-07': { perRank: { 正处级: 8 } } } }), 'PAIR-07')).toEqual([]);
    expect(of(run(rows), 'PAIR-07')).toHaveLength(1);
    expect(() => run(rows, { rules: { 'PAIR-07': { perRank: { 处长: 8 } } } })).toThrow(/处长[\s\S]*县处级正职、县处级副职/);
    expect(() => run(rows, { rules: { 'PAIR-07': { perRank: { 正处级: 8, 县处级正职: 6 } } } })).toThrow(/正处级|县处级正职/);
  });
  it('lists only the households paired during the over-cap stretch', () => {
    const f = of(
      run([
        pair('OLD', H1, '2014-01-01', '2014-12-31'),
        pair('A', H1, '2016-01-01'),
        pair('B', H1, '2016-01-01'),
        pair('C', H1, '2016-01-01'),
      ]),
      'PAIR-07',
    );
    expect(f[0]!.related).toEqual(['A', 'B', 'C']);
  });
});

describe('PAIR-08 dangling keys', () => {
  it('asks each row\'s own sheet for its columns when rows of sheets with and without a helper column alternate', () => {
    // the rule settles a sheet's columns once per run of its rows: alternating sheets must not
    // carry one sheet's answer over to the other's rows
    const withCol = (no: string, helper?: string) =>
      row<PairingValues>('pairings', { householdNo: no, ...(helper ? { helperId: id(helper) } : {}), startOn: pd('2016-01-01') }, { at: { file: '结对甲.xlsx' } }) as NormalRow;
    const noCol = (no: string) =>
      row<PairingValues>('pairings', { householdNo: no, startOn: pd('2016-01-01') }, { at: { file: '结对乙.xlsx' }, fields: ['householdNo', 'startOn'] }) as NormalRow;
    const rows = [hh('A'), hh('B'), hh('C'), hh('D'), hh('E'), withCol('A'), noCol('B'), withCol('C', H1), noCol('D'), withCol('E')];
    const fs = of(run(rows), 'PAIR-08');
    // the two rows of 结对甲 without a helper ID are helper_missing; 结对乙's two rows make one note
    expect(fs.filter((f) => f.code === 'helper_missing').map((f) => f.at?.file)).toEqual(['结对甲.xlsx', '结对甲.xlsx']);
    const notes = fs.filter((f) => f.code === 'no_column');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.params?.['count']).toBe(2);
  });

  it('flags a household absent from members/households and a head ID that resolves to none', () => {
    const fs = of(
      run([
        hh('A'),
        pair('A', H1, '2016-01-01'),
        pair('Z', H1, '2016-01-01'),
        row<PairingValues>('pairings', { headId: id(H2), helperId: id(H1), startOn: pd('2016') }) as NormalRow,
      ]),
      'PAIR-08',
    );
    expect(fs.map((f) => [f.code, f.householdNo ?? f.idNumber])).toEqual([
      ['household', 'Z'],
      ['head', H2],
    ]);
  });
  it('flags a pairing row naming no household or no helper', () => {
    const fs = of(run([hh('A'), pair(undefined, H1, '2016-01-01'), pair('A', undefined, '2016-01-01', undefined, { helperName: '周九' })]), 'PAIR-08');
    expect(fs.map((f) => f.code).sort()).toEqual(['helper_missing', 'household_missing']);
    expect(fs.find((f) => f.code === 'helper_missing')!.message).toContain('周九');
  });
  it('says nothing about households when no member or household table was read', () => {
    expect(of(run([pair('Z', H1, '2016-01-01')]), 'PAIR-08')).toEqual([]);
  });
  it('checks helpers only against a separate helpers sheet', () => {
    const viaPairing = row('helpers', { helperId: id(H1), helperName: 'x', phone: '13800000000' }, { sheetTables: ['pairings', 'helpers'], viaPairing: true }) as NormalRow;
    const noSheet = of(run([hh('A'), pair('A', H2, '2016-01-01'), viaPairing]), 'PAIR-08');
    expect(noSheet).toEqual([]);
    const sheet = row('helpers', { helperId: id(H1), helperName: '王五', unit: '县财政局' }) as NormalRow;
    const fs = of(run([hh('A'), pair('A', H1, '2016-01-01'), pair('A', H2, '2016-01-01'), sheet]), 'PAIR-08');
    expect(fs.map((f) => [f.code, f.helperId])).toEqual([['helper', H2]]);
  });
});

describe('damaged helper ID numbers are never join keys', () => {
  // what the normaliser makes of a 4.30524E+17 cell: the expansion is shared by unrelated people
  const DAMAGED = () => id('430524000000000000', { scientific: true, raw: '4.30524E+17' });
  const dpair = (no: string, name: string, start: string, end?: string): NormalRow => {
    const v: PairingValues = { village: '红星村', householdNo: no, helperId: DAMAGED(), helperName: name, startOn: pd(start) };
    if (end) v.endOn = pd(end);
    return row<PairingValues>('pairings', v) as NormalRow;
  };

  it('PAIR-07: three rows of different helpers sharing a damaged ID are not one helper', () => {
    const fs = run([dpair('A', '张三', '2016-01-01'), dpair('B', '李四', '2016-01-01'), dpair('C', '王五', '2016-01-01')]);
    expect(of(fs, 'PAIR-07')).toEqual([]);
    // an intact helper ID on the same rows is still counted
    const ok = run([pair('A', H1, '2016-01-01'), pair('B', H1, '2016-01-01'), pair('C', H1, '2016-01-01')]);
    expect(of(ok, 'PAIR-07')).toHaveLength(1);
  });

  it('PAIR-09: two overlapping rows of one household with a damaged helper ID are not a duplicate pair', () => {
    const fs = run([dpair('A', '张三', '2016-01-01'), dpair('A', '李四', '2016-06-01')]);
    expect(of(fs, 'PAIR-09')).toEqual([]);
  });

  it('PAIR-05: damaged numbers match nothing, on the member side or the helper side', () => {
    const m1 = row('members', { householdNo: 'M1', name: '甲', idNumber: DAMAGED(), relation: '户主' }) as NormalRow;
    const m2 = row('members', { householdNo: 'M2', name: '乙', idNumber: DAMAGED(), relation: '户主' }) as NormalRow;
    const cadre = row<ResidencyValues>('residencies', { village: '红星村', name: '丙', idNumber: DAMAGED(), startOn: pd('2016') }) as NormalRow;
    expect(of(run([m1, m2, dpair('X', '丁', '2016-01-01'), cadre]), 'PAIR-05')).toEqual([]);
    // a numeric cell of 18 digits against the same digits as text: the member's digits are not reliable
    const numeric = row('members', { householdNo: 'M3', name: '戊', idNumber: id(H1, { numericCell: true }), relation: '户主' }) as NormalRow;
    expect(of(run([numeric, pair('X', H1, '2016-01-01')]), 'PAIR-05')).toEqual([]);
    const helperNumeric = row<PairingValues>('pairings', { householdNo: 'X', helperId: id(H1, { numericCell: true }), startOn: pd('2016') }) as NormalRow;
    const member = row('members', { householdNo: 'M4', name: '己', idNumber: id(H1), relation: '户主' }) as NormalRow;
    expect(of(run([member, helperNumeric]), 'PAIR-05')).toEqual([]);
  });

  it('PAIR-08: a damaged helper ID is not reported as absent from the helpers sheet (HELPER-01 reports the damage)', () => {
    const sheet = row('helpers', { helperId: id(H1), helperName: '王五', unit: '县财政局' }) as NormalRow;
    const fs = of(run([hh('A'), pair('A', H1, '2016-01-01'), dpair('A', '张三', '2016-01-01'), pair('A', H2, '2016-01-01'), sheet]), 'PAIR-08');
    expect(fs.map((f) => [f.code, f.helperId])).toEqual([['helper', H2]]);
  });

  it('PAIR-07: a helpers-sheet rank on a damaged ID is not given to anyone', () => {
    const rows = [
      row('helpers', { helperId: DAMAGED(), helperName: '王五', rank: '县处级正职' }) as NormalRow,
      dpair('A', '李四', '2016-01-01'),
    ];
    // cap 1 by default: the pairing row's helper gets the default cap, not the rank cap of 5
    const fs = of(run(rows, { rules: { 'PAIR-07': { maxHouseholdsPerHelper: 1, perRank: { 县处级正职: 5 } } } }), 'PAIR-07');
    expect(fs.map((f) => [f.params?.['cap'], f.params?.['rank']])).toEqual([[1, undefined]]);
  });
});

describe('PAIR-09 duplicate pairings', () => {
  it('two rows of the same helper and household that overlap are one finding', () => {
    const first = pair('A', H1, '2016-01-01', '2017-12-31');
    const second = pair('A', H1, '2017-06-01');
    const fs = of(run([first, second]), 'PAIR-09');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ householdNo: 'A', helperId: H1, at: second.at, value: '2017-06-01 至 2017-12-31' });
    expect(fs[0]!.related).toHaveLength(1);
  });
  it('identical duplicate rows overlap', () => {
    expect(of(run([pair('A', H1, '2016-01-01'), pair('A', H1, '2016-01-01')]), 'PAIR-09')).toHaveLength(1);
  });
  it('adjacent rows of one pair and overlapping rows of different helpers are not duplicates', () => {
    const fs = run([pair('A', H1, '2016-01-01', '2016-06-30'), pair('A', H1, '2016-07-01'), pair('A', H2, '2016-03-01')]);
    expect(of(fs, 'PAIR-09')).toEqual([]);
  });
});

describe('bench-pairing script', () => {
  it('runs the PAIR cross rules over synthetic rows and reports its figures', async () => {
    const { benchPairing } = await import('../../scripts/bench-pairing.js');
    const res = await benchPairing(20_000);
    expect(res.rows).toBe(20_000);
    expect(res.seconds).toBeGreaterThan(0);
    expect(res.rowsPerSecond).toBeGreaterThan(0);
    expect(res.peakRssMiB).toBeGreaterThan(0);
    // the generator plants gaps, overlapping duplicates and busy helpers
    for (const id of ['PAIR-03', 'PAIR-07', 'PAIR-09']) expect(res.findings?.[id]).toBeGreaterThan(0);
    expect(res.findings?.['PAIR-08']).toBe(0);
  });
});
