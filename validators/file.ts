// FILE — structure. These findings are emitted by ingest (src/ingest) and the pipeline, which know
// files: they carry what they found as params (columns, labels, reason, raw text, counts) and the
// place in `at`; the Chinese text is the templates below. FILE rules have no row or cross hook,
// so their examples are tiny input files, read by the catalogue test through ingest.
import type { Finding, Loc, TableKind } from '../src/model.js';
import { TABLE_ZH } from '../src/model.js';
import { defineRule, type AnyRule } from '../src/engine/rule.js';
import { msg, param, text, value, when, type Piece } from '../src/i18n/template.js';
import { renderMessage } from '../src/i18n/render.js';

/**
 * What a terminal user can do about an unrecognised sheet (FILE-01, issue 9). The web page shows
 * clerks `UNRECOGNISED_SHEET_HINT_CLERK` instead (src/server/views/run.ts swaps the text): they
 * have no terminal and no config file. One findings.jsonl serves both, so the swap is at display.
 */
export const UNRECOGNISED_SHEET_HINT = '可用 qingxi inspect 查看，并在配置 columns 中指定';
export const UNRECOGNISED_SHEET_HINT_CLERK = '请把该表交给数据管理员，由其查看表头识别情况并指定各列';

// ---------------------------------------------------------------------------------------------
// Places, from the finding's `at`

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyPiece = Piece<any>;
const sheetOf = (at: Loc | undefined): string => (at?.sheet !== undefined ? `工作表「${at.sheet}」` : '');
/** 文件「a.xlsx」 */
const inFile: AnyPiece = { doc: '文件「{文件名}」', render: (f) => `文件「${f.at?.file ?? ''}」` };
/** 文件「a.xlsx」工作表「成员」 (no row: the whole sheet) */
const inSheet: AnyPiece = { doc: '文件「{文件名}」[工作表「{工作表}」]', render: (f) => `文件「${f.at?.file ?? ''}」${sheetOf(f.at)}` };
/** 文件「a.xlsx」工作表「成员」第3行 */
const atRow: AnyPiece = {
  doc: '文件「{文件名}」[工作表「{工作表}」][第{行号}行]',
  render: (f) => `文件「${f.at?.file ?? ''}」${sheetOf(f.at)}${f.at?.row !== undefined ? `第${f.at.row}行` : ''}`,
};

/** 「证件号码」、「姓名」 */
const quoted = (labels: readonly string[] | undefined): string => (labels ?? []).map((l) => `「${l}」`).join('、');
/** B「备注」、C「说明」: column letters with their header texts */
const lettered = (letters: readonly string[] | undefined, headers: readonly string[] | undefined): string =>
  (letters ?? []).map((c, i) => `${c}「${headers?.[i] ?? ''}」`).join('、');
const tableZh = (t: TableKind | undefined): string => (t ? TABLE_ZH[t] : '');

// ---------------------------------------------------------------------------------------------

interface UnrecognisedParams {
  /** the row that came closest to a header (its text is the finding's value) */
  bestRow?: number;
  guessTable: TableKind;
  /** required headers of guessTable that row lacks */
  missing: string[];
  /** non-region fields of guessTable that row names (0: nothing looked like a header) */
  matchedColumns: number;
  /** rows of the sheet left unread */
  rows: number;
}

const guessTable = param<UnrecognisedParams, 'guessTable'>('guessTable', '最像的表', tableZh);

const FILE_01 = defineRule({
  id: 'FILE-01',
  family: 'FILE',
  severity: 'error',
  title: '未识别表头',
  explain:
    '该工作表中找不到可识别的表头行，整张表未被读取。请检查表头是否被删改、是否放错了工作表；说明中列出了最接近表头的一行和缺少的必填列。',
  reads: [],
  messages: {
    default: msg<UnrecognisedParams>`${inSheet}：未找到可识别的表头，${when(
      (f) => f.params.bestRow !== undefined,
      msg`最接近表头的是第${param('bestRow', '行号')}行（${value}）`,
      msg`没有找到像表头的行`,
    )}；${when(
      (f) => f.params.matchedColumns > 0,
      msg`像是${guessTable}表，但缺少：${param('missing', '缺少的列', (l) => (l ?? []).join('、'))}；`,
      msg`没有一列能对应到已知表头，按“${guessTable}”表看缺少 ${param('missing', '缺少的列', quoted)}；`,
    )}${UNRECOGNISED_SHEET_HINT}。该表 ${param('rows', '行数')} 行未读取。`,
  },
  examples: {
    valid: [{ note: '表头可以识别的家庭成员表', file: { name: '成员.csv', text: '户编号,姓名,证件号码,与户主关系\nH001,张三,430524198001010011,户主\n' } }],
    invalid: [
      { note: '只有说明文字、没有表头的表', file: { name: '说明.csv', text: '本表为填报说明\n请按模板填写\n' }, codes: ['default'] },
    ],
  },
});

// ---------------------------------------------------------------------------------------------

const FILE_02 = defineRule({
  id: 'FILE-02',
  family: 'FILE',
  severity: 'error',
  title: '缺少必填列或列名重复',
  explain:
    '表中缺少该类表格必须有的列（其余列照常读取，但缺少的内容无法检查），或同一字段出现在两列（只读取第一列，其余列被忽略）。请对照导出模板补齐或改正列名。',
  reads: [],
  messages: {
    duplicate: msg<{ kind: 'duplicate'; columns: string[]; headers: string[]; label: string }>`${atRow}：列 ${text('列', (f) =>
      lettered(f.params.columns, f.params.headers),
    )} 都对应“${param('label', '字段')}”，只读取第一列（${text('第一列', (f) => f.params.columns[0] ?? '')}列），其余列被忽略。`,
    missing: msg<{ kind: 'missing'; table: TableKind; missing: string[] }>`${atRow}：该表按表头识别为“${param('table', '表', tableZh)}”，但缺少必填列 ${param(
      'missing',
      '缺少的列',
      quoted,
    )}。其余各列照常读取，缺少的内容无法检查，请补齐后重新导出。`,
  },
  examples: {
    valid: [{ note: '必填列齐全、列名不重复的家庭成员表', file: { name: '成员.csv', text: '户编号,姓名,证件号码,与户主关系\nH001,张三,430524198001010011,户主\n' } }],
    invalid: [
      {
        note: '家庭成员表缺少“证件号码”列，“姓名”出现了两列',
        file: { name: '成员.csv', text: '户编号,姓名,姓名,与户主关系,性别\nH001,张三,张三,户主,男\n' },
        codes: ['missing', 'duplicate'],
      },
    ],
  },
});

// ---------------------------------------------------------------------------------------------

const FILE_03 = defineRule({
  id: 'FILE-03',
  family: 'FILE',
  severity: 'error',
  title: '行无法读取',
  explain:
    '这一行无法读取（例如 CSV 中单元格个数多于表头、内容里有未加引号的逗号、文件编码损坏），未参与检查。说明中给出了行号和原文，请打开原文件核对该行后重新导出。',
  reads: [],
  messages: {
    // a row left out, or (`rest`) the CSV reader gave up there and nothing after it was read
    default: msg<{ reason: string; raw?: string; rest?: true }>`${atRow}：${param('reason', '原因')}${when(
      (f) => f.params.rest === true,
      msg`，此后内容未读取。`,
      msg`，该行未读取。原文：${param('raw', '原文')}`,
    )}`,
    nul: msg<{ rows: number }>`${inFile}含有空字符（NUL，文件可能损坏或由其他程序写入）：从第${text('行号', (f) => String(f.at?.row ?? ''))}行起共 ${param(
      'rows',
      '行数',
    )} 行，已照常读取全部内容，含空字符的姓名、号码等在相应规则中报告。`,
  },
  examples: {
    valid: [{ note: '每行单元格个数与表头一致', file: { name: '成员.csv', text: '户编号,姓名,证件号码,与户主关系\nH001,张三,430524198001010011,户主\n' } }],
    invalid: [
      {
        note: '地址里有未加引号的逗号，单元格个数多于表头',
        file: { name: '成员.csv', text: '户编号,姓名,证件号码,与户主关系\nH001,张三,430524198001010011,户主,湘西,沅陵\nH001,李四,430524198203040022,配偶\n' },
        codes: ['default'],
      },
      {
        note: '引号没有闭合，CSV 从该行起无法读取',
        file: { name: '成员.csv', text: '户编号,姓名,证件号码,与户主关系\nH001,张三,430524198001010011,户主\nH001,"李四,430524198203040022,配偶\n' },
        codes: ['default'],
      },
      {
        note: '姓名中含有空字符（NUL）',
        file: {
          name: '成员.csv',
          text: '户编号,姓名,证件号码,与户主关系\nH001,张三,430524198001010011,户主\nH001,李\u0000四,430524198203040022,配偶\nH002,王五,430524197505050055,户主\nH002,赵六,430524197706060066,配偶\n',
        },
        codes: ['nul'],
      },
    ],
  },
});

// ---------------------------------------------------------------------------------------------

/**
 * Why a whole file was refused. The reason is the file's accounting error (FileAccounting.error,
 * also shown by the CLI summary and the web page's file list), so ingest states it once and both
 * the accounting and this finding carry it; the template puts the file in front.
 */
const refused = msg<{ reason: string }>`${inFile}${param('reason', '原因')}`;

/** The codes of a file refused as a whole (src/ingest/index.ts `unreadable`, the pipeline's watchdog). */
const REFUSAL_CODES = [
  'not-file',
  'open',
  'too-large',
  'empty',
  'encrypted',
  'et',
  'cfb-other',
  'pdf',
  'text-ext',
  'unknown-format',
  'limit',
  'read-error',
  'html',
  'xls',
  'xml2003',
  'corrupt-zip',
  'not-workbook',
] as const;
type RefusalCode = (typeof REFUSAL_CODES)[number];

const FILE_04 = defineRule({
  id: 'FILE-04',
  family: 'FILE',
  severity: 'error',
  title: '文件无法读取',
  explain:
    '文件不是可读取的表格文件：已损坏、设置了打开密码（加密）、旧版 .xls 或网页格式、不是表格、或超过大小上限。请按说明用 Excel 或 WPS 打开后另存为 .xlsx（或取消密码、拆分文件）再上传。',
  reads: [],
  messages: {
    ...(Object.fromEntries(REFUSAL_CODES.map((c) => [c, refused])) as Record<RefusalCode, typeof refused>),
    'missing-sheet': msg`${inSheet}在文件中找不到数据（文件不完整或已损坏），该工作表未读取。`,
    'broken-sheet': msg<{ reason: string }>`${inSheet}读取到一半出错（${param('reason', '原因')}），${when(
      (f) => f.at?.sheet !== undefined,
      msg`该工作表未读完，其后的工作表也未读取`,
      msg`工作表未能读取`,
    )}。请用 Excel 打开后另存为 .xlsx 再上传。`,
    csv: msg<{ lastRow: number; error: string }>`${inFile}读取到第${param('lastRow', '行号')}行后出错（${param('error', '原因')}），其后内容未读取。`,
    // the pipeline's last line of defence: ingest threw on a file (a bug), the file is reported
    default: msg`文件“${text('文件名', (f) => f.at?.file ?? '')}”读取时发生内部错误，未能检查，请联系技术支持。`,
  },
  examples: {
    valid: [{ note: 'UTF-8 编码的 CSV 文件', file: { name: '成员.csv', text: '户编号,姓名,证件号码,与户主关系\nH001,张三,430524198001010011,户主\n' } }],
    invalid: [
      { note: '上传的是 PDF 文件', file: { name: '名单.pdf', text: '%PDF-1.4\n%\n1 0 obj\n<<>>\nendobj\n' }, codes: ['pdf'] },
      { note: '0 字节的空文件', file: { name: '成员.xlsx', text: '' }, codes: ['empty'] },
      { note: '扩展名为 .xlsx 但内容不是完整的压缩包（文件已损坏）', file: { name: '成员.xlsx', text: 'PK\u0003\u0004这不是完整的压缩包' }, codes: ['corrupt-zip'] },
      { note: '纯文本文件，扩展名不是 .csv 或 .txt', file: { name: '成员.dat', text: '户编号,姓名\nH001,张三\n' }, codes: ['text-ext'] },
      { note: '扩展名为 .xls，实际是网页（HTML）格式', file: { name: '成员.xls', text: '<html><body><p>导出失败</p></body></html>\n' }, codes: ['html'] },
      { note: '既不是 .xlsx 也不是文本的文件', file: { name: '成员.bin', text: '\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008' }, codes: ['unknown-format'] },
    ],
  },
});

// ---------------------------------------------------------------------------------------------

const FILE_05 = defineRule({
  id: 'FILE-05',
  family: 'FILE',
  severity: 'info',
  title: '未知列已忽略',
  explain: '表中有本系统不认识的列，原文件中保留但不参与检查（每张工作表只提示一次）。如果其中有应检查的内容，请改用标准列名。',
  reads: [],
  messages: {
    default: msg<{ columns: string[]; headers: string[] }>`${atRow}：以下列不在标准表头中，已忽略（不参与检查）：${text('未知列', (f) =>
      lettered(f.params.columns, f.params.headers),
    )}。`,
  },
  examples: {
    valid: [{ note: '只有标准列的家庭成员表', file: { name: '成员.csv', text: '户编号,姓名,证件号码,与户主关系\nH001,张三,430524198001010011,户主\n' } }],
    invalid: [
      {
        note: '家庭成员表多了“扶贫手册编号”一列',
        file: { name: '成员.csv', text: '户编号,姓名,证件号码,与户主关系,扶贫手册编号\nH001,张三,430524198001010011,户主,SC-001\n' },
        codes: ['default'],
      },
    ],
  },
});

export const fileRules: AnyRule[] = [FILE_01, FILE_02, FILE_03, FILE_04, FILE_05];

export { FILE_01, FILE_02, FILE_03, FILE_04, FILE_05 };

/** The text of a FILE finding read outside a check run (qingxi inspect): the same templates. */
export function fileMessage(f: Finding): string {
  const rule = fileRules.find((r) => r.id === f.rule);
  return rule ? renderMessage(rule, f).text : '';
}
