// Header reading for real layouts: the SPEC's alias table stays a subset of what is recognised,
// field codes and line breaks are ignored, a generic header takes its meaning from the table,
// a bare 证件号码 belongs to the person named to its left, headers of three rows are read whole,
// and a config override can force what detection cannot read.
import { describe, expect, it } from 'vitest';
import { aliasHits, detectHeader, type HeaderFound } from '../../src/ingest/header.js';
import { normalizeHeader } from '../../src/normalize/text.js';
import type { TableKind } from '../../src/model.js';
import type { SourceRow } from '../../src/ingest/xlsx.js';

/** SPEC §2.1, every header and alias as the SPEC writes it, by table and field key. */
const SPEC_ALIASES: [TableKind, string, string[]][] = [
  ['members', 'province', ['省', '省份']],
  ['members', 'city', ['市', '市州', '地市']],
  ['members', 'county', ['县', '县(市、区)', '区县']],
  ['members', 'township', ['乡镇', '乡(镇)', '乡镇(街道)']],
  ['members', 'village', ['行政村', '村', '村(社区)']],
  ['members', 'householdNo', ['户编号', '户码', '家庭编号']],
  ['members', 'name', ['姓名', '成员姓名']],
  ['members', 'idNumber', ['证件号码', '身份证号码', '身份证号', '公民身份号码']],
  ['members', 'idType', ['证件类型']],
  ['members', 'gender', ['性别']],
  ['members', 'birthDate', ['出生日期']],
  ['members', 'age', ['年龄']],
  ['members', 'relation', ['与户主关系']],
  ['members', 'ethnicity', ['民族']],
  ['members', 'education', ['文化程度']],
  ['members', 'schoolStatus', ['在校生状况', '在校生情况']],
  ['members', 'health', ['健康状况']],
  ['members', 'laborSkill', ['劳动技能']],
  ['members', 'workStatus', ['务工状况', '务工情况', '务工所在地']],
  ['members', 'workMonths', ['务工时间', '务工时间(月)']],
  ['members', 'medicalInsurance', ['是否参加城乡居民基本医疗保险']],
  ['members', 'criticalIllnessInsurance', ['是否参加大病保险']],
  ['members', 'phone', ['联系电话']],
  ['households', 'headName', ['户主姓名']],
  ['households', 'headId', ['户主证件号码', '户主身份证号码']],
  ['households', 'householdSize', ['家庭人口数', '人口数', '家庭人数']],
  ['households', 'povertyAttribute', ['贫困户属性']],
  ['households', 'mainCause', ['主要致贫原因']],
  ['households', 'identifiedOn', ['识别时间', '识别年度', '纳入时间']],
  ['households', 'status', ['脱贫标志', '脱贫状态', '贫困户状态', '户类型']],
  ['households', 'exitYear', ['脱贫年度', '脱贫时间']],
  ['households', 'incomePerCapita', ['人均纯收入', '家庭人均纯收入(元)']],
  ['households', 'incomeNet', ['家庭年纯收入', '年纯收入']],
  ['households', 'incomeWage', ['工资性收入']],
  ['households', 'incomeBusiness', ['生产经营性收入']],
  ['households', 'incomeProperty', ['财产性收入']],
  ['households', 'incomeTransfer', ['转移性收入']],
  ['households', 'expenseBusiness', ['生产经营性支出']],
  ['households', 'foodClothingOk', ['不愁吃不愁穿', '是否解决吃穿']],
  ['households', 'educationOk', ['义务教育有保障', '义务教育是否有保障']],
  ['households', 'medicalOk', ['基本医疗有保障', '基本医疗是否有保障']],
  ['households', 'housingOk', ['住房安全有保障', '住房是否安全', '是否危房']],
  ['households', 'waterOk', ['饮水安全有保障', '饮水是否安全', '饮水是否困难']],
  ['households', 'electricityOk', ['是否通生活用电']],
  ['households', 'tvOk', ['是否通广播电视']],
  ['households', 'phone', ['联系电话']],
  ['helpers', 'helperId', ['证件号码', '身份证号码', '帮扶责任人证件号码']],
  ['helpers', 'helperName', ['姓名', '帮扶责任人姓名', '帮扶人姓名']],
  ['helpers', 'gender', ['性别']],
  ['helpers', 'phone', ['联系电话', '手机号码']],
  ['helpers', 'unit', ['帮扶单位', '工作单位', '所在单位']],
  ['helpers', 'unitLevel', ['帮扶单位隶属关系', '单位隶属关系', '隶属关系']],
  ['helpers', 'rank', ['职务级别', '职级']],
  ['helpers', 'position', ['职务']],
  ['pairings', 'householdNo', ['户编号']],
  ['pairings', 'headId', ['户主证件号码']],
  ['pairings', 'helperId', ['帮扶责任人证件号码', '帮扶人证件号码']],
  ['pairings', 'helperName', ['帮扶责任人姓名']],
  ['pairings', 'startOn', ['帮扶开始时间', '结对开始时间']],
  ['pairings', 'endOn', ['帮扶结束时间', '结对结束时间']],
  ['residencies', 'name', ['姓名']],
  ['residencies', 'idNumber', ['证件号码']],
  ['residencies', 'role', ['身份', '驻村身份']],
  ['residencies', 'dispatchUnit', ['派出单位', '派驻单位']],
  ['residencies', 'startOn', ['驻村开始时间']],
  ['residencies', 'endOn', ['驻村结束时间']],
  ['residencies', 'phone', ['联系电话']],
  ['villages', 'isPoorVillage', ['是否贫困村']],
  ['villages', 'exitYear', ['出列年度']],
  ['villages', 'hardRoad', ['通硬化路']],
  ['villages', 'powerGrid', ['通动力电']],
  ['villages', 'broadband', ['通宽带']],
  ['villages', 'clinic', ['有卫生室']],
  ['villages', 'culturalRoom', ['有文化室']],
  ['projects', 'projectNo', ['项目编号', '项目代码']],
  ['projects', 'projectName', ['项目名称']],
  ['projects', 'projectType', ['项目类别', '项目类型']],
  ['projects', 'subType', ['项目子类']],
  ['projects', 'content', ['建设内容', '建设任务']],
  ['projects', 'location', ['建设地点']],
  ['projects', 'fundPlanDoc', ['资金下达文号', '资金计划文号']],
  ['projects', 'feasibilityDoc', ['可研报告', '实施方案']],
  ['projects', 'acceptanceDoc', ['验收报告']],
  ['projects', 'status', ['项目状态']],
  ['projects', 'startOn', ['开工时间']],
  ['projects', 'endOn', ['完工时间', '竣工时间']],
  ['projects', 'totalAmount', ['总投资(万元)']],
  ['projects', 'fiscalAmount', ['财政专项扶贫资金(万元)']],
  ['projects', 'noticeUrl', ['公示公告网址', '公告公示网址']],
  ['projects', 'noticeAmount', ['公示资金数额(万元)', '公示金额']],
  ['beneficiaries', 'projectNo', ['项目编号']],
  ['beneficiaries', 'householdNo', ['户编号']],
  ['beneficiaries', 'headId', ['户主证件号码']],
  ['beneficiaries', 'benefitType', ['受益类型']],
];

const knows = (table: TableKind, key: string, header: string): boolean =>
  (aliasHits(normalizeHeader(header).name) ?? []).some((h) => h.table === table && h.key === key);

function rows(...lines: (string | null)[][]): SourceRow[] {
  return lines.map((cells, i) => ({ row: i + 1, cells }));
}

function found(h: ReturnType<typeof detectHeader>): HeaderFound {
  if (!h.ok) throw new Error(`header not found: ${h.bestText}`);
  return h;
}

function fieldsOf(h: HeaderFound, table: TableKind): Record<string, number> {
  return Object.fromEntries((h.bindings.get(table) ?? []).map((b) => [b.key, b.col]));
}

describe('SPEC §2.1 aliases', () => {
  it.each(SPEC_ALIASES)('%s.%s is named by every SPEC header (and its Traditional form)', (table, key, headers) => {
    for (const h of headers) expect(knows(table, key, h), h).toBe(true);
  });
  it('Traditional headers are recognised', () => {
    expect(knows('members', 'relation', '與戶主關係')).toBe(true);
    expect(knows('pairings', 'startOn', '幫扶開始時間')).toBe(true);
  });
});

describe('header text', () => {
  it.each([
    ['B92-1姓名', 'residencies', 'name'],
    ['AAB004 证件号码', 'members', 'idNumber'],
    ['AAC001 贫困户编号', 'households', 'householdNo'],
    ['A01.与户主关系', 'members', 'relation'],
    ['1.户编号', 'members', 'householdNo'],
    ['（3）与户主关系', 'members', 'relation'],
    ['③健康状况', 'members', 'health'],
    ['户主\n姓名', 'households', 'headName'],
    ['户主证件\r\n号码', 'households', 'headId'],
    ['*姓名', 'members', 'name'],
    ['农户编码', 'members', 'householdNo'],
    ['贫困户编号', 'households', 'householdNo'],
    ['县区', 'members', 'county'],
    ['村居', 'members', 'village'],
    ['家庭成员姓名', 'members', 'name'],
    ['致贫原因1', 'households', 'mainCause'],
  ] as [string, TableKind, string][])('%s → %s.%s', (header, table, key) => {
    expect(knows(table, key, header)).toBe(true);
  });
  it('a header that is only a code stays as it is', () => {
    expect(normalizeHeader('AAB004').name).toBe('AAB004');
    expect(normalizeHeader('2016').name).toBe('2016');
  });
});

describe('a generic header takes its meaning from the table', () => {
  it('开始时间 / 结束时间 are the pairing period in a pairing sheet', () => {
    const h = found(detectHeader(rows(['户编号', '户主姓名', '帮扶责任人姓名', '帮扶责任人证件号码', '开始时间', '结束时间'])));
    expect(h.tables).toEqual(['pairings']);
    expect(fieldsOf(h, 'pairings')).toMatchObject({ startOn: 4, endOn: 5 });
  });
  it('… the residency period in a residency sheet', () => {
    const h = found(detectHeader(rows(['村', '姓名', '身份证号码', '驻村身份', '派出单位', '开始时间', '结束时间'])));
    expect(h.tables).toEqual(['residencies']);
    expect(fieldsOf(h, 'residencies')).toMatchObject({ startOn: 5, endOn: 6 });
  });
  it('… the project dates in a project sheet', () => {
    const h = found(detectHeader(rows(['项目编号', '项目名称', '项目类别', '开始时间', '结束时间'])));
    expect(h.tables).toEqual(['projects']);
    expect(fieldsOf(h, 'projects')).toMatchObject({ startOn: 3, endOn: 4 });
  });
  it('a specific header beats a generic one for the same field, without a duplicate warning', () => {
    const h = found(detectHeader(rows(['项目编号', '项目名称', '项目类别', '开工时间', '开始时间'])));
    expect(fieldsOf(h, 'projects')['startOn']).toBe(3);
    expect(h.duplicates).toEqual([]);
  });
  it('bare dates alone make no table', () => {
    expect(detectHeader(rows(['姓名', '开始时间', '结束时间'])).ok).toBe(false);
  });
});

describe('whose ID number is a bare 证件号码', () => {
  it('the head’s, next to 户主姓名 on a pairing export: not a helper list', () => {
    const h = found(detectHeader(rows(['户主姓名', '证件号码', '帮扶责任人', '帮扶单位', '联系电话', '结对时间'])));
    expect(h.tables[0]).toBe('pairings');
    expect(fieldsOf(h, 'pairings')).toMatchObject({ headId: 1, helperName: 2, startOn: 5 });
    expect(fieldsOf(h, 'pairings')['helperId']).toBeUndefined();
    expect(fieldsOf(h, 'helpers')['helperId']).toBeUndefined();
  });
  it('the helper’s, next to 帮扶责任人姓名', () => {
    const h = found(detectHeader(rows(['帮扶责任人姓名', '身份证号', '帮扶单位', '职务级别'])));
    expect(h.tables).toEqual(['helpers']);
    expect(fieldsOf(h, 'helpers')).toMatchObject({ helperName: 0, helperId: 1, unit: 2 });
  });
  it('a sheet of one row per household with the head’s name and ID is a households table', () => {
    const h = found(detectHeader(rows(['户编号', '姓名', '身份证号码', '家庭人口数', '人均纯收入'])));
    expect(h.tables).toEqual(['households']);
    expect(fieldsOf(h, 'households')).toMatchObject({ householdNo: 0, headName: 1, headId: 2, householdSize: 3 });
  });
  it('members linked by 户主身份证号 are a member table without 户编号', () => {
    const h = found(detectHeader(rows(['户主身份证号', '姓名', '身份证号码', '与户主关系'])));
    expect(h.tables).toEqual(['members']);
    expect(h.missing).toEqual([]);
    expect(fieldsOf(h, 'members')).toMatchObject({ headId: 0, name: 1, idNumber: 2, relation: 3 });
  });
  it('a list keyed by 项目编号 and the head’s ID is a beneficiary list', () => {
    const h = found(detectHeader(rows(['项目编号', '户主姓名', '身份证号码', '受益方式'])));
    expect(h.tables).toEqual(['beneficiaries']);
    expect(fieldsOf(h, 'beneficiaries')).toMatchObject({ projectNo: 0, headName: 1, headId: 2 });
  });
});

describe('headers of up to three rows', () => {
  it('reads a three-row merged header whole', () => {
    const h = found(
      detectHeader(
        rows(
          ['某村驻村工作队花名册'],
          ['序号', '村', '驻村干部信息', null, null, '派驻情况', null, null],
          [null, null, '姓名', '身份证号码', '联系电话', '派出单位', '驻村时间', null],
          [null, null, null, null, null, null, '开始时间', '结束时间'],
          ['1', '白竹村', '甲', '430524196001010011', '13900001111', '县组织部', '2023-01', null],
        ),
      ),
    );
    expect(h.headerRows).toEqual([2, 3, 4]);
    expect(h.tables).toEqual(['residencies']);
    expect(fieldsOf(h, 'residencies')).toMatchObject({ village: 1, name: 2, idNumber: 3, phone: 4, dispatchUnit: 5, startOn: 6, endOn: 7 });
  });
  it('joins a group to the cell below when that names a field, and a group’s unit applies below it', () => {
    const h = found(
      detectHeader(
        rows(
          ['户编号', '户主', null, '收入（元）', null, '人均纯收入'],
          [null, '姓名', '证件号码', '工资性收入', '转移性收入', null],
        ),
      ),
    );
    expect(h.tables).toEqual(['households']);
    const b = h.bindings.get('households')!;
    expect(Object.fromEntries(b.map((x) => [x.key, x.col]))).toMatchObject({ householdNo: 0, headName: 1, headId: 2, incomeWage: 3, incomeTransfer: 4, incomePerCapita: 5 });
    expect(b.find((x) => x.key === 'incomeWage')!.unit).toBe('元');
  });
});

describe('the config hook (HeaderOverride)', () => {
  it('forces tables, header row and bindings that detection cannot read', () => {
    const sheet = rows(['说明：本表由系统导出'], ['字段1', '字段2', '字段3', '字段4'], ['H1', '甲', '430524196001010011', '户主']);
    expect(detectHeader(sheet).ok).toBe(false);
    const h = found(
      detectHeader(sheet, { tables: ['members'], headerRows: [2], bindings: { 字段1: 'householdNo', 字段2: 'name', C: 'idNumber', 字段4: 'relation' } }),
    );
    expect(h.tables).toEqual(['members']);
    expect(h.headerRows).toEqual([2]);
    expect(fieldsOf(h, 'members')).toEqual({ householdNo: 0, name: 1, idNumber: 2, relation: 3 });
    expect(h.forced).toBe(true);
  });
});

describe('a pairing sheet whose helper is named by a bare 姓名 / 证件号码', () => {
  it('户主姓名 names the household, the bare 姓名 and 证件号码 after it the helper', () => {
    const h = found(detectHeader(rows(['户编号', '户主姓名', '姓名', '证件号码', '帮扶单位', '帮扶开始时间'])));
    expect(h.tables).toEqual(['pairings', 'helpers']);
    expect(fieldsOf(h, 'pairings')).toMatchObject({ householdNo: 0, headName: 1, helperName: 2, helperId: 3, startOn: 5 });
    expect(fieldsOf(h, 'pairings')['headId']).toBeUndefined();
    expect(fieldsOf(h, 'helpers')).toMatchObject({ helperName: 2, helperId: 3, unit: 4 });
  });
  it('a member list with 户主姓名 keeps its bare 姓名 / 证件号码 for the member', () => {
    const h = found(detectHeader(rows(['户编号', '户主姓名', '姓名', '证件号码', '与户主关系'])));
    expect(h.tables[0]).toBe('members');
    expect(fieldsOf(h, 'members')).toMatchObject({ name: 2, idNumber: 3, relation: 4 });
  });
});

describe('FILE-01 names the closest table and what it lacks', () => {
  it('像是结对帮扶表，但缺少：…', async () => {
    const { ingest, writeTmp, msg } = await import('../ingest/helpers.js');
    const c = await ingest(writeTmp('x.csv', '帮扶人,开始时间,结束时间\n某,2016-01-01,\n'));
    const f = c.findings.filter((x) => x.rule === 'FILE-01');
    expect(f).toHaveLength(1);
    expect(msg(f[0]!)).toContain('像是结对帮扶表，但缺少：帮扶责任人证件号码、户编号或户主证件号码；可用 qingxi inspect 查看，并在配置 columns 中指定');
  });
});

describe('FILE-01 never lists nothing', () => {
  it('a row with every required header of its closest table names the header that tells the table apart', () => {
    const h = detectHeader(rows(['帮扶责任人姓名', '帮扶责任人证件号码', '联系电话']));
    expect(h.ok).toBe(false);
    if (h.ok) return;
    expect(h.missingLabels.length).toBeGreaterThan(0);
    expect(h.missingLabels.every((l) => l.length > 0)).toBe(true);
  });
});

describe('member list or household list', () => {
  it('姓名 + 证件号码 + household fields + personal columns (性别, 健康状况) is a member list feeding households', () => {
    const h = found(detectHeader(rows(['户编号', '姓名', '证件号码', '性别', '健康状况', '家庭人口数', '人均纯收入'])));
    expect(h.tables).toEqual(['members', 'households']);
  });
  it('姓名 + 证件号码 + household fields only is a household list', () => {
    const h = found(detectHeader(rows(['户编号', '姓名', '证件号码', '联系电话', '家庭人口数', '人均纯收入'])));
    expect(h.tables).toEqual(['households']);
  });
});

describe('every corpus layout read in Traditional characters', () => {
  it('detects the same tables and binds the same fields', async () => {
    const OpenCC = await import('opencc-js');
    const toTraditional: (s: string) => string = OpenCC.Converter({ from: 'cn', to: 'tw' });
    expect(toTraditional('户编号与户主关系')).toBe('戶編號與戶主關係');
    const { LAYOUTS } = await import('../fixtures/real/layouts.js');
    for (const l of LAYOUTS) {
      const lines = [...(l.above ?? []), ...l.header];
      const asRows = (conv: (s: string) => string): SourceRow[] =>
        lines.map((cells, i) => ({ row: i + 1, cells: cells.map((c) => (typeof c === 'string' ? conv(c) : c)) }));
      const simplified = found(detectHeader(asRows((s) => s)));
      const traditional = detectHeader(asRows(toTraditional));
      expect(traditional.ok, l.id).toBe(true);
      if (!traditional.ok) continue;
      expect(traditional.tables, l.id).toEqual(simplified.tables);
      for (const t of simplified.tables) expect(fieldsOf(traditional, t), `${l.id} ${t}`).toEqual(fieldsOf(simplified, t));
    }
  });
});
