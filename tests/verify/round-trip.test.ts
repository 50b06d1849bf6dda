// A helper's findings reach the township's 台账 (the township of the households paired with the
// helper), and verify judges the filled 台账 at the 台账's own 数据截止日期, not today.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import ExcelJS from '../../src/exceljs.js';
import { checkCommand } from '../../src/cli/check.js';
import { verifyCommand } from '../../src/cli/verify.js';
import { main } from '../../src/cli/main.js';
import { ISSUE_HEADERS } from '../../src/outputs/workbook.js';
import { runVerify } from '../../src/verify/run.js';
import { loadConfigFile } from '../../src/config.js';
import { RULES } from '../../validators/index.js';
import type { VerificationJson } from '../../src/outputs/verify.js';
import { tempDir, removeTempDirs } from '../outputs/fixtures.js';

afterAll(removeTempDirs);

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const id = (p17: string) => p17 + '10X98765432'[[...p17].reduce((s, c, i) => s + Number(c) * W[i]!, 0) % 11];

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s), logger: pino({ level: 'silent' }), isTTY: false } };
}

const HELPER = id('43052419750101002');
// 年龄 computed at export time (2020-04-30): correct then, one year or more off at today's date
const MEMBERS = [
  '县,乡镇,行政村,户编号,姓名,证件号码,与户主关系,性别,年龄,健康状况,劳动技能',
  `测试县,城关镇,一村,H001,张三,${id('43052419800101001')},户主,男,40,健康,普通劳动力`,
  `测试县,城关镇,一村,H001,张小,${id('43052420100601002')},之子,男,9,健康,无劳动力`,
  `测试县,城关镇,二村,H002,王五,${id('43052419700303003')},户主,男,50,健康,普通劳动力`,
].join('\n');
const PAIRINGS = ['户编号,帮扶责任人姓名,帮扶责任人证件号码,帮扶开始时间,帮扶结束时间', `H001,李帮扶,${HELPER},2016-03-01,`, `H002,李帮扶,${HELPER},2016-03-01,`].join('\n');
const helpers = (phone: string) => ['姓名,证件号码,联系电话,帮扶单位,帮扶单位隶属关系,职务级别', `李帮扶,${HELPER},${phone},县农业局,县,科员级`].join('\n');

async function exportSet(dir: string, phone: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, '成员.csv'), MEMBERS + '\n');
  await writeFile(join(dir, '结对.csv'), PAIRINGS + '\n');
  await writeFile(join(dir, '帮扶责任人.csv'), helpers(phone) + '\n');
  return dir;
}

async function issueRows(path: string): Promise<Record<string, string>[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.getWorksheet('问题清单')!;
  const out: Record<string, string>[] = [];
  ws.eachRow((r, n) => {
    if (n > 1) out.push(Object.fromEntries(ISSUE_HEADERS.map((h, i) => [h, r.getCell(i + 1).text])));
  });
  return out;
}

describe('round trip: helper routing and the 台账 as-of', () => {
  it('a helper finding is in the township 台账; verify takes the 台账 date and judges it fixed', { timeout: 120_000 }, async () => {
    const dir = await tempDir('rt-helper');
    const out1 = join(dir, 'out1');
    const c = io();
    expect(await checkCommand([await exportSet(join(dir, 'e1'), '1380000'), '--out', out1, '--as-of', '2020-04-30'], c.io)).toBe(0);
    const names = (await readdir(out1)).filter((f) => f.endsWith('.xlsx'));
    expect(names).toEqual(['整改台账_测试县_城关镇.xlsx']); // nothing left for 未注明乡镇
    const rows = await issueRows(join(out1, names[0]!));
    const helperRow = rows.find((r) => r['规则']!.startsWith('HELPER-02'));
    expect(helperRow, 'HELPER-02 in the township 台账').toBeDefined();
    expect(helperRow!['证件号码']).toBe(HELPER);
    expect(helperRow!['来源']).toBe('帮扶责任人.csv / 第2行');
    // with --split village the helper's finding is in both villages' 台账
    const out1v = join(dir, 'out1v');
    expect(await checkCommand([join(dir, 'e1'), '--out', out1v, '--as-of', '2020-04-30', '--split', 'village'], io().io)).toBe(0);
    const perVillage = (await readdir(out1v)).filter((f) => f.endsWith('.xlsx')).sort();
    expect(perVillage).toEqual(['整改台账_测试县_城关镇_一村.xlsx', '整改台账_测试县_城关镇_二村.xlsx'].sort());
    for (const f of perVillage) expect((await issueRows(join(out1v, f))).some((r) => r['规则']!.startsWith('HELPER-02')), f).toBe(true);

    // the clerk marks it fixed; the fresh export has a valid phone
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out1, names[0]!));
    const ws = wb.getWorksheet('问题清单')!;
    const col = (h: string) => ISSUE_HEADERS.indexOf(h) + 1;
    ws.eachRow((r, n) => {
      if (n > 1 && r.getCell(col('规则')).text.startsWith('HELPER-02')) r.getCell(col('核实结果')).value = '已修正';
    });
    const filled = join(dir, '整改台账_城关镇_已填.xlsx');
    await wb.xlsx.writeFile(filled);

    const out2 = join(dir, 'out2');
    const v = io();
    // no --as-of: the 台账's 数据截止日期 (2020-04-30), not today — ages in the export match then
    expect(await verifyCommand(['--corrections', filled, await exportSet(join(dir, 'e2'), '13800000000'), '--out', out2], v.io)).toBe(0);
    expect(v.out.join('')).toContain('数据截至 2020-04-30，取自整改台账');
    const json = JSON.parse(await readFile(join(out2, 'verification.json'), 'utf8')) as VerificationJson;
    expect(json.asOf).toBe('2020-04-30');
    expect(json.newFindings.filter((f) => f.rule === 'ID-07')).toEqual([]);
    expect(json.newFindings).toEqual([]);
    expect(json.rows.find((r) => r.rule === 'HELPER-02')).toMatchObject({ result: '已修正', judgement: '已整改' });

    // the library call gives the same, and says where the date came from
    const lib = await runVerify({ corrections: [filled], paths: [join(dir, 'e2')], config: loadConfigFile(undefined, RULES) });
    expect(lib.asOf).toBe('2020-04-30');
    expect(lib.asOfSource).toBe('corrections');
    expect(lib.written).toEqual({});
    expect(lib.counts['已整改']).toBeGreaterThanOrEqual(1);
  });

  it('台账 of different dates are refused unless --as-of is given', { timeout: 120_000 }, async () => {
    const dir = await tempDir('rt-dates');
    const e = await exportSet(join(dir, 'e'), '13800000000');
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    expect(await checkCommand([e, '--out', a, '--as-of', '2020-04-30'], io().io)).toBe(0);
    expect(await checkCommand([e, '--out', b, '--as-of', '2020-06-30'], io().io)).toBe(0);
    const ta = join(dir, '整改台账_甲.xlsx');
    const tb = join(dir, '整改台账_乙.xlsx');
    await writeFile(ta, await readFile(join(a, '整改台账_测试县_城关镇.xlsx')));
    await writeFile(tb, await readFile(join(b, '整改台账_测试县_城关镇.xlsx')));
    const refused = io();
    expect(await main(['verify', '--corrections', ta, tb, e, '--out', join(dir, 'o1')], refused.io)).toBe(2);
    expect(refused.err.join('')).toMatch(/数据截止日期不一致.*整改台账_甲\.xlsx.*2020-04-30.*整改台账_乙\.xlsx.*2020-06-30.*--as-of/);
    const forced = io();
    expect(await verifyCommand(['--corrections', ta, tb, e, '--out', join(dir, 'o2'), '--as-of', '2020-06-30'], forced.io)).toBe(0);
    expect(forced.out.join('')).toContain('数据截至 2020-06-30，按 --as-of');
  });
});

describe('routing of findings without a township of their own', () => {
  it('a project goes to its beneficiaries\' township; an unpaired helper to 未注明乡镇 with the reason in its 说明', { timeout: 120_000 }, async () => {
    const dir = await tempDir('rt-route');
    const e = await exportSet(join(dir, 'e'), '13800000000');
    // a project without 建设地点, its beneficiary in 城关镇 二村; a second helper paired with nobody
    await writeFile(join(e, '项目库.csv'), '项目编号,项目名称,项目类别,项目状态\nXM001,村道硬化,基础设施,已完工\n');
    await writeFile(join(e, '受益户.csv'), '项目编号,户编号\nXM001,H002\n');
    // an unpaired helper listed with paired ones belongs to that export's township; one in a file of
    // nobody's helpers concerns no township
    await writeFile(join(e, '帮扶责任人.csv'), helpers('13800000000') + `\n钱同表,${id('43052419770303004')},12345,县水利局,县,科员级\n`);
    await writeFile(join(e, '外单位帮扶人.csv'), `姓名,证件号码,联系电话,帮扶单位,帮扶单位隶属关系,职务级别\n赵无对,${id('43052419760202003')},12345,县水利局,县,科员级\n`);
    const out = join(dir, 'o');
    expect(await checkCommand([e, '--out', out, '--as-of', '2020-04-30'], io().io)).toBe(0);
    const township = await issueRows(join(out, '整改台账_测试县_城关镇.xlsx'));
    expect(township.filter((r) => r['规则']!.startsWith('PROJ-')).length).toBeGreaterThan(0);
    expect(township.some((r) => r['证件号码'] === id('43052419760202003'))).toBe(false);
    expect(township.some((r) => r['证件号码'] === id('43052419770303004') && r['规则']!.startsWith('HELPER-02'))).toBe(true);
    const none = join(out, '整改台账_未注明乡镇.xlsx');
    const unrouted = await issueRows(none);
    expect(unrouted.length).toBeGreaterThan(0);
    expect(unrouted.every((r) => r['证件号码'] === id('43052419760202003'))).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(none);
    const readme: string[] = [];
    wb.getWorksheet('说明')!.eachRow((r) => readme.push(r.getCell(1).text + '：' + r.getCell(2).text));
    expect(readme.join('\n')).toMatch(/为什么在这里：这些问题的记录没有填写乡镇/);
    expect(readme.join('\n')).toMatch(new RegExp(`各类原因：帮扶责任人（驻村干部）没有结对有乡镇信息的户，本人记录和所在文件也没有乡镇：${unrouted.length} 条`));

    // verifying the township's 台账 alone against the same export: nothing new (the unpaired
    // helper's findings belong to 未注明乡镇, although the township 台账 has rows without a township)
    const alone = await runVerify({ corrections: [join(out, '整改台账_测试县_城关镇.xlsx')], paths: [e], config: loadConfigFile(undefined, RULES) });
    expect(alone.newFindings).toEqual([]);
    const both = await runVerify({ corrections: [join(out, '整改台账_测试县_城关镇.xlsx'), none], paths: [e], config: loadConfigFile(undefined, RULES) });
    expect(both.newFindings).toEqual([]);
    expect(both.rows.length).toBe(township.length + unrouted.length);
  });
});
