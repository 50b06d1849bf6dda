// Runs one of a rule's examples the way its findings arise in a real check, with the rule alone and
// default settings: what the catalogue shows under the example and what the catalogue test judges.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { NormalRow, ResolvedFinding } from '../model.js';
import type { AsOf } from '../core/as-of.js';
import type { Config } from '../config.js';
import { DEFAULT_CODE, type AnyRule } from '../engine/rule.js';
import { RuleRunner, type RuleFailure } from '../engine/runner.js';
import { IndexBuilder } from '../engine/indexes.js';
import type { Example, FileExample } from '../engine/examples.js';
import { checkRows } from '../engine/run-rows.js';
import { ingestFile } from '../ingest/index.js';
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
 * A file example: its text written to a file of its name in a temporary folder and read through
 * ingest, as a check reads an input. The rule's findings from ingest (FILE) and from its hooks over
 * the rows read go through one runner; other rules' ingest findings are left out.
 */
async function runFileExample(rule: AnyRule, file: FileExample['file'], settings: Config, asOf: AsOf): Promise<ExampleRun> {
  const dir = await mkdtemp(join(tmpdir(), 'qingxi-example-'));
  try {
    const path = join(dir, basename(file.name));
    await writeFile(path, file.text, 'utf8');
    const runner = new RuleRunner([rule], settings, asOf);
    let rows: NormalRow[] = [];
    await ingestFile(
      path,
      file.name,
      {
        row: (r) => {
          runner.row(r);
          rows.push(r);
        },
        finding: (f) => {
          if (f.rule === rule.id) runner.emit(f);
        },
        discard: () => {
          rows = [];
          runner.discard();
        },
      },
      { limits: settings.limits, columns: settings.columns },
    );
    const builder = new IndexBuilder();
    for (const r of rows) builder.add(r);
    runner.cross(builder.finish());
    return { findings: runner.findings(), failures: runner.failures };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Runs an example through the engine: normalised rows through the rule's row and cross hooks
 * (`checkRows`, the real runner and indexes); a tiny input file (rules whose findings come from
 * reading files, FILE) through ingest. This is the one place that knows how an example becomes
 * findings.
 */
export async function runExample(rule: AnyRule, example: Example): Promise<ExampleRun> {
  const settings = resolveConfig({}, [rule]);
  const asOf = parseAsOf(exampleAsOf(example));
  if (example.file) return runFileExample(rule, example.file, settings, asOf);
  const { findings, failures } = checkRows(example.rows, [rule], settings, asOf);
  return { findings: findings.filter((f) => f.rule === rule.id), failures };
}

/** The distinct problem codes of findings ('default' for a finding without one), sorted. */
export function codesOf(findings: readonly { code?: string }[]): string[] {
  return [...new Set(findings.map((f) => f.code ?? DEFAULT_CODE))].sort();
}
