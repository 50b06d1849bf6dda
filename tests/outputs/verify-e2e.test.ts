// End to end through the real pipeline: check an export → fill the 整改台账 like a clerk → fix
// some records in a fresh export → verify → check again with the accepted exceptions.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from '../../src/exceljs.js';
import pino from 'pino';
import { checkCommand } from '../../src/cli/check.js';
import { verifyCommand, parseVerifyArgs } from '../../src/cli/verify.js';
import { main } from '../../src/cli/main.js';
import { ISSUE_HEADERS } from '../../src/outputs/workbook.js';
import { loadAccepted } from '../../src/outputs/accepted.js';
import type { VerificationJson } from '../../src/outputs/verify.js';
import { tempDir, removeTempDirs } from './fixtures.js';

afterAll(removeTempDirs);

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function id17(p17: string): string {
  const sum = [...p17].reduce((s, c, i) => s + Number(c) * W[i]!, 0);
  return p17 + '10X98765432'[sum % 11];
}
const badCheck = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

const HEADER = '县,乡镇,行政村,户编号,姓名,证件号码,与户主关系,性别,健康状况,劳动技能';
interface Person { village: string; hh: string; name: string; id: string; rel: string; gender: string }
function csv(people: Person[]): string {
  return [HEADER, ...people.map((p) => ['测试县', '城关镇', p.village, p.hh, p.name, p.id, p.rel, p.gender, '健康', '普通劳动力'].join(','))].join('\n') + '\n';
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s), logger: pino({ level: 'silent' }), isTTY: false },
  };
}

describe('verify end to end', () => {
  it('argument parsing: --corrections takes 整改台账 files, the rest is the export', () => {
    const a = parseVerifyArgs(['--corrections', 'a/整改台账_甲.xlsx', 'b/整改台账_乙.xlsx', 'export', '--out', 'o', '--corrections=c.xlsx', 'more.csv']);
    expect(a.corrections).toEqual(['a/整改台账_甲.xlsx', 'b/整改台账_乙.xlsx', 'c.xlsx']);
    expect(a.paths).toEqual(['export', 'more.csv']);
    expect(a.out).toBe('o');
    expect(parseVerifyArgs(['--corrections', 'filled.xlsx', 'export.xlsx']).paths).toEqual(['export.xlsx']);
    expect(() => parseVerifyArgs(['--bogus'])).toThrow(/未知选项 --bogus/);
  });

  it('bad usage and an unreadable corrections file exit 2 with a Chinese message', async () => {
    const dir = await tempDir('e2e-bad');
    const a = io();
    expect(await main(['verify', '--out', dir, 'x'], a.io)).toBe(2);
    expect(a.err.join('')).toMatch(/缺少：--corrections/);
    const junk = join(dir, '整改台账_坏.xlsx');
    await writeFile(junk, 'garbage');
    await mkdir(join(dir, 'export'));
    const b = io();
    expect(await main(['verify', '--corrections', junk, join(dir, 'export'), '--out', join(dir, 'o')], b.io)).toBe(2);
    expect(b.err.join('')).toMatch(/无法读取整改台账/);
    const c = io();
    expect(await main(['verify', '--corrections', junk, join(dir, 'export'), '--out', join(dir, 'o'), '--as-of', '2020-13-01'], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/--as-of/);
  });

  it('check → fill → fresh export → verify → check --accepted', { timeout: 120_000 }, async () => {
    const dir = await tempDir('e2e');
    const zhang = id17('43052419800101001'); // 男 (17th digit odd)
    const li = id17('43052419820202002'); // 女
    const wang = id17('43052419700303003'); // 男
    const zhao = id17('43052419900404004'); // 女
    const people: Person[] = [
      { village: '一村', hh: 'H001', name: '张三', id: zhang, rel: '户主', gender: '男' },
      { village: '一村', hh: 'H001', name: '李四', id: badCheck(li), rel: '配偶', gender: '女' }, // ID-03
      { village: '一村', hh: 'H002', name: '王五', id: wang, rel: '户主', gender: '女' }, // ID-06
      { village: '二村', hh: 'H003', name: '赵六', id: zhao, rel: '户主', gender: '男' }, // ID-06
    ];
    await mkdir(join(dir, 'export1'));
    await writeFile(join(dir, 'export1', '成员.csv'), csv(people));
    const out1 = join(dir, 'out1');
    const c1 = io();
    expect(await checkCommand([join(dir, 'export1'), '--out', out1, '--as-of', '2020-04-30'], c1.io)).toBe(0);
    const findings = (await readFile(join(out1, 'findings.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { rule: string; name: string | null; fingerprint: string; household_no: string | null });
    const fp = (rule: string, name: string) => findings.find((f) => f.rule === rule && f.name === name)!.fingerprint;
    const fpId03 = fp('ID-03', '李四');
    const fpWang = fp('ID-06', '王五');
    const fpZhao = fp('ID-06', '赵六');
    const workbook = (await readdir(out1)).find((f) => f.startsWith('整改台账_') && f.includes('城关镇'))!;
    expect(workbook).toBe('整改台账_测试县_城关镇.xlsx');

    // the clerk: 李四's number fixed; 王五 claimed fixed but not; 赵六 explained as correct
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out1, workbook));
    const ws = wb.getWorksheet('问题清单')!;
    const col = (h: string) => ISSUE_HEADERS.indexOf(h) + 1;
    let other = 0;
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const f = row.getCell(col('指纹')).text;
      if (f === fpId03 || f === fpWang) row.getCell(col('核实结果')).value = '已修正';
      else if (f === fpZhao) {
        row.getCell(col('核实结果')).value = '数据无误';
        row.getCell(col('备注')).value = '经入户核实，性别登记无误，证件号码待公安更正';
        row.getCell(col('核实日期')).value = '2020-05-20';
      } else other++;
    });
    const filled = join(dir, '整改台账_城关镇_已填.xlsx');
    await wb.xlsx.writeFile(filled);

    // fresh export: 李四's number corrected, and a new problem planted (赵六's household gets a bad ID member)
    const fresh = people.map((p) => (p.name === '李四' ? { ...p, id: li } : p));
    fresh.push({ village: '二村', hh: 'H003', name: '钱七', id: badCheck(id17('43052420100505005')), rel: '之子', gender: '男' });
    await mkdir(join(dir, 'export2'));
    await writeFile(join(dir, 'export2', '成员.csv'), csv(fresh));

    const out2 = join(dir, 'out2');
    const v = io();
    const code = await verifyCommand(['--corrections', filled, join(dir, 'export2'), '--out', out2, '--as-of', '2020-06-30'], v.io);
    expect(v.err.join('')).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(await readFile(join(out2, 'verification.json'), 'utf8')) as VerificationJson;
    expect(json.asOf).toBe('2020-06-30');
    const by = Object.fromEntries(json.rows.map((r) => [r.fingerprint, r]));
    expect(by[fpId03]).toMatchObject({ rule: 'ID-03', village: '一村', household_no: 'H001', result: '已修正', judgement: '已整改' });
    expect(by[fpWang]).toMatchObject({ rule: 'ID-06', result: '已修正', judgement: '未整改' });
    expect(by[fpZhao]).toMatchObject({ rule: 'ID-06', village: '二村', result: '数据无误', judgement: '已说明' });
    expect(json.rows).toHaveLength(other + 3); // every row of the workbook, judged once
    const unmarked = json.rows.filter((r) => r.result === '');
    expect(unmarked.length).toBe(other);
    expect(unmarked.every((r) => r.judgement === '待核实' || r.judgement === '已整改')).toBe(true);
    // 钱七's bad number is new
    expect(json.newFindings.some((n) => n.rule === 'ID-03' && n.household_no === 'H003')).toBe(true);
    const v1 = json.villages.find((x) => x.village === '一村')!;
    expect(v1.fixed).toBeGreaterThanOrEqual(1);
    expect(v1.completionRate).toBeCloseTo((v1.fixed + v1.explained) / v1.findings, 3);
    expect(v1).toMatchObject({ findings: 2, fixed: 1, open: 1, completionRate: 0.5 });
    expect(v1.scoreAfter!).toBeGreaterThan(v1.scoreBefore!); // 李四's fix lifts 一村's score
    expect(v.out.join('')).toContain('检验核查完成');

    // the 核查 workbook opens and lists the open rows
    const vwb = new ExcelJS.Workbook();
    await vwb.xlsx.readFile(join(out2, '检验核查结果.xlsx'));
    expect(vwb.worksheets.map((w) => w.name)).toEqual(['说明', '汇总', '未完成', '新发现问题', '核查明细']);
    const open = vwb.getWorksheet('未完成')!;
    const openJudgements: string[] = [];
    const judgementCol = (open.getRow(1).values as unknown[]).findIndex((v) => v !== null && typeof v === 'object' && JSON.stringify(v).includes('核查结论'));
    expect(judgementCol).toBeGreaterThan(0);
    open.eachRow((r, n) => n > 1 && openJudgements.push(r.getCell(judgementCol).text));
    expect(openJudgements.length).toBe(json.rows.filter((r) => r.judgement === '未整改' || r.judgement === '待核实').length);
    expect(openJudgements).toContain('未整改');

    // accepted.json holds 赵六's explanation; a later check reports it as info
    const accepted = await loadAccepted(join(out2, 'accepted.json'));
    expect([...accepted.keys()]).toEqual([fpZhao]);
    expect(accepted.get(fpZhao)).toEqual({ rule: 'ID-06', remark: '经入户核实，性别登记无误，证件号码待公安更正', acceptedOn: '2020-05-20' });
    const out3 = join(dir, 'out3');
    const c3 = io();
    expect(await checkCommand([join(dir, 'export2'), '--out', out3, '--as-of', '2020-06-30', '--accepted', join(out2, 'accepted.json')], c3.io)).toBe(0);
    const again = (await readFile(join(out3, 'findings.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { fingerprint: string; severity: string });
    expect(again.find((f) => f.fingerprint === fpZhao)?.severity).toBe('info');
    expect(again.find((f) => f.fingerprint === fpWang)?.severity).toBe('error');
  });
});
