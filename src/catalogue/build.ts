// The rule catalogue as data, built from the rules themselves: what `qingxi rules` prints and
// docs/rules.md is generated from. Every message shown under an example is what the engine
// produced on it, so the catalogue cannot drift from the rules.
import type { Family, RuleId, Severity, TableKind } from '../model.js';
import { FAMILY_ZH } from '../model.js';
import type { AnyRule } from '../engine/rule.js';
import type { Example } from '../engine/examples.js';
import { exampleAsOf, runExample } from './run-example.js';
import { thresholdsSchema, type JsonSchema } from './thresholds.js';

export interface CatalogueCode {
  code: string;
  /** the template's documentation form: {项目}缺少{字段}[（填写为“否”）] */
  template: string;
}

export interface CatalogueFinding {
  code?: string;
  severity: Severity;
  message: string;
}

export interface CatalogueExample {
  note: string;
  asOf: string;
  /** a file example: the name of the input file it reads */
  file?: string;
  /** invalid examples: the codes the rule must report */
  codes?: string[];
  /** what the engine reported on the example (none for a valid one) */
  findings: CatalogueFinding[];
  /** rule failures while running it (first line of each error); empty when the rule is sound */
  failures: string[];
}

export interface CatalogueRule {
  id: RuleId;
  family: Family;
  /** the family's Chinese name */
  familyName: string;
  severity: Severity;
  title: string;
  explain: string;
  /** tables the rule reads */
  reads: TableKind[];
  codes: CatalogueCode[];
  /** JSON Schema of the rule's thresholds (config `rules.<id>`), defaults included; null without any */
  thresholds: JsonSchema | null;
  examples: { valid: CatalogueExample[]; invalid: CatalogueExample[] };
}

async function exampleEntry(rule: AnyRule, example: Example): Promise<CatalogueExample> {
  const run = await runExample(rule, example);
  return {
    note: example.note,
    asOf: exampleAsOf(example),
    ...(example.file ? { file: example.file.name } : {}),
    ...(example.codes ? { codes: [...example.codes] } : {}),
    findings: run.findings.map((f) => ({ ...(f.code !== undefined ? { code: f.code } : {}), severity: f.severity, message: f.message })),
    failures: run.failures.map((f) => `${f.stage}: ${f.error.split('\n')[0] ?? ''}`),
  };
}

/** One rule's catalogue entry: its declared codes and templates, thresholds, and examples as run. */
export async function catalogueRule(rule: AnyRule): Promise<CatalogueRule> {
  const valid: CatalogueExample[] = [];
  const invalid: CatalogueExample[] = [];
  for (const e of rule.examples.valid) valid.push(await exampleEntry(rule, e));
  for (const e of rule.examples.invalid) invalid.push(await exampleEntry(rule, e));
  return {
    id: rule.id,
    family: rule.family,
    familyName: FAMILY_ZH[rule.family],
    severity: rule.severity,
    title: rule.title,
    explain: rule.explain,
    reads: [...rule.reads],
    codes: Object.keys(rule.messages).map((code) => ({ code, template: rule.messages[code]?.doc ?? '' })),
    thresholds: thresholdsSchema(rule.params),
    examples: { valid, invalid },
  };
}

/** The catalogue of `rules`, in their order (validators/index.ts: SPEC §3 order). */
export async function buildCatalogue(rules: readonly AnyRule[]): Promise<CatalogueRule[]> {
  const out: CatalogueRule[] = [];
  for (const r of rules) out.push(await catalogueRule(r));
  return out;
}
