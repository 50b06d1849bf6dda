// The generated catalogue: docs/rules.md is what `npm run docs` writes today, and the catalogue
// carries every declared code with its template, thresholds as JSON Schema with their defaults, and
// the messages the examples produce.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RULES } from '../../validators/index.js';
import { buildCatalogue, type CatalogueRule } from '../../src/catalogue/build.js';
import { DOCS_COMMAND, rulesMarkdown } from '../../src/catalogue/markdown.js';
import { thresholdLine, thresholdsSchema, thresholdTexts } from '../../src/catalogue/thresholds.js';
import { runExample } from '../../src/catalogue/run-example.js';

const catalogue: CatalogueRule[] = await buildCatalogue(RULES);
const entry = (id: string): CatalogueRule => catalogue.find((r) => r.id === id)!;

/** A rule's section of docs/rules.md: from its heading to the next heading. */
function sectionOf(text: string, id: string): string {
  const start = text.indexOf(`### ${id} `);
  const next = text.slice(start + 1).search(/\n##/);
  return next < 0 ? text.slice(start) : text.slice(start, start + 1 + next);
}

describe('docs/rules.md', () => {
  it(`is up to date with the rules (regenerate it with \`${DOCS_COMMAND}\` and commit it)`, () => {
    const committed = readFileSync('docs/rules.md', 'utf8');
    const fresh = rulesMarkdown(catalogue);
    if (committed !== fresh) {
      const a = committed.split('\n');
      const b = fresh.split('\n');
      const i = a.findIndex((line, k) => line !== b[k]);
      expect.fail(`docs/rules.md is out of date: run \`${DOCS_COMMAND}\` and commit docs/rules.md (first difference at line ${i + 1}: committed "${a[i] ?? ''}", generated "${b[i] ?? ''}")`);
    }
  });

  it('has a section per rule with its title, and every declared code with its template', () => {
    const text = rulesMarkdown(catalogue);
    for (const r of catalogue) {
      expect(text, r.id).toContain(`### ${r.id} ${r.title}`);
      const section = sectionOf(text, r.id);
      expect(section.match(/^### /gm), r.id).toHaveLength(1);
      for (const c of r.codes) expect(section, `${r.id} ${c.code}`).toContain(`- \`${c.code}\`：`);
    }
    expect(text).toContain('- `url_invalid`：{项目}的公示公告网址“{当前值}”[缺少“http://”或“https://”，应为{参考值}|不是有效的http(s)网址]\n');
    expect(text).toContain('- `maxHouseholdsPerHelper`：整数，大于 0；默认 `3`');
  });

  it('shows the messages the invalid examples produce', () => {
    const text = rulesMarkdown(catalogue);
    const proj = entry('PROJ-03');
    const messages = proj.examples.invalid.flatMap((e) => e.findings.map((f) => f.message));
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) expect(text).toContain(m);
  });
});

describe('the catalogue', () => {
  it('lists each rule in catalogue order with its declared codes and templates', () => {
    expect(catalogue.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    for (const rule of RULES) {
      const e = entry(rule.id);
      expect(e.codes, rule.id).toEqual(Object.keys(rule.messages).map((code) => ({ code, template: rule.messages[code]!.doc })));
      expect(e.reads).toEqual(rule.reads);
      expect(e.familyName).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(entry('PROJ-01').codes.map((c) => c.code)).toEqual(['fund_plan_doc_missing', 'feasibility_doc_missing', 'acceptance_doc_missing', 'no_column']);
  });

  it('carries each invalid example with the findings the engine produced on it', async () => {
    const rule = RULES.find((r) => r.id === 'PROJ-04')!;
    const e = entry('PROJ-04');
    expect(e.examples.invalid).toHaveLength(rule.examples.invalid.length);
    for (const [i, ex] of rule.examples.invalid.entries()) {
      const run = await runExample(rule, ex);
      expect(e.examples.invalid[i]!.findings).toEqual(run.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message })));
      expect(e.examples.invalid[i]!.codes).toEqual(ex.codes);
      expect(e.examples.invalid[i]!.failures).toEqual([]);
    }
    expect(e.examples.invalid[0]!.findings.map((f) => f.message)).toContain('项目P2019001（村道硬化）的财政专项扶贫资金60万元超过总投资50万元');
  });

  it('gives thresholds as JSON Schema with their defaults, null for a rule without any', () => {
    expect(entry('PROJ-01').thresholds).toBeNull();
    const pair07 = entry('PAIR-07').thresholds as { properties: Record<string, { default?: unknown; type?: string }> };
    expect(pair07.properties['maxHouseholdsPerHelper']).toMatchObject({ type: 'integer', default: 3 });
    // perRank transforms its value: zod drops its default from the input schema, the catalogue restores it
    expect(pair07.properties['perRank']).toMatchObject({ type: 'object', default: {} });
    expect(entry('PAIR-03').thresholds).toMatchObject({ type: 'object', properties: { pairGapDays: { type: 'integer', minimum: 0, default: 0 } }, additionalProperties: false });
  });
});

describe('thresholds', () => {
  const schema = z
    .object({
      days: z.number().int().min(0).default(7).describe('间隔天数'),
      ratio: z.number().positive().max(1).optional(),
      caps: z
        .record(z.string(), z.number().int().positive())
        .transform((r) => r)
        .default({ 科员级: 4 }),
      mode: z.enum(['strict', 'loose']).default('strict'),
    })
    .strict();

  it('exports what a config may write, each default included (also behind a transform)', () => {
    const s = thresholdsSchema(schema)!;
    expect((s['properties'] as Record<string, object>)['days']).toMatchObject({ type: 'integer', minimum: 0, default: 7, description: '间隔天数' });
    expect(s['additionalProperties']).toBe(false);
    expect(s['properties']).toMatchObject({ days: { default: 7 }, caps: { default: { 科员级: 4 } }, mode: { default: 'strict' } });
    expect((s['properties'] as Record<string, object>)['ratio']).not.toHaveProperty('default');
    expect(thresholdsSchema(undefined)).toBeNull();
  });

  it('reads in Chinese', () => {
    expect(thresholdTexts(thresholdsSchema(schema)).map(thresholdLine)).toEqual([
      'days 间隔天数（整数，不小于 0；默认 7）',
      'ratio（数字，大于 0，不大于 1）',
      'caps（键值表，每项的值为整数，大于 0；默认 {"科员级":4}）',
      'mode（取 "strict"、"loose" 之一；默认 "strict"）',
    ]);
  });
});
