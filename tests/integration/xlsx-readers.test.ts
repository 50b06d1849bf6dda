// The lean xlsx reader (default) and exceljs (the fallback) must give byte-identical findings and
// the same row accounting on every workbook we have: the committed samples, the ingest fixtures,
// freshly generated exports in every layout, and the samples re-saved by LibreOffice.
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { buildStoredZip } from '../../src/ingest/zip.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/pipeline.js';
import { loadConfigFile } from '../../src/config.js';
import { RULES } from '../../validators/index.js';
import { toRecord } from '../../src/outputs/findings.js';
import { generateSamples } from '../../src/samples/generate.js';
import type { XlsxReaderKind } from '../../src/ingest/index.js';
import { soffice, tempDir } from '../outputs/fixtures.js';

const SAMPLES = join(process.cwd(), 'samples/township');
const FIXTURES = join(process.cwd(), 'tests/fixtures/ingest');

async function check(dir: string, xlsxReader: XlsxReaderKind): Promise<{ jsonl: string; files: string }> {
  const result = await runCheck({ paths: [dir], asOf: '2020-04-30', config: loadConfigFile(undefined, RULES), xlsxReader });
  return {
    // exactly the lines findings.jsonl is made of
    jsonl: result.findings.map((f) => JSON.stringify(toRecord(f)) + '\n').join(''),
    files: JSON.stringify(result.files),
  };
}

async function expectSame(dir: string, minFindings: number): Promise<void> {
  const lean = await check(dir, 'lean');
  const exceljs = await check(dir, 'exceljs');
  expect(lean.jsonl.split('\n').length).toBeGreaterThan(minFindings);
  expect(lean.jsonl).toBe(exceljs.jsonl);
  expect(lean.files).toBe(exceljs.files);
}

describe('lean xlsx reader and exceljs give byte-identical findings', () => {
  it('on the committed samples (with the corrupt workbook)', { timeout: 120_000 }, async () => {
    await expectSame(SAMPLES, 40);
  });

  it('on the ingest fixtures', { timeout: 60_000 }, async () => {
    await expectSame(FIXTURES, 1);
  });

  it('on generated exports of every layout (several seeds)', { timeout: 300_000 }, async () => {
    for (const seed of [1, 2, 3, 4]) {
      const dir = await tempDir(`readers-gen-${seed}`);
      await generateSamples({ outDir: dir, households: 120, seed, formats: 'xlsx' });
      await expectSame(dir, 20);
    }
  });

  it('on the samples re-saved by LibreOffice', { timeout: 300_000 }, async () => {
    const dir = await tempDir('readers-lo');
    const resaved = join(dir, 'resaved');
    mkdirSync(resaved);
    for (const name of readdirSync(SAMPLES)) {
      if (name === 'truth.json' || name === '损坏文件.xlsx') continue;
      if (name.endsWith('.xlsx')) await soffice(join(SAMPLES, name), 'xlsx:Calc MS Excel 2007 XML', resaved);
      else copyFileSync(join(SAMPLES, name), join(resaved, name));
    }
    await expectSame(resaved, 40);
  });

  it('a workbook the lean reader refuses part-way (a DOCTYPE in its second sheet) is read again by exceljs, nothing twice', { timeout: 60_000 }, async () => {
    const dir = await tempDir('readers-fallback');
    const cell = (ref: string, v: string) => `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`;
    const row = (r: number, vals: string[]) => `<row r="${r}">${vals.map((v, i) => cell(String.fromCharCode(65 + i) + r, v)).join('')}</row>`;
    const rows = [row(1, ['户编号', '姓名', '证件号码', '与户主关系', '性别'])];
    for (let r = 2; r < 400; r++) rows.push(row(r, [`H${r}`, '张三', '43052419900101123X', '户主', '男']));
    const more = [row(1, ['户编号', '姓名', '证件号码', '与户主关系', '性别']), row(2, ['H400', '李四', '430524199001011238', '户主', '男'])];
    writeFileSync(
      join(dir, '成员.xlsx'),
      buildStoredZip([
        {
          name: 'xl/workbook.xml',
          data: '<workbook xmlns:r="r"><sheets><sheet name="成员" sheetId="1" r:id="rId1"/><sheet name="成员二" sheetId="2" r:id="rId3"/><sheet name="丢失" sheetId="3" r:id="rId2"/></sheets></workbook>',
        },
        {
          name: 'xl/_rels/workbook.xml.rels',
          data: '<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId3" Type="x/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId2" Type="x/worksheet" Target="worksheets/sheet9.xml"/></Relationships>',
        },
        { name: 'xl/worksheets/sheet1.xml', data: `<worksheet><sheetData>${rows.join('')}</sheetData></worksheet>`, deflate: true },
        { name: 'xl/worksheets/sheet2.xml', data: `<?xml version="1.0"?><!DOCTYPE worksheet><worksheet><sheetData>${more.join('')}</sheetData></worksheet>` },
      ]),
    );
    const lean = await runCheck({ paths: [dir], asOf: '2020-04-30', config: loadConfigFile(undefined, RULES), xlsxReader: 'lean' });
    const exceljs = await runCheck({ paths: [dir], asOf: '2020-04-30', config: loadConfigFile(undefined, RULES), xlsxReader: 'exceljs' });
    // the first sheet's rows once (the lean reader's are discarded), the missing sheet reported
    expect(lean.files[0]!.sheets[0]!.buckets.data).toBe(398);
    expect(lean.findings.filter((f) => f.rule === 'FILE-04').map((f) => f.at?.sheet)).toEqual(['丢失']);
    expect(lean.files[0]!.sheets.map((x) => x.buckets.data)).toEqual([398, 1]);
    expect(lean.findings.map((f) => JSON.stringify(toRecord(f))).join('\n')).toBe(exceljs.findings.map((f) => JSON.stringify(toRecord(f))).join('\n'));
    expect(JSON.stringify(lean.files)).toBe(JSON.stringify(exceljs.files));
  });

  it('exceljs reads a stored sheet after a deflated one to its end (it was reported broken: the unzip stream ended right after it)', { timeout: 60_000 }, async () => {
    const dir = await tempDir('readers-stored');
    const cell = (ref: string, v: string) => `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`;
    const row = (r: number, vals: string[]) => `<row r="${r}">${vals.map((v, i) => cell(String.fromCharCode(65 + i) + r, v)).join('')}</row>`;
    const sheet = (n: number) => {
      const rows = [row(1, ['户编号', '姓名', '证件号码', '与户主关系', '性别'])];
      for (let r = 2; r <= n + 1; r++) rows.push(row(r, [`H${r}`, '张三', '430524199001011238', '户主', '男']));
      return `<worksheet><sheetData>${rows.join('')}</sheetData></worksheet>`;
    };
    for (const first of [3, 398]) {
      writeFileSync(
        join(dir, '成员.xlsx'),
        buildStoredZip([
          { name: 'xl/workbook.xml', data: '<workbook xmlns:r="r"><sheets><sheet name="一" sheetId="1" r:id="rId1"/><sheet name="二" sheetId="2" r:id="rId2"/></sheets></workbook>' },
          { name: 'xl/_rels/workbook.xml.rels', data: '<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="x/worksheet" Target="worksheets/sheet2.xml"/></Relationships>' },
          { name: 'xl/worksheets/sheet1.xml', data: sheet(first), deflate: true },
          { name: 'xl/worksheets/sheet2.xml', data: sheet(1) },
        ]),
      );
      for (const reader of ['exceljs', 'lean'] as const) {
        const r = await runCheck({ paths: [dir], asOf: '2020-04-30', config: loadConfigFile(undefined, RULES), xlsxReader: reader });
        expect(r.findings.filter((f) => f.rule === 'FILE-04'), `${reader} ${first}`).toEqual([]);
        expect(r.files[0]!.sheets.map((x) => x.buckets.data), reader).toEqual([first, 1]);
      }
    }
  });

  it('a date written as an ISO date cell (t="d") is that date, not the number its year makes', { timeout: 60_000 }, async () => {
    const dir = await tempDir('readers-iso-date');
    const cell = (ref: string, v: string) => `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`;
    writeFileSync(
      join(dir, '成员.xlsx'),
      buildStoredZip([
        { name: 'xl/workbook.xml', data: '<workbook xmlns:r="r"><sheets><sheet name="成员" sheetId="1" r:id="rId1"/></sheets></workbook>' },
        { name: 'xl/_rels/workbook.xml.rels', data: '<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>' },
        {
          name: 'xl/worksheets/sheet1.xml',
          data:
            `<worksheet><sheetData><row r="1">${cell('A1', '户编号')}${cell('B1', '姓名')}${cell('C1', '证件号码')}${cell('D1', '与户主关系')}${cell('E1', '出生日期')}</row>` +
            `<row r="2">${cell('A2', 'H1')}${cell('B2', '张三')}${cell('C2', '430524199001011238')}${cell('D2', '户主')}<c r="E2" t="d"><v>1990-01-01T00:00:00</v></c></row></sheetData></worksheet>`,
          deflate: true,
        },
      ]),
    );
    const r = await runCheck({ paths: [dir], asOf: '2020-04-30', config: loadConfigFile(undefined, RULES) });
    expect(r.indexes.members[0]!.v.birthDate).toEqual({ y: 1990, m: 1, d: 1 });
    // the birth date agrees with the ID number's: nothing says otherwise
    expect(r.findings.filter((f) => f.field === 'birthDate')).toEqual([]);
  });

  it('text written as CDATA is read as that text (a name in the shared strings is not "empty")', { timeout: 60_000 }, async () => {
    const dir = await tempDir('readers-cdata');
    const sheet = (ref: (i: number) => string) =>
      `<worksheet><sheetData><row r="1">${['户编号', '姓名', '证件号码', '与户主关系'].map((_, i) => `<c r="${String.fromCharCode(65 + i)}1" t="s"><v>${i}</v></c>`).join('')}</row>` +
      `<row r="2"><c r="A2" t="inlineStr"><is><t>H1</t></is></c><c r="B2" t="s"><v>4</v></c><c r="C2" t="inlineStr"><is><t>${ref(0)}</t></is></c><c r="D2" t="s"><v>5</v></c></row></sheetData></worksheet>`;
    const book = (folder: string, cdata: boolean) => {
      mkdirSync(join(dir, folder));
      const t = (s: string) => (cdata ? `<![CDATA[${s}]]>` : s);
      writeFileSync(
        join(dir, folder, '成员.xlsx'),
        buildStoredZip([
          { name: 'xl/workbook.xml', data: '<workbook xmlns:r="r"><sheets><sheet name="成员" sheetId="1" r:id="rId1"/></sheets></workbook>' },
          { name: 'xl/_rels/workbook.xml.rels', data: '<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="x/sharedStrings" Target="sharedStrings.xml"/></Relationships>' },
          { name: 'xl/sharedStrings.xml', data: `<sst>${['户编号', '姓名', '证件号码', '与户主关系', '张三', '户主'].map((x) => `<si><t>${t(x)}</t></si>`).join('')}</sst>` },
          { name: 'xl/worksheets/sheet1.xml', data: sheet(() => t('430524199001011238')), deflate: true },
        ]),
      );
      return join(dir, folder);
    };
    const plainText = await check(book('plain', false), 'lean');
    const asCdata = await check(book('cdata', true), 'lean');
    expect(asCdata.jsonl).toBe(plainText.jsonl.replaceAll('/plain/', '/cdata/'));
    expect(asCdata.jsonl).not.toContain('ID-09');
  });
});
