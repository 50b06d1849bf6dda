// Outputs are renamed into place only when complete: a killed run, a full disk or a failing writer
// leave the previous complete outputs (or none), never a partial file under a final name. The
// output folder is checked before anything is read, and the tool never reads its own workbooks.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQingxi } from '../helpers/cli.js';
import { OutputSet, prepareOutputDir, OutputDirError } from '../../src/outputs/atomic.js';

const root = process.cwd();
const bin = join(root, 'bin/qingxi.js');
const tmp = mkdtempSync(join(tmpdir(), 'qingxi-atomic-'));
const samples = join(root, 'samples/township');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const qingxi = (args: string[]) => runQingxi(args);

function zipIsWhole(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return resolve(false);
      zip.on('error', () => resolve(false));
      zip.on('end', () => {
        zip.close();
        resolve(true);
      });
      zip.on('entry', () => zip.readEntry());
      zip.readEntry();
    });
  });
}

/** Every final-named output in `dir` is complete: JSON parses, workbooks are whole zips, findings equal a full run's. */
async function assertWhole(dir: string, fullFindings: string): Promise<void> {
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue; // temporaries of a killed run: never a final name
    const p = join(dir, name);
    if (name === 'findings.jsonl') expect(readFileSync(p, 'utf8'), `${name} is a full run's`).toBe(fullFindings);
    else if (name.endsWith('.json')) expect(() => JSON.parse(readFileSync(p, 'utf8')), name).not.toThrow();
    else if (name.endsWith('.xlsx')) expect(await zipIsWhole(p), `${name} is a whole zip`).toBe(true);
  }
}

describe('the output folder is checked before reading', () => {
  it('refuses --out naming a file with exit 2 and a Chinese message', () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    const r = qingxi(['check', samples, '--as-of', '2020-04-30', '--out', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('是一个文件，不是文件夹');
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('refuses a folder below a file (cannot be made) with exit 2', async () => {
    const file = join(tmp, 'blocker');
    writeFileSync(file, 'x');
    await expect(prepareOutputDir(join(file, 'out'))).rejects.toBeInstanceOf(OutputDirError);
    const r = qingxi(['verify', '--corrections', file, samples, '--out', join(file, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/无法(创建|使用)输出文件夹/);
  });

  it('removes temporaries left by a killed run (its process is gone)', async () => {
    const dir = join(tmp, 'stale');
    mkdirSync(dir);
    writeFileSync(join(dir, '.qingxi-tmp-999999999-0-findings.jsonl'), 'partial');
    await prepareOutputDir(dir);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('a failing writer leaves the previous outputs', () => {
  it('keeps the old file and removes the temporary when a write fails with ENOSPC', async () => {
    const dir = join(tmp, 'enospc');
    mkdirSync(dir);
    writeFileSync(join(dir, 'summary.json'), '{"old":true}');
    const set = new OutputSet();
    await set.text(join(dir, 'findings.jsonl'), 'new\n');
    const err = Object.assign(new Error('no space'), { code: 'ENOSPC' });
    await expect(
      set.file(join(dir, 'summary.json'), async (t) => {
        writeFileSync(t, '{"half');
        throw err;
      }),
    ).rejects.toThrow(/磁盘空间不足.*summary\.json|summary\.json.*磁盘空间不足/);
    await set.abort();
    expect(readdirSync(dir).sort()).toEqual(['summary.json']);
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe('{"old":true}');
  });
});

describe('a killed run never leaves a partial file under a final name', () => {
  const big = join(tmp, 'big');
  let full = '';
  beforeAll(() => {
    // large enough that writing outputs takes a noticeable time
    const g = qingxi(['samples', '--out', big, '--households', '1500', '--seed', '5']);
    expect(g.code, g.stderr).toBe(0);
    const ref = join(tmp, 'ref');
    const r = qingxi(['check', big, '--as-of', '2020-04-30', '--out', ref]);
    expect(r.code, r.stderr).toBeLessThanOrEqual(1);
    full = readFileSync(join(ref, 'findings.jsonl'), 'utf8');
  }, 240_000);

  async function killedRun(out: string, when: { afterMs?: number; onTemp?: boolean; thenMs?: number }): Promise<boolean> {
    let sawTemp = false;
    const child = spawn(process.execPath, [bin, 'check', big, '--as-of', '2020-04-30', '--out', out], {
      env: { ...process.env, QINGXI_LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.on('exit', r));
    if (when.afterMs !== undefined) await new Promise((r) => setTimeout(r, when.afterMs));
    if (when.onTemp) {
      const t0 = Date.now();
      while (Date.now() - t0 < 60_000 && child.exitCode === null) {
        if (existsSync(out) && readdirSync(out).some((n) => n.startsWith('.qingxi-tmp-') && !n.includes('probe'))) {
          sawTemp = true;
          break;
        }
        await new Promise((r) => setTimeout(r, 2));
      }
    }
    if (when.thenMs) await new Promise((r) => setTimeout(r, when.thenMs));
    child.kill('SIGKILL');
    await exited;
    return sawTemp;
  }

  it.each([300, 900, 1800, 3000])('killed after %i ms: outputs are the previous complete ones', async (ms) => {
    const out = join(tmp, `kill-${ms}`);
    cpSync(join(tmp, 'ref'), out, { recursive: true }); // a previous complete run
    await killedRun(out, { afterMs: ms });
    await assertWhole(out, full);
    expect(existsSync(join(out, 'findings.jsonl'))).toBe(true);
  });

  it.each([0, 40, 150])('killed %i ms after a temporary file appears: no final name is partial', async (ms) => {
    const out = join(tmp, `kill-temp-${ms}`);
    if (ms > 0) cpSync(join(tmp, 'ref'), out, { recursive: true });
    expect(await killedRun(out, { onTemp: true, thenMs: ms }), 'the run was killed while writing').toBe(true);
    await assertWhole(out, full);
    // the next run cleans up and completes
    const r = qingxi(['check', big, '--as-of', '2020-04-30', '--out', out]);
    expect(r.code, r.stderr).toBeLessThanOrEqual(1);
    expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
    await assertWhole(out, full);
  });
});

describe('a full disk', () => {
  it('exits 3 with a Chinese message naming the file, and no partial output', async () => {
    const mnt = join(tmp, 'full');
    mkdirSync(mnt);
    if (process.getuid?.() !== 0) {
      throw new Error('this test mounts a tiny tmpfs and needs root (it runs as root in CI); the injected ENOSPC test above covers the writer');
    }
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=48k', 'tmpfs', mnt], { encoding: 'utf8' });
    expect(m.status, `mount tmpfs failed: ${m.stderr}`).toBe(0);
    try {
      const r = qingxi(['check', samples, '--as-of', '2020-04-30', '--out', mnt]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('磁盘空间不足');
      expect(r.stderr).not.toContain('内部错误');
      expect(r.stderr).toMatch(/findings\.jsonl|summary\.json|\.xlsx/);
      expect(readdirSync(mnt)).toEqual([]);
    } finally {
      spawnSync('umount', [mnt]);
    }
  });
});

describe('a read-only output folder', () => {
  it('is found before reading: exit 2 with a Chinese message', () => {
    const mnt = join(tmp, 'ro');
    mkdirSync(mnt);
    if (process.getuid?.() !== 0) throw new Error('this test mounts a read-only tmpfs and needs root (it runs as root in CI)');
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', mnt], { encoding: 'utf8' });
    expect(m.status, `mount tmpfs failed: ${m.stderr}`).toBe(0);
    try {
      const t0 = Date.now();
      const r = qingxi(['check', samples, '--as-of', '2020-04-30', '--out', join(mnt, 'sub')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/无法创建输出文件夹|不能写入/);
      expect(r.stderr).toContain('只读');
      expect(r.stderr).not.toContain('内部错误');
      const r2 = qingxi(['check', samples, '--as-of', '2020-04-30', '--out', mnt]);
      expect(r2.code).toBe(2);
      expect(r2.stderr).toContain('不能写入');
      expect(Date.now() - t0).toBeLessThan(60_000);
    } finally {
      spawnSync('umount', [mnt]);
    }
  });
});

describe('the tool never reads its own outputs', () => {
  it('skips its 整改台账 when --out is inside the input folder, with a note', () => {
    const dir = join(tmp, 'own');
    cpSync(samples, dir, { recursive: true });
    const out = join(dir, 'out');
    const a = qingxi(['check', dir, '--as-of', '2020-04-30', '--out', out, '--json']);
    expect(a.code, a.stderr).toBeLessThanOrEqual(1);
    const b = qingxi(['check', dir, '--as-of', '2020-04-30', '--out', out, '--json']);
    expect(b.code, b.stderr).toBeLessThanOrEqual(1);
    const ta = JSON.parse(a.stdout).totals;
    const tb = JSON.parse(b.stdout).totals;
    expect(tb.people).toBe(ta.people);
    expect(tb.findings).toBe(ta.findings);
    expect(b.stderr).toContain('本工具以前写出的结果');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.skippedOwnOutputs.length).toBeGreaterThan(0);
  });
});
