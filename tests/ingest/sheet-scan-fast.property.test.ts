// The sheet scanner takes the usual cell (`<c r s t><v>…</v></c>`, `<c …/>`) in one step instead of
// five XML events (SheetScanner's fastCell). Property: on generated sheet XML mixing those cells
// with every form the shortcut must leave to the events (formulas, inline strings, prefixes, other
// spacing or quoting, entities in attributes, an attribute hiding ` t='…'` in its value, comments,
// cells and rows without references), cut into chunks anywhere, including inside a character, the
// rows and the error are exactly those of the scanner without the shortcut.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SheetScanner, type SheetScanCtx } from '../../src/ingest/sheet-scan.js';
import type { SourceRow } from '../../src/ingest/xlsx.js';
import type { XmlHandler } from '../../src/ingest/xml-scan.js';

const SHARED = ['户主', '张三', null, '430524198001011234', '中'];
const FORMATS = [undefined, 'yyyy-mm-dd', '0.00', 'General', '[Red]0.00'];

const ref = fc.oneof(
  fc.tuple(fc.constantFrom('A', 'B', 'C', 'D', 'F', 'AA', '$B', 'c', 'XFD'), fc.nat({ max: 30 })).map(([c, r]) => `${c}${r}`),
  fc.constantFrom('1A', '', '$'),
);
const type = fc.constantFrom('s', 'n', 'str', 'b', 'e', 'd', 'inlineStr', 'x');
const style = fc.constantFrom('0', '1', '2', '3', '4', '5', '9', '', '01', ' 2', '2a', '12345678901');
const value = fc.constantFrom('0', '1', '2', '3', '4', '7', '43831', '-1.5', '1E+17', '', '2020-04-30', 'TRUE', '#N/A', '&amp;1', '&#49;', '中文', ' 2 ');

/** One attribute as written: mostly the usual ` name="value"`, sometimes in a form the shortcut leaves alone. */
const attribute = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('r', 's', 't'), fc.oneof(ref, style, type)).map(([k, v]) => ` ${k}="${v}"`) },
  { weight: 1, arbitrary: fc.constantFrom(' cm="1"', ' vm="2"', ' ph="1"', " t='s'", ' s="&#49;"', '\tt="s"', '  r="B2"', ' r = "C3"', ' foo=" t=\'inlineStr\'"', ' x:t="s"', ' t="s" t="n"') },
);
const attrs = fc.array(attribute, { maxLength: 4 }).map((a) => a.join(''));

const cell = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(attrs, value).map(([a, v]) => `<c${a}><v>${v}</v></c>`) },
  { weight: 2, arbitrary: attrs.map((a) => `<c${a}/>`) },
  { weight: 1, arbitrary: attrs.map((a) => `<c${a}></c>`) },
  { weight: 1, arbitrary: fc.tuple(attrs, value).map(([a, v]) => `<c${a}><f>A1</f><v>${v}</v></c>`) },
  { weight: 1, arbitrary: fc.tuple(attrs, value).map(([a, v]) => `<c${a} t="inlineStr"><is><t>${v}</t></is></c>`) },
  { weight: 1, arbitrary: fc.tuple(attrs, value).map(([a, v]) => `<x:c${a}><x:v>${v}</x:v></x:c>`) },
  { weight: 1, arbitrary: fc.tuple(attrs, value).map(([a, v]) => `<c${a}><v><![CDATA[${v}]]></v></c>`) },
  { weight: 1, arbitrary: fc.tuple(attrs, value).map(([a, v]) => `<c${a}>\n  <v>${v}</v>\n</c>`) },
  { weight: 1, arbitrary: fc.constantFrom('<!-- 注释 -->', '\n    ', '<col min="1"/>', '<c', '<v>9</v>') },
);
const row = fc.tuple(fc.constantFrom('', ' r="3"', ' r="7" s="1" customFormat="1"', ' r="2" spans="1:4"'), fc.array(cell, { maxLength: 8 })).map(
  ([a, cells]) => `<row${a}>${cells.join('')}</row>`,
);
const sheet = fc.array(row, { maxLength: 8 }).map((rows) => `<?xml version="1.0"?><worksheet><sheetData>${rows.join('')}</sheetData><mergeCells/></worksheet>`);

type Outcome = { rows: SourceRow[]; error?: string };

function scan(xml: Uint8Array, cuts: number[], ctx: SheetScanCtx, fast: boolean): Outcome {
  const scanner = new SheetScanner(ctx, undefined, fast);
  const rows: SourceRow[] = [];
  try {
    let at = 0;
    for (const cut of [...new Set(cuts.map((c) => Math.min(c, xml.length)))].sort((a, b) => a - b).concat(xml.length)) {
      rows.push(...scanner.write(xml.subarray(at, cut)));
      at = cut;
    }
    rows.push(...scanner.end());
    return { rows };
  } catch (e) {
    rows.push(...scanner.take());
    return { rows, error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

describe('SheetScanner: the one-step cell', () => {
  it('gives the rows and errors of the event-by-event scan, on any sheet cut anywhere', () => {
    fc.assert(
      fc.property(
        sheet,
        fc.array(fc.nat(3000), { maxLength: 6 }),
        fc.boolean(),
        fc.constantFrom(3, 30, 16384), // always set, as every reader of ours sets it (a reference like r="inlineStr" is column 5e12)
        (xml, cuts, date1904, maxColumns) => {
          const bytes = Buffer.from(xml, 'utf8');
          const ctx: SheetScanCtx = { shared: SHARED, formats: FORMATS, date1904, maxColumns, name: '花名册' };
          expect(scan(bytes, cuts, ctx, true)).toEqual(scan(bytes, cuts, ctx, false));
        },
      ),
      { numRuns: 600 },
    );
  });

  it('takes the usual cells itself (so the property above compares two different paths)', () => {
    const xml = Buffer.from('<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" s="1"><v>43831</v></c><c r="C1" s="2"/></row></sheetData></worksheet>');
    const ctx: SheetScanCtx = { shared: SHARED, formats: FORMATS, date1904: false, maxColumns: 16_384, name: 'x' };
    /** the rows, and how many <c> open events the scanner's handler saw */
    const read = (fast: boolean) => {
      const scanner = new SheetScanner(ctx, undefined, fast);
      const h = (scanner as unknown as { h: XmlHandler }).h;
      const open = h.open.bind(h);
      let cellEvents = 0;
      h.open = (name, a, self) => {
        if (name === 'c') cellEvents++;
        open(name, a, self);
      };
      return { rows: [...scanner.write(xml), ...scanner.end()], cellEvents };
    };
    const fast = read(true);
    const events = read(false);
    expect(fast.rows).toEqual([{ row: 1, cells: ['张三', new Date(Date.UTC(2020, 0, 1))] }]);
    expect(events.rows).toEqual(fast.rows);
    expect([fast.cellEvents, events.cellEvents]).toEqual([0, 3]);
  });
});
