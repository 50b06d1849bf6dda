// Property test: on generated workbooks (every cell type the readers know, styles with date
// formats, parts in any zip order, stored or deflated) the lean reader yields exactly the rows
// exceljs yields. Plus the constructs only the lean reader reads, each with its expected rows.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { buildStoredZip, ZipFile } from '../../src/ingest/zip.js';
import { readStructure, readXlsxSheets, type SourceRow } from '../../src/ingest/xlsx.js';
import { LeanUnsupported, readXlsxSheetsLean } from '../../src/ingest/xlsx-lean.js';
import { isoCellDate } from '../../src/ingest/sheet-scan.js';
import { checkZipParts, Deadline, DEFAULT_LIMITS } from '../../src/ingest/limits.js';

const tmp = mkdtempSync(join(tmpdir(), 'qingxi-lean-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="165" formatCode="[Red]0.00"/></numFmts><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`;

// text without ';' so that no literal entity reference can be formed (exceljs decodes inline text twice)
const text = fc.string({ unit: fc.constantFrom('张', '王', '户', '主', 'a', 'Z', '1', '0', ' ', '&', '<', '>', '"', "'", '\u3000', 'X'), maxLength: 12 });

type Cell =
  | { k: 'shared'; i: number }
  | { k: 'inline'; t: string }
  | { k: 'num'; v: number; s: number }
  | { k: 'bool'; v: boolean }
  | { k: 'err'; v: string }
  | { k: 'formula'; t: 'n' | 'str' | 'none'; v: string }
  | { k: 'styled'; s: number }
  | { k: 'emptyv'; t: string };

const cell: fc.Arbitrary<Cell | null> = fc.oneof(
  fc.constant(null),
  fc.record({ k: fc.constant('shared' as const), i: fc.nat({ max: 12 }) }),
  fc.record({ k: fc.constant('inline' as const), t: text }),
  fc.record({ k: fc.constant('num' as const), v: fc.oneof(fc.integer({ min: -1e6, max: 1e7 }), fc.double({ min: 0, max: 80000, noNaN: true }), fc.constantFrom(430524199001011234, 43831, 0.5)), s: fc.nat({ max: 6 }) }),
  fc.record({ k: fc.constant('bool' as const), v: fc.boolean() }),
  fc.record({ k: fc.constant('err' as const), v: fc.constantFrom('#N/A', '#REF!', '#DIV/0!') }),
  fc.record({ k: fc.constant('formula' as const), t: fc.constantFrom('n' as const, 'str' as const, 'none' as const), v: fc.oneof(text, fc.constantFrom('42', '3.5', '0', '')) }),
  fc.record({ k: fc.constant('styled' as const), s: fc.nat({ max: 4 }) }),
  fc.record({ k: fc.constant('emptyv' as const), t: fc.constantFrom('n', 's', 'str') }),
);

const sharedItem = fc.oneof(text.map((t) => ({ runs: null as string[] | null, t })), fc.array(text, { minLength: 1, maxLength: 3 }).map((runs) => ({ runs, t: '' })));

const workbook = fc.record({
  shared: fc.array(sharedItem, { minLength: 13, maxLength: 13 }),
  sheets: fc.array(
    fc.record({
      rows: fc.array(fc.record({ gap: fc.nat({ max: 2 }), style: fc.constantFrom(undefined, 1, 3), cells: fc.array(fc.record({ gap: fc.nat({ max: 2 }), c: cell }), { maxLength: 8 }) }), { maxLength: 12 }),
      hidden: fc.boolean(),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  order: fc.constantFrom('normal', 'sst-last', 'styles-last'),
  deflate: fc.constant(true),
  date1904: fc.boolean(),
});

function colName(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

function cellXml(c: Cell, ref: string): string {
  switch (c.k) {
    case 'shared':
      return `<c r="${ref}" t="s"><v>${c.i}</v></c>`;
    case 'inline':
      return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${esc(c.t)}</t></is></c>`;
    case 'num':
      return `<c r="${ref}"${c.s ? ` s="${c.s}"` : ''}><v>${c.v}</v></c>`;
    case 'bool':
      return `<c r="${ref}" t="b"><v>${c.v ? 1 : 0}</v></c>`;
    case 'err':
      return `<c r="${ref}" t="e"><v>${c.v}</v></c>`;
    case 'formula':
      if (c.t === 'none') return `<c r="${ref}"><f>A1+1</f></c>`;
      return `<c r="${ref}"${c.t === 'str' ? ' t="str"' : ''}><f>A1&amp;"x"</f><v>${esc(c.v)}</v></c>`;
    case 'styled':
      return `<c r="${ref}" s="${c.s}"/>`;
    case 'emptyv':
      return `<c r="${ref}" t="${c.t}"><v></v></c>`;
  }
}

type Wb = typeof workbook extends fc.Arbitrary<infer T> ? T : never;

function build(wb: Wb): Buffer {
  const sst = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${wb.shared.length}" uniqueCount="${wb.shared.length}">${wb.shared
    .map((s) => (s.runs ? `<si>${s.runs.map((r) => `<r><rPr><b/><sz val="11"/></rPr><t xml:space="preserve">${esc(r)}</t></r>`).join('')}</si>` : `<si><t xml:space="preserve">${esc(s.t)}</t></si>`))
    .join('')}</sst>`;
  const sheets = wb.sheets.map((sh) => {
    let r = 0;
    const rows = sh.rows.map((row) => {
      r += 1 + row.gap;
      let c = 0;
      const cells = row.cells
        .map((x) => {
          c += 1 + x.gap;
          return x.c ? cellXml(x.c, `${colName(c)}${r}`) : '';
        })
        .join('');
      return `<row r="${r}"${row.style ? ` s="${row.style}" customFormat="1"` : ''}>${cells}</row>`;
    });
    return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><dimension ref="A1"/><sheetData>${rows.join('')}</sheetData></worksheet>`;
  });
  const wbXml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr${wb.date1904 ? ' date1904="1"' : ''}/><sheets>${wb.sheets
    .map((s, i) => `<sheet name="表${i + 1}" sheetId="${i + 1}"${s.hidden ? ' state="hidden"' : ''} r:id="rId${i + 1}"/>`)
    .join('')}</sheets></workbook>`;
  const rels = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${wb.sheets
    .map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
    .join('')}<Relationship Id="rS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`;
  const d = wb.deflate;
  const head = [
    { name: 'xl/workbook.xml', data: wbXml, deflate: d },
    { name: 'xl/_rels/workbook.xml.rels', data: rels, deflate: d },
  ];
  const sstPart = { name: 'xl/sharedStrings.xml', data: sst, deflate: d };
  const stylesPart = { name: 'xl/styles.xml', data: STYLES, deflate: d };
  const sheetParts = sheets.map((x, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: x, deflate: d }));
  const parts =
    wb.order === 'sst-last' ? [...head, stylesPart, ...sheetParts, sstPart] : wb.order === 'styles-last' ? [...head, sstPart, ...sheetParts, stylesPart] : [...head, stylesPart, sstPart, ...sheetParts];
  return buildStoredZip(parts);
}

async function readAll(path: string, lean: boolean): Promise<{ name: string | undefined; rows: SourceRow[] }[]> {
  const zip = await ZipFile.open(path, statSync(path).size);
  try {
    const st = await readStructure(zip);
    const checked = await checkZipParts(zip, [{ entry: st.workbook, label: '' }, ...(st.styles ? [{ entry: st.styles, label: '' }] : []), ...(st.sharedStrings ? [{ entry: st.sharedStrings, label: '' }] : []), ...st.sheets.map((s) => ({ entry: s.entry, label: s.name }))], DEFAULT_LIMITS, new Deadline(60));
    const out: { name: string | undefined; rows: SourceRow[] }[] = [];
    const sheets = lean ? readXlsxSheetsLean(zip, st, { maxColumns: 1000 }) : readXlsxSheets(zip, st, 1000, checked);
    for await (const s of sheets) {
      const rows: SourceRow[] = [];
      for await (const b of s.batches) for (const r of b) rows.push(r);
      out.push({ name: s.name, rows });
    }
    return out;
  } finally {
    await zip.close();
  }
}

let n = 0;
async function both(buf: Buffer) {
  const p = join(tmp, `w${n++}.xlsx`);
  writeFileSync(p, buf);
  return { lean: await readAll(p, true), exceljs: await readAll(p, false) };
}

describe('lean xlsx reader', () => {
  it('yields the rows exceljs yields on generated workbooks', { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(workbook, async (wb) => {
        const { lean, exceljs } = await both(build(wb));
        expect(lean).toEqual(exceljs);
      }),
      { numRuns: 150 },
    );
  });

  const plain = (sheetData: string, sst = '') =>
    buildStoredZip([
      { name: 'xl/workbook.xml', data: '<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>' },
      { name: 'xl/_rels/workbook.xml.rels', data: `<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/>${sst ? '<Relationship Id="rId2" Type="x/sharedStrings" Target="sharedStrings.xml"/>' : ''}</Relationships>` },
      { name: 'xl/worksheets/sheet1.xml', data: `<worksheet><sheetData>${sheetData}</sheetData></worksheet>`, deflate: true },
      ...(sst ? [{ name: 'xl/sharedStrings.xml', data: sst }] : []),
    ]);

  it('reads what exceljs loses: cells without r, inline rich text, phonetic runs, prefixed tags', async () => {
    const p = join(tmp, 'lean-only.xlsx');
    writeFileSync(
      p,
      plain(
        '<row r="1"><c t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><r><t>户</t></r><r><rPr><b/></rPr><t>主</t></r></is></c><c r="E1" t="s"><v>0</v></c><c><v>7</v></c></row>' +
          '<x:row r="3"><x:c r="B3"><x:v>1.5</x:v></x:c></x:row>',
        '<sst><si><t>张三</t><rPh sb="0" eb="2"><t>ちょうさん</t></rPh></si></sst>',
      ),
    );
    const [s] = await readAll(p, true);
    expect(s!.rows).toEqual([
      { row: 1, cells: ['a', '户主', null, null, '张三', 7] },
      { row: 3, cells: [null, 1.5] },
    ]);
  });

  it('reads CDATA as its text, in cells and shared strings (exceljs drops it from shared strings)', async () => {
    const p = join(tmp, 'cdata.xlsx');
    writeFileSync(
      p,
      plain(
        '<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[a & <b>]]></t></is></c><c r="B1" t="s"><v>0</v></c>' +
          '<c r="C1" t="inlineStr"><is><t>前<![CDATA[&]]>后</t></is></c><c r="D1" t="str"><v><![CDATA[43052419900101123X]]></v></c></row>',
        '<sst><si><t><![CDATA[张三 &amp; <李四>]]></t></si></sst>',
      ),
    );
    const [s] = await readAll(p, true);
    // a shared string's CDATA is taken as written, entity-like text included (inline text is decoded
    // once more, as exceljs does with every inline string: CDATA there is read as such text is)
    expect(s!.rows).toEqual([{ row: 1, cells: ['a & <b>', '张三 &amp; <李四>', '前&后', '43052419900101123X'] }]);
  });

  it('reads an ISO 8601 date cell (t="d") as the date written, never as a number (exceljs\'s streaming reader gives the year)', async () => {
    const p = join(tmp, 'iso-dates.xlsx');
    const values = ['2020-04-30', '2016-03-01T00:00:00Z', '1990-01-01T08:15:30.250Z'];
    writeFileSync(p, plain(`<row r="1">${values.map((v, i) => `<c r="${String.fromCharCode(65 + i)}1" t="d"><v>${v}</v></c>`).join('')}</row>`));
    const [lean] = await readAll(p, true);
    const [exceljs] = await readAll(p, false);
    expect(lean!.rows).toEqual([{ row: 1, cells: values.map((v) => new Date(v)) }]);
    // what the lean reader no longer does: 2020-04-30 read as the number 2020
    expect(exceljs!.rows).toEqual([{ row: 1, cells: [2020, 2016, 1990] }]);
  });

  it('takes the date and time an ISO date cell writes, whatever its zone; other text stays text', () => {
    expect(isoCellDate('2020-04-30T00:00:00')).toEqual(new Date(Date.UTC(2020, 3, 30)));
    expect(isoCellDate('2020-04-30T00:00:00+08:00')).toEqual(new Date(Date.UTC(2020, 3, 30)));
    expect(isoCellDate(' 2020-04-30 12:30 ')).toEqual(new Date(Date.UTC(2020, 3, 30, 12, 30)));
    expect(isoCellDate('2020-04-30T23:59:59,5Z')).toEqual(new Date(Date.UTC(2020, 3, 30, 23, 59, 59, 500)));
    for (const bad of ['2021-02-30', '2020-04-30T24:00:00', '0099-01-01', '2020/04/30', '43951', '']) expect(isoCellDate(bad), bad).toBe(bad);
  });

  it('holds cells to the last column a sheet can have when the caller gives no limit (a letters-only reference is no huge row)', async () => {
    const read = async (name: string, sheetData: string): Promise<SourceRow[]> => {
      const p = join(tmp, name);
      writeFileSync(p, plain(sheetData));
      const zip = await ZipFile.open(p, statSync(p).size);
      try {
        const rows: SourceRow[] = [];
        for await (const sheet of readXlsxSheetsLean(zip, await readStructure(zip))) for await (const b of sheet.batches) rows.push(...b);
        return rows;
      } finally {
        await zip.close();
      }
    };
    // an empty cell far out is no value; XFD is the last column
    const [row] = await read('far-empty.xlsx', '<row r="1"><c r="A1" t="inlineStr"><is><t>户主</t></is></c><c r="ZZZZZZZZ1"/><c r="XFD1"><v>1</v></c></row>');
    expect(row!.cells).toHaveLength(16_384);
    expect([row!.cells[0], row!.cells[16_383]]).toEqual(['户主', 1]);
    // ZZZZZZZZ is column 2×10¹¹: a value there is refused, not a row grown until the process dies
    await expect(read('far-value.xlsx', '<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="ZZZZZZZZ2"><v>7</v></c></row>')).rejects.toThrow(/第2行：超过每行列数上限 16,384 列/);
  });

  it('refuses a DOCTYPE with LeanUnsupported (the file is then read by exceljs)', async () => {
    const p = join(tmp, 'doctype.xlsx');
    writeFileSync(
      p,
      buildStoredZip([
        { name: 'xl/workbook.xml', data: '<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>' },
        { name: 'xl/_rels/workbook.xml.rels', data: '<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>' },
        { name: 'xl/worksheets/sheet1.xml', data: '<?xml version="1.0"?><!DOCTYPE worksheet><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>' },
      ]),
    );
    await expect(readAll(p, true)).rejects.toBeInstanceOf(LeanUnsupported);
  });

  it('a > inside a quoted attribute does not end the tag', async () => {
    const p = join(tmp, 'gt.xlsx');
    writeFileSync(p, plain('<row r="1" x="a>b"><c r="B1" t="inlineStr" y=\'>\'><is><t>v</t></is></c></row>'));
    const [s] = await readAll(p, true);
    expect(s!.rows).toEqual([{ row: 1, cells: [null, 'v'] }]);
  });
});
