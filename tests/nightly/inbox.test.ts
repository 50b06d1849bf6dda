// The inbox scan: one unit per county folder (files at any depth), loose root files as a unit of
// their own, accepted*.json found anywhere, lock/hidden files and empty folders ignored.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT_UNIT, scanInbox } from '../../src/nightly/inbox.js';

const root = mkdtempSync(join(tmpdir(), 'qingxi-inbox-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('scanInbox', () => {
  it('groups files by top-level folder', async () => {
    const put = (p: string, text = 'x') => {
      mkdirSync(join(root, p, '..'), { recursive: true });
      writeFileSync(join(root, p), text);
    };
    put('隆回县/司门前镇/成员.xlsx');
    put('隆回县/结对帮扶.csv');
    put('隆回县/~$成员.xlsx');
    put('隆回县/.hidden.csv');
    put('隆回县/说明.docx');
    put('邵东县/accepted.json', '{"entries":[]}');
    put('邵东县/2020/户.CSV');
    put('新宁县/.keep');
    put('散件.xls');
    put('accepted-全省.json', '[]');
    const inbox = await scanInbox(root);
    expect(inbox.units.map((u) => [u.name, u.files.map((f) => f.slice(root.length + 1))])).toEqual([
      ['邵东县', ['邵东县/2020/户.CSV']],
      ['隆回县', ['隆回县/司门前镇/成员.xlsx', '隆回县/结对帮扶.csv']],
      [ROOT_UNIT, ['散件.xls']],
    ]);
    expect(inbox.acceptedFiles.map((f) => f.slice(root.length + 1))).toEqual(['accepted-全省.json', '邵东县/accepted.json']);
  });

  it('throws on a missing inbox', async () => {
    await expect(scanInbox(join(root, 'nope'))).rejects.toThrow();
  });
});
