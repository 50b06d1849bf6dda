// Runs rules over normalised rows already in memory, synchronously, through the real runner and
// indexes: rule examples (the catalogue test, docs/rules.md) and rule tests.
import type { NormalRow, ResolvedFinding } from '../model.js';
import type { AsOf } from '../core/as-of.js';
import type { AnyRule } from './rule.js';
import { RuleRunner, type RuleFailure, type RunSettings } from './runner.js';
import { IndexBuilder } from './indexes.js';

export interface RowsChecked {
  findings: ResolvedFinding[];
  failures: RuleFailure[];
}

export function checkRows(rows: readonly NormalRow[], rules: readonly AnyRule[], settings: RunSettings, asOf: AsOf): RowsChecked {
  const runner = new RuleRunner(rules, settings, asOf);
  const builder = new IndexBuilder();
  for (const r of rows) {
    runner.row(r);
    builder.add(r);
  }
  runner.cross(builder.finish());
  return { findings: runner.findings(), failures: runner.failures };
}
