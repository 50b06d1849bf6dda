import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import type { MemberRow } from '../../src/schema/rows.js';
import { detectEncoding, sniffDelimiter } from '../../src/ingest/sniff.js';
import { FIXTURES, findingsOf, ingest, msg, rowsOf, writeTmp } from './helpers.js';

const MEMBERS = '户编号,姓名,证件号码,与户主关系,性别\n';

describe('CSV encodings and delimiters (fixtures)', () => {
  test('GBK with title rows, footer and trailing empty lines', async () => {
    const c = await ingest(join(FIXTURES, 'households-gbk.csv'));
    expect(c.acc.format).toBe('csv');
    expect(c.acc.encoding).toBe('GB18030');
    const s = c.acc.sheets[0]!;
    expect(s.sheet).toBeUndefined();
    expect(s.tables).toEqual(['households']);
    expect(s.headerRows).toEqual([3]);
    expect(s.buckets).toEqual({ title: 2, header: 1, instruction: 0, data: 2, blank: 1, footer: 2, rejected: 0, unrecognised: 0 });
    const rows = rowsOf(c, 'households');
    expect(rows.map((r) => r.at)).toEqual([
      { file: 'households-gbk.csv', row: 4 },
      { file: 'households-gbk.csv', row: 5 },
    ]);
    // 镕 is in GBK but not in GB2312
    expect(rows[1]!.v).toMatchObject({ headName: '王镕', householdSize: 3, status: '未脱贫', incomePerCapita: 2900 });
    expect(rows[0]!.v).toMatchObject({ exitYear: 2018, incomePerCapita: 5600.5 });
  });

  test('UTF-16LE with BOM, tab-separated (Excel "Unicode text")', async () => {
    const c = await ingest(join(FIXTURES, 'members-utf16.txt'));
    expect(c.acc.encoding).toBe('UTF-16LE');
    const m = rowsOf(c, 'members') as MemberRow[];
    expect(m.map((r) => r.v.name)).toEqual(['张三', '李四']);
    expect(m[1]!.v.health).toEqual(expect.arrayContaining(['残疾', '长期慢性病']));
    expect(m[1]!.v.gender).toBe('女');
  });

  test('UTF-8 with BOM, semicolon-separated, commas inside cells', async () => {
    const c = await ingest(join(FIXTURES, 'members-semicolon-bom.csv'));
    expect(c.acc.encoding).toBe('UTF-8 (BOM)');
    const m = rowsOf(c, 'members') as MemberRow[];
    // the BOM does not stick to the first header (乡镇 is recognised)
    expect(m[0]!.v.township).toBe('城关镇');
    expect(m[0]!.v.health?.sort()).toEqual(['残疾', '长期慢性病']);
    expect(findingsOf(c, 'FILE-05')).toHaveLength(0);
  });

  test('too many cells → FILE-03 with line number and raw text; quoted line breaks and short rows are read', async () => {
    const c = await ingest(join(FIXTURES, 'members-extra-cells.csv'));
    expect(c.acc.encoding).toBe('UTF-8');
    const s = c.acc.sheets[0]!;
    const f03 = findingsOf(c, 'FILE-03');
    expect(f03).toHaveLength(1);
    expect(f03[0]!.at).toEqual({ file: 'members-extra-cells.csv', row: 3 });
    expect(f03[0]!.value).toBe('H001,李,四,430524199201011241,配偶,多出一列');
    expect(msg(f03[0]!)).toContain('第3行');
    expect(msg(f03[0]!)).toContain('H001,李,四');
    expect(s.rejected).toEqual([expect.objectContaining({ row: 3, raw: 'H001,李,四,430524199201011241,配偶,多出一列' })]);
    const m = rowsOf(c, 'members') as MemberRow[];
    // the quoted field spans lines 4–5; the next record starts on line 6 and lacks its last cell
    expect(m.map((r) => [r.at.row, r.v.name])).toEqual([
      [2, '张三'],
      [4, '王五'],
      [6, '赵六'],
    ]);
    expect(s.buckets).toMatchObject({ header: 1, data: 3, rejected: 1 });
  });
});

describe('CSV written in tests', () => {
  test('UTF-8 without BOM', async () => {
    const c = await ingest(writeTmp('m.csv', MEMBERS + 'H001,张三,43052419900101123x,户主,男\n'));
    expect(c.acc.encoding).toBe('UTF-8');
    expect((rowsOf(c, 'members')[0] as MemberRow).v.idNumber?.text).toBe('43052419900101123X');
  });

  test('GB18030 beyond GBK (4-byte sequence)', async () => {
    const text = MEMBERS + 'H001,𠀀张,43052419900101123X,户主,男\n';
    const c = await ingest(writeTmp('gb.csv', iconv.encode(text, 'gb18030')));
    expect(c.acc.encoding).toBe('GB18030');
    expect((rowsOf(c, 'members')[0] as MemberRow).v.name).toBe('𠀀张');
  });

  test('UTF-16BE with BOM and UTF-16LE without BOM', async () => {
    const text = MEMBERS.replace(/,/g, '\t') + 'H001\t张三\t43052419900101123X\t户主\t男\r\n';
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    const c1 = await ingest(writeTmp('be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), be])));
    expect(c1.acc.encoding).toBe('UTF-16BE');
    expect((rowsOf(c1, 'members')[0] as MemberRow).v.name).toBe('张三');
    const c2 = await ingest(writeTmp('le.txt', le));
    expect(c2.acc.encoding).toBe('UTF-16LE');
    expect((rowsOf(c2, 'members')[0] as MemberRow).v.name).toBe('张三');
  });

  test('broken encoding inside an otherwise UTF-8 file → FILE-03 for that line only', async () => {
    // the bad byte sits beyond the sniffed sample, as in a large export with one damaged line
    const good = 'H001,张三,43052419900101123X,户主,男\n';
    const filler = good.repeat(Math.ceil((1.1 * 1024 * 1024) / Buffer.byteLength(good)));
    const lines = 1 + filler.split('\n').length - 1;
    const buf = Buffer.concat([Buffer.from(MEMBERS + filler), Buffer.from('H002,王'), Buffer.from([0xff, 0xfe]), Buffer.from('五,110101198001011237,户主,男\nH003,赵六,110101198201011234,户主,女\n')]);
    const c = await ingest(writeTmp('big.csv', buf));
    expect(c.acc.encoding).toBe('UTF-8');
    const f03 = findingsOf(c, 'FILE-03');
    expect(f03).toHaveLength(1);
    expect(f03[0]!.at!.row).toBe(lines + 1);
    expect(msg(f03[0]!)).toContain('无法识别的字符');
    const m = rowsOf(c, 'members') as MemberRow[];
    expect(m.at(-1)!.v.name).toBe('赵六');
    expect(m.at(-1)!.at.row).toBe(lines + 2);
    expect(c.acc.sheets[0]!.buckets.rejected).toBe(1);
    expect(c.acc.sheets[0]!.buckets.data).toBe(lines);
  });

  test('an unclosed quote: rows before it are read, the rest reported as FILE-03', async () => {
    const c = await ingest(writeTmp('q.csv', MEMBERS + 'H001,张三,43052419900101123X,户主,男\nH002,"王五,110101198001011237,户主,男\nH003,赵六,1,户主,女\n'));
    expect(rowsOf(c, 'members')).toHaveLength(1);
    const f03 = findingsOf(c, 'FILE-03');
    expect(f03).toHaveLength(1);
    expect(msg(f03[0]!)).toContain('引号未闭合');
    expect(f03[0]!.at!.row).toBeGreaterThanOrEqual(3);
  });

  test('a CSV with no recognisable header → FILE-01, every row unrecognised', async () => {
    const c = await ingest(writeTmp('x.csv', 'a,b,c\n1,2,3\n\n4,5,6\n'));
    const f = findingsOf(c, 'FILE-01');
    expect(f).toHaveLength(1);
    expect(msg(f[0]!)).toContain('文件「x.csv」');
    expect(msg(f[0]!)).toContain('「证件号码」');
    expect(c.acc.sheets[0]!.buckets).toMatchObject({ unrecognised: 3, blank: 1, data: 0 });
    expect(c.rows).toHaveLength(0);
  });

  test('sniffers', () => {
    expect(sniffDelimiter('a;b;c\n1;"x;y";3\n')).toBe(';');
    expect(sniffDelimiter('标题\na\tb\tc\n1\t2,3\t4\n')).toBe('\t');
    expect(sniffDelimiter('a,b,c\n1,"2;3;4;5",3\n')).toBe(',');
    expect(detectEncoding(Buffer.from('abc')).encoding).toBe('utf8');
    expect(detectEncoding(iconv.encode('户编号', 'gbk')).encoding).toBe('gb18030');
    // a multi-byte character cut at the end of the sample is still UTF-8
    expect(detectEncoding(Buffer.from('户编号').subarray(0, 8)).encoding).toBe('utf8');
  });
});

describe('template headers with bracketed hints', () => {
  test('身份证号码(18位), 性别（男/女）, 出生日期 + line break + (yyyy-mm-dd) are recognised; 县(市、区) stays an alias', async () => {
    const csv =
      '县(市、区),户编号,姓名,身份证号码(18位),与户主关系【必填】,性别（男/女）,"出生日期\n(yyyy-mm-dd)",联系电话（手机）\n' +
      '某县,H001,张三,11010519491231002X,户主,女,1949-12-31,13800000000\n';
    const c = await ingest(writeTmp('hints.csv', '\ufeff' + csv));
    expect(findingsOf(c, 'FILE-05')).toEqual([]);
    expect(findingsOf(c, 'FILE-02')).toEqual([]);
    const m = rowsOf(c, 'members')[0] as MemberRow;
    expect(m.v.idNumber?.text).toBe('11010519491231002X');
    expect(m.v.gender).toBe('女');
    expect(m.v.relation).toBe('户主');
    expect(m.v.birthDate).toEqual({ y: 1949, m: 12, d: 31 });
    expect(m.v.phone).toBe('13800000000');
    expect(m.v.county).toBe('某县');
  });
});

describe('short CSV records', () => {
  test('a record that stops before a required column is FILE-03; one missing only a trailing optional cell is read', async () => {
    const csv = '户编号,姓名,证件号码,与户主关系,性别,联系电话\n' +
      'H001,张三,11010519491231002X,户主,女,13800000000\n' +
      'H001,李四,440524188001010014,配偶\n' +
      'H002,王五\n';
    const c = await ingest(writeTmp('short.csv', '\ufeff' + csv));
    const s = c.acc.sheets[0]!;
    expect(s.buckets).toMatchObject({ data: 2, rejected: 1 });
    expect(s.rejected.map((r) => r.row)).toEqual([4]);
    expect(msg(findingsOf(c, 'FILE-03')[0]!)).toMatch(/第4行.*少于表头/);
  });
});
