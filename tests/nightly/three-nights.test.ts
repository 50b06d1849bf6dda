// Three consecutive nights over a synthetic province (two counties, three townships): defects
// fixed (销号), new, reappearing (reopened), one township's files missing on night 2 (its findings
// stay open, reported as missing input), an accepted exception on night 3 — every ledger state is
// checked against what the mutations imply, and a re-run of night 3 leaves the ledger identical.
import { mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync, cpSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from '../../src/exceljs.js';
import { resolveConfig } from '../../src/config.js';
import { RULES } from '../../validators/index.js';
import { openDb, type Db } from '../../src/store/db.js';
import { Ledger } from '../../src/store/ledger.js';
import { runNightly, type NightlyResult } from '../../src/nightly/run.js';
import type { LedgerFinding } from '../../src/nightly/ledger-state.js';
import { main } from '../../src/cli/main.js';
import { blankMemberName, makeTownship, removeHousehold } from './province.js';
import { isTempOutputName } from '../../src/outputs/atomic.js';
import type { Truth } from '../../src/samples/generate.js';

const N1 = '2020-05-01';
const N2 = '2020-05-02';
const N3 = '2020-05-03';
const config = resolveConfig({}, RULES);

let root: string;
let inbox: string;
let out: string;
let dbPath: string;
let db: Db;
let ledger: Ledger;
const snapshots = new Map<string, Map<string, LedgerFinding>>();
const results = new Map<string, NightlyResult>();
let truth1: Truth;
let A: string, B: string, C: string, D: string;
const SMQ = () => join(inbox, '隆回县', '司门前镇');
const LDZ = () => join(inbox, '隆回县', '六都寨镇');

function snapshot(): Map<string, LedgerFinding> {
  return new Map([...ledger.findings()].map((f) => [f.fingerprint, f]));
}

async function night(date: string): Promise<void> {
  const r = await runNightly({ inbox, out, ledger, asOf: date, config });
  results.set(date, r);
  snapshots.set(date, snapshot());
}

const ofHousehold = (s: Map<string, LedgerFinding>, hh: string) => [...s.values()].filter((f) => f.householdNo === hh);
const inTownship = (s: Map<string, LedgerFinding>, tw: string) => [...s.values()].filter((f) => f.township === tw);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'qingxi-nightly-'));
  inbox = join(root, 'inbox');
  out = join(root, 'out');
  dbPath = join(root, 'ledger.sqlite');
  const cache = join(root, 'cache');
  truth1 = await makeTownship(cache, SMQ(), { county: '隆回县', township: '司门前镇', code: '106', seed: 1 });
  await makeTownship(cache, LDZ(), { county: '隆回县', township: '六都寨镇', code: '107', seed: 2, phonePrefix: '158' });
  await makeTownship(cache, join(inbox, '邵东县', '两市塘街道'), { county: '邵东县', township: '两市塘街道', code: '201', seed: 3, phonePrefix: '186' });
  for (const d of [SMQ(), LDZ(), join(inbox, '邵东县', '两市塘街道')]) rmSync(join(d, 'truth.json'));
  db = openDb(dbPath);
  ledger = new Ledger(db);

  // households to mutate: two with planted defects, two clean ones
  const planted = truth1.planted.filter((p) => p.entity.household_no);
  A = planted.find((p) => p.rule.startsWith('ID-'))!.entity.household_no!;
  B = planted.find((p) => p.rule.startsWith('BASE-') && p.entity.household_no !== A)!.entity.household_no!;
  [C, D] = truth1.cleanHouseholds.slice(5, 7) as [string, string];

  await night(N1);
  // night 2: 六都寨镇 sends nothing; A and B leave the register (their findings are fixed); C gets a blank name
  cpSync(SMQ(), join(root, 'smq-night1'), { recursive: true });
  renameSync(LDZ(), join(root, 'ldz-away'));
  expect(removeHousehold(SMQ(), A)).toBeGreaterThan(0);
  expect(removeHousehold(SMQ(), B)).toBeGreaterThan(0);
  blankMemberName(SMQ(), C);
  await night(N2);
  // night 3: 六都寨镇 is back; A is back (its defects reappear), B stays away; C is corrected, D gets a blank name
  renameSync(join(root, 'ldz-away'), LDZ());
  rmSync(SMQ(), { recursive: true });
  cpSync(join(root, 'smq-night1'), SMQ(), { recursive: true });
  removeHousehold(SMQ(), B);
  blankMemberName(SMQ(), D);
  // an accepted exception (检验核查) for one 邵东县 finding
  const accepted = [...snapshots.get(N2)!.values()].find((f) => f.county === '邵东县' && f.status === 'open' && f.householdNo)!;
  writeFileSync(
    join(inbox, '邵东县', 'accepted.json'),
    JSON.stringify({ version: 1, entries: [{ fingerprint: accepted.fingerprint, rule: accepted.rule, remark: '经入户核实数据无误', acceptedOn: N3 }] }),
  );
  await night(N3);
}, 600_000);

afterAll(() => {
  db?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('three nights', () => {
  it('night 1: every finding is new and open, one workbook per township with only its rows', async () => {
    const s1 = snapshots.get(N1)!;
    expect(s1.size).toBeGreaterThan(50);
    for (const f of s1.values()) {
      expect(f.status).toBe('open');
      expect(f.firstSeen).toBe(N1);
    }
    expect(new Set([...s1.values()].map((f) => f.township).filter(Boolean))).toEqual(new Set(['司门前镇', '六都寨镇', '两市塘街道']));
    const r1 = results.get(N1)!;
    const rels = r1.workbooks.map((w) => w.rel).sort();
    expect(rels).toContain('隆回县/司门前镇/整改台账_隆回县_司门前镇.xlsx');
    expect(rels).toContain('隆回县/六都寨镇/整改台账_隆回县_六都寨镇.xlsx');
    expect(rels).toContain('邵东县/两市塘街道/整改台账_邵东县_两市塘街道.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, N1, '隆回县/六都寨镇/整改台账_隆回县_六都寨镇.xlsx'));
    const ws = wb.getWorksheet('问题清单')!;
    const texts = (n: number) => Array.from({ length: ws.getRow(n).cellCount + 1 }, (_, i) => (i === 0 ? '' : ws.getRow(n).getCell(i).text));
    const hr = texts(1).includes('乡镇') ? 1 : 2;
    const twCol = texts(hr).indexOf('乡镇');
    expect(twCol).toBeGreaterThan(0);
    const fpCol = texts(hr).indexOf('指纹');
    const fps = new Set<string>();
    ws.eachRow((row, n) => {
      if (n <= hr) return;
      // its own findings, and findings naming no township routed to it (its helpers, files, projects)
      expect(['六都寨镇', '']).toContain(row.getCell(twCol).text);
      if (row.getCell(fpCol).text) fps.add(row.getCell(fpCol).text);
    });
    // every finding of the township is in its workbook (a fingerprint shared with another county's
    // finding — the same cadre or helper — is kept once in the ledger, under the county seen last)
    for (const f of inTownship(s1, '六都寨镇')) expect(fps.has(f.fingerprint)).toBe(true);
    expect([...fps].filter((fp) => s1.get(fp)?.township === '').length).toBeGreaterThan(0);
    for (const fp of fps) expect(s1.has(fp)).toBe(true);
    expect(existsSync(join(out, N1, 'index.html'))).toBe(true);
    expect(existsSync(join(out, N1, '省级汇总.xlsx'))).toBe(true);
  });

  it('night 2: removed households are fixed (销号), the new defect is open, the missing township keeps its findings open', () => {
    const s1 = snapshots.get(N1)!;
    const s2 = snapshots.get(N2)!;
    const fixedA = ofHousehold(s2, A);
    expect(fixedA.length).toBeGreaterThan(0);
    for (const f of [...fixedA, ...ofHousehold(s2, B)]) {
      expect(f.status).toBe('fixed');
      expect(f.fixedOn).toBe(N2);
      expect(f.lastSeen).toBe(N1);
    }
    const c = ofHousehold(s2, C).filter((f) => f.rule === 'ID-09');
    expect(c).toHaveLength(1);
    expect(c[0]!.status).toBe('open');
    expect(c[0]!.firstSeen).toBe(N2);
    const ldz = inTownship(s2, '六都寨镇');
    expect(ldz.length).toBe(inTownship(s1, '六都寨镇').length);
    for (const f of ldz) {
      expect(f.status).toBe('open');
      expect(f.lastSeen).toBe(N1);
    }
    // findings naming no township (file structure, helpers) from the missing folder are kept too
    const fromLdz = [...s2.values()].filter((f) => f.source === '隆回县/六都寨镇');
    expect(fromLdz.length).toBeGreaterThan(inTownship(s2, '六都寨镇').length);
    for (const f of fromLdz) expect(f.status).toBe('open');
    const run2 = ledger.run(N2)!;
    expect(run2.missing.townships).toEqual([{ unit: '隆回县', county: '隆回县', township: '六都寨镇' }]);
    expect(run2.missing.units).toEqual([]);
    // the untouched county: everything seen again, nothing fixed
    for (const f of s2.values()) if (f.county === '邵东县') expect([f.status, f.lastSeen]).toEqual(['open', N2]);
    expect(results.get(N2)!.workbooks.some((w) => w.township === '六都寨镇')).toBe(false);
    expect(results.get(N2)!.report.townships.find((t) => t.township === '六都寨镇')!.present).toBe(false);
  });

  it('night 3: reappearing defects are reopened, corrected ones fixed, the returning township seen again, accepted recorded', () => {
    const s3 = snapshots.get(N3)!;
    const a = ofHousehold(s3, A);
    expect(a.length).toBe(ofHousehold(snapshots.get(N1)!, A).length);
    for (const f of a) {
      expect(f.status).toBe('reopened');
      expect(f.openSince).toBe(N3);
      expect(f.firstSeen).toBe(N1);
      expect(f.fixedOn).toBeNull();
    }
    for (const f of ofHousehold(s3, B)) expect([f.status, f.fixedOn]).toEqual(['fixed', N2]);
    const c = ofHousehold(s3, C).filter((f) => f.rule === 'ID-09');
    expect([c[0]!.status, c[0]!.fixedOn, c[0]!.firstSeen]).toEqual(['fixed', N3, N2]);
    const d = ofHousehold(s3, D).filter((f) => f.rule === 'ID-09');
    expect([d.length, d[0]!.status, d[0]!.firstSeen]).toEqual([1, 'open', N3]);
    for (const f of inTownship(s3, '六都寨镇')) expect([f.status, f.firstSeen, f.lastSeen]).toEqual(['open', N1, N3]);
    const acc = [...s3.values()].filter((f) => f.status === 'accepted');
    expect(acc).toHaveLength(1);
    expect(acc[0]!.county).toBe('邵东县');
    expect(ledger.history(a[0]!.fingerprint).map((h) => [h.runDate, h.kind])).toEqual([[N1, 'new'], [N2, 'fixed'], [N3, 'reopened']]);
    expect(ledger.run(N3)!.missing.townships).toEqual([]);
    const rep = results.get(N3)!.report;
    // only what was mutated in 司门前镇 can reappear: nothing of the missing township was ever fixed
    const reopened = [...s3.values()].filter((f) => f.status === 'reopened');
    expect(rep.totals.reopenedCount).toBe(reopened.length);
    for (const f of reopened) expect(f.source).toBe('隆回县/司门前镇');
    expect(reopened.filter((f) => f.householdNo === A)).toHaveLength(a.length);
    expect(rep.trendDates).toEqual([N1, N2, N3]);
    const smq = rep.townships.find((t) => t.township === '司门前镇')!;
    expect(smq.trendOpen).toHaveLength(3);
    expect(smq.oldestOpenDays).toBe(2);
  });

  it('省级汇总.xlsx is the twin of the page: same townships, ranking, rules and trend', async () => {
    const rep = results.get(N3)!.report;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, N3, '省级汇总.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['说明', '县汇总', '乡镇汇总', '乡镇排名', '规则排行', '趋势', '缺少输入']);
    const rows = (name: string) => {
      const out: string[][] = [];
      wb.getWorksheet(name)!.eachRow((r, n) => void (n > 1 && out.push(Array.from(r.values as unknown[]).slice(1).map((v) => String(v ?? '')))));
      return out;
    };
    expect(rows('县汇总').map((r) => r[0])).toEqual(rep.counties.map((c) => c.county));
    const towns = rows('乡镇汇总');
    expect(towns.length).toBe(rep.townships.length);
    const smq = towns.find((r) => r[1] === '司门前镇')!;
    const t = rep.townships.find((x) => x.township === '司门前镇')!;
    expect(smq.slice(2, 10)).toEqual(['已提交', String(t.households), String(t.people), String(t.score), String(t.openTotal), String(t.openError), String(t.openSuspect), String(t.openInfo)]);
    expect(rows('乡镇排名').map((r) => r[2])).toEqual(rep.ranking.map((x) => x.townshipLabel));
    expect(rows('规则排行').map((r) => r[0])).toEqual(rep.topRules.map((x) => x.rule));
    expect(rows('趋势')[0]).toEqual(['全省', '', ...rep.provinceTrend.open.map(String)]);
    expect(rows('缺少输入')).toEqual([]);
  });

  it('every state follows from the nights: counts by status agree with ledger status --json', async () => {
    const s3 = snapshots.get(N3)!;
    const count = (st: string) => [...s3.values()].filter((f) => f.status === st).length;
    let stdout = '';
    const code = await main(['ledger', 'status', '--json', '--db', dbPath], { stdout: (s) => void (stdout += s), stderr: () => {}, isTTY: false, logger: pino({ level: 'silent' }) });
    expect(code).toBe(0);
    const j = JSON.parse(stdout) as Record<string, number>;
    expect({ open: j['open'], fixed: j['fixed'], accepted: j['accepted'], reopened: j['reopened'] }).toEqual({
      open: count('open'), fixed: count('fixed'), accepted: count('accepted'), reopened: count('reopened'),
    });
    expect(j['fixed']).toBeGreaterThan(0);
    expect(j['reopened']).toBeGreaterThan(0);
  });

  it('re-running night 3 is idempotent; an earlier date is refused', async () => {
    const before = snapshots.get(N3)!;
    const events = db.prepare('SELECT * FROM ledger_events ORDER BY fingerprint, run_date').all();
    const towns = db.prepare('SELECT * FROM ledger_townships ORDER BY run_date, unit, county, township').all();
    await night(N3);
    expect(snapshot()).toEqual(before);
    expect(db.prepare('SELECT * FROM ledger_events ORDER BY fingerprint, run_date').all()).toEqual(events);
    expect(db.prepare('SELECT * FROM ledger_townships ORDER BY run_date, unit, county, township').all()).toEqual(towns);
    await expect(runNightly({ inbox, out, ledger, asOf: N2, config })).rejects.toThrow(/更早的日期/);
    // no temporary file is left anywhere under the output
    const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => [e.name, ...(e.isDirectory() ? walk(join(d, e.name)) : [])]);
    expect(walk(out).filter(isTempOutputName)).toEqual([]);
  });

  it('ledger export writes CSV with a BOM and an .xlsx filtered by status and county', async () => {
    const csv = join(root, 'open.csv');
    const io = { stdout: () => {}, stderr: () => {}, isTTY: false, logger: pino({ level: 'silent' }) };
    expect(await main(['ledger', 'export', '--db', dbPath, '--status', 'open', '--county', '隆回县', '--out', csv], io)).toBe(0);
    const { readFileSync } = await import('node:fs');
    const buf = readFileSync(csv);
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = buf.toString('utf8').slice(1).trim().split('\r\n');
    const expected = [...snapshots.get(N3)!.values()].filter((f) => f.status === 'open' && f.county === '隆回县');
    expect(lines.length - 1).toBe(expected.length);
    expect(lines[0]).toMatch(/^指纹,状态,规则/);
    const xlsx = join(root, 'all.xlsx');
    expect(await main(['ledger', 'export', '--db', dbPath, '--out', xlsx], io)).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    expect(wb.getWorksheet('问题账本')!.actualRowCount).toBe(snapshots.get(N3)!.size + 1);
  });
});
