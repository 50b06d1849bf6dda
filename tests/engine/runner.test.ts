import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineRule } from '../../src/engine/rule.js';
import type { AnyRule } from '../../src/engine/rule.js';
import { defineIndex } from '../../src/engine/derived.js';
import { field, msg, param, value } from '../../src/i18n/template.js';
import { parseAsOf } from '../../src/core/as-of.js';
import { checkRows } from '../../src/engine/run-rows.js';
import { RuleRunner } from '../../src/engine/runner.js';
import { IndexBuilder } from '../../src/engine/indexes.js';
import type { MemberValues, PairingValues } from '../../src/schema/rows.js';
import { resolveConfig, ConfigError } from '../../src/config.js';
import { runRules } from '../helpers/engine.js';
import { id, pd, row } from '../helpers/rows.js';

// A toy cross-file rule: a household number that appears in a pairing file but in no member file.
const NO_EXAMPLES = { valid: [], invalid: [] };

const toyCross = defineRule({
  id: 'PAIR-99' as const,
  family: 'PAIR',
  severity: 'error',
  title: '测试：结对户不在成员表',
  explain: '测试规则',
  params: z.object({ minRows: z.number().int().default(1) }).strict(),
  reads: ['pairings', 'members'],
  messages: { default: msg`测试：结对户不在成员表：${field}为“${value}”` },
  examples: NO_EXAMPLES,
  cross(ix, emit, ctx) {
    const known = new Set(ix.members.map((m) => m.v.householdNo));
    for (const p of ix.pairings) {
      if (!known.has(p.v.householdNo) && ctx.params.minRows >= 1)
        emit({ at: p.at, householdNo: p.v.householdNo, field: 'householdNo', value: p.v.householdNo });
    }
  },
});

const toyRow = defineRule({
  id: 'BASE-99' as const,
  family: 'BASE',
  severity: 'suspect',
  title: '测试：姓名为空',
  explain: '测试规则',
  reads: ['members'],
  messages: { empty: msg`姓名为空` },
  examples: NO_EXAMPLES,
  row(r, emit) {
    const v: MemberValues = r.v;
    if (!v.name) emit({ at: r.at, householdNo: v.householdNo, field: 'name', code: 'empty' });
  },
});

const rules: AnyRule[] = [toyCross, toyRow];

describe('rule engine', () => {
  const members = [
    row<MemberValues>('members', { householdNo: 'H1', name: '张三', relation: '户主', idNumber: id('1') }, { at: { file: 'a/members.xlsx' } }),
    row<MemberValues>('members', { householdNo: 'H2', relation: '户主' }, { at: { file: 'a/members.xlsx' } }),
  ];
  const pairings = [
    row<PairingValues>('pairings', { householdNo: 'H1', startOn: pd('2016') }, { at: { file: 'b/pairings.csv', sheet: undefined } }),
    row<PairingValues>('pairings', { householdNo: 'H9', startOn: pd('2016') }, { at: { file: 'b/pairings.csv', sheet: undefined } }),
  ];

  it('runs a cross-file rule over indexes built from two files', () => {
    const f = runRules([...members, ...pairings], { rules });
    const cross = f.filter((x) => x.rule === 'PAIR-99');
    expect(cross).toHaveLength(1);
    expect(cross[0]!.householdNo).toBe('H9');
    expect(cross[0]!.at?.file).toBe('b/pairings.csv');
    expect(cross[0]!.family).toBe('PAIR');
    expect(cross[0]!.message).toContain('测试：结对户不在成员表');
  });

  it('runs row rules and applies the rule severity', () => {
    const f = runRules(members, { rules });
    expect(f.map((x) => [x.rule, x.householdNo, x.severity])).toEqual([['BASE-99', 'H2', 'suspect']]);
  });

  it('gives the same findings and fingerprints whatever the row order', () => {
    const a = runRules([...members, ...pairings], { rules });
    const b = runRules([...pairings].reverse().concat([...members].reverse()), { rules });
    expect(b.map((x) => x.fingerprint)).toEqual(a.map((x) => x.fingerprint));
    expect(new Set(a.map((x) => x.fingerprint)).size).toBe(a.length);
  });

  it('fingerprint ignores the row number but not the entity', () => {
    const a = runRules([row<MemberValues>('members', { householdNo: 'H2' }, { at: { row: 5 } })], { rules });
    const b = runRules([row<MemberValues>('members', { householdNo: 'H2' }, { at: { row: 50 } })], { rules });
    const c = runRules([row<MemberValues>('members', { householdNo: 'H3' }, { at: { row: 5 } })], { rules });
    expect(a[0]!.fingerprint).toBe(b[0]!.fingerprint);
    expect(a[0]!.fingerprint).not.toBe(c[0]!.fingerprint);
  });

  it('a village key includes its township: two 新村 in two townships are two findings', () => {
    const perVillage = defineRule({
      id: 'PAIR-97' as const,
      family: 'PAIR',
      severity: 'error',
      title: '测试：村级问题',
      explain: '测试规则',
      reads: ['villages'],
      messages: { default: msg`村级问题` },
      examples: NO_EXAMPLES,
      row(r, emit) {
        const v = r.v;
        emit({ at: r.at, village: v.village, region: { township: v.township, village: v.village } });
      },
    });
    const f = runRules(
      [row('villages', { township: '甲镇', village: '新村' }), row('villages', { township: '乙镇', village: '新村' })],
      { rules: [perVillage] },
    );
    expect(f).toHaveLength(2);
    expect(f[0]!.fingerprint).not.toBe(f[1]!.fingerprint);
  });

  it('config disables a rule, overrides severity and validates params', () => {
    expect(runRules(members, { rules, config: { rules: { 'BASE-99': { enabled: false } } } })).toHaveLength(0);
    const f = runRules(members, { rules, config: { rules: { 'BASE-99': { severity: 'info' } } } });
    expect(f[0]!.severity).toBe('info');
    expect(() => resolveConfig({ rules: { 'PAIR-99': { minRows: 'x' } } }, rules)).toThrow(ConfigError);
    expect(() => resolveConfig({ rules: { 'PAIR-99': { nope: 1 } } }, rules)).toThrow(/不认识的配置项/);
    expect(() => resolveConfig({ rules: { 'XX-1': {} } }, rules)).toThrow(/没有这条规则/);
    expect(() => resolveConfig({ colour: 'red' }, rules)).toThrow(/不认识的配置项“colour”/);
    expect(resolveConfig({ povertyLine: { '2020': 4100 } }, rules).povertyLine[2020]).toBe(4100);
    expect(resolveConfig({}, rules).povertyLine[2016]).toBe(2952);
  });

  it('a rule that throws does not stop the others', () => {
    const boom = defineRule({
      id: 'BASE-98' as const,
      family: 'BASE',
      severity: 'error',
      title: 'boom',
      explain: 'boom',
      reads: ['members'],
      messages: {},
      examples: NO_EXAMPLES,
      row() {
        throw new Error('boom');
      },
    });
    expect(() => runRules(members, { rules: [boom, toyRow] })).toThrow(/BASE-98: Error: boom/);
  });

  const settings = resolveConfig({}, []);
  const asOf = parseAsOf('2020-04-30');

  it('an undeclared code or a failing template is reported as a rule failure, the finding kept with a generic text', () => {
    const sloppy = defineRule({
      id: 'BASE-96' as const,
      family: 'BASE',
      severity: 'error',
      title: '测试：模板',
      explain: '测试规则',
      reads: ['members'],
      messages: {
        broken: msg<{ n: number }>`共${param('n', '个数', (n) => (n as number).toFixed(0))}个`,
      },
      examples: NO_EXAMPLES,
      row(r, emit) {
        // a code the rule never declared (only possible by defeating the types, as plain JS would)
        (emit as (f: object) => void)({ at: r.at, code: 'undeclared', field: 'name', value: '甲' });
        emit({ at: r.at, code: 'broken', params: undefined as unknown as { n: number } });
      },
    });
    const { findings, failures } = checkRows([members[0]!], [sloppy], settings, asOf);
    expect(findings).toHaveLength(2);
    expect(findings.map((f) => f.message).sort()).toEqual(['测试：模板', '测试：模板：姓名为“甲”']);
    expect(failures.map((f) => [f.stage, f.error])).toEqual([
      ['message', 'no message template for code "undeclared"'],
      ['message', expect.stringContaining('message template for code "broken" failed')],
    ]);
  });

  it('a derived index is built once per run for every rule that declares it, and refused to one that does not', () => {
    let builds = 0;
    const byHousehold = defineIndex('pairingsByHousehold', (ix) => {
      builds++;
      return new Map(ix.pairings.map((p) => [p.v.householdNo, p]));
    });
    const user = (id: 'PAIR-95' | 'PAIR-94', declare: boolean) =>
      defineRule({
        id,
        family: 'PAIR',
        severity: 'error',
        title: '测试：派生索引',
        explain: '测试规则',
        reads: ['pairings'],
        messages: { default: msg`有${param<{ n: number }>('n')}户` },
        uses: declare ? [byHousehold] : [],
        examples: NO_EXAMPLES,
        cross(_ix, emit, ctx) {
          emit({ params: { n: ctx.use(byHousehold).size } });
        },
      });
    const { findings, failures } = checkRows(pairings, [user('PAIR-95', true), user('PAIR-94', true)], settings, asOf);
    expect(builds).toBe(1);
    expect(findings.map((f) => [f.rule, f.message])).toEqual([['PAIR-95', '有2户'], ['PAIR-94', '有2户']]);
    expect(failures).toEqual([]);
    const refused = checkRows(pairings, [user('PAIR-94', false)], settings, asOf);
    expect(refused.failures[0]!.error).toMatch(/uses derived index pairingsByHousehold without declaring it/);
  });

  it('profiles the cross stage: each rule without the builds it caused, each index without the ones it used, each once', () => {
    // a clock the hooks move: exact figures, whatever the machine's load
    let clock = 0;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => clock);
    try {
      const inner = defineIndex('inner', () => ((clock += 20), 1));
      const outer = defineIndex('outer', (_ix, ctx) => ((clock += 30), ctx.use(inner) + 1));
      const user = (id: 'PAIR-95' | 'PAIR-94', index: typeof inner, own: number) =>
        defineRule({
          id,
          family: 'PAIR',
          severity: 'error',
          title: '测试：派生索引计时',
          explain: '测试规则',
          reads: ['pairings'],
          messages: { default: msg`有${param<{ n: number }>('n')}户` },
          uses: [index],
          examples: NO_EXAMPLES,
          cross(_ix, emit, ctx) {
            clock += own;
            emit({ params: { n: ctx.use(index) } });
          },
        });
      const runner = new RuleRunner([user('PAIR-95', outer, 5), user('PAIR-94', inner, 7)], settings, asOf);
      const builder = new IndexBuilder();
      for (const r of pairings) builder.add(r);
      runner.cross(builder.finish());
      expect(runner.crossProfile).toEqual({
        rules: { 'PAIR-95': { ms: 5, uses: ['outer'] }, 'PAIR-94': { ms: 7, uses: ['inner'] } },
        indexes: { outer: { ms: 30, uses: ['inner'] }, inner: { ms: 20, uses: [] } },
      });
    } finally {
      now.mockRestore();
    }
  });
});

