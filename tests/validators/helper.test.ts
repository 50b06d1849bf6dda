import { describe, expect, it } from 'vitest';
import type { NormalRow, ResolvedFinding } from '../../src/model.js';
import type { HelperValues, PairingValues, ResidencyValues } from '../../src/schema/rows.js';
import { helperRules } from '../../validators/helper.js';
import { checkDigit } from '../../validators/lib/idcard.js';
import { id, pd, row } from '../helpers/rows.js';
import { runRules } from '../helpers/engine.js';

/** a valid 18-digit number (Beijing 东城区, born 1980-01-01) with sequence `seq` */
function validId(seq: number): string {
  const first17 = '11010119800101' + String(seq).padStart(3, '0');
  return first17 + checkDigit(first17);
}
const A = validId(11);
const B = validId(23);
const C = validId(35);

function helper(v: Partial<HelperValues>, opts: Parameters<typeof row>[2] = {}): NormalRow {
  return row<HelperValues>(
    'helpers',
    { helperName: '王五', phone: '13800000001', unit: '县财政局', unitLevel: '县', rank: '科员级', ...v },
    opts,
  ) as NormalRow;
}

function cadre(v: Partial<ResidencyValues>, opts: Parameters<typeof row>[2] = {}): NormalRow {
  return row<ResidencyValues>(
    'residencies',
    { village: '红星村', name: '赵六', role: '第一书记', dispatchUnit: '县委组织部', startOn: pd('2018-03-01'), phone: '13900000009', ...v },
    opts,
  ) as NormalRow;
}

/** a pairing row carrying only the helper ID and name (the sheet feeds no helpers table) */
function pairing(helperId: string, helperName: string): NormalRow {
  return row<PairingValues>('pairings', { householdNo: 'H1', helperId: id(helperId), helperName, startOn: pd('2016-01-01') }) as NormalRow;
}

function run(rows: NormalRow[]): ResolvedFinding[] {
  return runRules(rows, { rules: helperRules });
}
const of = (fs: ResolvedFinding[], rule: string): ResolvedFinding[] => fs.filter((f) => f.rule === rule);

describe('rule metadata', () => {
  it('every HELPER rule has a Chinese title and explanation', () => {
    expect(helperRules.map((r) => r.id)).toEqual(['HELPER-01', 'HELPER-02', 'HELPER-03', 'HELPER-04', 'HELPER-05', 'HELPER-06', 'HELPER-07']);
    for (const r of helperRules) {
      expect(r.title).toMatch(/[\u4e00-\u9fa5]/);
      expect(r.explain.length).toBeGreaterThan(30);
    }
  });
});

describe('HELPER-01 helper ID number', () => {
  it('accepts valid numbers', () => {
    expect(of(run([helper({ helperId: id(A) }), cadre({ idNumber: id(B) })]), 'HELPER-01')).toEqual([]);
  });
  it('reports a wrong check digit once per helper, with the corrected number', () => {
    const wrong = A.slice(0, 17) + (A[17] === '0' ? '1' : '0');
    const fs = of(run([helper({ helperId: id(wrong) }), helper({ helperId: id(wrong) })]), 'HELPER-01');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ helperId: wrong, code: 'ID-03:check_digit', field: 'helperId', expected: A, severity: 'error' });
    expect(fs[0]!.message).toContain('校验码');
  });
  it('reports spreadsheet damage (ID-10) and a 15-digit number (suspect)', () => {
    const fs = of(
      run([helper({ helperId: id('1.10101E+17', { scientific: true }) }), helper({ helperId: id('110101800101123') })]),
      'HELPER-01',
    );
    expect(fs.map((f) => [f.code, f.severity])).toEqual([
      ['ID-10:scientific', 'error'],
      ['ID-02:legacy15', 'suspect'],
    ]);
  });
  it('does not report the region code (ID-05 is not part of HELPER-01)', () => {
    const first17 = '99990119800101001';
    const unknownRegion = first17 + checkDigit(first17);
    expect(of(run([helper({ helperId: id(unknownRegion) })]), 'HELPER-01')).toEqual([]);
  });
  it('checks resident cadres and helper IDs written only on pairing rows', () => {
    const fs = of(run([cadre({ idNumber: id('11010119800101') }), pairing('12345', '钱七')]), 'HELPER-01');
    expect(fs.map((f) => [f.helperId, f.field, f.code]).sort()).toEqual([
      ['11010119800101', 'idNumber', 'ID-02:format'],
      ['12345', 'helperId', 'ID-02:format'],
    ]);
    expect(fs.find((f) => f.field === 'idNumber')!.message).toContain('驻村干部');
  });
  it('reports a helper or resident cadre without an ID number, not a pairing row (PAIR-08 does)', () => {
    const noId = row<PairingValues>('pairings', { householdNo: 'H1', helperName: '周九', startOn: pd('2016') }) as NormalRow;
    const fs = of(run([helper({ helperName: '孙八' }), cadre({ name: '吴十' }), noId]), 'HELPER-01');
    expect(fs.map((f) => [f.code, f.name]).sort()).toEqual([
      ['missing', '吴十'],
      ['missing', '孙八'],
    ]);
  });
  it('helpers whose IDs a spreadsheet turned into the same 4.30524E+17 stay separate people', () => {
    const dmg = (): ReturnType<typeof id> => id('4.30524E+17', { scientific: true });
    const fs = run([
      helper({ helperId: dmg(), helperName: '甲', phone: '13800000001' }),
      helper({ helperId: dmg(), helperName: '乙', phone: '13800000002' }),
      helper({ helperId: dmg(), helperName: '丙', phone: '13800000003' }),
      pairing('4.30524E+17', '甲'),
    ]);
    const h01 = of(fs, 'HELPER-01');
    expect(h01.map((f) => [f.name, f.code]).sort()).toEqual(
      [
        ['甲', 'ID-10:scientific'],
        ['乙', 'ID-10:scientific'],
        ['丙', 'ID-10:scientific'],
      ].sort(),
    );
    expect(of(fs, 'HELPER-06')).toEqual([]);
    expect(of(fs, 'HELPER-03')).toEqual([]);
  });
  it('a damaged ID ending in 000 is not a join key either; without a name, one record per row', () => {
    const first15 = '430524198001011';
    const dmg = first15 + '000';
    const noName = (phone: string): NormalRow =>
      row<HelperValues>('helpers', { helperId: id(dmg), phone, unit: '县财政局', unitLevel: '县', rank: '科员级' }) as NormalRow;
    const fs = run([noName('13800000001'), noName('13800000002')]);
    // without a name nothing tells the two apart in the report: one finding, the other row related
    const h01 = of(fs, 'HELPER-01');
    expect(h01).toMatchObject([{ code: 'ID-10:trailing_zeros', helperId: dmg }]);
    expect(h01[0]!.related).toHaveLength(1);
    // but no false "different phones" conflict between the two rows
    expect(of(fs, 'HELPER-06')).toEqual([]);
  });
  it('many pairing rows of one helper make one record: one finding, not one per row', () => {
    const rows = Array.from({ length: 50 }, () => pairing('12345', '钱七'));
    expect(of(run(rows), 'HELPER-01')).toHaveLength(1);
  });
});

describe('HELPER-02 helper phone', () => {
  it('flags a missing and an invalid phone, not a valid one', () => {
    const fs = of(
      run([helper({ helperId: id(A), phone: undefined }), helper({ helperId: id(B), phone: '1380000000' }), helper({ helperId: id(C) })]),
      'HELPER-02',
    );
    expect(fs.map((f) => [f.helperId, f.code])).toEqual([
      [A, 'missing'],
      [B, 'invalid'],
    ]);
  });
  it('a landline is not a mainland mobile', () => {
    expect(of(run([helper({ helperId: id(A), phone: '07315551234' })]), 'HELPER-02')).toHaveLength(1);
  });
  it('says nothing about phones for a sheet without a phone column', () => {
    const noPhoneCol = helper(
      { helperId: id(A), phone: undefined },
      { sheetTables: ['pairings', 'helpers'], viaPairing: true, fields: ['helperId', 'helperName', 'unit'] },
    );
    expect(of(run([noPhoneCol]), 'HELPER-02')).toEqual([]);
  });
  it('checks resident cadres', () => {
    expect(of(run([cadre({ idNumber: id(A), phone: undefined })]), 'HELPER-02')).toMatchObject([{ helperId: A, code: 'missing' }]);
  });
});

describe('HELPER-03 shared phone', () => {
  it('one finding per helper sharing the phone, the others in related', () => {
    const fs = of(
      run([
        helper({ helperId: id(A), helperName: '甲', phone: '13812345678' }),
        helper({ helperId: id(B), helperName: '乙', phone: '13812345678' }),
        cadre({ idNumber: id(C), name: '丙', phone: '13812345678' }),
        helper({ helperId: id(validId(47)), phone: '13812345679' }),
      ]),
      'HELPER-03',
    );
    expect(fs.map((f) => f.helperId).sort()).toEqual([A, B, C].sort());
    const fa = fs.find((f) => f.helperId === A)!;
    expect(fa.related?.sort()).toEqual([B, C].sort());
    expect(fa.message).toContain('13812345678');
  });
  it('the same helper on several rows with one phone is fine', () => {
    expect(of(run([helper({ helperId: id(A) }), helper({ helperId: id(A) }), cadre({ idNumber: id(A), phone: '13800000001' })]), 'HELPER-03')).toEqual([]);
  });
});

describe('HELPER-04 unit, unit level and rank', () => {
  it('flags missing and out-of-dictionary values', () => {
    const fs = of(
      run([
        helper({ helperId: id(A), rank: undefined }),
        helper({ helperId: id(B), unitLevel: undefined }, { bad: { unitLevel: '省直机关下属' } }),
        helper({ helperId: id(C), unit: undefined }),
      ]),
      'HELPER-04',
    );
    expect(fs.map((f) => [f.helperId, f.code, f.field])).toEqual([
      [A, 'rank_missing', 'rank'],
      [B, 'unitLevel_invalid', 'unitLevel'],
      [C, 'unit_missing', 'unit'],
    ]);
    expect(fs[1]!.value).toBe('省直机关下属');
  });
  it('applies only where unit-level and rank columns exist', () => {
    const r = helper({ helperId: id(A), unitLevel: undefined, rank: undefined }, { fields: ['helperId', 'helperName', 'phone', 'unit'] });
    expect(of(run([r]), 'HELPER-04')).toEqual([]);
  });
  it('a helper sheet without a 帮扶单位 column: one info note, no unit_missing per helper', () => {
    const fields = ['helperId', 'helperName', 'phone', 'unitLevel', 'rank'];
    const fs = of(
      run([
        helper({ helperId: id(A), unit: undefined }, { fields, at: { file: '帮扶人.xlsx' } }),
        helper({ helperId: id(B), unit: undefined, rank: undefined }, { fields, at: { file: '帮扶人.xlsx' } }),
      ]),
      'HELPER-04',
    );
    expect(fs.map((f) => [f.code, f.field, f.severity, f.helperId]).sort()).toEqual([
      ['no_column', 'unit', 'info', undefined],
      ['rank_missing', 'rank', 'error', B],
    ]);
    const note = fs.find((f) => f.code === 'no_column')!;
    expect(note.at).toEqual({ file: '帮扶人.xlsx', sheet: 'Sheet1' });
    expect(note.householdNo).toBeUndefined();
    expect(note.params?.['count']).toBe(2);
    expect(note.message).toContain('没有“帮扶单位”列');
  });
  it('a complete helper is fine', () => {
    expect(of(run([helper({ helperId: id(A) })]), 'HELPER-04')).toEqual([]);
  });
});

describe('HELPER-05 rank vs unit level', () => {
  it('flags 厅局级 in a county unit and 县处级 in a township unit', () => {
    const fs = of(
      run([
        helper({ helperId: id(A), unitLevel: '县', rank: '厅局级副职' }),
        helper({ helperId: id(B), unitLevel: '镇', rank: '县处级副职' }),
      ]),
      'HELPER-05',
    );
    expect(fs.map((f) => [f.helperId, f.code])).toEqual([
      [A, 'bureau_in_county'],
      [B, 'county_in_township'],
    ]);
  });
  it('accepts plausible combinations', () => {
    const fs = run([
      helper({ helperId: id(A), unitLevel: '县', rank: '县处级正职' }),
      helper({ helperId: id(B), unitLevel: '市', rank: '厅局级正职' }),
      helper({ helperId: id(C), unitLevel: '村民委员会', rank: '乡科级副职' }),
    ]);
    expect(of(fs, 'HELPER-05')).toEqual([]);
  });
});

describe('HELPER-06 conflicting names or phones', () => {
  it('the same ID with different names across the helpers sheet and pairing rows', () => {
    const fs = of(run([helper({ helperId: id(A), helperName: '王五' }), pairing(A, '王武')]), 'HELPER-06');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ helperId: A, code: 'name', value: '王五、王武' });
    expect(fs[0]!.message).toContain('姓名不一致');
  });
  it('the same ID with different phones, resident cadre included', () => {
    const fs = of(run([helper({ helperId: id(A), phone: '13800000001' }), cadre({ idNumber: id(A), name: '王五', phone: '13800000002' })]), 'HELPER-06');
    expect(fs.map((f) => f.code)).toEqual(['phone']);
  });
  it('names differing only by spaces are the same name', () => {
    expect(of(run([helper({ helperId: id(A), helperName: '王 五' }), pairing(A, '王五')]), 'HELPER-06')).toEqual([]);
  });
});

describe('HELPER-07 residency completeness', () => {
  it('reports each missing field of a residency row', () => {
    const fs = of(run([cadre({ idNumber: id(A), dispatchUnit: undefined, role: undefined, startOn: undefined })]), 'HELPER-07');
    expect(fs.map((f) => f.code).sort()).toEqual(['dispatch_unit_missing', 'role_missing', 'start_on_missing']);
    expect(fs.every((f) => f.helperId === A)).toBe(true);
  });
  it('an unreadable start date is reported with its text', () => {
    const fs = of(run([cadre({ idNumber: id(A), startOn: undefined }, { bad: { startOn: '前年' } })]), 'HELPER-07');
    expect(fs).toMatchObject([{ code: 'start_on_invalid', value: '前年' }]);
  });
  it('a residency sheet without 派出单位 and 身份 columns: one info note per column, no error per cadre', () => {
    const fields = ['village', 'name', 'idNumber', 'startOn', 'phone'];
    const rows = [A, B, C].map((x) => cadre({ idNumber: id(x), dispatchUnit: undefined, role: undefined }, { fields, at: { file: '驻村.xlsx' } }));
    rows.push(cadre({ idNumber: id(validId(47)), dispatchUnit: undefined, role: undefined, startOn: undefined }, { fields, at: { file: '驻村.xlsx' } }));
    const fs = of(run(rows), 'HELPER-07');
    expect(fs.map((f) => [f.code, f.field, f.severity]).sort()).toEqual([
      ['no_column', 'dispatchUnit', 'info'],
      ['no_column', 'role', 'info'],
      ['start_on_missing', 'startOn', 'error'],
    ]);
    const note = fs.find((f) => f.field === 'dispatchUnit')!;
    expect(note).toMatchObject({ at: { file: '驻村.xlsx', sheet: 'Sheet1' }, params: { count: 4 } });
    expect(note.helperId).toBeUndefined();
    expect(note.message).toContain('没有“派出单位”列');
  });
  it('a complete row is fine', () => {
    expect(of(run([cadre({ idNumber: id(A) })]), 'HELPER-07')).toEqual([]);
  });
});
