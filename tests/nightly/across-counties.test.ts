// The nightly checks its county folders as `check --by-county` does: one ID number in a member row of
// each of two county folders is one ID-08 over both places (the other county named), carried by both
// counties' 整改台账 and kept once in the ledger; with no number shared, every unit's findings are
// those of checking the unit alone (what the nightly did before); both cores and one thread give the
// same ledger; a county whose check broke off, or a county folder missing, leaves open what it
// cannot judge.
import { cpSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from '../../src/exceljs.js';
import { resolveConfig } from '../../src/config.js';
import { RULES } from '../../validators/index.js';
import { openDb } from '../../src/store/db.js';
import { Ledger } from '../../src/store/ledger.js';
import { runNightly, type NightlyResult } from '../../src/nightly/run.js';
import type { LedgerFinding } from '../../src/nightly/ledger-state.js';
import { runCheck } from '../../src/pipeline.js';
import { runCheckByCounty } from '../../src/bycounty/run.js';
import { checkCounty } from '../../src/bycounty/county-check.js';
import { countyWorkerScript } from '../../src/bycounty/county-pool.js';
import { regionOf } from '../../src/outputs/workbook.js';
import { editCsv, makeTownship } from './province.js';
import { ROOT_UNIT } from '../../src/nightly/inbox.js';
import type { Truth } from '../../src/samples/generate.js';

const N1 = '2020-05-01';
const N2 = '2020-05-02';
const N3 = '2020-05-03';
const config = resolveConfig({}, RULES);
const LH = '隆回县';
const SD = '邵东县';
const MEMBERS = '成员信息-白竹村.csv';

let root: string;
/** two county folders, no number shared */
let plainInbox: string;
/** the same, with one person of 隆回县 registered again in 邵东县 */
let inbox: string;
let shared: string;
/** the 隆回县 person registered again in 邵东县 (header → value of the 白竹村 member file) */
let person: Map<string, string>;

const header = (rs: string[][]) => rs.findIndex((r) => r.includes('证件号码'));

/** The first member row (by header name) of a household without planted defects in the township's 白竹村 file. */
function cleanMember(dir: string, truth: Truth): Map<string, string> {
  let found: Map<string, string> | undefined;
  editCsv(join(dir, MEMBERS), (rs) => {
    const h = header(rs);
    const no = rs[h]!.indexOf('户编号');
    const r = rs.slice(h + 1).find((x) => truth.cleanHouseholds.includes(x[no] ?? ''));
    if (r) found = new Map(rs[h]!.map((name, j) => [name, r[j] ?? '']));
    return rs;
  });
  if (!found) throw new Error(`no clean household in ${dir}`);
  return found;
}

function openLedger(name: string): Ledger {
  return new Ledger(openDb(join(root, `${name}.sqlite`)));
}

async function night(name: string, ledger: Ledger, date: string, from: string, extra: Partial<Parameters<typeof runNightly>[0]> = {}): Promise<NightlyResult> {
  return runNightly({ inbox: from, out: join(root, `out-${name}`), ledger, asOf: date, config, ...extra });
}

const byFp = (ledger: Ledger) => new Map([...ledger.findings()].map((f) => [f.fingerprint, f]));

/** Text of every 问题清单 row of a workbook. */
async function issueRows(path: string): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.getWorksheet('问题清单')!;
  const rows: string[] = [];
  ws.eachRow((row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (c) => cells.push(c.text));
    rows.push(cells.join('\t'));
  });
  return rows;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'qingxi-nightly-across-'));
  const cache = join(root, 'cache');
  plainInbox = join(root, 'plain');
  const lh = await makeTownship(cache, join(plainInbox, LH, '司门前镇'), { county: LH, township: '司门前镇', code: '106', seed: 1 });
  const sd = await makeTownship(cache, join(plainInbox, SD, '两市塘街道'), { county: SD, township: '两市塘街道', code: '201', seed: 3, phonePrefix: '186' });
  for (const d of [join(plainInbox, LH, '司门前镇'), join(plainInbox, SD, '两市塘街道')]) rmSync(join(d, 'truth.json'));
  inbox = join(root, 'inbox');
  cpSync(plainInbox, inbox, { recursive: true });
  // a clean member of 隆回县 registered again, as a member of a clean household of 邵东县
  person = cleanMember(join(inbox, LH, '司门前镇'), lh);
  const target = cleanMember(join(inbox, SD, '两市塘街道'), sd);
  const copied = ['姓名', '证件号码', '性别', '出生日期', '年龄'];
  let edited = 0;
  editCsv(join(inbox, SD, '两市塘街道', MEMBERS), (rs) => {
    const names = rs[header(rs)]!;
    const isTarget = (r: string[]) => names.every((n, j) => (r[j] ?? '') === target.get(n));
    return rs.map((r) => (isTarget(r) && edited++ === 0 ? r.map((c, j) => (copied.includes(names[j]!) ? person.get(names[j]!)! : c)) : r));
  });
  expect(edited).toBe(1);
  shared = person.get('证件号码')!;
  expect(shared).toMatch(/^\d{17}[\dX]$/);
}, 120_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('nightly over county folders, checked as check --by-county', () => {
  it('a number in a member row of each of two county folders: one ID-08 in the ledger, in both counties\' 台账, as check --by-county finds it', { timeout: 240_000 }, async () => {
    const ledger = openLedger('shared');
    const r = await night('shared', ledger, N1, inbox, { threads: 1 });
    const onX = [...ledger.findings()].filter((f) => f.rule === 'ID-08' && f.message.includes(shared));
    expect(onX).toHaveLength(1);
    const x = onX[0]!;
    // its first place in reading order: '邵东县/…' sorts before '隆回县/…'; the other county named
    expect(x.unit).toBe(SD);
    expect(x.county).toBe(SD);
    expect(x.message).toContain('2个县');
    expect(x.message).toContain(`${LH}/司门前镇/${MEMBERS}`);
    expect(x.status).toBe('open');
    // both counties' township workbooks carry it (the hidden fingerprint column)
    for (const [county, township] of [[SD, '两市塘街道'], [LH, '司门前镇']] as const) {
      const wb = r.workbooks.filter((w) => w.county === county && w.township === township);
      expect(wb).toHaveLength(1);
      const rows = await issueRows(join(r.dateDir, wb[0]!.rel));
      const hit = rows.filter((t) => t.includes(x.fingerprint));
      expect(hit, county).toHaveLength(1);
      expect(hit[0]).toContain('ID-08');
      expect(hit[0]).toContain('2个县');
    }
    // check --by-county over the same folder: the same ID-08 findings (fingerprints and messages)
    const byCounty = await runCheckByCounty({ paths: [inbox], asOf: N1, config, threads: 1 });
    const id08 = (fs: { rule: string; fingerprint: string; message: string }[]) =>
      fs.filter((f) => f.rule === 'ID-08').map((f) => `${f.fingerprint} ${f.message}`).sort();
    expect(id08([...ledger.findings()])).toEqual(id08(byCounty.findings));
    expect(id08(byCounty.findings).length).toBeGreaterThan(0);
  });

  it('with no number shared, each unit\'s findings are those of checking the unit alone', { timeout: 240_000 }, async () => {
    const ledger = openLedger('plain');
    await night('plain', ledger, N1, plainInbox, { threads: 1 });
    // what the nightly did before: one runCheck per county folder, the first unit's finding kept per fingerprint
    const expected = new Map<string, Record<string, string>>();
    for (const unit of readdirSync(plainInbox).sort()) {
      const res = await runCheck({ paths: [join(plainInbox, unit)], asOf: N1, config, displayPrefix: `${unit}/` });
      for (const f of res.findings) {
        if (expected.has(f.fingerprint)) continue;
        const rg = regionOf(f);
        const file = f.at?.file ?? '';
        expected.set(f.fingerprint, { rule: f.rule, severity: f.severity, message: f.message, unit, ...rg, householdNo: f.householdNo ?? '', source: file.slice(0, Math.max(0, file.lastIndexOf('/'))) });
      }
    }
    const got = new Map(
      [...ledger.findings()].map((f) => [
        f.fingerprint,
        { rule: f.rule, severity: f.severity, message: f.message, unit: f.unit, county: f.county, township: f.township, village: f.village, householdNo: f.householdNo, source: f.source },
      ]),
    );
    expect(got.size).toBeGreaterThan(100);
    expect(got).toEqual(expected);
  });

  it('both cores (threads 2) and one thread give the same ledger and workbooks', { timeout: 240_000 }, async () => {
    expect(countyWorkerScript(), 'dist/src/bycounty/county-worker.js missing: run `npx tsc -p tsconfig.json` first').toBeDefined();
    const one = openLedger('one');
    const two = openLedger('two');
    const r1 = await night('one', one, N1, inbox, { threads: 1 });
    const r2 = await night('two', two, N1, inbox, { threads: 2 });
    expect([...two.findings()]).toEqual([...one.findings()]);
    expect([...two.findings()].filter((f) => f.rule === 'ID-08' && f.message.includes(shared) && f.message.includes('2个县'))).toHaveLength(1);
    expect(two.townshipRuns([N1])).toEqual(one.townshipRuns([N1]));
    expect(r2.workbooks).toEqual(r1.workbooks);
    for (const w of r1.workbooks) expect(await issueRows(join(r2.dateDir, w.rel))).toEqual(await issueRows(join(r1.dateDir, w.rel)));
  });

  it('a loose file in the inbox root is one more unit, its numbers compared with the county folders\' too', { timeout: 240_000 }, async () => {
    const dir = join(root, 'inbox-loose');
    cpSync(inbox, dir, { recursive: true });
    // the same person once more, in a household of a county that sent no folder
    const row = new Map(person);
    row.set('县', '新化县').set('乡镇', '洋溪镇').set('行政村', '大桥村').set('户编号', '431322101010001').set('与户主关系', '户主');
    const names = [...row.keys()];
    writeFileSync(join(dir, '零散成员.csv'), `${names.join(',')}\r\n${names.map((n) => row.get(n)).join(',')}\r\n`);
    const ledger = openLedger('loose');
    const r = await night('loose', ledger, N1, dir, { threads: 2 });
    expect(r.units).toEqual([SD, LH, ROOT_UNIT]);
    const onX = [...ledger.findings()].filter((f) => f.rule === 'ID-08' && f.message.includes(shared));
    expect(onX).toHaveLength(1);
    expect(onX[0]!.unit).toBe(SD);
    expect(onX[0]!.message).toContain('共出现在3条成员记录上');
    expect(onX[0]!.message).toContain(`${ROOT_UNIT}/零散成员.csv / 第2行 / 户编号 431322101010001`);
    // the root unit's township workbook carries it too
    const wb = r.workbooks.filter((w) => w.county === '新化县' && w.township === '洋溪镇');
    expect(wb).toHaveLength(1);
    expect((await issueRows(join(r.dateDir, wb[0]!.rel))).filter((t) => t.includes(onX[0]!.fingerprint))).toHaveLength(1);
  });

  it('a county whose check broke off, then a county folder missing: what they cannot judge stays open', { timeout: 240_000 }, async () => {
    const dir = join(root, 'inbox-broken');
    cpSync(inbox, dir, { recursive: true });
    const ledger = openLedger('broken');
    await night('broken', ledger, N1, dir, { threads: 1 });
    const after1 = byFp(ledger);
    const x = [...after1.values()].find((f) => f.rule === 'ID-08' && f.message.includes(shared))!;
    expect(x).toBeDefined();
    const open1 = (unit: string) => [...after1.values()].filter((f) => f.unit === unit && f.status === 'open');
    expect(open1(LH).some((f) => f.township === '')).toBe(true); // findings judged by their folder, not a township

    // night 2: 隆回县's check breaks off (its worker out of memory)
    const r2 = await night('broken', ledger, N2, dir, {
      countyChecker: async (job, progress) => {
        if (job.displayPrefix === `${LH}/`) throw new Error('worker out of memory');
        return checkCounty(job, progress);
      },
    });
    expect(r2.failedUnits).toEqual([LH]);
    const after2 = byFp(ledger);
    const stillOpen = (f: LedgerFinding) => after2.get(f.fingerprint)?.status === 'open';
    for (const f of open1(LH)) expect(stillOpen(f), `${f.rule} ${f.message}`).toBe(true);
    expect(stillOpen(x)).toBe(true); // its other place was not read tonight
    const file04 = [...after2.values()].filter((f) => f.rule === 'FILE-04' && f.unit === LH && f.lastSeen === N2 && f.status === 'open');
    expect(file04.length).toBe(readdirSync(join(dir, LH, '司门前镇')).filter((n) => /\.(csv|xlsx)$/.test(n)).length);

    // night 3: 隆回县 sends nothing: the number shared with it proves nothing tonight
    renameSync(join(dir, LH), join(root, 'lh-away'));
    const r3 = await night('broken', ledger, N3, dir, { threads: 1 });
    expect(r3.failedUnits).toEqual([]);
    expect(byFp(ledger).get(x.fingerprint)?.status).toBe('open');
    // (邵东县's data did not change: none of its findings is fixed)
    expect([...byFp(ledger).values()].filter((f) => f.unit === SD && f.status === 'fixed')).toEqual([]);
  });
});
