// A filled 整改台账 is read by the lean xlsx reader, as exports are; XML that reader refuses (CDATA,
// which some programs write) sends the whole workbook to exceljs instead, with the same result.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/pipeline.js';
import { writeCorrectionWorkbooks } from '../../src/outputs/workbook.js';
import { readCorrections } from '../../src/verify/read-corrections.js';
import { buildStoredZip, ZipFile } from '../../src/ingest/zip.js';
import { readStructure } from '../../src/ingest/xlsx.js';
import { LeanUnsupported, readXlsxSheetsLean } from '../../src/ingest/xlsx-lean.js';
import { loadConfigFile } from '../../src/config.js';
import { RULES } from '../../validators/index.js';
import { removeTempDirs, tempDir } from '../outputs/fixtures.js';

afterAll(removeTempDirs);

/** The workbook's parts, each part's text passed through `edit` (by part name). */
async function rewritten(path: string, edit: (name: string, xml: string) => string): Promise<Buffer> {
  const zip = await ZipFile.open(path, statSync(path).size);
  try {
    const parts: { name: string; data: Buffer | string; deflate: boolean }[] = [];
    for (const [name, entry] of zip.entries) {
      const data = await zip.read(entry);
      parts.push({ name, data: name.endsWith('.xml') || name.endsWith('.rels') ? edit(name, data.toString('utf8')) : data, deflate: true });
    }
    return buildStoredZip(parts);
  } finally {
    await zip.close();
  }
}

/** Rows of every sheet through the lean reader alone. */
async function leanRows(path: string): Promise<number> {
  const zip = await ZipFile.open(path, statSync(path).size);
  try {
    let rows = 0;
    for await (const sheet of readXlsxSheetsLean(zip, await readStructure(zip))) for await (const batch of sheet.batches) rows += batch.length;
    return rows;
  } finally {
    await zip.close();
  }
}

describe('reading a filled 整改台账 back', () => {
  it('gives the same corrections when a cell is written as CDATA (read again by exceljs)', { timeout: 120_000 }, async () => {
    const res = await runCheck({ paths: ['samples/township'], asOf: '2020-04-30', config: loadConfigFile(undefined, RULES) });
    const dir = await tempDir('corrections-readers');
    const written = await writeCorrectionWorkbooks(
      { findings: res.findings, villages: [], asOf: '2020-04-30', checkedAt: '2020-05-01T00:00:00Z', sources: [], rules: [], headOf: () => undefined },
      dir,
      'township',
    );
    const original = written.find((p) => p.includes('司门前镇'))!;
    const plain = await readCorrections(original);
    expect(plain.rows.length).toBeGreaterThan(20);
    expect(plain.hasFingerprint).toBe(true);
    expect(plain.asOf).toBe('2020-04-30');

    // copies keep the file name (every correction row names its file)
    const copyAt = (folder: string) => {
      mkdirSync(join(dir, folder));
      return join(dir, folder, basename(original));
    };
    // the same workbook through our zip writer, unchanged: read alike (the copy is a fair control)
    const copy = copyAt('copy');
    writeFileSync(copy, await rewritten(original, (_, xml) => xml));
    expect(await readCorrections(copy)).toEqual(plain);

    // one inline or shared text as CDATA: the lean reader refuses it, exceljs reads the same text
    let edited = 0;
    const cdata = copyAt('cdata');
    writeFileSync(
      cdata,
      await rewritten(original, (name, xml) => {
        if (edited > 0 || !/^xl\/(sharedStrings|worksheets\/sheet\d+)\.xml$/.test(name)) return xml;
        const next = xml.replace(/<t>([^<]{2,})<\/t>/, (_, text: string) => `<t><![CDATA[${text.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>')}]]></t>`);
        if (next !== xml) edited++;
        return next;
      }),
    );
    expect(edited).toBe(1);
    // the lean reader alone refuses it: the corrections below come from the exceljs fallback
    await expect(leanRows(cdata)).rejects.toBeInstanceOf(LeanUnsupported);
    expect(await leanRows(copy)).toBeGreaterThan(plain.rows.length);
    expect(await readCorrections(cdata)).toEqual(plain);
  });
});
