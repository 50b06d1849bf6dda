// What a new user meets is Simplified Chinese: option errors with the nearest option, config
// errors with line/column and nearest keys, empty or unreadable input named, --fail-on explained,
// --help complete, no arguments say what is missing.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import { main } from '../../src/cli/main.js';
import { parseOptions } from '../../src/cli/args.js';
import { loadConfigFile, resolveConfig, ConfigError } from '../../src/config.js';
import { RULES } from '../../validators/index.js';
import { tempDir, removeTempDirs } from '../outputs/fixtures.js';

afterAll(removeTempDirs);

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), logger: pino({ level: 'silent' }), isTTY: false });
  return { code, out: out.join(''), err: err.join('') };
}

const ENGLISH = /Unknown option|Unexpected|Expected|position \d|Invalid input|must be|is not valid/;

describe('option parsing', () => {
  it('an unknown option names the nearest one', async () => {
    expect(() => parseOptions(['--fial-on', 'error'], { 'fail-on': { type: 'string' } })).toThrow('未知选项 --fial-on，您是不是要输入 --fail-on？');
    const r = await run('check', 'x', '--out', 'o', '--fial-on', 'error');
    expect(r.code).toBe(2);
    expect(r.err).toContain('未知选项 --fial-on，您是不是要输入 --fail-on？');
    expect(r.err).not.toMatch(ENGLISH);
    const v = await run('verify', '--corections', 'a.xlsx');
    expect(v.err).toContain('您是不是要输入 --corrections？');
    expect((await run('rules', '--explian')).err).toContain('未知选项 --explian，您是不是要输入 --explain？');
    const inspect = await run('inspect', 'x', '--jsn');
    expect([inspect.code, inspect.err]).toEqual([2, expect.stringContaining('未知选项 --jsn，您是不是要输入 --json？')]);
    expect(inspect.err).not.toMatch(ENGLISH);
    expect((await run('check', 'x', '--out')).err).toContain('选项 --out 后面缺少值');
    expect((await run('chek')).err).toContain('不认识的命令：chek，您是不是要输入 check？');
  });

  it('--concurrency takes a whole number from 1 to 16, else says so in Chinese before anything runs', async () => {
    for (const bad of ['abc', '0', '-1', '2.5', '17', '']) {
      const r = await run('check', 'samples/township', '--out', 'o', `--concurrency=${bad}`);
      expect([r.code, r.err], bad).toEqual([2, expect.stringContaining(`--concurrency 应为 1 到 16 之间的整数（同时读取的文件数），而不是“${bad}”`)]);
      expect(r.err).not.toMatch(ENGLISH);
    }
  });

  it('no arguments say what is missing; --help lists every option', async () => {
    const none = await run();
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/^缺少命令/);
    const c = await run('check');
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/^缺少：要检查的文件或文件夹路径、--out 输出目录/);
    expect((await run('verify')).err).toMatch(/^缺少：--corrections 填好的整改台账、新导出的数据路径、--out 输出目录/);
    const help = (await run('check', '--help')).out;
    for (const o of ['--out', '--as-of', '--config', '--split', '--fail-on', '--accepted', '--json', '--concurrency']) expect(help, o).toContain(o);
    const vhelp = (await run('verify', '--help')).out;
    for (const o of ['--corrections', '--out', '--as-of', '--config', '--accepted', '--json']) expect(vhelp, o).toContain(o);
    expect((await run('samples', '--help')).out).toContain('--format');
    const top = (await run('--help')).out;
    for (const o of ['--accepted', '--json', '--format', '--explain']) expect(top, o).toContain(o);
    expect(top).toMatch(/qingxi verify[^\n]*--config/);
  });
});

describe('config messages', () => {
  it('a JSON syntax error gives line and column in Chinese', async () => {
    const dir = await tempDir('cfg');
    const p = join(dir, 'c.json');
    await writeFile(p, '{\n  "asOf": "2020-04-30",\n  "rules": {\n    "PAIR-07": { "maxHouseholdsPerHelper": 3 }\n    "BASE-13": {}\n  }\n}\n');
    let msg = '';
    try {
      loadConfigFile(p, RULES);
    } catch (e) {
      msg = (e as ConfigError).message;
    }
    expect(msg).toContain('不是合法的 JSON：第 5 行第 5 列有语法错误');
    expect(msg).not.toMatch(ENGLISH);
    const r = await run('check', dir, '--out', join(dir, 'o'), '--config', p);
    expect(r.code).toBe(2);
    expect(r.err).toContain('第 5 行第 5 列');
  });

  it('typos at any level name their place and the nearest key', () => {
    const msg = (o: unknown) => {
      try {
        resolveConfig(o, RULES);
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(msg({ asof: '2020-04-30' })).toBe('配置文件有误：asof：配置文件顶层不认识的配置项“asof”，您是不是要写 asOf？');
    expect(msg({ rules: { PAIR07: {} } })).toContain('rules.PAIR07：没有这条规则，您是不是要写 PAIR-07？');
    expect(msg({ rules: { 'PAIR-07': { maxHouseholdPerHelper: 4 } } })).toContain('rules.PAIR-07.maxHouseholdPerHelper：“rules.PAIR-07”中不认识的配置项“maxHouseholdPerHelper”，您是不是要写 maxHouseholdsPerHelper？');
    expect(msg({ rules: { 'BASE-13': { enable: false } } })).toContain('您是不是要写 enabled？');
    const typed = msg({ rules: { 'PAIR-07': { maxHouseholdsPerHelper: 'x' } } });
    expect(typed).toBe('配置文件有误：rules.PAIR-07.maxHouseholdsPerHelper：应为数字');
    expect(typed).not.toMatch(ENGLISH);
  });
});

describe('input that cannot be used', () => {
  it('an empty folder or a folder of .txt files ends with exit 2 and says no spreadsheet was found', async () => {
    const dir = await tempDir('empty');
    await mkdir(join(dir, 'empty'));
    const a = await run('check', join(dir, 'empty'), '--out', join(dir, 'o1'));
    expect(a.code).toBe(2);
    expect(a.err).toContain('没有找到 .xlsx / .xls / .csv 文件');
    await mkdir(join(dir, 'txt'));
    await writeFile(join(dir, 'txt', '说明.txt'), '不是表格');
    const b = await run('check', join(dir, 'txt'), '--out', join(dir, 'o2'));
    expect(b.code).toBe(2);
    expect(b.err).toContain('没有找到 .xlsx / .xls / .csv 文件');
    expect(b.out).not.toContain('发现问题 0 条');
  });

  it('an unreadable file is named in the summary and in the exit-2 line', async () => {
    const dir = await tempDir('unreadable');
    await mkdir(join(dir, 'in'));
    await writeFile(join(dir, 'in', '坏文件.xlsx'), 'not a zip');
    const r = await run('check', join(dir, 'in'), '--out', join(dir, 'o'));
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/无法读取：坏文件\.xlsx（/);
    expect(r.err).toMatch(/没有读到任何数据行：找到 1 个表格文件，其中无法读取 1 个（坏文件\.xlsx）/);
  });

  it('verify with an export folder holding no spreadsheet says so and exits 2', async () => {
    const dir = await tempDir('verify-empty');
    await mkdir(join(dir, 'in'));
    await writeFile(join(dir, 'in', '成员.csv'), '县,乡镇,行政村,户编号,姓名,证件号码,与户主关系,性别\n测试县,城关镇,一村,H001,张三,430524198001010010,户主,男\n');
    expect((await run('check', join(dir, 'in'), '--out', join(dir, 'o'), '--as-of', '2020-04-30')).code).toBe(0);
    await mkdir(join(dir, 'empty'));
    const r = await run('verify', '--corrections', join(dir, 'o', '整改台账_测试县_城关镇.xlsx'), join(dir, 'empty'), '--out', join(dir, 'v'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('新导出的数据中没有找到 .xlsx / .xls / .csv 文件');
  });

  it('--fail-on prints the counts that triggered it', async () => {
    const dir = await tempDir('failon');
    await mkdir(join(dir, 'in'));
    await writeFile(join(dir, 'in', '成员.csv'), '县,乡镇,行政村,户编号,姓名,证件号码,与户主关系,性别\n测试县,城关镇,一村,H001,张三,430524198001010010,户主,男\n');
    const r = await run('check', join(dir, 'in'), '--out', join(dir, 'o'), '--as-of', '2020-04-30', '--fail-on', 'error');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^按 --fail-on error：发现错误 \d+ 条，退出码为 1。/m);
  });
});

describe('one user-error type, caught once in main', () => {
  it('bad input found deep in the library (output folder, accepted file, 台账, ledger, input path) is exit 2 with its Chinese message, never 内部错误', async () => {
    const dir = await tempDir('usage-once');
    const notADir = join(dir, 'file.txt');
    await writeFile(notADir, 'x');
    const badAccepted = join(dir, 'accepted.json');
    await writeFile(badAccepted, '{ not json');
    const cases: [string[], RegExp][] = [
      [['check', dir, '--out', notADir], /是一个文件，不是文件夹/],
      [['check', dir, '--out', join(dir, 'o'), '--accepted', badAccepted], /已说明例外文件.*不是合法的 JSON/],
      [['verify', '--corrections', join(dir, '整改台账_无.xlsx'), dir, '--out', join(dir, 'v')], /找不到整改台账文件/],
      [['ledger', 'status', '--db', join(dir, 'none.sqlite')], /账本文件.*不存在/],
      [['inspect', join(dir, 'missing')], /找不到输入/],
      [['ledger'], /^缺少子命令[\s\S]*用法：qingxi ledger/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(...argv);
      expect([argv.join(' '), r.code], r.err).toEqual([argv.join(' '), 2]);
      expect(r.err).toMatch(message);
      expect(r.err).not.toContain('内部错误');
    }
  });

  it('the narrower errors are UsageErrors', async () => {
    const { UsageError } = await import('../../src/core/errors.js');
    expect(new ConfigError('x')).toBeInstanceOf(UsageError);
    const { OutputDirError } = await import('../../src/outputs/atomic.js');
    expect(new OutputDirError('x')).toBeInstanceOf(UsageError);
  });
});
