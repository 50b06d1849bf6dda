// A real spreadsheet program opens the workbooks: LibreOffice converts them to PDF and re-saves a
// filled one as .xlsx, which verify then reads. Needs Debian's libreoffice-calc (.ci/run installs it).
import { afterAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeCorrectionWorkbooks } from '../../src/outputs/workbook.js';
import { readCorrections } from '../../src/verify/read-corrections.js';
import { judge, scopeOf } from '../../src/outputs/verify.js';
import { input, sheetXml, soffice, tempDir, removeTempDirs, village } from './fixtures.js';
import { requireProgram } from '../helpers/programs.js';
import { fillWorkbook, scenario } from './scenario.js';

afterAll(removeTempDirs);

describe('LibreOffice', () => {
  it('is installed (apt-get install -y libreoffice-calc)', () => {
    expect(() => requireProgram('soffice')).not.toThrow();
  });

  it('a filled workbook re-saved by LibreOffice keeps its drop-down and hidden fingerprint, and verifies the same', { timeout: 240_000 }, async () => {
    const s = scenario();
    const dir = await tempDir('lo-rt');
    const [path] = await writeCorrectionWorkbooks(input(s.all, [village({ village: '一村', score: 333 }), village({ village: '二村', score: 200 })]), dir, 'township');
    const filled = join(dir, '整改台账_已填.xlsx');
    await fillWorkbook(path!, filled, s.fill, { deleteFp: s.f.deleted.fingerprint });
    const outDir = join(dir, 'lo');
    await mkdir(outDir);
    const resaved = await soffice(filled, 'xlsx:Calc MS Excel 2007 XML', outDir);
    const xml = (await sheetXml(resaved)).get('问题清单')!;
    // LibreOffice wrote it: its own attribute style
    expect(xml).toMatch(/<col [^>]*hidden="true"[^>]*max="23" min="23"/);
    const dv = /<dataValidation ([^>]*)>\s*<formula1>([^<]+)<\/formula1>/.exec(xml);
    expect(dv).not.toBeNull();
    expect(dv![1]).toContain('type="list"');
    expect(dv![1]).toContain('sqref="R2:R9"'); // every data row of the filled sheet
    expect(dv![2].replace(/&quot;/g, '"')).toBe('"已修正,数据无误,无法核实"');
    expect(xml).toMatch(/<sheetProtection [^>]*sheet="(true|1)"/);
    expect(xml).not.toMatch(/<f[\s>]/);

    const read = await readCorrections(resaved);
    expect(read.hasFingerprint).toBe(true);
    expect(read.rows).toHaveLength(7);
    expect(read.rows.find((r) => r.fingerprint === s.f.explained.fingerprint)).toMatchObject({ verifiedOn: '2020-06-01', remark: '经入户核实，致贫原因属实' });
    expect(read.rows.find((r) => r.fingerprint === s.f.claimedFixed.fingerprint)!.value).toBe('=1+1');
    const out = judge(read.rows, s.fresh, scopeOf(read.rows, read.before));
    expect(Object.fromEntries(out.rows.map((j) => [j.fingerprint, j.judgement]))).toEqual(s.expected);
    expect(out.newFindings.map((x) => x.fingerprint).sort()).toEqual([s.f.deleted.fingerprint, s.brandNew.fingerprint].sort());
  });
});
