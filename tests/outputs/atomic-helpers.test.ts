// The one temp-and-rename mechanism shared by check/verify, the nightly run, the ledger export and
// the web page's job folders: single files, staging folders, and leftovers of killed runs.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isTempOutputName, publishDir, removeLeftovers, removeTemps, stagingDir, writeAtomically, writeFileAtomically } from '../../src/outputs/atomic.js';

const tmp = mkdtempSync(join(tmpdir(), 'qingxi-atomic-helpers-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('atomic output helpers', () => {
  it('a single file appears only when its writer finished; a failing writer leaves the old file and no temporary', async () => {
    const dir = join(tmp, 'single');
    const final = join(dir, '报告.xlsx');
    await writeFileAtomically(final, 'v1');
    expect(readFileSync(final, 'utf8')).toBe('v1');
    await expect(
      writeAtomically(final, async (t) => {
        writeFileSync(t, 'half');
        throw new Error('disk full');
      }),
    ).rejects.toThrow();
    expect(readFileSync(final, 'utf8')).toBe('v1');
    expect(readdirSync(dir).filter(isTempOutputName)).toEqual([]);
  });

  it('a staging folder is published whole, replacing the earlier folder', async () => {
    const parent = join(tmp, 'staging');
    mkdirSync(join(parent, 'out'), { recursive: true });
    writeFileSync(join(parent, 'out', 'old.json'), '{}');
    const s = await stagingDir(parent, 'out');
    expect(isTempOutputName(s.slice(parent.length + 1))).toBe(true);
    writeFileSync(join(s, 'result.json'), '{"ok":true}');
    await publishDir(s, join(parent, 'out'));
    expect(readdirSync(join(parent, 'out'))).toEqual(['result.json']);
    expect(readdirSync(parent)).toEqual(['out']);
  });

  it('leftovers of a dead run are removed recursively; a live run’s temporaries are kept unless removeTemps is asked', async () => {
    const dir = join(tmp, 'leftovers');
    mkdirSync(join(dir, '县', '乡'), { recursive: true });
    const dead = '.qingxi-tmp-999999999-0-整改台账.xlsx';
    writeFileSync(join(dir, '县', '乡', dead), 'partial');
    mkdirSync(join(dir, '.qingxi-tmp-999999998-1-staging', '0'), { recursive: true });
    const live = `.qingxi-tmp-${process.pid}-7-summary.json`;
    writeFileSync(join(dir, live), 'being written');
    writeFileSync(join(dir, '县', '乡', 'keep.xlsx'), 'final');
    expect(await removeLeftovers(dir)).toBe(2);
    expect(existsSync(join(dir, '县', '乡', dead))).toBe(false);
    expect(existsSync(join(dir, '县', '乡', 'keep.xlsx'))).toBe(true);
    expect(existsSync(join(dir, live))).toBe(true);
    await removeTemps(dir);
    expect(readdirSync(dir).sort()).toEqual(['县']);
  });
});
