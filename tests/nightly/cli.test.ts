// `qingxi nightly` and `qingxi ledger` through the CLI entry (main): usage errors, an empty inbox,
// a whole county missing on night 2 (kept open, reported), history and status output.
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { MAX_NIGHTLY_THREADS } from '../../src/cli/nightly.js';
import { openDb } from '../../src/store/db.js';
import { Ledger } from '../../src/store/ledger.js';
import { makeTownship } from './province.js';

let root: string;
let inbox: string;
let out: string;
let db: string;

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY: false, logger: pino({ level: 'silent' }) });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'qingxi-nightly-cli-'));
  inbox = join(root, 'inbox');
  out = join(root, 'out');
  db = join(root, 'l.sqlite');
  const cache = join(root, 'cache');
  await makeTownship(cache, join(inbox, '隆回县'), { county: '隆回县', township: '司门前镇', code: '106', seed: 1 });
  await makeTownship(cache, join(inbox, '邵东县'), { county: '邵东县', township: '两市塘街道', code: '201', seed: 3, phonePrefix: '186' });
}, 300_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('qingxi nightly / ledger (CLI)', () => {
  it('refuses bad usage with exit 2 and a Chinese message', async () => {
    expect((await cli(['nightly'])).code).toBe(2);
    const typo = await cli(['nightly', '--inbx', inbox, '--out', out]);
    expect([typo.code, typo.stderr]).toEqual([2, expect.stringContaining('未知选项 --inbx，您是不是要输入 --inbox？')]);
    const typo2 = await cli(['ledger', 'status', '--jsn', '--db', db]);
    expect([typo2.code, typo2.stderr]).toEqual([2, expect.stringContaining('--json')]);
    const r = await cli(['nightly', '--inbox', join(root, 'nope'), '--out', out]);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('不存在')]);
    mkdirSync(join(root, 'empty', '空县'), { recursive: true });
    const e = await cli(['nightly', '--inbox', join(root, 'empty'), '--out', join(root, 'empty-out'), '--db', join(root, 'empty.sqlite')]);
    expect([e.code, e.stderr]).toEqual([2, expect.stringContaining('没有任何')]);
    expect(existsSync(join(root, 'empty.sqlite'))).toBe(false); // the ledger is not touched
    expect((await cli(['nightly', '--inbox', inbox, '--out', out, '--as-of', '2020-13-01'])).code).toBe(2);
    const acc = await cli(['nightly', '--inbox', inbox, '--out', join(root, 'acc-out'), '--db', join(root, 'acc.sqlite'), '--accepted', join(root, 'none.json')]);
    expect([acc.code, acc.stderr]).toEqual([2, expect.stringContaining('无法读取已说明例外文件')]);
    expect((await cli(['ledger', 'status', '--json', '--db', join(root, 'acc.sqlite')])).stdout).toContain('"runs":0');
    expect((await cli(['ledger', 'status'])).code).toBe(2);
    expect((await cli(['ledger', 'status', '--db', join(root, 'missing.sqlite')])).code).toBe(2);
    expect((await cli(['ledger', 'frobnicate', '--db', db])).code).toBe(2);
  });

  it('--threads: a whole number from 1 to 16, else refused in Chinese before anything runs; the value reaches the run', async () => {
    for (const bad of ['0', '-1', '1.5', '2e1', 'abc', '', '17', '1000']) {
      const dbFile = join(root, 'threads-bad.sqlite');
      const r = await cli(['nightly', '--inbox', inbox, '--out', join(root, 'threads-bad'), '--db', dbFile, `--threads=${bad}`]);
      expect([r.code, r.stderr], bad).toEqual([2, `--threads 应为 1 到 ${MAX_NIGHTLY_THREADS} 之间的整数（同时检查的县文件夹数），而不是“${bad}”。\n`]);
      expect(existsSync(dbFile), bad).toBe(false);
    }
    // a negative number after a space is the option's value, not a missing one
    expect((await cli(['nightly', '--inbox', inbox, '--out', out, '--threads', '-2'])).stderr).toContain('而不是“-2”');
    expect((await cli(['nightly', '--inbox', inbox, '--out', out, '--threads'])).stderr).toContain('选项 --threads 后面缺少值');
    expect((await cli(['nightly', '--help'])).stdout).toContain('--threads');

    // the run checks as many county folders at once as asked (its nightly_started line says so)
    for (const threads of [1, 3]) {
      const lines: string[] = [];
      const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(s) });
      let stderr = '';
      const tag = `threads-${threads}`;
      const code = await main(['nightly', '--inbox', inbox, '--out', join(root, tag), '--db', join(root, `${tag}.sqlite`), '--as-of', '2020-05-01', '--threads', String(threads)], {
        stdout: () => undefined,
        stderr: (s) => void (stderr += s),
        isTTY: false,
        logger,
      });
      expect([code, stderr]).toEqual([0, '']);
      const started = lines.map((l) => JSON.parse(l) as { event?: string; threads?: number; units?: number }).filter((l) => l.event === 'nightly_started');
      expect(started).toEqual([expect.objectContaining({ threads, units: 2 })]);
    }
  });

  it('a whole county missing on night 2 keeps its findings open and is reported; history shows the path', async () => {
    const n1 = await cli(['nightly', '--inbox', inbox, '--out', out, '--db', db, '--as-of', '2020-05-01']);
    expect(n1.code).toBe(0);
    expect(n1.stdout).toContain('夜间检查完成');
    renameSync(join(inbox, '邵东县'), join(root, 'away'));
    const n2 = await cli(['nightly', '--inbox', inbox, '--out', out, '--db', db, '--as-of', '2020-05-02']);
    expect(n2.code).toBe(0);
    expect(n2.stdout).toContain('缺少输入：县 1 个');
    const d = openDb(db);
    try {
      const ledger = new Ledger(d);
      expect(ledger.run('2020-05-02')!.missing).toEqual({ units: ['邵东县'], townships: [] });
      const sd = [...ledger.findings({ county: '邵东县' })];
      expect(sd.length).toBeGreaterThan(10);
      for (const f of sd) expect([f.status, f.lastSeen]).toEqual(['open', '2020-05-01']);
      const fp = sd[0]!.fingerprint;
      const h = await cli(['ledger', 'history', fp, '--db', db]);
      expect(h.code).toBe(0);
      expect(h.stdout).toContain('2020-05-01  新发现 → 未整改');
      const hj = JSON.parse((await cli(['ledger', 'history', fp, '--db', db, '--json'])).stdout) as { history: unknown[] };
      expect(hj.history).toHaveLength(1);
    } finally {
      d.close();
    }
    const sj = JSON.parse((await cli(['ledger', 'status', '--json', '--db', db])).stdout) as Record<string, unknown>;
    expect(sj).toMatchObject({ lastRun: '2020-05-02', runs: 2, lastRunMissingUnits: 1, lastRunMissingTownships: 0, fixed: 0 });
    const st = await cli(['ledger', 'status', '--db', db]);
    expect(st.stdout).toMatch(/未整改 \d+ 条/);
    const csv = await cli(['ledger', 'export', '--db', db, '--county', '邵东县']);
    expect(csv.stdout.startsWith('\ufeff指纹,')).toBe(true);
    expect(csv.stdout.trim().split('\r\n').length).toBeGreaterThan(10);
  });
});
