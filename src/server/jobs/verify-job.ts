// The work of one verify run (检验核查) inside a worker thread: the verify library (runVerify) over
// the filled 台账 and the fresh export, writing 检验核查结果.xlsx and verification.json into a staging folder,
// plus result.json for the page; a staging folder is renamed to out only when complete.
import { writeFile } from 'node:fs/promises';
import { publishDir, removeLeftovers, stagingDir } from '../../outputs/atomic.js';
import { join } from 'node:path';
import { UsageError } from '../../pipeline.js';
import { loadConfigFile } from '../../config.js';
import { RULES } from '../../../validators/index.js';
import { runVerify } from '../../verify/run.js';
import type { RunTotals } from '../../store/runs.js';
import type { VerifyResultPage } from './result.js';
import { verifyChart } from './result-charts.js';
import { placeInScope, type RegionScope } from './scope.js';
import { OUT_DIR, readingOrder, type JobProgress } from './check-job.js';

export interface VerifyJobInput {
  runDir: string;
  corrections: { path: string; name: string }[];
  inputs: string[];
  /** empty: the 数据截止日期 written in the 台账 */
  asOf?: string;
  scope: RegionScope;
  today: string;
}

export const VERIFY_WORKBOOK = '检验核查结果.xlsx';

/** A clerk-facing failure (unusable workbook or export): the run is marked failed with this Chinese reason. */
export class JobInputError extends Error {}

export async function runVerifyJob(input: VerifyJobInput, onProgress: (p: JobProgress) => void): Promise<RunTotals & { asOf: string }> {
  const final = join(input.runDir, OUT_DIR);
  // a job interrupted by a restart left its staging folder behind
  await removeLeftovers(input.runDir);
  const tmp = await stagingDir(input.runDir, OUT_DIR);
  onProgress({ stage: '读取整改台账', filesDone: 0, filesTotal: input.inputs.length, rowsRead: 0 });
  const order = readingOrder(input.inputs);
  let result;
  try {
    result = await runVerify({
      corrections: input.corrections.map((c) => c.path),
      paths: input.inputs,
      asOf: input.asOf || undefined,
      today: input.today,
      config: loadConfigFile(undefined, RULES),
      out: tmp,
      onProgress: (p) => onProgress({ stage: p.filesDone < p.filesTotal ? '读取新导出数据' : '比对整改结果', ...p, file: order[p.filesDone] }),
    });
  } catch (e) {
    if (e instanceof UsageError) throw new JobInputError(e.message);
    throw e;
  }
  // a clerk verifies only their own region's 台账 (the check page leaves other townships out of it)
  const foreign = result.rows.filter((j) => !placeInScope(input.scope, j.row.county, j.row.township));
  if (foreign.length > 0) {
    const places = [...new Set(foreign.map((j) => `${j.row.county ?? ''}${j.row.township ?? ''}`))].slice(0, 5).join('、');
    throw new JobInputError(`整改台账中有 ${foreign.length} 行属于其他地区（${places}），只能核查本地区（${input.scope.name}）的台账。`);
  }
  const c = result.counts;
  const page: VerifyResultPage = {
    asOf: result.asOf,
    villages: result.villages,
    counts: c,
    newFindings: result.newFindings.length,
    rows: result.json.rows.map((r) => ({ rule: r.rule, village: r.village ?? '', household_no: r.household_no ?? '', result: r.result, judgement: r.judgement })),
    notes: result.notes,
    workbook: VERIFY_WORKBOOK,
    chart: '',
  };
  page.chart = verifyChart(page);
  await writeFile(join(tmp, 'result.json'), JSON.stringify(page) + '\n');
  await publishDir(tmp, final);
  return {
    asOf: result.asOf,
    findings: result.rows.length,
    error: 0,
    suspect: 0,
    info: 0,
    households: 0,
    people: 0,
    villages: result.villages.length,
    fixed: c['已整改'],
    explained: c['已说明'],
    notFixed: c['未整改'],
    pending: c['待核实'],
    newFindings: result.newFindings.length,
  };
}
