// The province bench's parts at a tiny size: the streaming generator writes files `qingxi check`
// reads completely (CSV and xlsx), the planted defects come out as planted (the cross-county ID-08
// among them), DuckDB's relational checks count the same, and the guarded check reports a run
// that runs out of memory or time instead of throwing. No timings are asserted.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProvince, type ProvinceResult } from '../../scripts/province-gen.js';
import { agreement, guardedCheck, oneCoreComparison, parseProvinceArgs, sameChecksMs, type GuardedCheck } from '../../scripts/bench-province.js';
import { duckdbChecks, type DuckdbResult } from '../../scripts/bench-duckdb.js';

const tmp = mkdtempSync(join(tmpdir(), 'qingxi-province-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const province: ProvinceResult = await generateProvince({ outDir: join(tmp, 'p'), members: 2000, counties: 2, formats: ['csv', 'xlsx'] });
const guard = { heapMiB: 2048, timeCapMs: 180_000, log: () => {} };
const checks: Record<'csv' | 'xlsx', GuardedCheck> = {
  csv: await guardedCheck('csv', province.written.csv!.dir, join(tmp, 'out-csv'), province.written.csv!.files, guard),
  // the xlsx set is checked county by county (--by-county): the same planted counts either way
  xlsx: await guardedCheck('xlsx', province.written.xlsx!.dir, join(tmp, 'out-xlsx'), province.written.xlsx!.files, { ...guard, byCounty: true }),
};

interface Finding {
  rule: string;
  file: string;
  county: string;
  related: string[];
}
const findingsOf = (format: string): Finding[] =>
  readFileSync(join(tmp, `out-${format}`, 'findings.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Finding);

describe('province generator (2 counties, 2,000 members)', () => {
  it('writes one folder per county with every table, in both formats', () => {
    expect(province.counties).toBe(2);
    expect(province.rows.members).toBe(2000);
    expect(province.rows.households).toBe(602); // 300 a county plus one planted household row without members
    for (const f of ['csv', 'xlsx'] as const) expect(province.written[f]!.files).toBe(16);
  });

  it.each(['csv', 'xlsx'] as const)('%s: qingxi check reads every row', (format) => {
    const c = checks[format];
    expect(c.status, c.detail).toBe('ok');
    const summary = JSON.parse(readFileSync(join(tmp, `out-${format}`, 'summary.json'), 'utf8')) as {
      totals: { files: number; filesUnreadable: number; dataRows: number; rejectedRows: number; people: number };
    };
    expect(summary.totals.files).toBe(16);
    expect(summary.totals.filesUnreadable).toBe(0);
    expect(summary.totals.rejectedRows).toBe(0);
    expect(summary.totals.dataRows).toBe(province.dataRows);
    expect(summary.totals.people).toBe(2000);
    expect(c.filesDone).toBe(16);
    expect(c.rowsRead).toBe(province.dataRows);
  });

  it.each(['csv', 'xlsx'] as const)('%s: the planted defects are found as planted, nothing else', (format) => {
    const counts = checks[format].ruleCounts!;
    const fired = Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
    const { 'ID-08 cross-county': cross, ...byRule } = province.expected;
    expect(fired).toEqual(byRule);
    expect(checks[format].id08CrossCounty).toBe(cross);
  });

  it('finds the cross-county duplicate ID in the second county, pointing at the first', () => {
    const dup = findingsOf('csv').filter((f) => f.rule === 'ID-08');
    expect(dup).toHaveLength(3);
    const [first, second] = readdirSync(province.written.csv!.dir).sort();
    for (const f of dup) {
      expect(f.file.startsWith(`${first}/`)).toBe(true);
      expect(f.related).toHaveLength(1);
      expect(f.related[0]!.startsWith(`${second}/`)).toBe(true);
    }
  });
});

describe('DuckDB relational checks on the same rows', () => {
  let duck: DuckdbResult;
  it('load every member, household and pairing row', async () => {
    duck = await duckdbChecks(province.written.csv!.dir);
    expect(duck.rows).toEqual({ members: province.rows.members, households: province.rows.households, pairings: province.rows.pairings });
  });
  it('count what our cross rules find and what was planted', () => {
    const rows = agreement(province.expected, [checks.csv, checks.xlsx], duck);
    expect(rows.filter((r) => !r.agree || !r.compared)).toEqual([]);
    expect(rows.map((r) => r.check)).toContain('PAIR-07');
    for (const r of rows) expect(r.duckdb).toBe(r.planted);
  });
  it('would show a disagreement', () => {
    const off = { ...duck, counts: { ...duck.counts, 'PAIR-09': duck.counts['PAIR-09'] + 1 } };
    const rows = agreement(province.expected, [checks.csv], off);
    expect(rows.find((r) => r.check === 'PAIR-09')!.agree).toBe(false);
  });
});

describe('the guarded check', () => {
  it('reports a run over its heap cap as out of memory, with how far it got', async () => {
    const c = await guardedCheck('csv', province.written.csv!.dir, join(tmp, 'out-oom'), 16, { heapMiB: 16, timeCapMs: 180_000, log: () => {} });
    expect(c.status).toBe('oom');
    expect(c.detail).toContain('--max-old-space-size=16');
    expect(c.filesDone).toBeLessThan(16);
  });
  it('stops a run over its time cap and says so', async () => {
    const c = await guardedCheck('csv', province.written.csv!.dir, join(tmp, 'out-slow'), 16, { heapMiB: 2048, timeCapMs: 1, log: () => {} });
    expect(c.status).toBe('timeout');
    expect(c.detail).toContain('超过时间上限');
    expect(c.dataRows).toBeUndefined();
  });

  it('names the county of the lowest-scoring villages when a run covers several counties (village names repeat)', () => {
    const r = spawnSync(process.execPath, [join(process.cwd(), 'bin/qingxi.js'), 'check', province.written.csv!.dir, '--out', join(tmp, 'out-cli'), '--as-of', '2020-04-30'], { encoding: 'utf8', timeout: 240_000 });
    const line = r.stdout.split('\n').find((l) => l.startsWith('得分最低的村：'));
    expect(line).toBeDefined();
    // county folders are named 001-芙蓉区
    const counties = readdirSync(province.written.csv!.dir).map((d) => d.replace(/^\d+-/, ''));
    expect(counties).toHaveLength(2);
    for (const entry of line!.slice('得分最低的村：'.length).split('，')) expect(counties.some((c) => entry.includes(c))).toBe(true);
  });
});

describe('the one-core comparison', () => {
  it('checks the counties one at a time (--threads 1) with the same findings as two at once', async () => {
    const twoAtOnce = await guardedCheck('csv', province.written.csv!.dir, join(tmp, 'out-two'), province.written.csv!.files, { ...guard, byCounty: true });
    const oneAtATime = await guardedCheck('csv', province.written.csv!.dir, join(tmp, 'out-one'), province.written.csv!.files, { ...guard, byCounty: true, threads: 1 });
    expect([twoAtOnce.status, oneAtATime.status]).toEqual(['ok', 'ok']);
    expect(oneAtATime.threads).toBe(1);
    expect(readFileSync(join(tmp, 'out-one', 'findings.jsonl'), 'utf8')).toBe(readFileSync(join(tmp, 'out-two', 'findings.jsonl'), 'utf8'));
    const duck = { checksMs: 50 } as DuckdbResult;
    const cmp = oneCoreComparison(oneAtATime, twoAtOnce, duck)!;
    expect(cmp.countsAgree).toBe(true);
    expect(cmp.duckdbChecksMs).toBe(50);
    expect(cmp.sameChecksMs).toBe(Math.round(sameChecksMs(oneAtATime.crossProfile!, oneAtATime.timings!['acrossCountiesMs'] ?? 0)));
    expect(cmp.ratio).toBeCloseTo(cmp.sameChecksMs / 50, 1);
    // a run that counted a check differently is told apart
    const off = { ...oneAtATime, ruleCounts: { ...oneAtATime.ruleCounts, 'PAIR-01': (oneAtATime.ruleCounts!['PAIR-01'] ?? 0) + 1 } };
    expect(oneCoreComparison(off, twoAtOnce, duck)!.countsAgree).toBe(false);
    // a run that did not finish has no figure
    expect(oneCoreComparison({ ...oneAtATime, crossProfile: undefined }, twoAtOnce, duck)).toBeUndefined();
  });

  it('runs by default and is skipped with --no-one-core', () => {
    expect(parseProvinceArgs([]).oneCore).toBe(true);
    expect(parseProvinceArgs(['--no-one-core']).oneCore).toBe(false);
  });
});

describe('the like-for-like cross figure', () => {
  it("sums DuckDB's rules and the indexes they need (through other indexes too) once each, plus the across-county stage", () => {
    const profile = {
      rules: {
        'ID-08': { ms: 2, uses: ['memberNumbers'] },
        'PAIR-01': { ms: 100, uses: ['pairingIndex'] },
        'PAIR-03': { ms: 3, uses: ['pairingIndex'] },
        'HELPER-01': { ms: 50, uses: ['helperRecords'] },
        'BASE-04': { ms: 4, uses: ['headIdSources'] },
      },
      indexes: {
        memberNumbers: { ms: 80, uses: [] },
        headIdSources: { ms: 70, uses: ['memberNumbers'] },
        pairingIndex: { ms: 40, uses: [] },
        helperRecords: { ms: 60, uses: [] },
      },
    };
    // rules 2 + 100 + 3 + 4, indexes memberNumbers 80 + pairingIndex 40 + headIdSources 70; not HELPER-01 nor helperRecords
    expect(sameChecksMs(profile)).toBe(299);
    expect(sameChecksMs(profile, 1000)).toBe(1299);
  });
});

