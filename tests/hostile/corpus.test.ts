// The small cases of the hostile corpus (scripts/hostile-corpus.ts), run through the CLI as a user
// would: each gives a clear Chinese finding or a correct result within its limits, exit code 0–2.
// The big cases run in `npm run bench -- --hostile`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { caseArgs, readCaseResult, writeHostileCorpus, type CaseResult, type HostileCase } from '../../scripts/hostile-corpus.js';

const root = process.cwd();
const bin = join(root, 'bin/qingxi.js');
const tmp = mkdtempSync(join(tmpdir(), 'qingxi-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cases: HostileCase[] = await writeHostileCorpus(join(tmp, 'corpus'), 'small');

function runCase(c: HostileCase, out: string): CaseResult {
  const r = spawnSync(process.execPath, [bin, ...caseArgs(c, out)], { encoding: 'utf8', env: { ...process.env, QINGXI_LOG_LEVEL: 'warn' }, timeout: 120_000 });
  return readCaseResult(out, r.status, r.stderr);
}

describe('hostile corpus, small cases', () => {
  it('has the cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = runCase(c, join(tmp, 'out', c.name));
    expect(r.code, r.stderr).not.toBeNull();
    expect(r.code!, r.stderr).toBeLessThanOrEqual(2);
    expect(r.stderr).not.toContain('内部错误');
    expect(c.judge(r), `${c.what}\n${r.stderr.slice(0, 500)}`).toEqual([]);
  });
});

describe('the watchdog on a stalled reader', () => {
  it('answers for a reader that never finishes, and ignores it afterwards', async () => {
    const { raceDeadline } = await import('../../src/ingest/limits.js');
    const never = new Promise<string>(() => undefined);
    expect(await raceDeadline(never, 20, () => 'gave up')).toBe('gave up');
    let late: (v: string) => void = () => undefined;
    const slow = new Promise<string>((r) => (late = r));
    const r = raceDeadline(slow, 20, () => 'gave up');
    await new Promise((res) => setTimeout(res, 40));
    late('finished');
    expect(await r).toBe('gave up');
    expect(await raceDeadline(Promise.resolve('done'), 1000, () => 'gave up')).toBe('done');
    await expect(raceDeadline(Promise.reject(new Error('broke')), 1000, () => 'gave up')).rejects.toThrow('broke');
  });
});
