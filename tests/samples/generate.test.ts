// The sample generator: determinism, coverage of every rule id of SPEC §3, the quirks of SPEC §2 as
// they land in the files, and the clean/planted split of truth.json.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from '../../src/exceljs.js';
import { normalizeHeader } from '../../src/normalize/text.js';
import { generateSamples, type Truth } from '../../src/samples/generate.js';
import { TABLES } from '../../src/schema/tables.js';
import { SPEC_RULE_IDS } from '../helpers/spec-rules.js';

/** Every rule id of SPEC §3. */
const RULE_IDS = [...SPEC_RULE_IDS];

const MEMBERS_XLSX = '司门前镇建档立卡贫困人口信息表.xlsx';
let root: string;
let dirA: string; // seed 1
let dirB: string; // seed 1 again
let dirC: string; // seed 2
let truthA: Truth;
let truthB: Truth;
let truthC: Truth;
let members: ExcelJS.Workbook;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'qingxi-samples-'));
  dirA = join(root, 'a');
  dirB = join(root, 'b');
  dirC = join(root, 'c');
  [truthA, truthB, truthC] = await Promise.all([
    generateSamples({ outDir: dirA, households: 120, seed: 1 }),
    generateSamples({ outDir: dirB, households: 120, seed: 1 }),
    generateSamples({ outDir: dirC, households: 120, seed: 2 }),
  ]);
  members = new ExcelJS.Workbook();
  await members.xlsx.readFile(join(dirA, MEMBERS_XLSX));
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'richText' in (v as object)) return (v as { richText: { text: string }[] }).richText.map((t) => t.text).join('');
  return String(v);
}

function rowTexts(ws: ExcelJS.Worksheet, r: number): string[] {
  const out: string[] = [];
  ws.getRow(r).eachCell({ includeEmpty: true }, (c, col) => {
    out[col - 1] = cellText(c.value);
  });
  return out;
}

/** Data rows of a member sheet: rows whose 户编号-like cell matches the household number pattern. */
function columnValues(ws: ExcelJS.Worksheet, header: string, headerRow: number): unknown[] {
  const hdr = rowTexts(ws, headerRow);
  const col = hdr.findIndex((h) => h === header) + 1;
  expect(col, `column ${header}`).toBeGreaterThan(0);
  const vals: unknown[] = [];
  for (let r = headerRow + 1; r <= ws.rowCount; r++) vals.push(ws.getRow(r).getCell(col).value);
  return vals;
}

describe('determinism', () => {
  it('same seed → identical truth and identical bytes, xlsx included', () => {
    expect(truthB).toEqual(truthA);
    for (const f of truthA.files) {
      expect(readFileSync(join(dirB, f)).equals(readFileSync(join(dirA, f))), f).toBe(true);
    }
    expect(readFileSync(join(dirB, 'truth.json'), 'utf8')).toBe(readFileSync(join(dirA, 'truth.json'), 'utf8'));
  });

  it('a different seed → different data', () => {
    const ids = (t: Truth) => t.planted.map((p) => p.entity.id_number ?? p.entity.helper_id ?? '');
    expect(ids(truthC)).not.toEqual(ids(truthA));
    expect(readFileSync(join(dirC, MEMBERS_XLSX)).equals(readFileSync(join(dirA, MEMBERS_XLSX)))).toBe(false);
    expect(readFileSync(join(dirC, '结对帮扶.csv')).equals(readFileSync(join(dirA, '结对帮扶.csv')))).toBe(false);
    expect(readFileSync(join(dirC, '贫困户信息.csv')).equals(readFileSync(join(dirA, '贫困户信息.csv')))).toBe(false);
  });

  it('truth.json on disk is the returned truth, and lists exactly the files written', () => {
    expect(JSON.parse(readFileSync(join(dirA, 'truth.json'), 'utf8'))).toEqual(truthA);
    expect([...truthA.files].sort()).toEqual(readdirSync(dirA).filter((f) => f !== 'truth.json').sort());
  });
});

describe('truth', () => {
  it('plants every rule id of SPEC §3', () => {
    const planted = new Set(truthA.planted.map((p) => p.rule));
    expect(RULE_IDS).toHaveLength(53);
    expect(RULE_IDS.filter((r) => !planted.has(r))).toEqual([]);
    expect([...planted].filter((r) => !RULE_IDS.includes(r))).toEqual([]);
  });

  it('entities use only the SPEC §3.0 keys, and every planted defect names one', () => {
    const keys = new Set(['household_no', 'id_number', 'helper_id', 'project_no', 'village', 'file', 'sheet']);
    for (const p of truthA.planted) {
      expect(Object.keys(p.entity).length, p.rule).toBeGreaterThan(0);
      for (const k of Object.keys(p.entity)) expect(keys.has(k), `${p.rule} ${k}`).toBe(true);
      expect(p.note.length).toBeGreaterThan(0);
    }
    const by = (rule: string) => truthA.planted.filter((p) => p.rule === rule);
    expect(by('PAIR-07')[0]!.entity).toEqual({ helper_id: expect.any(String) });
    expect(Object.keys(by('PAIR-05')[0]!.entity).sort()).toEqual(['helper_id', 'household_no', 'id_number']);
    expect(by('PAIR-05')[0]!.entity.helper_id).toBe(by('PAIR-05')[0]!.entity.id_number);
    expect(Object.keys(by('BENE-04')[0]!.entity).sort()).toEqual(['project_no', 'village']);
    expect(by('HELPER-03')).toHaveLength(2);
    for (const f of ['FILE-01', 'FILE-02', 'FILE-03', 'FILE-04', 'FILE-05']) {
      for (const p of by(f)) expect(truthA.files).toContain(p.entity.file);
    }
  });

  it('clean households are the majority and disjoint from planted ones', () => {
    const planted = new Set(truthA.planted.map((p) => p.entity.household_no).filter(Boolean));
    expect(truthA.cleanHouseholds.filter((h) => planted.has(h))).toEqual([]);
    expect(new Set(truthA.cleanHouseholds).size).toBe(truthA.cleanHouseholds.length);
    expect(truthA.cleanHouseholds.length / truthA.households).toBeGreaterThanOrEqual(0.6);
  });

  it('planted household numbers exist in the export, except the dangling ones', () => {
    const csv = readFileSync(join(dirA, '结对帮扶.csv'));
    const pairings = iconv.decode(csv, 'gbk');
    for (const p of truthA.planted) {
      const no = p.entity.household_no;
      if (!no) continue;
      if (p.rule === 'PAIR-08' || p.rule === 'BENE-05') expect(pairings.includes(no) && p.rule === 'BENE-05').toBe(false);
      else if (p.rule !== 'PAIR-01') expect(pairings, `${p.rule} ${no}`).toContain(no);
    }
  });

  it('rejects too few households and a bad as-of date', async () => {
    await expect(generateSamples({ outDir: join(root, 'x'), households: 10 })).rejects.toThrow(/户数/);
    await expect(generateSamples({ outDir: join(root, 'y'), asOf: '2020/4/30' })).rejects.toThrow(/YYYY-MM-DD/);
  });
});

describe('SPEC §2 quirks in the files', () => {
  it('a member sheet with title rows and a two-row merged header', () => {
    const ws = members.getWorksheet('大坪村')!;
    expect(cellText(ws.getCell('A1').value)).toBe('司门前镇建档立卡贫困人口信息表');
    expect(ws.getCell('B1').isMerged).toBe(true);
    expect(cellText(ws.getCell('A2').value)).toMatch(/^导出时间:\d{4}-\d{2}-\d{2}$/);
    const top = rowTexts(ws, 3);
    const bottom = rowTexts(ws, 4);
    const g = top.indexOf('收入情况') + 1;
    expect(g).toBeGreaterThan(0);
    expect(bottom.slice(g - 1, g + 3)).toEqual(['工资性收入', '生产经营性收入', '财产性收入', '转移性收入']);
    // group cell merged across its four columns; single headers merged down over both rows
    expect(ws.getCell(3, g + 3).isMerged).toBe(true);
    expect(ws.getCell(3, g + 3).master.address).toBe(ws.getCell(3, g).address);
    expect(ws.getCell(4, 1).master.address).toBe('A3');
    // spaces, line breaks and full-width brackets in headers
    expect(top).toContain('姓  名');
    expect(top).toContain('务工时间\n(月)');
    expect(top).toContain('人均纯收入（元）');
  });

  it('household fields only on the 户主 row in one village, on every row in another, in a table for a third', () => {
    const a = members.getWorksheet('大坪村')!;
    const rel = columnValues(a, '与户主关系', 3).map(cellText);
    const size = columnValues(a, '家庭人口数', 3);
    const dataRows = rel.map((r, i) => ({ r, s: size[i] })).filter((x) => x.r !== '' && x.r !== '与户主关系' && !x.r.startsWith('合计'));
    expect(dataRows.length).toBeGreaterThan(30);
    for (const x of dataRows) expect(x.s === null || x.s === undefined, x.r).toBe(!['户主', '02'].includes(x.r));
    const b = members.getWorksheet('石门村')!;
    const sizeB = columnValues(b, '家庭人口數', 3).filter((v) => typeof v === 'number');
    const relB = columnValues(b, '與戶主關係', 3).filter((v) => typeof v === 'string' && v !== '');
    expect(sizeB.length).toBe(relB.length);
    const c = members.getWorksheet('白竹村')!;
    expect(rowTexts(c, 2)).not.toContain('家庭人口数');
    const hh = readFileSync(join(dirA, '贫困户信息.csv'));
    expect([...hh.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 with BOM
    const text = hh.toString('utf8');
    expect(text).toContain('白竹村');
    expect(text).not.toContain('大坪村');
  });

  it('Traditional, shuffled and unknown headers on one sheet; all but the unknown map to known fields', () => {
    const b = members.getWorksheet('石门村')!;
    const hdr = rowTexts(b, 3);
    expect(hdr).toContain('證件號碼');
    expect(hdr).toContain('與戶主關係');
    expect(hdr).toContain('是否危房'); // inverse header
    expect(hdr).toContain('扶貧手冊編號');
    const a = rowTexts(members.getWorksheet('江边村')!, 3); // layout A again: canonical order
    const norm = (h: string) => normalizeHeader(h).name;
    expect(hdr.map(norm).filter((h) => a.map(norm).includes(h))).not.toEqual(a.map(norm).filter((h) => hdr.map(norm).includes(h)));
    const known = new Set<string>();
    for (const t of ['members', 'households'] as const) {
      for (const f of TABLES[t].fields) for (const h of f.headers) known.add(normalizeHeader(typeof h === 'string' ? h : h.text).name);
    }
    const unknown = hdr.map(norm).filter((h) => !known.has(h));
    expect(unknown.sort()).toEqual(['备注', '扶贫手册编号'].sort());
    for (const ws of members.worksheets.filter((w) => w.name !== '石门村')) {
      const rows = (ws.name === '白竹村' ? [rowTexts(ws, 2)] : [rowTexts(ws, 3), rowTexts(ws, 4)]).flat().filter((h) => h && h !== '收入情况');
      expect(rows.length).toBeGreaterThan(15);
      expect(rows.map(norm).filter((h) => !known.has(h)), ws.name).toEqual([]);
    }
  });

  it('ID numbers: numeric cells, lowercase x, full-width digits, spaces, 15 digits, 残疾人证', () => {
    const ids = members.worksheets.flatMap((ws) => {
      const hdrRow = ws.name === '石门村' || ws.name === '白竹村' ? (ws.name === '白竹村' ? 2 : 3) : 3;
      const h = rowTexts(ws, hdrRow);
      const col = h.findIndex((x) => x === '证件号码' || x === '證件號碼') + 1;
      const out: unknown[] = [];
      for (let r = hdrRow + 1; r <= ws.rowCount; r++) out.push(ws.getRow(r).getCell(col).value);
      return out;
    });
    const numeric = ids.filter((v) => typeof v === 'number');
    expect(numeric.length).toBeGreaterThanOrEqual(1);
    expect(numeric.every((n) => (n as number) > 1e17)).toBe(true);
    const texts = ids.filter((v): v is string => typeof v === 'string');
    expect(texts.some((t) => /^\d{17}x$/.test(t))).toBe(true);
    expect(texts.some((t) => /^[\uff10-\uff19]{17}[\uff10-\uff19Ｘ]$/.test(t))).toBe(true);
    expect(texts.some((t) => t !== t.trim() && /^\d{17}[\dX]$/.test(t.trim()))).toBe(true);
    expect(texts.some((t) => /^\d{15}$/.test(t))).toBe(true);
    expect(texts.some((t) => /^\d{17}[\dX][1-7][1-4]$/.test(t))).toBe(true);
    expect(texts.some((t) => t.startsWith('999999'))).toBe(true);
  });

  it('dates in every form, yes/no in every form, codes, multi-select health, float phones', () => {
    const all: unknown[] = [];
    for (const ws of members.worksheets) ws.eachRow((row) => row.eachCell((c) => all.push(c.value)));
    const strs = all.filter((v): v is string => typeof v === 'string');
    expect(all.some((v) => v instanceof Date)).toBe(true); // Excel date cells
    expect(all.some((v) => typeof v === 'number' && v > 10000 && v < 50000)).toBe(true); // serials
    expect(all.some((v) => typeof v === 'number' && v >= 19000101 && v <= 21001231)).toBe(true); // 19900101
    expect(strs.some((s) => /^\d{4}\/\d{1,2}\/\d{1,2}$/.test(s))).toBe(true);
    expect(strs.some((s) => /^\d{4}\.\d{2}\.\d{2}$/.test(s))).toBe(true);
    expect(strs.some((s) => /^\d{4}年\d{1,2}月$/.test(s))).toBe(true);
    expect(strs.some((s) => /^\d{4}年\d{1,2}月\d{1,2}日$/.test(s))).toBe(true);
    expect(all.some((v) => v === 2014 || v === 2015 || v === 2016)).toBe(true); // bare years
    for (const yes of ['是', 'Y', '√', '有']) expect(strs, yes).toContain(yes);
    expect(strs).toContain('×');
    const b = members.getWorksheet('石门村')!; // gender and relation as codes
    expect(columnValues(b, '性別', 3).filter((v) => v === 1 || v === 2).length).toBeGreaterThan(10);
    expect(columnValues(b, '與戶主關係', 3).map(cellText)).toEqual(expect.arrayContaining(['02', '10']));
    expect(columnValues(b, '聯繫電話', 3).some((v) => typeof v === 'number' && v > 1.3e10)).toBe(true);
    expect(strs.some((s) => /^(残疾,长期慢性病|长期慢性病,残疾)$/.test(s))).toBe(true);
    const hh = readFileSync(join(dirA, '贫困户信息.csv'), 'utf8');
    expect(hh).toMatch(/,1[3-9]\d{9}\.0\r\n/); // phone read back as a float
  });

  it('footer and trailing blank rows after the data', () => {
    const ws = members.getWorksheet('大坪村')!;
    const first = (r: number) => cellText(ws.getRow(r).getCell(1).value);
    const rows = Array.from({ length: ws.rowCount }, (_, i) => first(i + 1));
    const total = rows.findIndex((t) => t.startsWith('合计'));
    expect(total).toBeGreaterThan(10);
    expect(rows[total + 1]).toMatch(/^制表人:/);
    expect(rows.slice(total + 2).every((t) => t === '')).toBe(true);
  });

  it('the pairing CSV is GBK, with helper columns and one row of too many cells', () => {
    const bytes = readFileSync(join(dirA, '结对帮扶.csv'));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const lines = iconv.decode(bytes, 'gbk').split('\r\n');
    const header = lines[1]!.split(',');
    for (const h of ['帮扶责任人证件号码', '帮扶单位', '职务级别', '帮扶责任人联系电话', '帮扶开始时间']) expect(header).toContain(h);
    const long = lines.filter((l) => l.split(',').length > header.length);
    expect(long).toHaveLength(1);
    const p = truthA.planted.find((x) => x.rule === 'FILE-03')!;
    expect(p.entity).toEqual({ file: '结对帮扶.csv' });
  });

  it('FILE defects: no header, duplicated and missing columns, a corrupt workbook', async () => {
    const other = new ExcelJS.Workbook();
    await other.xlsx.readFile(join(dirA, '其他材料.xlsx'));
    const dup = rowTexts(other.getWorksheet('成员补充')!, 1);
    expect(dup.filter((h) => h === '性别')).toHaveLength(2);
    expect(dup).not.toContain('证件号码');
    const broken = new ExcelJS.Workbook();
    await expect(broken.xlsx.readFile(join(dirA, '损坏文件.xlsx'))).rejects.toThrow();
  });

  it('villages, residencies, projects and beneficiaries (some by 户主证件号码 only)', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dirA, '驻村帮扶.xlsx'));
    const vil = wb.getWorksheet('贫困村')!;
    expect(rowTexts(vil, 1)).toEqual(expect.arrayContaining(['是否贫困村', '出列年度', '通硬化路']));
    const bene = truthA.planted.find((p) => p.rule === 'BENE-04')!;
    let roadNo = false;
    vil.eachRow((row) => {
      if (cellText(row.getCell(3).value) === bene.entity.village && cellText(row.getCell(6).value) === '否') roadNo = true;
    });
    expect(roadNo).toBe(true);
    const pj = new ExcelJS.Workbook();
    await pj.xlsx.readFile(join(dirA, '项目库.xlsx'));
    const b = pj.getWorksheet('项目受益户')!;
    let byHeadOnly = 0;
    b.eachRow((row, r) => {
      if (r > 1 && !row.getCell(2).value && row.getCell(4).value) byHeadOnly++;
    });
    expect(byHeadOnly).toBeGreaterThan(0);
  });
});

describe('formats', () => {
  it("'csv' and 'xlsx' write the same tables in one format", async () => {
    const [c, x] = await Promise.all([
      generateSamples({ outDir: join(root, 'csv'), households: 100, seed: 3, formats: 'csv' }),
      generateSamples({ outDir: join(root, 'xlsx'), households: 100, seed: 3, formats: 'xlsx' }),
    ]);
    // the corrupt workbook (FILE-04) is the only file outside the format
    expect(c.files.filter((f) => !f.endsWith('.csv'))).toEqual(['损坏文件.xlsx']);
    expect(x.files.every((f) => f.endsWith('.xlsx'))).toBe(true);
    expect(c.cleanHouseholds).toEqual(x.cleanHouseholds);
    // FILE-03 needs a CSV; the rest of the planted set is the same
    const rules = (t: Truth) => [...new Set(t.planted.map((p) => p.rule))].sort();
    expect(rules(c)).toEqual([...RULE_IDS].sort());
    expect(rules(x)).toEqual(RULE_IDS.filter((r) => r !== 'FILE-03').sort());
    // scientific notation stands in for numeric ID cells in CSV
    const id10 = c.planted.find((p) => p.rule === 'ID-10')!;
    expect(id10.entity.id_number).toMatch(/^\d\.\d{5}E\+17$/);
    const text = c.files.filter((f) => f.startsWith('成员信息-')).map((f) => readFileSync(join(root, 'csv', f), 'utf8')).join('\n');
    expect(text).toContain(id10.entity.id_number!);
  });
});
