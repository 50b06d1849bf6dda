// Rows packed by the reader worker's scanner (RowPacker) and unpacked on the main thread are the
// rows the scanner builds as objects (ObjectRows), cell for cell; a shared string comes back as the
// main thread's own string of that index.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packedBuffers, packedCount, RowPacker, unpackRows } from '../../src/ingest/row-codec.js';
import { ObjectRows, SheetScanner, type RowSink } from '../../src/ingest/sheet-scan.js';
import type { RawCell } from '../../src/ingest/types.js';

const shared = ['张三', '户主', '430524199001011234', '', '李四之子', '汉族'];

type Op = { col: number; v: RawCell; sharedAt: number };

const cellOp: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ col: fc.nat(12), at: fc.nat(shared.length - 1) }).map(({ col, at }) => ({ col, v: shared[at]!, sharedAt: at })),
  fc.record({ col: fc.nat(12), v: fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.date({ noInvalidDate: true })) }).map(({ col, v }) => ({ col, v: v as RawCell, sharedAt: -1 })),
);

function feed<T>(sink: RowSink<T>, rows: { rowNo: number; cells: Op[] }[]): void {
  for (const r of rows) {
    sink.start();
    for (const c of r.cells) sink.cell(c.col, c.v, c.sharedAt);
    sink.end(r.rowNo);
  }
}

describe('packed rows', () => {
  it('unpack to the rows built as objects: every kind of cell, gaps, a later cell over an earlier column, odd row numbers', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ rowNo: fc.oneof(fc.nat(1_048_576), fc.constant(Number.NaN)), cells: fc.array(cellOp, { maxLength: 16 }) }), { maxLength: 40 }), (rows) => {
        const objects = new ObjectRows();
        const packer = new RowPacker();
        feed(objects, rows);
        feed(packer, rows);
        const packed = packer.take();
        expect(packedCount(packed)).toBe(rows.length);
        expect(unpackRows(packed, shared)).toEqual(objects.take());
        // nothing is left for the next answer
        expect(packedCount(packer.take())).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('a shared string is the main thread\'s own string of that index, and the arrays move (are not copied)', () => {
    const packer = new RowPacker();
    packer.start();
    packer.cell(1, '户主', 1);
    packer.end(7);
    const p = packer.take();
    const mine = ['甲', '户主（本线程）'];
    expect(unpackRows(p, mine)).toEqual([{ row: 7, cells: [null, '户主（本线程）'] }]);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(p, packedBuffers(p));
    expect(p.kinds.byteLength).toBe(0); // detached: moved to the other side
    port1.close();
    port2.close();
  });

  it('a scanner writing into a packer gives what it gives as row objects', () => {
    const ctx = { shared, formats: [undefined, 'yyyy-mm-dd'], date1904: false, maxColumns: 100, name: '表' };
    const xml = Buffer.from(
      '<worksheet><sheetData>' +
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>内联</t></is></c></row>' +
        '<row r="2"><c r="B2" s="1"><v>43831</v></c><c r="D2" t="b"><v>1</v></c><c r="E2"><v>12.5</v></c><c r="F2" t="s"><v>3</v></c><c r="G2" t="s"><v>99</v></c></row>' +
        '<row r="3"><c r="C3"><v>1</v></c><c r="A3" t="s"><v>2</v></c><c r="H3" t="e"><v>#N/A</v></c></row>' +
        '</sheetData></worksheet>',
    );
    for (const cut of [1, 17, 64, xml.length]) {
      const objects = new SheetScanner(ctx);
      const packed = new SheetScanner(ctx, new RowPacker());
      const a = [];
      const b = [];
      for (let i = 0; i < xml.length; i += cut) {
        a.push(...objects.write(xml.subarray(i, i + cut)));
        b.push(...unpackRows(packed.write(xml.subarray(i, i + cut)), shared));
      }
      a.push(...objects.end());
      b.push(...unpackRows(packed.end(), shared));
      expect(b).toEqual(a);
      expect(a).toHaveLength(3);
    }
  });
});
