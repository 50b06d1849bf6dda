// `qingxi verify --corrections FILE… PATH… --out DIR [--as-of DATE] [--config FILE] [--accepted FILE] [--json]`
// 检验核查: filled 整改台账 workbooks plus a fresh export → 检验核查结果.xlsx, verification.json and,
// when rows were explained (数据无误 + 备注), accepted.json for later `qingxi check --accepted` runs.
//
// Argument rule: `--corrections` takes the next argument, and every following argument whose file
// name contains 整改台账 (until the next option); it may also be repeated or given as
// `--corrections=FILE`. Every other argument is a path of the fresh export.
import { basename, join } from 'node:path';
import type { Logger } from 'pino';
import { ConfigError, loadConfigFile } from '../config.js';
import { runCheck, UsageError, type CheckResult } from '../pipeline.js';
import { RULES } from '../../validators/index.js';
import { AcceptedFileError, loadAcceptedEntries, writeAccepted, type AcceptedEntry, type AcceptedInfo } from '../outputs/accepted.js';
import { readCorrections, CorrectionsFileError, type CorrectionsFile } from '../outputs/verify-read.js';
import { judge, scopeOf, verificationJson, villageVerification, type BeforeVillage, type CorrectionRow } from '../outputs/verify.js';
import { writeVerifyWorkbook } from '../outputs/verify-workbook.js';
import { OutputDirError, OutputSet, prepareOutputDir } from '../outputs/atomic.js';
import { isValidIsoDate, today } from './io.js';

export const VERIFY_USAGE = `用法：qingxi verify --corrections 整改台账.xlsx… 新导出数据路径… --out 输出目录
       [--as-of YYYY-MM-DD] [--config 配置文件] [--accepted 已说明例外文件] [--json]
--corrections 后面跟填好的整改台账（文件名含“整改台账”的可以连写多个，也可以重复 --corrections）；
其余路径是重新导出的数据（文件或文件夹）。结果写入输出目录：检验核查结果.xlsx、verification.json，
有“数据无误”并写了备注的行时还写 accepted.json（供以后 qingxi check --accepted 使用）。`;

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
        throw new UsageError(`参数 ${arg} 后面缺少值。`);
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
    if (arg.startsWith('-') && arg.length > 1) throw new UsageError(`不认识的参数：${arg}`);
    a.paths.push(argv[i]!);
  }
  return a;
}

export async function verifyCommand(argv: string[], io: VerifyIo): Promise<number> {
  let args: VerifyArgs;
  try {
    args = parseVerifyArgs(argv);
  } catch (e) {
    io.stderr(`参数错误：${(e as Error).message}\n${VERIFY_USAGE}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout(VERIFY_USAGE + '\n');
    return 0;
  }
  const missing = [
    args.corrections.length === 0 ? ' --corrections 整改台账' : '',
    args.paths.length === 0 ? '新导出的数据路径' : '',
    !args.out ? ' --out 输出目录' : '',
  ].filter(Boolean);
  if (missing.length > 0) {
    io.stderr(`缺少${missing.join('、')}。\n${VERIFY_USAGE}\n`);
    return 2;
  }
  let config;
  try {
    config = loadConfigFile(args.config, RULES);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr(e.message + '\n');
      return 2;
    }
    throw e;
  }
  const asOf = args.asOf ?? config.asOf ?? today();
  if (!isValidIsoDate(asOf)) {
    io.stderr(`--as-of 日期“${asOf}”无效，应为 YYYY-MM-DD，例如 2020-04-30。\n`);
    return 2;
  }
  const outDir = args.out!;
  const started = new Date();
  const log = io.logger.child({ command: 'verify' });
  // the output folder is checked before anything is read
  try {
    await prepareOutputDir(outDir);
  } catch (e) {
    if (e instanceof OutputDirError) {
      io.stderr(e.message + '\n');
      return 2;
    }
    throw e;
  }

  // 1. the filled workbooks
  const files: CorrectionsFile[] = [];
  for (const path of args.corrections) {
    try {
      files.push(await readCorrections(path));
    } catch (e) {
      if (e instanceof CorrectionsFileError) {
        io.stderr(e.message + '\n');
        return 2;
      }
      throw e;
    }
  }
  const rows: CorrectionRow[] = files.flatMap((f) => f.rows);
  const before: BeforeVillage[] = files.flatMap((f) => f.before);
  const notes: string[] = [];
  for (const f of files) {
    log.info({ event: 'corrections_read', file: f.file, rows: f.rows.length, fingerprintColumn: f.hasFingerprint }, 'corrections read');
    if (!f.hasFingerprint && f.rows.length > 0) {
      const n = `“${f.file}”没有“指纹”列（可能被删除），按规则编号和村、户编号、证件号码、姓名、字段对应到问题；个别问题可能对应不准。`;
      notes.push(n);
      log.warn({ event: 'fingerprint_column_missing', file: f.file }, 'fingerprint column missing: matching by rule and entity key');
    }
    if (f.missingSeq.length > 0) {
      const shown = f.missingSeq.slice(0, 20).join('、') + (f.missingSeq.length > 20 ? ' 等' : '');
      notes.push(`“${f.file}”中缺少序号 ${shown} 的行（可能被删除）；这些问题如仍存在，列在“新发现问题”中。`);
      log.warn({ event: 'rows_missing', file: f.file, count: f.missingSeq.length }, 'rows deleted from the workbook');
    }
    if (f.unrecognisedResults > 0) {
      notes.push(`“${f.file}”有 ${f.unrecognisedResults} 行的核实结果不是下拉框中的选项（已修正 / 数据无误 / 无法核实），按未填写处理。`);
    }
  }

  // 2. explanations become accepted exceptions: earlier ones (--accepted) plus this round's
  const accepted = new Map<string, AcceptedInfo>();
  let prior: AcceptedEntry[] = [];
  if (args.accepted) {
    try {
      prior = await loadAcceptedEntries(args.accepted);
    } catch (e) {
      if (e instanceof AcceptedFileError) {
        io.stderr(e.message + '\n');
        return 2;
      }
      throw e;
    }
    for (const e of prior) accepted.set(e.fingerprint, { rule: e.rule, remark: e.remark, acceptedOn: e.acceptedOn });
  }
  for (const r of rows) {
    if (r.fingerprint && r.result === '数据无误' && r.remark) {
      accepted.set(r.fingerprint, { rule: r.rule, remark: r.remark, acceptedOn: r.verifiedOn && /^\d{4}-\d{2}-\d{2}$/.test(r.verifiedOn) ? r.verifiedOn : asOf });
    }
  }

  // 3. re-check the fresh export
  let result: CheckResult;
  try {
    result = await runCheck({ paths: args.paths, asOf, config, accepted, logger: io.logger });
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(e.message + '\n');
      return 2;
    }
    throw e;
  }
  if (result.nothingRead) {
    io.stderr('新导出的数据中没有读到任何数据行，无法核查：请检查输入路径和文件。\n');
    return 2;
  }

  // 4. judge
  const out = judge(rows, result.findings, scopeOf(rows, before));
  if (out.duplicates > 0) notes.push(`同一问题在多个台账行中出现 ${out.duplicates} 次，只计一次（以填写了核实结果的行为准）。`);
  const villages = villageVerification(out.rows, out.newFindings, before, result.summary.villages);

  const headName = new Map<string, string>();
  for (const h of result.indexes.households.values()) {
    const head = h.members.find((m) => (m.v as { relation?: string }).relation === '户主');
    const name = (head?.v as { name?: string } | undefined)?.name ?? (h.v as { headName?: string }).headName;
    if (name) headName.set(h.householdNo, name);
  }

  // 5. outputs
  const outputs = new OutputSet();
  let acceptedPath: string | undefined;
  try {
    const json = verificationJson(asOf, out.rows, villages, out.newFindings);
    await outputs.text(join(outDir, 'verification.json'), JSON.stringify(json, null, 2) + '\n');
    const workbookPath = join(outDir, '检验核查结果.xlsx');
    await outputs.file(workbookPath, (tmp) => writeVerifyWorkbook(tmp, {
      asOf,
      checkedAt: started.toISOString(),
      corrections: files.map((f) => f.file),
      sources: result.files.map((f) => f.file),
      rows: out.rows,
      villages,
      newFindings: out.newFindings,
      notes,
      headOf: (no) => headName.get(no),
    }));
    const explained: AcceptedEntry[] = [];
    for (const j of out.rows) {
      if (j.judgement !== '已说明' || !j.fingerprint) continue;
      const r = j.row;
      explained.push({
        fingerprint: j.fingerprint,
        rule: r.rule,
        remark: r.remark ?? '',
        acceptedOn: r.verifiedOn && /^\d{4}-\d{2}-\d{2}$/.test(r.verifiedOn) ? r.verifiedOn : asOf,
        village: r.village || undefined,
        household_no: r.householdNo || undefined,
        verifier: r.verifier || undefined,
        source: r.file,
      });
    }
    if (explained.length > 0 || prior.length > 0) {
      acceptedPath = join(outDir, 'accepted.json');
      const entries = [...prior, ...explained];
      await writeAccepted(acceptedPath, entries, outputs);
    }
    await outputs.commit();
  } catch (e) {
    await outputs.abort();
    throw e;
  }

  const counts = { 已整改: 0, 未整改: 0, 已说明: 0, 待核实: 0 };
  for (const j of out.rows) counts[j.judgement]++;
  log.info(
    { event: 'verify_done', rows: out.rows.length, ...counts, newFindings: out.newFindings.length, entityMatched: out.entityMatched },
    'verify finished',
  );
  if (args.json) {
    io.stdout(JSON.stringify({ asOf, out: outDir, rows: out.rows.length, judgements: counts, newFindings: out.newFindings.length, accepted: acceptedPath ?? null }) + '\n');
  } else {
    const total = out.rows.length;
    const done = counts['已整改'] + counts['已说明'];
    const lines = [
      `检验核查完成（数据截至 ${asOf}）`,
      `台账 ${files.length} 本共 ${total} 条：已整改 ${counts['已整改']} 条，已说明 ${counts['已说明']} 条，未整改 ${counts['未整改']} 条，待核实 ${counts['待核实']} 条；完成率 ${total ? ((done / total) * 100).toFixed(1) : '100.0'}%。`,
      `新发现问题 ${out.newFindings.length} 条（台账中没有的问题）。`,
      ...villages
        .filter((v) => v.findings > 0)
        .slice(0, 20)
        .map((v) => `  ${v.township}${v.village || '（未关联到村）'}：完成率 ${(v.completionRate * 100).toFixed(1)}%，得分 ${v.scoreBefore ?? '—'} → ${v.scoreAfter ?? '—'}`),
      ...notes.map((n) => '注意：' + n),
      `结果已写入 ${outDir}：检验核查结果.xlsx、verification.json${acceptedPath ? '、accepted.json（以后检查时用 --accepted 传入）' : ''}。`,
    ];
    io.stdout(lines.join('\n') + '\n');
  }
  if (result.failures.length > 0) {
    io.stderr(`内部错误：有 ${new Set(result.failures.map((f) => f.rule)).size} 条规则运行失败，核查结果不完整，详见日志。\n`);
    return 3;
  }
  return 0;
}
