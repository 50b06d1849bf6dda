// `qingxi ledger status [--json] | history FINGERPRINT [--json] | export [--status S] [--county C]
//  [--township T] [--out FILE.csv|FILE.xlsx]`, each with `--db FILE`: the finding ledger without SQL.
import { existsSync } from 'node:fs';
import { openDb } from '../store/db.js';
import { Ledger } from '../store/ledger.js';
import { writeLedgerCsv, writeLedgerCsvFile, writeLedgerXlsx } from '../store/ledger-export.js';
import { EVENT_ZH, LEDGER_STATUSES, STATUS_ZH, type LedgerStatus } from '../nightly/ledger-state.js';
import { writeAtomically } from '../outputs/atomic.js';
import { UsageError } from '../core/errors.js';
import { parseCommandLine, stringOption } from './args.js';
import type { CliIo } from './io.js';

export const LEDGER_USAGE = `用法：qingxi ledger status --db 账本文件 [--json]
       qingxi ledger history 指纹 --db 账本文件 [--json]
       qingxi ledger export --db 账本文件 [--status open|fixed|accepted|reopened] [--county 县] [--township 乡镇] [--out 文件.csv|文件.xlsx]
export 不带 --out 时把 CSV（UTF-8 带 BOM，Excel 可直接打开）写到标准输出。`;

export async function ledgerCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(
    argv,
    {
      db: { type: 'string' },
      json: { type: 'boolean' },
      status: { type: 'string' },
      county: { type: 'string' },
      township: { type: 'string' },
      out: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
    },
    LEDGER_USAGE,
  );
  const { positionals } = parsed;
  const str = (k: string) => stringOption(parsed.values, k);
  const values = {
    db: str('db'), json: parsed.values['json'] === true, status: str('status'), county: str('county'),
    township: str('township'), out: str('out'), help: parsed.values['help'] === true,
  };
  const [sub, ...rest] = positionals;
  if (values.help) {
    io.stdout(LEDGER_USAGE + '\n');
    return 0;
  }
  if (!sub || !['status', 'history', 'export'].includes(sub)) {
    throw new UsageError(sub ? `不认识的子命令：${sub}` : '缺少子命令（status、history 或 export）。', { usage: LEDGER_USAGE });
  }
  if (!values.db) throw new UsageError(`缺少 --db 账本文件（nightly 默认写在 输出目录/ledger.sqlite）。`);
  if (!existsSync(values.db)) throw new UsageError(`账本文件“${values.db}”不存在。`);
  if (values.status !== undefined && !LEDGER_STATUSES.includes(values.status as LedgerStatus)) {
    throw new UsageError(`--status 只能是 open（未整改）、fixed（已销号）、accepted（已说明）或 reopened（再次出现）。`);
  }
  const db = openDb(values.db);
  try {
    const ledger = new Ledger(db);
    if (sub === 'status') printStatus(ledger, values.json, io);
    else if (sub === 'history') printHistory(ledger, rest[0], values.json, io);
    else await exportFindings(ledger, values, io);
    return 0;
  } finally {
    db.close();
  }
}

interface LedgerArgs {
  json: boolean;
  status?: string;
  county?: string;
  township?: string;
  out?: string;
}

function printStatus(ledger: Ledger, json: boolean, io: CliIo): void {
  const s = ledger.status();
  if (json) {
    io.stdout(JSON.stringify(s) + '\n');
    return;
  }
  io.stdout(
    `问题账本（最近一次运行：${s.lastRun ?? '尚无'}，共运行 ${s.runs} 次）\n` +
      `未整改 ${s.open} 条，再次出现 ${s.reopened} 条，已销号 ${s.fixed} 条，已说明 ${s.accepted} 条，合计 ${s.total} 条。\n` +
      (s.lastRunMissingUnits + s.lastRunMissingTownships > 0
        ? `最近一次运行缺少输入：县 ${s.lastRunMissingUnits} 个，乡镇 ${s.lastRunMissingTownships} 个。\n`
        : ''),
  );
}

function printHistory(ledger: Ledger, fp: string | undefined, json: boolean, io: CliIo): void {
  if (!fp) throw new UsageError(`缺少指纹。`, { usage: LEDGER_USAGE });
  const f = ledger.finding(fp);
  if (!f) throw new UsageError(`账本中没有指纹为“${fp}”的问题。`);
  const h = ledger.history(fp);
  if (json) {
    io.stdout(JSON.stringify({ finding: f, history: h }) + '\n');
    return;
  }
  io.stdout(
    `${f.rule} ${f.title}｜${f.county}${f.township}${f.village}${f.householdNo ? ' 户编号 ' + f.householdNo : ''}\n` +
      `${f.message}\n当前状态：${STATUS_ZH[f.status]}；首次发现 ${f.firstSeen}，最近发现 ${f.lastSeen}${f.fixedOn ? `，销号 ${f.fixedOn}` : ''}\n` +
      h.map((e) => `  ${e.runDate}  ${EVENT_ZH[e.kind]} → ${STATUS_ZH[e.status]}`).join('\n') + '\n',
  );
}

/** CSV on stdout without --out; else a .csv or .xlsx file written atomically. */
async function exportFindings(ledger: Ledger, args: LedgerArgs, io: CliIo): Promise<void> {
  const rows = ledger.findings({ status: args.status as LedgerStatus | undefined, county: args.county, township: args.township });
  const out = args.out;
  if (!out) {
    await writeLedgerCsv(rows, (s) => io.stdout(s));
    return;
  }
  let n = 0;
  if (/\.xlsx$/i.test(out)) await writeAtomically(out, async (tmp) => void (n = await writeLedgerXlsx(rows, tmp)));
  else if (/\.csv$/i.test(out)) await writeAtomically(out, async (tmp) => void (n = await writeLedgerCsvFile(rows, tmp)));
  else throw new UsageError(`--out 的文件名应以 .csv 或 .xlsx 结尾：${out}`);
  io.stdout(`已导出 ${n} 条问题到 ${out}\n`);
}
