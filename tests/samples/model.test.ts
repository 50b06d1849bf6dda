// Clean households are consistent by construction: an independent re-check of the rules they must
// never trigger (ID check digits, one 户主, income arithmetic, poverty line, age vs school/labour,
// work vs months, main cause vs members, pairings inside [identified, as-of]).
import { describe, expect, it } from 'vitest';
import { ageAt, checkChar, upgrade15 } from '../../src/samples/idcard.js';
import { buildHousehold, inSchool, makeHelper, povertyLine, type Household, type HouseholdCtx } from '../../src/samples/model.js';
import { Rng } from '../../src/samples/prng.js';

const AS_OF = { y: 2020, m: 4, d: 30 };
const FEMALE_ONLY = ['之女', '之母', '之儿媳', '之婆婆', '之岳母', '之孙女', '之外孙女', '之祖母', '之外祖母', '之兄弟媳妇', '之侄女', '之曾孙女'];
const MALE_ONLY = ['之子', '之父', '之女婿', '之公公', '之岳父', '之孙子', '之外孙子', '之祖父', '之外祖父', '之侄儿'];

function ctxFor(seed: number): HouseholdCtx {
  return {
    seed,
    asOf: AS_OF,
    usedIds: new Set(),
    regularHelper: (i) => makeHelper(seed, Math.floor(i / 2), 'r'),
    formerHelper: (i) => makeHelper(seed, 100_000 + i, 'f'),
    special: (k) => makeHelper(seed, 200_000 + k.length, k),
  };
}

function cleanHouseholds(seed: number, n: number): Household[] {
  const ctx = ctxFor(seed);
  return Array.from({ length: n }, (_, i) => buildHousehold(ctx, i, i % 4, i, undefined));
}

const ON = (d: { y: number; m: number; d: number }) => Date.UTC(d.y, d.m - 1, d.d);

describe('clean households', () => {
  const hs = cleanHouseholds(7, 1500);

  it('IDs: valid GB 11643 numbers, unique, agreeing with gender and birth date', () => {
    const seen = new Set<string>();
    for (const h of hs) {
      for (const p of h.members) {
        const id = p.id.slice(0, 18);
        expect(id).toMatch(/^\d{17}[\dX]$/);
        expect(checkChar(id.slice(0, 17))).toBe(id[17]);
        expect(Number(id[16]) % 2 === 1).toBe(p.male);
        expect(p.genderCol).toBe(p.male ? '男' : '女');
        expect(id.slice(6, 14)).toBe(`${p.birth.y}${String(p.birth.m).padStart(2, '0')}${String(p.birth.d).padStart(2, '0')}`);
        expect(p.birthCol).toEqual(p.birth);
        expect(ageAt(p.birth, AS_OF)).toBe(p.age);
        expect(p.ageCol).toBe(p.age);
        expect(['430524', '430522', '430523']).toContain(id.slice(0, 6));
        expect(seen.has(id)).toBe(false);
        seen.add(id);
        expect(p.name).toMatch(/^[\u4e00-\u9fa5]{2,3}$/);
        if (p.idType === '残疾人证') {
          expect(p.id).toMatch(/^\d{17}[\dX][1-7][1-4]$/);
          expect(p.health).toContain('残疾');
        } else expect(p.id).toHaveLength(18);
        expect(p.idForm).not.toBe('numeric');
      }
    }
  });

  it('one 户主, household size = member rows, relations agree with gender', () => {
    for (const h of hs) {
      expect(h.members.filter((p) => p.relation === '户主')).toHaveLength(1);
      expect(h.size).toBe(h.members.length);
      const head = h.members[0]!;
      for (const p of h.members) {
        if (p.relation === '配偶') expect(p.male).not.toBe(head.male);
        if (FEMALE_ONLY.includes(p.relation)) expect(p.male).toBe(false);
        if (MALE_ONLY.includes(p.relation)) expect(p.male).toBe(true);
      }
    }
  });

  it('incomes: arithmetic holds, above the poverty line of the exit year, none negative', () => {
    for (const h of hs) {
      const i = h.inc;
      expect(Math.abs(i.net - (i.wage + i.business + i.property + i.transfer - i.expense))).toBeLessThanOrEqual(1);
      expect(Math.abs(i.perCapita - i.net / h.size)).toBeLessThanOrEqual(i.perCapita * 0.01);
      for (const v of [i.wage, i.business, i.property, i.transfer, i.expense]) expect(v).toBeGreaterThanOrEqual(0);
      expect(i.perCapita).toBeLessThan(100_000);
      if (h.exited) expect(i.perCapita).toBeGreaterThanOrEqual(povertyLine(h.exitYear!));
    }
  });

  it('status and years: exited ⇔ exit year, identified ≤ exit ≤ as-of, identified in 2013..as-of', () => {
    for (const h of hs) {
      expect(h.exitYear !== null).toBe(h.exited);
      expect(h.identified.y).toBeGreaterThanOrEqual(2013);
      if (h.exitYear !== null) {
        expect(h.exitYear).toBeGreaterThanOrEqual(h.identified.y);
        expect(h.exitYear).toBeLessThanOrEqual(AS_OF.y);
      }
      expect(Object.values(h.ok).every(Boolean)).toBe(true);
      expect(h.cause).not.toBe('');
    }
    expect(hs.filter((h) => h.exited).length).toBeGreaterThan(hs.length / 2);
    expect(hs.some((h) => !h.exited)).toBe(true);
  });

  it('age vs school and labour, work vs months (BASE-08/09/10)', () => {
    for (const h of hs) {
      for (const p of h.members) {
        const a = p.age;
        const s = p.school;
        if (a >= 6 && a <= 15) expect(inSchool(s), `${a} ${s}`).toBe(true);
        if (inSchool(s)) expect(a).toBeGreaterThanOrEqual(3);
        if (/学前/.test(s)) expect(a).toBeLessThanOrEqual(7);
        if (/^小学/.test(s)) expect(a >= 5 && a <= 15).toBe(true);
        if (/^[七八九]年级/.test(s)) expect(a >= 11 && a <= 18).toBe(true);
        if (/^(普通高中|中职)/.test(s)) expect(a >= 14 && a <= 21).toBe(true);
        if (/^本科/.test(s)) expect(a).toBeGreaterThanOrEqual(17);
        if (a < 16) expect(p.labor).toBe('无劳动力');
        if (a >= 65 || (inSchool(s) && !/^本科/.test(s))) expect(['普通劳动力', '技能劳动力']).not.toContain(p.labor);
        expect(p.months >= 0 && p.months <= 12).toBe(true);
        expect(p.work === '无').toBe(p.months === 0);
      }
    }
  });

  it('main cause agrees with the members (BASE-13)', () => {
    for (const h of hs) {
      if (h.cause === '因病') expect(h.members.some((p) => p.health.some((x) => x !== '健康' && x !== '残疾'))).toBe(true);
      if (h.cause === '因残') expect(h.members.some((p) => p.health.includes('残疾'))).toBe(true);
      if (h.cause === '因学') expect(h.members.some((p) => inSchool(p.school))).toBe(true);
    }
    expect(new Set(hs.map((h) => h.cause)).size).toBeGreaterThan(5);
  });

  it('pairings: one active at as-of, no gap, after identification, at most two households per helper', () => {
    const perHelper = new Map<string, Set<number>>();
    for (const h of hs) {
      const ps = h.pairings;
      expect(ps.length).toBeGreaterThan(0);
      expect(ps.filter((p) => p.end === null)).toHaveLength(1);
      for (const p of ps) {
        expect(ON(p.start!)).toBeGreaterThanOrEqual(ON({ ...h.identified, m: h.identified.m, d: h.identified.d }));
        expect(ON(p.start!)).toBeGreaterThanOrEqual(ON({ y: h.identified.y + 1, m: 1, d: 1 }));
        expect(ON(p.start!)).toBeLessThanOrEqual(ON(AS_OF));
        if (p.end) expect(ON(p.end)).toBeGreaterThanOrEqual(ON(p.start!));
        if (p.end === null) {
          const s = perHelper.get(p.helper.id) ?? new Set();
          s.add(h.index);
          perHelper.set(p.helper.id, s);
        }
      }
      if (ps.length === 2) expect(ON(ps[1]!.start!) - ON(ps[0]!.end!)).toBe(86_400_000);
      for (const p of ps) {
        expect(p.helper.phone).toMatch(/^1[3-9]\d{9}$/);
        expect(checkChar(p.helper.id.slice(0, 17))).toBe(p.helper.id[17]);
      }
    }
    expect(Math.max(...[...perHelper.values()].map((s) => s.size))).toBeLessThanOrEqual(2);
  });

  it('quirks of how IDs were typed appear among clean people', () => {
    const forms = new Set(hs.flatMap((h) => h.members.map((p) => p.idForm)));
    expect([...forms].sort()).toEqual(['fullwidth', 'lowerX', 'plain', 'spaces']);
  });
});

describe('helpers and ID helpers', () => {
  it('helper IDs and phones are unique across many indices', () => {
    const ids = new Set<string>();
    const phones = new Set<string>();
    for (let j = 0; j < 20_000; j++) {
      const hp = makeHelper(1, j, 'r');
      ids.add(hp.id);
      phones.add(hp.phone);
    }
    expect(ids.size).toBe(20_000);
    expect(phones.size).toBe(20_000);
  });

  it('upgrade15 and the PRNG are deterministic and correct', () => {
    expect(upgrade15('430524850312121')).toMatch(/^43052419850312121[\dX]$/);
    // GB 11643 example number
    expect(checkChar('11010519491231002')).toBe('X');
    const a = Rng.of(5, 's', 9);
    const b = Rng.of(5, 's', 9);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Rng.of(6, 's', 9).next()).not.toBe(xs[0]);
  });
});
