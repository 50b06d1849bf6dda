// RowXmlWriter writes the 整改台账's long sheets without exceljs's Row objects: the sheet XML and the
// style table must be what exceljs's own streaming writer makes of the same rows, byte for byte.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import yauzl from 'yauzl';
import { afterAll, describe, expect, it } from 'vitest';
import ExcelJS from '../../src/exceljs.js';
import { RowXmlWriter, xmlText, type XmlCell, type XmlFont } from '../../src/outputs/row-xml.js';

const dir = mkdtempSync(join(tmpdir(), 'qingxi-rowxml-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function parts(path: string, names: string[]): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out = new Map<string, string>();
      zip.on('entry', (e: yauzl.Entry) => {
        if (!names.includes(e.fileName)) return zip.readEntry();
        zip.openReadStream(e, (err2, s) => {
          if (err2 || !s) return reject(err2);
          const chunks: Buffer[] = [];
          s.on('data', (c: Buffer) => chunks.push(c));
          s.on('end', () => {
            out.set(e.fileName, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.readEntry();
    });
  });
}

interface TestRow {
  cells: XmlCell[];
  height?: number;
}

const FONTS: XmlFont[] = [{ name: '宋体', size: 10.5 }, { name: '宋体', size: 10.5, bold: true, color: { argb: 'FF9C0006' } }, { bold: true }, { color: { argb: 'FF1F4E79' } }];
const BORDER_THIN = { style: 'thin' as const, color: { argb: 'FFBFBFBF' } };
const STYLES: Partial<ExcelJS.Style>[] = [
  {},
  { font: { name: '宋体', size: 10.5 }, border: { top: BORDER_THIN, left: BORDER_THIN, bottom: BORDER_THIN, right: BORDER_THIN }, alignment: { vertical: 'top', wrapText: true } },
  { font: { name: '宋体', size: 10.5, bold: true }, fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } } },
  { numFmt: 'yyyy-mm-dd', protection: { locked: false } },
  { alignment: { horizontal: 'center' } },
];
const UNITS = ['a', '中', '村', ' ', '  ', '\n', '\t', '\r', '<', '>', '&', '"', "'", '\u0001', '\u000b', '\u007f', '\u001f', '𠀀', '=1+1', '430524199001011234', '【错误】'];
const text = fc.array(fc.constantFrom(...UNITS), { maxLength: 12 }).map((a) => a.join(''));
const run = fc.record({ text, font: fc.option(fc.constantFrom(...FONTS), { nil: undefined }) }).map((r) => (r.font ? r : { text: r.text }));
const value = fc.oneof(
  fc.constant(null),
  fc.integer({ min: -1e9, max: 1e9 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }),
  fc.array(run, { minLength: 1, maxLength: 3 }).map((richText) => ({ richText })),
);
const cell = fc.record({ value, style: fc.constantFrom(...STYLES) });
const row = fc.record({
  cells: fc.array(cell, { minLength: 0, maxLength: 8 }),
  height: fc.option(fc.oneof(fc.integer({ min: 1, max: 409 }), fc.constantFrom(19.5, 35, 84)), { nil: undefined }),
});

let seq = 0;
/** The same header row, then `rows` through exceljs (`fast` false) or RowXmlWriter (true). */
async function write(rows: TestRow[], fast: boolean): Promise<Map<string, string>> {
  const path = join(dir, `${seq++}.xlsx`);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet('问题清单');
  ws.columns = [{ width: 10 }, { width: 20, hidden: true }];
  const head = ws.getRow(1);
  head.getCell(1).value = { richText: [{ text: '序号' }] };
  head.getCell(1).style = STYLES[2]!;
  head.height = 22;
  head.commit();
  const writer = fast ? new RowXmlWriter(ws) : undefined;
  for (const r of rows) {
    if (writer) {
      writer.write(r.cells, r.height);
      continue;
    }
    const x = ws.addRow(r.cells.map((c) => c.value));
    r.cells.forEach((c, i) => (x.getCell(i + 1).style = c.style));
    if (r.height) x.height = r.height;
    x.commit();
  }
  ws.autoFilter = `A1:B${rows.length + 1}`;
  ws.commit();
  await wb.commit();
  return parts(path, ['xl/worksheets/sheet1.xml', 'xl/styles.xml']);
}

describe('RowXmlWriter', () => {
  it('writes the sheet XML and style table exceljs writes for the same rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 25 }), async (rows) => {
        const [slow, fast] = [await write(rows, false), await write(rows, true)];
        expect(fast.get('xl/worksheets/sheet1.xml')).toBe(slow.get('xl/worksheets/sheet1.xml'));
        expect(fast.get('xl/styles.xml')).toBe(slow.get('xl/styles.xml'));
      }),
      // a row of one unvalued cell whose style nothing else uses: skipped, and its style not registered
      { numRuns: 80, examples: [[[{ cells: [{ value: null, style: STYLES[3]! }] }]], [[{ cells: [], height: 19.5 }]]] },
    );
  });

  it('the rows numbered on from the header, an empty row without height skipped but counted', async () => {
    const rows: TestRow[] = [
      { cells: [{ value: 7, style: STYLES[1]! }] },
      { cells: [{ value: null, style: STYLES[1]! }] },
      { cells: [{ value: { richText: [{ text: ' 前后空格 ' }] }, style: STYLES[0]! }], height: 35 },
    ];
    const xml = (await write(rows, true)).get('xl/worksheets/sheet1.xml')!;
    expect(xml).toContain('<row r="2" spans="1:1" x14ac:dyDescent="0.25"><c r="A2" s="');
    expect(xml).not.toContain('<row r="3"');
    expect(xml).toContain('<row r="4" ht="35" customHeight="1" spans="1:1" x14ac:dyDescent="0.25"><c r="A4" t="inlineStr"><is><r><t xml:space="preserve"> 前后空格 </t></r></is></c></row>');
    expect(xml).toBe((await write(rows, false)).get('xl/worksheets/sheet1.xml'));
  });

  it('refuses a font property it does not write, and a sheet with uncommitted rows', async () => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: join(dir, 'refuse.xlsx'), useStyles: true });
    const ws = wb.addWorksheet('s');
    const writer = new RowXmlWriter(ws);
    expect(() => writer.write([{ value: { richText: [{ text: 'x', font: { italic: true } as XmlFont }] }, style: {} }])).toThrow(/italic/);
    ws.addRow([1]);
    expect(() => writer.write([{ value: 1, style: {} }])).toThrow(/uncommitted/);
  });
});

describe('xmlText', () => {
  it("escapes and drops what exceljs's xmlEncode does", () => {
    const require = createRequire(import.meta.url);
    const { xmlEncode } = require('exceljs/lib/utils/utils.js') as { xmlEncode(s: string): string };
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), text, (a, b) => {
        expect(xmlText(a)).toBe(xmlEncode(a));
        expect(xmlText(b)).toBe(xmlEncode(b));
      }),
      { numRuns: 5000 },
    );
  });
});
