// `qingxi nightly --inbox DIR --out DIR [--db FILE] [--as-of DATE] [--config FILE] [--accepted FILE]`
import { join } from 'node:path';
import { openDb } from '../store/db.js';
import { Ledger, LedgerOrderError } from '../store/ledger.js';
import { NightlyInputError, runNightly } from '../nightly/run.js';
import { scanInbox } from '../nightly/inbox.js';
import { parseOptions } from './args.js';
import { isValidIsoDate, loadConfigOrSay, today, type CliIo } from './io.js';

export const NIGHTLY_USAGE = `用法：qingxi nightly --inbox 收件箱目录 --out 输出目录 [--db 账本文件] [--as-of YYYY-MM-DD]
       [--config 配置文件] [--accepted 已说明例外文件]
收件箱下每个一级文件夹是一个县报送的文件（按县分别检查）；输出写入 输出目录/日期/。
--db 默认为 输出目录/ledger.sqlite。`;

export async function nightlyCommand(argv: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseOptions(argv, {
      inbox: { type: 'string' },
      out: { type: 'string', short: 'o' },
      db: { type: 'string' },
      'as-of': { type: 'string' },
      config: { type: 'string' },
      accepted: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    }));
  } catch (e) {
    io.stderr(`参数错误：${(e as Error).message}\n${NIGHTLY_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(NIGHTLY_USAGE + '\n');
    return 0;
  }
  const inboxDir = str(values.inbox);
  const outDir = str(values.out);
  if (!inboxDir || !outDir) {
    io.stderr(`缺少${!inboxDir ? ' --inbox 收件箱目录' : ' --out 输出目录'}。\n${NIGHTLY_USAGE}\n`);
    return 2;
  }
  const config = loadConfigOrSay(str(values.config), io);
  if (!config) return 2;
  const asOf = str(values['as-of']) ?? config.asOf ?? today();
  if (!isValidIsoDate(asOf)) {
    io.stderr(`--as-of 日期“${asOf}”无效，应为 YYYY-MM-DD，例如 2020-04-30。\n`);
    return 2;
  }
  try {
    const inbox = await scanInbox(inboxDir);
    if (inbox.units.length === 0) {
      io.logger.error({ event: 'inbox_empty', inbox: inboxDir }, 'inbox holds no input files');
      io.stderr(`收件箱“${inboxDir}”中没有任何 .xlsx/.xls/.csv 文件，本次不运行，账本不变。\n`);
      return 2;
    }
  } catch {
    io.stderr(`收件箱“${inboxDir}”不存在或不是文件夹。\n`);
    return 2;
  }
  const dbPath = str(values.db) ?? join(outDir, 'ledger.sqlite');
  const db = openDb(dbPath);
  try {
    const ledger = new Ledger(db);
    const t0 = Date.now();
    const result = await runNightly({ inbox: inboxDir, out: outDir, ledger, asOf, config, acceptedFile: str(values.accepted), logger: io.logger });
    const r = result.report;
    io.logger.info(
      {
        event: 'nightly_done', date: asOf, units: result.units.length, workbooks: result.workbooks.length, households: r.totals.households, people: r.totals.people, open: r.totals.open, new: r.totals.newCount,
        fixed: r.totals.fixedCount, reopened: r.totals.reopenedCount, missingUnits: r.missing.units.length, missingTownships: r.missing.townships.length,
        ms: Date.now() - t0, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      },
      'nightly finished',
    );
    io.stdout(
      `夜间检查完成（数据截至 ${asOf}）：${result.units.length} 个县级文件夹，整改台账 ${result.workbooks.length} 本；` +
        `未整改 ${r.totals.open} 条（新发现 ${r.totals.newCount}，销号 ${r.totals.fixedCount}，再次出现 ${r.totals.reopenedCount}）。\n` +
        (r.missing.units.length + r.missing.townships.length > 0
          ? `缺少输入：县 ${r.missing.units.length} 个，乡镇 ${r.missing.townships.length} 个（其问题保持未整改）。\n`
          : '') +
        `省级汇总：${join(result.dateDir, 'index.html')}\n`,
    );
    if (result.failedUnits.length > 0) {
      io.stderr(`内部错误：${result.failedUnits.join('、')} 有规则运行失败，结果不完整，详见日志。\n`);
      return 3;
    }
    return 0;
  } catch (e) {
    if (e instanceof LedgerOrderError || e instanceof NightlyInputError) {
      io.logger.error({ event: 'nightly_refused', err: e.message }, 'nightly refused');
      io.stderr(e.message + '\n');
      return 2;
    }
    throw e;
  } finally {
    db.close();
  }
}

function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
