import { afterAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AcceptedFileError, loadAccepted, writeAccepted } from '../../src/outputs/accepted.js';
import { tempDir, removeTempDirs } from './fixtures.js';

afterAll(removeTempDirs);

const A = { fingerprint: 'aaaaaaaaaaaaaaaaaaaa', rule: 'ID-06', remark: '经入户核实无误', acceptedOn: '2020-05-20', village: '一村', household_no: 'H001' };
const B = { fingerprint: 'bbbbbbbbbbbbbbbbbbbb', rule: 'BASE-01', remark: '原因属实', acceptedOn: '2020-05-21' };

describe('accepted exceptions file', () => {
  it('writes, merges with an existing file (newer explanation wins) and loads by fingerprint', async () => {
    const dir = await tempDir('acc');
    const p = join(dir, 'sub', 'accepted.json');
    await writeAccepted(p, [B]);
    await writeAccepted(p, [A, { ...B, remark: '再次核实：原因属实', acceptedOn: '2020-06-01' }]);
    const json = JSON.parse(await readFile(p, 'utf8'));
    expect(json.version).toBe(1);
    expect(json.entries.map((e: { fingerprint: string }) => e.fingerprint)).toEqual([A.fingerprint, B.fingerprint]);
    const map = await loadAccepted(p);
    expect(map.size).toBe(2);
    expect(map.get(A.fingerprint)).toEqual({ rule: 'ID-06', remark: '经入户核实无误', acceptedOn: '2020-05-20' });
    expect(map.get(B.fingerprint)).toEqual({ rule: 'BASE-01', remark: '再次核实：原因属实', acceptedOn: '2020-06-01' });
  });

  it('accepts a bare array with a BOM', async () => {
    const dir = await tempDir('acc2');
    const p = join(dir, 'a.json');
    await writeFile(p, '\ufeff' + JSON.stringify([A]));
    expect([...(await loadAccepted(p)).keys()]).toEqual([A.fingerprint]);
  });

  it('refuses bad files with a clear Chinese message', async () => {
    const dir = await tempDir('acc3');
    const notJson = join(dir, 'x.json');
    await writeFile(notJson, '[\n  {oops');
    // where, in Chinese: not V8's English ("Expected property name … at position 6")
    await expect(loadAccepted(notJson)).rejects.toThrow(/不是合法的 JSON：第 2 行第 4 列有语法错误：这里出现了“o”/);
    await expect(loadAccepted(notJson)).rejects.not.toThrow(/position|Expected|Unexpected|property/);
    // a folder where the file should be
    await expect(loadAccepted(dir)).rejects.toThrow(/无法读取已说明例外文件“.*”：这是一个文件夹，不是文件$/);
    const wrong = join(dir, 'y.json');
    await writeFile(wrong, JSON.stringify({ entries: [{ ...A, acceptedOn: '20.5.2020' }] }));
    const err = await loadAccepted(wrong).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AcceptedFileError);
    expect((err as Error).message).toMatch(/格式不对.*entries\.0\.acceptedOn.*YYYY-MM-DD/);
    await expect(loadAccepted(join(dir, 'missing.json'))).rejects.toThrow(/文件不存在/);
    // a bad existing file is not silently overwritten
    await expect(writeAccepted(wrong, [B])).rejects.toBeInstanceOf(AcceptedFileError);
  });
});
