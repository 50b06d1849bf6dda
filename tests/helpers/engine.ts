// Run rules over hand-built rows through the real engine (runner + indexes), synchronously.
import type { NormalRow, ResolvedFinding } from '../../src/model.js';
import type { AnyRule } from '../../src/engine/rule.js';
import { RULES } from '../../validators/index.js';
import { resolveConfig } from '../../src/config.js';
import { parseAsOf } from '../../src/core/as-of.js';
import { checkRows } from '../../src/engine/run-rows.js';

export interface RunOpts {
  asOf?: string;
  rules?: readonly AnyRule[];
  config?: unknown;
}

export function runRules(rows: NormalRow[], opts: RunOpts = {}): ResolvedFinding[] {
  const rules = opts.rules ?? RULES;
  const config = resolveConfig(opts.config ?? {}, rules);
  const { findings, failures } = checkRows(rows, rules, config, parseAsOf(opts.asOf ?? '2020-04-30'));
  if (failures.length) throw new Error('rule failed: ' + failures.map((f) => `${f.rule}: ${f.error}`).join('\n'));
  return findings;
}
