// SIGKILL the nightly at named points (QINGXI_NIGHTLY_PAUSE: while reading the inbox, while
// delivering township workbooks, inside the ledger transaction before COMMIT, while writing the
// province report) and check: the ledger is consistent (the previous night's state, or the new one
// when the kill came after the commit), no half-written file sits under a final name, a kill while
// reading leaves a spill folder that the next run removes, and a re-run reaches exactly the state of
// an uninterrupted run. Runs the compiled CLI (`npm test` builds first).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import ExcelJS from '../../src/exceljs.js';
import { makeTownship, removeHousehold } from './province.js';
import { isTempOutputName } from '../../src/outputs/atomic.js';

/** A path under a temporary name (a file being written, or inside a staging folder). */
const isTempPath = (rel: string): boolean => rel.split('/').some(isTempOutputName);

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/qingxi.js');
const N1 = '2020-05-01';
const N2 = '2020-05-02';
let root: string;
let inbox1: string;
let inbox2: string;

function runCli(args: string[], env: Record<string, string> = {}): { done: Promise<number | null>; kill: () => void; pid: number } {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, QINGXI_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<number | null>((res) => child.on('exit', (code) => {
    if (code !== 0 && code !== null) console.error(err);
    res(code);
  }));
  return { done, kill: () => child.kill('SIGKILL'), pid: child.pid! };
}

async function nightly(inbox: string, out: string, date: string, env: Record<string, string> = {}) {
  return runCli(['nightly', '--inbox', inbox, '--out', out, '--db', join(out, 'ledger.sqlite'), '--as-of', date], env);
}

async function waitFor(path: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!existsSync(path)) {
    if (Date.now() > until) throw new Error(`pause point not reached: ${path}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The ledger's content without wall-clock timestamps. */
function dump(dbFile: string) {
  const db = new Database(dbFile, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    return {
      findings: db.prepare('SELECT * FROM ledger_findings ORDER BY fingerprint').all(),
      events: db.prepare('SELECT * FROM ledger_events ORDER BY fingerprint, run_date').all(),
      townships: db.prepare('SELECT * FROM ledger_townships ORDER BY run_date, unit, county, township').all(),
      runs: db.prepare('SELECT run_date, units_json, missing_json, totals_json FROM ledger_runs ORDER BY run_date').all(),
      undo: db.prepare('SELECT * FROM ledger_undo ORDER BY fingerprint').all(),
    };
  } finally {
    db.close();
  }
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Every file under its final name is complete: workbooks open, the page is whole. */
async function assertNoHalfWritten(dateDir: string): Promise<void> {
  for (const f of filesUnder(dateDir)) {
    if (isTempPath(f)) continue; // temporary names are allowed to be half-written
    const p = join(dateDir, f);
    if (f.endsWith('.xlsx')) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(p); // throws on a truncated zip
      expect(wb.worksheets.length).toBeGreaterThan(0);
    } else if (f.endsWith('.html')) {
      expect(readFileSync(p, 'utf8').trimEnd().endsWith('</html>')).toBe(true);
    }
  }
}

let reference: { n1: ReturnType<typeof dump>; n2: ReturnType<typeof dump>; files: string[] };

beforeAll(async () => {
  expect(existsSync(join(ROOT, 'dist/src/cli/main.js'))).toBe(true);
  root = mkdtempSync(join(tmpdir(), 'qingxi-kill-'));
  const cache = join(root, 'cache');
  inbox1 = join(root, 'inbox1');
  inbox2 = join(root, 'inbox2');
  for (const inbox of [inbox1, inbox2]) {
    await makeTownship(cache, join(inbox, '隆回县', '司门前镇'), { county: '隆回县', township: '司门前镇', code: '106', seed: 1 });
    await makeTownship(cache, join(inbox, '邵东县', '两市塘街道'), { county: '邵东县', township: '两市塘街道', code: '201', seed: 3, phonePrefix: '186' });
  }
  // night 2: some households leave the register (fixed), so the ledger really moves
  const truth = JSON.parse(readFileSync(join(inbox2, '隆回县', '司门前镇', 'truth.json'), 'utf8')) as { planted: { entity: { household_no?: string } }[] };
  const hh = [...new Set(truth.planted.map((p) => p.entity.household_no).filter(Boolean))].slice(0, 4) as string[];
  for (const h of hh) removeHousehold(join(inbox2, '隆回县', '司门前镇'), h);
  const out = join(root, 'ref');
  expect(await (await nightly(inbox1, out, N1)).done).toBe(0);
  const n1 = dump(join(out, 'ledger.sqlite'));
  expect(await (await nightly(inbox2, out, N2)).done).toBe(0);
  reference = { n1, n2: dump(join(out, 'ledger.sqlite')), files: filesUnder(join(out, N2)) };
  expect(reference.n2.findings).not.toEqual(reference.n1.findings);
}, 300_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('nightly killed with SIGKILL', () => {
  for (const point of ['reading', 'delivery', 'ledger-commit', 'report'] as const) {
    it(`at ${point}: ledger consistent, no half-written output, a re-run reaches the uninterrupted state`, async () => {
      const out = join(root, 'kill-' + point);
      const db = join(out, 'ledger.sqlite');
      expect(await (await nightly(inbox1, out, N1)).done).toBe(0);
      const marker = join(root, `${point}.reached`);
      const run = await nightly(inbox2, out, N2, { QINGXI_NIGHTLY_PAUSE: point, QINGXI_NIGHTLY_PAUSE_MARKER: marker });
      await waitFor(marker, 120_000);
      // while reading, every county is checked and the rows sharing ID numbers are spilled to a
      // temporary folder of this process (src/bycounty/spill.ts)
      const spills = () => readdirSync(tmpdir()).filter((n) => n.startsWith(`qingxi-bycounty-${run.pid}-`));
      if (point === 'reading') expect(spills()).toHaveLength(1);
      run.kill();
      expect(await run.done).toBeNull(); // killed by the signal

      const afterKill = dump(db);
      // before the commit the ledger is exactly night 1; the report is written after the commit
      expect(afterKill).toEqual(point === 'report' ? reference.n2 : reference.n1);
      await assertNoHalfWritten(join(out, N2));
      if (point === 'report') {
        expect(filesUnder(join(out, N2)).some(isTempPath)).toBe(true); // the report was caught mid-write
        expect(existsSync(join(out, N2, '省级汇总.xlsx'))).toBe(false);
      }

      expect(await (await nightly(inbox2, out, N2)).done).toBe(0);
      expect(spills()).toEqual([]); // the killed run's spill folder removed by the next run
      expect(dump(db)).toEqual(reference.n2);
      expect(filesUnder(join(out, N2))).toEqual(reference.files);
      await assertNoHalfWritten(join(out, N2));
      expect(statSync(join(out, N2, 'index.html')).size).toBeGreaterThan(1000);
    }, 300_000);
  }
});
