// Limits on what one input file may cost (SPEC §4): a small upload must not exhaust the machine.
// Each is checked while the file streams; a file over one is skipped as a whole with a FILE-04
// naming the limit (rows already read from it are dropped), and the other files are still checked.
import { createReadStream } from 'node:fs';
import { crc32, createInflateRaw } from 'node:zlib';
import { z } from 'zod';
import type { ZipEntry, ZipFile } from './zip.js';
import type { RowBatches, SourceRow } from './xlsx.js';

export interface Limits {
  /** size of the file on disk */
  bytesPerFile: number;
  /** an xlsx part (sheet, shared strings, styles) once inflated, counted as inflated, not as declared */
  inflatedBytesPerPart: number;
  /** all parts of one xlsx once inflated */
  inflatedBytesPerFile: number;
  /**
   * the shared-strings part once inflated: exceljs holds every shared string in memory before the
   * first row (5,000,000 texts, ~265 MB of XML, cost 731 MiB peak RSS), so it gets its own, lower cap
   */
  inflatedBytesSharedStrings: number;
  /** inflated ÷ compressed size of a part (zip bombs compress by thousands; exports by 5–30) */
  inflateRatio: number;
  /** rows of one sheet (or one CSV file) */
  rowsPerSheet: number;
  /** columns of one row (trailing empty cells do not count) */
  columnsPerRow: number;
  /** one cell's text (CSV: characters; xlsx: bytes of its XML text) */
  bytesPerCell: number;
  /** wall time spent reading one file */
  secondsPerFile: number;
  /** .xls / .et / HTML / XML spreadsheets are parsed whole in memory by SheetJS: their own size cap */
  xlsMaxBytes: number;
}

const MiB = 1024 * 1024;

/**
 * Defaults: a township's exports (≤ 80,000 people) fit well inside; a province's nightly run raises
 * rowsPerSheet in config. rowsPerSheet also bounds memory (normalised rows are held, ~4 KiB each).
 */
export const DEFAULT_LIMITS: Limits = {
  bytesPerFile: 200 * MiB,
  inflatedBytesPerPart: 1024 * MiB,
  inflatedBytesPerFile: 1536 * MiB,
  inflatedBytesSharedStrings: 200 * MiB,
  inflateRatio: 200,
  rowsPerSheet: 250_000,
  columnsPerRow: 1000,
  bytesPerCell: 256 * 1024,
  secondsPerFile: 600,
  xlsMaxBytes: 50 * MiB,
};

/** Below this many inflated bytes a part's ratio is not judged (tiny parts compress oddly). */
const RATIO_FLOOR = 16 * MiB;

const positiveInt = (what: string) =>
  z
    .number({ error: `${what}应为正整数` })
    .int(`${what}应为正整数`)
    .positive(`${what}应为正整数`);

export const LimitsConfig = z
  .object({
    bytesPerFile: positiveInt('单个文件字节数上限'),
    inflatedBytesPerPart: positiveInt('xlsx 单个部件解压后字节数上限'),
    inflatedBytesPerFile: positiveInt('xlsx 文件解压后总字节数上限'),
    inflatedBytesSharedStrings: positiveInt('xlsx 共享字符串表解压后字节数上限'),
    inflateRatio: positiveInt('解压比上限'),
    rowsPerSheet: positiveInt('每张工作表行数上限'),
    columnsPerRow: positiveInt('每行列数上限'),
    bytesPerCell: positiveInt('单元格字节数上限'),
    secondsPerFile: positiveInt('单个文件读取时间上限（秒）'),
    xlsMaxBytes: positiveInt('.xls 等旧格式文件字节数上限'),
  })
  .partial()
  .strict();

export function resolveLimits(partial: z.infer<typeof LimitsConfig> | undefined): Limits {
  return { ...DEFAULT_LIMITS, ...(partial ?? {}) };
}

export type LimitKind = keyof Limits;

/** The Chinese name of each limit, as the clerk reads it in a FILE-04 message. */
const LIMIT_ZH: Record<LimitKind, string> = {
  bytesPerFile: '文件大小',
  inflatedBytesPerPart: '单个部件解压后大小',
  inflatedBytesPerFile: '解压后总大小',
  inflatedBytesSharedStrings: '共享字符串表解压后大小',
  inflateRatio: '压缩比',
  rowsPerSheet: '每张工作表行数',
  columnsPerRow: '每行列数',
  bytesPerCell: '单元格内容长度',
  secondsPerFile: '读取时间',
  xlsMaxBytes: '旧格式（.xls 等）文件大小',
};

function amount(kind: LimitKind, n: number): string {
  switch (kind) {
    case 'bytesPerFile':
    case 'inflatedBytesPerPart':
    case 'inflatedBytesPerFile':
    case 'inflatedBytesSharedStrings':
    case 'xlsMaxBytes':
      return n >= MiB ? `${(n / MiB).toFixed(n < 10 * MiB ? 1 : 0)} MB` : `${n} 字节`;
    case 'bytesPerCell':
      return n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} 字节`;
    case 'inflateRatio':
      return `${n} 倍`;
    case 'rowsPerSheet':
      return `${n.toLocaleString('zh-CN')} 行`;
    case 'columnsPerRow':
      return `${n.toLocaleString('zh-CN')} 列`;
    case 'secondsPerFile':
      return `${n} 秒`;
  }
}

/** A file over one of its limits: carries the Chinese message (without the file name). */
export class LimitError extends Error {
  constructor(
    readonly kind: LimitKind,
    readonly limit: number,
    /** where it was found: '工作表「成员」第 12 行' … (may be empty) */
    readonly where: string,
    readonly actual?: number,
  ) {
    const got = actual !== undefined ? `（${kind === 'inflateRatio' ? '至少 ' : '已达 '}${amount(kind, actual)}）` : '';
    super(`${where ? where + '：' : ''}超过${LIMIT_ZH[kind]}上限 ${amount(kind, limit)}${got}，为保护系统未读取该文件。`);
    this.name = 'LimitError';
  }

  /** The advice that follows the message. */
  get advice(): string {
    switch (this.kind) {
      case 'bytesPerFile':
      case 'rowsPerSheet':
      case 'inflatedBytesPerFile':
      case 'inflatedBytesPerPart':
      case 'inflatedBytesSharedStrings':
      case 'secondsPerFile':
        return '请按乡镇或村拆分成多个文件后再上传（管理员也可在配置 limits 中调整上限）。';
      case 'xlsMaxBytes':
        return '请用 Excel 或 WPS 另存为 .xlsx（.xlsx 的上限更高），或按乡镇、村拆分成多个文件后再上传。';
      case 'columnsPerRow':
        return '表格右侧远处可能有误填的内容：请删除多余的列后另存再上传。';
      case 'bytesPerCell':
        return '某个单元格的内容异常地长：请检查并删除后另存再上传。';
      case 'inflateRatio':
        return '文件内容异常（压缩比远超正常表格），请用 Excel 打开后另存为 .xlsx 再上传。';
    }
  }
}

/** Wall-time budget of one file. */
export class Deadline {
  private readonly until: number;
  constructor(
    private readonly seconds: number,
    /** when it passes (ms since the epoch): a worker thread judges the same deadline */
    until?: number,
  ) {
    this.until = until ?? Date.now() + seconds * 1000;
  }
  check(where = '', inflating = false): void {
    if (Date.now() > this.until) throw new (inflating ? PartLimitError : LimitError)('secondsPerFile', this.seconds, where);
  }
  /** what a worker thread needs to judge the same deadline (new Deadline(seconds, until)) */
  get state(): { seconds: number; until: number } {
    return { seconds: this.seconds, until: this.until };
  }
}

/** What inflating a part showed: its true inflated size, and whether the compressed data breaks. */
export interface PartCheck {
  inflatedBytes: number;
  /** inflate failed part-way or the CRC is wrong: `inflatedBytes` is what came out before the break */
  broken: boolean;
  /** inflate itself failed (not only the CRC): the part's end was never seen */
  inflateFailed: boolean;
}

/** A limit an xlsx part broke while it inflated (the checks the whole-file pre-read used to make). */
export class PartLimitError extends LimitError {}

/** Where one part's compressed bytes lie in its file, and what they must give. */
export interface PartSource {
  path: string;
  start: number;
  end: number;
  method: number;
  crc: number;
}

/** The limits one part is judged by while it inflates (plain data: a worker thread judges them too). */
export interface PartRules {
  label: string;
  partCap: number;
  partKind: LimitKind;
  /** the file's inflated total may not pass this */
  fileCap: number;
  inflateRatio: number;
  bytesPerCell: number;
}

/**
 * The inflated chunks of one part, each checked before it is handed on (throws PartLimitError);
 * `file.total` counts the file's inflated bytes across parts. A break in the compressed data ends
 * the chunks quietly and the verdict returned says so. A part read a second time (`again`, its
 * first verdict) is handed on up to where it ended then, and not counted or checked twice.
 */
export async function* inflatePart(
  src: PartSource,
  rules: PartRules,
  deadline: Deadline,
  file: { total: number },
  again?: PartCheck,
): AsyncGenerator<Buffer, PartCheck> {
  const { label } = rules;
  let partBytes = 0;
  let crc = 0;
  let run = 0; // bytes since the last '<'
  let inflateFailed = false;
  if (src.end > src.start) {
    const source = createReadStream(src.path, { start: src.start, end: src.end - 1, highWaterMark: 256 * 1024 });
    const stream = src.method === 8 ? source.pipe(createInflateRaw({ chunkSize: 64 * 1024 })) : source;
    source.on('error', (e) => stream.destroy(e));
    try {
      const it = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
      for (;;) {
        let next: IteratorResult<Buffer>;
        try {
          next = await it.next();
        } catch {
          inflateFailed = true;
          break;
        }
        if (next.done) break;
        let chunk = next.value;
        if (again) {
          if (partBytes + chunk.length > again.inflatedBytes) chunk = chunk.subarray(0, again.inflatedBytes - partBytes);
          partBytes += chunk.length;
          if (chunk.length) yield chunk;
          if (partBytes >= again.inflatedBytes) break;
          continue;
        }
        partBytes += chunk.length;
        file.total += chunk.length;
        if (partBytes > rules.partCap) throw new PartLimitError(rules.partKind, rules.partCap, label);
        if (file.total > rules.fileCap) throw new PartLimitError('inflatedBytesPerFile', rules.fileCap, '');
        // judged against the compressed bytes read so far: a bomb is stopped early, not at its end
        const consumed = Math.max(1, source.bytesRead);
        if (partBytes > RATIO_FLOOR && partBytes / consumed > rules.inflateRatio) {
          throw new PartLimitError('inflateRatio', rules.inflateRatio, label, Math.floor(partBytes / consumed));
        }
        run = textRun(chunk, run, rules.bytesPerCell, label);
        crc = crc32(chunk, crc);
        deadline.check(label, true);
        yield chunk;
      }
    } finally {
      source.destroy();
      stream.destroy();
    }
  }
  if (again) return again;
  // a wrong CRC means garbage somewhere in the part: read up to where it shows, reported as broken
  return { inflatedBytes: partBytes, broken: inflateFailed || (crc >>> 0) !== (src.crc >>> 0), inflateFailed };
}

/**
 * Counts and checks xlsx parts as they inflate: the bytes that actually come out (a zip directory
 * that under-declares a part's size cannot defeat the caps), per part and for the whole file, the
 * inflate ratio, a run of XML text longer than bytesPerCell (one huge cell), the file's wall time,
 * and each whole part's CRC. The lean reader reads its cells from these very chunks, so every part
 * is inflated once; `checkZipParts` drains them for the exceljs path. Parts must be metered in the
 * order the pre-read checked them (workbook, styles, shared strings, sheets) for the same limit to
 * fire first.
 */
export class PartMeter {
  /** every part inflated to its end (or to its break) so far */
  readonly checked = new Map<ZipEntry, PartCheck>();
  /** inflated bytes of the file so far */
  total = 0;

  constructor(
    private readonly zip: ZipFile,
    private readonly limits: Limits,
    readonly deadline: Deadline,
  ) {}

  /** A meter with no limits (counts, CRC and breaks only): the bare reader. */
  static unlimited(zip: ZipFile): PartMeter {
    const inf = Number.POSITIVE_INFINITY;
    const none: Limits = { ...DEFAULT_LIMITS, inflatedBytesPerPart: inf, inflatedBytesPerFile: inf, inflatedBytesSharedStrings: inf, inflateRatio: inf, bytesPerCell: inf, secondsPerFile: inf };
    return new PartMeter(zip, none, new Deadline(inf));
  }

  /** The limits of one part. */
  rules(label: string, sharedStrings = false): PartRules {
    const { limits } = this;
    const partCap = sharedStrings ? Math.min(limits.inflatedBytesPerPart, limits.inflatedBytesSharedStrings) : limits.inflatedBytesPerPart;
    const partKind: LimitKind = sharedStrings && partCap === limits.inflatedBytesSharedStrings ? 'inflatedBytesSharedStrings' : 'inflatedBytesPerPart';
    return { label, partCap, partKind, fileCap: limits.inflatedBytesPerFile, inflateRatio: limits.inflateRatio, bytesPerCell: limits.bytesPerCell };
  }

  /** Where a part's compressed bytes lie. */
  async source(entry: ZipEntry): Promise<PartSource> {
    const range = await this.zip.dataRange(entry);
    return { path: this.zip.path, ...range, method: entry.method, crc: entry.crc };
  }

  /** A part inflated and judged elsewhere (the reader worker): its verdict, its bytes counted. */
  record(entry: ZipEntry, check: PartCheck): void {
    if (this.checked.has(entry)) return;
    this.total += check.inflatedBytes;
    this.checked.set(entry, check);
  }

  /**
   * The inflated chunks of one part, each checked before it is handed on (inflatePart). A part
   * read a second time (two sheets naming one part) is not counted twice.
   */
  async *chunks(entry: ZipEntry, label: string, sharedStrings = false): AsyncGenerator<Buffer> {
    const again = this.checked.get(entry);
    const check = yield* inflatePart(await this.source(entry), this.rules(label, sharedStrings), this.deadline, this, again);
    if (!again) this.checked.set(entry, check);
  }
}

/**
 * Inflates every given part of an xlsx once through a PartMeter (see there) before exceljs reads
 * it. Streams: memory stays at a few chunks. Throws LimitError; a part that breaks part-way or
 * fails its CRC is returned as broken (its rows before the break can still be read, and the sheet
 * is reported).
 */
export async function checkZipParts(
  zip: ZipFile,
  parts: readonly { entry: ZipEntry; label: string; sharedStrings?: boolean }[],
  limits: Limits,
  deadline: Deadline,
): Promise<Map<ZipEntry, PartCheck>> {
  const meter = new PartMeter(zip, limits, deadline);
  for (const { entry, label, sharedStrings } of parts) {
    if (entry.method !== 8 && entry.method !== 0) continue; // refused later with its own message
    if (meter.checked.has(entry)) continue;
    try {
      await zip.dataRange(entry);
    } catch {
      continue;
    }
    for await (const chunk of meter.chunks(entry, label, sharedStrings)) void chunk;
  }
  return meter.checked;
}

/** Continues the count of bytes since the last '<' over one chunk; throws when a run exceeds the cap. */
function textRun(chunk: Buffer, run: number, cap: number, label: string): number {
  let from = 0;
  for (;;) {
    const lt = chunk.indexOf(0x3c, from);
    if (lt < 0) {
      run += chunk.length - from;
      if (run > cap) throw new LimitError('bytesPerCell', cap, label);
      return run;
    }
    if (run + (lt - from) > cap) throw new LimitError('bytesPerCell', cap, label);
    run = 0;
    // a chunk no longer than the cap cannot hide a longer run between two of its '<': skip to the last
    if (chunk.length <= cap) {
      const last = chunk.lastIndexOf(0x3c);
      return chunk.length - last - 1;
    }
    from = lt + 1;
  }
}

/** Drops trailing empty cells (never counted, never kept). */
export function trimTrailingEmpty<T>(cells: T[]): T[] {
  let n = cells.length;
  while (n > 0 && (cells[n - 1] === null || cells[n - 1] === undefined || cells[n - 1] === ('' as unknown as T))) n--;
  if (n < cells.length) cells.length = n;
  return cells;
}

/**
 * A sheet's rows, checked as they stream: rows per sheet, columns per row (after dropping trailing
 * empty cells), one cell's length, and the file's wall time. Throws LimitError once the rows before
 * the offending one are handed on (a batch is cut there).
 */
export async function* guardRows(
  batches: RowBatches,
  limits: Limits,
  deadline: Deadline,
  sheet: string | undefined,
): AsyncGenerator<readonly SourceRow[]> {
  const place = (row: number): string => `${sheet !== undefined ? `工作表「${sheet}」` : ''}第${row}行`;
  let n = 0;
  const guard = (r: SourceRow): void => {
    n++;
    if (n > limits.rowsPerSheet) throw new LimitError('rowsPerSheet', limits.rowsPerSheet, sheet !== undefined ? `工作表「${sheet}」` : '');
    if (r.cells.length > limits.columnsPerRow) {
      trimTrailingEmpty(r.cells);
      if (r.cells.length > limits.columnsPerRow) throw new LimitError('columnsPerRow', limits.columnsPerRow, place(r.row), r.cells.length);
    }
    for (const c of r.cells) {
      if (typeof c === 'string' && c.length > limits.bytesPerCell) throw new LimitError('bytesPerCell', limits.bytesPerCell, place(r.row));
    }
    if ((n & 1023) === 0) deadline.check(place(r.row));
  };
  for await (const batch of batches) {
    let i = 0;
    try {
      for (; i < batch.length; i++) guard(batch[i]!);
    } catch (e) {
      if (i > 0) yield batch.slice(0, i);
      throw e;
    }
    yield batch;
  }
}

/**
 * The last guard on a file's wall time: `work` is abandoned after `ms` (its result, if it ever
 * comes, is ignored) and `onTimeout` answers instead. The in-stream checks (Deadline) stop a file
 * that is slow but moving; this stops one whose reader stalls without delivering anything.
 */
export function raceDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      resolve(onTimeout());
    }, ms);
    work.then(
      (v) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
