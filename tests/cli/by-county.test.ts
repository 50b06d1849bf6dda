// `qingxi check --by-county` as a user runs it (compiled bin, worker threads): on a folder without
// county sub-folders its files are one unit, so it writes what a plain check writes; a file is
// refused with a Chinese usage message (exit 2); a county's masked log line says what was done.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runQingxi } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'qingxi-cli-bycounty-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const qingxi = (args: string[]) => runQingxi(args, { logLevel: 'info' });

describe('qingxi check --by-county', () => {
  it('on a township folder (no county sub-folders) writes the findings and summary of a plain check', { timeout: 240_000 }, () => {
    const plain = qingxi(['check', 'samples/township', '--out', join(tmp, 'plain'), '--as-of', '2020-04-30']);
    const byCounty = qingxi(['check', 'samples/township', '--out', join(tmp, 'by'), '--as-of', '2020-04-30', '--by-county']);
    expect(plain.code).toBe(0);
    expect(byCounty.code).toBe(0);
    expect(readFileSync(join(tmp, 'by', 'findings.jsonl'), 'utf8')).toBe(readFileSync(join(tmp, 'plain', 'findings.jsonl'), 'utf8'));
    const summary = (dir: string) => {
      const s = JSON.parse(readFileSync(join(tmp, dir, 'summary.json'), 'utf8')) as Record<string, unknown>;
      delete s['generatedAt'];
      delete s['timings'];
      delete s['crossProfile'];
      return s;
    };
    expect(summary('by')).toEqual(summary('plain'));
    expect(byCounty.stdout).toBe(plain.stdout.replace(join(tmp, 'plain'), join(tmp, 'by')));
    // one unit: the loose files; its log line names no ID number
    const done = byCounty.stderr.split('\n').filter((l) => l.includes('"event":"county_done"'));
    expect(done).toHaveLength(1);
    expect(done[0]).toMatch(/"county":"","files":\d+/);
  });

  it('takes --threads only with --by-county, as a whole number from 1 to 16 (exit 2, Chinese)', () => {
    const alone = qingxi(['check', 'samples/township', '--out', join(tmp, 'threads-alone'), '--threads', '2']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--threads 只能与 --by-county 一起使用');
    for (const bad of ['0', '17', 'two']) {
      const r = qingxi(['check', 'samples/township', '--out', join(tmp, `threads-${bad}`), '--by-county', '--threads', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr, bad).toContain(`--threads 应为 1 到 16 之间的整数（同时检查的县数），而不是“${bad}”`);
    }
  });

  it('refuses a file with a Chinese usage message (exit 2)', () => {
    const r = qingxi(['check', 'samples/township/帮扶责任人.xlsx', '--out', join(tmp, 'file'), '--by-county']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--by-county 需要且只需要一个文件夹');
  });
});
