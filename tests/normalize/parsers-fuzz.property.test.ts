// Every field parser of every table on any text or number a cell may hold: it never throws, and what
// it gives is about the size of what it read (a cell decides no allocation: `1E999999999` once
// asked for a billion zeros and lost the whole file).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCell } from '../../src/normalize/row.js';
import { TABLES, type TableKind } from '../../src/schema/tables.js';

const pieces = [...'0123456789.eE+-年月日/ ，,万元%（）()：:Xx', '１', '〇', '壹', '\u3000', '\u0000', '1E999999999', '-1e-999999', '9'.repeat(400), 'Infinity', 'NaN', '0x1F', '是', '否', '√', '户主', '2016-02-30'];
const text = fc.oneof(fc.string({ maxLength: 30 }), fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((a) => a.join('')));
const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(1e308, -1e-320, 2 ** 53 + 1, 4.30524197509221e17));

describe('field parsers on any cell', () => {
  const fields = (Object.keys(TABLES) as TableKind[]).flatMap((t) => TABLES[t].fields.map((f) => [t, f.key] as const));
  it('never throw and give about what they read', () => {
    fc.assert(
      fc.property(fc.oneof(text, number), (cell) => {
        for (const [table, key] of fields) {
          const r = parseCell(table, key, cell);
          const size = typeof r === 'symbol' ? 0 : JSON.stringify(r ?? null).length; // the UNREADABLE mark is a symbol
          expect(size, `${table}.${key} ${JSON.stringify(cell)}`).toBeLessThan(3 * String(cell).length + 1000);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
