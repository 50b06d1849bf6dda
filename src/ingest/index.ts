// ingestFile: one input file → normalised rows, FILE findings and row accounting. Never throws on
// a user's file: every problem becomes a FILE finding. Several files may be ingested at once in
// one process; the only module state is the gate that reads legacy workbooks one at a time.
import { readFile, stat } from 'node:fs/promises';
import { delimiterLabel, openCsv, CsvParseError } from './csv.js';
import { matchColumns, type ColumnsEntry } from './columns.js';
import { ingestSheet, type FileCtx } from './sheet.js';
import { readHead, sniffBytes, sniffCfb } from './sniff.js';
import type { FileAccounting, IngestSink, SheetAccounting } from './types.js';
import { meteredParts, readStructure, readXlsxSheets, type SourceRow, type SourceSheet, type WorkbookStructure } from './xlsx.js';
import { LeanUnsupported, readLeanWorkbook, readXlsxSheetsLean, type LeanWorkbook } from './xlsx-lean.js';
import { LegacyReadError, readLegacyWorkbook, type LegacyKind } from './xls.js';
import { ZipError, ZipFile, type ZipEntry } from './zip.js';
import { unreadableReason } from './unreadable-reason.js';
import { checkZipParts, Deadline, DEFAULT_LIMITS, guardRows, LimitError, PartLimitError, PartMeter, type Limits, type PartCheck } from './limits.js';

export type { FileAccounting, IngestSink, SheetAccounting } from './types.js';

export const DEFAULT_MAX_BYTES = DEFAULT_LIMITS.bytesPerFile;
const SNIFF_BYTES = 1024 * 1024;

const TEXT_EXT = /\.(csv|txt|tsv|xls)$/i; // many systems export tab-separated text named .xls

export interface IngestOptions {
  /** overrides limits.bytesPerFile */
  maxBytes?: number;
  /** what one file may cost (defaults: DEFAULT_LIMITS) */
  limits?: Limits;
  /** xlsx cells read by our lean reader (default) or by exceljs (the fallback, and for comparison) */
  xlsxReader?: XlsxReaderKind;
  /** config `columns`: forced readings of sheets, matched by file and sheet name */
  columns?: readonly ColumnsEntry[];
}

/**
 * A sheet read with the config `columns` entry matching it (if any), its origin recorded. The file's
 * time limit is judged once more when the sheet is done: the rows of a member sheet are held until
 * its 与户主关系 dialect is decided and their row rules run after the last row was read, past the
 * per-row checks of guardRows (with a fast reader most of a sheet's time is spent there).
 */
async function readSheet(ctx: FileCtx, src: SourceSheet, csv: boolean, columns: readonly ColumnsEntry[] | undefined, deadline: Deadline) {
  const match = matchColumns(columns, ctx.file, src.name);
  const res: Awaited<ReturnType<typeof ingestSheet>> = await ingestSheet(ctx, src, csv, match?.override);
  res.acc.origin = match ? 'forced' : 'detected';
  if (match) res.acc.columnsEntry = match.entry.index;
  if (res.error === undefined) {
    try {
      deadline.check(src.name !== undefined ? `工作表「${src.name}」` : '');
    } catch (err) {
      return { ...res, error: err };
    }
  }
  return res;
}

export type XlsxReaderKind = 'lean' | 'exceljs';

export async function ingestFile(absPath: string, displayName: string, sink: IngestSink, opts?: IngestOptions): Promise<FileAccounting> {
  const acc: FileAccounting = { file: displayName, format: 'unknown', readable: false, sheets: [] };
  const ctx: FileCtx = { file: displayName, sink, physicalRows: 0, lastProgress: 0 };
  const limits = opts?.limits ?? DEFAULT_LIMITS;
  const deadline = new Deadline(limits.secondsPerFile);
  const unreadable = (error: string, code: string, params: Record<string, unknown> = {}): FileAccounting => {
    acc.readable = false;
    acc.error = error;
    sink.finding({ rule: 'FILE-04', code, at: { file: displayName }, params: { ...params, reason: error } });
    return acc;
  };

  let size: number;
  try {
    const st = await stat(absPath);
    if (!st.isFile()) return unreadable('不是普通文件，无法读取。', 'not-file');
    size = st.size;
  } catch {
    return unreadable('无法打开（文件不存在或没有读取权限）。', 'open');
  }
  const maxBytes = opts?.maxBytes ?? limits.bytesPerFile;
  if (size > maxBytes) {
    return unreadable(
      `大小 ${mb(size)} 超过上限 ${mb(maxBytes)}，未读取。请按乡镇或村拆分成多个文件后再上传。`,
      'too-large',
      { size, maxBytes },
    );
  }
  if (size === 0) return unreadable('是空文件（0 字节），没有任何内容。请重新导出。', 'empty');

  let head: Buffer;
  try {
    head = await readHead(absPath, SNIFF_BYTES);
  } catch {
    return unreadable('无法打开（没有读取权限或磁盘错误）。', 'open');
  }
  const kind = sniffBytes(head).kind;
  try {
    switch (kind) {
      case 'zip':
        acc.format = 'xlsx';
        return await ingestXlsx(absPath, size, ctx, acc, unreadable, limits, deadline, opts?.xlsxReader ?? 'lean', opts?.columns);
      case 'cfb': {
        const cfb = await sniffCfb(absPath);
        if (cfb === 'encrypted-ooxml') {
          acc.format = 'xlsx';
          return unreadable(`设置了打开密码（文件已加密），无法读取。${REMOVE_PASSWORD}`, 'encrypted');
        }
        if (cfb === 'xls') {
          acc.format = 'xls';
          return await ingestLegacy(absPath, size, 'biff', ctx, acc, unreadable, limits, deadline, opts?.columns);
        }
        if (/\.et$/i.test(displayName)) {
          acc.format = 'xls';
          return unreadable(`是 WPS 表格格式（.et），本系统无法读取这一版本。${RESAVE}`, 'et');
        }
        return unreadable('是 Office 复合文档（可能是 Word 或其他程序的文件），不是 Excel 表格，无法读取。请上传 .xlsx 或 .csv 文件。', 'cfb-other');
      }
      case 'html':
        acc.format = 'xls';
        return await ingestLegacy(absPath, size, 'html', ctx, acc, unreadable, limits, deadline, opts?.columns);
      case 'xml2003':
        acc.format = 'xls';
        return await ingestLegacy(absPath, size, 'xml2003', ctx, acc, unreadable, limits, deadline, opts?.columns);
      case 'pdf':
        return unreadable('是 PDF 文件，不是表格，无法读取。请上传原始导出的 .xlsx 或 .csv 文件。', 'pdf');
      case 'text':
        if (!TEXT_EXT.test(displayName) && !TEXT_EXT.test(absPath)) {
          return unreadable('是纯文本文件，但扩展名不是 .csv 或 .txt，未读取。如果是导出的表格数据，请改为 .csv 后再上传。', 'text-ext');
        }
        acc.format = 'csv';
        return await ingestCsv(absPath, head, ctx, acc, limits, deadline, opts?.columns);
      case 'empty':
        return unreadable('是空文件（0 字节），没有任何内容。请重新导出。', 'empty');
      default:
        if (/\.et$/i.test(displayName)) return unreadable(`是 WPS 表格格式（.et），本系统无法读取这一版本。${RESAVE}`, 'et');
        return unreadable('不是可识别的表格文件（既不是 .xlsx 也不是文本 .csv），无法读取。', 'unknown-format');
    }
  } catch (err) {
    if (err instanceof LimitError) {
      // over a limit: the whole file is skipped, what was read of it is dropped, the run goes on
      sink.discard?.();
      acc.sheets = [];
      return unreadable(`${err.message}${err.advice}`, 'limit', { limit: err.kind, value: err.limit });
    }
    // last line of defence: one odd file must not stop a batch of hundreds
    const m = String((err as Error)?.message ?? err);
    return unreadable(`读取时出错（${m.length > 120 ? m.slice(0, 120) + '…' : m}），未能读取。请用 Excel 打开后另存为 .xlsx 再上传。`, 'read-error');
  } finally {
    sink.progress?.(ctx.physicalRows);
  }
}

type Unreadable = (error: string, code: string, params?: Record<string, unknown>) => FileAccounting;

const REMOVE_PASSWORD =
  '请用 Excel 或 WPS 输入密码打开，在“文件 → 信息 → 保护工作簿 → 用密码进行加密”（WPS：文件 → 文档加密 → 密码加密）中取消打开密码后另存为 .xlsx，再重新上传。';

const RESAVE = '请用 Excel 或 WPS 打开，“文件 → 另存为”选择“Excel 工作簿 (*.xlsx)”后重新上传。';

const LEGACY_LABEL: Record<LegacyKind, string> = {
  biff: '旧版 Excel 97-2003 格式（.xls）',
  html: '网页（HTML）格式的表格',
  xml2003: 'Excel 2003 XML 表格格式',
};

/**
 * .xls / .et / HTML / XML spreadsheets: parsed whole by SheetJS, then each sheet streamed through
 * the same sheet processor as .xlsx. Capped by size before anything is read.
 */
async function ingestLegacy(
  path: string,
  size: number,
  kind: LegacyKind,
  ctx: FileCtx,
  acc: FileAccounting,
  unreadable: Unreadable,
  limits: Limits,
  deadline: Deadline,
  columns: readonly ColumnsEntry[] | undefined,
): Promise<FileAccounting> {
  const cap = limits.xlsMaxBytes;
  if (size > cap) {
    return unreadable(
      `是${LEGACY_LABEL[kind]}，大小 ${mb(size)} 超过该格式的上限 ${mb(cap)}（配置项 limits.xlsMaxBytes），未读取。${RESAVE.replace('后重新上传。', '后再上传（.xlsx 的上限更高），或按乡镇、村拆分成多个文件。')}`,
      'too-large',
      { size, maxBytes: cap, limit: 'xlsMaxBytes' },
    );
  }
  return withLegacyGate(async () => {
    let book;
    try {
      book = readLegacyWorkbook(await readFile(path), kind);
    } catch (err) {
      if (kind === 'html') {
        return unreadable(`实际上是网页（HTML）格式，${err instanceof LegacyReadError ? '其中没有表格' : '无法按表格读取'}。${RESAVE}`, 'html');
      }
      const what = /\.et$/i.test(ctx.file) ? 'WPS 表格文件（.et）' : LEGACY_LABEL[kind];
      if (err instanceof Error && /password-protected/i.test(err.message)) {
        return unreadable(`是${what}，设置了打开密码（文件已加密），无法读取。${REMOVE_PASSWORD}`, 'encrypted');
      }
      return unreadable(`是${what}，但无法读取（文件可能已损坏或使用了不支持的版本）。${RESAVE}`, kind === 'biff' ? 'xls' : kind);
    }
    acc.readable = true;
    for (const sheet of book.sheets) {
      const res = await readSheet(ctx, { ...sheet, batches: guardRows(sheet.batches, limits, deadline, sheet.name) }, false, columns, deadline);
      acc.sheets.push(res.acc);
      if (res.error !== undefined) throw res.error;
    }
    return acc;
  });
}

/**
 * One legacy workbook in memory at a time in this process: SheetJS holds a whole workbook, about
 * 40× its file size (a 50 MB .xls ≈ 2 GB), so two read at once by the pipeline could pass the
 * heap limit. The parse itself is synchronous; the gate also covers streaming its rows.
 */
let legacyGate: Promise<unknown> = Promise.resolve();
function withLegacyGate<T>(read: () => Promise<T>): Promise<T> {
  const run = legacyGate.then(read, read);
  legacyGate = run.catch(() => undefined);
  return run;
}

async function ingestXlsx(
  path: string,
  size: number,
  ctx: FileCtx,
  acc: FileAccounting,
  unreadable: Unreadable,
  limits: Limits,
  deadline: Deadline,
  reader: XlsxReaderKind,
  columns: readonly ColumnsEntry[] | undefined,
): Promise<FileAccounting> {
  let zip: ZipFile;
  try {
    zip = await ZipFile.open(path, size);
  } catch (err) {
    return unreadable(`已损坏，无法作为 .xlsx 打开（${unreadableReason(err)}）。请重新导出或用 Excel 打开修复后另存。`, 'corrupt-zip');
  }
  try {
    let structure;
    try {
      structure = await readStructure(zip);
    } catch (err) {
      if (err instanceof ZipError && /不是|里面不是/.test(err.message)) return unreadable(`${err.message}，无法读取。请上传 .xlsx 或 .csv 文件。`, 'not-workbook');
      return unreadable(`已损坏，无法作为 .xlsx 打开（${unreadableReason(err)}）。请重新导出或用 Excel 打开修复后另存。`, 'corrupt-zip');
    }
    // every part a reader inflates, in the order they are read: each is counted and checked as it
    // inflates (bombs, under-declared sizes, one huge cell, broken parts; limits.ts PartMeter)
    const parts = meteredParts(structure);
    const workbookParts = parts.slice(0, parts.length - structure.sheets.length);
    // The whole file checked before a row is read (exceljs reads only parts checked this way). The
    // lean reader checks as it reads, and runs it only when its single pass stops for another
    // reason: a limit or break further on then decides, as it would have before the first row.
    let checked: Map<ZipEntry, PartCheck> | undefined;
    const checkParts = async () => (checked ??= await checkZipParts(zip, parts, limits, deadline));
    /** the whole-file check; a broken workbook, styles or shared-strings part spoils every sheet */
    const checkAll = async (): Promise<Map<ZipEntry, PartCheck> | FileAccounting> => {
      const all = await checkParts();
      const broken = workbookParts.find((p) => all.get(p.entry)?.broken);
      if (!broken) return all;
      const err = new ZipError(`zip 部件 ${broken.entry.name} 无法解压（文件已损坏）`);
      return unreadable(`已损坏，无法作为 .xlsx 打开（${unreadableReason(err)}）。请重新导出或用 Excel 打开修复后另存。`, 'corrupt-zip');
    };
    if (reader === 'lean') {
      const meter = new PartMeter(zip, limits, deadline);
      let book: LeanWorkbook | undefined;
      let bookError: unknown;
      try {
        book = await readLeanWorkbook(zip, structure, meter);
      } catch (err) {
        if (err instanceof PartLimitError) throw err;
        bookError = err;
      }
      if (bookError !== undefined || workbookParts.some((p) => meter.checked.get(p.entry)?.broken)) {
        const all = await checkAll();
        if (!(all instanceof Map)) return all;
      }
      acc.readable = true;
      try {
        if (bookError instanceof LeanUnsupported) throw bookError;
        const sheets =
          bookError === undefined
            ? readXlsxSheetsLean(zip, structure, { maxColumns: limits.columnsPerRow, meter, book: book! })
            : failing(bookError); // what the reader met in the workbook parts is reported as before
        await readSheets(ctx, acc, structure, sheets, limits, deadline, columns, async (err) => {
          // the pass stopped early: a limit further on in the file decides (it would have fired first)
          if (err instanceof PartLimitError || (err instanceof LimitError && err.kind === 'secondsPerFile')) return;
          await checkParts();
        });
        return acc;
      } catch (err) {
        if (!(err instanceof LeanUnsupported)) throw err;
        // XML the lean reader does not read (a DOCTYPE, another declaration): exceljs reads it all again
        ctx.sink.discard?.();
        acc.sheets = [];
        delete acc.error;
        ctx.physicalRows = 0;
        ctx.lastProgress = 0;
      }
    }
    const all = await checkAll();
    if (!(all instanceof Map)) return all;
    acc.readable = true;
    await readSheets(ctx, acc, structure, readXlsxSheets(zip, structure, limits.columnsPerRow, all), limits, deadline, columns);
    return acc;
  } finally {
    await zip.close();
  }
}

/** A sheet reader that fails at once (as the lean reader did when a workbook part failed). */
async function* failing(err: unknown): AsyncGenerator<SourceSheet> {
  throw err;
}

/** Reads every sheet a reader yields into ctx/acc; a part that breaks mid-way is reported. */
async function readSheets(
  ctx: FileCtx,
  acc: FileAccounting,
  structure: WorkbookStructure,
  sheets: AsyncIterable<SourceSheet>,
  limits: Limits,
  deadline: Deadline,
  columns: readonly ColumnsEntry[] | undefined,
  /** called with what stopped the sheets before it is thrown on or reported (may throw instead) */
  beforeStop?: (err: unknown) => Promise<void>,
): Promise<void> {
  for (const name of structure.missingSheets) {
    ctx.sink.finding({
      rule: 'FILE-04',
      code: 'missing-sheet',
      at: { file: ctx.file, sheet: name },
    });
  }
  let currentName: string | undefined;
  try {
    for await (const sheet of sheets) {
      currentName = sheet.name;
      const res = await readSheet(ctx, { ...sheet, batches: guardRows(sheet.batches, limits, deadline, sheet.name) }, false, columns, deadline);
      acc.sheets.push(res.acc);
      if (res.error !== undefined) throw res.error;
    }
  } catch (err) {
    await beforeStop?.(err);
    if (err instanceof LimitError || err instanceof LeanUnsupported) throw err;
    // a part broke mid-way: what was read stays read and accounted, the rest is reported
    acc.error = `读取中断：${unreadableReason(err)}`;
    ctx.sink.finding({
      rule: 'FILE-04',
      code: 'broken-sheet',
      at: { file: ctx.file, ...(currentName !== undefined ? { sheet: currentName } : {}) },
      params: { reason: unreadableReason(err) },
    });
  }
}

async function ingestCsv(
  path: string,
  head: Buffer,
  ctx: FileCtx,
  acc: FileAccounting,
  limits: Limits,
  deadline: Deadline,
  columns: readonly ColumnsEntry[] | undefined,
): Promise<FileAccounting> {
  const src = openCsv(path, head, { maxCellChars: limits.bytesPerCell, maxColumns: limits.columnsPerRow });
  acc.encoding = src.encoding.label;
  acc.readable = true;
  let sheetAcc: SheetAccounting;
  const batches = src.batches;
  // keep the rows read so far when csv-parse gives up: the sheet processor sees a finished stream
  let parseError: CsvParseError | undefined;
  let lastLine = 0;
  // NUL characters: the rows are read as they are (a name holding one is ID-09); the file gets one note
  let nulRows = 0;
  let firstNul = 0;
  async function* guarded(): AsyncGenerator<readonly SourceRow[]> {
    try {
      for await (const batch of batches) {
        for (const r of batch) {
          if (r.hasNul) {
            if (nulRows++ === 0) firstNul = r.row;
          }
        }
        if (batch.length > 0) lastLine = batch[batch.length - 1]!.row;
        yield batch;
      }
    } catch (err) {
      if (err instanceof CsvParseError) parseError = err;
      else throw err;
    }
  }
  const res = await readSheet(ctx, { batches: guardRows(guarded(), limits, deadline, undefined) }, true, columns, deadline);
  if (res.error instanceof LimitError) throw res.error;
  sheetAcc = res.acc;
  acc.sheets.push(sheetAcc);
  if (nulRows > 0) {
    ctx.sink.finding({
      rule: 'FILE-03',
      code: 'nul',
      severity: 'info',
      at: { file: ctx.file, row: firstNul },
      params: { rows: nulRows },
    });
  }
  if (res.error !== undefined) {
    acc.error = `读取中断：${String((res.error as Error)?.message ?? res.error)}`;
    ctx.sink.finding({
      rule: 'FILE-04',
      code: 'csv',
      at: { file: ctx.file },
      params: { lastRow: lastLine, error: acc.error },
    });
    return acc;
  }
  if (parseError) {
    // the line where the unreadable record starts (counted by the CSV reader), never before the
    // last good row
    const line = Math.max(parseError.line, lastLine + 1);
    const reason = `从第${line}行起${parseError.message}（分隔符：${delimiterLabel(src.delimiter)}）`;
    sheetAcc.buckets.rejected++;
    sheetAcc.physicalRows++;
    sheetAcc.rejected.push({ row: line, reason });
    ctx.sink.finding({ rule: 'FILE-03', at: { file: ctx.file, row: line }, params: { reason, rest: true } });
  }
  return acc;
}

function mb(n: number): string {
  return `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}
