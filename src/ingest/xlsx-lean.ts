// The lean xlsx reader: our zip layer inflates each part as a stream (output capped at the bytes
// counted when the part was checked, src/ingest/limits.ts), a pull scanner (xml-scan.ts) walks the
// sheet XML, and rows come out as the same SourceRows the exceljs path (xlsx.ts) produces. Shared
// strings and styles are read first by their directory entries, wherever they lie in the zip; no
// sheet is ever spooled or held whole.
//
// Cell values follow exceljs's streaming reader (so findings do not depend on the reader), except
// where exceljs loses data: an inline string of several runs keeps every run (exceljs keeps the
// last), shared-string phonetic runs (<rPh>) are not taken for the text, cells without an `r`
// attribute take the next column (exceljs stops the sheet), and namespace-prefixed tags are read.
import { createRequire } from 'node:module';
import { createReadStream } from 'node:fs';
import { createInflateRaw } from 'node:zlib';
import type { RawCell } from './types.js';
import { LimitError, type PartCheck } from './limits.js';
import { scanVerticalMerges, type SourceRow, type SourceSheet, type WorkbookStructure } from './xlsx.js';
import { ZipError, type ZipEntry, type ZipFile } from './zip.js';
import { attr, decodeEntities, LeanUnsupported, scanXml, type XmlHandler } from './xml-scan.js';

export { LeanUnsupported } from './xml-scan.js';

const require = createRequire(import.meta.url);
// exceljs's table of built-in number formats: the same codes decide "date" in both readers
const DEFAULT_FORMATS = require('exceljs/lib/xlsx/defaultnumformats.js') as Record<string, { f?: string }>;

/** Streams one part's text, inflated and capped at `cap` bytes (the count the part check made). */
async function* partText(zip: ZipFile, entry: ZipEntry, cap: number | undefined): AsyncGenerator<string> {
  zip.checkReadable(entry);
  const { start, end } = await zip.dataRange(entry);
  if (end <= start) return;
  const source = createReadStream(zip.path, { start, end: end - 1, highWaterMark: 256 * 1024 });
  const stream = entry.method === 8 ? source.pipe(createInflateRaw()) : source;
  source.on('error', (e) => stream.destroy(e));
  const decoder = new TextDecoder('utf-8');
  let left = cap ?? Number.POSITIVE_INFINITY;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const piece = chunk.length > left ? chunk.subarray(0, left) : chunk;
      left -= piece.length;
      const s = decoder.decode(piece, { stream: true });
      if (s) yield s;
      if (left <= 0) break;
    }
  } catch {
    // the break the part check found (reported by the caller): what came before it is read
  } finally {
    source.destroy();
    stream.destroy();
  }
  const tail = decoder.decode();
  if (tail) yield tail;
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

/** Shared strings as exceljs caches them: plain text, rich text joined; an empty item is null. */
export async function readSharedStrings(zip: ZipFile, entry: ZipEntry, cap: number | undefined): Promise<(string | null)[]> {
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
      else if (name === 'si') out.push(runs ? (text ?? '') : text);
    },
    text(raw) {
      if (!inT) return;
      const t = decodeEntities(raw);
      text = text === null ? t : text + t;
    },
  };
  await scanPart(partText(zip, entry, cap), h);
  return out;
}

/** Number format code of each cell style (cellXfs index), for telling dates from numbers. */
export async function readCellFormats(zip: ZipFile, entry: ZipEntry, cap: number | undefined): Promise<(string | undefined)[]> {
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
  await scanPart(partText(zip, entry, cap), h);
  return xfIds.map((id) => {
    // exceljs: numFmtId 0 (or none) means no format
    if (!id || Number(id) === 0) return undefined;
    return custom.get(id) ?? DEFAULT_FORMATS[Number(id)]?.f;
  });
}

/** exceljs's test for a date format: y m d h s b outside quotes and brackets. */
function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  return /[ymdhMsb]+/.test(fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** exceljs's second decoding of inline and formula strings (kept so both readers agree). */
function xmlDecodeAgain(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&([a-z]*);/g, (m, e: string) => ({ lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' } as Record<string, string>)[e] ?? m);
}

function excelToDate(v: number, date1904: boolean): Date {
  return new Date(Math.round((v - 25569 + (date1904 ? 1462 : 0)) * 24 * 3600 * 1000));
}

/** "AB12" → 28 (1-based column); 0 when the reference has no letters. */
function refColumn(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) n = n * 26 + (c - 64);
    else if (c >= 97 && c <= 122) n = n * 26 + (c - 96);
    else if (c === 0x24 /* $ */) continue;
    else break;
  }
  return n;
}

/** exceljs cell value → RawCell (toRawCell in xlsx.ts for the objects exceljs builds). */
function raw(v: number | string | boolean | Date | null): RawCell {
  if (typeof v === 'number') return Number.isNaN(v) ? null : v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  return v;
}

interface SheetCtx {
  shared: readonly (string | null)[];
  formats: readonly (string | undefined)[];
  date1904: boolean;
  maxColumns: number | undefined;
  name: string;
}

/** The rows of one sheet, scanned as the part inflates. */
async function* leanRows(zip: ZipFile, entry: ZipEntry, cap: number | undefined, ctx: SheetCtx): AsyncGenerator<SourceRow> {
  const { shared, formats, date1904, maxColumns } = ctx;
  let ready: SourceRow[] = [];
  let inData = false;
  let done = false;
  // current row
  let rowNo = NaN;
  let rowFmt: string | undefined;
  let cells: RawCell[] | null = null;
  let beyond = 0;
  let lastCol = 0;
  // current cell
  let inCell = false;
  let col = 0;
  let type: string | undefined;
  let cellFmt: string | undefined;
  let hasFormula = false;
  let value: string | null = null; // <v> text, or the inline string
  let target: 0 | 1 | 2 = 0; // 1: <v> text, 2: inline <t> text
  let inlineRuns: string | null = null;
  let phonetic = 0;

  const setCell = (c: number, v: RawCell, present: boolean) => {
    if (maxColumns !== undefined && c > maxColumns) {
      if (v !== null && v !== '') beyond = Math.max(beyond, c);
      return;
    }
    if (!present) {
      // exceljs: a cell without a value is absent from row.values (but a later one may fill it)
      if (cells!.length >= c) cells![c - 1] = cells![c - 1] ?? null;
      return;
    }
    while (cells!.length < c - 1) cells!.push(null);
    cells![c - 1] = v;
  };

  const endCell = () => {
    let v: RawCell = null;
    let present = false;
    if (hasFormula) {
      present = true; // exceljs: a formula cell is a value even without a cached result
      if (value !== null) v = type === 'str' ? xmlDecodeAgain(value) : raw(parseFloat(value));
      // exceljs keeps a formula's result only when it is truthy: 0 and '' read as no value
      if (!v) v = null;
    } else if (value !== null) {
      switch (type) {
        case 's': {
          const s = shared[parseInt(value, 10)];
          present = s !== null && s !== undefined;
          v = present ? s! : null;
          break;
        }
        case 'inlineStr':
        case 'str':
          v = xmlDecodeAgain(value);
          present = true;
          break;
        case 'e':
          v = value;
          present = true;
          break;
        case 'b':
          v = parseInt(value, 10) !== 0;
          present = true;
          break;
        default: {
          const n = parseFloat(value);
          present = true;
          v = isDateFormat(cellFmt) ? raw(excelToDate(n, date1904)) : raw(n);
        }
      }
    }
    setCell(col, v, present);
  };

  const h: XmlHandler = {
    wantText: false,
    open(name, a, self) {
      if (!inData) {
        if (name === 'sheetData' && !self) inData = true;
        return;
      }
      switch (name) {
        case 'row': {
          const r = attr(a, 'r');
          rowNo = r === undefined ? NaN : parseInt(r, 10);
          const s = attr(a, 's');
          rowFmt = s ? formats[parseInt(s, 10)] : undefined;
          cells = [];
          beyond = 0;
          lastCol = 0;
          break;
        }
        case 'c': {
          if (!cells) return;
          const ref = attr(a, 'r');
          col = ref !== undefined ? refColumn(ref) : lastCol + 1;
          if (col < 1) col = lastCol + 1;
          lastCol = col;
          type = attr(a, 't');
          const s = attr(a, 's');
          const si = s ? parseInt(s, 10) : 0;
          // exceljs: the row's format unless the cell names an existing style of its own
          cellFmt = si && si < formats.length ? formats[si] : rowFmt;
          hasFormula = false;
          value = null;
          inlineRuns = null;
          phonetic = 0;
          inCell = !self;
          if (self) setCell(col, null, false);
          break;
        }
        case 'v':
          if (!inCell || self) {
            if (inCell) value = '';
            return;
          }
          value = '';
          target = 1;
          h.wantText = true;
          break;
        case 'f':
          if (inCell) hasFormula = true;
          break;
        case 'is':
          if (inCell) inlineRuns = '';
          break;
        case 'rPh':
          phonetic++;
          break;
        case 't':
          if (!inCell || phonetic > 0) return;
          if (inlineRuns === null) inlineRuns = '';
          if (!self) {
            target = 2;
            h.wantText = true;
          }
          break;
      }
    },
    close(name) {
      if (!inData) return;
      switch (name) {
        case 'v':
        case 't':
          target = 0;
          h.wantText = false;
          break;
        case 'rPh':
          phonetic--;
          break;
        case 'c':
          if (!inCell) return;
          if (inlineRuns !== null && (type === 'inlineStr' || value === null)) value = inlineRuns;
          endCell();
          inCell = false;
          break;
        case 'row':
          if (!cells) return;
          if (beyond > 0 && maxColumns !== undefined) {
            throw new LimitError('columnsPerRow', maxColumns, `工作表「${ctx.name}」第${rowNo}行`, beyond);
          }
          ready.push({ row: rowNo, cells });
          cells = null;
          break;
        case 'sheetData':
          inData = false;
          done = true;
          break;
      }
    },
    text(t) {
      const s = t.indexOf('&') >= 0 ? decodeEntities(t) : t;
      if (target === 1) value = value === null ? s : value + s;
      else if (target === 2) inlineRuns = inlineRuns === null ? s : inlineRuns + s;
    },
  };

  let rest = '';
  for await (const chunk of partText(zip, entry, cap)) {
    const buf = rest ? rest + chunk : chunk;
    const used = scanXml(buf, h, false);
    rest = used < buf.length ? buf.slice(used) : '';
    if (ready.length) {
      const out = ready;
      ready = [];
      yield* out;
    }
    // the cells are read; merged ranges were found beforehand
    if (done) return;
  }
  if (rest) scanXml(rest, h, true);
  if (ready.length) yield* ready;
}

/** date1904 from workbook.xml's workbookPr (exceljs reads only the value "1"). */
async function readDate1904(zip: ZipFile, entry: ZipEntry): Promise<boolean> {
  const xml = (await zip.read(entry)).toString('utf8');
  const m = /<(?:[\w.-]+:)?workbookPr\b([^>]*)>/.exec(xml);
  return m ? attr(' ' + m[1]!, 'date1904') === '1' : false;
}

/**
 * Sheets in workbook order, each with its rows streamed, as readXlsxSheets (xlsx.ts) yields them.
 * Throws LeanUnsupported on XML it does not read (the caller re-reads the file with exceljs).
 */
export async function* readXlsxSheetsLean(
  zip: ZipFile,
  wb: WorkbookStructure,
  maxColumns?: number,
  checked?: ReadonlyMap<ZipEntry, PartCheck>,
): AsyncGenerator<SourceSheet> {
  const cap = (e: ZipEntry) => checked?.get(e)?.inflatedBytes;
  const date1904 = await readDate1904(zip, wb.workbook);
  const formats = wb.styles ? await readCellFormats(zip, wb.styles, cap(wb.styles)) : [];
  const shared = wb.sharedStrings ? await readSharedStrings(zip, wb.sharedStrings, cap(wb.sharedStrings)) : [];
  for (const part of wb.sheets) {
    const merges = await scanVerticalMerges(zip, part.entry);
    const ctx: SheetCtx = { shared, formats, date1904, maxColumns, name: part.name };
    yield { name: part.name, rows: leanRows(zip, part.entry, cap(part.entry), ctx), merges };
    if (checked?.get(part.entry)?.broken) throw new ZipError('压缩数据已损坏');
  }
}
