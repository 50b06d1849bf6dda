// Bad arguments found inside a command are bad usage (exit 2, Chinese), never an internal error.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = join(process.cwd(), 'bin/qingxi.js');
const tmp = mkdtempSync(join(tmpdir(), 'qingxi-usage-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, QINGXI_LOG_LEVEL: 'warn' } });

describe('samples arguments', () => {
  it.each([
    [['--households', '30']],
    [['--households', '600000']],
    [['--as-of', '2019-12-31']],
    [['--as-of', '2020-13-01']],
  ])('%j exits 2 with a Chinese message', (args) => {
    const r = run(['samples', '--out', join(tmp, 's'), ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toContain('内部错误');
    expect(r.stderr).toMatch(/--households|--as-of/);
  });
});
