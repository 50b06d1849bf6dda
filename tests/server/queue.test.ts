// The check queue: worker threads, one at a time here; a waiting run sees its place; a running one
// reports stage, the file being read and rows read; outputs appear only complete.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { isTempOutputName } from '../../src/outputs/atomic.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobQueue, type LiveState } from '../../src/server/queue.js';
import { SAMPLES } from './harness.js';

describe('JobQueue', () => {
  it('runs checks off the request thread in order, with queue place and progress', async () => {
    const queue = new JobQueue(1, 120_000);
    const inputs = readdirSync(SAMPLES).filter((n) => /\.(xlsx|csv)$/.test(n)).map((n) => join(SAMPLES, n));
    const runs = ['a', 'b'].map((k) => ({ id: k, dir: mkdtempSync(join(tmpdir(), `qx-queue-${k}-`)), states: [] as LiveState[] }));
    const finished = runs.map(
      (r) =>
        new Promise<string>((resolve) => {
          queue.subscribe(r.id, (s) => {
            r.states.push(s);
            if (s.status === 'done' || s.status === 'failed') resolve(s.status + (s.failure ?? ''));
          });
        }),
    );
    for (const r of runs) {
      queue.enqueue(
        r.id,
        { kind: 'check', input: { runDir: r.dir, inputs, asOf: '2020-04-30', scope: { level: 'township', name: '司门前镇' } } },
        { onStart: () => {}, onDone: () => {}, onFailed: () => {} },
      );
    }
    expect(await Promise.all(finished)).toEqual(['done', 'done']);
    const [a, b] = runs;
    // the second waited behind the first and was told its place
    expect(b!.states.some((s) => s.status === 'queued' && s.position === 1)).toBe(true);
    const firstRunningOfB = b!.states.findIndex((s) => s.status === 'running');
    const doneOfA = a!.states.findIndex((s) => s.status === 'done');
    expect(firstRunningOfB).toBeGreaterThan(-1);
    expect(doneOfA).toBeGreaterThan(-1);
    // progress: stage, the file being read, rows read
    const progress = a!.states.filter((s) => s.progress).map((s) => s.progress!);
    expect(progress.some((p) => p.stage === '读取文件' && p.file && inputs.some((i) => i.endsWith(p.file!)))).toBe(true);
    expect(progress.some((p) => p.stage === '写出台账' && p.rowsRead > 0)).toBe(true);
    for (const r of runs) {
      expect(existsSync(join(r.dir, 'out', 'result.json'))).toBe(true);
      expect(readdirSync(r.dir).filter(isTempOutputName)).toEqual([]);
    }
    await queue.close();
  });
});
