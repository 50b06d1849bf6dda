// `qingxi nightly --inbox DIR --out DIR [--db FILE] [--as-of DATE] [--config FILE] [--accepted FILE] [--threads N]`
import { join } from 'node:path';
import { openDb } from '../store/db.js';
import { Ledger } from '../store/ledger.js';
import { runNightly, type NightlyResult } from '../nightly/run.js';
import { scanInbox } from '../nightly/inbox.js';
import { MAX_COUNTY_THREADS } from '../bycounty/run.js';
import { UsageError } from '../core/errors.js';
import { integerOption, parseCommandLine, stringOption } from './args.js';
import { asOfOption, commandConfig, type CliIo } from './io.js';

/** Most county folders checked at once (each thread holds one county's rows), as `check --by-county --threads`. */
export const MAX_NIGHTLY_THREADS = MAX_COUNTY_THREADS;

export const NIGHTLY_USAGE = `用法：qingxi nightly --inbox 收件箱目录 --out 输出目录 [--db 账本文件] [--as-of YYYY-MM-DD]
       [--config 配置文件] [--accepted 已说明例外文件] [--threads 数量]
收件箱下每个一级文件夹是一个县报送的文件：按县分别检查，几个县同时检查（各用一个处理器核心），
并查出同一证件号码出现在不同县文件夹中的情况；输出写入 输出目录/日期/。
--db 默认为 输出目录/ledger.sqlite。
--threads 同时检查的县文件夹数，1 到 ${MAX_NIGHTLY_THREADS}，默认 2；每多一个，内存要多容纳一个县的数据；
          1 为逐个检查（不另开线程）。`;

export async function nightlyCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandLine(
    argv,
    {
      inbox: { type: 'string' },
      out: { type: 'string', short: 'o' },
      db: { type: 'string' },
      'as-of': { type: 'string' },
      config: { type: 'string' },
      accepted: { type: 'string' },
      threads: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    NIGHTLY_USAGE,
  );
  if (values['help']) {
    io.stdout(NIGHTLY_USAGE + '\n');
    return 0;
  }
  const inboxDir = stringOption(values, 'inbox');
  const outDir = stringOption(values, 'out');
  if (!inboxDir || !outDir) throw new UsageError(`缺少${!inboxDir ? ' --inbox 收件箱目录' : ' --out 输出目录'}。`, { usage: NIGHTLY_USAGE });
  const threads = integerOption(values, 'threads', { min: 1, max: MAX_NIGHTLY_THREADS, meaning: '同时检查的县文件夹数' });
  const config = commandConfig(stringOption(values, 'config'));
  const asOf = asOfOption(stringOption(values, 'as-of'), config);
  await requireInboxFiles(inboxDir, io);
  const db = openDb(stringOption(values, 'db') ?? join(outDir, 'ledger.sqlite'));
  try {
    const t0 = Date.now();
    // a night older than the ledger's latest (LedgerOrderError) or an unusable input (NightlyInputError) is a UsageError
    const result = await runNightly({ inbox: inboxDir, out: outDir, ledger: new Ledger(db), asOf, config, acceptedFile: stringOption(values, 'accepted'), logger: io.logger, ...(threads !== undefined ? { threads } : {}) });
    logNight(result, asOf, Date.now() - t0, io);
    io.stdout(renderNightSummary(result, asOf) + '\n');
    if (result.failedUnits.length > 0) {
      io.stderr(`内部错误：${result.failedUnits.join('、')} 的检查中断或有规则运行失败，结果不完整，详见日志。\n`);
      return 3;
    }
    return 0;
  } finally {
    db.close();
  }
}

/** An inbox that is missing or holds no input file is refused before the ledger is opened: nothing changes. */
async function requireInboxFiles(inboxDir: string, io: CliIo): Promise<void> {
  const inbox = await scanInbox(inboxDir).catch(() => {
    throw new UsageError(`收件箱“${inboxDir}”不存在或不是文件夹。`);
  });
  if (inbox.units.length === 0) {
    io.logger.error({ event: 'inbox_empty', inbox: inboxDir }, 'inbox holds no input files');
    throw new UsageError(`收件箱“${inboxDir}”中没有任何 .xlsx/.xls/.csv 文件，本次不运行，账本不变。`);
  }
}

function logNight(result: NightlyResult, asOf: string, ms: number, io: CliIo): void {
  const r = result.report;
  io.logger.info(
    {
      event: 'nightly_done', date: asOf, units: result.units.length, workbooks: result.workbooks.length, households: r.totals.households, people: r.totals.people, open: r.totals.open, new: r.totals.newCount,
      fixed: r.totals.fixedCount, reopened: r.totals.reopenedCount, missingUnits: r.missing.units.length, missingTownships: r.missing.townships.length,
      ms, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    },
    'nightly finished',
  );
}

function renderNightSummary(result: NightlyResult, asOf: string): string {
  const r = result.report;
  return (
    `夜间检查完成（数据截至 ${asOf}）：${result.units.length} 个县级文件夹，整改台账 ${result.workbooks.length} 本；` +
    `未整改 ${r.totals.open} 条（新发现 ${r.totals.newCount}，销号 ${r.totals.fixedCount}，再次出现 ${r.totals.reopenedCount}）。\n` +
    (r.missing.units.length + r.missing.townships.length > 0
      ? `缺少输入：县 ${r.missing.units.length} 个，乡镇 ${r.missing.townships.length} 个（其问题保持未整改）。\n`
      : '') +
    `省级汇总：${join(result.dateDir, 'index.html')}`
  );
}
