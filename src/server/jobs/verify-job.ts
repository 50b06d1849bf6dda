// The work of one verify run (检验核查) inside a worker thread: filled 台账 + fresh export →
// 检验核查结果.xlsx, verification.json and result.json, written to out.tmp and renamed to out.
//
// ADAPTER: the verify library (runVerify) was not available on this branch when this was written;
// these steps call the same library functions as src/cli/verify.ts does (read the workbooks,
// re-check, judge, write) — no CLI is run. Replace with runVerify once it lands.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCheck } from '../../pipeline.js';
import { loadConfigFile } from '../../config.js';
import { RULES } from '../../../validators/index.js';
import { readCorrections, CorrectionsFileError, type CorrectionsFile } from '../../outputs/verify-read.js';
import { judge, scopeOf, verificationJson, villageVerification, type CorrectionRow, type BeforeVillage } from '../../outputs/verify.js';
import { writeVerifyWorkbook } from '../../outputs/verify-workbook.js';
import type { AcceptedInfo } from '../../outputs/accepted.js';
import type { RunTotals } from '../../store/runs.js';
import type { VerifyResultPage } from './result.js';
import { placeInScope, type RegionScope } from './scope.js';
import { OUT_DIR, type JobProgress } from './check-job.js';

export interface VerifyJobInput {
  runDir: string;
  corrections: { path: string; name: string }[];
  inputs: string[];
  asOf: string;
  scope: RegionScope;
}

export const VERIFY_WORKBOOK = '检验核查结果.xlsx';

/** A clerk-facing failure (bad workbook): the run is marked failed with this Chinese reason. */
export class JobInputError extends Error {}

export async function runVerifyJob(input: VerifyJobInput, onProgress: (p: JobProgress) => void): Promise<RunTotals> {
  const tmp = join(input.runDir, OUT_DIR + '.tmp');
  const final = join(input.runDir, OUT_DIR);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const started = new Date();
  onProgress({ stage: '读取整改台账', filesDone: 0, filesTotal: input.inputs.length, rowsRead: 0 });
  const files: CorrectionsFile[] = [];
  for (const c of input.corrections) {
    try {
      const f = await readCorrections(c.path);
      files.push({ ...f, file: c.name });
    } catch (e) {
      if (e instanceof CorrectionsFileError) throw new JobInputError(e.message.split(c.path).join(c.name));
      throw e;
    }
  }
  // a clerk verifies only rows of their own region
  const rows: CorrectionRow[] = files.flatMap((f) => f.rows).filter((r) => placeInScope(input.scope, r.county, r.township));
  const before: BeforeVillage[] = files.flatMap((f) => f.before).filter((b) => placeInScope(input.scope, b.county, b.township));
  const notes: string[] = [];
  for (const f of files) {
    if (!f.hasFingerprint && f.rows.length > 0) notes.push(`“${f.file}”没有“指纹”列，按规则编号和村、户编号、证件号码、姓名、字段对应到问题；个别问题可能对应不准。`);
    if (f.missingSeq.length > 0) notes.push(`“${f.file}”中缺少 ${f.missingSeq.length} 个序号的行（可能被删除）；这些问题如仍存在，列在“新发现问题”中。`);
    if (f.unrecognisedResults > 0) notes.push(`“${f.file}”有 ${f.unrecognisedResults} 行的核实结果不是下拉框中的选项，按未填写处理。`);
  }
  const accepted = new Map<string, AcceptedInfo>();
  for (const r of rows) {
    if (r.fingerprint && r.result === '数据无误' && r.remark) accepted.set(r.fingerprint, { rule: r.rule, remark: r.remark, acceptedOn: input.asOf });
  }
  const result = await runCheck({
    paths: input.inputs,
    asOf: input.asOf,
    config: loadConfigFile(undefined, RULES),
    accepted,
    concurrency: 1,
    onProgress: (p) => onProgress({ stage: p.filesDone < p.filesTotal ? '读取新导出数据' : '比对整改结果', ...p }),
  });
  if (result.nothingRead) throw new JobInputError('新导出的数据中没有读到任何数据行，无法核查：请检查上传的文件。');
  const fresh = result.findings.filter((f) => placeInScope(input.scope, f.region?.county, f.region?.township));
  const out = judge(rows, fresh, scopeOf(rows, before));
  if (out.duplicates > 0) notes.push(`同一问题在多个台账行中出现 ${out.duplicates} 次，只计一次。`);
  const villages = villageVerification(out.rows, out.newFindings, before, result.summary.villages);
  const headName = new Map<string, string>();
  for (const h of result.indexes.households.values()) {
    const head = h.members.find((m) => m.v.relation === '户主');
    const name = head?.v.name ?? h.v.headName;
    if (name) headName.set(h.householdNo, name);
  }
  onProgress({ stage: '写出核查结果', filesDone: input.inputs.length, filesTotal: input.inputs.length, rowsRead: 0 });
  const json = verificationJson(input.asOf, out.rows, villages, out.newFindings);
  await writeFile(join(tmp, 'verification.json'), JSON.stringify(json, null, 2) + '\n');
  await writeVerifyWorkbook(join(tmp, VERIFY_WORKBOOK), {
    asOf: input.asOf,
    checkedAt: started.toISOString(),
    corrections: files.map((f) => f.file),
    sources: result.files.map((f) => f.file),
    rows: out.rows,
    villages,
    newFindings: out.newFindings,
    notes,
    headOf: (no) => headName.get(no),
  });
  const counts = { 已整改: 0, 未整改: 0, 已说明: 0, 待核实: 0 };
  for (const j of out.rows) counts[j.judgement]++;
  const page: VerifyResultPage = {
    asOf: input.asOf,
    villages: villages.map((v) => ({
      township: v.township,
      village: v.village,
      findings: v.findings,
      fixed: v.fixed,
      explained: v.explained,
      open: v.open,
      completionRate: v.completionRate,
      scoreBefore: v.scoreBefore,
      scoreAfter: v.scoreAfter,
    })),
    counts,
    newFindings: out.newFindings.length,
    rows: json.rows.map((r) => ({ rule: r.rule, village: r.village ?? '', household_no: r.household_no ?? '', result: r.result, judgement: r.judgement })),
    notes,
    workbook: VERIFY_WORKBOOK,
  };
  await writeFile(join(tmp, 'result.json'), JSON.stringify(page) + '\n');
  await rm(final, { recursive: true, force: true });
  await rename(tmp, final);
  return {
    findings: out.rows.length,
    error: 0,
    suspect: 0,
    info: 0,
    households: 0,
    people: 0,
    villages: villages.length,
    fixed: counts['已整改'],
    explained: counts['已说明'],
    notFixed: counts['未整改'],
    pending: counts['待核实'],
    newFindings: out.newFindings.length,
  };
}
