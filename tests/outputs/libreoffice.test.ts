// A real spreadsheet program opens the workbooks: LibreOffice converts them to PDF and re-saves a
// filled one as .xlsx, which verify then reads. Needs Debian's libreoffice-calc (.ci/run installs it).
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeCorrectionWorkbooks } from '../../src/outputs/workbook.js';
import { readCorrections } from '../../src/outputs/verify-read.js';
import { judge, scopeOf } from '../../src/outputs/verify.js';
import { finding, hasSoffice, input, sheetXml, soffice, tempDir, removeTempDirs, village } from './fixtures.js';
import { fillWorkbook, scenario } from './scenario.js';

afterAll(removeTempDirs);

const run = promisify(execFile);
describe('LibreOffice', () => {
  it('is installed (apt-get install -y libreoffice-calc)', () => {
    expect(hasSoffice()).toBe(true);
  });

  it('converts a 整改台账 to PDF, A4 landscape, header row repeated on every page of 问题清单', { timeout: 240_000 }, async () => {
    const dir = await tempDir('lo-pdf');
    const findings = Array.from({ length: 150 }, (_, i) =>
      finding({
        rule: i % 3 ? 'BASE-01' : 'ID-03',
        household: `H${String(Math.floor(i / 3)).padStart(4, '0')}`,
        name: `成员${i}`,
        id: `43052419900101${String(1000 + i)}`,
        village: i < 75 ? '一村' : '二村',
        field: i % 3 ? 'mainCause' : 'idNumber',
        severity: i % 5 === 0 ? 'suspect' : i % 7 === 0 ? 'info' : 'error',
        message: `第 ${i} 条问题的说明，内容较长时自动换行显示，便于打印后到户核实。`,
        code: String(i),
      }),
    );
    const [path] = await writeCorrectionWorkbooks(input(findings, [village({ village: '一村' }), village({ village: '二村' })]), dir, 'township');
    const outDir = join(dir, 'pdf');
    await mkdir(outDir);
    const pdf = await soffice(path!, 'pdf', outDir);
    const bytes = await readFile(pdf);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const { stdout: info } = await run('pdfinfo', [pdf]);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    const size = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(info)!;
    expect(Number(size[1])).toBeGreaterThan(Number(size[2])); // landscape
    expect(Math.round(Number(size[1]))).toBe(842); // A4: 842 × 595 pt
    const { stdout: text } = await run('pdftotext', ['-layout', pdf, '-']);
    const pageTexts = text.split('\f').filter((t) => t.trim());
    expect(pageTexts.length).toBe(pages);
    const issuePages = pageTexts.filter((t) => /成员\d+/.test(t));
    expect(issuePages.length).toBeGreaterThan(1); // 150 rows do not fit one page
    // the header row is printed on every page of the list, and one page holds all columns
    for (const t of issuePages) {
      expect(t).toContain('核实结果');
      expect(t).toContain('备注');
    }
    expect(text).toContain('成员149');
    expect(text).not.toMatch(/[0-9a-f]{20}/); // the hidden fingerprint column is not printed
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
    expect(xml).toMatch(/<col [^>]*hidden="true"[^>]*max="21" min="21"/);
    const dv = /<dataValidation ([^>]*)>\s*<formula1>([^<]+)<\/formula1>/.exec(xml);
    expect(dv).not.toBeNull();
    expect(dv![1]).toContain('type="list"');
    expect(dv![1]).toContain('sqref="P2:P9"'); // every data row of the filled sheet
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
