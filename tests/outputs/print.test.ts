// The 整改台账 and the 核查 workbook on paper: LibreOffice converts them to PDF, and the printed
// pages are measured (pdfinfo, pdftotext -bbox): body text at least 10 pt, the 说明 on at most two
// pages with its rule table's header repeated, ID numbers on one line.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeCorrectionWorkbooks } from '../../src/outputs/workbook.js';
import { writeVerifyWorkbook } from '../../src/outputs/verify-workbook.js';
import { judge } from '../../src/outputs/verify.js';
import { RULES } from '../../validators/index.js';
import { finding, input, soffice, tempDir, removeTempDirs, village } from './fixtures.js';
import { cjkWordSizes, pdfPageCount, pdfPages, type PdfPage } from '../helpers/pdf.js';

afterAll(removeTempDirs);

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const id = (p17: string) => p17 + '10X98765432'[[...p17].reduce((s, c, i) => s + Number(c) * W[i]!, 0) % 11];

/** 150 findings with long messages and ID numbers, plus one finding of every rule of the catalogue. */
function bigInput() {
  const findings = Array.from({ length: 150 }, (_, i) => {
    const no = id(`4305241990010${String(1000 + i)}`);
    return finding({
      rule: i % 3 ? 'BASE-01' : 'ID-03',
      household: `4305241060${String(10000 + Math.floor(i / 3))}`,
      name: `成员${i}`,
      id: no,
      village: i < 75 ? '一村' : '二村',
      field: i % 3 ? 'mainCause' : 'idNumber',
      value: i % 3 ? undefined : no.slice(0, 17) + (no[17] === '0' ? '1' : '0'),
      expected: i % 3 ? undefined : no,
      severity: i % 5 === 0 ? 'suspect' : i % 7 === 0 ? 'info' : 'error',
      message: `第 ${i} 条问题的说明，内容较长时自动换行显示，便于打印后到户核实：请对照户籍档案和身份证原件逐项核对后改正。`,
      code: String(i),
    });
  });
  for (const r of RULES) findings.push(finding({ rule: r.id, household: 'H9', village: '一村', code: 'legend' }));
  const inp = input(findings, [village({ village: '一村' }), village({ village: '二村' })]);
  inp.rules = RULES.map((r) => ({ id: r.id, family: r.family, severity: r.severity, title: r.title, explain: r.explain }));
  return { inp, ids: findings.slice(0, 150).map((f) => f.idNumber as string) };
}

function kind(p: PdfPage): string {
  const t = p.text;
  if (t.includes('核实人：')) return '打印清单';
  if (t.includes('含义（详见规则说明）')) return '说明';
  if (t.includes('说明和改正方法')) return '规则说明';
  if (t.includes('有错误的户数')) return '汇总';
  return '问题清单';
}

function minSize(pages: PdfPage[]): number {
  return Math.min(...pages.flatMap((p) => cjkWordSizes(p)));
}

describe('printed through LibreOffice', () => {
  it('整改台账: 打印清单 and 问题清单 at ≥ 10 pt on A4, 说明 on ≤ 2 pages with its table header repeated', { timeout: 240_000 }, async () => {
    const dir = await tempDir('print');
    const { inp, ids } = bigInput();
    const [path] = await writeCorrectionWorkbooks(inp, dir, 'township');
    await mkdir(join(dir, 'pdf'));
    const pdf = await soffice(path!, 'pdf', join(dir, 'pdf'));
    const pages = await pdfPages(pdf);
    expect(pages.length).toBe(await pdfPageCount(pdf));
    for (const p of pages) expect([Math.round(p.width), Math.round(p.height)]).toEqual([842, 595]); // A4 landscape
    const by = new Map<string, PdfPage[]>();
    for (const p of pages) by.set(kind(p), [...(by.get(kind(p)) ?? []), p]);

    // 说明: at most two pages; the rule table's header on each page; every rule listed once
    const readme = by.get('说明') ?? [];
    expect(readme.length).toBeGreaterThanOrEqual(1);
    expect(readme.length).toBeLessThanOrEqual(2);
    for (const r of RULES) expect(readme.map((p) => p.text).join(' ')).toContain(r.id);
    console.log(`说明: ${readme.length} page(s), smallest CJK text ${minSize(readme).toFixed(2)} pt`);

    // 打印清单: every row, header on every page, body ≥ 10 pt, ID numbers whole (never wrapped)
    const print = by.get('打印清单') ?? [];
    expect(print.length).toBeGreaterThan(1);
    for (const p of print) {
      expect(p.text).toContain('序号');
      expect(p.text).toContain('核实结果');
    }
    const printSize = minSize(print);
    console.log(`打印清单: ${print.length} pages, smallest CJK text ${printSize.toFixed(2)} pt`);
    expect(printSize).toBeGreaterThanOrEqual(10);
    const printWords = new Set(print.flatMap((p) => p.words.map((w) => w.text)));
    expect(printWords).toContain('成员149');
    for (const n of ids) expect(printWords.has(n), n).toBe(true);

    // 问题清单 printed as well (all columns at 100 %, pages across): readable too
    const issues = by.get('问题清单') ?? [];
    expect(issues.length).toBeGreaterThan(0);
    const issueSize = minSize(issues);
    console.log(`问题清单: ${issues.length} pages, smallest CJK text ${issueSize.toFixed(2)} pt`);
    expect(issueSize).toBeGreaterThanOrEqual(10);
    const issueWords = new Set(issues.flatMap((p) => p.words.map((w) => w.text)));
    for (const n of ids.slice(0, 20)) expect(issueWords.has(n), n).toBe(true); // 证件号码 / 当前值 / 参考值 on one line

    // 规则说明: header repeated, readable
    const rules = by.get('规则说明') ?? [];
    expect(rules.length).toBeGreaterThan(0);
    expect(minSize(rules)).toBeGreaterThanOrEqual(10);
    // the hidden fingerprint column never prints
    expect(pages.map((p) => p.text).join(' ')).not.toMatch(/[0-9a-f]{20}/);
  });

  it('检验核查结果: 未完成, 新发现问题 and 核查明细 at ≥ 10 pt on A4', { timeout: 240_000 }, async () => {
    const dir = await tempDir('print-v');
    const { inp } = bigInput();
    const findings = inp.findings.slice(0, 120);
    const rows = findings.map((f, i) => ({
      file: '整改台账_测试县_城关镇.xlsx',
      sheet: '问题清单',
      row: i + 2,
      seq: i + 1,
      fingerprint: f.fingerprint,
      rule: f.rule,
      ruleText: `${f.rule} ${f.title}`,
      county: '测试县',
      township: '城关镇',
      village: f.region?.village ?? '',
      householdNo: f.householdNo ?? '',
      name: f.name ?? '',
      idNumber: (f.idNumber as string) ?? '',
      field: '证件号码',
      message: f.message,
      result: (i % 3 === 0 ? '已修正' : '') as '已修正' | '',
      remark: i % 3 === 0 ? '已在系统中改正' : undefined,
      source: 'members.xlsx / Sheet1 / 第2行',
    }));
    // half the findings are gone from the fresh export, and 30 new ones appear
    const fresh = [...findings.filter((_, i) => i % 2 === 0), ...inp.findings.slice(120, 150)];
    const out = judge(rows, fresh);
    const p = join(dir, '检验核查结果.xlsx');
    await writeVerifyWorkbook(p, { asOf: '2020-04-30', checkedAt: '2020-07-01T00:00:00Z', corrections: ['整改台账_测试县_城关镇.xlsx'], sources: ['成员.xlsx'], rows: out.rows, villages: [], newFindings: out.newFindings, notes: [] });
    await mkdir(join(dir, 'pdf'));
    const pages = await pdfPages(await soffice(p, 'pdf', join(dir, 'pdf')));
    const listPages = pages.filter((pg) => pg.text.includes('核查结论') || pg.text.includes('当前值'));
    expect(listPages.length).toBeGreaterThan(2);
    const size = minSize(listPages);
    console.log(`核查 lists: ${listPages.length} pages, smallest CJK text ${size.toFixed(2)} pt`);
    expect(size).toBeGreaterThanOrEqual(10);
    for (const pg of pages) expect(Math.round(pg.width)).toBe(842);
  });
});
