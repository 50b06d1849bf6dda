import { describe, expect, it } from 'vitest';
import type { NormalRow, ResolvedFinding, TableKind } from '../../src/model.js';
import type { HouseholdValues, MemberValues } from '../../src/schema/rows.js';
import { basicInfoRules } from '../../validators/basic-info.js';
import { checkDigit } from '../../validators/lib/idcard.js';
import { runRules } from '../helpers/engine.js';
import { id, pd, row } from '../helpers/rows.js';

function mk(birth: string, seq = '123'): string {
  const s = '430524' + birth + seq;
  return s + checkDigit(s);
}

const REGION = { county: '隆回县', township: '桃洪镇', village: '东风村' };

/** A complete, consistent exited household (2 people) in a separate households table. */
function goodHousehold(no: string, over: Partial<HouseholdValues> = {}): HouseholdValues {
  return {
    ...REGION,
    householdNo: no,
    householdSize: 2,
    povertyAttribute: '一般贫困户',
    mainCause: '缺技术',
    identifiedOn: pd('2014'),
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
    ...over,
  };
}

function person(no: string, over: Partial<MemberValues> = {}): MemberValues {
  return {
    ...REGION,
    householdNo: no,
    name: '张三',
    idNumber: id(mk('19700101', '123')),
    gender: '男',
    relation: '户主',
    health: ['健康'],
    laborSkill: '普通劳动力',
    workStatus: '无',
    workMonths: 0,
    schoolStatus: '非在校生',
    ...over,
  };
}

function spouse(no: string, over: Partial<MemberValues> = {}): MemberValues {
  return person(no, { name: '李四', idNumber: id(mk('19720202', '124')), gender: '女', relation: '配偶', ...over });
}

const hhRow = (v: HouseholdValues, opts: Parameters<typeof row>[2] = {}) => row<HouseholdValues>('households', v, { at: { file: 'hh.xlsx' }, ...opts });
const mRow = (v: MemberValues, opts: Parameters<typeof row>[2] = {}) => row<MemberValues>('members', v, { at: { file: 'members.xlsx' }, ...opts });

function run(rows: NormalRow<unknown>[], opts: { asOf?: string; config?: unknown } = {}): ResolvedFinding[] {
  return runRules(rows as NormalRow[], { rules: basicInfoRules, ...opts });
}
const only = (fs: ResolvedFinding[], rule: string) => fs.filter((f) => f.rule === rule);
const codes = (fs: ResolvedFinding[]) => fs.map((f) => `${f.rule}:${f.code}${f.field ? ':' + f.field : ''}`);

/** A standard good household: households row plus two members. */
function good(no = 'H001', over: Partial<HouseholdValues> = {}, members?: MemberValues[]): NormalRow<unknown>[] {
  return [hhRow(goodHousehold(no, over)), ...(members ?? [person(no), spouse(no)]).map((m) => mRow(m))];
}

/** Member sheet that also carries household fields: each member line feeds both tables. */
function memberSheet(lines: { m: MemberValues; h: Partial<HouseholdValues> }[], file = 'combined.xlsx', hhFields?: string[]): NormalRow<unknown>[] {
  const out: NormalRow<unknown>[] = [];
  let r = 3;
  const tables: TableKind[] = ['members', 'households'];
  for (const { m, h } of lines) {
    const at = { file, sheet: '成员', row: r++ };
    out.push(row<MemberValues>('members', m, { at, sheetTables: tables }));
    out.push(
      row<HouseholdValues>('households', { ...REGION, householdNo: m.householdNo, ...h }, { at, sheetTables: tables, fields: hhFields }),
    );
  }
  return out;
}

describe('a consistent household', () => {
  it('yields no BASE finding', () => {
    expect(run(good())).toEqual([]);
  });

  it('also when household fields sit on the 户主 row only', () => {
    const h = goodHousehold('H002');
    const fs = run(memberSheet([{ m: person('H002'), h }, { m: spouse('H002'), h: {} }]));
    expect(fs).toEqual([]);
  });
});

describe('BASE-01 key indicators missing', () => {
  it('reports an empty household indicator where the column exists, and empty member indicators', () => {
    const h = goodHousehold('H001');
    delete h.mainCause;
    delete h.housingOk;
    const fs = only(run([hhRow(h), mRow(person('H001', { laborSkill: undefined })), mRow(spouse('H001'))]), 'BASE-01');
    expect(codes(fs).sort()).toEqual(['BASE-01:missing:housingOk', 'BASE-01:missing:laborSkill', 'BASE-01:missing:mainCause']);
    const hf = fs.find((f) => f.field === 'mainCause')!;
    expect(hf).toMatchObject({ householdNo: 'H001', table: 'households' });
    expect(hf.name).toBeUndefined();
    const mf = fs.find((f) => f.field === 'laborSkill')!;
    expect(mf).toMatchObject({ householdNo: 'H001', name: '张三', idNumber: mk('19700101', '123') });
    expect(mf.message).toContain('劳动技能');
  });

  it('takes the value from the 户主 row when other member rows leave it empty', () => {
    const fs = only(
      run(memberSheet([{ m: spouse('H003'), h: {} }, { m: person('H003'), h: goodHousehold('H003') }])),
      'BASE-01',
    );
    expect(fs).toEqual([]);
  });

  it('does not flood when no source had the column: one info note per field', () => {
    const h1 = goodHousehold('H001');
    const h2 = goodHousehold('H002');
    delete h1.mainCause;
    delete h2.mainCause;
    const fields = Object.keys(h1); // mainCause absent from the sheet
    const fs = only(
      run([
        hhRow(h1, { fields }),
        hhRow(h2, { fields }),
        mRow(person('H001')),
        mRow(spouse('H001')),
        mRow(person('H002', { idNumber: id(mk('19700101', '125')) })),
        mRow(spouse('H002', { idNumber: id(mk('19700101', '126')) })),
      ]),
      'BASE-01',
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'no_column', field: 'mainCause', severity: 'info' });
    expect(fs[0]!.message).toContain('2户');
  });

  it('leaves unreadable cells to BASE-02', () => {
    const h = goodHousehold('H001');
    delete h.mainCause;
    const fs = run([hhRow(h, { bad: { mainCause: '家里穷' } }), mRow(person('H001')), mRow(spouse('H001'))]);
    expect(only(fs, 'BASE-01')).toEqual([]);
    expect(codes(only(fs, 'BASE-02'))).toEqual(['BASE-02:bad_value:mainCause']);
  });
});

describe('BASE-02 abnormal values', () => {
  it('reports negative income, per-capita over 100,000, size 0/over 20 and work months out of range', () => {
    const fs = only(
      run([
        ...good('H001', { incomeTransfer: -5 }),
        ...good('H002', { incomePerCapita: 150_000 }, [person('H002', { idNumber: id(mk('19700101', '131')) })]),
        hhRow(goodHousehold('H003', { householdSize: 21 })),
        mRow(person('H003', { idNumber: id(mk('19700101', '133')), workStatus: '省外务工', workMonths: 14 })),
      ]),
      'BASE-02',
    );
    expect(codes(fs)).toEqual([
      'BASE-02:negative:incomeTransfer',
      'BASE-02:too_high:incomePerCapita',
      'BASE-02:size:householdSize',
      'BASE-02:work_months:workMonths',
    ]);
  });

  it('reports a value outside its dictionary on a member row', () => {
    const fs = only(run(good('H001', {}, [person('H001', { relation: '户主' }), spouse('H001')]).concat([
      mRow(person('H001', { name: '王五', relation: undefined, idNumber: id(mk('20000101', '135')) }), { bad: { relation: '表哥' } }),
    ])), 'BASE-02');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'bad_value', field: 'relation', value: '表哥', name: '王五' });
  });

  it('reports household-level conflicts with both values and places', () => {
    const rows = [
      hhRow(goodHousehold('H001', { status: '已脱贫' }), { at: { file: 'hh.xlsx', sheet: 'Sheet1', row: 4 } }),
      ...memberSheet([{ m: person('H001'), h: { status: '未脱贫' } }, { m: spouse('H001'), h: {} }], 'combined.xlsx', ['householdNo', 'status']),
    ];
    const fs = only(run(rows), 'BASE-02');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'conflict', field: 'status', value: '已脱贫', householdNo: 'H001' });
    expect(fs[0]!.related).toEqual(['combined.xlsx / 成员 / 第3行：未脱贫', 'hh.xlsx / Sheet1 / 第4行：已脱贫']);
    expect(fs[0]!.message).toContain('未脱贫');
  });

  it('accepts ordinary values', () => {
    expect(only(run(good('H001', { incomePerCapita: 99_999, incomeNet: 199_998 })), 'BASE-02')).toEqual([]);
  });
});

describe('BASE-03 exactly one 户主', () => {
  it('reports no head and two heads', () => {
    const fs = only(
      run([
        ...good('H001', {}, [spouse('H001'), person('H001', { relation: '之子', idNumber: id(mk('19950101', '137')) })]),
        ...good('H002', {}, [person('H002', { idNumber: id(mk('19700101', '139')) }), person('H002', { idNumber: id(mk('19700101', '141')), name: '张四' })]),
      ]),
      'BASE-03',
    );
    expect(fs.map((f) => [f.householdNo, f.code, f.value])).toEqual([
      ['H001', 'no_head', 0],
      ['H002', 'multiple_heads', 2],
    ]);
  });
});

describe('BASE-04 household size vs member rows', () => {
  it('reports a mismatch with the member count as expected value', () => {
    const fs = only(run(good('H001', { householdSize: 3, incomePerCapita: 3333.33 })), 'BASE-04');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ value: 3, expected: 2, field: 'householdSize' });
  });

  it('is quiet when sizes match or when no member table was read', () => {
    expect(only(run(good()), 'BASE-04')).toEqual([]);
    expect(only(run([hhRow(goodHousehold('H001', { householdSize: 5, incomePerCapita: 2000 }))]), 'BASE-04')).toEqual([]);
  });
});

describe('BASE-05 status vs years', () => {
  it('reports each contradiction', () => {
    const fs = only(
      run([
        hhRow(goodHousehold('H001', { exitYear: undefined })),
        hhRow(goodHousehold('H002', { status: '未脱贫', exitYear: 2019 })),
        hhRow(goodHousehold('H003', { identifiedOn: pd('2016-05-01'), exitYear: 2015 })),
        hhRow(goodHousehold('H004', { exitYear: 2021 })),
        hhRow(goodHousehold('H005', { identifiedOn: pd('2012') })),
      ]),
      'BASE-05',
    );
    expect(fs.map((f) => `${f.householdNo}:${f.code}`)).toEqual([
      'H001:exit_year_missing',
      'H002:exit_year_unexpected',
      'H003:exit_before_identified',
      'H004:exit_after_asof',
      'H005:identified_range',
    ]);
  });

  it('lets a 返贫 household keep its earlier exit year and compares years only', () => {
    const fs = only(
      run(
        [
          hhRow(goodHousehold('H001', { status: '返贫', exitYear: 2017 })),
          hhRow(goodHousehold('H002', { exitYear: 2020, identifiedOn: pd('2020-12-31') })),
        ],
        { asOf: '2020-01-15' },
      ),
      'BASE-05',
    );
    expect(fs).toEqual([]);
  });
});

describe('BASE-06 income below the poverty line of the exit year', () => {
  it('reports an exited household below the line with the line as expected value', () => {
    const fs = only(run([hhRow(goodHousehold('H001', { exitYear: 2016, incomePerCapita: 2900, incomeNet: 5800 }))]), 'BASE-06');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ value: 2900, expected: 2952 });
    expect(fs[0]!.message).toContain('2952');
  });

  it('is quiet above the line, for 返贫/未脱贫, and honours a configured line', () => {
    const rows = [
      hhRow(goodHousehold('H001', { exitYear: 2016, incomePerCapita: 3000, incomeNet: 6000 })),
      hhRow(goodHousehold('H002', { status: '返贫', exitYear: 2016, incomePerCapita: 1000, incomeNet: 2000 })),
    ];
    expect(only(run(rows), 'BASE-06')).toEqual([]);
    const fs = only(run(rows, { config: { povertyLine: { '2016': 3500 } } }), 'BASE-06');
    expect(fs.map((f) => [f.householdNo, f.expected])).toEqual([['H001', 3500]]);
  });
});

describe('BASE-07 exited household with an unsecured indicator', () => {
  it('reports each 否, including one coming from an inverse header (是否危房 = 是 → housingOk false)', () => {
    const fs = only(run([hhRow(goodHousehold('H001', { housingOk: false, waterOk: false }))]), 'BASE-07');
    expect(fs.map((f) => f.field).sort()).toEqual(['housingOk', 'waterOk']);
  });

  it('ignores households that have not exited and electricity/tv', () => {
    const fs = only(
      run([hhRow(goodHousehold('H001', { status: '未脱贫', exitYear: undefined, housingOk: false })), hhRow(goodHousehold('H002', { tvOk: false }))]),
      'BASE-07',
    );
    expect(fs).toEqual([]);
  });
});

describe('BASE-08 age vs schooling', () => {
  it('reports a hidden dropout when the household says education is secured', () => {
    const child = person('H001', { name: '张小', relation: '之子', idNumber: id(mk('20100301', '143')), laborSkill: '无劳动力', schoolStatus: '非在校生' });
    const fs = only(run(good('H001', { householdSize: 3, incomePerCapita: 3333.33 }, [person('H001'), spouse('H001'), child])), 'BASE-08');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'hidden_dropout', name: '张小', severity: 'suspect' });
  });

  it('does not report it when education_ok is 否 or the child is in school', () => {
    const child = (s: string | undefined) =>
      person('H001', { name: '张小', relation: '之子', idNumber: id(mk('20100301', '143')), laborSkill: '无劳动力', schoolStatus: s });
    expect(only(run(good('H001', { educationOk: false, status: '未脱贫', exitYear: undefined }, [person('H001'), child('非在校生')])), 'BASE-08')).toEqual([]);
    expect(only(run(good('H001', {}, [person('H001'), child('小学')])), 'BASE-08')).toEqual([]);
  });

  it('reports a school level implausible for the age (age from 出生日期 / 年龄 when the ID is unusable)', () => {
    const fs = only(
      run(
        good('H001', { householdSize: 4 }, [
          person('H001'),
          person('H001', { name: '甲', relation: '之子', idNumber: id(mk('19990101', '145')), laborSkill: '无劳动力', schoolStatus: '小学' }),
          person('H001', { name: '乙', relation: '之女', gender: '女', idNumber: undefined, birthDate: pd('2012-05-01'), laborSkill: '无劳动力', schoolStatus: '高中' }),
          person('H001', { name: '丙', relation: '之子', idNumber: id('4.3E+17'), age: 2, laborSkill: '无劳动力', schoolStatus: '学前教育' }),
        ]),
      ),
      'BASE-08',
    );
    expect(fs.map((f) => [f.name, f.code, f.params?.['age']])).toEqual([
      ['甲', 'level_age', 21],
      ['乙', 'level_age', 7],
      ['丙', 'level_age', 2],
    ]);
  });
});

describe('BASE-09 age vs labour', () => {
  it('reports a minor with labour (error), a secondary student and an elderly worker (suspect)', () => {
    const fs = only(
      run(
        good('H001', { householdSize: 4 }, [
          person('H001', { idNumber: id(mk('19500101', '123')) }),
          person('H001', { name: '甲', relation: '之子', idNumber: id(mk('20100101', '147')), laborSkill: '普通劳动力', schoolStatus: '小学' }),
          person('H001', { name: '乙', relation: '之子', idNumber: id(mk('20020101', '149')), laborSkill: '技能劳动力', schoolStatus: '高中' }),
          spouse('H001', { idNumber: id(mk('19720202', '124')), laborSkill: '弱劳动力或半劳动力' }),
        ]),
      ),
      'BASE-09',
    );
    expect(fs.map((f) => [f.name, f.code, f.severity])).toEqual([
      ['张三', 'elderly', 'suspect'],
      ['甲', 'minor', 'error'],
      ['乙', 'student', 'suspect'],
    ]);
  });

  it('accepts 无劳动力 children and college students working', () => {
    const fs = only(
      run(
        good('H001', {}, [
          person('H001'),
          person('H001', { name: '甲', relation: '之子', idNumber: id(mk('20100101', '147')), laborSkill: '无劳动力', schoolStatus: '小学' }),
          person('H001', { name: '乙', relation: '之子', idNumber: id(mk('20000101', '149')), laborSkill: '普通劳动力', schoolStatus: '本科' }),
        ]),
      ),
      'BASE-09',
    );
    expect(fs).toEqual([]);
  });
});

describe('BASE-10 work status vs months', () => {
  it('reports 务工 with 0 months and 无 with months', () => {
    const fs = only(
      run(good('H001', {}, [person('H001', { workStatus: '省外务工', workMonths: 0 }), spouse('H001', { workStatus: '无', workMonths: 6 })])),
      'BASE-10',
    );
    expect(fs.map((f) => [f.name, f.code])).toEqual([
      ['张三', 'no_months'],
      ['李四', 'no_status'],
    ]);
  });

  it('accepts consistent pairs and 其他 as working', () => {
    const fs = only(
      run(good('H001', {}, [person('H001', { workStatus: '其他', workMonths: 3 }), spouse('H001', { workStatus: '无', workMonths: 0 })])),
      'BASE-10',
    );
    expect(fs).toEqual([]);
  });
});

describe('BASE-11 income arithmetic', () => {
  it('reports a net income that is not the sum and a per-capita that is not net / size', () => {
    const fs = only(
      run([
        hhRow(goodHousehold('H001', { incomeNet: 12000, incomePerCapita: 6000 })),
        hhRow(goodHousehold('H002', { incomePerCapita: 5200 })),
      ]),
      'BASE-11',
    );
    expect(fs.map((f) => [f.householdNo, f.code, f.expected])).toEqual([
      ['H001', 'net', 10000],
      ['H002', 'per_capita', 5000],
    ]);
  });

  it('tolerates 1 yuan on the sum and 1% on the per-capita income', () => {
    const fs = only(
      run([hhRow(goodHousehold('H001', { incomeNet: 10001, incomePerCapita: 5040 }))]),
      'BASE-11',
    );
    expect(fs).toEqual([]);
  });
});

describe('BASE-12 relation vs gender', () => {
  it('reports a female-only relation on a man, a male-only one on a woman, and a same-gender spouse', () => {
    const fs = only(
      run(
        good('H001', { householdSize: 4 }, [
          person('H001'),
          spouse('H001', { gender: '男', idNumber: id(mk('19720202', '125')) }),
          person('H001', { name: '甲', relation: '之女', gender: '男', idNumber: id(mk('19950101', '151')) }),
          // gender column empty: taken from the ID (even 17th digit → 女)
          person('H001', { name: '乙', relation: '之子', gender: undefined, idNumber: id(mk('19970101', '152')) }),
        ]),
      ),
      'BASE-12',
    );
    expect(fs.map((f) => [f.name, f.code])).toEqual([
      ['李四', 'spouse_same_gender'],
      ['甲', 'female_relation'],
      ['乙', 'male_relation'],
    ]);
  });

  it('accepts a consistent family', () => {
    expect(only(run(good()), 'BASE-12')).toEqual([]);
  });
});

describe('BASE-13 main cause vs members', () => {
  it('reports 因病 with everyone healthy, 因残 without disability, 因学 without students (suspect)', () => {
    const fs = only(
      run([
        ...good('H001', { mainCause: '因病' }),
        ...good('H002', { mainCause: '因残' }, [
          person('H002', { idNumber: id(mk('19700101', '161')), health: ['长期慢性病'] }),
          spouse('H002', { idNumber: id(mk('19720202', '162')) }),
        ]),
        ...good('H003', { mainCause: '因学' }, [
          person('H003', { idNumber: id(mk('19700101', '163')) }),
          spouse('H003', { idNumber: id(mk('19720202', '164')) }),
        ]),
      ]),
      'BASE-13',
    );
    expect(fs.map((f) => [f.householdNo, f.code, f.severity])).toEqual([
      ['H001', 'illness', 'suspect'],
      ['H002', 'disability', 'suspect'],
      ['H003', 'school', 'suspect'],
    ]);
  });

  it('accepts matching members (multi-select health)', () => {
    const fs = only(
      run([
        ...good('H001', { mainCause: '因病' }, [person('H001', { health: ['残疾', '长期慢性病'] }), spouse('H001')]),
        ...good('H002', { mainCause: '因残' }, [person('H002', { idNumber: id(mk('19700101', '161')), health: ['残疾', '长期慢性病'] }), spouse('H002', { idNumber: id(mk('19720202', '162')) })]),
        ...good('H003', { mainCause: '因学' }, [
          person('H003', { idNumber: id(mk('19700101', '163')) }),
          person('H003', { name: '张小', relation: '之子', idNumber: id(mk('20020101', '165')), schoolStatus: '高职高专', laborSkill: '无劳动力' }),
        ]),
      ]),
      'BASE-13',
    );
    expect(fs).toEqual([]);
  });
});

describe('BASE-01 member without a household number', () => {
  it('reports a member row whose 户编号 is empty (it belongs to no household)', () => {
    const f = runRules([
      row<MemberValues>('members', { householdNo: 'H1', name: '张三', idNumber: id('11010519491231002X'), relation: '户主', gender: '女', health: ['健康'], laborSkill: '普通劳动力' }),
      row<MemberValues>('members', { name: '李四', idNumber: id('440524188001010014'), relation: '配偶', gender: '男', health: ['健康'], laborSkill: '普通劳动力' }),
    ], { rules: basicInfoRules }).filter((x) => x.rule === 'BASE-01' && x.field === 'householdNo');
    expect(f).toHaveLength(1);
    expect(f[0]!.name).toBe('李四');
    expect(f[0]!.message).toContain('户编号');
  });
});
