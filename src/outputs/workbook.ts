// 整改台账 correction workbooks (SPEC §4): one per township (or per village with --split village),
// sheets 说明 / 汇总 / 问题清单. Written with exceljs's streaming writer, row by row, so a workbook
// with 100,000 findings stays in bounded memory. Every cell is a string or a number: a source
// value beginning with `=`, `+`, `-` or `@` is written as a plain (shared) string, never a formula.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from '../exceljs.js';
import { FAMILY_ZH, SEVERITY_ZH, type Family, type ResolvedFinding, type Severity } from '../model.js';
import { displayValue } from '../core/values.js';
import { fieldLabel } from '../schema/tables.js';
import { SCORE_FORMULA_ZH, villageScore, type HouseholdDefects } from './score.js';
import type { VillageSummary } from './summary.js';
import { cellText, idText, rowHeightFor, safeNamePart, textCell, textUnits, wrappedLines } from './xlsx-text.js';
import { RowXmlWriter, type XmlCell } from './row-xml.js';
import { writePrintSheet, type PrintColumn, type PrintRow, type TaggedText } from './print-layout.js';
import type { OutputSet } from './atomic.js';
import pLimit from 'p-limit';
import { WorkbookPool, workbookWorkerScript } from './workbook-pool.js';

export type { VillageSummary } from './summary.js';

export interface RuleLegend {
  id: string;
  family: string;
  severity: string;
  title: string;
  explain: string;
}

export interface WorkbookInput {
  findings: ResolvedFinding[];
  villages: VillageSummary[];
  asOf: string; // YYYY-MM-DD
  checkedAt: string; // ISO time of the run
  sources: string[]; // input file names
  rules: RuleLegend[];
  /** 户主 name of a household */
  headOf?: (householdNo: string) => string | undefined;
  /**
   * findings whose own township's 台账 is written elsewhere (the nightly's other county folder):
   * they go only to the townships in their `routes`
   */
  routedOnly?: ReadonlySet<ResolvedFinding>;
}

export type SplitBy = 'township' | 'village';

// ---------------------------------------------------------------------------------------------
// The 问题清单 layout. verify.ts reads filled workbooks back by these header texts.

export const SHEET_README = '说明';
export const SHEET_SUMMARY = '汇总';
export const SHEET_ISSUES = '问题清单';
/** the 问题清单 laid out for A4 paper (what a clerk takes to the household) */
export const SHEET_PRINT = '打印清单';

export const RESULT_FIXED = '已修正';
export const RESULT_CORRECT = '数据无误';
export const RESULT_UNVERIFIABLE = '无法核实';
export const RESULT_VALUES = [RESULT_FIXED, RESULT_CORRECT, RESULT_UNVERIFIABLE] as const;

export const FINGERPRINT_HEADER = '指纹';
/** where the finding's row sits: file / sheet / 第N行 */
export const SOURCE_HEADER = '来源';
/** the finding's other places (`related`), one a line */
export const RELATED_HEADER = '相关位置';
/** Label of the 说明 row holding the as-of date (YYYY-MM-DD in the next cell): verify reads it back. */
export const AS_OF_LABEL = '数据截止日期';

interface ColumnDef {
  header: string;
  width: number;
  clerk?: true; // filled in by the clerk: unlocked
  wrap?: true;
  hidden?: true;
}

export const ISSUE_COLUMNS: readonly ColumnDef[] = [
  { header: '序号', width: 7 },
  { header: '县', width: 10 },
  { header: '乡镇', width: 10 },
  { header: '村', width: 10 },
  { header: '户编号', width: 18 },
  { header: '户主', width: 9.5 },
  { header: '姓名', width: 9.5 },
  { header: '证件号码', width: 21 },
  { header: '问题类别', width: 11 },
  { header: '规则', width: 20, wrap: true },
  { header: '问题描述', width: 42, wrap: true },
  { header: '字段', width: 12, wrap: true },
  // wide enough for an 18-digit ID number (or a 20/22-character 残疾人证 number) on one line
  { header: '当前值', width: 23, wrap: true },
  { header: '参考值', width: 23, wrap: true },
  { header: '严重程度', width: 9.5 },
  { header: SOURCE_HEADER, width: 24, wrap: true },
  { header: RELATED_HEADER, width: 30, wrap: true },
  { header: '核实结果', width: 11, clerk: true },
  { header: '修正后值', width: 16, clerk: true },
  { header: '核实人', width: 9.5, clerk: true },
  { header: '核实日期', width: 12, clerk: true },
  { header: '备注', width: 24, clerk: true, wrap: true },
  { header: FINGERPRINT_HEADER, width: 22, hidden: true },
];
export const ISSUE_HEADERS = ISSUE_COLUMNS.map((c) => c.header);
const COL = Object.fromEntries(ISSUE_HEADERS.map((h, i) => [h, i + 1])) as Record<string, number>;
/** 1-based column numbers of the 问题清单 sheet */
export const ISSUE_COL = {
  seq: COL['序号']!,
  severity: COL['严重程度']!,
  result: COL['核实结果']!,
  corrected: COL['修正后值']!,
  verifiedOn: COL['核实日期']!,
  fingerprint: COL[FINGERPRINT_HEADER]!,
};

/** Excel column letter(s) of a 1-based column number. */
export function colLetter(n: number): string {
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Most rows one 问题清单 sheet takes before it continues on 问题清单2 (Excel's limit is 1,048,576). */
export const MAX_ISSUE_ROWS = 1_000_000;

// ---------------------------------------------------------------------------------------------
// One finding as the text of its row (also used by verify to key fresh findings the same way).

export function regionOf(f: ResolvedFinding): { county: string; township: string; village: string } {
  return {
    county: f.region?.county ?? '',
    township: f.region?.township ?? '',
    village: f.region?.village ?? f.village ?? '',
  };
}

/** 证件号码 column: the member's number, else the helper's. */
export function personIdOf(f: ResolvedFinding): string {
  return idText(f.idNumber) || idText(f.helperId);
}

export function ruleCellText(f: { rule: string; title: string }): string {
  return `${f.rule} ${f.title}`;
}

export function fieldCellText(f: ResolvedFinding): string {
  return f.field ? fieldLabel(f.table, f.field) : '';
}

/** 来源: file / sheet / 第N行 (a CSV has no sheet; a file-level finding has no row). */
export function sourceText(f: Pick<ResolvedFinding, 'at'>): string {
  const at = f.at;
  if (!at?.file) return '';
  return [at.file, at.sheet, at.row !== undefined ? `第${at.row}行` : undefined].filter((x) => x !== undefined && x !== '').join(' / ');
}

/** 相关位置: the finding's related places, one a line. */
export function relatedText(f: Pick<ResolvedFinding, 'related'>): string {
  return (f.related ?? []).filter(Boolean).join('\n');
}

/** The finding's cells of a 问题清单 row, after 序号 and before the clerk's columns. */
export function findingCells(f: ResolvedFinding, head: string): string[] {
  const r = regionOf(f);
  return [
    r.county,
    r.township,
    r.village,
    f.householdNo ?? '',
    head,
    f.name ?? '',
    personIdOf(f),
    FAMILY_ZH[f.family] ?? f.family,
    ruleCellText(f),
    f.message,
    fieldCellText(f),
    f.value === undefined ? '' : displayValue(f.value),
    f.expected === undefined ? '' : displayValue(f.expected),
    SEVERITY_ZH[f.severity] ?? f.severity,
    sourceText(f),
    relatedText(f),
  ].map(cellText);
}

// ---------------------------------------------------------------------------------------------
// Styles: shared objects, so exceljs resolves each to a style id once (it caches by identity).

// 10.5 pt: printed at 100 % it stays above the 10 pt a clerk reads on paper (SPEC §4)
const FONT_SIZE = 10.5;
const FONT = { name: '宋体', size: FONT_SIZE };
const BORDER_THIN = { style: 'thin' as const, color: { argb: 'FFBFBFBF' } };
const BORDER = { top: BORDER_THIN, left: BORDER_THIN, bottom: BORDER_THIN, right: BORDER_THIN };
const fill = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });

export const SEVERITY_FILL: Record<Severity, string> = { error: 'FFFFC7CE', suspect: 'FFFFEB9C', info: 'FFDDEBF7' };
export const SEVERITY_FONT: Record<Severity, string> = { error: 'FF9C0006', suspect: 'FF9C5700', info: 'FF1F4E79' };
const CLERK_FILL = 'FFF2F8EE';

const S_HEADER: Partial<ExcelJS.Style> = {
  font: { ...FONT, bold: true },
  fill: fill('FFD9D9D9'),
  border: BORDER,
  alignment: { vertical: 'middle', horizontal: 'center', wrapText: true },
  protection: { locked: true },
};
const S_HEADER_CLERK: Partial<ExcelJS.Style> = { ...S_HEADER, fill: fill('FFC6E0B4') };
const S_CELL: Partial<ExcelJS.Style> = { font: FONT, border: BORDER, alignment: { vertical: 'top' }, protection: { locked: true } };
const S_WRAP: Partial<ExcelJS.Style> = { ...S_CELL, alignment: { vertical: 'top', wrapText: true } };
const S_TEXT: Partial<ExcelJS.Style> = { ...S_CELL, numFmt: '@' };
const S_SEVERITY: Record<Severity, Partial<ExcelJS.Style>> = {
  error: { ...S_CELL, font: { ...FONT, color: { argb: SEVERITY_FONT.error } }, fill: fill(SEVERITY_FILL.error), alignment: { vertical: 'top', horizontal: 'center' } },
  suspect: { ...S_CELL, font: { ...FONT, color: { argb: SEVERITY_FONT.suspect } }, fill: fill(SEVERITY_FILL.suspect), alignment: { vertical: 'top', horizontal: 'center' } },
  info: { ...S_CELL, font: { ...FONT, color: { argb: SEVERITY_FONT.info } }, fill: fill(SEVERITY_FILL.info), alignment: { vertical: 'top', horizontal: 'center' } },
};
const S_CLERK: Partial<ExcelJS.Style> = { font: FONT, border: BORDER, fill: fill(CLERK_FILL), alignment: { vertical: 'top', wrapText: true }, protection: { locked: false } };
// 修正后值 as text, so a corrected ID number typed in is not turned into 4.3E+17
const S_CLERK_TEXT: Partial<ExcelJS.Style> = { ...S_CLERK, numFmt: '@' };
const S_CLERK_DATE: Partial<ExcelJS.Style> = { ...S_CLERK, numFmt: 'yyyy-mm-dd' };
const S_TITLE: Partial<ExcelJS.Style> = { font: { ...FONT, size: 14, bold: true } };
const S_LABEL: Partial<ExcelJS.Style> = { font: { ...FONT, bold: true }, alignment: { vertical: 'top' } };
const S_PLAIN: Partial<ExcelJS.Style> = { font: FONT, alignment: { vertical: 'top', wrapText: true } };
const S_NUM: Partial<ExcelJS.Style> = { font: FONT, border: BORDER, alignment: { vertical: 'top' } };
const S_TOTAL: Partial<ExcelJS.Style> = { font: { ...FONT, bold: true }, border: BORDER, fill: fill('FFF2F2F2') };

function issueCellStyle(col: ColumnDef, i: number, sev: Severity): Partial<ExcelJS.Style> {
  if (i + 1 === ISSUE_COL.severity) return S_SEVERITY[sev];
  if (i + 1 === ISSUE_COL.corrected) return S_CLERK_TEXT;
  if (i + 1 === ISSUE_COL.verifiedOn) return S_CLERK_DATE;
  if (col.clerk) return S_CLERK;
  if (col.header === '证件号码' || col.header === '户编号' || col.header === FINGERPRINT_HEADER) return S_TEXT;
  return col.wrap ? S_WRAP : S_CELL;
}

// ---------------------------------------------------------------------------------------------
// Splitting findings into workbooks

const COLLATOR = new Intl.Collator('zh-CN', { numeric: true });
const cmp = (a: string, b: string) => (a === b ? 0 : a === '' ? 1 : b === '' ? -1 : COLLATOR.compare(a, b));

/** The findings and villages of one workbook. */
export interface Bucket {
  key: string;
  county: string;
  township: string;
  village: string; // '' for township workbooks
  /** the village part is part of the key (village split) */
  byVillage: boolean;
  findings: ResolvedFinding[];
  villages: VillageSummary[];
  /** 未注明乡镇 only: why its findings are there, with counts */
  unroutedReasons?: Map<string, number>;
}

function bucketKey(county: string, township: string, village: string, split: SplitBy): string {
  if (!township) return '\u0000none';
  return split === 'village' ? [county, township, village].join('\u001f') : [county, township].join('\u001f');
}

function bucketsOf(input: WorkbookInput, split: SplitBy): Bucket[] {
  const map = new Map<string, Bucket>();
  const get = (county: string, township: string, village: string): Bucket => {
    const key = bucketKey(county, township, village, split);
    let b = map.get(key);
    if (!b) {
      const none = key === '\u0000none';
      b = {
        key,
        county: none ? '' : county,
        township: none ? '' : township,
        village: none || split === 'township' ? '' : village,
        byVillage: !none && split === 'village',
        findings: [],
        villages: [],
      };
      map.set(key, b);
    }
    return b;
  };
  for (const v of input.villages) get(v.county ?? '', v.township ?? '', v.village ?? '').villages.push(v);
  for (const f of input.findings) {
    // its own township (if any) and every township it concerns (routing.ts), each workbook once
    const r = regionOf(f);
    const targets = new Set<Bucket>();
    if (r.township && !input.routedOnly?.has(f)) targets.add(get(r.county, r.township, r.village));
    for (const x of f.routes ?? []) if (x.township) targets.add(get(x.county ?? '', x.township, x.village ?? ''));
    if (targets.size === 0) {
      const none = get('', '', '');
      const why = f.unrouted ?? '记录没有填写乡镇';
      (none.unroutedReasons ??= new Map()).set(why, (none.unroutedReasons.get(why) ?? 0) + 1);
      targets.add(none);
    }
    for (const b of targets) b.findings.push(f);
  }
  const out = [...map.values()].filter((b) => b.findings.length > 0 || b.villages.some((v) => v.households > 0));
  out.sort((a, b) => cmp(a.county, b.county) || cmp(a.township, b.township) || cmp(a.village, b.village));
  return out;
}

function fileNameOf(b: Bucket): string {
  if (!b.township) return '整改台账_未注明乡镇';
  const parts = ['整改台账'];
  if (b.county) parts.push(safeNamePart(b.county));
  parts.push(safeNamePart(b.township));
  if (b.byVillage) parts.push(b.village ? safeNamePart(b.village) : '未注明村');
  return parts.join('_');
}

function scopeLabel(b: Bucket): string {
  if (!b.township) return '未注明乡镇的问题（无法确定所属乡镇的记录）';
  return b.county + b.township + (b.byVillage ? b.village || '（未注明村）' : '');
}

/** Stable order inside a workbook: village, then household, then the engine's order. */
function sortFindings(fs: ResolvedFinding[]): ResolvedFinding[] {
  return fs
    .map((f, i) => ({ f, i, v: regionOf(f).village, h: f.householdNo ?? '' }))
    .sort((a, b) => cmp(a.v, b.v) || cmp(a.h, b.h) || a.i - b.i)
    .map((x) => x.f);
}

// ---------------------------------------------------------------------------------------------

/**
 * Write the 整改台账 workbooks into outDir; returns the paths written (sorted by region).
 * Findings without a township go to 整改台账_未注明乡镇.xlsx.
 */
/**
 * Writes one workbook per township (or village) into `outDir`; returns their final paths. With an
 * OutputSet each is written under a temporary name and renamed into place by the set's commit().
 * `divert`: a bucket for which it returns true is the caller's to write (the nightly combines a
 * township's buckets of several inbox units into one workbook) and is not written here.
 */
export async function writeCorrectionWorkbooks(
  input: WorkbookInput,
  outDir: string,
  split: SplitBy,
  outputs?: OutputSet,
  opts: {
    threads?: number;
    /** a bucket the caller takes over (not written here) */
    divert?: (b: Bucket) => boolean;
    /** told each workbook's path and bucket (which county and township it is for) */
    named?: (path: string, b: Bucket) => void;
  } = {},
): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const used = new Set<string>();
  const named: { path: string; b: Bucket }[] = [];
  for (const b of bucketsOf(input, split)) {
    if (opts.divert?.(b)) continue;
    let name = fileNameOf(b);
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${fileNameOf(b)}_${n}`;
    used.add(name.toLowerCase());
    named.push({ path: join(outDir, name + '.xlsx'), b });
    opts.named?.(join(outDir, name + '.xlsx'), b);
  }
  // many findings over several workbooks: written in worker threads, both cores at once
  const threads = Math.min(opts.threads ?? 1, named.length);
  const script = threads > 1 ? workbookWorkerScript() : undefined;
  const pool = script ? new WorkbookPool(script) : undefined;
  try {
    const write = (tmp: string, b: Bucket) => (pool ? pool.write(tmp, b, input) : writeBucketWorkbook(tmp, b, input));
    const limit = pLimit(pool ? threads : 1);
    await Promise.all(named.map(({ path, b }) => limit(() => (outputs ? outputs.file(path, (tmp) => write(tmp, b)) : write(path, b)))));
  } finally {
    await pool?.close();
  }
  return named.map((n) => n.path);
}

function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) + '（北京时间）';
}

export function newWorkbookWriter(path: string, createdIso?: string): ExcelJS.stream.xlsx.WorkbookWriter {
  // Inline strings, not a shared-string table: the table would hold every distinct text of the
  // workbook in memory until the end (measured: 100,000 findings peak at ~500 MiB RSS with it,
  // ~230 MiB without, most of which is the findings themselves). Inline strings are still
  // strings: `=1+1` stays text in Excel, WPS and LibreOffice.
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  wb.creator = 'qingxi';
  const d = createdIso ? new Date(createdIso) : new Date();
  if (!Number.isNaN(d.getTime())) {
    wb.created = d;
    wb.modified = d;
  }
  return wb;
}

const LANDSCAPE_A4: Partial<ExcelJS.PageSetup> = {
  paperSize: 9,
  orientation: 'landscape',
  fitToPage: true,
  fitToWidth: 1,
  fitToHeight: 0,
  horizontalCentered: true,
  margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
};

/** One workbook: its bucket's findings, the run's facts (`input.findings` is not read). */
export async function writeBucketWorkbook(path: string, b: Bucket, input: Omit<WorkbookInput, 'findings'>): Promise<void> {
  const findings = sortFindings(b.findings);
  const wb = newWorkbookWriter(path, input.checkedAt);
  writeReadme(wb, b, input, findings);
  writeSummary(wb, b, findings);
  await writeIssues(wb, findings, input.headOf, scopeLabel(b));
  await writePrintableIssues(wb, findings, input.headOf, scopeLabel(b));
  await writeRuleSheet(wb, input, findings, scopeLabel(b));
  await wb.commit();
}

// ---------------------------------------------------------------------------------------------
// 说明

// Four columns: the label column, then the rule table's 规则名称 · 含义 · 本台账问题数; the text of
// the top part spans columns 2–4. One line per rule (its first sentence), so the sheet prints on
// at most two A4 pages (fitted to two pages at most as a safety net); the full explanations are on
// the 规则说明 sheet. Widths add up to the printable width (print-layout.ts).
const README_WIDTHS = [12, 24, 66, 10];
const README_TABLE_ROW = 16;
const README_MERGED_WIDTH = README_WIDTHS.slice(1).reduce((a, b) => a + b, 0);
export const SHEET_RULES = '规则说明';

/** The first sentence of a rule's explanation, cut to one line of the 说明 table. */
function gist(explain: string, width: number): string {
  const first = explain.split('。')[0] ?? explain;
  const max = Math.floor(width - 2);
  let units = 0;
  let out = '';
  for (const ch of first) {
    units += textUnits(ch);
    if (units > max - 2) return out + '…';
    out += ch;
  }
  return out + (first.length < explain.length ? '。' : '');
}

/** Files listed in full on 说明; a larger run lists only the files this workbook's problems are in. */
const SOURCES_LISTED = 30;

/**
 * 来源文件 on 说明: every file checked, as a township's few exports. A province run checks hundreds
 * of files (800 for 100 counties), which would fill pages of every township's printout with other
 * counties' file names: then only the files of this workbook's findings, with the run's count.
 */
export function sourcesText(sources: readonly string[], findings: readonly Pick<ResolvedFinding, 'at'>[]): string {
  if (sources.length === 0) return '（无）';
  if (sources.length <= SOURCES_LISTED) return sources.join('\n');
  const own = new Set<string>();
  for (const f of findings) if (f.at?.file) own.add(f.at.file);
  const listed = sources.filter((s) => own.has(s));
  const head = `本次共检查 ${sources.length} 个文件，这里只列出本台账问题所在的 ${listed.length} 个：`;
  return [head, ...listed].join('\n');
}

function writeReadme(wb: ExcelJS.stream.xlsx.WorkbookWriter, b: Bucket, input: Omit<WorkbookInput, 'findings'>, findings: ResolvedFinding[]): void {
  const counts = { error: 0, suspect: 0, info: 0 } as Record<Severity, number>;
  const perRule = new Map<string, number>();
  for (const f of findings) {
    counts[f.severity]++;
    perRule.set(f.rule, (perRule.get(f.rule) ?? 0) + 1);
  }
  const rules = rulesOf(input, perRule);
  // the rule table's header row (fixed, so the print titles can name it before the rows are written)
  const ws = wb.addWorksheet(SHEET_README, {
    views: [{ showGridLines: false }],
    pageSetup: { ...LANDSCAPE_A4, fitToWidth: 1, fitToHeight: 2, printTitlesRow: `${README_TABLE_ROW}:${README_TABLE_ROW}` },
  });
  ws.columns = README_WIDTHS.map((width) => ({ width }));
  let r = 0;
  const line = (label: string, text: string, style: Partial<ExcelJS.Style> = S_PLAIN) => {
    r++;
    const row = ws.getRow(r);
    row.getCell(1).value = textCell(label);
    row.getCell(1).style = S_LABEL;
    row.getCell(2).value = textCell(text);
    row.getCell(2).style = style;
    ws.mergeCells(r, 2, r, README_WIDTHS.length);
    const h = rowHeightFor(wrappedLines(text, README_MERGED_WIDTH), FONT_SIZE);
    if (h) row.height = h;
    row.commit();
  };

  r++;
  const title = ws.getRow(r);
  title.getCell(1).value = textCell(`整改台账（${scopeLabel(b)}）`);
  title.getCell(1).style = S_TITLE;
  title.height = 22;
  title.commit();
  line(AS_OF_LABEL, input.asOf); // read back by verify: keep it a label cell + a YYYY-MM-DD text cell
  line('检查时间', formatTime(input.checkedAt));
  line('来源文件', sourcesText(input.sources, findings));
  line('问题数', `共 ${findings.length} 条：错误 ${counts.error} 条，疑似 ${counts.suspect} 条，提示 ${counts.info} 条。`);
  if (!b.township) {
    line('为什么在这里', '这些问题的记录没有填写乡镇，也无法从结对的户、项目所在村或受益户推断出乡镇（如帮扶责任人没有结对任何户、文件无法读取、项目没有填写建设地点且没有受益户），所以没有分到任何乡镇的台账。请数据主管人员处理，或补填乡镇后重新检查。');
  }
  if (b.unroutedReasons?.size) {
    line('各类原因', [...b.unroutedReasons.entries()].map(([why, n]) => `${why}：${n} 条`).join('\n'));
  }
  line('填写方法', [
    '1. 打印“打印清单”（A4 横向，每页重复表头），逐条到户或对照原始档案核实，在纸上勾选核实结果；也可直接在“问题清单”中筛选核实。',
    '2. 在“问题清单”的“核实结果”列下拉框中选择：已修正 / 数据无误 / 无法核实；“来源”列是问题所在的文件、工作表和行，“相关位置”列是同一问题涉及的其他记录。',
    '3. 已在业务系统中改正的，在“修正后值”写改正后的内容；填写“核实人”和“核实日期”（如 2020-05-01）。',
    '4. 选“数据无误”的，必须在“备注”中写明依据（如“经入户核实，户主确为女性”），否则核查时仍算待核实。',
    '5. 灰色表头各列是检查结果，已锁定防止误改；绿色各列由核实人填写。工作表保护没有密码，确需修改可在“审阅”中撤销保护。',
    '6. 不要删除或修改最右侧的隐藏列“指纹”，核查时靠它对应到每一条问题。可以筛选、隐藏行；需要排序时先撤销工作表保护，排序、删行都不影响核查。',
    '7. 改完业务系统后重新导出数据，连同填好的本台账一起做检验核查（qingxi verify），按本台账的数据截止日期逐条判定是否整改到位。',
  ].join('\n'));
  line('核实结果', `${RESULT_FIXED}：已在业务系统中改正，核查时问题消失为“已整改”，仍在为“未整改”。${RESULT_CORRECT}：经核实原数据是对的，必须在“备注”写明依据，核查时记为“已说明”，以后只作提示；没有备注的算“待核实”。${RESULT_UNVERIFIABLE}：暂时无法核实（如户不在家、档案缺失），问题仍在的记为“待核实”。`);
  line('核查结论', '已整改：新数据中问题已消失；未整改：填了“已修正”但问题仍在；已说明：填了“数据无误”并写了备注；待核实：其余仍存在的问题。');
  line('严重程度', '错误（红色）：必须改正；疑似（黄色）：需要到户核实，可能是错误；提示（蓝色）：供参考，一般不需要改。');
  line('得分', SCORE_FORMULA_ZH);
  line('规则', `下表列出本台账中出现的 ${rules.length} 条规则（共 ${input.rules.length} 条），每条规则的详细说明和改正方法见“${SHEET_RULES}”工作表。`);
  while (r < README_TABLE_ROW - 1) {
    r++;
    ws.getRow(r).commit();
  }
  r++;
  const head = ws.getRow(r);
  ['规则编号', '规则名称', '含义（详见规则说明）', '本台账问题数'].forEach((h, i) => {
    head.getCell(i + 1).value = textCell(h);
    head.getCell(i + 1).style = S_HEADER;
  });
  head.commit();
  for (const rule of rules) {
    r++;
    const row = ws.getRow(r);
    const vals: (string | number)[] = [`${rule.id}（${SEVERITY_ZH[rule.severity as Severity] ?? rule.severity}）`, rule.title, gist(rule.explain, README_WIDTHS[2]!), perRule.get(rule.id) ?? 0];
    vals.forEach((v, i) => {
      row.getCell(i + 1).value = typeof v === 'string' ? textCell(v) : v;
      row.getCell(i + 1).style = S_CELL;
    });
    row.commit();
  }
  ws.commit();
}

/** Only the rules this 台账 has findings of (the whole catalogue ran to five printed pages). */
function rulesOf(input: Omit<WorkbookInput, 'findings'>, perRule: Map<string, number>): RuleLegend[] {
  return input.rules.filter((r) => (perRule.get(r.id) ?? 0) > 0);
}

/** 规则说明: the full explanation of every rule of this 台账, header repeated on every printed page. */
async function writeRuleSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, input: Omit<WorkbookInput, 'findings'>, findings: ResolvedFinding[], scope: string): Promise<void> {
  const perRule = new Map<string, number>();
  for (const f of findings) perRule.set(f.rule, (perRule.get(f.rule) ?? 0) + 1);
  await writePrintSheet(
    wb,
    SHEET_RULES,
    [
      { header: '规则编号', width: 10 },
      { header: '规则名称', width: 18 },
      { header: '问题类别 / 默认严重程度', width: 12 },
      { header: '说明和改正方法', width: 72 },
    ],
    rulesOf(input, perRule).map((rule) => ({
      cells: [rule.id, rule.title, `${FAMILY_ZH[rule.family as Family] ?? rule.family}\n${SEVERITY_ZH[rule.severity as Severity] ?? rule.severity}`, rule.explain],
    })),
    { title: '规则说明 ' + scope },
  );
}

// ---------------------------------------------------------------------------------------------
// 汇总

const FAMILIES = Object.keys(FAMILY_ZH) as Family[];

export const SUMMARY_HEADERS = [
  '县',
  '乡镇',
  '村',
  '户数',
  '人数',
  '有错误的户数',
  '问题总数',
  '错误',
  '疑似',
  '提示',
  ...FAMILIES.map((f) => FAMILY_ZH[f]),
  '得分',
];

function writeSummary(wb: ExcelJS.stream.xlsx.WorkbookWriter, b: Bucket, findings: ResolvedFinding[]): void {
  const ws = wb.addWorksheet(SHEET_SUMMARY, {
    views: [{ state: 'frozen', ySplit: 1, xSplit: 0, topLeftCell: 'A2', activeCell: 'A2' }],
    pageSetup: { ...LANDSCAPE_A4, printTitlesRow: '1:1' },
  });
  // narrow number columns and wrapped headers: the table fits A4 landscape at 100 % (print-layout.ts)
  ws.columns = SUMMARY_HEADERS.map((_h, i) => ({ width: i === 2 ? 10 : i < 2 ? 8 : 5.5 }));
  const head = ws.getRow(1);
  SUMMARY_HEADERS.forEach((h, i) => {
    head.getCell(i + 1).value = textCell(h);
    head.getCell(i + 1).style = S_HEADER;
  });
  head.height = rowHeightFor(Math.max(...SUMMARY_HEADERS.map((h, i) => wrappedLines(h, i === 2 ? 10 : i < 2 ? 8 : 5.5))), FONT_SIZE) ?? 28;
  head.commit();

  const villages = [...b.villages].sort((x, y) => cmp(x.village ?? '', y.village ?? ''));
  type Line = (string | number)[];
  const lines: Line[] = villages.map((v) => [
    v.county ?? '',
    v.township ?? '',
    v.village ?? '（未注明村）',
    v.households,
    v.people,
    v.householdsWithErrors,
    v.errors + v.suspects + v.infos,
    v.errors,
    v.suspects,
    v.infos,
    ...FAMILIES.map((f) => v.byFamily[f] ?? 0),
    v.score,
  ]);
  // findings in this workbook not tied to any village of the list (helpers, projects without a village)
  const known = new Set(villages.map((v) => v.village ?? ''));
  const loose = findings.filter((f) => !regionOf(f).village && !known.has(''));
  if (loose.length > 0) {
    const sev = { error: 0, suspect: 0, info: 0 } as Record<Severity, number>;
    const fam: Record<string, number> = {};
    for (const f of loose) {
      sev[f.severity]++;
      fam[f.family] = (fam[f.family] ?? 0) + 1;
    }
    lines.push([b.county, b.township, '（未关联到村）', '', '', '', loose.length, sev.error, sev.suspect, sev.info, ...FAMILIES.map((f) => fam[f] ?? 0), '']);
  }
  for (const l of lines) {
    const row = ws.addRow(l.map((x) => (typeof x === 'string' ? textCell(x) : x)));
    row.eachCell({ includeEmpty: true }, (c) => (c.style = S_NUM));
    row.commit();
  }
  // 合计: sums, and the score over every household of the workbook
  const households = villages.reduce((s, v) => s + v.households, 0);
  const defects = new Map<string, HouseholdDefects>();
  for (const f of findings) {
    if (!f.householdNo || f.severity === 'info') continue;
    const d = defects.get(f.householdNo) ?? { errors: 0, suspects: 0 };
    if (f.severity === 'error') d.errors++;
    else d.suspects++;
    defects.set(f.householdNo, d);
  }
  const total: Line = ['合计', '', '', households];
  for (let c = 4; c < SUMMARY_HEADERS.length - 1; c++) total.push(lines.reduce((s, l) => s + (typeof l[c] === 'number' ? (l[c] as number) : 0), 0));
  total.push(households > 0 ? villageScore(households, defects.values()) : '');
  const row = ws.addRow(total.map((x) => (typeof x === 'string' ? textCell(x) : x)));
  row.eachCell({ includeEmpty: true }, (c) => (c.style = S_TOTAL));
  row.commit();
  // the filter covers the village rows, not the 合计 row
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1 + lines.length, column: SUMMARY_HEADERS.length } };
  ws.commit();
}

// ---------------------------------------------------------------------------------------------
// 问题清单

const VALIDATION: ExcelJS.DataValidation = {
  type: 'list',
  allowBlank: true,
  formulae: [`"${RESULT_VALUES.join(',')}"`],
  showErrorMessage: true,
  errorStyle: 'stop',
  errorTitle: '核实结果',
  error: '请从下拉框选择：已修正、数据无误或无法核实。',
  showInputMessage: true,
  promptTitle: '核实结果',
  prompt: '已修正 / 数据无误（须在备注写依据）/ 无法核实',
};

export const PROTECTION_OPTIONS: Partial<ExcelJS.WorksheetProtection> = {
  selectLockedCells: true,
  selectUnlockedCells: true,
  formatCells: true,
  formatColumns: true,
  formatRows: true,
  insertRows: false,
  insertColumns: false,
  deleteRows: false,
  deleteColumns: false,
  sort: true,
  autoFilter: true,
};

function startIssueSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, scope: string): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'P2' }],
    // every column on screen; printed at 100 % so the text stays readable, several pages across
    // (the A4 form a clerk takes to the household is the 打印清单 sheet)
    pageSetup: { ...LANDSCAPE_A4, fitToPage: false, scale: 100, pageOrder: 'overThenDown', printTitlesRow: '1:1' },
    headerFooter: { oddHeader: `&L${cellText('整改台账 ' + scope).replace(/&/g, '&&')}&R第 &P 页，共 &N 页`, oddFooter: '' },
  });
  ws.columns = ISSUE_COLUMNS.map((c) => ({ width: c.width, hidden: c.hidden ?? false }));
  const head = ws.getRow(1);
  ISSUE_COLUMNS.forEach((c, i) => {
    head.getCell(i + 1).value = textCell(c.header);
    head.getCell(i + 1).style = c.clerk ? S_HEADER_CLERK : S_HEADER;
  });
  head.height = 22;
  head.commit();
  return ws;
}

async function finishIssueSheet(ws: ExcelJS.Worksheet, rows: number): Promise<void> {
  const last = rows + 1;
  ws.autoFilter = `A1:${colLetter(ISSUE_COLUMNS.length)}${last}`;
  if (rows > 0) {
    const c = colLetter(ISSUE_COL.result);
    // the streaming worksheet keeps validations by address; one range covers every data row
    (ws as unknown as { dataValidations: { add(a: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(`${c}2:${c}${last}`, VALIDATION);
  }
  await ws.protect('', PROTECTION_OPTIONS);
  ws.commit();
}

const YIELD_EVERY = 16;

/** One turn of the event loop (I/O callbacks included). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function writeIssues(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  findings: ResolvedFinding[],
  headOf: WorkbookInput['headOf'],
  scope: string,
): Promise<void> {
  let sheetNo = 1;
  let ws = startIssueSheet(wb, SHEET_ISSUES, scope);
  let rows = 0;
  let seq = 0;
  const heads = new Map<string, string>();
  const headFor = (no: string | undefined): string => {
    if (!no || !headOf) return '';
    let h = heads.get(no);
    if (h === undefined) {
      h = headOf(no) ?? '';
      if (heads.size > 50_000) heads.clear();
      heads.set(no, h);
    }
    return h;
  };
  let writer = new RowXmlWriter(ws);
  for (const f of findings) {
    if (rows >= MAX_ISSUE_ROWS) {
      await finishIssueSheet(ws, rows);
      ws = startIssueSheet(wb, `${SHEET_ISSUES}${++sheetNo}`, scope);
      writer = new RowXmlWriter(ws);
      rows = 0;
    }
    seq++;
    const values: (string | number | null)[] = [seq, ...findingCells(f, cellText(headFor(f.householdNo))), null, null, null, null, null, f.fingerprint];
    let lines = 1;
    const cells: XmlCell[] = [];
    for (let i = 0; i < ISSUE_COLUMNS.length; i++) {
      const c = ISSUE_COLUMNS[i]!;
      const v = values[i] ?? null;
      cells.push({ value: typeof v === 'string' ? textCell(v) : v, style: issueCellStyle(c, i, f.severity) });
      if (c.wrap && typeof v === 'string') lines = Math.max(lines, wrappedLines(v, c.width));
    }
    writer.write(cells, rowHeightFor(lines, FONT_SIZE));
    rows++;
    // let the zip stream take what was committed: exceljs's sheet stream buffers everything until
    // the archiver pipes it, which only happens when the event loop turns
    if (rows % YIELD_EVERY === 0) await yieldToEventLoop();
  }
  await finishIssueSheet(ws, rows);
}

// ---------------------------------------------------------------------------------------------
// 打印清单: the same rows as 问题清单, in the same order and with the same 序号, laid out for A4
// (see print-layout.ts). The clerk ticks 核实结果 on paper and types it into 问题清单 afterwards;
// verify reads only 问题清单 (this sheet has no 规则 column, so the reader never takes it for one).

// widths add up to PRINT_WIDTH_BUDGET; the ID columns hold 18 digits on one line in LibreOffice and Excel
export const PRINT_ISSUE_COLUMNS: readonly PrintColumn[] = [
  { header: '序号', width: 4, center: true },
  { header: '村 / 户编号 / 户主', width: 15 },
  { header: '姓名 / 证件号码', width: 18 },
  { header: '问题', width: 25 },
  // "→ " and an 18-digit ID on one line
  { header: '当前值 → 参考值', width: 20 },
  { header: '来源 / 相关位置', width: 12 },
  { header: '核实结果', width: 8 },
  { header: '修正后值 / 备注', width: 10 },
];

const TICK_BOXES = `□${RESULT_FIXED}\n□${RESULT_CORRECT}\n□${RESULT_UNVERIFIABLE}`;

/** The stacked cells of one finding on paper (序号 first, the clerk's cells empty). */
export function printFindingCells(seq: number | string, f: ResolvedFinding, head: string): (string | number | TaggedText)[] {
  const r = regionOf(f);
  const value = f.value === undefined ? '' : displayValue(f.value);
  const expected = f.expected === undefined ? '' : displayValue(f.expected);
  const related = relatedText(f);
  return [
    seq,
    [r.village, f.householdNo, head ? `户主 ${head}` : ''].filter(Boolean).join('\n'),
    [f.name, personIdOf(f)].filter(Boolean).join('\n'),
    {
      tag: `【${SEVERITY_ZH[f.severity] ?? f.severity}】`,
      tagColor: SEVERITY_FONT[f.severity],
      text: `${ruleCellText(f)}${f.field ? `（${fieldCellText(f)}）` : ''}\n${f.message}`,
    },
    [value, expected ? `→ ${expected}` : ''].filter(Boolean).join('\n'),
    [sourceText(f), related ? `相关：${related}` : ''].filter(Boolean).join('\n'),
  ].map((c) => (typeof c === 'string' ? cellText(c) : c));
}

async function writePrintableIssues(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  findings: ResolvedFinding[],
  headOf: WorkbookInput['headOf'],
  scope: string,
): Promise<void> {
  await writePrintSheet(
    wb,
    SHEET_PRINT,
    PRINT_ISSUE_COLUMNS,
    (function* (): Generator<PrintRow> {
      let seq = 0;
      for (const f of findings) {
        seq++;
        if (seq > MAX_ISSUE_ROWS) return; // paper for a million rows is not a thing; 问题清单 has them all
        yield { cells: [...printFindingCells(seq, f, headOf?.(f.householdNo ?? '') ?? ''), TICK_BOXES, ''] };
      }
    })(),
    { title: '整改台账 ' + scope, footer: '核实人：______________    核实日期：______________    审核人：______________', onYield: yieldToEventLoop },
  );
}
