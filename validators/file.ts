// FILE — structure. These findings are emitted by ingest (src/ingest), which knows files; the
// message is composed there (it names file, sheet, row and columns) and carried in
// params.message. The rules here carry ids, titles, explanations and a fallback message built
// from the structured params, for findings that arrive without one.
import type { Finding } from '../src/model.js';
import type { AnyRule } from '../src/engine/rule.js';
import { defineLegacyRule, type Rule } from '../src/engine/legacy-rule.js';

function place(f: Finding): string {
  const at = f.at;
  if (!at) return '';
  return `文件「${at.file}」${at.sheet !== undefined ? `工作表「${at.sheet}」` : ''}${at.row !== undefined ? `第${at.row}行` : ''}：`;
}

function list(v: unknown): string {
  return Array.isArray(v) ? v.map((x) => `「${String(x)}」`).join('、') : String(v ?? '');
}

function message(f: Finding, fallback: () => string): string {
  const m = f.params?.['message'];
  return typeof m === 'string' && m ? m : place(f) + fallback();
}

export const FILE_01: Rule = {
  id: 'FILE-01',
  family: 'FILE',
  severity: 'error',
  title: '未识别表头',
  explain:
    '该工作表中找不到可识别的表头行，整张表未被读取。请检查表头是否被删改、是否放错了工作表；说明中列出了最接近表头的一行和缺少的必填列。',
  reads: [],
  describe: (f) =>
    message(f, () => {
      const missing = f.params?.['missing'];
      return `未找到可识别的表头${missing ? `，缺少 ${list(missing)}` : ''}，该表未读取。`;
    }),
};

export const FILE_02: Rule = {
  id: 'FILE-02',
  family: 'FILE',
  severity: 'error',
  title: '缺少必填列或列名重复',
  explain:
    '表中缺少该类表格必须有的列（其余列照常读取，但缺少的内容无法检查），或同一字段出现在两列（只读取第一列，其余列被忽略）。请对照导出模板补齐或改正列名。',
  reads: [],
  describe: (f) =>
    message(f, () =>
      f.params?.['kind'] === 'duplicate'
        ? `列 ${list(f.params?.['columns'])} 列名重复，只读取第一列。`
        : `缺少必填列 ${list(f.params?.['missing'] ?? f.value)}。`,
    ),
};

export const FILE_03: Rule = {
  id: 'FILE-03',
  family: 'FILE',
  severity: 'error',
  title: '行无法读取',
  explain:
    '这一行无法读取（例如 CSV 中单元格个数多于表头、内容里有未加引号的逗号、文件编码损坏），未参与检查。说明中给出了行号和原文，请打开原文件核对该行后重新导出。',
  reads: [],
  describe: (f) => message(f, () => `${String(f.params?.['reason'] ?? '该行无法读取')}。原文：${String(f.params?.['raw'] ?? f.value ?? '')}`),
};

export const FILE_04: Rule = {
  id: 'FILE-04',
  family: 'FILE',
  severity: 'error',
  title: '文件无法读取',
  explain:
    '文件不是可读取的表格文件：已损坏、设置了打开密码（加密）、旧版 .xls 或网页格式、不是表格、或超过大小上限。请按说明用 Excel 或 WPS 打开后另存为 .xlsx（或取消密码、拆分文件）再上传。',
  reads: [],
  describe: (f) => message(f, () => '文件无法读取。'),
};

export const FILE_05: Rule = {
  id: 'FILE-05',
  family: 'FILE',
  severity: 'info',
  title: '未知列已忽略',
  explain: '表中有本系统不认识的列，原文件中保留但不参与检查（每张工作表只提示一次）。如果其中有应检查的内容，请改用标准列名。',
  reads: [],
  describe: (f) => message(f, () => `以下列不在标准表头中，已忽略：${list(f.params?.['columns'] ?? f.value)}。`),
};

export const fileRules: AnyRule[] = [FILE_01, FILE_02, FILE_03, FILE_04, FILE_05].map((r) => defineLegacyRule(r));
