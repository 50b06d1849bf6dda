// A synthetic province for `npm run bench -- --province`: ~100 county folders, each holding the
// county's exports as separate files (成员信息, 贫困户信息, 结对帮扶, 帮扶责任人, 驻村工作队, 贫困村,
// 项目库, 项目受益户), as CSV (UTF-8) and/or xlsx, shaped like SPEC §2 so `qingxi check` reads them.
//
// Why not src/samples/generate.ts: it builds every household as objects and writes xlsx through
// exceljs (~60 s per 200,000 members); a province is 50× that. Here every value is a pure function
// of (county, index), rows are built as strings and written as they are made: CSV text in 1 MiB
// writes, xlsx sheet XML deflated into the zip as it is generated (scripts/hostile-corpus.ts's
// streaming zip writer). Memory stays flat whatever the size.
//
// The data is clean by construction (every row-level and cross rule passes) except for a fixed
// set of planted defects per county, counted in the returned `expected` so a bench or a test can
// compare what the check (or DuckDB) finds with what was planted:
// - ID-08: 3 spouses per county (from the second county on) carry the ID number of the spouse at
//   the same place in the previous county (same person data, other county: a cross-county duplicate);
// - ID-03: 2 spouses per county with a wrong check digit;
// - BASE-04: 1 household whose 家庭人口数 is one more than its members, 1 household row without members;
// - PAIR-07: 1 helper with 3 households at once; PAIR-09: 2 pairing rows entered twice;
//   PAIR-03: 2 households whose pairing stops and resumes 2 months later; PAIR-08: 1 pairing naming
//   a household that does not exist;
// - HELPER-03: 2 helpers sharing one phone; BENE-05: 1 beneficiary row naming no household.
// PAIR-01 is not planted but follows from the sizes: households without any pairing (with the
// issue's 1 pairing per 10 members, about two households in three).
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { checkChar, fromEpochDay, epochDay, pad } from '../src/samples/idcard.js';
import { writeXlsxStream, type Part } from './hostile-corpus.js';

export type ProvinceFormat = 'csv' | 'xlsx';

export interface ProvinceOptions {
  /** output folder: one sub-folder per format (`csv/`, `xlsx/`), one folder per county inside */
  outDir: string;
  /** member rows in all (default 10,000,000) */
  members: number;
  /** counties (default: one per ~100,000 members, at least 2) */
  counties?: number;
  /** pairing rows before the planted ones (default members / 10) */
  pairings?: number;
  /** projects (default members / 100); 3 beneficiary rows each */
  projects?: number;
  formats: ProvinceFormat[];
  /** zlib level of the xlsx parts (default 1: generation speed; Excel itself writes ~6) */
  deflateLevel?: number;
}

/** What a correct check finds, by construction. */
export interface ProvinceExpected {
  'ID-08': number;
  /** ID-08 findings whose places lie in two counties (all of them, by construction) */
  'ID-08 cross-county': number;
  'ID-03': number;
  'BASE-04': number;
  'PAIR-01': number;
  'PAIR-03': number;
  'PAIR-07': number;
  'PAIR-08': number;
  'PAIR-09': number;
  'HELPER-03': number;
  'BENE-05': number;
}

export interface ProvinceResult {
  counties: number;
  /** data rows per table, planted rows included */
  rows: Record<TableName, number>;
  dataRows: number;
  expected: ProvinceExpected;
  /** per format: files, bytes on disk, seconds to write */
  written: Partial<Record<ProvinceFormat, { dir: string; files: number; bytes: number; seconds: number }>>;
}

export type TableName = 'members' | 'households' | 'pairings' | 'helpers' | 'residencies' | 'villages' | 'projects' | 'beneficiaries';

/** cell kinds in xlsx: s = shared string (small vocabularies), i = inline string, n = number */
type Kind = 's' | 'i' | 'n';

interface TableDef {
  name: TableName;
  file: string;
  sheet: string;
  /** title line above the header (as real exports have), or none */
  title?: (county: County) => string;
  headers: string[];
  kinds: Kind[];
  rows: (county: County) => Iterable<string[]>;
}

// ---------------------------------------------------------------------------------------------
// region codes and names

interface CountyCode {
  code: string;
  name: string;
}

function repoRoot(): string {
  let d = import.meta.dirname;
  while (!existsSync(join(d, 'package.json')) && dirname(d) !== d) d = dirname(d);
  return d;
}

/** County-level codes in use in 2019 (so ID-05 knows them), 湖南 first, then the others in code order. */
function countyCodes(n: number): CountyCode[] {
  const text = readFileSync(join(repoRoot(), 'data/regions.tsv'), 'utf8');
  const all: CountyCode[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line === '') continue;
    const [code, , to, names] = line.split('\t');
    if (!code || !/^\d{6}$/.test(code) || code.endsWith('00') || code.endsWith('01') || Number(to) < 2019) continue;
    const name = names!.split('|')[0]!;
    if (!/[县区市旗]$/.test(name) || name === '市辖区') continue;
    all.push({ code, name });
  }
  all.sort((a, b) => (a.code.startsWith('43') === b.code.startsWith('43') ? a.code.localeCompare(b.code) : a.code.startsWith('43') ? -1 : 1));
  if (all.length < n) throw new Error(`区划代码只有 ${all.length} 个县级代码，不够 ${n} 个县`);
  return all.slice(0, n);
}

const TOWNSHIP_FIRST = ['安', '平', '和', '兴', '福', '永', '长', '新', '东', '西', '南', '北'];
const VILLAGE_A = ['红', '星', '青', '山', '水', '花', '石', '桥', '河', '林'];
const VILLAGE_B = ['岭', '坪', '湾', '冲', '塘', '桥', '坝', '溪', '田', '口'];
const TOWNSHIPS = 10;
const VILLAGES_PER_TOWNSHIP = 20;
const VILLAGES = TOWNSHIPS * VILLAGES_PER_TOWNSHIP;
const townshipName = (t: number) => `${TOWNSHIP_FIRST[t % TOWNSHIP_FIRST.length]}乐镇`;
const villageName = (v: number) => `${VILLAGE_A[v % 10]}${VILLAGE_B[Math.floor(v / 10) % 10]}村`;

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鹏飞建国春燕志文海波慧婷宇浩然俊峰云龙凤琴';
function personName(n: number): string {
  const s = SURNAMES[n % SURNAMES.length]!;
  const a = GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length]!;
  // two-character given names for two people in three
  return n % 3 === 0 ? s + a : s + a + GIVEN[(n * 7 + 3) % GIVEN.length]!;
}

// ---------------------------------------------------------------------------------------------
// dates and ID numbers

const ymdText = (day: number): string => {
  const d = fromEpochDay(day);
  return `${d.y}-${pad(d.m, 2)}-${pad(d.d, 2)}`;
};
/** Birth dates of a range of days, precomputed: text (出生日期) and the 8 digits of the ID number. */
function dayTable(from: number, count: number): { text: string[]; digits: string[] } {
  const text: string[] = [];
  const digits: string[] = [];
  for (let i = 0; i < count; i++) {
    const t = ymdText(from + i);
    text.push(t);
    digits.push(t.replace(/-/g, ''));
  }
  return { text, digits };
}
// adults born 1960-01-01 + 0..8999 days (ages 35–60 at 2020-04-30), children 2008-01-01 + 0..1399
// (ages 8–12: 小学), helpers and cadres 1965-01-01 + 0..6999. The sequence digits keep the three
// apart: adults 000–299, children 300–599, helpers 600–999 (odd = 男).
const ADULT_DAYS = 9000;
const CHILD_DAYS = 1400;
const HELPER_DAYS = 7000;
const ADULTS = dayTable(epochDay({ y: 1960, m: 1, d: 1 }), ADULT_DAYS);
const CHILDREN = dayTable(epochDay({ y: 2008, m: 1, d: 1 }), CHILD_DAYS);
const HELPERS = dayTable(epochDay({ y: 1965, m: 1, d: 1 }), HELPER_DAYS);
/** members a county can hold before the sequence digits run out (children: 300 + 2·150) */
export const MAX_MEMBERS_PER_COUNTY = CHILD_DAYS * 150;

function idNumber(region: string, birth8: string, seq: number): string {
  const first17 = region + birth8 + pad(seq, 3);
  return first17 + checkChar(first17);
}
/** The same number with a wrong check character (ID-03). */
function wrongCheck(id: string): string {
  const CHECK = '10X98765432';
  return id.slice(0, 17) + CHECK[(CHECK.indexOf(id[17]!) + 1) % 11]!;
}

// ---------------------------------------------------------------------------------------------
// the county: sizes and where the planted defects go

interface County {
  index: number;
  code: string;
  name: string;
  /** the previous county's code (the cross-county duplicates' origin) */
  prevCode: string | undefined;
  members: number;
  households: number;
  pairings: number;
  helpers: number;
  projects: number;
  /** household indexes whose spouse carries the previous county's number (ID-08) */
  dupHouseholds: Set<number>;
  /** household indexes whose spouse has a wrong check digit (ID-03) */
  badCheckHouseholds: Set<number>;
  /** household whose 家庭人口数 is one too many (BASE-04) */
  sizePlus: number;
}

/** Household sizes repeat 3, 3, 4 (3.33 members a household); the last one is cut to fit. */
const householdStart = (hx: number) => 10 * Math.floor(hx / 3) + [0, 3, 6][hx % 3]!;
function householdSize(c: County, hx: number): number {
  return Math.min(hx % 3 === 2 ? 4 : 3, c.members - householdStart(hx));
}
const householdsFor = (members: number) => {
  let h = 3 * Math.floor(members / 10);
  while (householdStart(h) < members) h++;
  return h;
};
const householdNo = (c: County, hx: number) => `${c.code}${pad(hx, 8)}`;
const villageOf = (c: County, hx: number) => Math.floor((hx * VILLAGES) / c.households);
/** the household of pairing i (pairings spread evenly over the county's households) */
const pairedHousehold = (c: County, i: number) => Math.floor((i * c.households) / c.pairings);

function makeCounty(index: number, codes: CountyCode[], members: number, pairings: number, projects: number): County {
  const households = householdsFor(members);
  const c: County = {
    index,
    code: codes[index]!.code,
    name: codes[index]!.name,
    prevCode: index > 0 ? codes[index - 1]!.code : undefined,
    members,
    households,
    pairings: Math.min(pairings, households),
    helpers: 0,
    projects,
    dupHouseholds: new Set(),
    badCheckHouseholds: new Set(),
    sizePlus: Math.floor(households / 3),
  };
  // one helper for every two pairings, plus the one of the dangling pairing (PAIR-08)
  c.helpers = Math.ceil(c.pairings / 2) + 1;
  if (index > 0) {
    // alternate places by county parity, so the previous county's spouse there is an original
    const base = Math.floor((households * (2 + (index % 2) * 3)) / 11);
    for (let t = 0; t < 3; t++) c.dupHouseholds.add(base + t * 3);
  }
  for (const d of [1, 2]) c.badCheckHouseholds.add(Math.floor(households / 2) + d);
  return c;
}

// ---------------------------------------------------------------------------------------------
// people

interface Member {
  j: number;
  male: boolean;
  child: boolean;
  relation: string;
}

function memberOf(c: County, hx: number, k: number): Member {
  const j = householdStart(hx) + k;
  if (k === 0) return { j, male: true, child: false, relation: '户主' };
  if (k === 1) return { j, male: false, child: false, relation: '配偶' };
  const male = j % 2 === 0;
  return { j, male, child: true, relation: male ? '之子' : '之女' };
}

function memberId(c: County, hx: number, m: Member): string {
  const days = m.child ? CHILDREN : ADULTS;
  const n = m.child ? CHILD_DAYS : ADULT_DAYS;
  const seq = (m.child ? 300 : 0) + 2 * Math.floor(m.j / n) + (m.male ? 1 : 0);
  const region = m.relation === '配偶' && c.dupHouseholds.has(hx) ? c.prevCode! : c.code;
  const id = idNumber(region, days.digits[m.j % n]!, seq);
  return m.relation === '配偶' && c.badCheckHouseholds.has(hx) ? wrongCheck(id) : id;
}
const memberBirth = (m: Member) => (m.child ? CHILDREN.text[m.j % CHILD_DAYS]! : ADULTS.text[m.j % ADULT_DAYS]!);
const memberName = (m: Member) => personName(m.j * 13 + (m.child ? 1 : 0));
const householdPhone = (c: County, hx: number) => `15${pad(c.index, 3)}${pad(hx, 6)}`;

/** helper or resident cadre number i of the county */
function helperId(c: County, i: number): string {
  return idNumber(c.code, HELPERS.digits[i % HELPER_DAYS]!, 600 + 2 * Math.floor(i / HELPER_DAYS) + (i % 2));
}
const helperName = (i: number) => personName(i * 17 + 5);
/** HELPER-03: helper 7 registered with helper 6's phone */
const helperPhone = (c: County, i: number) => `13${pad(c.index, 3)}${pad(i === 7 ? 6 : i, 6)}`;

// ---------------------------------------------------------------------------------------------
// tables

const AS_START = '2016-01-01';

function* memberRows(c: County): Iterable<string[]> {
  for (let hx = 0; hx < c.households; hx++) {
    const v = villageOf(c, hx);
    const t = townshipName(Math.floor(v / VILLAGES_PER_TOWNSHIP));
    const vn = villageName(v);
    const no = householdNo(c, hx);
    const size = householdSize(c, hx);
    for (let k = 0; k < size; k++) {
      const m = memberOf(c, hx, k);
      const works = !m.child && m.j % 3 !== 0;
      yield [
        c.name, t, vn, no, memberName(m), memberId(c, hx, m), m.male ? '男' : '女', memberBirth(m), m.relation, '汉族',
        m.child ? '' : '初中', m.child ? '小学' : '非在校生', '健康', m.child ? '无劳动力' : '普通劳动力',
        works ? '县外省内务工' : '无', works ? '8' : '0', '是', '是', k === 0 ? householdPhone(c, hx) : '',
      ];
    }
  }
}

function* householdRows(c: County): Iterable<string[]> {
  const row = (hx: number, no: string, size: number, headName: string, headId: string, v: number): string[] => {
    // the declared size (one too many on the BASE-04 household) times per-capita income is the net
    // income, so BASE-11's arithmetic holds on every row
    const declared = hx === c.sizePlus ? size + 1 : size;
    const perCapita = 5000 + (hx % 50) * 100;
    const net = perCapita * declared;
    return [
      c.name, townshipName(Math.floor(v / VILLAGES_PER_TOWNSHIP)), villageName(v), no, headName, headId,
      String(declared), '一般贫困户', '缺技术', '2014-03-01', '已脱贫', '2018',
      String(perCapita), String(net), String(net - 3000), '3000', '0', '1000', '1000',
      '是', '是', '是', '是', '是', '是', '是', householdPhone(c, hx),
    ];
  };
  for (let hx = 0; hx < c.households; hx++) {
    const head = memberOf(c, hx, 0);
    const size = householdSize(c, hx);
    // the household's own numbers: per-capita income × size = net income (BASE-11 holds)
    yield row(hx, householdNo(c, hx), size, memberName(head), memberId(c, hx, head), villageOf(c, hx));
  }
  // a household row without any member rows (BASE-04: 3 people declared, none listed)
  const extra = c.helpers + 2 * VILLAGES + 1;
  yield row(c.households, `${c.code}77777777`, 3, helperName(extra), helperId(c, extra), VILLAGES - 1);
}

const DANGLING_HOUSEHOLD = (c: County) => `${c.code}99999999`;

function* pairingRows(c: County): Iterable<string[]> {
  const row = (hx: number, helper: number, start: string, end: string, no = householdNo(c, hx)): string[] => {
    const v = Math.min(VILLAGES - 1, villageOf(c, hx));
    const head = memberOf(c, Math.min(hx, c.households - 1), 0);
    const headId = no === householdNo(c, hx) ? memberId(c, hx, head) : '';
    return [
      c.name, townshipName(Math.floor(v / VILLAGES_PER_TOWNSHIP)), villageName(v), no, no === householdNo(c, hx) ? memberName(head) : '', headId,
      helperName(helper), helperId(c, helper), `${c.name}农业农村局`, '县', '科员级', helperPhone(c, helper), start, end,
    ];
  };
  const small = c.pairings < 50;
  for (let i = 0; i < c.pairings; i++) {
    const hx = pairedHousehold(c, i);
    const helper = Math.floor(i / 2);
    if (!small && (i === 30 || i === 40)) {
      // PAIR-03: the pairing stops at the end of 2017 and resumes on 1 March 2018
      yield row(hx, helper, AS_START, '2017-12-31');
      yield row(hx, helper, '2018-03-01', '');
      continue;
    }
    yield row(hx, helper, AS_START, '');
    // PAIR-09: the same row entered twice
    if (!small && (i === 10 || i === 20)) yield row(hx, helper, AS_START, '');
  }
  if (!small) {
    // PAIR-07: helper 0 also paired with the household of pairing 4: three households at once
    yield row(pairedHousehold(c, 4), 0, AS_START, '');
  }
  // PAIR-08: a pairing naming a household that is in no table (with its own, listed helper)
  yield row(0, c.helpers - 1, AS_START, '', DANGLING_HOUSEHOLD(c));
}

function* helperRows(c: County): Iterable<string[]> {
  for (let i = 0; i < c.helpers; i++) {
    yield [helperName(i), i % 2 ? '男' : '女', helperId(c, i), helperPhone(c, i), `${c.name}农业农村局`, '县', '科员级', '科员'];
  }
}

const isPoorVillage = (v: number) => v % 4 === 0;

function* residencyRows(c: County): Iterable<string[]> {
  for (let v = 0; v < VILLAGES; v += 4) {
    for (const [k, role] of [[0, '第一书记'], [1, '工作队员']] as const) {
      const i = c.helpers + 2 * v + k;
      yield [
        c.name, townshipName(Math.floor(v / VILLAGES_PER_TOWNSHIP)), villageName(v), helperName(i), i % 2 ? '男' : '女', helperId(c, i), role,
        `${c.name}交通运输局`, '2015-08-01', '', `17${pad(c.index, 3)}${pad(i, 6)}`,
      ];
    }
  }
}

function* villageRows(c: County): Iterable<string[]> {
  for (let v = 0; v < VILLAGES; v++) {
    const poor = isPoorVillage(v);
    yield [c.name, townshipName(Math.floor(v / VILLAGES_PER_TOWNSHIP)), villageName(v), poor ? '是' : '否', poor ? '2018' : '', '是', '是', '是', '是', '是'];
  }
}

const projectNo = (c: County, p: number) => `XM${c.code}${pad(p, 6)}`;

function* projectRows(c: County): Iterable<string[]> {
  for (let p = 0; p < c.projects; p++) {
    const v = p % VILLAGES;
    const industry = p % 2 === 0;
    yield [
      projectNo(c, p), `${villageName(v)}${industry ? '产业发展' : '道路硬化'}项目${p + 1}`, industry ? '产业发展' : '基础设施', industry ? '种植' : '道路',
      industry ? '发展特色种植' : '硬化通村道路', c.name, townshipName(Math.floor(v / VILLAGES_PER_TOWNSHIP)), villageName(v),
      `${c.name.slice(0, 1)}财农〔2018〕${p + 1}号`, '有', '有', '已验收', '2018-03-01', '2018-10-31', '50', '40',
      `https://www.example.gov.cn/gs/${c.code}/${p + 1}.html`, '40',
    ];
  }
}

function* beneficiaryRows(c: County): Iterable<string[]> {
  for (let p = 0; p < c.projects; p++) {
    for (let b = 0; b < 3; b++) {
      const hx = (p * 7 + b * 131) % c.households;
      const head = memberOf(c, hx, 0);
      yield [projectNo(c, p), householdNo(c, hx), memberName(head), memberId(c, hx, head), '直接受益'];
    }
  }
  // BENE-05: a beneficiary row naming a household that is in no table
  if (c.projects > 0) yield [projectNo(c, 0), `${c.code}88888888`, '', '', '直接受益'];
}

const S: Kind = 's';
const I: Kind = 'i';
const N: Kind = 'n';

const TABLES: TableDef[] = [
  {
    name: 'members',
    file: '成员信息',
    sheet: '家庭成员',
    title: (c) => `${c.name}建档立卡贫困人口信息表`,
    headers: ['县', '乡镇', '行政村', '户编号', '姓名', '证件号码', '性别', '出生日期', '与户主关系', '民族', '文化程度', '在校生状况', '健康状况', '劳动技能', '务工状况', '务工时间', '是否参加城乡居民基本医疗保险', '是否参加大病保险', '联系电话'],
    kinds: [S, S, S, I, I, I, S, I, S, S, S, S, S, S, S, N, S, S, I],
    rows: memberRows,
  },
  {
    name: 'households',
    file: '贫困户信息',
    sheet: '贫困户',
    headers: ['县', '乡镇', '行政村', '户编号', '户主姓名', '户主证件号码', '家庭人口数', '贫困户属性', '主要致贫原因', '识别时间', '脱贫标志', '脱贫年度', '人均纯收入', '家庭年纯收入', '工资性收入', '生产经营性收入', '财产性收入', '转移性收入', '生产经营性支出', '不愁吃不愁穿', '义务教育有保障', '基本医疗有保障', '住房安全有保障', '饮水安全有保障', '是否通生活用电', '是否通广播电视', '联系电话'],
    kinds: [S, S, S, I, I, I, N, S, S, I, S, N, N, N, N, N, N, N, N, S, S, S, S, S, S, S, I],
    rows: householdRows,
  },
  {
    name: 'pairings',
    file: '结对帮扶',
    sheet: '结对帮扶',
    title: (c) => `${c.name}结对帮扶花名册`,
    headers: ['县', '乡镇', '行政村', '户编号', '户主姓名', '户主证件号码', '帮扶责任人姓名', '帮扶责任人证件号码', '帮扶单位', '帮扶单位隶属关系', '职务级别', '帮扶责任人联系电话', '帮扶开始时间', '帮扶结束时间'],
    kinds: [S, S, S, I, I, I, I, I, S, S, S, I, I, I],
    rows: pairingRows,
  },
  {
    name: 'helpers',
    file: '帮扶责任人',
    sheet: '帮扶责任人',
    headers: ['姓名', '性别', '证件号码', '联系电话', '帮扶单位', '帮扶单位隶属关系', '职务级别', '职务'],
    kinds: [I, S, I, I, S, S, S, S],
    rows: helperRows,
  },
  {
    name: 'residencies',
    file: '驻村工作队',
    sheet: '驻村工作队',
    headers: ['县', '乡镇', '行政村', '姓名', '性别', '证件号码', '身份', '派出单位', '驻村开始时间', '驻村结束时间', '联系电话'],
    kinds: [S, S, S, I, S, I, S, S, I, I, I],
    rows: residencyRows,
  },
  {
    name: 'villages',
    file: '贫困村',
    sheet: '贫困村',
    headers: ['县', '乡镇', '行政村', '是否贫困村', '出列年度', '通硬化路', '通动力电', '通宽带', '有卫生室', '有文化室'],
    kinds: [S, S, S, S, N, S, S, S, S, S],
    rows: villageRows,
  },
  {
    name: 'projects',
    file: '项目库',
    sheet: '项目库',
    headers: ['项目编号', '项目名称', '项目类别', '项目子类', '建设内容', '县', '乡镇', '行政村', '资金下达文号', '实施方案', '验收报告', '项目状态', '开工时间', '完工时间', '总投资(万元)', '财政专项扶贫资金(万元)', '公示公告网址', '公示资金数额(万元)'],
    kinds: [I, I, S, S, S, S, S, S, I, S, S, S, I, I, N, N, I, N],
    rows: projectRows,
  },
  {
    name: 'beneficiaries',
    file: '项目受益户',
    sheet: '项目受益户',
    headers: ['项目编号', '户编号', '户主姓名', '户主证件号码', '受益类型'],
    kinds: [I, I, I, I, S],
    rows: beneficiaryRows,
  },
];

/** The header row and title-line count of a table's files, as written (DuckDB reads them without sniffing). */
export function provinceLayout(table: TableName): { headers: string[]; titleLines: number; file: string } {
  const t = TABLES.find((x) => x.name === table)!;
  return { headers: t.headers, titleLines: t.title ? 1 : 0, file: t.file };
}

// ---------------------------------------------------------------------------------------------
// writers

const csvCell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function writeCsv(path: string, t: TableDef, c: County): number {
  const fd = openSync(path, 'w');
  let buf = '';
  let rows = 0;
  const flush = () => {
    const b = Buffer.from(buf, 'utf8');
    writeSync(fd, b, 0, b.length);
    buf = '';
  };
  try {
    if (t.title) buf += csvCell(t.title(c)) + '\r\n';
    buf += t.headers.join(',') + '\r\n';
    for (const r of t.rows(c)) {
      let line = csvCell(r[0]!);
      for (let k = 1; k < r.length; k++) line += ',' + csvCell(r[k]!);
      buf += line + '\r\n';
      rows++;
      if (buf.length > 1 << 20) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return rows;
}

function colName(n: number): string {
  let s = '';
  for (n++; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
const xmlText = (s: string) => (/[&<>]/.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : s);

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** One workbook, one sheet; shared strings collected while the sheet is written and stored after it (as Excel does). */
async function writeXlsx(path: string, t: TableDef, c: County, level: number): Promise<number> {
  const refs = t.headers.map((_, k) => colName(k));
  const sst = new Map<string, number>();
  let sstCount = 0;
  let rows = 0;
  const shared = (s: string): number => {
    sstCount++;
    let n = sst.get(s);
    if (n === undefined) sst.set(s, (n = sst.size));
    return n;
  };
  const parts: Part[] = [
    {
      name: '[Content_Types].xml',
      body: () => [
        `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
          '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
      ],
    },
    {
      name: '_rels/.rels',
      body: () => [`${XML_HEAD}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`],
    },
    {
      name: 'xl/workbook.xml',
      body: () => [`${XML_HEAD}<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="${t.sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>`],
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      body: () => [
        `${XML_HEAD}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
          `<Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
      ],
    },
    {
      name: 'xl/worksheets/sheet1.xml',
      body: function* () {
        yield `${XML_HEAD}<worksheet xmlns="${NS}"><sheetData>`;
        let r = 0;
        if (t.title) {
          r++;
          yield `<row r="${r}"><c r="A${r}" t="s"><v>${shared(t.title(c))}</v></c></row>`;
        }
        r++;
        let x = `<row r="${r}">`;
        for (let k = 0; k < t.headers.length; k++) x += `<c r="${refs[k]}${r}" t="s"><v>${shared(t.headers[k]!)}</v></c>`;
        yield x + '</row>';
        for (const cells of t.rows(c)) {
          r++;
          rows++;
          x = `<row r="${r}">`;
          for (let k = 0; k < cells.length; k++) {
            const v = cells[k]!;
            if (v === '') continue;
            const kind = t.kinds[k];
            if (kind === 'n') x += `<c r="${refs[k]}${r}"><v>${v}</v></c>`;
            else if (kind === 's') x += `<c r="${refs[k]}${r}" t="s"><v>${shared(v)}</v></c>`;
            else x += `<c r="${refs[k]}${r}" t="inlineStr"><is><t>${xmlText(v)}</t></is></c>`;
          }
          yield x + '</row>';
        }
        yield '</sheetData></worksheet>';
      },
    },
    {
      name: 'xl/sharedStrings.xml',
      body: function* () {
        yield `${XML_HEAD}<sst xmlns="${NS}" count="${sstCount}" uniqueCount="${sst.size}">`;
        for (const s of sst.keys()) yield `<si><t>${xmlText(s)}</t></si>`;
        yield '</sst>';
      },
    },
  ];
  await writeXlsxStream(path, parts, level);
  return rows;
}

// ---------------------------------------------------------------------------------------------
// the province

/** Counties by default: one per ~100,000 members, at least 2. */
export const defaultCounties = (members: number) => Math.max(2, Math.round(members / 100_000));

export function provinceCounties(o: Pick<ProvinceOptions, 'members' | 'counties' | 'pairings' | 'projects'>): County[] {
  const n = o.counties ?? defaultCounties(o.members);
  if (!(n >= 1) || !Number.isInteger(n)) throw new Error(`县的个数应为正整数：${n}`);
  if (o.members / n > MAX_MEMBERS_PER_COUNTY) throw new Error(`每个县最多 ${MAX_MEMBERS_PER_COUNTY} 名成员：请增加县的个数`);
  if (o.members / n < 30) throw new Error('每个县至少 30 名成员');
  const codes = countyCodes(n);
  const pairings = o.pairings ?? Math.round(o.members / 10);
  const projects = o.projects ?? Math.round(o.members / 100);
  const counties: County[] = [];
  for (let i = 0; i < n; i++) {
    const share = (total: number) => Math.floor(total / n) + (i < total % n ? 1 : 0);
    counties.push(makeCounty(i, codes, share(o.members), share(pairings), share(projects)));
  }
  return counties;
}

function expectedOf(counties: County[]): ProvinceExpected {
  let pair01 = 0;
  let big = 0;
  for (const c of counties) {
    // households with no pairing row (the member-less household row included), minus the one
    // paired twice by the planted PAIR-07 row (already paired): pairings land on distinct households
    pair01 += c.households + 1 - c.pairings;
    if (c.pairings >= 50) big++;
  }
  const n = counties.length;
  return {
    'ID-08': 3 * (n - 1),
    'ID-08 cross-county': 3 * (n - 1),
    'ID-03': 2 * n,
    'BASE-04': 2 * n,
    'PAIR-01': pair01,
    'PAIR-03': 2 * big,
    'PAIR-07': big,
    'PAIR-08': n,
    'PAIR-09': 2 * big,
    'HELPER-03': counties.filter((c) => c.helpers > 7).length * 2,
    'BENE-05': counties.filter((c) => c.projects > 0).length,
  };
}

/** Writes the province; returns its sizes and what a correct check must find. */
export async function generateProvince(o: ProvinceOptions, log: (s: string) => void = () => {}): Promise<ProvinceResult> {
  const counties = provinceCounties(o);
  const rows = Object.fromEntries(TABLES.map((t) => [t.name, 0])) as Record<TableName, number>;
  const written: ProvinceResult['written'] = {};
  for (const format of o.formats) {
    const dir = resolve(o.outDir, format);
    const t0 = performance.now();
    let files = 0;
    let bytes = 0;
    for (const c of counties) {
      const cdir = join(dir, `${pad(c.index + 1, 3)}-${c.name}`);
      mkdirSync(cdir, { recursive: true });
      for (const t of TABLES) {
        const path = join(cdir, `${c.name}${t.file}.${format}`);
        const n = format === 'csv' ? writeCsv(path, t, c) : await writeXlsx(path, t, c, o.deflateLevel ?? 1);
        if (format === o.formats[0]) rows[t.name] += n;
        files++;
        bytes += statSync(path).size;
      }
      if ((c.index + 1) % 10 === 0 || c.index === counties.length - 1) {
        log(`  ${format}：${c.index + 1}/${counties.length} 个县，${((performance.now() - t0) / 1000).toFixed(1)} s`);
      }
    }
    written[format] = { dir, files, bytes, seconds: (performance.now() - t0) / 1000 };
  }
  const dataRows = Object.values(rows).reduce((s, n) => s + n, 0);
  return { counties: counties.length, rows, dataRows, expected: expectedOf(counties), written };
}
