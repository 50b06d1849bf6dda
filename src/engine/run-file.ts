// Runs rules over one tiny input file given as text, through ingest and the real runner and
// indexes: the examples of rules whose findings come from reading files (FILE; FileExample in
// examples.ts), for the catalogue test and docs/rules.md. The sibling of run-rows.ts.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { AsOf } from '../core/as-of.js';
import { ingestFile } from '../ingest/index.js';
import type { AnyRule } from './rule.js';
import type { FileExample } from './examples.js';
import { RuleRunner, type RunSettings } from './runner.js';
import { IndexBuilder } from './indexes.js';
import type { RowsChecked } from './run-rows.js';

/** Writes the file to a temporary folder (removed after), reads it and runs `rules`; findings of other rules are dropped. */
export async function checkFileText(file: FileExample['file'], rules: readonly AnyRule[], settings: RunSettings, asOf: AsOf): Promise<RowsChecked> {
  const dir = await mkdtemp(join(tmpdir(), 'qingxi-example-'));
  try {
    const name = basename(file.name);
    const path = join(dir, name);
    await writeFile(path, file.text, 'utf8');
    const runner = new RuleRunner(rules, settings, asOf);
    const ids = new Set(rules.map((r) => r.id));
    let builder = new IndexBuilder();
    await ingestFile(path, name, {
      row: (r) => {
        runner.row(r);
        builder.add(r);
      },
      finding: (f) => {
        if (ids.has(f.rule)) runner.emit(f);
      },
      discard: () => {
        runner.discard();
        builder = new IndexBuilder();
      },
    });
    runner.cross(builder.finish());
    return { findings: runner.findings(), failures: runner.failures };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
