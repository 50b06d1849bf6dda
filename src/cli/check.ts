// `qingxi check PATH… --out DIR [--as-of DATE] [--config FILE] [--split township|village]
//  [--fail-on error|suspect] [--accepted FILE] [--json]`
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfigFile, ConfigError } from '../config.js';
import { runCheck, UsageError, type CheckResult, type Progress } from '../pipeline.js';
import { RULES } from '../../validators/index.js';
import { writeFindingsJsonl } from '../outputs/findings.js';
import { writeCorrectionWorkbooks } from '../outputs/workbook.js';
import { loadAccepted } from '../outputs/accepted.js';
import { FAMILY_ZH, type Family } from '../model.js';
import { isValidIsoDate, today, type CliIo } from './io.js';

export const CHECK_USAGE = `用法：qingxi check 路径… --out 输出目录 [--as-of YYYY-MM-DD] [--config 配置文件]
       [--split township|village] [--fail-on error|suspect] [--accepted 已说明例外文件] [--json]
路径可以是文件或文件夹（递归查找 .xlsx/.xlsm/.xls/.et/.csv）。`;

export async function checkCommand(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string', short: 'o' },
        'as-of': { type: 'string' },
        config: { type: 'string' },
        split: { type: 'string' },
        'fail-on': { type: 'string' },
        accepted: { type: 'string' },
        json: { type: 'boolean' },
        concurrency: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.stderr(`参数错误：${(e as Error).message}\n${CHECK_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(CHECK_USAGE + '\n');
    return 0;
  }
  if (positionals.length === 0 || !values.out) {
    io.stderr(`缺少${positionals.length === 0 ? '输入路径' : ' --out 输出目录'}。\n${CHECK_USAGE}\n`);
    return 2;
  }
  const split = values.split ?? 'township';
  if (split !== 'township' && split !== 'village') {
    io.stderr(`--split 只能是 township（每个乡镇一本台账）或 village（每个村一本）。\n`);
    return 2;
  }
  const failOn = values['fail-on'];
  if (failOn !== undefined && failOn !== 'error' && failOn !== 'suspect') {
    io.stderr(`--fail-on 只能是 error 或 suspect。\n`);
    return 2;
  }
  let config;
  try {
    config = loadConfigFile(values.config, RULES);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr(e.message + '\n');
      return 2;
    }
    throw e;
  }
  const asOf = values['as-of'] ?? config.asOf ?? today();
  if (!isValidIsoDate(asOf)) {
    io.stderr(`--as-of 日期“${asOf}”无效，应为 YYYY-MM-DD，例如 2020-04-30。\n`);
    return 2;
  }
  let accepted;
  if (values.accepted) {
    try {
      accepted = await loadAccepted(values.accepted);
    } catch (e) {
      io.stderr(`${(e as Error).message}\n`);
      return 2;
    }
  }
  const concurrency = values.concurrency ? Number(values.concurrency) : undefined;

  const outDir = values.out;
  const started = new Date();
  let lastDraw = 0;
  const onProgress = io.isTTY
    ? (p: Progress) => {
        const now = Date.now();
        if (now - lastDraw < 100 && p.filesDone < p.filesTotal) return;
        lastDraw = now;
        io.stderr(`\r正在读取：文件 ${p.filesDone}/${p.filesTotal}，已读 ${p.rowsRead.toLocaleString('zh-CN')} 行   `);
      }
    : undefined;

  let result: CheckResult;
  try {
    result = await runCheck({ paths: positionals, asOf, config, accepted, onProgress, logger: io.logger, concurrency });
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(e.message + '\n');
      return 2;
    }
    throw e;
  }
  if (io.isTTY) io.stderr('\r' + ' '.repeat(60) + '\r');

  const tOut = Date.now();
  await mkdir(outDir, { recursive: true });
  await writeFindingsJsonl(join(outDir, 'findings.jsonl'), result.findings);
  const headName = new Map<string, string>();
  for (const h of result.indexes.households.values()) {
    const head = h.members.find((m) => m.v.relation === '户主');
    const name = head?.v.name ?? h.v.headName;
    if (name) headName.set(h.householdNo, name);
  }
  const workbooks = await writeCorrectionWorkbooks(
    {
      findings: result.findings,
      villages: result.summary.villages,
      asOf,
      checkedAt: started.toISOString(),
      sources: result.files.map((f) => f.file),
      rules: RULES.map((r) => ({ id: r.id, family: r.family, severity: r.severity, title: r.title, explain: r.explain })),
      headOf: (no) => headName.get(no),
    },
    outDir,
    split,
  );
  const timings = result.summary.timings ?? {};
  timings['outputsMs'] = Date.now() - tOut;
  timings['peakRssMiB'] = Math.round(process.resourceUsage().maxRSS / 1024);
  result.summary.timings = timings;
  await writeFile(join(outDir, 'summary.json'), JSON.stringify({ ...result.summary, workbooks: workbooks.map((w) => relName(outDir, w)) }, null, 2) + '\n');

  io.logger.info(
    { event: 'check_done', files: result.files.length, findings: result.findings.length, ...timings },
    'check finished',
  );

  const t = result.summary.totals;
  if (values.json) {
    io.stdout(JSON.stringify({ asOf, out: outDir, totals: t, workbooks: workbooks.map((w) => relName(outDir, w)) }) + '\n');
  } else {
    io.stdout(renderChineseSummary(result, outDir, workbooks.length) + '\n');
  }
  if (result.failures.length > 0) {
    io.stderr(`内部错误：有 ${new Set(result.failures.map((f) => f.rule)).size} 条规则运行失败，结果不完整，详见日志。\n`);
    return 3;
  }
  if (result.nothingRead) {
    io.stderr('没有读到任何数据行：请检查输入文件（详见 findings.jsonl 中的 FILE 类问题）。\n');
    return 2;
  }
  if (failOn === 'error' && t.error > 0) return 1;
  if (failOn === 'suspect' && t.error + t.suspect > 0) return 1;
  return 0;
}

function relName(dir: string, p: string): string {
  return p.startsWith(dir) ? p.slice(dir.length).replace(/^[\\/]+/, '') : p;
}

export function renderChineseSummary(result: CheckResult, outDir: string, workbookCount: number): string {
  const t = result.summary.totals;
  const lines: string[] = [];
  lines.push(`检查完成（数据截至 ${result.asOf}）`);
  lines.push(
    `读取文件 ${t.files} 个（无法读取 ${t.filesUnreadable} 个），工作表 ${t.sheets} 张，数据行 ${t.dataRows} 行，拒读 ${t.rejectedRows} 行；` +
      `贫困户 ${t.households} 户、${t.people} 人。`,
  );
  lines.push(`发现问题 ${t.findings} 条：错误 ${t.error} 条，疑似 ${t.suspect} 条，提示 ${t.info} 条。`);
  const byFamily = new Map<Family, number>();
  for (const f of result.findings) byFamily.set(f.family, (byFamily.get(f.family) ?? 0) + 1);
  if (byFamily.size > 0) {
    lines.push('按类别：' + [...byFamily.entries()].map(([k, n]) => `${FAMILY_ZH[k]} ${n}`).join('，'));
  }
  const worst = [...result.summary.villages].filter((v) => v.households > 0).sort((a, b) => a.score - b.score).slice(0, 5);
  if (worst.length > 0) {
    lines.push('得分最低的村：' + worst.map((v) => `${v.township ?? ''}${v.village ?? '（未注明村）'} ${v.score} 分`).join('，'));
  }
  lines.push(`结果已写入 ${outDir}：findings.jsonl、summary.json、整改台账 ${workbookCount} 本。`);
  return lines.join('\n');
}
