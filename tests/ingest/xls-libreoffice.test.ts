// Legacy .xls written by a real spreadsheet program: every xlsx of the committed samples is
// converted by LibreOffice to Excel 97–2003 (BIFF8) and must give the same findings as the
// originals, row for row (only FILE findings' fingerprints differ: they carry the file name).
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
    .map((f) =>
      [
        f.rule,
        f.file.replace(/\.xlsx?$/, ''),
        f.sheet,
        f.row,
        f.household_no,
        f.id_number,
        f.helper_id,
        f.project_no,
        f.field,
        JSON.stringify(f.value),
        JSON.stringify(f.expected),
        f.message.replace(/\.xlsx?(?=[」 ）/])/g, ''),
        f.rule.startsWith('FILE-') ? '' : f.fingerprint,
      ].join('|'),
    )
    .sort();
}

describe('samples converted to .xls by LibreOffice', () => {
  it('give the same findings as the .xlsx originals', { timeout: 300_000 }, async () => {
    const dir = await tempDir('lo-xls');
    const orig = join(dir, 'orig');
    const legacy = join(dir, 'xls');
    mkdirSync(orig);
    mkdirSync(legacy);
    let converted = 0;
    for (const name of readdirSync(SAMPLES)) {
      if (name === 'truth.json' || name === '损坏文件.xlsx') continue;
      copyFileSync(join(SAMPLES, name), join(orig, name));
      if (name.endsWith('.xlsx')) {
        const out = await soffice(join(SAMPLES, name), 'xls:MS Excel 97', legacy);
        expect(out.endsWith('.xls')).toBe(true);
        converted++;
      } else copyFileSync(join(SAMPLES, name), join(legacy, name));
    }
    expect(converted).toBeGreaterThanOrEqual(5);
    const a = await findingKeys(orig);
    const b = await findingKeys(legacy);
    expect(a.length).toBeGreaterThan(40);
    // the samples' ID-10 (numeric-cell IDs), dates, two-row merged headers and merged-down 户编号
    // are among them
    expect(a.some((k) => k.startsWith('ID-10|'))).toBe(true);
    expect(b).toEqual(a);
  });
});
