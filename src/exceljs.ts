// exceljs, with its streaming XML reader fixed for multi-byte text. Import ExcelJS from here, never
// from 'exceljs' directly (tests/engine/exceljs-import.test.ts enforces it).
//
// Why: exceljs 4.4's lib/utils/parse-sax.js decodes every chunk of a zip entry on its own
// (`new TextDecoder().decode(chunk)` without `stream: true`), so a Chinese character whose three
// UTF-8 bytes straddle two inflate chunks becomes "���". On real exports this corrupts a name or
// an address every few tens of kilobytes of sharedStrings.xml. The fix replaces that one module,
// before exceljs loads, with the same generator using one streaming decoder per document.
import { createRequire, Module } from 'node:module';
import type * as ExcelJSNs from 'exceljs';

const require = createRequire(import.meta.url);
const saxPath = require.resolve('exceljs/lib/utils/parse-sax.js');
const exceljsRequire = createRequire(saxPath);

type Sax = { eventType: string; value: unknown }[];

async function* parseSaxStreaming(iterable: AsyncIterable<Buffer | string> & { pipe?: unknown }): AsyncGenerator<Sax> {
  const { SaxesParser } = exceljsRequire('saxes') as typeof import('saxes');
  const { PassThrough } = exceljsRequire('readable-stream') as typeof import('node:stream');
  let source: AsyncIterable<Buffer | string> = iterable;
  if (typeof iterable.pipe === 'function' && !(Symbol.asyncIterator in iterable)) {
    source = (iterable as unknown as NodeJS.ReadableStream).pipe(new PassThrough()) as unknown as AsyncIterable<Buffer>;
  }
  const decoder = new TextDecoder('utf-8');
  const parser = new SaxesParser();
  let error: Error | undefined;
  parser.on('error', (err: Error) => {
    error = err;
  });
  let events: Sax = [];
  parser.on('opentag', (value: unknown) => events.push({ eventType: 'opentag', value }));
  parser.on('text', (value: unknown) => events.push({ eventType: 'text', value }));
  parser.on('closetag', (value: unknown) => events.push({ eventType: 'closetag', value }));
  for await (const chunk of source) {
    parser.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (error) throw error;
    yield events;
    events = [];
  }
  const tail = decoder.decode();
  if (tail) {
    parser.write(tail);
    if (error) throw error;
    yield events;
  }
}

function install(): void {
  const cached = require.cache[saxPath];
  if (cached) {
    if ((cached.exports as { qingxiPatched?: boolean }).qingxiPatched) return;
    throw new Error('exceljs was loaded before src/exceljs.ts could fix its XML decoding: import ExcelJS from src/exceljs.ts');
  }
  const m = new Module(saxPath);
  m.filename = saxPath;
  m.loaded = true;
  m.exports = Object.assign(parseSaxStreaming, { qingxiPatched: true });
  require.cache[saxPath] = m;
}

install();

/**
 * A cell beyond the reader's column limit (WorkbookReader option `maxColumns`) is never
 * materialised: exceljs keeps a row's cells in an array indexed by column and walks all of it for
 * every row (`dimensions`, `values`), so one cell in column XFD made each row cost 16,384 slots.
 * Such a cell gets a throwaway object instead; if it is given a value, the row records the column
 * in `qingxiBeyondColumn` for the caller to report (src/ingest/xlsx.ts).
 */
function limitColumns(): void {
  const Row = exceljsRequire('../doc/row.js') as { prototype: Record<string, unknown> & { qingxiColumnsLimited?: boolean } };
  if (Row.prototype.qingxiColumnsLimited) return;
  const getCellEx = Row.prototype['getCellEx'] as (this: unknown, address: { col: number }) => unknown;
  Row.prototype['getCellEx'] = function (this: { _worksheet?: { options?: { maxColumns?: unknown } }; qingxiBeyondColumn?: number }, address: { col: number }) {
    const max = this._worksheet?.options?.maxColumns;
    if (typeof max === 'number' && address.col > max) {
      const row = this;
      return {
        numFmt: undefined,
        style: {},
        get value() {
          return null;
        },
        set value(v: unknown) {
          if (v !== null && v !== undefined && v !== '') row.qingxiBeyondColumn = Math.max(row.qingxiBeyondColumn ?? 0, address.col);
        },
      };
    }
    return getCellEx.call(this, address);
  };
  Row.prototype.qingxiColumnsLimited = true;
}

limitColumns();

const ExcelJS = require('exceljs') as typeof ExcelJSNs;
// The types of the exceljs namespace, so `ExcelJS.Row` etc. work for importers as before.
// eslint-disable-next-line @typescript-eslint/no-namespace
declare namespace ExcelJS {
  export type Workbook = ExcelJSNs.Workbook;
  export type Worksheet = ExcelJSNs.Worksheet;
  export type Row = ExcelJSNs.Row;
  export type Cell = ExcelJSNs.Cell;
  export type CellValue = ExcelJSNs.CellValue;
  export type DataValidation = ExcelJSNs.DataValidation;
  export type Fill = ExcelJSNs.Fill;
  export type FillPattern = ExcelJSNs.FillPattern;
  export type PageSetup = ExcelJSNs.PageSetup;
  export type Style = ExcelJSNs.Style;
  export type WorksheetProtection = ExcelJSNs.WorksheetProtection;
  export type Borders = ExcelJSNs.Borders;
  export type Font = ExcelJSNs.Font;
  export type Alignment = ExcelJSNs.Alignment;
  export type Column = ExcelJSNs.Column;
  export type ValueType = ExcelJSNs.ValueType;
  export namespace stream {
    export namespace xlsx {
      export type WorkbookWriter = ExcelJSNs.stream.xlsx.WorkbookWriter;
      export type WorkbookReader = ExcelJSNs.stream.xlsx.WorkbookReader;
    }
  }
}
export default ExcelJS;
