// Read filled 整改台账 workbooks back (streaming, so a large workbook is read row by row). Sheets
// are found by their header row, not by name or position: a 问题清单 is any sheet whose header
// holds 规则 and 核实结果 (continuation sheets 问题清单2 … included), a 汇总 is a sheet whose header
// holds 村, 户数 and 得分. Columns are found by header text, so re-ordered or re-saved workbooks
// (LibreOffice, WPS, Excel) read the same; rows may be re-sorted, filtered, hidden or deleted.
import { basename } from 'node:path';
import { stat } from 'node:fs/promises';
import { UsageError } from '../core/errors.js';
import { ZipFile } from '../ingest/zip.js';
import { unreadableReason } from '../ingest/unreadable-reason.js';
import { meteredParts, readStructure, readXlsxSheets, type SourceSheet } from '../ingest/xlsx.js';
import { LeanUnsupported, readXlsxSheetsLean } from '../ingest/xlsx-lean.js';
import { checkZipParts, Deadline, DEFAULT_LIMITS, guardRows, LimitError, PartMeter, type Limits } from '../ingest/limits.js';
import { normalizeText } from '../normalize/text.js';
import { AS_OF_LABEL, FINGERPRINT_HEADER, MAX_ISSUE_ROWS, RELATED_HEADER, SOURCE_HEADER } from '../outputs/workbook.js';
import { normalizeResult, ruleIdOf, type BeforeVillage, type CorrectionRow } from '../outputs/verify.js';
import { readCellText } from '../outputs/xlsx-text.js';
import { ISO_DATE_TEXT } from '../core/as-of.js';

/** A 台账 that cannot be read back (Chinese message): bad input, exit 2. */
export class CorrectionsFileError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'CorrectionsFileError';
  }
}

export interface CorrectionsFile {
  file: string;
  rows: CorrectionRow[];
  before: BeforeVillage[];
  /** the 指纹 column was present */
  hasFingerprint: boolean;
  /** 序号 values missing between 1 and the largest one (rows deleted from the workbook) */
  missingSeq: number[];
  /** 核实结果 cells holding something other than the three values */
  unrecognisedResults: number;
  /** the 数据截止日期 (as-of, YYYY-MM-DD) the check wrote into the 说明 sheet */
  asOf?: string;
}

const HEADER_SCAN_ROWS = 10;
/** Rows of a 问题清单 sheet besides its findings (header, notes a clerk adds below). */
const ISSUE_SHEET_EXTRA_ROWS = 1000;

function headerName(v: unknown): string {
  return normalizeText(readCellText(v)).replace(/\s+/g, '');
}

type Kind = 'issues' | 'summary';

function classifyHeader(names: string[]): Kind | undefined {
  const has = (h: string) => names.includes(h);
  if (has('规则') && has('核实结果')) return 'issues';
  if (has('村') && has('户数') && has('得分')) return 'summary';
  return undefined;
}

function num(s: string): number | undefined {
  if (s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Read one filled 整改台账. Throws CorrectionsFileError (Chinese) when it is not usable, or when it
 * breaks one of the `limits` a check's input is held to (a clerk uploads it: a zip bomb or one
 * huge cell must not exhaust the machine).
 */
export async function readCorrections(path: string, limits: Limits = DEFAULT_LIMITS): Promise<CorrectionsFile> {
  const display = basename(path);
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new CorrectionsFileError(`整改台账“${path}”不是文件。`);
    size = st.size;
  } catch (e) {
    if (e instanceof CorrectionsFileError) throw e;
    throw new CorrectionsFileError(`找不到整改台账文件：${path}`);
  }
  if (!/\.xlsx$/i.test(path) && !/\.xlsm$/i.test(path)) {
    throw new CorrectionsFileError(`整改台账“${display}”不是 .xlsx 文件；如果是用 WPS 或 Excel 另存的 .xls/.et，请另存为 .xlsx 后再核查。`);
  }
  let zip: ZipFile | undefined;
  let read: BookRead;
  try {
    if (size > limits.bytesPerFile) throw new LimitError('bytesPerFile', limits.bytesPerFile, '', size);
    // through the ingest's zip reader: parts fed in workbook order (exceljs's own streaming reader
    // loses workbook.xml when a re-saving program stores it after the sheets, as exceljs itself does)
    zip = await ZipFile.open(path, size);
    const structure = await readStructure(zip);
    const deadline = new Deadline(limits.secondsPerFile);
    // a 问题清单 sheet holds as many rows as the check writes into one (MAX_ISSUE_ROWS), whatever
    // a sheet of an export may hold
    const rowLimits: Limits = { ...limits, rowsPerSheet: Math.max(limits.rowsPerSheet, MAX_ISSUE_ROWS + ISSUE_SHEET_EXTRA_ROWS) };
    const guarded = (sheets: AsyncIterable<SourceSheet>) => withRowLimits(sheets, rowLimits, deadline);
    try {
      // the lean reader, as a check reads exports, each part metered as it inflates (a 100,000-row
      // 台账 in half exceljs's time)
      const meter = new PartMeter(zip, limits, deadline);
      read = await readBook(guarded(readXlsxSheetsLean(zip, structure, { meter, maxColumns: limits.columnsPerRow })), display);
    } catch (e) {
      if (!(e instanceof LeanUnsupported)) throw e;
      // XML the lean reader does not read (a DOCTYPE or other declaration): the whole workbook
      // again with exceljs, which reads only parts checked whole first (as a check's fallback does)
      const checked = await checkZipParts(zip, meteredParts(structure), limits, deadline);
      read = await readBook(guarded(readXlsxSheets(zip, structure, limits.columnsPerRow, checked)), display);
    }
  } catch (e) {
    if (e instanceof CorrectionsFileError) throw e;
    if (e instanceof LimitError) throw new CorrectionsFileError(`无法读取整改台账“${display}”：${e.message}${e.advice}`);
    // the reason in Chinese: a library's own wording (exceljs's XML parser: "unexpected close tag") never reaches the clerk
    throw new CorrectionsFileError(`无法读取整改台账“${display}”：${unreadableReason(e)}。文件可能已损坏、加密或不是 Excel 工作簿，请用 Excel 或 WPS 打开后另存为 .xlsx 再核查。`);
  } finally {
    await zip?.close().catch(() => undefined);
  }
  const { out, issueSheets, seqs } = read;
  if (issueSheets === 0) {
    throw new CorrectionsFileError(`“${display}”不是整改台账：没有找到含“规则”和“核实结果”列的问题清单工作表。`);
  }
  out.missingSeq = missingSeq(seqs);
  return out;
}

/** Each sheet's rows counted and timed as a check's are (rows per sheet, columns, the file's deadline). */
async function* withRowLimits(sheets: AsyncIterable<SourceSheet>, limits: Limits, deadline: Deadline): AsyncGenerator<SourceSheet> {
  for await (const sheet of sheets) yield { ...sheet, batches: guardRows(sheet.batches, limits, deadline, sheet.name) };
}

interface BookRead {
  out: CorrectionsFile;
  /** 问题清单 sheets found */
  issueSheets: number;
  /** the 序号 of the rows read */
  seqs: number[];
}

/** A 台账's sheets, each found by its header row, read into a CorrectionsFile. */
async function readBook(sheets: AsyncIterable<SourceSheet>, display: string): Promise<BookRead> {
  const out: CorrectionsFile = { file: display, rows: [], before: [], hasFingerprint: false, missingSeq: [], unrecognisedResults: 0 };
  let issueSheets = 0;
  const seqs: number[] = [];
  let sheetNo = 0;
  for await (const ws of sheets) {
    sheetNo++;
    const sheetName = ws.name ?? `第${sheetNo}张工作表`;
    let kind: Kind | undefined;
    let cols: Map<string, number> | undefined;
    for await (const batch of ws.batches) {
      for (const src of batch) {
        // 1-based like the sheet's columns
        const values: unknown[] = [undefined, ...src.cells];
        const row = { number: src.row };
        if (!cols) {
          if (row.number > HEADER_SCAN_ROWS) continue; // not a sheet of ours: drain it (the reader is sequential)
          // the 说明 sheet: a label row 数据截止日期 | YYYY-MM-DD (written by the check, read back by verify)
          if (headerName(values[1]) === AS_OF_LABEL && !out.asOf) {
            const d = readCellText(values[2]);
            if (ISO_DATE_TEXT.test(d)) out.asOf = d;
          }
          const names: string[] = [];
          const map = new Map<string, number>();
          for (let c = 1; c < values.length; c++) {
            const h = headerName(values[c]);
            names.push(h);
            if (h && !map.has(h)) map.set(h, c);
          }
          kind = classifyHeader(names);
          if (kind) {
            cols = map;
            if (kind === 'issues') {
              issueSheets++;
              if (map.has(FINGERPRINT_HEADER)) out.hasFingerprint = true;
            }
          }
          continue;
        }
        const cell = (h: string): string => {
          const c = cols!.get(h);
          return c === undefined ? '' : readCellText(values[c]);
        };
        if (kind === 'summary') {
          const village = cell('村');
          const county = cell('县');
          if (!village || county === '合计' || village.startsWith('（')) continue;
          out.before.push({ file: display, county, township: cell('乡镇'), village, households: num(cell('户数')), score: num(cell('得分')) });
          continue;
        }
        const r = correctionRow(cell, { file: display, sheet: sheetName, row: row.number });
        if (!r) continue; // blank or note rows
        if (r.rawResult !== undefined) out.unrecognisedResults++;
        if (r.seq !== undefined && Number.isInteger(r.seq) && r.seq > 0) seqs.push(r.seq);
        out.rows.push(r);
      }
    }
  }
  return { out, issueSheets, seqs };
}

/** One 问题清单 row by its header names; undefined for a blank or note row (no rule, no fingerprint). */
function correctionRow(cell: (header: string) => string, at: { file: string; sheet: string; row: number }): CorrectionRow | undefined {
  const ruleText = cell('规则');
  const fingerprint = cell(FINGERPRINT_HEADER).toLowerCase();
  if (!ruleText && !fingerprint) return undefined;
  const { result, raw } = normalizeResult(cell('核实结果'));
  return {
    ...at,
    seq: num(cell('序号')),
    fingerprint: /^[0-9a-f]{8,64}$/.test(fingerprint) ? fingerprint : undefined,
    rule: ruleIdOf(ruleText),
    ruleText,
    county: cell('县'),
    township: cell('乡镇'),
    village: cell('村'),
    householdNo: cell('户编号'),
    head: cell('户主'),
    name: cell('姓名'),
    idNumber: cell('证件号码'),
    field: cell('字段'),
    message: cell('问题描述'),
    value: cell('当前值'),
    expected: cell('参考值'),
    severity: cell('严重程度'),
    source: cell(SOURCE_HEADER) || undefined,
    related: cell(RELATED_HEADER) || undefined,
    result,
    rawResult: raw,
    corrected: cell('修正后值'),
    verifier: cell('核实人'),
    verifiedOn: cell('核实日期'),
    remark: cell('备注'),
  };
}

/** 序号 values missing between 1 and the largest one (rows deleted from the workbook), at most 1,000. */
function missingSeq(seqs: readonly number[]): number[] {
  const missing: number[] = [];
  if (seqs.length === 0) return missing;
  const have = new Set(seqs);
  let max = 0;
  for (const s of seqs) if (s > max) max = s;
  for (let i = 1; i <= max && missing.length < 1000; i++) if (!have.has(i)) missing.push(i);
  return missing;
}
