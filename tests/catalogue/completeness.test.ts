// The completeness test (issue 11): every rule explains itself, has a template for each code it
// declares, and carries valid and invalid examples that run through the engine (rule alone, default
// settings) and produce exactly what they claim; the rule ids are SPEC §3's; every code a rule
// emits on the committed samples is declared. The checks themselves are shown to catch broken rules.
import { describe, expect, it } from 'vitest';
import { RULES } from '../../validators/index.js';
import type { AnyRule } from '../../src/engine/rule.js';
import { defineRule } from '../../src/engine/rule.js';
import { createRowBuilder } from '../../src/engine/examples.js';
import { msg, field, text, value } from '../../src/i18n/template.js';
import type { Template } from '../../src/i18n/template.js';
import type { ProjectValues } from '../../src/schema/rows.js';
import { ruleProblems } from '../../src/catalogue/completeness.js';
import { runExample } from '../../src/catalogue/run-example.js';
import { buildCatalogue } from '../../src/catalogue/build.js';
import { runCheck } from '../../src/pipeline.js';
import { resolveConfig } from '../../src/config.js';
import { SPEC_RULE_IDS } from '../helpers/spec-rules.js';

describe('the rule catalogue', () => {
  it('holds exactly the rule ids of SPEC §3, each once, in SPEC order', () => {
    const ids = RULES.map((r) => r.id as string);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...SPEC_RULE_IDS]);
  });

  it.each(RULES.map((r) => [r.id, r] as const))('%s is complete: explanation, templates, examples that run as they claim', async (_id, rule) => {
    expect(await ruleProblems(rule)).toEqual([]);
  });

  it('declares every code its rules emit while checking samples/township', async () => {
    const result = await runCheck({ paths: ['samples/township'], asOf: '2020-04-30', config: resolveConfig({}, RULES) });
    expect(result.failures).toEqual([]);
    const byId = new Map(RULES.map((r) => [r.id as string, r]));
    const undeclared = new Set<string>();
    let checked = 0;
    for (const f of result.findings) {
      const rule = byId.get(f.rule);
      if (!rule) continue;
      checked++;
      const code = f.code ?? 'default';
      if (!Object.prototype.hasOwnProperty.call(rule.messages, code)) undeclared.add(`${f.rule} ${code}`);
    }
    expect([...undeclared]).toEqual([]);
    // the samples plant a defect for every rule: each rule's codes were really looked at
    expect(checked).toBeGreaterThan(0);
    const seen = new Set(result.findings.map((f) => f.rule as string));
    expect(RULES.map((r) => r.id).filter((id) => !seen.has(id))).toEqual([]);
  });
});

const MEMBERS_CSV = '户编号,姓名,与户主关系,性别,证件号码\nH1,张三,户主,男,430524198001011237\n';

// A toy rule, broken in each way the completeness check must catch.
const row = createRowBuilder();
const project = (v: Partial<ProjectValues>) => row<ProjectValues>('projects', { projectNo: 'P1', projectName: '村道', ...v }, { at: { file: '项目库.xlsx' } });

function toy(overrides: Partial<Parameters<typeof defineRule>[0]> = {}): AnyRule {
  return defineRule({
    id: 'PROJ-99' as never,
    family: 'PROJ',
    severity: 'error',
    title: '测试：项目名称为空',
    explain: '项目库中每个项目都应填写项目名称，请对照项目档案补录。',
    reads: ['projects'],
    messages: { name_missing: msg`项目缺少${field}`, bad_name: msg`项目名称“${value}”不规范` },
    row(r, emit) {
      if (!r.v.projectName) emit({ at: r.at, projectNo: r.v.projectNo, field: 'projectName', code: 'name_missing' });
      else if (r.v.projectName === 'x') emit({ at: r.at, projectNo: r.v.projectNo, field: 'projectName', value: 'x', code: 'bad_name' });
    },
    examples: {
      valid: [{ note: '项目名称已填', rows: [project({})] }],
      invalid: [{ note: '项目名称为空', rows: [project({ projectName: undefined })], codes: ['name_missing'] }],
    },
    ...overrides,
  } as Parameters<typeof defineRule>[0]);
}

describe('the completeness check', () => {
  it('passes a complete rule', async () => {
    expect(await ruleProblems(toy())).toEqual([]);
  });

  it('fails a rule without an explanation or a Chinese title', async () => {
    const problems = await ruleProblems(toy({ explain: '', title: 'name' }));
    expect(problems).toEqual([expect.stringContaining('PROJ-99: the title is not Chinese'), expect.stringContaining('PROJ-99: no explanation')]);
  });

  it('fails a code without a template, or with an empty one', async () => {
    const messages = { name_missing: msg`项目缺少${field}`, bad_name: undefined as unknown as Template<unknown>, empty: msg`` };
    const problems = await ruleProblems(toy({ messages }));
    expect(problems).toContainEqual(expect.stringContaining('code "bad_name" has no message template'));
    expect(problems).toContainEqual(expect.stringContaining('the template of code "empty" is empty'));
  });

  it('fails a rule without a valid or without an invalid example', async () => {
    expect(await ruleProblems(toy({ examples: { valid: [], invalid: [] } }))).toEqual([
      'PROJ-99: no valid example (rows the rule accepts)',
      'PROJ-99: no invalid example (rows with the codes the rule reports on them)',
    ]);
  });

  it('fails a valid example that produces a finding', async () => {
    const problems = await ruleProblems(
      toy({ examples: { valid: [{ note: '名称不规范', rows: [project({ projectName: 'x' })] }], invalid: [{ note: '项目名称为空', rows: [project({ projectName: undefined })], codes: ['name_missing'] }] } }),
    );
    expect(problems).toEqual([expect.stringMatching(/^PROJ-99 valid example 1 \(名称不规范\): produced findings bad_name \(项目名称“x”不规范\)$/)]);
  });

  it('fails an invalid example that does not produce exactly its listed codes', async () => {
    const examples = (codes: string[]) => ({ valid: [{ note: '项目名称已填', rows: [project({})] }], invalid: [{ note: '项目名称为空', rows: [project({ projectName: undefined })], codes }] });
    expect(await ruleProblems(toy({ examples: examples(['bad_name']) }))).toEqual([
      'PROJ-99 invalid example 1 (项目名称为空): produced codes [name_missing], the example lists [bad_name]',
    ]);
    expect(await ruleProblems(toy({ examples: examples(['name_missing', 'bad_name']) }))).toEqual([
      'PROJ-99 invalid example 1 (项目名称为空): produced codes [name_missing], the example lists [bad_name, name_missing]',
    ]);
    expect(await ruleProblems(toy({ examples: examples(['nope']) }))).toContainEqual('PROJ-99 invalid example 1 (项目名称为空): lists code "nope", which the rule does not declare');
    expect(await ruleProblems(toy({ examples: examples([]) }))).toContainEqual('PROJ-99 invalid example 1 (项目名称为空): an invalid example must list the codes it produces');
  });

  it('fails an example whose run reports a rule failure (a hook that throws, an undeclared code)', async () => {
    const throws = await ruleProblems(
      toy({
        row() {
          throw new Error('boom');
        },
      }),
    );
    expect(throws).toContainEqual(expect.stringMatching(/^PROJ-99 invalid example 1 \(项目名称为空\): rule failure at stage row \(项目库\.xlsx \/ Sheet1 \/ 第\d+行\): Error: boom$/));
    const undeclared = await ruleProblems(
      toy({
        row(r: { at: unknown }, emit: (f: unknown) => void) {
          emit({ at: r.at, code: 'typo' });
        },
      } as never),
    );
    expect(undeclared).toContainEqual(expect.stringContaining('rule failure at stage message'));
    expect(undeclared).toContainEqual(expect.stringContaining('no message template for code "typo"'));
  });

  it('says that a rule reading no table (FILE: findings come from ingest) needs a file example, not rows', async () => {
    const problems = await ruleProblems(toy({ reads: [], examples: { valid: [{ note: '没有问题', rows: [] }], invalid: [{ note: '文件无法读取', rows: [], codes: ['name_missing'] }] } }));
    expect(problems).toEqual([expect.stringContaining('its example needs a file, not rows')]);
  });
});

describe('file examples', () => {
  // a FILE rule as ingest reports it: an unknown column, ignored (once per sheet)
  const unknownColumn = defineRule({
    id: 'FILE-05',
    family: 'FILE',
    severity: 'info',
    title: '未知列已忽略',
    explain: '表中有本系统不认识的列，原文件中保留但不参与检查（每张工作表只提示一次）。',
    reads: [],
    messages: { default: msg`${text('文件', (f) => f.at?.file ?? '')}中有不认识的列，已忽略` },
    examples: {
      valid: [{ note: '只有标准列的成员表', file: { name: '成员.csv', text: MEMBERS_CSV } }],
      invalid: [{ note: '成员表多了一列“爱好”', file: { name: '成员.csv', text: MEMBERS_CSV.replace('证件号码', '证件号码,爱好').replace('430524', '唱歌,430524') }, codes: ['default'] }],
    },
  });

  it('reads the example file through ingest, keeping only the findings of the rule', async () => {
    const run = await runExample(unknownColumn, unknownColumn.examples.invalid[0]!);
    expect(run.failures).toEqual([]);
    expect(run.findings.map((f) => [f.rule, f.code, f.message, f.at?.file])).toEqual([['FILE-05', undefined, '成员.csv中有不认识的列，已忽略', '成员.csv']]);
    expect((await runExample(unknownColumn, unknownColumn.examples.valid[0]!)).findings).toEqual([]);
    expect(await ruleProblems(unknownColumn)).toEqual([]);
  });

  it('shows the file an example reads in the catalogue', async () => {
    const [entry] = await buildCatalogue([unknownColumn]);
    expect(entry!.examples.invalid[0]).toMatchObject({ file: '成员.csv', codes: ['default'], findings: [{ severity: 'info', message: '成员.csv中有不认识的列，已忽略' }] });
  });
});
