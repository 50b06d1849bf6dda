// The parts of a run checked county by county: key hashes, shared-hash detection, the spill file
// (batches skipped unread unless they hold a wanted key) and the interning of what workers send.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { NormalRow, ResolvedFinding, SheetInfo } from '../../src/model.js';
import { distinctSorted, keyHash, sharedHashes } from '../../src/bycounty/key-hash.js';
import { SpillWriter, readWanted } from '../../src/bycounty/spill.js';
import { Interner } from '../../src/bycounty/intern.js';

const tmp = mkdtempSync(join(tmpdir(), 'qingxi-spill-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('keyHash', () => {
  it('is a safe integer, the same for the same key, and spreads similar ID numbers', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const h = keyHash(s);
        expect(Number.isSafeInteger(h) && h >= 0).toBe(true);
        expect(keyHash(s)).toBe(h);
      }),
    );
    // a million consecutive ID-like numbers: no two share a hash
    const seen = new Set<number>();
    for (let i = 0; i < 1_000_000; i++) seen.add(keyHash(`4301021960${String(i).padStart(8, '0')}`));
    expect(seen.size).toBe(1_000_000);
  });

  it('finds the hashes present in two or more counties', () => {
    const a = distinctSorted(Float64Array.from([5, 3, 3, 9]));
    expect([...a]).toEqual([3, 5, 9]);
    const b = distinctSorted(Float64Array.from([9, 1]));
    const c = distinctSorted(Float64Array.from([1, 7, 5]));
    expect([...sharedHashes([a, b, c])].sort()).toEqual([1, 5, 9]);
    expect(sharedHashes([a]).size).toBe(0);
  });
});

describe('spill file', () => {
  const sheet: SheetInfo = { file: '县/成员.csv', tables: ['members'], fields: { members: new Set(['name', 'idNumber']) } };
  const row = (i: number): NormalRow => ({ table: 'members', at: { file: '县/成员.csv', row: i + 2 }, sheet, v: { name: `成员${i}`, householdNo: `H${i}` } });

  it('gives back exactly the rows with a wanted hash, in the order written, with the rules wanting each', () => {
    const path = join(tmp, 'a.spill');
    const w = new SpillWriter(path, 2);
    const n = 5000; // several batches
    for (let i = 0; i < n; i++) w.add({ row: row(i), household: { householdNo: `H${i}`, region: { county: '县' } } }, [i, i % 2 === 0 ? 100_000 + i : NaN]);
    w.close();
    expect(w.rowsWritten).toBe(n);
    const got = [...readWanted(path, 2, [new Set([7, 4999, 3000]), new Set([100_000 + 3000, 100_000 + 12])])];
    expect(got.map((g) => [g.row.row.at.row, g.rules])).toEqual([
      [9, [0]],
      [14, [1]],
      [3002, [0, 1]],
      [5001, [0]],
    ]);
    const r = got[0]!.row;
    expect(r.row.v).toEqual({ name: '成员7', householdNo: 'H7' });
    expect(r.row.sheet.fields.members).toEqual(new Set(['name', 'idNumber']));
    expect(r.household).toEqual({ householdNo: 'H7', region: { county: '县' } });
    expect([...readWanted(path, 2, [new Set(), new Set()])]).toEqual([]);
  });

  it('an empty spill file reads as no rows', () => {
    const path = join(tmp, 'empty.spill');
    new SpillWriter(path, 1).close();
    expect(statSync(path).size).toBe(0);
    expect([...readWanted(path, 1, [new Set([1])])]).toEqual([]);
  });
});

describe('Interner', () => {
  it('shares equal texts and regions of findings from different counties, changing nothing else', () => {
    const make = (): ResolvedFinding =>
      JSON.parse(
        JSON.stringify({ rule: 'PAIR-01', severity: 'error', family: 'PAIR', title: '贫困户未结对帮扶', message: 'm', fingerprint: 'f', at: { file: '县/成员.csv', row: 3 }, region: { county: '县', township: '镇' }, routes: [{ county: '县', township: '乙镇' }] }),
      ) as ResolvedFinding;
    const i = new Interner();
    const a = i.finding(make());
    const b = i.finding(make());
    expect(b).toEqual(make());
    expect(b.region).toBe(a.region);
    expect(b.routes![0]).toBe(a.routes![0]);
    expect(Object.keys(b)).toEqual(Object.keys(make()));
  });
});
