// Run rules over hand-built rows through the real engine (runner + indexes), synchronously.
import type { NormalRow, ResolvedFinding } from '../../src/model.js';
import type { AnyRule } from '../../src/engine/rule.js';
import { RULES } from '../../validators/index.js';
import { resolveConfig } from '../../src/config.js';
import { RuleRunner } from '../../src/engine/runner.js';
import { IndexBuilder } from '../../src/engine/indexes.js';

export interface RunOpts {
  asOf?: string;
  rules?: readonly AnyRule[];
  config?: unknown;
}

export function runRules(rows: NormalRow[], opts: RunOpts = {}): ResolvedFinding[] {
  const rules = opts.rules ?? RULES;
  const config = resolveConfig(opts.config ?? {}, rules);
  const runner = new RuleRunner(rules, config, opts.asOf ?? '2020-04-30');
  const builder = new IndexBuilder();
  for (const r of rows) {
    runner.row(r);
    builder.add(r);
  }
  runner.cross(builder.finish());
  if (runner.failures.length) throw new Error('rule failed: ' + runner.failures.map((f) => `${f.rule}: ${f.error}`).join('\n'));
  return runner.findings();
}
