// `qingxi check PATH… --out DIR [--as-of DATE] [--config FILE] [--split township|village]
//  [--fail-on error|suspect] [--accepted FILE] [--json] [--concurrency N] [--by-county [--threads N]]`
import { integerOption, parseCommandLine, stringOption } from './args.js';
import { runCheck, type CheckOptions, type CheckOutcome, type Progress } from '../pipeline.js';
import { MAX_COUNTY_THREADS, runCheckByCounty } from '../bycounty/run.js';
import { UsageError } from '../core/errors.js';
import { writeCheckOutputs, type WorkbookSplit } from '../outputs/check-outputs.js';
import { loadAccepted } from '../outputs/accepted.js';
import { prepareOutputDir } from '../outputs/atomic.js';
import type { Config } from '../config.js';
import { FAMILY_ZH, type Family } from '../model.js';
import { asOfOption, commandConfig, type CliIo } from './io.js';

export const CHECK_USAGE = `用法：qingxi check 路径… --out 输出目录 [选项]
路径可以是文件或文件夹（递归查找 .xlsx / .xlsm / .xls / .et / .csv 文件）。
选项：
  --out, -o 目录             结果写入的文件夹（必填）：findings.jsonl、summary.json、整改台账
  --as-of YYYY-MM-DD         数据截止日期（默认取配置文件的 asOf，否则为今天）
  --config 文件              配置文件（JSON：规则开关、严重程度、阈值、贫困线）
  --split township|village   每个乡镇一本台账（默认），或每个村一本
  --fail-on error|suspect    发现错误（或错误和疑似）时退出码为 1，并说明数量
  --accepted 文件            已说明的例外（qingxi verify 生成的 accepted.json），这些问题只作提示
  --json                     只在标准输出打印一行 JSON 摘要
  --concurrency 数量         同时读取的文件数（默认 2）
  --by-county                按县分别检查（全省数据用）：文件夹下每个子文件夹是一个县，两个县同时
                             检查（见 --threads），内存只需容纳两个县；跨县出现的同一证件号码在最后
                             统一比对。户、项目、帮扶结对只在本县内匹配；直接放在文件夹下的文件合在
                             一起，作为另一个单位检查
  --threads 数量             与 --by-county 一起用：同时检查的县数，1 到 ${MAX_COUNTY_THREADS}，默认 2；每多一个，内存
                             要多容纳一个县的数据；1 为逐个检查（不另开线程）
  --help, -h                 显示本说明`;

const CHECK_OPTIONS = {
  out: { type: 'string', short: 'o' },
  'as-of': { type: 'string' },
  config: { type: 'string' },
  split: { type: 'string' },
  'fail-on': { type: 'string' },
  accepted: { type: 'string' },
  json: { type: 'boolean' },
  concurrency: { type: 'string' },
  'by-county': { type: 'boolean' },
  threads: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface CheckArgs {
  paths: string[];
  outDir: string;
  asOf: string;
  config: Config;
  split: WorkbookSplit;
  failOn?: 'error' | 'suspect';
  accepted?: Awaited<ReturnType<typeof loadAccepted>>;
  concurrency?: number;
  json: boolean;
  byCounty: boolean;
  /** counties checked at once (--by-county only) */
  threads?: number;
}

/** The options of a check, validated; undefined for --help. Throws UsageError (Chinese). */
async function parseCheckArgs(argv: string[]): Promise<CheckArgs | undefined> {
  const { values, positionals } = parseCommandLine(argv, CHECK_OPTIONS, CHECK_USAGE);
  if (values['help']) return undefined;
  const out = stringOption(values, 'out');
  if (positionals.length === 0 || !out) {
    const missing = [positionals.length === 0 ? '要检查的文件或文件夹路径' : '', !out ? '--out 输出目录' : ''].filter(Boolean);
    throw new UsageError(`缺少：${missing.join('、')}。例如：qingxi check 导出数据文件夹 --out 结果文件夹`, { usage: CHECK_USAGE });
  }
  const split = stringOption(values, 'split') ?? 'township';
  if (split !== 'township' && split !== 'village') throw new UsageError(`--split 只能是 township（每个乡镇一本台账）或 village（每个村一本）。`);
  const failOn = stringOption(values, 'fail-on');
  if (failOn !== undefined && failOn !== 'error' && failOn !== 'suspect') throw new UsageError(`--fail-on 只能是 error 或 suspect。`);
  const config = commandConfig(stringOption(values, 'config'));
  const asOf = asOfOption(stringOption(values, 'as-of'), config);
  const acceptedFile = stringOption(values, 'accepted');
  const concurrency = integerOption(values, 'concurrency', { min: 1, max: 16, meaning: '同时读取的文件数' });
  const byCounty = values['by-county'] === true;
  const threads = integerOption(values, 'threads', { min: 1, max: MAX_COUNTY_THREADS, meaning: '同时检查的县数' });
  // a whole-folder check reads its files in this thread (worker threads measured no faster): only
  // counties are checked in threads of their own
  if (threads !== undefined && !byCounty) throw new UsageError('--threads 只能与 --by-county 一起使用（按县检查时同时检查的县数）。', { usage: CHECK_USAGE });
  return {
    paths: positionals,
    outDir: out,
    asOf,
    config,
    split,
    failOn,
    // a bad accepted.json is an AcceptedFileError (a UsageError)
    accepted: acceptedFile ? await loadAccepted(acceptedFile) : undefined,
    concurrency,
    json: values['json'] === true,
    byCounty,
    ...(threads !== undefined ? { threads } : {}),
  };
}

export async function checkCommand(argv: string[], io: CliIo): Promise<number> {
  const args = await parseCheckArgs(argv);
  if (!args) {
    io.stdout(CHECK_USAGE + '\n');
    return 0;
  }
  const { outDir } = args;
  const started = new Date();
  // the output folder is checked before anything is read: a wrong --out is bad usage, found at once
  await prepareOutputDir(outDir);
  const options: CheckOptions = {
    paths: args.paths,
    asOf: args.asOf,
    config: args.config,
    accepted: args.accepted,
    onProgress: progressLine(io),
    logger: io.logger,
    concurrency: args.concurrency,
    ...(args.threads !== undefined ? { threads: args.threads } : {}),
  };
  const result = args.byCounty ? await runCheckByCounty(options) : await runCheck(options);
  if (io.isTTY) io.stderr('\r' + ' '.repeat(60) + '\r');
  if (result.files.length === 0) {
    throw new UsageError(`没有找到 .xlsx / .xls / .csv 文件：${args.paths.join('、')}。qingxi 只读取这三种表格文件（文件夹会逐层查找），其他文件（如 .txt、.doc）不检查。`);
  }
  const workbooks = await writeCheckOutputs(result, { outDir, split: args.split, startedAt: started });
  if (result.skippedOwnOutputs.length > 0) {
    io.stderr(`注意：以下 ${result.skippedOwnOutputs.length} 个文件是本工具以前写出的结果（整改台账等），未作为输入读取：${result.skippedOwnOutputs.slice(0, 5).join('、')}${result.skippedOwnOutputs.length > 5 ? ' 等' : ''}\n`);
  }
  io.logger.info(
    { event: 'check_done', files: result.files.length, findings: result.findings.length, ...(result.summary.timings ?? {}) },
    'check finished',
  );
  if (args.json) {
    io.stdout(JSON.stringify({ asOf: args.asOf, out: outDir, totals: result.summary.totals, workbooks }) + '\n');
  } else {
    io.stdout(renderChineseSummary(result, outDir, workbooks.length) + '\n');
  }
  return checkExitCode(result, args.failOn, io);
}

/** On a terminal, one line redrawn at most ten times a second: files read and rows so far. */
function progressLine(io: CliIo): ((p: Progress) => void) | undefined {
  if (!io.isTTY) return undefined;
  let lastDraw = 0;
  return (p) => {
    const now = Date.now();
    if (now - lastDraw < 100 && p.filesDone < p.filesTotal) return;
    lastDraw = now;
    io.stderr(`\r正在读取：文件 ${p.filesDone}/${p.filesTotal}，已读 ${p.rowsRead.toLocaleString('zh-CN')} 行   `);
  };
}

/** SPEC §4: 3 when a rule failed, 2 when nothing at all was read, 1 when --fail-on matched, else 0 — each said on stderr. */
function checkExitCode(result: CheckOutcome, failOn: CheckArgs['failOn'], io: CliIo): number {
  if (result.failures.length > 0) {
    io.stderr(`内部错误：有 ${new Set(result.failures.map((f) => f.rule)).size} 条规则运行失败，结果不完整，详见日志。\n`);
    return 3;
  }
  if (result.nothingRead) {
    const unreadable = result.files.filter((f) => !f.readable);
    io.stderr(
      `没有读到任何数据行：找到 ${result.files.length} 个表格文件，` +
        (unreadable.length ? `其中无法读取 ${unreadable.length} 个（${unreadable.slice(0, 10).map((f) => f.file).join('、')}${unreadable.length > 10 ? ' 等' : ''}），` : '') +
        '其余文件中没有认出贫困户、成员、帮扶等表格的表头。请检查文件，详见 findings.jsonl 中的 FILE 类问题。\n',
    );
    return 2;
  }
  const t = result.summary.totals;
  if (failOn === 'error' && t.error > 0) {
    io.stderr(`按 --fail-on error：发现错误 ${t.error} 条，退出码为 1。\n`);
    return 1;
  }
  if (failOn === 'suspect' && t.error + t.suspect > 0) {
    io.stderr(`按 --fail-on suspect：发现错误 ${t.error} 条、疑似 ${t.suspect} 条，退出码为 1。\n`);
    return 1;
  }
  return 0;
}

export function renderChineseSummary(result: CheckOutcome, outDir: string, workbookCount: number): string {
  const t = result.summary.totals;
  const lines: string[] = [];
  lines.push(`检查完成（数据截至 ${result.asOf}）`);
  lines.push(
    `读取文件 ${t.files} 个（无法读取 ${t.filesUnreadable} 个），工作表 ${t.sheets} 张，数据行 ${t.dataRows} 行，拒读 ${t.rejectedRows} 行；` +
      `贫困户 ${t.households} 户、${t.people} 人。`,
  );
  const unreadable = result.files.filter((f) => !f.readable);
  for (const f of unreadable.slice(0, 10)) lines.push(`无法读取：${f.file}${f.error ? `（${f.error}）` : ''}`);
  if (unreadable.length > 10) lines.push(`另有 ${unreadable.length - 10} 个文件无法读取，见 summary.json。`);
  lines.push(`发现问题 ${t.findings} 条：错误 ${t.error} 条，疑似 ${t.suspect} 条，提示 ${t.info} 条。`);
  const byFamily = new Map<Family, number>();
  for (const f of result.findings) byFamily.set(f.family, (byFamily.get(f.family) ?? 0) + 1);
  if (byFamily.size > 0) {
    lines.push('按类别：' + [...byFamily.entries()].map(([k, n]) => `${FAMILY_ZH[k]} ${n}`).join('，'));
  }
  const worst = [...result.summary.villages].filter((v) => v.households > 0).sort((a, b) => a.score - b.score).slice(0, 5);
  if (worst.length > 0) {
    // village and township names repeat across counties (红岭村): a run over several counties names the county too
    const counties = new Set(result.summary.villages.map((v) => v.county ?? ''));
    const place = (v: (typeof worst)[number]) => `${counties.size > 1 ? (v.county ?? '') : ''}${v.township ?? ''}${v.village ?? '（未注明村）'}`;
    lines.push('得分最低的村：' + worst.map((v) => `${place(v)} ${v.score} 分`).join('，'));
  }
  lines.push(`结果已写入 ${outDir}：findings.jsonl、summary.json、整改台账 ${workbookCount} 本。`);
  return lines.join('\n');
}
