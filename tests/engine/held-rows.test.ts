// Memory accounting of held rows, as structural facts (not timings or byte counts): what rows and
// household records share instead of holding a copy each, and that sharing never leaks a write.
import { describe, expect, it } from 'vitest';
import type { ColumnBinding, RawCell } from '../../src/ingest/types.js';
import type { NormalRow, SheetInfo, TableKind } from '../../src/model.js';
import { makeRowNormalizer } from '../../src/normalize/row.js';
import { IndexBuilder } from '../../src/engine/indexes.js';
import { TABLES } from '../../src/schema/tables.js';
import { row } from '../helpers/rows.js';

function normalizer(table: TableKind, keys: string[]) {
  const bindings: ColumnBinding[] = keys.map((key, col) => ({ col, table, key }));
  const sheet: SheetInfo = { file: '花园村.csv', tables: [table], fields: { [table]: new Set(keys) } };
  const norm = makeRowNormalizer(table, bindings, sheet);
  let line = 1;
  return (cells: RawCell[]) => norm(cells, { file: sheet.file, row: ++line });
}

describe('normalised rows share repeated values', () => {
  const member = normalizer('members', ['householdNo', 'name', 'birthDate', 'health', 'ethnicity']);

  it('equal dates are one object', () => {
    const a = member(['4305240101001', '张三', '1990-01-01', '残疾,长期慢性病', '汉族']);
    const b = member(['4305240101001', '李四', '1990-01-01', '长期慢性病、残疾', '汉族']);
    expect(a.v['birthDate']).toEqual({ y: 1990, m: 1, d: 1 });
    expect(b.v['birthDate']).toBe(a.v['birthDate']);
    // 健康状况 lists stay one array per row: callers sort them in place (tests/ingest/csv.test.ts)
    expect(b.v['health']).toEqual(a.v['health']);
    expect(b.v['health']).not.toBe(a.v['health']);
    expect(a.v['ethnicity']).toBe('汉族');
    expect(b.v['householdNo']).toBe('4305240101001');
  });

  it('a wide row keeps its values and key order (copied out of dictionary mode)', () => {
    const kinds = new Map(TABLES.households.fields.map((f) => [f.key, f.kind]));
    const keys = [...kinds].filter(([, kind]) => ['region', 'key', 'text', 'int', 'number', 'yesno', 'year'].includes(kind)).map(([k]) => k);
    expect(keys.length).toBeGreaterThan(16);
    const hh = normalizer('households', keys);
    const cellOf: Record<string, RawCell> = { region: '花园村', key: '4305240101001', text: '张三', int: 4, number: 1234.5, yesno: '√', year: 2017 };
    const cells: RawCell[] = keys.map((k) => cellOf[kinds.get(k)!]!);
    const r = hh(cells);
    const present = keys.filter((k) => k in r.v);
    expect(Object.keys(r.v)).toEqual(present);
    expect(present.length).toBeGreaterThan(16);
    expect(r.v['householdNo']).toBe('4305240101001');
  });
});

describe('household records share what most households have alike', () => {
  const sheetFields = ['county', 'township', 'village', 'householdNo', 'name', 'relation', 'idNumber'];

  function build(rows: NormalRow[]) {
    const b = new IndexBuilder();
    for (const r of rows) b.add(r);
    return b.finish();
  }

  it('one column Set, one empty bad, one empty conflict list and one region per village', () => {
    const ix = build([
      row('members', { township: '城关镇', village: '花园村', householdNo: '1', name: '甲', relation: '户主' }, { fields: sheetFields }),
      row('members', { township: '城关镇', village: '花园村', householdNo: '2', name: '乙', relation: '户主' }, { fields: sheetFields }),
      row('households', { township: '城关镇', village: '花园村', householdNo: '1', householdSize: 1 }),
      row('households', { township: '城关镇', village: '花园村', householdNo: '2', householdSize: 1 }),
    ]);
    const [h1, h2] = [ix.households.get('1')!, ix.households.get('2')!];
    expect(h1.columns).toBe(h2.columns);
    expect(h1.columns.has('householdSize')).toBe(true);
    expect(h1.bad).toBe(h2.bad);
    expect(h1.bad).toEqual({});
    expect(h1.conflicts).toBe(h2.conflicts);
    expect(h1.conflicts).toEqual([]);
    expect(h1.region).toBe(h2.region);
    expect(h1.region).toEqual({ township: '城关镇', village: '花园村' });
    expect(h1.members.map((m) => m.v.name)).toEqual(['甲']);
  });

  it('a household that needs its own part gets a copy; the others keep the shared one', () => {
    const ix = build([
      row('households', { village: '花园村', householdNo: '1', householdSize: 2 }, { bad: { incomeNet: '约一万' } }),
      row('households', { village: '花园村', householdNo: '1', householdSize: 3 }),
      row('households', { village: '花园村', householdNo: '2', householdSize: 2 }),
      row('households', { county: '隆回县', village: '花园村', householdNo: '3', householdSize: 2 }),
      row('households', { township: '城关镇', village: '花园村', householdNo: '3', householdSize: 2 }),
    ]);
    const [h1, h2, h3] = ['1', '2', '3'].map((n) => ix.households.get(n)!);
    expect(h1!.bad).toEqual({ incomeNet: '约一万' });
    expect(h2!.bad).toEqual({});
    expect(h1!.conflicts.map((c) => c.field)).toEqual(['householdSize']);
    expect(h2!.conflicts).toEqual([]);
    expect(h3!.conflicts).toEqual([]);
    // region parts filled from a later source, in the order they arrived; the village's shared
    // region is not changed
    expect(h3!.region).toEqual({ county: '隆回县', village: '花园村', township: '城关镇' });
    expect(Object.keys(h3!.region)).toEqual(['county', 'village', 'township']);
    expect(h2!.region).toEqual({ village: '花园村' });
  });

  it('a household with many members lists them all, in order', () => {
    const rows = Array.from({ length: 30 }, (_, i) => row('members', { householdNo: '9', name: `成员${i}`, relation: i ? '子' : '户主' }));
    const h = build(rows).households.get('9')!;
    expect(h.members.map((m) => m.v.name)).toEqual(rows.map((r) => (r.v as { name: string }).name));
  });

  it('a head ID heading many households lists each once', () => {
    const rows = Array.from({ length: 40 }, (_, i) => row('households', { householdNo: `h${i % 20}`, headId: { raw: 'X', text: '430524199001011234', numericCell: false, scientific: false } }));
    const list = build(rows).householdsByHeadId.get('430524199001011234')!;
    expect(list).toEqual(Array.from({ length: 20 }, (_, i) => `h${i}`));
  });
});
