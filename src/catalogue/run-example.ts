// Runs one of a rule's examples the way its findings arise in a real check, with the rule alone and
// default settings: what the catalogue shows under the example and what the catalogue test judges.
import type { ResolvedFinding } from '../model.js';
import { DEFAULT_CODE, type AnyRule } from '../engine/rule.js';
import type { RuleFailure } from '../engine/runner.js';
import { EXAMPLE_AS_OF, type Example } from '../engine/examples.js';
import { checkRows } from '../engine/run-rows.js';
import { parseAsOf } from '../core/as-of.js';
import { resolveConfig } from '../config.js';

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
 * Normalised rows go through the rule's row and cross hooks (`checkRows`, the real runner and
 * indexes). This is the one place that knows how an example becomes findings: a rule whose findings
 * come from ingest rather than from rows (FILE: `reads` is empty, its examples carry no rows)
 * gets its own branch here, running its example input through ingest; until then such an example
 * runs over no rows and yields no findings. Async so that such a branch can read a file.
 */
export async function runExample(rule: AnyRule, example: Example): Promise<ExampleRun> {
  const settings = resolveConfig({}, [rule]);
  const { findings, failures } = checkRows(example.rows, [rule], settings, parseAsOf(exampleAsOf(example)));
  return { findings: findings.filter((f) => f.rule === rule.id), failures };
}

/** The distinct problem codes of findings ('default' for a finding without one), sorted. */
export function codesOf(findings: readonly { code?: string }[]): string[] {
  return [...new Set(findings.map((f) => f.code ?? DEFAULT_CODE))].sort();
}
