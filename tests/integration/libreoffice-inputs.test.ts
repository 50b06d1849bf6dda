// Exports written by a real spreadsheet program: every xlsx of the committed samples is re-saved by
// LibreOffice (its own zip layout, shared strings, styles and number rendering) and must give the
// same findings as the original files, row for row.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/pipeline.js';
import { loadConfigFile } from '../../src/config.js';
import { RULES } from '../../validators/index.js';
import { toRecord } from '../../src/outputs/findings.js';
import { soffice, tempDir } from '../outputs/fixtures.js';

const SAMPLES = join(process.cwd(), 'samples/township');

async function findingKeys(dir: string): Promise<string[]> {
  const result = await runCheck({ paths: [dir], asOf: '2020-04-30', config: loadConfigFile(undefined, RULES) });
  return result.findings
    .map(toRecord)
    .map((f) => [f.rule, f.file, f.sheet, f.row, f.household_no, f.id_number, f.helper_id, f.project_no, f.field, f.value, f.fingerprint].join('|'))
    .sort();
}

describe('exports re-saved by LibreOffice', () => {
  it('give the same findings as the originals', { timeout: 300_000 }, async () => {
    const dir = await tempDir('lo-inputs');
    const orig = join(dir, 'orig');
    const resaved = join(dir, 'resaved');
    mkdirSync(orig);
    mkdirSync(resaved);
    for (const name of readdirSync(SAMPLES)) {
      // the corrupt file cannot be re-saved by any program; leave it out of both sides
      if (name === 'truth.json' || name === '损坏文件.xlsx') continue;
      copyFileSync(join(SAMPLES, name), join(orig, name));
      if (name.endsWith('.xlsx')) await soffice(join(SAMPLES, name), 'xlsx:Calc MS Excel 2007 XML', resaved);
      else copyFileSync(join(SAMPLES, name), join(resaved, name));
    }
    const a = await findingKeys(orig);
    const b = await findingKeys(resaved);
    expect(a.length).toBeGreaterThan(40);
    expect(b).toEqual(a);
  });
});
