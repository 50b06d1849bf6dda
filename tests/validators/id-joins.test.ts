// The shortcuts the cross rules take on ID numbers (pairing-index.ts idKeyIn, member-numbers.ts,
// helper-records.ts) give the answers of the full checks they skip.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { IdValue, NormalRow } from '../../src/model.js';
import type { HelperValues, MemberValues, PairingValues } from '../../src/schema/rows.js';
import { IndexBuilder } from '../../src/engine/indexes.js';
import { DerivedIndexes } from '../../src/engine/derived.js';
import { parseAsOf } from '../../src/core/as-of.js';
import { checkDigit, upgrade15 } from '../../validators/lib/idcard.js';
import { idKey, idKeyIn } from '../../validators/lib/pairing-index.js';
import { memberNumbers } from '../../validators/lib/member-numbers.js';
import { buildHelperRecords } from '../../validators/lib/helper-records.js';
import { identityRules } from '../../validators/identity.js';
import { runRules } from '../helpers/engine.js';
import { id, row } from '../helpers/rows.js';

/** Characters ID cells really carry, and the ones normalisation changes. */
const ID_CHARS = ['0', '1', '4', '9', 'X', 'x', ' ', '\t', '\u3000', '\u00a0', '０', '９', 'ｘ', 'Ｘ', '.', '+', 'E', '-', '无', 'a', '\u200b', '\ufeff'];
const idText = fc.array(fc.constantFrom(...ID_CHARS), { maxLength: 22 }).map((cs) => cs.join(''));

function mk(birth: string, seq = '123', region = '430524'): string {
  const s = region + birth + seq;
  return s + checkDigit(s);
}

/** Realistic numbers: valid 18-digit ones, their 15-digit forms, 残疾人证 numbers, damage, placeholders. */
const N18 = mk('19670401', '001', '130503');
const POOL = [N18, N18.slice(0, 6) + N18.slice(8, 17), N18 + '11', N18 + '21A1', mk('19800101'), mk('19800101').toLowerCase(), ` ${N18} `, '999999999999999999', '无', '4.30524E+17', '430524198001011000', ''];
const idValueArb = fc.record({
  text: fc.oneof(fc.constantFrom(...POOL), idText),
  numericCell: fc.boolean(),
  scientific: fc.boolean(),
});
const asId = (v: { text: string; numericCell: boolean; scientific: boolean }): IdValue => ({ raw: v.text, ...v });

describe('idKeyIn', () => {
  it('is idKey when that is one of the keys, else empty', () => {
    fc.assert(
      fc.property(idValueArb, fc.array(fc.oneof(fc.constantFrom(...POOL), idText), { maxLength: 6 }), (v, keyTexts) => {
        const value = asId(v);
        const keys = new Map(keyTexts.map((k) => [k, true]));
        // a key set holding the number's own key half of the time
        if (keyTexts.length % 2 === 0 && idKey(value)) keys.set(idKey(value), true);
        const full = idKey(value);
        expect(idKeyIn(value, keys)).toBe(keys.has(full) ? full : '');
      }),
      { numRuns: 1000 },
    );
  });
});

function indexesOf(rows: NormalRow[]) {
  const b = new IndexBuilder();
  for (const r of rows) b.add(r);
  return b.finish();
}

describe('memberNumbers', () => {
  it('flags every row whose number another row carries in any written form, and not a row with its own', () => {
    const ix = indexesOf([
      row<MemberValues>('members', { householdNo: 'H1', idNumber: id(N18) }),
      row<MemberValues>('members', { householdNo: 'H2', idNumber: id(N18.slice(0, 6) + N18.slice(8, 17)) }), // its 15-digit form
      row<MemberValues>('members', { householdNo: 'H3', idNumber: id(mk('19800101') + '11') }), // 残疾人证 of a number on no other row…
      row<MemberValues>('members', { householdNo: 'H4', idNumber: id(mk('19800101') + '2101') }), // …and another of it
      row<MemberValues>('members', { householdNo: 'H5', idNumber: id(mk('19850101')) }),
      row<MemberValues>('members', { householdNo: 'H6', idNumber: id(mk('19850101', '125').toLowerCase()) }),
      row<MemberValues>('members', { householdNo: 'H7', idNumber: id(` ${mk('19850101', '125')}`) }), // the same number, written otherwise
    ]);
    const numbers = new DerivedIndexes(ix, parseAsOf('2020-04-30')).get(memberNumbers);
    expect([...numbers.maybeShared]).toEqual([1, 1, 1, 1, 0, 1, 1]);
    // the ID column IndexBuilder gathers gives what the rows give (indexes put together without it)
    const fromRows = new DerivedIndexes({ ...ix, memberIdTexts: [] }, parseAsOf('2020-04-30')).get(memberNumbers);
    expect(ix.memberIdTexts).toHaveLength(7);
    expect([...fromRows.maybeShared]).toEqual([...numbers.maybeShared]);
    expect(fromRows.texts).toEqual(numbers.texts);
    expect(numbers.texts[1]).toBe(N18.slice(0, 6) + N18.slice(8, 17));
    expect(upgrade15(numbers.texts[1]!)).toBe(N18);
  });

  it('lets ID-08 group a 残疾人证 number with the ID it starts with, and two such numbers of one ID', () => {
    const base = mk('19800101');
    const member = (no: string, text: string) => row<MemberValues>('members', { county: '隆回县', township: '桃洪镇', village: '东风村', householdNo: no, relation: '户主', idNumber: id(text) });
    const withId = runRules([member('H1', base), member('H2', base + '11')], { rules: identityRules }).filter((f) => f.rule === 'ID-08');
    expect(withId.map((f) => [f.householdNo, f.params?.['count']])).toEqual([['H1', 2]]);
    const twoCerts = runRules([member('H1', base + '11'), member('H2', base + '3201')], { rules: identityRules }).filter((f) => f.rule === 'ID-08');
    expect(twoCerts.map((f) => [f.householdNo, f.params?.['number']])).toEqual([['H1', base]]);
  });
});

describe('helper records', () => {
  const helper = mk('19700101');
  const pairing = (name: string, n: number) =>
    row<PairingValues>('pairings', { householdNo: `H${n}`, helperId: id(helper), helperName: name }, { at: { file: '结对.csv', row: n + 2 } });

  it('keeps one source per distinct thing said, in reading order, however many rows repeat it', () => {
    const names = ['王五', '王五', '王 五', '王五', '王六', '王 五', '王六'];
    const ix = indexesOf([row<HelperValues>('helpers', { helperId: id(helper), helperName: '王五', phone: '13800000001' }), ...names.map((n, i) => pairing(n, i))]);
    const rec = buildHelperRecords(ix).byId.get(helper)!;
    expect(rec.sources.map((s) => [s.kind, s.name])).toEqual([
      ['helper', '王五'],
      ['pairing', '王五'],
      ['pairing', '王 五'],
      ['pairing', '王六'],
    ]);
  });

  it('still drops repeats once a helper has many different sources', () => {
    const names = Array.from({ length: 20 }, (_, i) => `帮扶人${i % 12}`);
    const ix = indexesOf(names.map((n, i) => pairing(n, i)));
    const rec = buildHelperRecords(ix).byId.get(helper)!;
    expect(rec.sources.map((s) => s.name)).toEqual(Array.from({ length: 12 }, (_, i) => `帮扶人${i}`));
  });

  it('keys a damaged number per name even after the same text was read undamaged', () => {
    const damaged = '430524198001011000';
    const ix = indexesOf([
      row<PairingValues>('pairings', { householdNo: 'H1', helperId: id(damaged), helperName: '甲' }),
      row<PairingValues>('pairings', { householdNo: 'H2', helperId: id(damaged, { numericCell: true }), helperName: '乙' }),
      row<PairingValues>('pairings', { householdNo: 'H3', helperId: id(damaged), helperName: '丙' }),
    ]);
    // 18 digits ending in 000 that fail the check digit: damaged whether or not the cell was numeric
    expect([...buildHelperRecords(ix).byId.keys()].sort()).toEqual([`${damaged}\u0000n:丙`, `${damaged}\u0000n:乙`, `${damaged}\u0000n:甲`].sort());
  });
});

describe('pairingIndex household ids (by record position, other keys in a Map) as one Map of keys gave them', () => {
  // household numbers, head IDs that name a household, that name none, and pairings naming neither
  const HH = ['H1', 'H2', 'H3', 'H4'];
  const HEADS = [mk('19600101'), mk('19610101'), mk('19620101')];
  const member = fc.record({ no: fc.constantFrom(...HH), head: fc.option(fc.constantFrom(...HEADS), { nil: undefined }) });
  const pairing = fc.record({ no: fc.option(fc.constantFrom(...HH, 'H9'), { nil: undefined }), head: fc.option(fc.constantFrom(...HEADS, mk('19990101')), { nil: undefined }) });
  it('on random households, head IDs and pairings naming them by number, by head, or naming none', async () => {
    const { buildPairIndex, householdRef } = await import('../../validators/lib/pairing-index.js');
    fc.assert(
      fc.property(fc.array(member, { maxLength: 8 }), fc.array(pairing, { maxLength: 8 }), (members, pairings) => {
        const ix = indexesOf([
          ...members.map((m) => row<MemberValues>('members', { householdNo: m.no, relation: m.head ? '户主' : '之子', ...(m.head ? { idNumber: id(m.head) } : {}) })),
          ...pairings.map((p) => row<PairingValues>('pairings', { ...(p.no ? { householdNo: p.no } : {}), ...(p.head ? { headId: id(p.head) } : {}), helperId: id(mk('19700101')) })),
        ]);
        const p = buildPairIndex(ix, parseAsOf('2020-04-30').day);
        // the keys as a Map of them gave ids: in the order first met, one per distinct key
        const ids = new Map<string, number>();
        ix.pairings.forEach((r, i) => {
          const ref = householdRef(ix, r.v);
          if (ref && !ids.has(ref.key)) ids.set(ref.key, ids.size);
          expect(p.hhOf[i]).toBe(ref ? ids.get(ref.key) : -1);
        });
        expect(p.households.map((r) => r.key)).toEqual([...ids.keys()]);
        for (const h of ix.households.values()) expect(p.idOfRecord[h.position]).toBe(ids.get(h.householdNo) ?? -1);
      }),
      { numRuns: 2000 },
    );
  });
});
