// `qingxi ledger status [--json] | history FINGERPRINT [--json] | export [--status S] [--county C]
//  [--township T] [--out FILE.csv|FILE.xlsx]`, each with `--db FILE`: the finding ledger without SQL.
import { existsSync } from 'node:fs';
import { openDb } from '../store/db.js';
import { Ledger } from '../store/ledger.js';
import { writeLedgerCsv, writeLedgerCsvFile, writeLedgerXlsx } from '../store/ledger-export.js';
import { EVENT_ZH, LEDGER_STATUSES, STATUS_ZH, type LedgerStatus } from '../nightly/ledger-state.js';
import { writeAtomically } from '../outputs/atomic.js';
import { parseOptions } from './args.js';
import type { CliIo } from './io.js';

export const LEDGER_USAGE = `用法：qingxi ledger status --db 账本文件 [--json]
       qingxi ledger history 指纹 --db 账本文件 [--json]
       qingxi ledger export --db 账本文件 [--status open|fixed|accepted|reopened] [--county 县] [--township 乡镇] [--out 文件.csv|文件.xlsx]
export 不带 --out 时把 CSV（UTF-8 带 BOM，Excel 可直接打开）写到标准输出。`;

export async function ledgerCommand(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseOptions(argv, {
      db: { type: 'string' },
      json: { type: 'boolean' },
      status: { type: 'string' },
      county: { type: 'string' },
      township: { type: 'string' },
      out: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
    });
  } catch (e) {
    io.stderr(`参数错误：${(e as Error).message}\n${LEDGER_USAGE}\n`);
    return 2;
  }
  const { positionals } = parsed;
  const str = (k: string) => (typeof parsed.values[k] === 'string' ? (parsed.values[k] as string) : undefined);
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
    io.stderr(`${sub ? `不认识的子命令：${sub}\n` : ''}${LEDGER_USAGE}\n`);
    return 2;
  }
  if (!values.db) {
    io.stderr(`缺少 --db 账本文件（nightly 默认写在 输出目录/ledger.sqlite）。\n`);
    return 2;
  }
  if (!existsSync(values.db)) {
    io.stderr(`账本文件“${values.db}”不存在。\n`);
    return 2;
  }
  if (values.status !== undefined && !LEDGER_STATUSES.includes(values.status as LedgerStatus)) {
    io.stderr(`--status 只能是 open（未整改）、fixed（已销号）、accepted（已说明）或 reopened（再次出现）。\n`);
    return 2;
  }
  const db = openDb(values.db);
  try {
    const ledger = new Ledger(db);
    if (sub === 'status') {
      const s = ledger.status();
      if (values.json) io.stdout(JSON.stringify(s) + '\n');
      else {
        io.stdout(
          `问题账本（最近一次运行：${s.lastRun ?? '尚无'}，共运行 ${s.runs} 次）\n` +
            `未整改 ${s.open} 条，再次出现 ${s.reopened} 条，已销号 ${s.fixed} 条，已说明 ${s.accepted} 条，合计 ${s.total} 条。\n` +
            (s.lastRunMissingUnits + s.lastRunMissingTownships > 0
              ? `最近一次运行缺少输入：县 ${s.lastRunMissingUnits} 个，乡镇 ${s.lastRunMissingTownships} 个。\n`
              : ''),
        );
      }
      return 0;
    }
    if (sub === 'history') {
      const fp = rest[0];
      if (!fp) {
        io.stderr(`缺少指纹。\n${LEDGER_USAGE}\n`);
        return 2;
      }
      const f = ledger.finding(fp);
      if (!f) {
        io.stderr(`账本中没有指纹为“${fp}”的问题。\n`);
        return 2;
      }
      const h = ledger.history(fp);
      if (values.json) io.stdout(JSON.stringify({ finding: f, history: h }) + '\n');
      else {
        io.stdout(
          `${f.rule} ${f.title}｜${f.county}${f.township}${f.village}${f.householdNo ? ' 户编号 ' + f.householdNo : ''}\n` +
            `${f.message}\n当前状态：${STATUS_ZH[f.status]}；首次发现 ${f.firstSeen}，最近发现 ${f.lastSeen}${f.fixedOn ? `，销号 ${f.fixedOn}` : ''}\n` +
            h.map((e) => `  ${e.runDate}  ${EVENT_ZH[e.kind]} → ${STATUS_ZH[e.status]}`).join('\n') + '\n',
        );
      }
      return 0;
    }
    // export
    const rows = ledger.findings({ status: values.status as LedgerStatus | undefined, county: values.county, township: values.township });
    const out = values.out;
    if (!out) {
      await writeLedgerCsv(rows, (s) => io.stdout(s));
      return 0;
    }
    let n = 0;
    if (/\.xlsx$/i.test(out)) await writeAtomically(out, async (tmp) => void (n = await writeLedgerXlsx(rows, tmp)));
    else if (/\.csv$/i.test(out)) await writeAtomically(out, async (tmp) => void (n = await writeLedgerCsvFile(rows, tmp)));
    else {
      io.stderr(`--out 的文件名应以 .csv 或 .xlsx 结尾：${out}\n`);
      return 2;
    }
    io.stdout(`已导出 ${n} 条问题到 ${out}\n`);
    return 0;
  } finally {
    db.close();
  }
}
