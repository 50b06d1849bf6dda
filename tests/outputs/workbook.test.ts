import { afterAll, describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import ExcelJS from '../../src/exceljs.js';
import { ISSUE_HEADERS, writeCorrectionWorkbooks } from '../../src/outputs/workbook.js';
import { finding, input, sheetXml, tempDir, removeTempDirs, village, xlsxParts } from './fixtures.js';

afterAll(removeTempDirs);

const EXPECTED_HEADERS = [
  '序号', '县', '乡镇', '村', '户编号', '户主', '姓名', '证件号码', '问题类别', '规则', '问题描述', '字段', '当前值', '参考值', '严重程度', '来源', '相关位置',
  '核实结果', '修正后值', '核实人', '核实日期', '备注', '指纹',
];

/** The cells of a row as plain values: rich text → its text, empty → ''. */
function rowValues(ws: ExcelJS.Worksheet, r: number, n: number): unknown[] {
  const out: unknown[] = [];
  for (let c = 1; c <= n; c++) {
    const v = ws.getRow(r).getCell(c).value;
    out.push(v === null || v === undefined ? '' : typeof v === 'object' && 'richText' in v ? v.richText.map((x) => x.text).join('') : v);
  }
  return out;
}

function sample() {
  const findings = [
    finding({ rule: 'BASE-01', household: 'H002', village: '二村', field: 'mainCause', severity: 'error' }),
    finding({ rule: 'ID-03', household: 'H001', name: '张三', id: '430524199001011234', village: '一村', field: 'idNumber', value: '430524199001011234', expected: '430524199001011235' }),
    finding({ rule: 'ID-06', household: 'H001', name: '李四', id: '430524199202021236', village: '一村', field: 'gender', severity: 'suspect', value: '男', expected: '女' }),
    finding({ rule: 'BASE-04', household: 'H003', village: '一村', severity: 'info' }),
    finding({ rule: 'HELPER-02', helperId: '430524198001011111', name: '王帮扶', township: '城关镇' }),
    finding({ rule: 'BASE-01', household: 'H900', township: '', village: '' }),
  ];
  return input(findings, [village({ village: '一村', households: 3, score: 500 }), village({ village: '二村', households: 2, score: 500 })]);
}

describe('整改台账 workbooks', () => {
  it('writes one workbook per township and one for findings without a township, named in Chinese', async () => {
    const dir = await tempDir('wb');
    const paths = await writeCorrectionWorkbooks(sample(), dir, 'township');
    expect(paths.map((p) => basename(p))).toEqual(['整改台账_测试县_城关镇.xlsx', '整改台账_未注明乡镇.xlsx']);
    const v = await writeCorrectionWorkbooks(sample(), await tempDir('wbv'), 'village');
    // villages in pinyin order (二 èr before 一 yī), the unnamed ones last
    expect(v.map((p) => basename(p))).toEqual([
      '整改台账_测试县_城关镇_二村.xlsx',
      '整改台账_测试县_城关镇_一村.xlsx',
      '整改台账_测试县_城关镇_未注明村.xlsx',
      '整改台账_未注明乡镇.xlsx',
    ]);
  });

  it('file names are safe for file systems', async () => {
    const dir = await tempDir('wbn');
    const f = finding({ rule: 'BASE-01', household: 'H1', county: '../etc', township: 'a/b:c*?' });
    const [p] = await writeCorrectionWorkbooks(input([f], []), dir, 'township');
    expect(basename(p!)).toBe('整改台账__etc_a_b_c__.xlsx');
    expect(p!.startsWith(dir + '/')).toBe(true);
  });

  it('has sheets 说明, 汇总, 问题清单 with the exact header, grouped by village then household', async () => {
    const dir = await tempDir('wb2');
    const [path] = await writeCorrectionWorkbooks(sample(), dir, 'township');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path!);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['说明', '汇总', '问题清单', '打印清单', '规则说明']);
    const ws = wb.getWorksheet('问题清单')!;
    expect(ISSUE_HEADERS).toEqual(EXPECTED_HEADERS);
    expect(rowValues(ws, 1, 23)).toEqual(EXPECTED_HEADERS);
    const col = (h: string) => EXPECTED_HEADERS.indexOf(h) + 1;
    const rows = [2, 3, 4, 5].map((r) => ws.getRow(r));
    // 二村 before 一村 (pinyin èr < yī), households ascending, helper finding (no household) last
    expect(rows.map((r) => `${r.getCell(col('村')).text}/${r.getCell(col('户编号')).text}`)).toEqual([
      '二村/H002',
      '一村/H001',
      '一村/H001',
      '一村/H003',
    ]);
    expect(ws.getRow(6).getCell(col('证件号码')).text).toBe('430524198001011111');
    expect(ws.rowCount).toBe(6);
    const r2 = rows[1]!;
    expect(r2.getCell(col('序号')).value).toBe(2);
    expect(r2.getCell(col('户主')).text).toBe('张三');
    expect(r2.getCell(col('证件号码')).text).toBe('430524199001011234'); // text, all 18 digits
    expect(r2.getCell(col('问题类别')).text).toBe('身份信息');
    expect(r2.getCell(col('规则')).text).toBe('ID-03 校验码错误');
    expect(r2.getCell(col('字段')).text).toBe('证件号码');
    expect(r2.getCell(col('参考值')).text).toBe('430524199001011235');
    expect(r2.getCell(col('严重程度')).text).toBe('错误');
    expect(rows[2]!.getCell(col('严重程度')).text).toBe('疑似');
    expect(rows[3]!.getCell(col('严重程度')).text).toBe('提示');
    // severity fills: red, yellow, blue
    const fillOf = (r: ExcelJS.Row) => ((r.getCell(col('严重程度')).fill as ExcelJS.FillPattern).fgColor?.argb ?? '');
    expect(rows.slice(1, 4).map(fillOf)).toEqual(['FFFFC7CE', 'FFFFEB9C', 'FFDDEBF7']);
    // wrapped 问题描述, locked finding columns, unlocked clerk columns
    expect(r2.getCell(col('问题描述')).alignment?.wrapText).toBe(true);
    expect(r2.getCell(col('问题描述')).protection?.locked).not.toBe(false);
    for (const h of ['核实结果', '修正后值', '核实人', '核实日期', '备注']) expect(r2.getCell(col(h)).protection?.locked).toBe(false);
    expect(r2.getCell(col('修正后值')).numFmt).toBe('@');
    // fingerprint hidden, holds the finding's fingerprint
    expect(ws.getColumn(col('指纹')).hidden).toBe(true);
    expect(ws.getColumn(col('核实结果')).hidden).toBe(false);
    expect(r2.getCell(col('指纹')).text).toBe(sample().findings[1]!.fingerprint);
    // print setup
    expect(ws.pageSetup.orientation).toBe('landscape');
    expect(ws.pageSetup.paperSize).toBe(9);
    // on screen every column; printed at 100 % (readable, pages across) — 打印清单 is the A4 form
    expect(ws.pageSetup.scale).toBe(100);
    expect(ws.pageSetup.fitToPage).toBeFalsy();
    expect(ws.pageSetup.printTitlesRow).toBe('1:1');
    // 来源 and 相关位置 on every row
    expect(r2.getCell(col('来源')).text).toBe('members.xlsx / Sheet1 / 第2行');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });

  it('puts a drop-down on 核实结果 for every data row, an auto-filter, and password-less protection', async () => {
    const dir = await tempDir('wb3');
    const [path] = await writeCorrectionWorkbooks(sample(), dir, 'township');
    const xml = (await sheetXml(path!)).get('问题清单')!;
    expect(xml).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
    expect(xml).toContain('<autoFilter ref="A1:W6"/>');
    const dv = /<dataValidation [^>]*sqref="([^"]+)"[^>]*>\s*<formula1>([^<]+)<\/formula1>/.exec(xml);
    expect(dv?.[1]).toBe('R2:R6');
    expect(dv?.[2]?.replace(/&quot;/g, '"')).toBe('"已修正,数据无误,无法核实"');
    expect(xml).toMatch(/<dataValidation [^>]*type="list"/);
    const prot = /<sheetProtection [^>]*\/>/.exec(xml)?.[0] ?? '';
    expect(prot).toContain('sheet="1"');
    expect(prot).not.toMatch(/hashValue|password/);
    expect(prot).toContain('autoFilter="0"'); // filtering allowed
    expect(prot).toContain('sort="0"');
    expect(xml).toMatch(/<col min="23" max="23" [^>]*hidden="1"/);
    expect(xml).toMatch(/<pageSetup [^>]*orientation="landscape"/);
    expect(xml).not.toMatch(/fitToPage="1"/);
    const wbXml = (await xlsxParts(path!)).get('xl/workbook.xml')!.replace(/&apos;/g, "'");
    expect(wbXml).toContain(`<definedName name="_xlnm.Print_Titles" localSheetId="2">'问题清单'!$1:$1</definedName>`);
  });

  it('汇总 has one row per village with counts, families and score, then a 合计 row', async () => {
    const dir = await tempDir('wb4');
    const s = sample();
    s.villages = [
      village({ village: '一村', households: 3, people: 9, householdsWithErrors: 1, errors: 1, suspects: 1, infos: 1, byFamily: { ID: 2, BASE: 1 }, score: 567 }),
      village({ village: '二村', households: 2, people: 5, householdsWithErrors: 1, errors: 1, byFamily: { BASE: 1 }, score: 500 }),
    ];
    const [path] = await writeCorrectionWorkbooks(s, dir, 'township');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path!);
    const ws = wb.getWorksheet('汇总')!;
    const head = rowValues(ws, 1, 18);
    expect(head).toEqual(['县', '乡镇', '村', '户数', '人数', '有错误的户数', '问题总数', '错误', '疑似', '提示', '身份信息', '基础信息', '结对关系', '帮扶主体信息', '项目信息', '受益对象', '文件结构', '得分']);
    const val = (r: number) => rowValues(ws, r, 18);
    expect(val(3)).toEqual(['测试县', '城关镇', '一村', 3, 9, 1, 3, 1, 1, 1, 2, 1, 0, 0, 0, 0, 0, 567]);
    expect(val(2)).toEqual(['测试县', '城关镇', '二村', 2, 5, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 500]);
    // the helper finding of the township is not tied to a village
    expect(val(4).slice(0, 8)).toEqual(['测试县', '城关镇', '（未关联到村）', '', '', '', 1, 1]);
    const total = val(5);
    expect(total[0]).toBe('合计');
    expect(total[3]).toBe(5);
    expect(total[6]).toBe(5);
    // H001: 1 error + 1 suspect → 1; H002: 1 error → 1; H003 info → 0 ⇒ 1000 × (1 − 2/5) = 600
    expect(total[17]).toBe(600);
  });

  it('说明 explains the 核实结果 values, the legend, as-of, sources, check time and score formula', async () => {
    const dir = await tempDir('wb5');
    const [path] = await writeCorrectionWorkbooks(sample(), dir, 'township');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path!);
    const ws = wb.getWorksheet('说明')!;
    const text: string[] = [];
    ws.eachRow((r) => r.eachCell((c) => text.push(c.text)));
    const all = text.join('\n');
    for (const s of ['2020-04-30', '城关镇成员.xlsx', '帮扶.csv', '2020/5/1 10:03:04', '已修正', '数据无误', '无法核实', '备注', 'ID-03', '校验码错误', '证件号码最后一位校验码不对。', '得分 = 1000']) {
      expect(all).toContain(s);
    }
  });

  it('writes a township without findings as a workbook with an empty 问题清单', async () => {
    const dir = await tempDir('wb6');
    const paths = await writeCorrectionWorkbooks(input([], [village({ village: '一村' })]), dir, 'township');
    expect(paths.map((p) => basename(p))).toEqual(['整改台账_测试县_城关镇.xlsx']);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(paths[0]!);
    expect(wb.getWorksheet('问题清单')!.rowCount).toBe(1);
  });
});

describe('来源文件 on 说明', () => {
  it('lists every file of a small run, and only the own problems\' files of a large one with the count', async () => {
    const { sourcesText } = await import('../../src/outputs/workbook.js');
    const few = ['a.xlsx', 'b.csv'];
    expect(sourcesText(few, [])).toBe('a.xlsx\nb.csv');
    expect(sourcesText([], [])).toBe('（无）');
    const many = Array.from({ length: 800 }, (_, i) => `县${Math.floor(i / 8)}/文件${i}.csv`);
    const text = sourcesText(many, [{ at: { file: '县3/文件30.csv', row: 2 } }, { at: { file: '县3/文件25.csv' } }, { at: { file: '县3/文件30.csv' } }, {}]);
    // in the run's order, each once, after the count
    expect(text.split('\n')).toEqual(['本次共检查 800 个文件，这里只列出本台账问题所在的 2 个：', '县3/文件25.csv', '县3/文件30.csv']);
  });
});
