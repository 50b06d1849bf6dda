// `qingxi samples`: a synthetic township export set (隆回县司门前镇) with every quirk of SPEC §2 and
// at least one planted instance of every rule of SPEC §3, plus `truth.json` naming each planted
// defect by rule id and the entity keys its finding carries (SPEC §3.0). Deterministic per seed:
// own PRNG, no clock, fixed workbook and zip dates. Bounded memory at any size: households are
// generated one at a time and streamed into exceljs's WorkbookWriter and CSV write streams.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as OpenCC from 'opencc-js';
import { Rng } from './prng.js';
import { excelSerial, pad, ymd8, type Ymd } from './idcard.js';
import {
  buildHousehold, HOUSEHOLD_DEFECTS, makeCadre, makeHelper,
  type Cadre, type Defect, type Helper, type Household, type HouseholdCtx, type Person,
} from './model.js';
import { COUNTY, COUNTY_CODE, TOWNSHIP, TOWNSHIP_CODE, personName, villageName } from './names.js';
import { CsvSink, XlsxBook, type Cell, type CsvEncoding, type SheetSink } from './writers.js';

export interface GenerateOptions {
  outDir: string;
  /** number of households (default 300; at least 100 so that planted defects stay a minority) */
  households?: number;
  seed?: number;
  /** 'mixed' (default): xlsx with a GBK CSV and a UTF-8-BOM CSV; 'xlsx' / 'csv': every table in that format */
  formats?: 'mixed' | 'xlsx' | 'csv';
  asOf?: string;
}

export interface PlantedEntity {
  household_no?: string;
  id_number?: string;
  helper_id?: string;
  project_no?: string;
  village?: string;
  file?: string;
  sheet?: string;
}

export interface Planted {
  rule: string;
  entity: PlantedEntity;
  note: string;
}

export interface Truth {
  seed: number;
  asOf: string;
  households: number;
  /** files written, relative to outDir ('/' separated), sorted; truth.json excluded */
  files: string[];
  planted: Planted[];
  /** households with no planted defect: no error or suspect finding may name them */
  cleanHouseholds: string[];
}

export const MIN_HOUSEHOLDS = 100;
export const EXPORT_DATE = '2020-03-01';

type Layout = 'A' | 'B' | 'C';
/** A: household fields on the 户主 row only, two-row merged header; B: on every row, Traditional
 * headers, shuffled columns, unknown columns; C: members only, households in their own table. */
export function layoutOf(v: number): Layout {
  return (['A', 'B', 'C'] as const)[v % 3]!;
}

const YES_NO: readonly (readonly [Cell, Cell])[] = [
  ['是', '否'],
  ['Y', 'N'],
  ['√', '×'],
  [1, 0],
  ['有', '无'],
];
const RELATION_CODES: Record<string, string> = { 户主: '02', 配偶: '10', 之子: '20', 之女: '30' };

const toTraditional: (s: string) => string = OpenCC.Converter({ from: 'cn', to: 't' });

function toFullWidth(s: string): string {
  return s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

function iso(d: Ymd): string {
  return `${d.y}-${pad(d.m, 2)}-${pad(d.d, 2)}`;
}

function utcDate(d: Ymd): Date {
  return new Date(Date.UTC(d.y, d.m - 1, d.d));
}

/** A date in one of the export forms of SPEC §2 (form 0..5), or at month/year precision. */
export function dateCell(d: Ymd | null, form: number, csv: boolean, precision: 'd' | 'm' | 'y' = 'd'): Cell {
  if (!d) return null;
  if (precision === 'y') return csv ? String(d.y) : d.y;
  if (precision === 'm') return `${d.y}年${d.m}月`;
  switch (form % 6) {
    case 0:
      return csv ? iso(d) : utcDate(d);
    case 1:
      return csv ? String(excelSerial(d)) : excelSerial(d);
    case 2:
      return `${d.y}/${d.m}/${d.d}`;
    case 3:
      return `${d.y}.${pad(d.m, 2)}.${pad(d.d, 2)}`;
    case 4:
      return csv ? ymd8(d) + '.0' : Number(ymd8(d));
    default:
      return `${d.y}年${d.m}月${d.d}日`;
  }
}

/** The ID cell as the export wrote it. */
export function idCell(p: Person, csv: boolean): Cell {
  switch (p.idForm) {
    case 'numeric':
      return csv ? Number(p.id).toExponential(5).toUpperCase() : Number(p.id);
    case 'lowerX':
      return p.id.replace('X', 'x');
    case 'fullwidth':
      return toFullWidth(p.id);
    case 'spaces':
      return ' ' + p.id + ' ';
    default:
      return p.id;
  }
}

interface Village {
  v: number;
  name: string;
  layout: Layout;
  start: number; // first household index
  count: number;
  poor: boolean;
  hardRoad: boolean;
}

interface RowX {
  h: Household;
  p: Person;
  k: number; // member position
  csv: boolean;
  vil: Village;
}

interface ColDef {
  h: string;
  group?: string;
  hh?: boolean;
  get(x: RowX): Cell;
}

/** yes/no as this village's export writes it; `alt` columns (insurance) use another form */
function yn(vil: Village, b: boolean, csv: boolean, alt = false): Cell {
  const c = YES_NO[(vil.v + (alt ? 4 : 0)) % YES_NO.length]![b ? 0 : 1]!;
  return csv && typeof c === 'number' ? String(c) : c;
}

function codes(vil: Village): boolean {
  return vil.v % 4 === 1;
}

function memberCols(withIdType: boolean): ColDef[] {
  const cols: ColDef[] = [
    { h: '县', get: () => COUNTY },
    { h: '乡镇', get: () => TOWNSHIP },
    { h: '行政村', get: (x) => x.vil.name },
    { h: '户编号', get: (x) => x.h.no },
    { h: '姓名', get: (x) => x.p.name },
  ];
  if (withIdType) cols.push({ h: '证件类型', get: (x) => x.p.idType ?? '居民身份证' });
  cols.push(
    { h: '证件号码', get: (x) => idCell(x.p, x.csv) },
    {
      h: '性别',
      get: (x) => (codes(x.vil) ? (x.csv ? (x.p.genderCol === '男' ? '1' : '2') : x.p.genderCol === '男' ? 1 : 2) : x.p.genderCol),
    },
    { h: '出生日期', get: (x) => dateCell(x.p.birthCol, x.h.index + x.k, x.csv) },
    { h: '年龄', get: (x) => x.p.ageCol },
    { h: '与户主关系', get: (x) => (codes(x.vil) ? (RELATION_CODES[x.p.relation] ?? x.p.relation) : x.p.relation) },
    { h: '民族', get: (x) => x.p.ethnicity },
    { h: '文化程度', get: (x) => x.p.education || null },
    { h: '在校生状况', get: (x) => x.p.school || null },
    { h: '健康状况', get: (x) => x.p.health.join(',') },
    { h: '劳动技能', get: (x) => x.p.labor },
    { h: '务工状况', get: (x) => x.p.work },
    { h: '务工时间', get: (x) => x.p.months },
    { h: '是否参加城乡居民基本医疗保险', get: (x) => yn(x.vil, true, x.csv, true) },
    { h: '是否参加大病保险', get: (x) => yn(x.vil, x.h.index % 9 !== 0, x.csv, true) },
    {
      h: '联系电话',
      get: (x) => (x.k !== 0 ? null : x.vil.layout === 'B' ? (x.csv ? x.h.phone + '.0' : Number(x.h.phone)) : x.h.phone),
    },
  );
  return cols;
}

function hhCols(inverse: boolean): ColDef[] {
  const money = (f: (h: Household) => number) => (x: RowX) => f(x.h);
  const cols: ColDef[] = [
    { h: '家庭人口数', hh: true, get: (x) => x.h.size },
    { h: '贫困户属性', hh: true, get: (x) => x.h.attribute },
    { h: '主要致贫原因', hh: true, get: (x) => x.h.cause || null },
    { h: '识别时间', hh: true, get: (x) => dateCell(x.h.identified, x.h.index, x.csv, x.h.identifiedPrecision) },
    { h: '脱贫标志', hh: true, get: (x) => x.h.status },
    { h: '脱贫年度', hh: true, get: (x) => (x.h.exitYear === null ? null : x.csv ? String(x.h.exitYear) : x.h.exitYear) },
    { h: '家庭年纯收入', hh: true, get: money((h) => h.inc.net) },
    { h: '工资性收入', group: '收入情况', hh: true, get: money((h) => h.inc.wage) },
    { h: '生产经营性收入', group: '收入情况', hh: true, get: money((h) => h.inc.business) },
    { h: '财产性收入', group: '收入情况', hh: true, get: money((h) => h.inc.property) },
    { h: '转移性收入', group: '收入情况', hh: true, get: money((h) => h.inc.transfer) },
    { h: '生产经营性支出', hh: true, get: money((h) => h.inc.expense) },
    { h: '人均纯收入', hh: true, get: money((h) => h.inc.perCapita) },
    { h: '不愁吃不愁穿', hh: true, get: (x) => yn(x.vil, x.h.ok.food, x.csv) },
    { h: '义务教育有保障', hh: true, get: (x) => yn(x.vil, x.h.ok.edu, x.csv) },
    { h: '基本医疗有保障', hh: true, get: (x) => yn(x.vil, x.h.ok.med, x.csv) },
    inverse
      ? { h: '是否危房', hh: true, get: (x) => yn(x.vil, !x.h.ok.housing, x.csv) }
      : { h: '住房安全有保障', hh: true, get: (x) => yn(x.vil, x.h.ok.housing, x.csv) },
    inverse
      ? { h: '饮水是否困难', hh: true, get: (x) => yn(x.vil, !x.h.ok.water, x.csv) }
      : { h: '饮水安全有保障', hh: true, get: (x) => yn(x.vil, x.h.ok.water, x.csv) },
    { h: '是否通生活用电', hh: true, get: (x) => yn(x.vil, x.h.ok.elec, x.csv) },
    { h: '是否通广播电视', hh: true, get: (x) => yn(x.vil, x.h.ok.tv, x.csv) },
  ];
  return cols;
}

/** Header text as a given export spelled it (spaces, line breaks, unit suffixes, full-width brackets). */
const LAYOUT_A_SPELLING: Record<string, string> = {
  姓名: '姓  名',
  务工时间: '务工时间\n(月)',
  人均纯收入: '人均纯收入（元）',
  家庭年纯收入: '家庭年纯收入(元)',
};

interface SheetLayout {
  cols: ColDef[];
  titles: string[];
  twoRowHeader: boolean;
  headers: string[];
  /** household fields only on the 户主 row */
  headRowOnly: boolean;
}

function sheetLayout(vil: Village, seed: number): SheetLayout {
  const title = `${TOWNSHIP}建档立卡贫困人口信息表`;
  if (vil.layout === 'A') {
    const cols = [...memberCols(true), ...hhCols(false)];
    return {
      cols,
      titles: [title, `导出时间:${EXPORT_DATE}`],
      twoRowHeader: true,
      headers: cols.map((c) => LAYOUT_A_SPELLING[c.h] ?? c.h),
      headRowOnly: true,
    };
  }
  if (vil.layout === 'B') {
    const extra: ColDef[] = [
      { h: '扶贫手册编号', get: (x) => (x.k === 0 ? 'SC' + x.h.no.slice(-8) : null) },
      { h: '备注', get: (x) => (x.k === 0 && x.h.index % 7 === 0 ? '已核实' : null) },
    ];
    const cols = Rng.of(seed, 'shuffle', vil.v).shuffle([...memberCols(false), ...hhCols(true), ...extra]);
    return {
      cols,
      titles: [title, `导出时间:${EXPORT_DATE}`],
      twoRowHeader: false,
      headers: cols.map((c) => toTraditional(c.h === '人均纯收入' ? '家庭人均纯收入(元)' : c.h)),
      headRowOnly: false,
    };
  }
  const cols = memberCols(true);
  return { cols, titles: [title], twoRowHeader: false, headers: cols.map((c) => c.h), headRowOnly: false };
}

/** Titles and header; a CSV gets the header flattened to one row (no merged cells to read it by). */
async function writeHeader(sink: SheetSink, lay: SheetLayout, csv: boolean): Promise<void> {
  const n = lay.headers.length;
  for (const t of lay.titles) {
    await sink.row([t]);
    sink.merge(sink.rows, 1, sink.rows, n);
  }
  if (!lay.twoRowHeader || csv) {
    await sink.row(lay.headers);
    return;
  }
  const top: Cell[] = [];
  const bottom: Cell[] = [];
  lay.cols.forEach((c, i) => {
    if (c.group) {
      top.push(i > 0 && lay.cols[i - 1]!.group === c.group ? null : c.group);
      bottom.push(lay.headers[i]!);
    } else {
      top.push(lay.headers[i]!);
      bottom.push(null);
    }
  });
  await sink.row(top);
  await sink.row(bottom);
  const r1 = sink.rows - 1;
  for (let i = 0; i < lay.cols.length; i++) {
    const c = lay.cols[i]!;
    if (!c.group) sink.merge(r1, i + 1, r1 + 1, i + 1);
    else if (i === 0 || lay.cols[i - 1]!.group !== c.group) {
      let j = i;
      while (j + 1 < lay.cols.length && lay.cols[j + 1]!.group === c.group) j++;
      sink.merge(r1, i + 1, r1, j + 1);
    }
  }
}

async function writeFooter(sink: SheetSink, households: number, people: number, r: Rng): Promise<void> {
  await sink.row(['']);
  await sink.row([`合计：${households}户${people}人`]);
  await sink.row([`制表人:${personName(r, r.chance(0.5))}`, null, null, `审核人:${personName(r, r.chance(0.5))}`]);
  await sink.row(['']);
  await sink.row(['']);
}

/** Where each table goes, per format. */
class Outputs {
  private books = new Map<string, XlsxBook>();
  readonly files = new Set<string>();
  private sinks: SheetSink[] = [];
  constructor(
    readonly outDir: string,
    readonly format: 'mixed' | 'xlsx' | 'csv',
  ) {}
  get csvMembers(): boolean {
    return this.format === 'csv';
  }
  /** a sheet of an xlsx workbook */
  xlsx(file: string, sheet: string): SheetSink {
    let b = this.books.get(file);
    if (!b) {
      b = new XlsxBook(join(this.outDir, file));
      this.books.set(file, b);
      this.files.add(file);
    }
    return b.sheet(sheet);
  }
  csv(file: string, enc: CsvEncoding): SheetSink {
    this.files.add(file);
    const s = new CsvSink(join(this.outDir, file), enc);
    this.sinks.push(s);
    return s;
  }
  /** xlsx workbook `book` sheet `sheet`, or in csv format the file `book-sheet.csv` */
  table(book: string, sheet: string, enc: CsvEncoding = 'utf8'): { sink: SheetSink; file: string; sheet?: string; csv: boolean } {
    if (this.format === 'csv') {
      const file = `${book}-${sheet}.csv`;
      return { sink: this.csv(file, enc), file, csv: true };
    }
    const file = `${book}.xlsx`;
    return { sink: this.xlsx(file, sheet), file, sheet, csv: false };
  }
  /** commit a workbook now (frees its shared strings before the next one fills up) */
  async closeBook(file: string): Promise<void> {
    const b = this.books.get(file);
    if (b) await b.close();
    this.books.delete(file);
  }
  async close(): Promise<void> {
    for (const s of this.sinks) await s.close();
    for (const b of this.books.values()) await b.close();
  }
}

const HOUSEHOLD_TABLE_HEADERS = [
  '县', '乡镇', '行政村', '户编号', '户主姓名', '户主证件号码', '家庭人口数', '贫困户属性', '主要致贫原因', '识别时间', '脱贫标志',
  '脱贫年度', '人均纯收入', '家庭年纯收入', '工资性收入', '生产经营性收入', '财产性收入', '转移性收入', '生产经营性支出',
  '不愁吃不愁穿', '义务教育有保障', '基本医疗有保障', '住房安全有保障', '饮水安全有保障', '是否通生活用电', '是否通广播电视', '联系电话',
];
const PAIRING_HEADERS = [
  '县', '乡镇', '行政村', '户编号', '户主姓名', '户主证件号码', '帮扶责任人姓名', '帮扶责任人证件号码', '帮扶单位', '帮扶单位隶属关系',
  '职务级别', '帮扶责任人联系电话', '帮扶开始时间', '帮扶结束时间',
];
const HELPER_HEADERS = ['姓名', '性别', '证件号码', '联系电话', '帮扶单位', '帮扶单位隶属关系', '职务级别', '职务'];
const RESIDENCY_HEADERS = ['县', '乡镇', '行政村', '姓名', '性别', '证件号码', '身份', '派出单位', '驻村开始时间', '驻村结束时间', '联系电话'];
const VILLAGE_HEADERS = ['县', '乡镇', '行政村', '是否贫困村', '出列年度', '通硬化路', '通动力电', '通宽带', '有卫生室', '有文化室'];
const PROJECT_HEADERS = [
  '项目编号', '项目名称', '项目类别', '项目子类', '建设内容', '县', '乡镇', '行政村', '资金下达文号', '实施方案', '验收报告', '项目状态',
  '开工时间', '完工时间', '总投资(万元)', '财政专项扶贫资金(万元)', '公示公告网址', '公示资金数额(万元)',
];
const BENEFICIARY_HEADERS = ['项目编号', '户编号', '户主姓名', '户主证件号码', '受益类型'];

interface Project {
  no: string;
  name: string;
  type: string;
  sub: string;
  content: string;
  village: number;
  status: '未开工' | '在建' | '已完工' | '已验收';
  fundDoc: string | null;
  feasibility: string;
  acceptance: string | null;
  start: Ymd | null;
  end: Ymd | null;
  total: number;
  fiscal: number;
  url: string;
  notice: number;
  /** which clean households may benefit */
  eligible?: (h: Household) => boolean;
  planted?: string;
}

function projectNo(k: number): string {
  return `XM${COUNTY_CODE}2019${pad(k, 3)}`;
}

function makeProjects(villages: Village[]): Project[] {
  const V = villages.length;
  const vn = (v: number) => villages[v % V]!.name;
  const roadVillage = villages.findIndex((x) => !x.hardRoad);
  const okRoad = villages.findIndex((x) => x.hardRoad);
  const base = (k: number, name: string, type: string, sub: string, village: number, status: Project['status']): Project => ({
    no: projectNo(k),
    name,
    type,
    sub,
    content: `${name}（${sub}）`,
    village,
    status,
    fundDoc: `隆财农〔2019〕${10 + k}号`,
    feasibility: '是',
    acceptance: status === '已验收' || status === '已完工' ? `隆扶验〔2019〕${30 + k}号` : null,
    start: status === '未开工' ? null : { y: 2019, m: 3, d: 1 + (k % 20) },
    end: status === '已验收' || status === '已完工' ? { y: 2019, m: 10, d: 1 + (k % 28) } : null,
    total: 50 + k * 5,
    fiscal: 40 + k * 4,
    url: `http://www.longhui.gov.cn/xxgk/fpgs/2019/${pad(k, 4)}.html`,
    notice: 40 + k * 4,
  });
  const ps: Project[] = [
    { ...base(1, `${vn(0)}柑橘种植基地`, '产业发展', '种植', 0, '已验收'), eligible: () => true },
    { ...base(2, `${TOWNSHIP}劳务输出培训`, '就业扶贫', '就业', 1 % V, '已验收'), eligible: (h) => h.working },
    { ...base(3, `${vn(2)}保洁公益岗位`, '公益岗位', '公益岗位', 2 % V, '已完工'), eligible: (h) => h.working },
    { ...base(4, `${vn(okRoad)}组级道路硬化`, '基础设施', '道路', okRoad, '已验收'), eligible: (h) => h.village === okRoad },
    { ...base(5, `${vn(3)}安全饮水巩固提升`, '基础设施', '饮水', 3 % V, '已验收'), eligible: () => true },
    { ...base(6, `${vn(0)}农村危房改造`, '危房改造', '危房改造', 0, '已验收'), eligible: () => true },
    { ...base(7, `${TOWNSHIP}雨露计划教育补助`, '教育扶贫', '教育', 2 % V, '已验收'), eligible: () => true },
    { ...base(8, `${vn(1)}村卫生室建设`, '健康扶贫', '医疗', 1 % V, '在建'), eligible: () => true },
    { ...base(9, `${vn(2)}生猪养殖`, '产业发展', '养殖', 2 % V, '未开工'), eligible: () => true },
    { ...base(10, `${vn(roadVillage)}通组道路硬化`, '基础设施', '道路', roadVillage, '已验收'), planted: 'BENE-04' },
    { ...base(11, `${vn(3)}油茶种植`, '产业发展', '种植', 3 % V, '已验收'), fundDoc: null, planted: 'PROJ-01' },
    { ...base(12, `${vn(0)}农网改造`, '基础设施', '电力', 0, '在建'), start: null, planted: 'PROJ-02' },
    { ...base(13, `${TOWNSHIP}扶贫车间`, '就业扶贫', '扶贫车间', 1 % V, '已验收'), url: 'www.longhui.gov.cn/xxgk/fpgs/2019/0013.html', planted: 'PROJ-03' },
    { ...base(14, `${vn(2)}村级综合服务平台`, '公共服务', '文化', 2 % V, '已验收'), notice: 30, planted: 'PROJ-04' },
  ];
  return ps;
}

const MAX_BENEFICIARIES = 40;
const VILLAGES_PER_BOOK = 10;

/** Where the planted household defects sit: spread over villages, never two on one household. */
function assignDefects(villages: Village[]): Map<number, Defect> {
  const byIndex = new Map<number, Defect>();
  const used = new Map<number, number>();
  HOUSEHOLD_DEFECTS.forEach((d, k) => {
    let v = k % villages.length;
    // two 户主 on one household cannot sit in a layout whose household fields are on the 户主 row
    while (d === 'BASE-03' && villages[v]!.layout === 'A') v = (v + 1) % villages.length;
    const vil = villages[v]!;
    let u = used.get(v) ?? 0;
    let idx = vil.start + 1 + 2 * u;
    while (byIndex.has(idx) || idx >= vil.start + vil.count) {
      idx = idx >= vil.start + vil.count ? vil.start : idx + 1;
    }
    used.set(v, ++u);
    byIndex.set(idx, d);
  });
  // the ID-08 pair: the first household must come first
  const a = [...byIndex].find(([, d]) => d === 'ID-08/a')![0];
  const b = [...byIndex].find(([, d]) => d === 'ID-08/b')![0];
  if (b < a) {
    byIndex.set(a, 'ID-08/b');
    byIndex.set(b, 'ID-08/a');
  }
  return byIndex;
}

function parseAsOf(s: string): Ymd {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) throw new Error(`as-of 日期格式应为 YYYY-MM-DD：${s}`);
  return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
}

function normalId(id: string): string {
  return id.trim().toUpperCase();
}

/** What the writers of one generation share. */
interface Gen {
  seed: number;
  outDir: string;
  out: Outputs;
  villages: Village[];
  projects: Project[];
  specials: Map<string, Helper>;
  /** households given a former helper, in the order they were drawn */
  formerOf: number[];
  /** regular helpers serve two households each */
  regularHelpers: number;
  /** beneficiary rows by project number */
  beneficiaries: Map<string, Cell[][]>;
  planted: Planted[];
  /** household numbers without a planted defect */
  clean: string[];
  csvAll: boolean;
  plant: (rule: string, entity: PlantedEntity, note: string) => void;
}

export async function generateSamples(opts: GenerateOptions): Promise<Truth> {
  const H = opts.households ?? 300;
  const seed = opts.seed ?? 1;
  const format = opts.formats ?? 'mixed';
  const asOfText = opts.asOf ?? '2020-04-30';
  const asOf = parseAsOf(asOfText);
  if (!Number.isInteger(H) || H < MIN_HOUSEHOLDS) throw new Error(`户数至少为 ${MIN_HOUSEHOLDS}：${H}`);
  if (H > 500_000) throw new Error(`户数过大（至多 500000）：${H}`);
  if (!Number.isInteger(seed)) throw new Error(`seed 应为整数：${seed}`);
  if (asOf.y < 2020) throw new Error(`as-of 日期不能早于 2020 年：${asOfText}`);
  await mkdir(opts.outDir, { recursive: true });

  const villages = planVillages(H);
  const defects = assignDefects(villages);
  const projects = makeProjects(villages);
  const planted: Planted[] = [];

  const { R, specials, formerOf, ctx } = helperRoster(seed, H, asOf);

  const out = new Outputs(opts.outDir, format);
  const g: Gen = {
    seed, outDir: opts.outDir, out, villages, projects, specials, formerOf, regularHelpers: R,
    beneficiaries: new Map(), planted, clean: [], csvAll: format === 'csv',
    plant: (rule, entity, note) => void planted.push({ rule, entity, note }),
  };
  const { csvAll, plant, clean } = g;

  // households table (villages of layout C) and pairings: open for the whole pass
  const hhT =
    format === 'xlsx'
      ? { sink: out.xlsx('贫困户信息.xlsx', '贫困户'), file: '贫困户信息.xlsx', sheet: '贫困户' as string | undefined, csv: false }
      : { sink: out.csv('贫困户信息.csv', 'utf8bom'), file: '贫困户信息.csv', sheet: undefined, csv: true };
  await hhT.sink.row(HOUSEHOLD_TABLE_HEADERS);
  const pairT =
    format === 'xlsx'
      ? { sink: out.xlsx('结对帮扶.xlsx', '结对帮扶'), file: '结对帮扶.xlsx', sheet: '结对帮扶' as string | undefined, csv: false }
      : { sink: out.csv('结对帮扶.csv', 'gbk'), file: '结对帮扶.csv', sheet: undefined, csv: true };
  await pairT.sink.row([`${TOWNSHIP}结对帮扶花名册`]);
  pairT.sink.merge(1, 1, 1, PAIRING_HEADERS.length);
  await pairT.sink.row(PAIRING_HEADERS);

  for (const vil of villages) {
    const lay = sheetLayout(vil, seed);
    const mT = csvAll
      ? { sink: out.csv(`成员信息-${vil.name}.csv`, vil.v % 2 ? 'utf8bom' : 'utf8'), file: `成员信息-${vil.name}.csv`, sheet: undefined as string | undefined }
      : { sink: out.xlsx(membersBook(vil.v), vil.name), file: membersBook(vil.v), sheet: vil.name as string | undefined };
    await writeHeader(mT.sink, lay, csvAll);
    if (vil.layout === 'B') plant('FILE-05', { file: mT.file, ...(mT.sheet ? { sheet: mT.sheet } : {}) }, '未知列 扶贫手册编号、备注（提示）');
    let people = 0;
    for (let s = 0; s < vil.count; s++) {
      const i = vil.start + s;
      const defect = defects.get(i);
      const h = buildHousehold(ctx, i, vil.v, s, defect);
      people += h.members.length;
      await writeHouseholdRows(h, vil, { lay, members: mT.sink, csv: csvAll }, hhT, pairT);
      recordTruth(g, h, defect);
    }
    await writeFooter(mT.sink, vil.count, people, Rng.of(seed, 'footer', vil.v));
    if (csvAll) await mT.sink.close();
    else if (vil.v + 1 === villages.length || membersBook(vil.v + 1) !== mT.file) await out.closeBook(mT.file);
  }

  await writeGhostPairing(g, pairT);
  await writeHelpers(g);
  await writeResidencies(g);
  await writeProjects(g);
  await writeFileDefects(g);

  await out.close();
  const truth: Truth = {
    seed,
    asOf: asOfText,
    households: H,
    files: [...out.files].sort(),
    planted,
    cleanHouseholds: clean,
  };
  await writeFile(join(opts.outDir, 'truth.json'), JSON.stringify(truth, null, 2) + '\n');
  return truth;
}

/** Members: one workbook per group of villages (memory is bounded by a group's shared strings). */
function membersBook(v: number): string {
  const g = Math.floor(v / VILLAGES_PER_BOOK);
  return `${TOWNSHIP}建档立卡贫困人口信息表${g === 0 ? '' : '-' + (g + 1)}.xlsx`;
}

/**
 * Helpers: regular ones serve two households each (R of them); former ones one household's earlier
 * pairing (recorded in `formerOf` as households draw them); special ones carry planted defects.
 */
function helperRoster(seed: number, H: number, asOf: Ymd) {
  const R = Math.ceil(H / 2);
  const SPECIAL_KEYS = ['PAIR-02', 'PAIR-03', 'PAIR-05', 'PAIR-07', 'PAIR-08', 'HELPER-01', 'HELPER-02', 'HELPER-03a', 'HELPER-03b', 'HELPER-04', 'HELPER-05', 'HELPER-06'];
  const specials = new Map<string, Helper>();
  SPECIAL_KEYS.forEach((k, i) => specials.set(k, makeHelper(seed, R + H + i, k)));
  const formerOf: number[] = [];
  const ctx: HouseholdCtx = {
    seed,
    asOf,
    usedIds: new Set(),
    regularHelper: (i) => makeHelper(seed, Math.floor(i / 2), `r${Math.floor(i / 2)}`),
    formerHelper: (i) => {
      formerOf.push(i);
      return makeHelper(seed, R + i, `f${i}`);
    },
    special: (k) => specials.get(k)!,
  };
  return { R, specials, formerOf, ctx };
}

function pairingRow(h: Household, vil: Village, hp: Helper, s: Ymd | null, e: Ymd | null, k: number, csv: boolean): Cell[] {
  const head = h.members[0]!;
  const form = [0, 2, 5][(h.index + k) % 3]!;
  return [
    COUNTY, TOWNSHIP, vil.name, h.no, head.name, normalId(head.id), hp.name, hp.id, hp.unit, hp.unitLevel, hp.rank, hp.phone,
    dateCell(s, form, csv), dateCell(e, form, csv),
  ];
}

/** One household's rows: its members (in the village's layout), its households-table row (layout C), its pairings. */
async function writeHouseholdRows(
  h: Household,
  vil: Village,
  m: { lay: SheetLayout; members: SheetSink; csv: boolean },
  hhT: { sink: SheetSink; csv: boolean },
  pairT: { sink: SheetSink; csv: boolean },
): Promise<void> {
  for (let k = 0; k < h.members.length; k++) {
    const p = h.members[k]!;
    const x: RowX = { h, p, k, csv: m.csv, vil };
    const withHh = !m.lay.headRowOnly || p.relation === '户主';
    await m.members.row(m.lay.cols.map((c) => (c.hh && !withHh ? null : c.get(x))));
  }
  if (vil.layout === 'C') {
    const head = h.members[0]!;
    const x: RowX = { h, p: head, k: 0, csv: hhT.csv, vil };
    const hh = hhCols(false);
    const val = (name: string) => hh.find((c) => c.h === name)!.get(x);
    await hhT.sink.row([
      COUNTY, TOWNSHIP, vil.name, h.no, head.name, normalId(head.id),
      ...HOUSEHOLD_TABLE_HEADERS.slice(6, 26).map(val),
      vil.v % 2 === 0 ? (hhT.csv ? h.phone + '.0' : Number(h.phone)) : h.phone,
    ]);
  }
  for (let k = 0; k < h.pairings.length; k++) {
    const pr = h.pairings[k]!;
    await pairT.sink.row(pairingRow(h, vil, pr.helper, pr.start, pr.end, k, pairT.csv));
  }
}

/** Villages of about 80 households each (4 to 60), cycling through the member-sheet layouts. */
function planVillages(H: number): Village[] {
  const V = Math.max(4, Math.min(60, Math.ceil(H / 80)));
  const villages: Village[] = [];
  let start = 0;
  for (let v = 0; v < V; v++) {
    const count = Math.floor(H / V) + (v < H % V ? 1 : 0);
    villages.push({ v, name: villageName(v), layout: layoutOf(v), start, count, poor: v % 2 === 0, hardRoad: v !== 1 });
    start += count;
  }
  return villages;
}

/** PAIR-08: a pairing naming a household that does not exist; FILE-03 (CSV): a malformed copy of it. */
async function writeGhostPairing(g: Gen, pairT: { sink: SheetSink; file: string; csv: boolean }): Promise<void> {
  const { villages, specials, plant } = g;
  const vil = villages[0]!;
  const hp = specials.get('PAIR-08')!;
  const ghost = COUNTY_CODE + TOWNSHIP_CODE + pad(vil.v + 1, 2) + '9999';
  const row: Cell[] = [COUNTY, TOWNSHIP, vil.name, ghost, '无此户', null, hp.name, hp.id, hp.unit, hp.unitLevel, hp.rank, hp.phone, '2018-05-01', null];
  await pairT.sink.row(row);
  plant('PAIR-08', { household_no: ghost, helper_id: hp.id }, '结对记录中的户编号在成员表和贫困户表中都不存在');
  if (pairT.csv) {
    await pairT.sink.raw(row.map((c) => (c === null ? '' : String(c))).join(',') + ',2019-05-01,备注');
    plant('FILE-03', { file: pairT.file }, `第 ${pairT.sink.rows} 行单元格数多于表头（${PAIRING_HEADERS.length + 2} 个）`);
  }
  await pairT.sink.row(['']);
}

/** The helpers sheet: regular, former, then the special ones (HELPER-01…06 planted). */
async function writeHelpers(g: Gen): Promise<void> {
  const { out, seed, specials, formerOf, plant } = g;
  const R = g.regularHelpers;
  const t = out.table('帮扶责任人', '帮扶责任人');
  await t.sink.row([`${TOWNSHIP}帮扶责任人名册`]);
  t.sink.merge(1, 1, 1, HELPER_HEADERS.length);
  await t.sink.row(HELPER_HEADERS);
  const row = (hp: Helper): Cell[] => [hp.name, hp.male ? '男' : '女', hp.id, hp.phone, hp.unit, hp.unitLevel, hp.rank || null, hp.position];
  for (let j = 0; j < R; j++) await t.sink.row(row(makeHelper(seed, j, `r${j}`)));
  for (const i of formerOf) await t.sink.row(row(makeHelper(seed, R + i, `f${i}`)));
  for (const k of ['PAIR-02', 'PAIR-03', 'PAIR-05', 'PAIR-07', 'PAIR-08']) await t.sink.row(row(specials.get(k)!));
  const sp = (k: string) => specials.get(k)!;
  const h1 = sp('HELPER-01');
  const c = h1.id[17]!;
  const badId = h1.id.slice(0, 17) + (c === '0' ? '1' : c === 'X' ? '0' : String((Number(c) + 1) % 10));
  await t.sink.row(row({ ...h1, id: badId }));
  plant('HELPER-01', { helper_id: badId }, '帮扶责任人证件号码校验码错误');
  await t.sink.row(row({ ...sp('HELPER-02'), phone: '0739-8223456' }));
  plant('HELPER-02', { helper_id: sp('HELPER-02').id }, '联系电话为座机号码');
  await t.sink.row(row({ ...sp('HELPER-03a'), phone: '18673900001' }));
  await t.sink.row(row({ ...sp('HELPER-03b'), phone: '18673900001' }));
  plant('HELPER-03', { helper_id: sp('HELPER-03a').id }, '两名帮扶责任人共用手机号 18673900001');
  plant('HELPER-03', { helper_id: sp('HELPER-03b').id }, '两名帮扶责任人共用手机号 18673900001');
  await t.sink.row(row({ ...sp('HELPER-04'), rank: '' }));
  plant('HELPER-04', { helper_id: sp('HELPER-04').id }, '职务级别为空');
  await t.sink.row(row({ ...sp('HELPER-05'), unit: '司门前镇人民政府', unitLevel: '镇', rank: '县处级正职' }));
  plant('HELPER-05', { helper_id: sp('HELPER-05').id }, '镇级单位的县处级正职');
  const h6 = sp('HELPER-06');
  await t.sink.row(row(h6));
  await t.sink.row(row({ ...h6, phone: '18673900002' }));
  plant('HELPER-06', { helper_id: h6.id }, '同一证件号码两行，联系电话不同');
  await t.sink.row(['']);
  await t.sink.row(['制表人:' + personName(Rng.of(seed, 'footer', 999), true)]);
}

/** Residencies (第一书记 / 工作队; PAIR-04 and HELPER-07 planted) and the villages table. */
async function writeResidencies(g: Gen): Promise<void> {
  const { out, seed, villages, plant } = g;
  const t = out.table('驻村帮扶', '驻村工作队');
  await t.sink.row(RESIDENCY_HEADERS);
  const pair04 = villages.find((x) => x.poor)!;
  const helper07 = villages.filter((x) => x.poor)[1] ?? pair04;
  for (const vil of villages) {
    if (!vil.poor) continue;
    const base = vil.v * 8;
    const cadres: Cadre[] = [
      makeCadre(seed, base, vil.v, '第一书记', { y: 2015, m: 8, d: 1 }, { y: 2017, m: 7, d: 31 }),
      makeCadre(seed, base + 1, vil.v, '第一书记', vil === pair04 ? { y: 2017, m: 9, d: 1 } : { y: 2017, m: 8, d: 1 }, null),
      makeCadre(seed, base + 2, vil.v, '工作队队长', { y: 2018, m: 3, d: 1 }, null),
      makeCadre(seed, base + 3, vil.v, '工作队员', { y: 2018, m: 3, d: 1 }, { y: 2019, m: 12, d: 31 }),
    ];
    if (vil === helper07) {
      const c = makeCadre(seed, base + 4, vil.v, '工作队员', { y: 2019, m: 3, d: 1 }, null);
      c.dispatchUnit = '';
      cadres.push(c);
      plant('HELPER-07', { helper_id: c.id }, '驻村工作队员缺派出单位');
    }
    for (let k = 0; k < cadres.length; k++) {
      const c = cadres[k]!;
      const form = [0, 2, 5][k % 3]!;
      await t.sink.row([
        COUNTY, TOWNSHIP, vil.name, c.name, c.male ? '男' : '女', c.id, c.role, c.dispatchUnit || null,
        dateCell(c.start, form, t.csv), dateCell(c.end, form, t.csv), c.phone,
      ]);
    }
  }
  plant('PAIR-04', { village: pair04.name }, '贫困村 2017-08-01 至 2017-08-31 无第一书记和工作队驻村');
  const vt = out.table('驻村帮扶', '贫困村');
  await vt.sink.row(VILLAGE_HEADERS);
  for (const vil of villages) {
    const y = (b: boolean): Cell => (b ? '是' : '否');
    await vt.sink.row([
      COUNTY, TOWNSHIP, vil.name, y(vil.poor), vil.poor ? 2018 + ((vil.v / 2) % 2) : null,
      y(vil.hardRoad), y(true), y(true), y(true), y(true),
    ]);
  }
}

/** Projects (PROJ-* planted) and their beneficiaries (BENE-05 planted). */
async function writeProjects(g: Gen): Promise<void> {
  const { out, projects, villages, beneficiaries, plant } = g;
  const t = out.table('项目库', '项目库');
  await t.sink.row([`${COUNTY}${TOWNSHIP}2019年度扶贫项目库`]);
  t.sink.merge(1, 1, 1, PROJECT_HEADERS.length);
  await t.sink.row(PROJECT_HEADERS);
  for (const p of projects) {
    await t.sink.row([
      p.no, p.name, p.type, p.sub, p.content, COUNTY, TOWNSHIP, villages[p.village]!.name, p.fundDoc, p.feasibility, p.acceptance,
      p.status, dateCell(p.start, 0, t.csv), dateCell(p.end, 0, t.csv), p.total, p.fiscal, p.url, p.notice,
    ]);
    if (p.planted) plant(p.planted, p.planted === 'BENE-04' ? { project_no: p.no, village: villages[p.village]!.name } : { project_no: p.no }, PROJECT_NOTES[p.planted]!);
  }
  await t.sink.row(['合计', null, null, null, null, null, null, null, null, null, null, null, null, null,
    projects.reduce((s, p) => s + p.total, 0), projects.reduce((s, p) => s + p.fiscal, 0)]);
  const bt = out.table('项目库', '项目受益户');
  await bt.sink.row(BENEFICIARY_HEADERS);
  for (const p of projects) for (const row of beneficiaries.get(p.no) ?? []) await bt.sink.row(row);
  const ghost = COUNTY_CODE + TOWNSHIP_CODE + '99' + '0001';
  await bt.sink.row([projects[1]!.no, ghost, '查无此户', null, '务工就业']);
  plant('BENE-05', { project_no: projects[1]!.no, household_no: ghost }, '受益户编号不存在');
}

/** FILE defects: a sheet with no header, a sheet with a duplicated and a missing column, a corrupt file. */
async function writeFileDefects(g: Gen): Promise<void> {
  const { out, seed, plant } = g;
  const opts = { outDir: g.outDir };
  const t1 = out.table('其他材料', '填报说明');
  for (const line of ['填报说明', '一、本册由各村扶贫专干填写，乡镇扶贫办汇总。', '二、数据口径以全国扶贫开发信息系统为准。', '三、如有疑问请联系乡镇扶贫办。']) {
    await t1.sink.row([line]);
  }
  plant('FILE-01', { file: t1.file, ...(t1.sheet ? { sheet: t1.sheet } : {}) }, '说明页，没有可识别的表头');
  const t2 = out.table('其他材料', '成员补充');
  await t2.sink.row(['户编号', '姓名', '与户主关系', '性别', '性别', '出生日期']);
  plant('FILE-02', { file: t2.file, ...(t2.sheet ? { sheet: t2.sheet } : {}) }, '列名“性别”重复');
  plant('FILE-02', { file: t2.file, ...(t2.sheet ? { sheet: t2.sheet } : {}) }, '缺少必需列“证件号码”');
  const bad = '损坏文件.xlsx';
  // starts like a zip, then garbage: a truncated download
  const bytes = Buffer.alloc(2048);
  bytes.write('PK\u0003\u0004', 0, 'latin1');
  const r = Rng.of(seed, 'corrupt');
  for (let i = 4; i < bytes.length; i++) bytes[i] = r.int(0, 255);
  await writeFile(join(opts.outDir, bad), bytes);
  out.files.add(bad);
  plant('FILE-04', { file: bad }, '文件已损坏（不是有效的 xlsx 压缩包）');
}

/** What a household planted (truth.json), or, for a clean one, the projects it benefits from. */
function recordTruth(g: Gen, h: Household, defect: Defect | undefined): void {
  const { seed, projects, beneficiaries, specials, planted, plant, csvAll } = g;
  const i = h.index;
  const id2 = h.members[1] ?? h.members[0]!;
  const asWritten = (p: Person) => p.id;
  switch (defect) {
    case undefined: {
      g.clean.push(h.no);
      const r = Rng.of(seed, 'beneficiary', i);
      for (const pj of projects) {
        if (!pj.eligible || !pj.eligible(h) || !r.chance(0.06)) continue;
        const rows = beneficiaries.get(pj.no) ?? [];
        if (rows.length >= MAX_BENEFICIARIES) continue;
        const head = h.members[0]!;
        // some exports name the household by its head's ID only
        rows.push(r.chance(0.3) ? [pj.no, null, head.name, normalId(head.id), '直接受益'] : [pj.no, h.no, head.name, normalId(head.id), '直接受益']);
        beneficiaries.set(pj.no, rows);
      }
      break;
    }
    case 'ID-01/empty':
      plant('ID-01', { household_no: h.no, id_number: '' }, `${id2.name}：证件号码为空`);
      break;
    case 'ID-01/placeholder':
      plant('ID-01', { household_no: h.no, id_number: asWritten(id2) }, `${id2.name}：占位号码 999999…`);
      break;
    case 'ID-02/format':
      plant('ID-02', { household_no: h.no, id_number: asWritten(id2) }, `${id2.name}：17位号码（漏录一位）`);
      break;
    case 'ID-02/legacy15':
      plant('ID-02', { household_no: h.no, id_number: asWritten(id2) }, `${id2.name}：15位旧号码，疑似，需升级为18位`);
      break;
    case 'ID-03':
      plant('ID-03', { household_no: h.no, id_number: asWritten(id2) }, `${id2.name}：校验码错误`);
      break;
    case 'ID-04':
      plant('ID-04', { household_no: h.no, id_number: asWritten(id2) }, `${id2.name}：号码中的出生日期为2月30日（出生日期、年龄列为空）`);
      break;
    case 'ID-05/province':
      plant('ID-05', { household_no: h.no, id_number: asWritten(id2) }, `${id2.name}：前两位 10 不是省级代码（错误）`);
      break;
    case 'ID-05/county':
      plant('ID-05', { household_no: h.no, id_number: asWritten(id2) }, `${id2.name}：前六位 439901 不是已知县级代码（疑似）`);
      break;
    case 'ID-06': {
      const head = h.members[0]!;
      plant('ID-06', { household_no: h.no, id_number: asWritten(head) }, `${head.name}：单人户户主，性别列与号码第17位不符`);
      break;
    }
    case 'ID-07':
      plant('ID-07', { household_no: h.no, id_number: asWritten(id2) }, `${id2.name}：出生日期列比号码早两年`);
      break;
    case 'ID-08/a': {
      const p = h.members[2]!;
      plant('ID-08', { id_number: p.id }, `${p.name}：同一号码出现在两户（${h.no} 及另一户）的成员行`);
      break;
    }
    case 'ID-08/b':
      break;
    case 'ID-09':
      plant('ID-09', { household_no: h.no, id_number: asWritten(id2) }, `姓名含数字：${id2.name}`);
      break;
    case 'ID-10':
      plant(
        'ID-10',
        { household_no: h.no, ...(csvAll ? { id_number: Number(id2.id).toExponential(5).toUpperCase() } : {}) },
        csvAll ? `${id2.name}：号码写成科学计数法` : `${id2.name}：号码存为数值单元格（${id2.id} → ${String(Number(id2.id))}）`,
      );
      break;
    case 'PAIR-01':
      plant('PAIR-01', { household_no: h.no }, '未脱贫户，没有任何结对记录');
      break;
    case 'PAIR-02':
      plant('PAIR-02', { household_no: h.no, helper_id: h.pairings[0]!.helper.id }, '结对开始时间为空（已脱贫户，唯一一条结对）');
      break;
    case 'PAIR-03':
      plant('PAIR-03', { household_no: h.no }, '2018-01-01 至 2018-02-28 无人帮扶');
      break;
    case 'PAIR-05': {
      const sp = specials.get('PAIR-05')!;
      plant('PAIR-05', { helper_id: sp.id, id_number: id2.id, household_no: h.no }, `${id2.name} 既是本户成员又在帮扶责任人名册`);
      break;
    }
    case 'PAIR-06':
      plant('PAIR-06', { household_no: h.no, helper_id: h.pairings[0]!.helper.id }, '结对开始 2014-06-01 早于识别时间 2015-03-01');
      break;
    case 'PAIR-07/1':
      plant('PAIR-07', { helper_id: specials.get('PAIR-07')!.id }, '一名帮扶责任人自 2018-01-01 同时帮扶 3 户');
      break;
    case 'PAIR-09':
      plant('PAIR-09', { household_no: h.no, helper_id: h.pairings[0]!.helper.id }, '同一帮扶人同一户两行，时间重叠');
      break;
    case 'BENE-01':
    case 'BENE-02':
    case 'BENE-03': {
      const pj = projects[defect === 'BENE-01' ? 5 : defect === 'BENE-02' ? 2 : 0]!;
      const head = h.members[0]!;
      const rows = beneficiaries.get(pj.no) ?? [];
      rows.unshift([pj.no, h.no, head.name, normalId(head.id), '直接受益']);
      beneficiaries.set(pj.no, rows);
      const why = { 'BENE-01': '危房改造项目已验收，受益户住房安全仍为否', 'BENE-02': '公益岗位项目受益户无人务工', 'BENE-03': '产业发展项目受益户基本医疗无保障（疑似）' }[defect];
      plant(defect, { project_no: pj.no, household_no: h.no }, why);
      break;
    }
    default:
      if (defect.startsWith('BASE-')) plant(defect, { household_no: h.no }, BASE_NOTES[defect] ?? '');
  }
  if (defect === 'PAIR-05') {
    // the member is also registered as a helper (same ID and name)
    const sp = specials.get('PAIR-05')!;
    specials.set('PAIR-05', { ...sp, id: id2.id, name: id2.name, male: id2.male });
    planted[planted.length - 1]!.entity.helper_id = id2.id;
  }
}

const BASE_NOTES: Record<string, string> = {
  'BASE-01': '主要致贫原因为空',
  'BASE-02': '财产性收入为负数（-300）',
  'BASE-03': '一户有两名户主',
  'BASE-04': '家庭人口数比成员行多 1',
  'BASE-05': '已脱贫但脱贫年度为空',
  'BASE-06': '2018 年脱贫，人均纯收入 2800 元低于当年标准 2995 元',
  'BASE-07': '已脱贫但住房安全有保障为否',
  'BASE-08': '9 岁儿童为非在校生，义务教育有保障为是（疑似辍学）',
  'BASE-09': '12 岁在校生劳动技能为普通劳动力',
  'BASE-10': '户主务工状况为县外省内务工，务工时间 0 个月',
  'BASE-11': '家庭年纯收入比各项收入之和多 3000 元',
  'BASE-12': '与户主关系为之子，性别为女',
  'BASE-13': '主要致贫原因为因病，全家健康（疑似）',
};

const PROJECT_NOTES: Record<string, string> = {
  'BENE-04': '已验收的道路项目所在村，贫困村表中通硬化路为否',
  'PROJ-01': '资金下达文号为空',
  'PROJ-02': '在建项目缺开工时间',
  'PROJ-03': '公示网址不是 http(s) 地址',
  'PROJ-04': '公示资金数额与财政专项扶贫资金不一致',
};
