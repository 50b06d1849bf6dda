import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildStoredZip } from '../../src/ingest/zip.js';
import { FIXTURES, ingest, msg, writeTmp, writeXlsx } from './helpers.js';

async function only04(path: string, display?: string, opts?: { maxBytes?: number }) {
  const c = await ingest(path, display, opts);
  expect(c.findings.map((f) => f.rule)).toEqual(['FILE-04']);
  expect(c.rows).toHaveLength(0);
  expect(c.acc.readable).toBe(false);
  const f = c.findings[0]!;
  expect(f.at).toEqual({ file: display ?? path.split('/').pop() });
  expect(msg(f)).toContain(`文件「${display ?? path.split('/').pop()}」`);
  expect(c.acc.error).toBeTruthy();
  return { c, f, m: msg(f) };
}

describe('unreadable files → FILE-04, never a throw', () => {
  test('a legacy .xls whose workbook stream cannot be read (a damaged file): save as .xlsx', async () => {
    const { c, f, m } = await only04(join(FIXTURES, 'legacy.xls'), 'legacy.xls');
    expect(c.acc.format).toBe('xls');
    expect(f.code).toBe('xls');
    expect(m).toContain('另存为');
    expect(m).toContain('.xlsx');
  });

  test('password-protected .xlsx (CFB with EncryptionInfo): remove the password', async () => {
    const { f, m } = await only04(join(FIXTURES, 'password.xlsx'), 'password.xlsx');
    expect(f.code).toBe('encrypted');
    expect(m).toContain('密码');
    expect(m).toContain('取消打开密码');
  });

  test('the extension does not matter: an unreadable .xls renamed .xlsx is still judged a legacy workbook', async () => {
    const p = writeTmp('renamed.xlsx', readFileSync(join(FIXTURES, 'legacy.xls')));
    expect((await only04(p)).f.code).toBe('xls');
  });

  test('empty file', async () => {
    const { f, m } = await only04(writeTmp('empty.csv', ''));
    expect(f.code).toBe('empty');
    expect(m).toContain('空文件');
  });

  test('corrupt zip (truncated xlsx)', async () => {
    const good = readFileSync(await writeXlsx({ S: [['户编号', '姓名'], ['H1', '张三']] }));
    const { f, m } = await only04(writeTmp('broken.xlsx', good.subarray(0, Math.floor(good.length / 2))));
    expect(f.code).toBe('corrupt-zip');
    expect(m).toContain('已损坏');
  });

  test('zip that is not a workbook', async () => {
    const { f, m } = await only04(writeTmp('photos.xlsx', buildStoredZip([{ name: 'a.txt', data: 'hello' }])));
    expect(f.code).toBe('not-workbook');
    expect(m).toContain('不是 Excel 工作簿');
    const w = await only04(writeTmp('doc.xlsx', buildStoredZip([{ name: 'word/document.xml', data: '<w/>' }])));
    expect(w.m).toContain('Word');
  });

  test('over the size limit', async () => {
    const p = writeTmp('m.csv', '户编号,姓名,证件号码,与户主关系\n' + 'H1,张三,43052419900101123X,户主\n'.repeat(100));
    const { f, m } = await only04(p, 'm.csv', { maxBytes: 1000 });
    expect(f.code).toBe('too-large');
    expect(m).toContain('超过上限');
  });

  test('an HTML page without a table saved as .xls, an empty XML spreadsheet, a PDF, binary junk, a missing file', async () => {
    const html = await only04(writeTmp('export.xls', '<html><body><p>登录已过期，请重新登录</p></body></html>'));
    expect(html.f.code).toBe('html');
    expect(html.m).toContain('另存为');
    expect((await only04(writeTmp('a.pdf.xlsx', '%PDF-1.4\n...'))).f.code).toBe('pdf');
    const xml2003 = '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>';
    expect((await only04(writeTmp('old.xls', xml2003))).f.code).toBe('xml2003');
    const et = await only04(writeTmp('wps.et', Buffer.from([1, 2, 3, 0, 0, 5, 200, 201, 7, 0])));
    expect(et.f.code).toBe('et');
    expect(et.m).toMatch(/WPS[\s\S]*另存为[\s\S]*\.xlsx/);
    expect((await only04(writeTmp('junk.csv', Buffer.from([1, 2, 3, 0, 0, 5, 200, 201, 7, 0])))).f.code).toBe('unknown-format');
    expect((await only04('/nonexistent/qingxi/x.xlsx')).f.code).toBe('open');
  });

  test('text with a non-table extension is refused, the same text as .csv is read', async () => {
    const text = '户编号,姓名,证件号码,与户主关系\nH1,张三,43052419900101123X,户主\n';
    expect((await only04(writeTmp('notes.doc', text))).f.code).toBe('text-ext');
    const c = await ingest(writeTmp('notes.csv', text));
    expect(c.rows).toHaveLength(1);
  });

  test('a worksheet part that is damaged mid-way: earlier sheets stay read, FILE-04 names the sheet', async () => {
    const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const inl = (r: string, t: string) => `<c r="${r}" t="inlineStr"><is><t>${t}</t></is></c>`;
    const sheet1 = `<worksheet ${NS}><sheetData><row r="1">${inl('A1', '户编号')}${inl('B1', '姓名')}${inl('C1', '证件号码')}${inl('D1', '与户主关系')}</row><row r="2">${inl('A2', 'H1')}${inl('B2', '张三')}${inl('C2', '43052419900101123X')}${inl('D2', '户主')}</row></sheetData></worksheet>`;
    let rows = '';
    for (let i = 3; i < 3000; i++) rows += `<row r="${i}">${inl(`A${i}`, `H${i}`)}${inl(`B${i}`, `名${i}`)}${inl(`C${i}`, `4305241990010${i}`)}${inl(`D${i}`, '之子')}</row>`;
    const sheet2 = sheet1.replace('张三', '李四').replace('</sheetData>', rows + '</sheetData>');
    // garbage in the second half of the compressed data: inflate fails part-way
    const mangle = (b: Buffer) => {
      const out = Buffer.from(b);
      out.fill(0xff, Math.floor(out.length * 0.6), Math.floor(out.length * 0.6) + 64);
      return out;
    };
    const zip = buildStoredZip([
      {
        name: 'xl/workbook.xml',
        data: `<workbook ${NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="好表" sheetId="1" r:id="rId1"/><sheet name="坏表" sheetId="2" r:id="rId2"/></sheets></workbook>`,
      },
      {
        name: 'xl/_rels/workbook.xml.rels',
        data: '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/></Relationships>',
      },
      { name: 'xl/worksheets/sheet1.xml', data: sheet1 },
      { name: 'xl/worksheets/sheet2.xml', data: sheet2, deflate: true, mangle },
    ]);
    const c = await ingest(writeTmp('half.xlsx', zip));
    // rows read before the break stay read and accounted
    const members = c.rows.filter((r) => r.table === 'members');
    expect(members[0]!.at.sheet).toBe('好表');
    expect(members[1]!.v['name']).toBe('李四');
    const bad = c.acc.sheets.find((s) => s.sheet === '坏表')!;
    expect(bad.buckets.data).toBe(members.length - 1);
    expect(bad.buckets.data).toBeGreaterThan(1);
    expect(bad.buckets.data).toBeLessThan(2998);
    expect(c.acc.readable).toBe(true);
    const f04 = c.findings.filter((f) => f.rule === 'FILE-04');
    expect(f04).toHaveLength(1);
    expect(f04[0]!.at).toEqual({ file: 'half.xlsx', sheet: '坏表' });
    expect(msg(f04[0]!)).toContain('工作表「坏表」');
  });
});
