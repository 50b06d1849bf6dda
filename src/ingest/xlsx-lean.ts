// The lean xlsx reader: each part is inflated once, as a stream, through a PartMeter
// (src/ingest/limits.ts), which counts and checks the bytes as they come out; a pull scanner
// (xml-scan.ts) walks the same chunks, and rows come out as the same SourceRows the exceljs path
// (xlsx.ts) produces. Shared strings and styles are read first by their directory entries, wherever
// they lie in the zip. No sheet is spooled; a sheet small enough to carry merged ranges (at most
// MERGE_SCAN_MAX inflated) is held as its inflated bytes until its merge list, written after the
// cells, is known (see leanRows).
//
// Cell values follow exceljs's streaming reader (so findings do not depend on the reader), except
// where exceljs loses data: an inline string of several runs keeps every run (exceljs keeps the
// last), shared-string phonetic runs (<rPh>) are not taken for the text, cells without an `r`
// attribute take the next column (exceljs stops the sheet), and namespace-prefixed tags are read.
import { createRequire } from 'node:module';
import { PartMeter } from './limits.js';
import type { SourceRow, SourceSheet, WorkbookStructure } from './xlsx.js';
import { holdWhole, MERGE_SCAN_MAX, mergesInChunks, type VerticalMerge } from './merges.js';
import { ZipError, type ZipEntry, type ZipFile } from './zip.js';
import { attr, decodeEntities, scanXml, type XmlHandler } from './xml-scan.js';
import { SheetScanner, type SheetScanCtx } from './sheet-scan.js';
import { scanInWorkerFrom, sheetScanWorker, type PartSeen } from './reader-client.js';
import type { PartJob } from './reader-protocol.js';

export { LeanUnsupported } from './xml-scan.js';

const require = createRequire(import.meta.url);
// exceljs's table of built-in number formats: the same codes decide "date" in both readers
const DEFAULT_FORMATS = require('exceljs/lib/xlsx/defaultnumformats.js') as Record<string, { f?: string }>;

/** A part's inflated chunks as text (UTF-8, characters split across chunks kept whole). */
async function* textOf(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    const s = decoder.decode(chunk, { stream: true });
    if (s) yield s;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

/** One part's text, inflated through the meter (checked and counted as it comes). */
function partText(zip: ZipFile, entry: ZipEntry, meter: PartMeter, label: string, sharedStrings = false): AsyncGenerator<string> {
  zip.checkReadable(entry);
  return textOf(meter.chunks(entry, label, sharedStrings));
}

/** Feeds a part's chunks through the scanner. */
async function scanPart(chunks: AsyncIterable<string>, h: XmlHandler): Promise<void> {
  let rest = '';
  for await (const chunk of chunks) {
    const buf = rest ? rest + chunk : chunk;
    const used = scanXml(buf, h, false);
    rest = used < buf.length ? buf.slice(used) : '';
  }
  if (rest) scanXml(rest, h, true);
}

/**
 * A text of its own. A piece cut from a chunk of at least 13 characters is a view into the whole
 * chunk: it keeps the chunk alive, and looking it up in a Map (ID numbers as keys) costs more. A
 * workbook's shared strings are the main thread's cell values (rows from the reader worker name
 * them by index), so each is copied once here (measured: −0.16 s of pairing-index building).
 */
function ownCopy(s: string | null): string | null {
  return s !== null && s.length >= 13 ? Buffer.from(s, 'utf8').toString('utf8') : s;
}

/** Shared strings as exceljs caches them: plain text, rich text joined; an empty item is null. */
export async function readSharedStrings(zip: ZipFile, entry: ZipEntry, meter: PartMeter): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  let text: string | null = null;
  let runs = false;
  let inT = false;
  let phonetic = 0;
  const h: XmlHandler = {
    wantText: false,
    open(name, _a, self) {
      if (name === 't' && phonetic === 0 && !self) {
        inT = true;
        h.wantText = true;
      } else if (name === 'rPh') phonetic++;
      else if (name === 'r' && phonetic === 0) runs = true;
      else if (name === 'si') {
        text = null;
        runs = false;
      }
    },
    close(name) {
      if (name === 't') {
        inT = false;
        h.wantText = false;
      } else if (name === 'rPh') phonetic--;
      // exceljs: rich text (runs) is a value even when empty; a plain empty item is none
      else if (name === 'si') out.push(ownCopy(runs ? (text ?? '') : text));
    },
    text(raw) {
      if (!inT) return;
      const t = decodeEntities(raw);
      text = text === null ? t : text + t;
    },
  };
  await scanPart(partText(zip, entry, meter, '共享字符串表', true), h);
  return out;
}

/** Number format code of each cell style (cellXfs index), for telling dates from numbers. */
export async function readCellFormats(zip: ZipFile, entry: ZipEntry, meter: PartMeter): Promise<(string | undefined)[]> {
  const custom = new Map<string, string>();
  const xfIds: (string | undefined)[] = [];
  let inCellXfs = false;
  const h: XmlHandler = {
    wantText: false,
    open(name, a) {
      if (name === 'numFmt') {
        const id = attr(a, 'numFmtId');
        const code = attr(a, 'formatCode');
        if (id !== undefined && code !== undefined) custom.set(id, code);
      } else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) xfIds.push(attr(a, 'numFmtId'));
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
    text() {},
  };
  await scanPart(partText(zip, entry, meter, ''), h);
  return xfIds.map((id) => {
    // exceljs: numFmtId 0 (or none) means no format
    if (!id || Number(id) === 0) return undefined;
    return custom.get(id) ?? DEFAULT_FORMATS[Number(id)]?.f;
  });
}

/**
 * The rows of one sheet, scanned as the part inflates; the part is read to its end (the meter
 * checks all of it) though the rows end at </sheetData>.
 *
 * Merged ranges are listed after the cells, and a value merged down over data rows must reach each
 * of them before the rows are normalised. So a sheet that may carry them — declared and inflated
 * size at most MERGE_SCAN_MAX, as before the single pass — is inflated whole into memory first, its
 * merges pushed into `merges` (sheet.ts reads them once the first rows are in), then scanned from
 * there; a larger sheet streams, without merges (system exports that big do not merge).
 */
async function* leanRows(
  zip: ZipFile,
  entry: ZipEntry,
  meter: PartMeter,
  ctx: SheetScanCtx,
  merges: VerticalMerge[],
  /** called once, when the part's last chunk is out (meter.checked then holds its verdict) */
  inflated?: () => void,
): AsyncGenerator<readonly SourceRow[]> {
  zip.checkReadable(entry);
  const label = `工作表「${ctx.name}」`;
  const hold = entry.size <= MERGE_SCAN_MAX && !(entry.method === 0 && entry.compressedSize > MERGE_SCAN_MAX);
  // a large sheet is read, inflated, metered and scanned in a worker thread while this one
  // normalises the rows already read (a part read a second time stays here: it is not recounted)
  const scan = entry.size >= scanInWorkerFrom() && !meter.checked.has(entry) ? sheetScanWorker(ctx) : undefined;
  if (scan) {
    const part: PartJob = { source: await meter.source(entry), rules: meter.rules(label), deadline: meter.deadline.state, fileTotal: meter.total, hold };
    const seen: PartSeen = {
      merges,
      checked: (c) => {
        meter.record(entry, c);
        inflated?.();
      },
    };
    yield* scan.part(part, seen);
    return;
  }
  const parts = meter.chunks(entry, label)[Symbol.asyncIterator]();
  let ended = false;
  const chunks = {
    async next(): Promise<IteratorResult<Buffer>> {
      const next = await parts.next();
      if (next.done && !ended) {
        ended = true;
        inflated?.();
      }
      return next;
    },
    return: (v?: unknown) => parts.return(v),
  };
  let held: Buffer[] = [];
  if (hold) {
    const part = await holdWhole(async () => {
      const next = await chunks.next();
      return next.done ? undefined : next.value;
    });
    held = part.held;
    // a part whose inflate broke carries no merges, as before; one by one: a hostile sheet may
    // hold more merges than a spread call takes arguments
    if (part.whole && !meter.checked.get(entry)?.inflateFailed) for (const m of mergesInChunks(held)) merges.push(m);
  }
  async function* source(): AsyncGenerator<Buffer> {
    while (held.length) yield held.shift()!;
    held = [];
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      yield next.value;
    }
  }
  try {
    const scanner = new SheetScanner(ctx);
    for await (const bytes of source()) {
      if (scanner.done) continue; // the cells are read: the rest of the part only goes through the meter
      const rows = scanner.write(bytes);
      if (rows.length) yield rows;
    }
    const rows = scanner.end();
    if (rows.length) yield rows;
  } finally {
    await chunks.return(undefined);
  }
}

/** What every sheet of a workbook is read with: its date system, cell formats, shared strings. */
export interface LeanWorkbook {
  date1904: boolean;
  formats: readonly (string | undefined)[];
  shared: readonly (string | null)[];
}

/**
 * Reads the workbook-level parts through the meter, in the order the meter needs (workbook,
 * styles, shared strings). After it, `meter.checked` tells whether one of them is broken.
 */
export async function readLeanWorkbook(zip: ZipFile, wb: WorkbookStructure, meter: PartMeter): Promise<LeanWorkbook> {
  zip.checkReadable(wb.workbook);
  const parts: Buffer[] = [];
  for await (const chunk of meter.chunks(wb.workbook, '')) parts.push(chunk);
  const xml = Buffer.concat(parts).toString('utf8');
  // date1904 from workbookPr (exceljs reads only the value "1")
  const m = /<(?:[\w.-]+:)?workbookPr\b([^>]*)>/.exec(xml);
  const date1904 = m ? attr(' ' + m[1]!, 'date1904') === '1' : false;
  const formats = wb.styles ? await readCellFormats(zip, wb.styles, meter) : [];
  const shared = wb.sharedStrings ? await readSharedStrings(zip, wb.sharedStrings, meter) : [];
  return { date1904, formats, shared };
}

/**
 * The last column a sheet can have (XFD). Without a limit of the caller's, cells are held to it: a
 * reference such as r="ZZZZZZZZ" (column 2×10¹¹) must not make a row that long.
 */
export const XLSX_MAX_COLUMNS = 16_384;

export interface LeanReadOptions {
  /** the columns-per-row limit, judged while the cells are read (default XLSX_MAX_COLUMNS) */
  maxColumns?: number;
  /** counts and checks every part as it inflates (default: no limits, counts and breaks only) */
  meter?: PartMeter;
  /** the workbook-level parts, already read with the same meter (readLeanWorkbook) */
  book?: LeanWorkbook;
}

/**
 * Sheets in workbook order, each with its rows streamed, as readXlsxSheets (xlsx.ts) yields them.
 * A sheet's merges are complete once its first row has been read. Throws LeanUnsupported on XML it
 * does not read (the caller re-reads the file with exceljs), PartLimitError from the meter, and
 * ZipError after the rows of a part that breaks.
 */
export async function* readXlsxSheetsLean(zip: ZipFile, wb: WorkbookStructure, opts: LeanReadOptions = {}): AsyncGenerator<SourceSheet> {
  const meter = opts.meter ?? PartMeter.unlimited(zip);
  const { date1904, formats, shared } = opts.book ?? (await readLeanWorkbook(zip, wb, meter));
  const open = (i: number): SheetReading => {
    const part = wb.sheets[i]!;
    const ctx: SheetScanCtx = { shared, formats, date1904, maxColumns: opts.maxColumns ?? XLSX_MAX_COLUMNS, name: part.name };
    return new SheetReading((merges, inflated) => leanRows(zip, part.entry, meter, ctx, merges, inflated));
  };
  // the next sheet is read ahead once this one is inflated and the caller is on this one: its part
  // inflates and its first rows are scanned (in the reader worker) while the caller still checks
  // this sheet's last rows; without it both threads waited at every sheet start (docs/benchmarks.md)
  const workerFrom = scanInWorkerFrom();
  let ahead: SheetReading | undefined;
  try {
    for (let i = 0; i < wb.sheets.length; i++) {
      const part = wb.sheets[i]!;
      const reading = ahead ?? open(i);
      ahead = undefined;
      const following = wb.sheets[i + 1];
      if (following && following.entry.size >= workerFrom) {
        reading.whenInflated(() => {
          // a broken part ends the file's sheets (below): nothing further is read
          if (meter.checked.get(part.entry)?.broken) return;
          ahead = open(i + 1);
          ahead.readAhead();
        });
      }
      try {
        yield { name: part.name, batches: reading.batches(), merges: reading.merges };
      } finally {
        await reading.close();
      }
      // the part broke part-way: its rows up to the break are read; the caller reports the sheet
      if (meter.checked.get(part.entry)?.broken) throw new ZipError('压缩数据已损坏');
    }
  } finally {
    // the caller stopped early: a sheet read ahead lets go of its part and its worker job
    await ahead?.close();
  }
}

/**
 * One sheet's rows, which may be asked for before the caller reads them (readAhead): the first
 * batch is then waited for in the background, and an error it met is thrown when the caller
 * reaches the sheet, as if it had been read then.
 */
class SheetReading {
  readonly merges: VerticalMerge[] = [];
  private readonly rows: AsyncGenerator<readonly SourceRow[]>;
  private first: Promise<IteratorResult<readonly SourceRow[]>> | undefined;
  private inflated = false;
  private onInflated: (() => void) | undefined;

  constructor(read: (merges: VerticalMerge[], inflated: () => void) => AsyncGenerator<readonly SourceRow[]>) {
    this.rows = read(this.merges, () => {
      this.inflated = true;
      this.onInflated?.();
      this.onInflated = undefined;
    });
  }

  /** `f` once the part is inflated (now if it already is) */
  whenInflated(f: () => void): void {
    if (this.inflated) f();
    else this.onInflated = f;
  }

  readAhead(): void {
    this.first = this.rows.next();
    this.first.catch(() => {}); // handled when the caller takes it (batches) or lets it go (close)
  }

  async *batches(): AsyncGenerator<readonly SourceRow[]> {
    const first = this.first;
    this.first = undefined;
    if (first) {
      const r = await first;
      if (r.done) return;
      yield r.value;
    }
    yield* this.rows;
  }

  async close(): Promise<void> {
    this.onInflated = undefined;
    const first = this.first;
    this.first = undefined;
    if (first) await first.catch(() => {});
    await this.rows.return(undefined);
  }
}
