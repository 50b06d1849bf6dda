// Throughput of the row normaliser on a 25-column member row (23 bound columns + 2 unknown),
// built from strings and numbers as the readers deliver them. Also cross-checks the compiled
// closures against a zod-per-row formulation of the same parsers (same output, slower).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ColumnBinding, RawCell } from '../../src/ingest/types.js';
import { cellParser, makeRowNormalizer, normalRowSchema } from '../../src/normalize/row.js';
import { UNREADABLE, rawText } from '../../src/normalize/values.js';

const KEYS = [
  'province', 'city', 'county', 'township', 'village', 'householdNo', 'name', 'idNumber', 'idType', 'gender',
  'birthDate', 'age', 'relation', 'ethnicity', 'education', 'schoolStatus', 'health', 'laborSkill', 'workStatus',
  'workMonths', 'medicalInsurance', 'criticalIllnessInsurance', 'phone',
];
const REL = ['户主', '配偶', '之子', '之女', '02', '10', '之孫子'];

function makeRows(n: number): RawCell[][] {
  const out: RawCell[][] = [];
  for (let i = 0; i < n; i++) {
    out.push([
      '湖南省', '常德市', '桃源县', i % 7 ? '城关镇' : '漳江镇', '花园村',
      4305240101000 + (i >> 2), '张' + (i % 500), String(430524199001010000 + i * 7), '居民身份证', i % 2 ? '1' : '女',
      i % 3 ? `1990-0${1 + (i % 9)}-1${i % 10}` : 32874 + (i % 1000), String(20 + (i % 50)), REL[i % REL.length]!, '汉族', '初中',
      i % 5 ? '' : '小学三年级', i % 4 ? '健康' : '残疾,长期慢性病', i % 9 ? '普通劳动力' : '会种地', '省外务工',
      i % 12, '是', i % 2 ? '否' : 'N', 13800000000 + i, '备注', null,
    ]);
  }
  return out;
}

describe('row normaliser throughput', () => {
  const bindings: ColumnBinding[] = KEYS.map((key, col) => ({ col, table: 'members', key }));
  const sheet = { file: 'a.xlsx', tables: ['members' as const], fields: {} };
  const norm = makeRowNormalizer('members', bindings, sheet);
  const data = makeRows(5000);

  it('produces rows that satisfy the table schema', () => {
    const schema = normalRowSchema('members');
    let bad = 0;
    for (let i = 0; i < 2000; i++) {
      const r = norm(data[i]!, { file: 'a.xlsx', row: i + 2 });
      const res = schema.safeParse(r);
      expect(res.success, JSON.stringify(res.error?.issues)).toBe(true);
      if (r.bad) bad++;
    }
    expect(bad).toBeGreaterThan(0); // 会种地 rows
  });

  it('normalises ≥ 30,000 member rows/s even on a shared core (target 60,000)', () => {
    const N = 100_000;
    for (let i = 0; i < 20_000; i++) norm(data[i % data.length]!, { file: 'a', row: i });
    const t0 = performance.now();
    for (let i = 0; i < N; i++) norm(data[i % data.length]!, { file: 'a', row: i });
    const perSec = Math.round((N / (performance.now() - t0)) * 1000);
    console.log(`row normaliser: ${perSec} member rows/s (25 columns)`);
    expect(perSec).toBeGreaterThan(30_000);
  });

  it('zod per row (same parsers as z.object transforms) gives the same values', () => {
    const parsers = bindings.map((b) => cellParser('members', b)!);
    const shape: Record<string, z.ZodType> = {};
    bindings.forEach((b, i) => {
      shape[b.key] = z.any().transform((c: RawCell) => {
        if (c === null || c === undefined || c === '') return undefined;
        const r = parsers[i]!(c);
        return r === UNREADABLE ? { bad: rawText(c) } : r;
      });
    });
    const schema = z.object(shape);
    const viaZod = (cells: readonly RawCell[]) => {
      const input: Record<string, RawCell | undefined> = {};
      for (const b of bindings) input[b.key] = cells[b.col];
      const out = schema.parse(input) as Record<string, unknown>;
      const v: Record<string, unknown> = {};
      const bad: Record<string, string> = {};
      for (const [k, x] of Object.entries(out)) {
        if (x === undefined) continue;
        if (typeof x === 'object' && x !== null && 'bad' in x) bad[k] = (x as { bad: string }).bad;
        else v[k] = x;
      }
      return { v, bad: Object.keys(bad).length ? bad : undefined };
    };
    for (let i = 0; i < 1000; i++) {
      const z1 = viaZod(data[i]!);
      const r = norm(data[i]!, { file: 'a', row: i });
      expect(z1.v).toEqual(r.v);
      expect(z1.bad).toEqual(r.bad);
    }
    const M = 30_000;
    for (let i = 0; i < 5000; i++) viaZod(data[i % data.length]!);
    const t0 = performance.now();
    for (let i = 0; i < M; i++) viaZod(data[i % data.length]!);
    const perSec = Math.round((M / (performance.now() - t0)) * 1000);
    console.log(`zod-per-row formulation: ${perSec} member rows/s (for comparison)`);
  });
});
