// Runs one of a rule's examples the way its findings arise in a real check, with the rule alone and
// default settings: what the catalogue shows under the example and what the catalogue test judges.
import type { ResolvedFinding } from '../model.js';
import { DEFAULT_CODE, type AnyRule } from '../engine/rule.js';
import type { RuleFailure } from '../engine/runner.js';
import type { Example } from '../engine/examples.js';
import { checkRows } from '../engine/run-rows.js';
import { checkFileText } from '../engine/run-file.js';
import { parseAsOf } from '../core/as-of.js';
import { resolveConfig } from '../config.js';

/** The as-of date an example runs at unless it names its own. */
export const EXAMPLE_AS_OF = '2020-04-30';

export interface ExampleRun {
  /** the rule's findings on the example, messages rendered */
  findings: ResolvedFinding[];
  /** hooks that threw, codes without a template, templates that failed */
  failures: RuleFailure[];
}

/** The example's as-of date. */
export function exampleAsOf(example: Example): string {
  return example.asOf ?? EXAMPLE_AS_OF;
}

/**
 * Runs an example through the engine with the rule alone: normalised rows through its row and
 * cross hooks (`checkRows`, the real runner and indexes); a tiny input file (rules whose findings
 * come from reading files, FILE) through ingest (`checkFileText`), other rules' findings left out.
 * This is the one place that knows how an example becomes findings.
 */
export async function runExample(rule: AnyRule, example: Example): Promise<ExampleRun> {
  const settings = resolveConfig({}, [rule]);
  const asOf = parseAsOf(exampleAsOf(example));
  if (example.file) return checkFileText(example.file, [rule], settings, asOf);
  const { findings, failures } = checkRows(example.rows, [rule], settings, asOf);
  return { findings: findings.filter((f) => f.rule === rule.id), failures };
}

/** The distinct problem codes of findings ('default' for a finding without one), sorted. */
export function codesOf(findings: readonly { code?: string }[]): string[] {
  return [...new Set(findings.map((f) => f.code ?? DEFAULT_CODE))].sort();
}
