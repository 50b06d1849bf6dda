// `qingxi verify --corrections FILE… PATH… --out DIR [--as-of DATE] [--config FILE] [--accepted FILE] [--json]`
// 检验核查: filled 整改台账 workbooks plus a fresh export → 检验核查结果.xlsx, verification.json and,
// when rows were explained (数据无误 + 备注), accepted.json for later `qingxi check --accepted` runs.
//
// Argument rule: `--corrections` takes the next argument, and every following argument whose file
// name contains 整改台账 (until the next option); it may also be repeated or given as
// `--corrections=FILE`. Every other argument is a path of the fresh export.
import { basename } from 'node:path';
import type { Logger } from 'pino';
import { UsageError } from '../core/errors.js';
import { runVerify, type AsOfSource, type VerifyResult } from '../verify/run.js';
import { commandConfig, isValidIsoDate, today } from './io.js';
import { unknownOptionMessage } from './args.js';

const AS_OF_SOURCE_ZH: Record<AsOfSource, string> = {
  option: '，按 --as-of',
  corrections: '，取自整改台账',
  config: '，取自配置文件',
  today: '，台账中没有数据截止日期，按今天',
};

export const VERIFY_USAGE = `用法：qingxi verify --corrections 整改台账.xlsx… 新导出数据路径… --out 输出目录 [选项]
--corrections 后面跟填好的整改台账（文件名含“整改台账”的可以连写多个，也可以重复 --corrections）；
其余路径是重新导出的数据（文件或文件夹）。结果写入输出目录：检验核查结果.xlsx、verification.json，
有“数据无误”并写了备注的行时还写 accepted.json（供以后 qingxi check --accepted 使用）。
选项：
  --corrections 文件…   填好的整改台账（必填）
  --out, -o 目录        结果写入的文件夹（必填）
  --as-of YYYY-MM-DD    核查日期（默认取整改台账“说明”中的数据截止日期；多本台账日期不同时必须指定）
  --config 文件         配置文件（JSON，与检查时用的相同）
  --accepted 文件       以前的已说明例外（accepted.json），与本次的合并
  --json                只在标准输出打印一行 JSON 摘要
  --help, -h            显示本说明`;

export interface VerifyIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  logger: Logger;
}

interface VerifyArgs {
  corrections: string[];
  paths: string[];
  out?: string;
  asOf?: string;
  config?: string;
  accepted?: string;
  json: boolean;
  help: boolean;
}

const VALUE_OPTIONS = new Set(['--out', '-o', '--as-of', '--config', '--accepted', '--corrections']);

/** `--corrections` collects 整改台账 files (see the top of this file); the rest are export paths. Throws UsageError. */
export function parseVerifyArgs(argv: string[]): VerifyArgs {
  const a: VerifyArgs = { corrections: [], paths: [], json: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i]!;
    let inline: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      inline = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    if (arg === '--help' || arg === '-h') {
      a.help = true;
      continue;
    }
    if (arg === '--json') {
      a.json = true;
      continue;
    }
    if (arg === '--') {
      a.paths.push(...argv.slice(i + 1));
      break;
    }
    if (VALUE_OPTIONS.has(arg)) {
      const value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith('-') && value.length > 1)) {
        throw new UsageError(`选项 ${arg} 后面缺少值`);
      }
      switch (arg) {
        case '--out':
        case '-o':
          a.out = value;
          break;
        case '--as-of':
          a.asOf = value;
          break;
        case '--config':
          a.config = value;
          break;
        case '--accepted':
          a.accepted = value;
          break;
        case '--corrections':
          a.corrections.push(...value.split(',').filter(Boolean));
          if (inline === undefined) {
            while (i + 1 < argv.length && !argv[i + 1]!.startsWith('-') && basename(argv[i + 1]!).includes('整改台账')) a.corrections.push(argv[++i]!);
          }
          break;
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) throw new UsageError(unknownOptionMessage(arg, ['--corrections', '--out', '--as-of', '--config', '--accepted', '--json', '--help']));
    a.paths.push(argv[i]!);
  }
  return a;
}

export async function verifyCommand(argv: string[], io: VerifyIo): Promise<number> {
  const args = checkedVerifyArgs(argv);
  if (args.help) {
    io.stdout(VERIFY_USAGE + '\n');
    return 0;
  }
  const config = commandConfig(args.config);
  if (args.asOf !== undefined && !isValidIsoDate(args.asOf)) throw new UsageError(`--as-of 日期“${args.asOf}”无效，应为 YYYY-MM-DD，例如 2020-04-30。`);
  const outDir = args.out!;
  const r = await runVerify({
    corrections: args.corrections,
    paths: args.paths,
    asOf: args.asOf,
    config,
    accepted: args.accepted,
    out: outDir,
    today: today(),
    logger: io.logger,
  });
  if (args.json) io.stdout(verifyJsonLine(r, outDir) + '\n');
  else io.stdout(renderVerifySummary(r, outDir) + '\n');
  if (r.check.failures.length > 0) {
    io.stderr(`内部错误：有 ${new Set(r.check.failures.map((f) => f.rule)).size} 条规则运行失败，核查结果不完整，详见日志。\n`);
    return 3;
  }
  return 0;
}

/** The arguments with every required one present (or --help). Throws UsageError with the usage text. */
function checkedVerifyArgs(argv: string[]): VerifyArgs {
  let args: VerifyArgs;
  try {
    args = parseVerifyArgs(argv);
  } catch (e) {
    throw e instanceof UsageError ? new UsageError(`参数错误：${e.message}`, { usage: VERIFY_USAGE }) : e;
  }
  if (args.help) return args;
  const missing = [
    args.corrections.length === 0 ? '--corrections 填好的整改台账' : '',
    args.paths.length === 0 ? '新导出的数据路径' : '',
    !args.out ? '--out 输出目录' : '',
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new UsageError(`缺少：${missing.join('、')}。例如：qingxi verify --corrections 整改台账_某某镇.xlsx 新导出数据文件夹 --out 核查结果`, { usage: VERIFY_USAGE });
  }
  return args;
}

/** `--json`: one line for scripts. */
function verifyJsonLine(r: VerifyResult, outDir: string): string {
  return JSON.stringify({
    asOf: r.asOf,
    asOfSource: r.asOfSource,
    out: outDir,
    rows: r.rows.length,
    judgements: r.counts,
    newFindings: r.newFindings.length,
    accepted: r.written.accepted ?? null,
  });
}

/** The clerk's summary: completion, new findings, the villages with findings, notes, what was written. */
export function renderVerifySummary(r: VerifyResult, outDir: string): string {
  const { counts } = r;
  const total = r.rows.length;
  const done = counts['已整改'] + counts['已说明'];
  return [
    `检验核查完成（数据截至 ${r.asOf}${AS_OF_SOURCE_ZH[r.asOfSource]}）`,
    `台账 ${r.corrections.length} 本共 ${total} 条：已整改 ${counts['已整改']} 条，已说明 ${counts['已说明']} 条，未整改 ${counts['未整改']} 条，待核实 ${counts['待核实']} 条；完成率 ${total ? ((done / total) * 100).toFixed(1) : '100.0'}%。`,
    `新发现问题 ${r.newFindings.length} 条（台账中没有的问题）。`,
    ...r.villages
      .filter((v) => v.findings > 0)
      .slice(0, 20)
      .map((v) => `  ${v.township}${v.village || '（未关联到村）'}：完成率 ${(v.completionRate * 100).toFixed(1)}%，得分 ${v.scoreBefore ?? '—'} → ${v.scoreAfter ?? '—'}`),
    ...r.notes.map((n) => '注意：' + n),
    `结果已写入 ${outDir}：检验核查结果.xlsx、verification.json${r.written.accepted ? '、accepted.json（以后检查时用 --accepted 传入）' : ''}。`,
  ].join('\n');
}
