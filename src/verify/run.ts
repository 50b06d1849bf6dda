// The 检验核查 pipeline as a library call (beside runCheck): filled 整改台账 workbooks + a fresh
// export → each row judged, per-village completion, new findings, accepted exceptions; optionally
// the 核查 workbook, verification.json and accepted.json written into a folder. The CLI and the web
// page only parse their input, call runVerify and present the result.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { ResolvedFinding } from '../model.js';
import { UsageError } from '../core/errors.js';
import { ISO_DATE_TEXT, localToday, tryParseAsOf } from '../core/as-of.js';
import { runCheck, type CheckResult, type Progress } from '../pipeline.js';
import { loadAcceptedEntries, writeAccepted, type AcceptedEntry, type AcceptedInfo } from '../outputs/accepted.js';
import { readCorrections, type CorrectionsFile } from './read-corrections.js';
import { DEFAULT_LIMITS } from '../ingest/limits.js';
import {
  judge,
  scopeOf,
  verificationJson,
  villageVerification,
  type BeforeVillage,
  type CorrectionRow,
  type JudgedRow,
  type Judgement,
  type VerificationJson,
  type VillageVerification,
} from '../outputs/verify.js';
import { writeVerifyWorkbook, type VerifyWorkbookInput } from '../outputs/verify-workbook.js';
import { headNameLookup } from '../outputs/head-names.js';
import { OutputSet, prepareOutputDir } from '../outputs/atomic.js';

export interface VerifyOptions {
  /** filled 整改台账 workbooks (.xlsx) */
  corrections: string[];
  /** the fresh export: files or folders */
  paths: string[];
  /**
   * as-of date YYYY-MM-DD. When absent: the 数据截止日期 written in the 台账 (all 台账 must agree,
   * else a UsageError), else config.asOf, else `today` (the caller's clock, default the machine's).
   */
  asOf?: string;
  config: Config;
  /** earlier accepted exceptions: a path of an accepted.json, or its entries */
  accepted?: string | readonly AcceptedEntry[];
  /** folder to write 检验核查结果.xlsx, verification.json and (when any) accepted.json into; nothing is written without it */
  out?: string;
  /** fallback as-of when neither option, 台账 nor config gives one */
  today?: string;
  logger?: Logger;
  onProgress?: (p: Progress) => void;
}

export type AsOfSource = 'option' | 'corrections' | 'config' | 'today';

export interface VerifyResult {
  asOf: string;
  /** where the as-of date came from */
  asOfSource: AsOfSource;
  /** the 台账 files read (display names) and what was found in them */
  corrections: { file: string; rows: number; asOf?: string }[];
  /** every 台账 row, judged once */
  rows: JudgedRow[];
  villages: VillageVerification[];
  newFindings: ResolvedFinding[];
  counts: Record<Judgement, number>;
  /** rows matched by rule + entity key because their fingerprint column was gone */
  entityMatched: number;
  /** accepted exceptions after this round: earlier ones plus this round's 已说明 rows */
  accepted: AcceptedEntry[];
  /** Chinese notes for the clerk (deleted rows, missing fingerprint column, …) */
  notes: string[];
  /** verification.json's content */
  json: VerificationJson;
  /** paths written (only with `out`) */
  written: { workbook?: string; json?: string; accepted?: string };
  /** the re-check of the fresh export (findings, files read, rule failures) */
  check: CheckResult;
}


/**
 * The as-of date of a verification: explicit, else the 台账's own 数据截止日期 (so the fresh export is
 * judged at the date the 台账 was made for, not at today's), else config, else today.
 * Throws UsageError when the 台账 disagree and no explicit date was given.
 */
export function resolveVerifyAsOf(
  explicit: string | undefined,
  files: readonly Pick<CorrectionsFile, 'file' | 'asOf'>[],
  configAsOf: string | undefined,
  today: string,
): { asOf: string; source: AsOfSource } {
  if (explicit) return { asOf: explicit, source: 'option' };
  const dates = new Map<string, string[]>();
  for (const f of files) {
    if (!f.asOf) continue;
    const l = dates.get(f.asOf) ?? [];
    l.push(f.file);
    dates.set(f.asOf, l);
  }
  if (dates.size > 1) {
    const list = [...dates.entries()].map(([d, fs]) => `${fs.map((f) => `“${f}”`).join('、')} 为 ${d}`).join('；');
    throw new UsageError(`整改台账的数据截止日期不一致：${list}。请分开核查，或用 --as-of 指定统一的核查日期。`);
  }
  if (dates.size === 1) return { asOf: [...dates.keys()][0]!, source: 'corrections' };
  if (configAsOf) return { asOf: configAsOf, source: 'config' };
  return { asOf: today, source: 'today' };
}

/**
 * Run a 检验核查. Throws UsageError (Chinese message: exit code 2 in the CLI) when an input is not
 * usable: an unreadable 台账 or accepted file, 台账 of different as-of dates, a missing export path,
 * or an export with no data row at all.
 */
export async function runVerify(opts: VerifyOptions): Promise<VerifyResult> {
  const log = opts.logger?.child({ command: 'verify' });
  const started = new Date();
  // the output folder is checked before anything is read (OutputDirError: bad usage)
  if (opts.out) await prepareOutputDir(opts.out);

  // 1. the filled workbooks
  const files: CorrectionsFile[] = [];
  for (const path of opts.corrections) files.push(await readCorrections(path, opts.config.limits ?? DEFAULT_LIMITS));
  const { asOf, source: asOfSource } = resolveVerifyAsOf(opts.asOf, files, opts.config.asOf, opts.today ?? localToday());
  if (!tryParseAsOf(asOf)) throw new UsageError(`核查日期“${asOf}”无效，应为 YYYY-MM-DD，例如 2020-04-30。`);
  log?.info({ event: 'verify_as_of', asOf, source: asOfSource }, 'as-of date');

  const rows: CorrectionRow[] = files.flatMap((f) => f.rows);
  const before: BeforeVillage[] = files.flatMap((f) => f.before);
  const notes = correctionsNotes(files, log);

  // 2. explanations become accepted exceptions: earlier ones plus this round's
  const prior = await priorAccepted(opts.accepted);
  const acceptedOnOf = (r: CorrectionRow) => (r.verifiedOn && ISO_DATE_TEXT.test(r.verifiedOn) ? r.verifiedOn : asOf);
  const accepted = new Map<string, AcceptedInfo>();
  for (const e of prior) accepted.set(e.fingerprint, { rule: e.rule, remark: e.remark, acceptedOn: e.acceptedOn });
  for (const r of rows) {
    if (r.fingerprint && r.result === '数据无误' && r.remark) accepted.set(r.fingerprint, { rule: r.rule, remark: r.remark, acceptedOn: acceptedOnOf(r) });
  }

  // 3. re-check the fresh export
  const check = await runCheck({ paths: opts.paths, asOf, config: opts.config, accepted, logger: opts.logger, onProgress: opts.onProgress });
  if (check.nothingRead) throw new UsageError(nothingReadMessage(check));

  // 4. judge
  const judged = judge(rows, check.findings, scopeOf(rows, before));
  if (judged.duplicates > 0) notes.push(`同一问题在多个台账行中出现 ${judged.duplicates} 次，只计一次（以填写了核实结果的行为准）。`);
  const villages = villageVerification(judged.rows, judged.newFindings, before, check.summary.villages);
  const explained = explainedEntries(judged.rows, acceptedOnOf);
  const mergedAccepted = new Map<string, AcceptedEntry>();
  for (const e of [...prior, ...explained]) mergedAccepted.set(e.fingerprint, e);
  const counts: Record<Judgement, number> = { 已整改: 0, 未整改: 0, 已说明: 0, 待核实: 0 };
  for (const j of judged.rows) counts[j.judgement]++;
  const json = verificationJson(asOf, judged.rows, villages, judged.newFindings);

  // 5. outputs
  const written = opts.out
    ? await writeVerifyOutputs(opts.out, {
        json,
        workbook: {
          asOf,
          checkedAt: started.toISOString(),
          corrections: files.map((f) => f.file),
          sources: check.files.map((f) => f.file),
          rows: judged.rows,
          villages,
          newFindings: judged.newFindings,
          notes,
          headOf: headNameLookup(check.indexes),
        },
        accepted: explained.length > 0 || prior.length > 0 ? [...prior, ...explained] : undefined,
      })
    : {};
  log?.info(
    { event: 'verify_done', rows: judged.rows.length, ...counts, newFindings: judged.newFindings.length, entityMatched: judged.entityMatched },
    'verify finished',
  );
  return {
    asOf,
    asOfSource,
    corrections: files.map((f) => ({ file: f.file, rows: f.rows.length, asOf: f.asOf })),
    rows: judged.rows,
    villages,
    newFindings: judged.newFindings,
    counts,
    entityMatched: judged.entityMatched,
    accepted: [...mergedAccepted.values()],
    notes,
    json,
    written,
    check,
  };
}

/** What the clerk should know about the 台账 as read: a missing 指纹 column, deleted rows, unknown results. */
function correctionsNotes(files: readonly CorrectionsFile[], log: Logger | undefined): string[] {
  const notes: string[] = [];
  for (const f of files) {
    log?.info({ event: 'corrections_read', file: f.file, rows: f.rows.length, fingerprintColumn: f.hasFingerprint }, 'corrections read');
    if (!f.hasFingerprint && f.rows.length > 0) {
      notes.push(`“${f.file}”没有“指纹”列（可能被删除），按规则编号和村、户编号、证件号码、姓名、字段对应到问题；个别问题可能对应不准。`);
      log?.warn({ event: 'fingerprint_column_missing', file: f.file }, 'fingerprint column missing: matching by rule and entity key');
    }
    if (f.missingSeq.length > 0) {
      const shown = f.missingSeq.slice(0, 20).join('、') + (f.missingSeq.length > 20 ? ' 等' : '');
      notes.push(`“${f.file}”中缺少序号 ${shown} 的行（可能被删除）；这些问题如仍存在，列在“新发现问题”中。`);
      log?.warn({ event: 'rows_missing', file: f.file, count: f.missingSeq.length }, 'rows deleted from the workbook');
    }
    if (f.unrecognisedResults > 0) {
      notes.push(`“${f.file}”有 ${f.unrecognisedResults} 行的核实结果不是下拉框中的选项（已修正 / 数据无误 / 无法核实），按未填写处理。`);
    }
  }
  return notes;
}

/** Earlier accepted exceptions: read from an accepted.json (AcceptedFileError is a UsageError) or given. */
async function priorAccepted(accepted: VerifyOptions['accepted']): Promise<AcceptedEntry[]> {
  if (typeof accepted === 'string') return loadAcceptedEntries(accepted);
  return accepted ? [...accepted] : [];
}

function nothingReadMessage(check: CheckResult): string {
  const unreadable = check.files.filter((f) => !f.readable).map((f) => f.file);
  return check.files.length === 0
    ? '新导出的数据中没有找到 .xlsx / .xls / .csv 文件，无法核查：请检查输入路径。'
    : `新导出的数据中没有读到任何数据行，无法核查${unreadable.length ? `（无法读取：${unreadable.slice(0, 10).join('、')}${unreadable.length > 10 ? ' 等' : ''}）` : ''}：请检查输入路径和文件。`;
}

/** This round's 已说明 rows as accepted.json entries. */
function explainedEntries(rows: readonly JudgedRow[], acceptedOnOf: (r: CorrectionRow) => string): AcceptedEntry[] {
  const explained: AcceptedEntry[] = [];
  for (const j of rows) {
    if (j.judgement !== '已说明' || !j.fingerprint) continue;
    const r = j.row;
    explained.push({
      fingerprint: j.fingerprint,
      rule: r.rule,
      remark: r.remark ?? '',
      acceptedOn: acceptedOnOf(r),
      village: r.village || undefined,
      household_no: r.householdNo || undefined,
      verifier: r.verifier || undefined,
      source: r.file,
    });
  }
  return explained;
}

/** verification.json, 检验核查结果.xlsx and (when given) accepted.json, staged and renamed into place together (SPEC §4). */
async function writeVerifyOutputs(
  outDir: string,
  content: { json: VerificationJson; workbook: VerifyWorkbookInput; accepted?: AcceptedEntry[] },
): Promise<VerifyResult['written']> {
  const written: VerifyResult['written'] = {};
  const outputs = new OutputSet();
  try {
    written.json = join(outDir, 'verification.json');
    await outputs.text(written.json, JSON.stringify(content.json, null, 2) + '\n');
    written.workbook = join(outDir, '检验核查结果.xlsx');
    await outputs.file(written.workbook, (tmp) => writeVerifyWorkbook(tmp, content.workbook));
    if (content.accepted) {
      written.accepted = join(outDir, 'accepted.json');
      await writeAccepted(written.accepted, content.accepted, outputs);
    }
    await outputs.commit();
  } catch (e) {
    await outputs.abort();
    throw e;
  }
  return written;
}
