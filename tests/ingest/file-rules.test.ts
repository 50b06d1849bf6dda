import { expect, test } from 'vitest';
import { fileMessage, fileRules } from '../../validators/file.js';

test('FILE rules: ids, Chinese titles, message composed by the templates from structured params', () => {
  expect(fileRules.map((r) => r.id)).toEqual(['FILE-01', 'FILE-02', 'FILE-03', 'FILE-04', 'FILE-05']);
  for (const r of fileRules) expect(r.title).toMatch(/[\u4e00-\u9fff]/);
  expect(
    fileMessage({ rule: 'FILE-02', code: 'missing', at: { file: 'a.xlsx', sheet: 'S', row: 3 }, params: { kind: 'missing', table: 'members', missing: ['证件号码'] } }),
  ).toBe('文件「a.xlsx」工作表「S」第3行：该表按表头识别为“家庭成员”，但缺少必填列 「证件号码」。其余各列照常读取，缺少的内容无法检查，请补齐后重新导出。');
  expect(
    fileMessage({
      rule: 'FILE-02',
      code: 'duplicate',
      at: { file: 'a.xlsx', sheet: 'S', row: 3 },
      params: { kind: 'duplicate', columns: ['B', 'D'], headers: ['姓名', '成员姓名'], label: '姓名' },
    }),
  ).toBe('文件「a.xlsx」工作表「S」第3行：列 B「姓名」、D「成员姓名」 都对应“姓名”，只读取第一列（B列），其余列被忽略。');
  // FILE-03 findings keep no code (their fingerprints never had one): a row left out, or the rest of a CSV
  expect(fileMessage({ rule: 'FILE-03', at: { file: 'b.csv', row: 9 }, params: { reason: '列数不对', raw: 'x,y' } })).toBe('文件「b.csv」第9行：列数不对，该行未读取。原文：x,y');
  expect(fileMessage({ rule: 'FILE-03', at: { file: 'b.csv', row: 9 }, params: { reason: '列数不对', rest: true } })).toBe('文件「b.csv」第9行：列数不对，此后内容未读取。');
});
