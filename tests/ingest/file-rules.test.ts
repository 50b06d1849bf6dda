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

test('FILE templates reproduce the sentences ingest and the pipeline used to compose', () => {
  const at = { file: 'a.xlsx', sheet: '成员', row: 2 };
  expect(
    fileMessage({ rule: 'FILE-01', at, value: '说明', params: { bestRow: 2, guessTable: 'members', missing: ['姓名', '证件号码'], matchedColumns: 0, rows: 7 } }),
  ).toBe(
    '文件「a.xlsx」工作表「成员」：未找到可识别的表头，最接近表头的是第2行（说明）；没有一列能对应到已知表头，按“家庭成员”表看缺少 「姓名」、「证件号码」；可用 qingxi inspect 查看，并在配置 columns 中指定。该表 7 行未读取。',
  );
  expect(
    fileMessage({ rule: 'FILE-01', at: { file: 'b.csv' }, value: '', params: { guessTable: 'projects', missing: ['项目编号', '项目名称'], matchedColumns: 2, rows: 3 } }),
  ).toBe('文件「b.csv」：未找到可识别的表头，没有找到像表头的行；像是项目库表，但缺少：项目编号、项目名称；可用 qingxi inspect 查看，并在配置 columns 中指定。该表 3 行未读取。');
  expect(fileMessage({ rule: 'FILE-05', at, params: { columns: ['F', 'G'], headers: ['备注', '手册编号'] } })).toBe(
    '文件「a.xlsx」工作表「成员」第2行：以下列不在标准表头中，已忽略（不参与检查）：F「备注」、G「手册编号」。',
  );
  expect(fileMessage({ rule: 'FILE-03', code: 'nul', at: { file: 'b.csv', row: 4 }, params: { rows: 2 } })).toBe(
    '文件「b.csv」含有空字符（NUL，文件可能损坏或由其他程序写入）：从第4行起共 2 行，已照常读取全部内容，含空字符的姓名、号码等在相应规则中报告。',
  );
  expect(fileMessage({ rule: 'FILE-04', code: 'pdf', at: { file: 'c.pdf' }, params: { reason: '是 PDF 文件，不是表格，无法读取。' } })).toBe('文件「c.pdf」是 PDF 文件，不是表格，无法读取。');
  expect(fileMessage({ rule: 'FILE-04', code: 'missing-sheet', at: { file: 'a.xlsx', sheet: '成员' } })).toBe('文件「a.xlsx」工作表「成员」在文件中找不到数据（文件不完整或已损坏），该工作表未读取。');
  expect(fileMessage({ rule: 'FILE-04', code: 'broken-sheet', at: { file: 'a.xlsx', sheet: '成员' }, params: { reason: '压缩数据已损坏' } })).toBe(
    '文件「a.xlsx」工作表「成员」读取到一半出错（压缩数据已损坏），该工作表未读完，其后的工作表也未读取。请用 Excel 打开后另存为 .xlsx 再上传。',
  );
  expect(fileMessage({ rule: 'FILE-04', code: 'broken-sheet', at: { file: 'a.xlsx' }, params: { reason: '压缩数据已损坏' } })).toBe(
    '文件「a.xlsx」读取到一半出错（压缩数据已损坏），工作表未能读取。请用 Excel 打开后另存为 .xlsx 再上传。',
  );
  expect(fileMessage({ rule: 'FILE-04', code: 'csv', at: { file: 'b.csv' }, params: { lastRow: 120, error: '读取中断：磁盘错误' } })).toBe(
    '文件「b.csv」读取到第120行后出错（读取中断：磁盘错误），其后内容未读取。',
  );
  // the pipeline's last line of defence keeps no code (and its “” quotes)
  expect(fileMessage({ rule: 'FILE-04', at: { file: 'd.xlsx' } })).toBe('文件“d.xlsx”读取时发生内部错误，未能检查，请联系技术支持。');
});
