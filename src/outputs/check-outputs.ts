// What `qingxi check` writes into its output folder: findings.jsonl, one 整改台账 per township (or
// village) and summary.json, staged and renamed into place together (SPEC §4).
import { join } from 'node:path';
import type { CheckOutcome } from '../pipeline.js';
import { RULES } from '../../validators/index.js';
import { writeFindingsJsonl } from './findings.js';
import { writeCorrectionWorkbooks } from './workbook.js';
import { OutputSet } from './atomic.js';

/** Findings from which the 整改台账 are written in two worker threads. */
const WORKBOOK_THREADS_FROM = 20_000;

export type WorkbookSplit = 'township' | 'village';

export interface CheckOutputOptions {
  outDir: string;
  split: WorkbookSplit;
  /** when the check started (the 台账's 检查时间) */
  startedAt: Date;
}

/**
 * Write a check's outputs. Adds the output time and the peak RSS to `result.summary.timings`; returns
 * the workbooks written, relative to the output folder.
 */
export async function writeCheckOutputs(result: CheckOutcome, opts: CheckOutputOptions): Promise<string[]> {
  const { outDir } = opts;
  const tOut = Date.now();
  const outputs = new OutputSet();
  try {
    await outputs.file(join(outDir, 'findings.jsonl'), (tmp) => writeFindingsJsonl(tmp, result.findings));
    const workbooks = await writeCorrectionWorkbooks(
      {
        findings: result.findings,
        villages: result.summary.villages,
        asOf: result.asOf,
        checkedAt: opts.startedAt.toISOString(),
        sources: result.files.map((f) => f.file),
        rules: RULES.map((r) => ({ id: r.id, family: r.family, severity: r.severity, title: r.title, explain: r.explain })),
        headOf: (no) => result.headOf(no),
      },
      outDir,
      opts.split,
      outputs,
      // a worker thread costs a few hundred ms to start: worth it for a county's or a province's findings
      { threads: result.findings.length >= WORKBOOK_THREADS_FROM ? 2 : 1 },
    );
    const timings = result.summary.timings ?? {};
    timings['outputsMs'] = Date.now() - tOut;
    timings['peakRssMiB'] = Math.round(process.resourceUsage().maxRSS / 1024);
    result.summary.timings = timings;
    const names = workbooks.map((w) => relName(outDir, w));
    const summary: Record<string, unknown> = { ...result.summary, workbooks: names };
    if (result.skippedOwnOutputs.length > 0) summary['skippedOwnOutputs'] = result.skippedOwnOutputs;
    await outputs.text(join(outDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
    await outputs.commit();
    return names;
  } catch (e) {
    await outputs.abort();
    throw e;
  }
}

function relName(dir: string, p: string): string {
  return p.startsWith(dir) ? p.slice(dir.length).replace(/^[\\/]+/, '') : p;
}
