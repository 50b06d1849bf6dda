// Two inbox units delivering one township: loose files in the inbox root and a second county folder
// (a late delivery, 隆回县（补报）) whose rows name the township of the county folder 隆回县. The
// township's folder gets one 整改台账 holding every unit's findings for it (nothing overwritten), the
// run lists it once, and both cores and one thread give the same workbook.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from '../../src/exceljs.js';
import { resolveConfig } from '../../src/config.js';
import { RULES } from '../../validators/index.js';
import { openDb } from '../../src/store/db.js';
import { Ledger } from '../../src/store/ledger.js';
import { runNightly, type NightlyResult } from '../../src/nightly/run.js';
import { ROOT_UNIT } from '../../src/nightly/inbox.js';
import { editCsv, makeTownship } from './province.js';

const N1 = '2020-05-01';
const config = resolveConfig({}, RULES);
const LH = '隆回县';
const LATE = '隆回县（补报）';
const SMQ = '司门前镇';
const REL = `${LH}/${SMQ}/整改台账_${LH}_${SMQ}.xlsx`;

let root: string;
let inbox: string;
/** the ID number of a county folder's member registered again in a loose file */
let sharedId: string;

/** The 问题清单 of a workbook: its rows' text and the 指纹 column's values. */
async function issues(path: string): Promise<{ rows: string[]; fingerprints: string[] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.getWorksheet('问题清单')!;
  const rows: string[][] = [];
  ws.eachRow((row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (c) => cells.push(c.text));
    rows.push(cells);
  });
  const hr = rows.findIndex((r) => r.includes('指纹'));
  expect(hr).toBeGreaterThanOrEqual(0);
  const fp = rows[hr]!.indexOf('指纹');
  return { rows: rows.map((r) => r.join('\t')), fingerprints: rows.slice(hr + 1).map((r) => r[fp] ?? '').filter(Boolean) };
}

async function night(name: string, threads: number): Promise<{ r: NightlyResult; ledger: Ledger }> {
  const ledger = new Ledger(openDb(join(root, `${name}.sqlite`)));
  const r = await runNightly({ inbox, out: join(root, `out-${name}`), ledger, asOf: N1, config, threads });
  return { r, ledger };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'qingxi-nightly-shared-'));
  const cache = join(root, 'cache');
  inbox = join(root, 'inbox');
  await makeTownship(cache, join(inbox, LH, SMQ), { county: LH, township: SMQ, code: '106', seed: 1 });
  // a late delivery of more villages' households of the same township, in a folder of its own
  await makeTownship(cache, join(inbox, LATE, SMQ), { county: LH, township: SMQ, code: '108', seed: 3, phonePrefix: '186' });
  // and loose files lying in the inbox root, their rows naming the same county and township
  const loose = join(root, 'loose');
  await makeTownship(cache, loose, { county: LH, township: SMQ, code: '107', seed: 2, phonePrefix: '158' });
  for (const name of readdirSync(loose).filter((n) => n.endsWith('.csv'))) cpSync(join(loose, name), join(inbox, `零散-${name}`));
  for (const d of [join(inbox, LH, SMQ), join(inbox, LATE, SMQ)]) rmSync(join(d, 'truth.json'));
  // one member of the county folder registered again in a loose file: an ID-08 over two units,
  // both of whose parts of the township carry it
  const members = (dir: string, prefix = '') => join(dir, readdirSync(dir).find((n) => n.startsWith(`${prefix}成员信息`))!);
  let person: Map<string, string> | undefined;
  editCsv(members(join(inbox, LH, SMQ)), (rs) => {
    const h = rs.findIndex((r) => r.includes('证件号码'));
    person = new Map(rs[h]!.map((name, j) => [name, rs[h + 1]![j] ?? '']));
    return rs;
  });
  sharedId = person!.get('证件号码')!;
  expect(sharedId).toMatch(/^\d{17}[\dX]$/);
  editCsv(members(inbox, '零散-'), (rs) => {
    const names = rs[rs.findIndex((r) => r.includes('证件号码'))]!;
    return [...rs, names.map((n) => person!.get(n) ?? '')];
  });
}, 180_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('two inbox units naming one township', () => {
  let one: { r: NightlyResult; ledger: Ledger };
  let two: { r: NightlyResult; ledger: Ledger };

  it('one 整改台账 in the township folder, holding every unit\'s findings for it once', { timeout: 300_000 }, async () => {
    two = await night('two', 2);
    const { r, ledger } = two;
    expect(r.units).toEqual([LH, LATE, ROOT_UNIT]);
    const rels = r.workbooks.map((w) => w.rel);
    expect(new Set(rels).size).toBe(rels.length);
    expect(r.workbooks.filter((w) => w.county === LH && w.township === SMQ)).toEqual([{ county: LH, township: SMQ, rel: REL }]);
    expect(readdirSync(join(r.dateDir, LH, SMQ)).filter((n) => n.startsWith('整改台账'))).toEqual([`整改台账_${LH}_${SMQ}.xlsx`]);

    // the ledger's findings of the township come from all three units
    const ofTownship = [...ledger.findings()].filter((f) => f.county === LH && f.township === SMQ);
    expect(new Set(ofTownship.map((f) => f.unit))).toEqual(new Set([LH, LATE, ROOT_UNIT]));
    const { fingerprints } = await issues(join(r.dateDir, REL));
    const inWorkbook = new Set(fingerprints);
    // each finding once, every one of the township's findings there
    expect(inWorkbook.size).toBe(fingerprints.length);
    const missing = ofTownship.filter((f) => !inWorkbook.has(f.fingerprint));
    expect(missing.map((f) => `${f.unit} ${f.rule} ${f.message}`)).toEqual([]);
    const twice = [...ledger.findings()].filter((f) => f.rule === 'ID-08' && f.message.includes(sharedId));
    expect(twice).toHaveLength(1);
    expect(fingerprints.filter((fp) => fp === twice[0]!.fingerprint)).toHaveLength(1);
    const known = new Set([...ledger.findings()].map((f) => f.fingerprint));
    for (const fp of fingerprints) expect(known.has(fp)).toBe(true);

    // its 汇总 lists the villages of every unit; its 说明 names the files of every unit
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(r.dateDir, REL));
    const readme: string[] = [];
    wb.getWorksheet('说明')!.eachRow((row) => row.eachCell((c) => readme.push(c.text)));
    const sources = readme.join('\n');
    expect(sources).toContain(`${LH}/${SMQ}/`);
    expect(sources).toContain(`${LATE}/${SMQ}/`);
    expect(sources).toContain(`${ROOT_UNIT}/零散-`);
    let households = 0;
    const villages: string[] = [];
    wb.getWorksheet('汇总')!.eachRow((row, n) => {
      if (row.getCell(1).text === '合计') households = Number(row.getCell(4).value);
      else if (n > 1) villages.push(row.getCell(3).text);
    });
    // a village two units name is one line
    expect(villages.length).toBeGreaterThan(1);
    expect(new Set(villages).size).toBe(villages.length);
    const facts = r.report.townships.filter((t) => t.county === LH && t.township === SMQ);
    expect(facts.map((t) => t.unit).sort()).toEqual([LH, LATE, ROOT_UNIT].sort());
    expect(households).toBe(facts.reduce((s, t) => s + t.households, 0));

    // the page links the township's one workbook
    expect(readFileSync(join(r.dateDir, 'index.html'), 'utf8')).toContain(REL.split('/').map(encodeURIComponent).join('/'));
  });

  it('one thread gives the same workbook; a re-run of the date keeps it', { timeout: 300_000 }, async () => {
    one = await night('one', 1);
    expect(one.r.workbooks).toEqual(two.r.workbooks);
    for (const w of two.r.workbooks) expect((await issues(join(one.r.dateDir, w.rel))).rows, w.rel).toEqual((await issues(join(two.r.dateDir, w.rel))).rows);
    const again = await runNightly({ inbox, out: join(root, 'out-one'), ledger: one.ledger, asOf: N1, config, threads: 1 });
    expect(again.workbooks).toEqual(one.r.workbooks);
    for (const w of again.workbooks) expect(existsSync(join(again.dateDir, w.rel)), w.rel).toBe(true);
  });
});
