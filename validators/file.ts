// FILE — structure. These findings are emitted by ingest (src/ingest), which knows files;
// the rules here carry only their ids, titles and explanations.
import type { Rule } from '../src/model.js';

export const FILE_01: Rule = {
  id: 'FILE-01',
  family: 'FILE',
  severity: 'error',
  title: '未识别表头',
  explain:
    '该工作表中找不到可识别的表头行，整张表未被读取。请检查表头是否被删改、是否放错了工作表；说明中列出了最接近的一行和缺少的必填列。',
  reads: [],
  describe: (f) => String(f.params?.['message'] ?? '未识别表头'),
};

export const FILE_02: Rule = {
  id: 'FILE-02',
  family: 'FILE',
  severity: 'error',
  title: '缺少必填列或列名重复',
  explain: '表中缺少该类表格必须有的列，或同一列名出现了两次（只读取第一列）。请对照导出模板补齐或改正列名。',
  reads: [],
  describe: (f) => String(f.params?.['message'] ?? '缺少必填列或列名重复'),
};

export const FILE_03: Rule = {
  id: 'FILE-03',
  family: 'FILE',
  severity: 'error',
  title: '行无法读取',
  explain: '这一行无法读取（例如列数不对、编码损坏），未参与检查。请打开原文件核对该行内容后重新导出。',
  reads: [],
  describe: (f) => String(f.params?.['message'] ?? '行无法读取'),
};

export const FILE_04: Rule = {
  id: 'FILE-04',
  family: 'FILE',
  severity: 'error',
  title: '文件无法读取',
  explain: '文件不是可读取的表格文件（损坏、加密、设置了打开密码、格式不支持或过大）。请按提示另存或重新导出后再上传。',
  reads: [],
  describe: (f) => String(f.params?.['message'] ?? '文件无法读取'),
};

export const FILE_05: Rule = {
  id: 'FILE-05',
  family: 'FILE',
  severity: 'info',
  title: '未知列已忽略',
  explain: '表中有本系统不认识的列，已保留在原文件中但不参与检查。如果其中有应检查的内容，请改用标准列名。',
  reads: [],
  describe: (f) => String(f.params?.['message'] ?? '未知列已忽略'),
};

export const fileRules: Rule[] = [FILE_01, FILE_02, FILE_03, FILE_04, FILE_05];
