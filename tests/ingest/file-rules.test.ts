import { expect, test } from 'vitest';
import { FILE_02, FILE_03, fileRules } from '../../validators/file.js';

test('FILE rules: ids, Chinese titles, message from params or composed from structured params', () => {
  expect(fileRules.map((r) => r.id)).toEqual(['FILE-01', 'FILE-02', 'FILE-03', 'FILE-04', 'FILE-05']);
  for (const r of fileRules) expect(r.title).toMatch(/[\u4e00-\u9fff]/);
  expect(FILE_02.describe!({ rule: 'FILE-02', params: { message: '原样' } })).toBe('原样');
  expect(
    FILE_02.describe!({ rule: 'FILE-02', at: { file: 'a.xlsx', sheet: 'S', row: 3 }, params: { kind: 'missing', missing: ['证件号码'] } }),
  ).toBe('文件「a.xlsx」工作表「S」第3行：缺少必填列 「证件号码」。');
  expect(FILE_03.describe!({ rule: 'FILE-03', at: { file: 'b.csv', row: 9 }, params: { reason: '列数不对', raw: 'x,y' } })).toBe(
    '文件「b.csv」第9行：列数不对。原文：x,y',
  );
});
