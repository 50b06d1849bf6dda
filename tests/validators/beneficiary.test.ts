import { describe, expect, it } from 'vitest';
import type { NormalRow, ResolvedFinding } from '../../src/model.js';
import type {
  BeneficiaryValues,
  HouseholdValues,
  MemberValues,
  ProjectValues,
  VillageValues,
} from '../../src/schema/rows.js';
import { beneficiaryRules, isWorkingMember } from '../../validators/beneficiary.js';
import {
  PROJECT_TYPE_TABLE,
  expectedHouseholdIndicators,
  renderProjectTypeTable,
  renderRuleMapping,
} from '../../validators/lib/project-types.js';
import { runRules } from '../helpers/engine.js';
import { id, pd, row } from '../helpers/rows.js';

const HEAD_ID = '430524198001010011';
const SPOUSE_ID = '430524198203040022';

const REGION = { county: '沅陵县', township: '官庄镇', village: '张家村' };

/** A household whose indicators are all 是 (override per test), with a 户主 and a spouse. */
function household(
  no = 'H001',
  over: Partial<HouseholdValues> = {},
  members: Partial<MemberValues>[] = [{ workStatus: '无', workMonths: 0 }, { workStatus: '无', workMonths: 0 }],
  headId = HEAD_ID,
): NormalRow[] {
  const rows: NormalRow[] = [];
  members.forEach((m, i) => {
    rows.push(
      row<MemberValues>('members', {
        ...REGION,
        householdNo: no,
        name: i === 0 ? '张三' : '李四',
        idNumber: id(i === 0 ? headId : SPOUSE_ID.slice(0, 16) + no.slice(-2)),
        relation: i === 0 ? '户主' : '配偶',
        ...m,
      }) as NormalRow,
    );
  });
  rows.push(
    row<HouseholdValues>('households', {
      ...REGION,
      householdNo: no,
      headId: id(headId),
      status: '未脱贫',
      foodClothingOk: true,
      educationOk: true,
      medicalOk: true,
      housingOk: true,
      waterOk: true,
      ...over,
    }) as NormalRow,
  );
  return rows;
}

function project(no: string, over: Partial<ProjectValues> = {}): NormalRow {
  return row<ProjectValues>('projects', {
    ...REGION,
    projectNo: no,
    projectName: '测试项目',
    projectType: '危房改造',
    status: '已验收',
    startOn: pd('2019-03'),
    endOn: pd('2019-09'),
    ...over,
  }) as NormalRow;
}

function bene(projectNo: string | undefined, hh: { householdNo?: string; headId?: string }): NormalRow {
  const v: BeneficiaryValues = { ...REGION };
  if (projectNo) v.projectNo = projectNo;
  if (hh.householdNo) v.householdNo = hh.householdNo;
  if (hh.headId) v.headId = id(hh.headId);
  return row<BeneficiaryValues>('beneficiaries', v) as NormalRow;
}

function village(name: string, over: Partial<VillageValues> = {}): NormalRow {
  return row<VillageValues>('villages', {
    county: '沅陵县',
    township: '官庄镇',
    village: name,
    isPoorVillage: true,
    hardRoad: true,
    powerGrid: true,
    ...over,
  }) as NormalRow;
}

function run(rows: NormalRow[]): ResolvedFinding[] {
  return runRules(rows, { rules: beneficiaryRules });
}

function only(fs: ResolvedFinding[], rule: string): ResolvedFinding[] {
  const key = (f: ResolvedFinding) => `${f.field ?? ''}|${f.code ?? ''}|${f.householdNo ?? ''}|${f.projectNo ?? ''}`;
  return fs.filter((f) => f.rule === rule).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------

describe('project-type table', () => {
  it('maps types and sub types to indicators, honouring the 已完工/已验收 condition', () => {
    expect(expectedHouseholdIndicators('BENE-01', { projectType: '危房改造', status: '在建' })).toEqual([]);
    expect(expectedHouseholdIndicators('BENE-01', { projectType: '危房改造', status: '已验收' })).toEqual(['housingOk']);
    expect(expectedHouseholdIndicators('BENE-01', { projectType: '生活条件改善', subType: '安全饮水', status: '已完工' })).toEqual([
      'waterOk',
    ]);
    expect(expectedHouseholdIndicators('BENE-01', { projectType: '教育扶贫', subType: '教育', status: '已完工' })).toEqual([
      'educationOk',
    ]);
    expect(expectedHouseholdIndicators('BENE-01', { projectType: '产业发展', status: '已完工' })).toEqual([]);
    expect(expectedHouseholdIndicators('BENE-03', { projectType: '产业发展', status: '未开工' })).toEqual([
      'foodClothingOk',
      'educationOk',
      'medicalOk',
      'housingOk',
    ]);
  });

  it('renders as Chinese lines, one per entry, and feeds the rules’ explanations', () => {
    const lines = renderProjectTypeTable();
    expect(lines).toHaveLength(PROJECT_TYPE_TABLE.length);
    expect(lines.some((l) => l.startsWith('BENE-01') && l.includes('“危房改造”') && l.includes('“住房安全有保障”'))).toBe(true);
    expect(lines.some((l) => l.startsWith('BENE-04') && l.includes('“道路”') && l.includes('“通硬化路”'))).toBe(true);
    expect(renderProjectTypeTable('BENE-02')).toHaveLength(1);
    for (const r of beneficiaryRules.filter((x) => x.id !== 'BENE-05')) {
      expect(r.explain).toContain(renderRuleMapping(r.id as 'BENE-01'));
      expect(r.explain).not.toContain('\n');
    }
    expect(beneficiaryRules.find((r) => r.id === 'BENE-01')!.explain).toContain('“饮水安全有保障”');
  });
});

describe('BENE-01 finished project vs household indicator', () => {
  it('a 危房改造 project still 在建 is not judged; the same project 已验收 is', () => {
    const building = run([...household('H001', { housingOk: false }), project('P1', { status: '在建' }), bene('P1', { householdNo: 'H001' })]);
    expect(only(building, 'BENE-01')).toEqual([]);

    const done = run([...household('H001', { housingOk: false }), project('P1', { status: '已验收' }), bene('P1', { householdNo: 'H001' })]);
    const fs = only(done, 'BENE-01');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({
      projectNo: 'P1',
      householdNo: 'H001',
      field: 'housingOk',
      value: false,
      expected: true,
      severity: 'error',
      table: 'beneficiaries',
    });
    expect(fs[0]!.region?.village).toBe('张家村');
    expect(fs[0]!.message).toContain('住房安全有保障');
    expect(fs[0]!.message).toContain('已验收');
  });

  it('no finding when the indicator is 是 or was left empty', () => {
    expect(only(run([...household('H001'), project('P1'), bene('P1', { householdNo: 'H001' })]), 'BENE-01')).toEqual([]);
    const empty = household('H001', { housingOk: undefined });
    expect(only(run([...empty, project('P1'), bene('P1', { householdNo: 'H001' })]), 'BENE-01')).toEqual([]);
  });

  it('matches a sub type: 饮水 under 生活条件改善, only its own indicator', () => {
    const fs = only(
      run([
        ...household('H001', { waterOk: false, educationOk: false }),
        project('P2', { projectType: '生活条件改善', subType: '饮水', status: '已完工' }),
        bene('P2', { householdNo: 'H001' }),
      ]),
      'BENE-01',
    );
    expect(fs.map((f) => f.field)).toEqual(['waterOk']);
  });

  it('a household named by 户主证件号码 only resolves to the same household', () => {
    const fs = run([...household('H001', { housingOk: false }), project('P1'), bene('P1', { headId: HEAD_ID })]);
    const b1 = only(fs, 'BENE-01');
    expect(b1).toHaveLength(1);
    expect(b1[0]!.householdNo).toBeUndefined();
    expect(b1[0]!.idNumber).toBe(HEAD_ID);
    expect(b1[0]!.params?.['resolvedHouseholdNo']).toBe('H001');
    expect(b1[0]!.message).toContain(`户主证件号码为${HEAD_ID}的受益户（户编号H001）`);
    expect(only(fs, 'BENE-05')).toEqual([]);
  });
});

describe('BENE-02 employment project without a working member', () => {
  const rowsWith = (members: Partial<MemberValues>[]) => [
    ...household('H001', {}, members),
    project('P3', { projectType: '公益岗位', status: '在建' }),
    bene('P3', { householdNo: 'H001' }),
  ];

  it('reports a household where nobody works', () => {
    const fs = only(run(rowsWith([{ workStatus: '无', workMonths: 0 }, {}])), 'BENE-02');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ projectNo: 'P3', householdNo: 'H001', code: 'no_working_member', severity: 'error' });
    expect(fs[0]!.message).toContain('家庭成员2人均无务工记录');
  });

  it('其他 counts as working, and so do work months > 0', () => {
    expect(only(run(rowsWith([{ workStatus: '无' }, { workStatus: '其他' }])), 'BENE-02')).toEqual([]);
    expect(only(run(rowsWith([{ workStatus: '无', workMonths: 3 }, { workStatus: '无' }])), 'BENE-02')).toEqual([]);
    expect(only(run(rowsWith([{ workStatus: '省外务工', workMonths: 0 }, {}])), 'BENE-02')).toEqual([]);
  });

  it('applies to 就业扶贫 too, and not to other types', () => {
    const jobs = [...household('H001'), project('P4', { projectType: '就业扶贫' }), bene('P4', { householdNo: 'H001' })];
    expect(only(run(jobs), 'BENE-02')).toHaveLength(1);
    const other = [...household('H001'), project('P5', { projectType: '金融扶贫' }), bene('P5', { householdNo: 'H001' })];
    expect(only(run(other), 'BENE-02')).toEqual([]);
  });

  it('the working-member test follows SPEC §3.0', () => {
    const m = (v: Partial<MemberValues>) => row<MemberValues>('members', v);
    expect(isWorkingMember(m({}))).toBe(false);
    expect(isWorkingMember(m({ workStatus: '无', workMonths: 0 }))).toBe(false);
    expect(isWorkingMember(m({ workStatus: '其他' }))).toBe(true);
    expect(isWorkingMember(m({ workMonths: 0.5 }))).toBe(true);
  });
});

describe('BENE-03 infrastructure/industry beneficiary with unmet basic needs', () => {
  it('reports each unmet indicator as suspect', () => {
    const fs = only(
      run([
        ...household('H001', { medicalOk: false, foodClothingOk: false, waterOk: false }),
        project('P6', { projectType: '产业发展', status: '在建' }),
        bene('P6', { householdNo: 'H001' }),
      ]),
      'BENE-03',
    );
    // water_ok is not one of 两不愁/三保障 for this rule
    expect(fs.map((f) => [f.field, f.severity])).toEqual([
      ['foodClothingOk', 'suspect'],
      ['medicalOk', 'suspect'],
    ]);
  });

  it('no finding when basic needs are met, or for other project types', () => {
    expect(only(run([...household('H001'), project('P6', { projectType: '基础设施' }), bene('P6', { householdNo: 'H001' })]), 'BENE-03')).toEqual([]);
    expect(
      only(run([...household('H001', { medicalOk: false }), project('P7', { projectType: '健康扶贫', status: '在建' }), bene('P7', { householdNo: 'H001' })]), 'BENE-03'),
    ).toEqual([]);
  });
});

describe('BENE-04 finished village infrastructure vs villages table', () => {
  const road = (over: Partial<ProjectValues> = {}) =>
    project('P8', { projectType: '基础设施', subType: '道路', status: '已完工', ...over });

  it('a finished 基础设施/道路 project in a village whose 通硬化路 = 否 is reported', () => {
    const fs = only(run([road(), village('张家村', { hardRoad: false }), village('李家村', { hardRoad: false })]), 'BENE-04');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ projectNo: 'P8', village: '张家村', field: 'hardRoad', value: false, severity: 'error' });
    expect(fs[0]!.householdNo).toBeUndefined();
    expect(fs[0]!.message).toContain('张家村的“通硬化路”仍为“否”');
  });

  it('not while the project is 在建, nor when the road is recorded, nor without a villages table', () => {
    expect(only(run([road({ status: '在建' }), village('张家村', { hardRoad: false })]), 'BENE-04')).toEqual([]);
    expect(only(run([road(), village('张家村', { hardRoad: true, powerGrid: false })]), 'BENE-04')).toEqual([]);
    expect(only(run([road()]), 'BENE-04')).toEqual([]);
  });

  it('电力 maps to 通动力电; a same-named village in another township does not match', () => {
    const power = project('P9', { projectType: '基础设施', subType: '电力', status: '已验收' });
    expect(only(run([power, village('张家村', { powerGrid: false })]), 'BENE-04').map((f) => f.field)).toEqual(['powerGrid']);
    const elsewhere = row<VillageValues>('villages', { county: '沅陵县', township: '马底驿乡', village: '张家村', hardRoad: false });
    expect(only(run([road(), elsewhere as NormalRow]), 'BENE-04')).toEqual([]);
  });

  it('without a village column the village is found in 建设地点', () => {
    const p = project('P8', { projectType: '基础设施', subType: '道路', status: '已完工', village: undefined, location: '官庄镇张家村3组' });
    const fs = only(run([p, village('张家村', { hardRoad: false })]), 'BENE-04');
    expect(fs.map((f) => f.village)).toEqual(['张家村']);
  });
});

describe('BENE-05 dangling beneficiary keys', () => {
  it('a beneficiary row for a project absent from the projects table', () => {
    const fs = run([...household('H001'), project('P1'), bene('P404', { householdNo: 'H001' })]);
    const b5 = only(fs, 'BENE-05');
    expect(b5.map((f) => [f.code, f.projectNo, f.householdNo])).toEqual([['project_missing', 'P404', 'H001']]);
    expect(b5[0]!.message).toContain('P404在项目库中不存在');
  });

  it('a household number or head ID that names no household', () => {
    const fs = only(
      run([...household('H001'), project('P1'), bene('P1', { householdNo: 'H999' }), bene('P1', { headId: '11010519491231002X' })]),
      'BENE-05',
    );
    expect(fs.map((f) => [f.code, f.householdNo, f.idNumber])).toEqual([
      ['head_id_missing', undefined, '11010519491231002X'],
      ['household_missing', 'H999', undefined],
    ]);
  });

  it('a head ID damaged by a spreadsheet is named as damaged, not just "not found"', () => {
    const fs = only(run([...household('H001'), project('P1'), bene('P1', { headId: '430524199901010000' })]), 'BENE-05');
    expect(fs.map((f) => f.code)).toEqual(['head_id_damaged']);
    expect(fs[0]!.message).toContain('设为文本');
  });

  it('a household number and head ID naming different households', () => {
    const rows = [...household('H001'), ...household('H002', {}, undefined, '430524197001010033'), project('P1')];
    const mismatch = bene('P1', { householdNo: 'H002', headId: HEAD_ID });
    const fs = only(run([...rows, mismatch]), 'BENE-05');
    expect(fs.map((f) => [f.code, f.params?.['byHeadId']])).toEqual([['household_mismatch', ['H001']]]);
    const agree = bene('P1', { householdNo: 'H001', headId: HEAD_ID });
    expect(only(run([...rows, agree]), 'BENE-05')).toEqual([]);
  });

  it('projects are not judged without a projects table, households not without a members/households table', () => {
    expect(only(run([...household('H001'), bene('P404', { householdNo: 'H001' })]), 'BENE-05')).toEqual([]);
    expect(only(run([project('P1'), bene('P1', { householdNo: 'H999' })]), 'BENE-05')).toEqual([]);
  });

  it('a row naming no project or no household at all is reported', () => {
    const fs = only(run([...household('H001'), project('P1'), bene(undefined, { householdNo: 'H001' }), bene('P1', {})]), 'BENE-05');
    expect(fs.map((f) => f.code).sort()).toEqual(['household_key_missing', 'project_no_missing']);
  });
});
