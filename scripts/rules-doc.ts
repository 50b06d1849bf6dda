// Writes docs/rules.md from the rules (`npm run docs`). Refuses when a rule's example fails to run,
// so the committed docs never show a broken example.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../validators/index.js';
import { buildCatalogue } from '../src/catalogue/build.js';
import { rulesMarkdown } from '../src/catalogue/markdown.js';
import { projectRoot } from '../src/paths.js';

const catalogue = await buildCatalogue(RULES);
const failed = catalogue.flatMap((r) => [...r.examples.valid, ...r.examples.invalid].filter((e) => e.failures.length > 0).map((e) => `${r.id}「${e.note}」: ${e.failures.join('; ')}`));
if (failed.length > 0) {
  process.stderr.write(`rules-doc: examples failed to run, docs/rules.md not written:\n${failed.join('\n')}\n`);
  process.exit(1);
}
const path = join(projectRoot(), 'docs', 'rules.md');
writeFileSync(path, rulesMarkdown(catalogue));
process.stdout.write(`rules-doc: wrote ${path} (${catalogue.length} rules)\n`);
