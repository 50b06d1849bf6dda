// Files checked in worker threads (the default with several files) give byte-identical
// findings.jsonl, accounting and indexes to a run in one thread.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/pipeline.js';
import { loadConfigFile } from '../../src/config.js';
import { RULES } from '../../validators/index.js';
import { toRecord } from '../../src/outputs/findings.js';
import { generateSamples } from '../../src/samples/generate.js';
import { workerScript } from '../../src/engine/file-pool.js';
import { tempDir } from '../outputs/fixtures.js';

async function check(dir: string, threads: number) {
  const result = await runCheck({ paths: [dir], asOf: '2020-04-30', config: loadConfigFile(undefined, RULES), threads });
  return {
    jsonl: result.findings.map((f) => JSON.stringify(toRecord(f)) + '\n').join(''),
    files: JSON.stringify(result.files),
    summary: JSON.stringify({ ...result.summary, timings: undefined, crossProfile: undefined, generatedAt: undefined }),
  };
}

describe('worker threads', () => {
  it('the compiled worker exists (npm test builds it first)', () => {
    expect(workerScript(), 'dist/src/engine/file-worker.js missing: run `npx tsc -p tsconfig.json` first').toBeDefined();
  });

  it('give the findings of a one-thread run, byte for byte', { timeout: 300_000 }, async () => {
    const dirs = [join(process.cwd(), 'samples/township')];
    for (const seed of [5, 6]) {
      const d = await tempDir(`threads-${seed}`);
      await generateSamples({ outDir: d, households: 150, seed, formats: 'mixed' });
      dirs.push(d);
    }
    for (const dir of dirs) {
      const one = await check(dir, 0);
      const two = await check(dir, 2);
      expect(one.jsonl.length).toBeGreaterThan(1000);
      expect(two.jsonl).toBe(one.jsonl);
      expect(two.files).toBe(one.files);
      expect(two.summary).toBe(one.summary);
    }
  });
});
