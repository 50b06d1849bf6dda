// A filled 整改台账 is read by the lean xlsx reader, as exports are (CDATA, which some programs
// write, included); XML that reader refuses (a DOCTYPE) sends the whole workbook to exceljs
// instead, with the same result.
// Either way it is held to a check's limits: a clerk uploads it.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CorrectionsFileError, readCorrections } from '../../src/verify/read-corrections.js';
import { DEFAULT_LIMITS } from '../../src/ingest/limits.js';
import { buildStoredZip, ZipFile } from '../../src/ingest/zip.js';
import { readStructure } from '../../src/ingest/xlsx.js';
import { LeanUnsupported, readXlsxSheetsLean } from '../../src/ingest/xlsx-lean.js';
import { removeTempDirs, sampleTownshipWorkbook, tempDir } from '../outputs/fixtures.js';

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
  it('gives the same corrections with text written as CDATA, and through exceljs when a part declares a DOCTYPE', { timeout: 120_000 }, async () => {
    const { dir, path: original } = await sampleTownshipWorkbook('corrections-readers');
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

    // one inline or shared text as CDATA: read as that text
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
    expect(await readCorrections(cdata)).toEqual(plain);

    // a DOCTYPE in the 问题清单's part: the lean reader refuses it, exceljs reads the same rows
    const doctype = copyAt('doctype');
    let declared = 0;
    writeFileSync(
      doctype,
      await rewritten(original, (name, xml) => {
        if (declared > 0 || !/^xl\/worksheets\/sheet\d+\.xml$/.test(name) || !xml.includes('核实结果')) return xml;
        declared++;
        return xml.replace(/^(<\?xml[^>]*\?>)?/, (decl) => `${decl}<!DOCTYPE worksheet>`);
      }),
    );
    expect(declared).toBe(1);
    await expect(leanRows(doctype)).rejects.toBeInstanceOf(LeanUnsupported);
    expect(await leanRows(copy)).toBeGreaterThan(plain.rows.length);
    expect(await readCorrections(doctype)).toEqual(plain);
  });

  it('is held to the limits a check holds an export to, with a Chinese reason, on either reader', { timeout: 120_000 }, async () => {
    const dir = await tempDir('corrections-limits');
    const cell = (ref: string, v: string) => `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`;
    const header = `<row r="1">${cell('A1', '序号')}${cell('B1', '规则')}${cell('C1', '核实结果')}</row>`;
    const rows = (n: number, last = '') => {
      const out = [header];
      for (let r = 2; r <= n + 1; r++) out.push(`<row r="${r}">${cell(`A${r}`, String(r - 1))}${cell(`B${r}`, 'PAIR-01 贫困户未结对帮扶')}${cell(`C${r}`, '已修正')}</row>`);
      return out.join('') + last;
    };
    const book = (name: string, sheetXml: string) => {
      const path = join(dir, name);
      writeFileSync(
        path,
        buildStoredZip([
          { name: 'xl/workbook.xml', data: '<workbook xmlns:r="r"><sheets><sheet name="问题清单" sheetId="1" r:id="rId1"/></sheets></workbook>' },
          { name: 'xl/_rels/workbook.xml.rels', data: '<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>' },
          { name: 'xl/worksheets/sheet1.xml', data: `<worksheet><sheetData>${sheetXml}</sheetData></worksheet>`, deflate: true },
        ]),
      );
      return path;
    };
    const ok = book('ok.xlsx', rows(30));
    expect((await readCorrections(ok)).rows).toHaveLength(30);

    // one huge cell: refused while it inflates, not read into memory
    const huge = book('huge.xlsx', rows(3, `<row r="40">${cell('A40', 'x'.repeat(400 * 1024))}</row>`));
    await expect(readCorrections(huge)).rejects.toThrow(/无法读取整改台账“huge\.xlsx”：.*超过单元格内容长度上限 256 KB/);
    await expect(readCorrections(huge)).rejects.toBeInstanceOf(CorrectionsFileError);

    // parts are metered as they inflate (a bomb stops there): the lean reader's meter …
    const partCap = { ...DEFAULT_LIMITS, inflatedBytesPerPart: 4096 };
    await expect(readCorrections(ok, partCap)).rejects.toThrow(/无法读取整改台账“ok\.xlsx”：.*超过单个部件解压后大小上限/);
    // … and, when the lean reader stops at a DOCTYPE in the first sheet, the whole-file check before
    // exceljs reads: the second sheet is over the cap
    const viaExceljs = join(dir, 'two-sheets.xlsx');
    const filler: string[] = [];
    for (let r = 1; r <= 2000; r++) filler.push(`<row r="${r}">${cell(`A${r}`, '备注'.repeat(10))}</row>`);
    writeFileSync(
      viaExceljs,
      buildStoredZip([
        { name: 'xl/workbook.xml', data: '<workbook xmlns:r="r"><sheets><sheet name="问题清单" sheetId="1" r:id="rId1"/><sheet name="其他" sheetId="2" r:id="rId2"/></sheets></workbook>' },
        { name: 'xl/_rels/workbook.xml.rels', data: '<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="x/worksheet" Target="worksheets/sheet2.xml"/></Relationships>' },
        { name: 'xl/worksheets/sheet1.xml', data: `<?xml version="1.0"?><!DOCTYPE worksheet><worksheet><sheetData>${rows(3)}</sheetData></worksheet>`, deflate: true },
        { name: 'xl/worksheets/sheet2.xml', data: `<worksheet><sheetData>${filler.join('')}</sheetData></worksheet>`, deflate: true },
      ]),
    );
    expect((await readCorrections(viaExceljs)).rows).toHaveLength(3);
    await expect(leanRows(viaExceljs)).rejects.toBeInstanceOf(LeanUnsupported);
    await expect(readCorrections(viaExceljs, { ...DEFAULT_LIMITS, inflatedBytesPerPart: 50 * 1024 })).rejects.toThrow(/工作表「其他」：超过单个部件解压后大小上限/);

    // the config's limits apply (verify passes config.limits); a 问题清单 sheet may still hold
    // as many rows as the check writes into one
    await expect(readCorrections(ok, { ...DEFAULT_LIMITS, columnsPerRow: 2 })).rejects.toThrow(/超过每行列数上限 2 列/);
    expect((await readCorrections(ok, { ...DEFAULT_LIMITS, rowsPerSheet: 10 })).rows).toHaveLength(30);
    await expect(readCorrections(ok, { ...DEFAULT_LIMITS, bytesPerFile: 100 })).rejects.toThrow(/超过文件大小上限/);
  });

  it('says in Chinese why a 台账 cannot be read, never in the XML parser\'s English', async () => {
    const dir = await tempDir('corrections-unreadable');
    const cell = (ref: string, v: string) => `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`;
    const header = `<row r="1">${cell('A1', '序号')}${cell('B1', '规则')}${cell('C1', '核实结果')}</row>`;
    // a DOCTYPE sends the sheet to exceljs, whose XML parser throws "unexpected close tag" and the like
    const broken = {
      mismatched: `${header}<row r="2"><c r="A2" t="inlineStr"><is><t>1</is></c></row>`,
      unclosed: `${header}<row r="2">`,
      unquoted: `${header}<row r="2"><c r=A2></c></row>`,
    };
    for (const [name, body] of Object.entries(broken)) {
      const path = join(dir, `${name}.xlsx`);
      writeFileSync(
        path,
        buildStoredZip([
          { name: 'xl/workbook.xml', data: '<workbook xmlns:r="r"><sheets><sheet name="问题清单" sheetId="1" r:id="rId1"/></sheets></workbook>' },
          { name: 'xl/_rels/workbook.xml.rels', data: '<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>' },
          { name: 'xl/worksheets/sheet1.xml', data: `<?xml version="1.0"?><!DOCTYPE worksheet><worksheet><sheetData>${body}</sheetData></worksheet>`, deflate: true },
        ]),
      );
      const message = await readCorrections(path).then(
        () => 'read',
        (e: Error) => (e instanceof CorrectionsFileError ? e.message : `not a CorrectionsFileError: ${e.message}`),
      );
      expect(message, name).toBe(
        `无法读取整改台账“${name}.xlsx”：文件内部结构不规范（可能不是由 Excel/WPS 保存的）。文件可能已损坏、加密或不是 Excel 工作簿，请用 Excel 或 WPS 打开后另存为 .xlsx 再核查。`,
      );
    }
    // not a zip at all: our zip reader's own Chinese reason
    const junk = join(dir, 'junk.xlsx');
    writeFileSync(junk, 'garbage');
    await expect(readCorrections(junk)).rejects.toThrow(/^无法读取整改台账“junk\.xlsx”：找不到文件目录（文件不完整或已损坏）。/);
  });
});
