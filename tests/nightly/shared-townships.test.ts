// SharedTownships on its own: which township folders count as shared (the data's county, else the
// unit's folder), the parts joined into one workbook only after the last unit naming the folder,
// a fingerprint listed once, and a path never handed out twice.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import ExcelJS from '../../src/exceljs.js';
import { mergeVillages, SharedTownships, type SharedPart } from '../../src/nightly/shared-townships.js';
import { finding, input, removeTempDirs, tempDir, village } from '../outputs/fixtures.js';

afterAll(removeTempDirs);

const LH = '隆回县';
const SMQ = '司门前镇';

function part(p: Partial<SharedPart> & Pick<SharedPart, 'findings'>): SharedPart {
  return { county: LH, countyLabel: LH, township: SMQ, asOf: '2020-04-30', villages: [], sources: [], heads: [], ...p };
}

async function fingerprints(path: string): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.getWorksheet('问题清单')!;
  const out: string[] = [];
  let col = 0;
  ws.eachRow((row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (c) => cells.push(c.text));
    if (col === 0) col = cells.indexOf('指纹') + 1;
    else if (cells[col - 1]) out.push(cells[col - 1]!);
  });
  return out;
}

describe('SharedTownships', () => {
  it('a folder is shared when two units name it, by the data\'s county or else by the unit\'s folder', async () => {
    const s = new SharedTownships(await tempDir('shared-a'), [
      // a county folder whose data names no county: its folder names it
      { fallbackCounty: LH, townships: [{ county: '', township: SMQ }, { county: '', township: '六都寨镇' }] },
      { fallbackCounty: '（收件箱根目录）', townships: [{ county: LH, township: SMQ }, { county: '邵东县', township: '两市塘街道' }] },
      { fallbackCounty: '邵东县', townships: [{ county: '邵东县', township: '团山镇' }] },
    ]);
    expect(s.folders).toEqual([`${LH}/${SMQ}`]);
    expect(s.isShared(`${LH}/${SMQ}`)).toBe(true);
    expect(s.isShared(`${LH}/六都寨镇`)).toBe(false);
    expect(s.isShared('邵东县/两市塘街道')).toBe(false);
  });

  it('a path is handed out once: a second claimant gets _2, _3', async () => {
    const s = new SharedTownships(await tempDir('shared-b'), []);
    expect(['a/整改台账_x.xlsx', 'a/整改台账_x.xlsx', 'a/整改台账_x.xlsx', 'b/整改台账_x.xlsx'].map((r) => s.claim(r))).toEqual([
      'a/整改台账_x.xlsx',
      'a/整改台账_x_2.xlsx',
      'a/整改台账_x_3.xlsx',
      'b/整改台账_x.xlsx',
    ]);
  });

  it('writes one workbook after the last unit naming the folder: every part, a fingerprint once, named by the data\'s county', async () => {
    const staging = await tempDir('shared-c');
    const dateDir = await tempDir('shared-d');
    const units = [
      { fallbackCounty: LH, townships: [{ county: '', township: SMQ }] },
      { fallbackCounty: '隆回县（补报）', townships: [] },
      { fallbackCounty: '（收件箱根目录）', townships: [{ county: LH, township: SMQ }] },
    ];
    const s = new SharedTownships(staging, units);
    const a = finding({ rule: 'BASE-01', household: 'H001', county: '', township: SMQ, village: '一村' });
    const both = finding({ rule: 'ID-03', household: 'H002', county: '', township: SMQ, village: '二村', id: '430524199001011234' });
    const b = finding({ rule: 'BASE-01', household: 'H900', county: LH, township: SMQ, village: '一村' });
    await s.hold(`${LH}/${SMQ}`, part({ county: '', findings: [a, both], villages: [village({ county: '', township: SMQ, village: '一村' })], sources: [`${LH}/a.csv`], heads: [['H001', '张三']] }));
    const rules = input([], []).rules;
    expect(await s.deliverDue(0, { dateDir, checkedAt: '2020-05-01T02:00:00.000Z', rules })).toEqual([]);
    expect(await s.deliverDue(1, { dateDir, checkedAt: '2020-05-01T02:00:00.000Z', rules })).toEqual([]);
    await s.hold(`${LH}/${SMQ}`, part({ findings: [{ ...both }, b], villages: [village({ county: LH, township: SMQ, village: '三村' })], sources: ['（收件箱根目录）/b.csv'] }));
    const delivered = await s.deliverDue(2, { dateDir, checkedAt: '2020-05-01T02:00:00.000Z', rules });
    const rel = `${LH}/${SMQ}/整改台账_${LH}_${SMQ}.xlsx`;
    expect(delivered).toEqual([{ county: LH, township: SMQ, rel }]);
    expect(readdirSync(join(dateDir, LH, SMQ))).toEqual([`整改台账_${LH}_${SMQ}.xlsx`]);
    // village (pinyin: 二 èr before 一 yī), then household order, as the writer sorts
    expect(await fingerprints(join(dateDir, rel))).toEqual([both.fingerprint, a.fingerprint, b.fingerprint]);
    // the parts are gone from the staging folder
    expect(readdirSync(staging)).toEqual([]);
    expect(existsSync(join(dateDir, rel))).toBe(true);
  });

  it('one 汇总 line per village: a village two units name adds up their households and counts its findings once each', async () => {
    const h1 = finding({ rule: 'ID-03', household: 'H001', county: '', township: SMQ, village: '一村', id: '430524199001011234' });
    const h2 = finding({ rule: 'BASE-01', household: 'H002', county: LH, township: SMQ, village: '一村', severity: 'suspect' });
    const h3 = finding({ rule: 'BASE-01', household: 'H003', county: LH, township: SMQ, village: '一村', severity: 'info' });
    const other = finding({ rule: 'BASE-01', household: 'H010', county: LH, township: SMQ, village: '二村' });
    const only = village({ county: LH, township: SMQ, village: '二村', households: 4, people: 9, findings: 1, errors: 1, householdsWithErrors: 1, score: 750 });
    const parts = [
      part({ county: '', findings: [h1, h2], villages: [village({ county: '', township: SMQ, village: '一村', households: 20, people: 61, findings: 2, errors: 1, suspects: 1, householdsWithErrors: 1, score: 935 })] }),
      // a late delivery naming the same village: its findings again (h1), one more (h3), its own households
      part({ findings: [{ ...h1 }, h3, other], villages: [village({ county: LH, township: SMQ, village: '一村', households: 5, people: 12, findings: 2, errors: 1, infos: 1, householdsWithErrors: 1, score: 800 }), only] }),
    ];
    // the workbook's findings: each fingerprint once
    const merged = mergeVillages(parts, [h1, h2, h3, other]);
    expect(merged).toHaveLength(2);
    const one = merged.find((v) => v.village === '一村')!;
    expect(one).toMatchObject({ county: LH, township: SMQ, households: 25, people: 73, findings: 3, errors: 1, suspects: 1, infos: 1, householdsWithErrors: 1 });
    expect(one.byFamily).toEqual({ ID: 1, BASE: 2 });
    // 1000 × (1 − (1 + 0.3) ÷ 25)
    expect(one.score).toBe(948);
    // a village only one unit names keeps its own line
    expect(merged.find((v) => v.village === '二村')).toBe(only);

    // the delivered workbook's 汇总 lists 一村 once
    const staging = await tempDir('shared-e');
    const dateDir = await tempDir('shared-f');
    const s = new SharedTownships(staging, [
      { fallbackCounty: LH, townships: [{ county: '', township: SMQ }] },
      { fallbackCounty: '（收件箱根目录）', townships: [{ county: LH, township: SMQ }] },
    ]);
    await s.hold(`${LH}/${SMQ}`, parts[0]!);
    await s.hold(`${LH}/${SMQ}`, parts[1]!);
    const [wb] = await s.deliverDue(1, { dateDir, checkedAt: '2020-05-01T02:00:00.000Z', rules: input([], []).rules });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(dateDir, wb!.rel));
    const villagesListed: string[] = [];
    book.getWorksheet('汇总')!.eachRow((row, n) => {
      if (n > 1) villagesListed.push(row.getCell(3).text || row.getCell(1).text);
    });
    expect(villagesListed).toEqual(['二村', '一村', '合计']);
  });
});
