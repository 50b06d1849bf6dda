// Output sinks for the sample generator: one logical sheet written either as a worksheet of a
// streaming xlsx workbook (exceljs WorkbookWriter, bounded memory) or as a CSV file (UTF-8,
// UTF-8 with BOM, or GBK via iconv-lite). Byte-stable: fixed workbook dates, fixed zip entry dates.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from '../exceljs.js';
import iconv from 'iconv-lite';
import { createRequire } from 'node:module';

const requireFromExceljs = createRequire(createRequire(import.meta.url).resolve('exceljs'));

/** A cell to write: text, number, a date (UTC parts, written as an Excel date cell) or empty. */
export type Cell = string | number | Date | null;

/** Fixed timestamp for workbook properties and zip entries, so bytes do not depend on the clock. */
export const FIXED_DATE = new Date(Date.UTC(2020, 2, 1, 0, 0, 0));

export type CsvEncoding = 'utf8' | 'utf8bom' | 'gbk';

export interface SheetSink {
  /** append one row */
  row(cells: readonly Cell[]): Promise<void>;
  /** merge a rectangle (1-based, inclusive); ignored by CSV */
  merge(r1: number, c1: number, r2: number, c2: number): void;
  /** a raw line written as is (CSV only: a malformed row for FILE-03); xlsx writes its cells split on commas */
  raw(line: string): Promise<void>;
  /** rows written so far */
  readonly rows: number;
  close(): Promise<void>;
}

function csvField(c: Cell): string {
  if (c === null) return '';
  let s: string;
  if (c instanceof Date) {
    s = `${c.getUTCFullYear()}-${String(c.getUTCMonth() + 1).padStart(2, '0')}-${String(c.getUTCDate()).padStart(2, '0')}`;
  } else s = String(c);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

export class CsvSink implements SheetSink {
  private out: WriteStream;
  private buf: string[] = [];
  private bufLen = 0;
  rows = 0;
  constructor(
    readonly path: string,
    private readonly encoding: CsvEncoding,
  ) {
    this.out = createWriteStream(path);
    if (encoding === 'utf8bom') this.out.write(Buffer.from([0xef, 0xbb, 0xbf]));
  }
  private async push(line: string): Promise<void> {
    this.buf.push(line);
    this.bufLen += line.length;
    this.rows++;
    if (this.bufLen > 64 * 1024) await this.flush();
  }
  private async flush(): Promise<void> {
    if (this.buf.length === 0) return;
    const text = this.buf.join('');
    this.buf = [];
    this.bufLen = 0;
    const bytes = this.encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
    if (!this.out.write(bytes)) await once(this.out, 'drain');
  }
  row(cells: readonly Cell[]): Promise<void> {
    return this.push(cells.map(csvField).join(',') + '\r\n');
  }
  raw(line: string): Promise<void> {
    return this.push(line + '\r\n');
  }
  merge(): void {}
  private closed = false;
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }
}

interface ZipLike {
  append(source: unknown, data: Record<string, unknown>): unknown;
}

/** A streaming xlsx workbook; sheets are written one after another (commit before the next). */
export class XlsxBook {
  private wb: ExcelJS.stream.xlsx.WorkbookWriter;
  private open?: XlsxSheet;
  constructor(readonly path: string) {
    // zip entries carry a timestamp (archiver defaults to now), and the writer's constructor already
    // appends the theme and rels: pin the date on archiver's append while it runs, then per instance
    const proto = (requireFromExceljs('archiver/lib/core.js') as { prototype: ZipLike }).prototype;
    const original = proto.append;
    proto.append = function (this: ZipLike, source: unknown, data: Record<string, unknown>) {
      return original.call(this, source, { ...data, date: FIXED_DATE });
    };
    try {
      this.wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
    } finally {
      proto.append = original;
    }
    this.wb.creator = 'qingxi samples';
    this.wb.lastModifiedBy = 'qingxi samples';
    this.wb.created = FIXED_DATE;
    this.wb.modified = FIXED_DATE;
    const zip = (this.wb as unknown as { zip: ZipLike }).zip;
    const append = zip.append.bind(zip);
    zip.append = (source: unknown, data: Record<string, unknown>) => append(source, { ...data, date: FIXED_DATE });
  }
  sheet(name: string): XlsxSheet {
    if (this.open) this.open.commitSync();
    this.open = new XlsxSheet(this.wb.addWorksheet(name));
    return this.open;
  }
  async close(): Promise<void> {
    if (this.open) this.open.commitSync();
    this.open = undefined;
    await this.wb.commit();
  }
}

export class XlsxSheet implements SheetSink {
  rows = 0;
  private committed = false;
  /** the first rows stay uncommitted so that header merges can still be declared */
  private pending: ExcelJS.Row[] = [];
  private static readonly HOLD = 12;
  constructor(private readonly ws: ExcelJS.Worksheet) {}
  async row(cells: readonly Cell[]): Promise<void> {
    const r = this.ws.getRow(++this.rows);
    cells.forEach((c, i) => {
      if (c === null) return;
      const cell = r.getCell(i + 1);
      cell.value = c;
      if (c instanceof Date) cell.numFmt = 'yyyy-mm-dd';
    });
    if (this.rows <= XlsxSheet.HOLD) this.pending.push(r);
    else {
      this.flushPending();
      r.commit();
    }
    if (this.rows % 500 === 0) await this.backpressure();
  }
  /**
   * exceljs's StreamBuf pipes into the zip's deflate stream without honouring backpressure, so a
   * fast producer piles rows up in memory: wait for the deflate stream to drain now and then.
   */
  private async backpressure(): Promise<void> {
    type Dest = NodeJS.EventEmitter & { _writableState?: { length: number; needDrain: boolean } };
    const src = (this.ws as unknown as { _stream?: { pipes?: Dest[] } })._stream;
    const st = src?.pipes?.[0]?._writableState; // exceljs's readable-stream PassThrough into the zip
    if (st && st.needDrain && st.length > 1 << 20) {
      await new Promise<void>((res) => src!.pipes![0]!.once('drain', () => res()));
    } else await new Promise((res) => setImmediate(res));
  }
  raw(line: string): Promise<void> {
    return this.row(line.split(','));
  }
  merge(r1: number, c1: number, r2: number, c2: number): void {
    this.ws.mergeCells(r1, c1, r2, c2);
  }
  private flushPending(): void {
    for (const p of this.pending) p.commit();
    this.pending = [];
  }
  commitSync(): void {
    if (this.committed) return;
    this.flushPending();
    this.committed = true;
    (this.ws as unknown as { commit(): void }).commit();
  }
  async close(): Promise<void> {
    this.commitSync();
  }
}
