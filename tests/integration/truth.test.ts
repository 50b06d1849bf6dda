// The rule families judged against the sample generator's truth: every planted defect is found
// (rule + entity keys), and no error or suspect finding lands on a household planted as clean.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSamples, type Truth } from '../../src/samples/generate.js';
import { runCheck } from '../../src/pipeline.js';
import { loadConfigFile } from '../../src/config.js';
import { RULES } from '../../validators/index.js';
import { toRecord, type FindingRecord } from '../../src/outputs/findings.js';
import { toHalfWidth } from '../../src/normalize/text.js';

const norm = (s: unknown) => toHalfWidth(String(s ?? '')).replace(/\s+/g, '').toUpperCase();

type Planted = Truth['planted'][number];

function matches(p: Planted, f: FindingRecord): boolean {
  if (f.rule !== p.rule) return false;
  const e = p.entity as Record<string, string | undefined>;
  for (const [k, want] of Object.entries(e)) {
    if (want === undefined || want === null || want === '') continue;
    const got = (f as unknown as Record<string, unknown>)[k];
    if (norm(got) !== norm(want)) return false;
  }
  return true;
}

export interface TruthReport {
  missed: Planted[];
  onClean: FindingRecord[];
  records: FindingRecord[];
}

export async function judgeAgainstTruth(dir: string, truth: Truth): Promise<TruthReport> {
  const config = loadConfigFile(undefined, RULES);
  const result = await runCheck({ paths: [dir], asOf: truth.asOf, config });
  const records = result.findings.map(toRecord);
  const missed = truth.planted.filter((p) => !records.some((f) => matches(p, f)));
  const clean = new Set(truth.cleanHouseholds);
  const onClean = records.filter((f) => f.severity !== 'info' && f.household_no !== null && clean.has(f.household_no));
  return { missed, onClean, records };
}

function explain(r: TruthReport): string {
  return JSON.stringify(
    {
      missed: r.missed.map((p) => `${p.rule} ${JSON.stringify(p.entity)} ${p.note}`),
      onClean: r.onClean.map((f) => `${f.rule} ${f.household_no} ${f.message}`),
    },
    null,
    1,
  );
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('rules against the committed samples', () => {
  it('finds every planted defect and nothing on clean households', async () => {
    const dir = join(process.cwd(), 'samples/township');
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth;
    const r = await judgeAgainstTruth(dir, truth);
    expect(truth.planted.length).toBeGreaterThan(50);
    expect(r.missed, explain(r)).toEqual([]);
    expect(r.onClean, explain(r)).toEqual([]);
  });
});

describe.each([2, 3, 7])('rules against a fresh sample set, seed %i', (seed) => {
  it('finds every planted defect and nothing on clean households', async () => {
    const dir = mkdtempSync(join(tmpdir(), `qingxi-truth-${seed}-`));
    dirs.push(dir);
    const truth = await generateSamples({ outDir: dir, households: 150, seed });
    const r = await judgeAgainstTruth(dir, truth);
    expect(r.missed, explain(r)).toEqual([]);
    expect(r.onClean, explain(r)).toEqual([]);
  });
});
