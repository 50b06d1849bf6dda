// The committed sample set against the built CLI: every planted defect of truth.json is found
// (rule + the entity keys it names), no error or suspect finding names a clean household, and no
// error or suspect finding is left unexplained by truth.json. Runs the compiled CLI
// (`npm test` builds first); skipped when dist/ has not been built.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Planted, Truth } from '../../src/samples/generate.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/qingxi.js');
const BUILT = existsSync(join(ROOT, 'dist/src/cli/main.js'));
const SAMPLES = join(ROOT, 'samples/township');

type Finding = Record<string, unknown> & { rule: string; severity: string };

function matches(f: Finding, p: Planted): boolean {
  return f.rule === p.rule && Object.entries(p.entity).every(([k, v]) => (f[k] ?? '') === v);
}

describe('samples/township against `qingxi check`', () => {
  it('has the compiled CLI and the committed truth (npm test builds first)', () => {
    expect(BUILT).toBe(true);
    expect(existsSync(join(SAMPLES, 'truth.json'))).toBe(true);
  });

  it('finds every planted defect and nothing on clean households', () => {
    const out = mkdtempSync(join(tmpdir(), 'qingxi-e2e-'));
    try {
      execFileSync(process.execPath, [CLI, 'check', SAMPLES, '--out', out, '--as-of', '2020-04-30'], { stdio: 'pipe', timeout: 60_000 });
      const truth = JSON.parse(readFileSync(join(SAMPLES, 'truth.json'), 'utf8')) as Truth;
      const findings = readFileSync(join(out, 'findings.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Finding);
      const missed = truth.planted.filter((p) => !findings.some((f) => matches(f, p)));
      expect(missed.map((p) => `${p.rule} ${JSON.stringify(p.entity)} ${p.note}`)).toEqual([]);
      const clean = new Set(truth.cleanHouseholds);
      const serious = findings.filter((f) => f.severity !== 'info');
      const onClean = serious.filter((f) => typeof f.household_no === 'string' && clean.has(f.household_no));
      expect(onClean.map((f) => `${f.rule} ${f.household_no} ${f.message}`)).toEqual([]);
      const unexplained = serious.filter((f) => !truth.planted.some((p) => matches(f, p)));
      expect(unexplained.map((f) => `${f.rule} ${f.household_no ?? ''} ${f.message}`)).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
