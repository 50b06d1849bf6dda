// The work of one check run, as the web page needs it (runs inside a worker thread, see worker.ts):
// runCheck over the uploaded files → the clerk's region applied → findings.jsonl, summary.json,
// result.json and the 台账 written into a temporary folder that is renamed to out/ only when
// complete, so a failed or killed check never leaves a half-written download.
import { rm, writeFile } from 'node:fs/promises';
import { publishDir, removeLeftovers, stagingDir } from '../../outputs/atomic.js';
import { basename, join } from 'node:path';
import { runCheck, type Progress } from '../../pipeline.js';
import { loadConfigFile } from '../../config.js';
import { RULES } from '../../../validators/index.js';
import { writeFindingsJsonl } from '../../outputs/findings.js';
import { writeCorrectionWorkbooks } from '../../outputs/workbook.js';
import { FAMILY_ZH, TABLE_ZH, type Family } from '../../model.js';
import { applyScope, workbookInScope, type RegionScope } from './scope.js';
import type { CheckResultPage, ResultFileSheet, RuleTally } from './result.js';
import { familyChart, villageChart } from './result-charts.js';
import type { RunTotals } from '../../store/runs.js';

export interface JobProgress {
  stage: string; // Chinese: 读取文件 / 交叉检查 / 写出台账
  filesDone: number;
  filesTotal: number;
  rowsRead: number;
  /** the file being read (checks read one file at a time, in the pipeline's order) */
  file?: string;
}

/** The order runCheck reads files in: sorted by display name, which is the base name here. */
export function readingOrder(paths: string[]): string[] {
  return paths.map((p) => basename(p)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface CheckJobInput {
  runDir: string;
  inputs: string[]; // absolute paths of the uploaded export files
  asOf: string;
  scope: RegionScope;
}

export const OUT_DIR = 'out';

/** Writes into <runDir>/a staging folder, then renames to <runDir>/out. Returns the run's totals. */
export async function runCheckJob(input: CheckJobInput, onProgress: (p: JobProgress) => void): Promise<RunTotals> {
  const final = join(input.runDir, OUT_DIR);
  // a job interrupted by a restart left its staging folder behind
  await removeLeftovers(input.runDir);
  const tmp = await stagingDir(input.runDir, OUT_DIR);
  const started = new Date();
  const order = readingOrder(input.inputs);
  let last: Progress = { filesDone: 0, filesTotal: input.inputs.length, rowsRead: 0 };
  let lastSent = 0;
  const result = await runCheck({
    paths: input.inputs,
    asOf: input.asOf,
    config: loadConfigFile(undefined, RULES),
    concurrency: 1, // several clerks share the machine: one file at a time per check
    onProgress: (p) => {
      last = p;
      const now = Date.now();
      if (now - lastSent < 200 && p.filesDone < p.filesTotal) return;
      lastSent = now;
      onProgress({ stage: p.filesDone < p.filesTotal ? '读取文件' : '交叉检查', ...p, file: order[p.filesDone] });
    },
  });
  onProgress({ stage: '写出台账', ...last });

  const scoped = applyScope(input.scope, result.findings, result.summary.villages);
  const headName = new Map<string, string>();
  for (const h of result.indexes.households.values()) {
    const head = h.members.find((m) => m.v.relation === '户主');
    const name = head?.v.name ?? h.v.headName;
    if (name) headName.set(h.householdNo, name);
  }
  await writeFindingsJsonl(join(tmp, 'findings.jsonl'), scoped.findings);
  const ruleLegend = RULES.map((r) => ({ id: r.id, family: r.family, severity: r.severity, title: r.title, explain: r.explain }));
  const workbooks = await writeCorrectionWorkbooks(
    {
      findings: scoped.findings,
      villages: scoped.villages,
      asOf: input.asOf,
      checkedAt: started.toISOString(),
      sources: result.files.map((f) => f.file),
      rules: ruleLegend,
      headOf: (no) => headName.get(no),
    },
    tmp,
    'township',
  );
  // a finding of another township routed to the clerk's still opens that township's workbook
  const offered: string[] = [];
  for (const w of workbooks) {
    if (workbookInScope(input.scope, basename(w))) offered.push(w);
    else await rm(w, { force: true });
  }

  const tally = new Map<string, RuleTally>();
  const byFamily = new Map<Family, { family: Family; error: number; suspect: number; info: number }>();
  const totals = { findings: scoped.findings.length, error: 0, suspect: 0, info: 0, households: 0, people: 0 };
  const explainOf = new Map(RULES.map((r) => [r.id, r.explain]));
  for (const f of scoped.findings) {
    totals[f.severity]++;
    let t = tally.get(f.rule);
    if (!t) tally.set(f.rule, (t = { rule: f.rule, family: f.family, title: f.title, explain: explainOf.get(f.rule) ?? '', error: 0, suspect: 0, info: 0, total: 0 }));
    t[f.severity]++;
    t.total++;
    let b = byFamily.get(f.family);
    if (!b) byFamily.set(f.family, (b = { family: f.family, error: 0, suspect: 0, info: 0 }));
    b[f.severity]++;
  }
  for (const v of scoped.villages) {
    totals.households += v.households;
    totals.people += v.people;
  }
  const files: ResultFileSheet[] = [];
  for (const a of result.files) {
    if (a.sheets.length === 0) files.push({ file: a.file, tables: [], dataRows: 0, rejectedRows: 0, readable: a.readable, error: a.error });
    for (const s of a.sheets) {
      files.push({ file: a.file, sheet: s.sheet, tables: s.tables.map((t) => TABLE_ZH[t]), dataRows: s.buckets.data, rejectedRows: s.buckets.rejected, readable: a.readable, error: a.error });
    }
  }
  const familyOrder = Object.keys(FAMILY_ZH) as Family[];
  const page: CheckResultPage = {
    asOf: input.asOf,
    scopeName: input.scope.name,
    villages: scoped.villages,
    byFamily: [...byFamily.values()].sort((a, b) => familyOrder.indexOf(a.family) - familyOrder.indexOf(b.family)),
    rules: [...tally.values()].sort((a, b) => b.total - a.total || a.rule.localeCompare(b.rule)),
    outOfScope: scoped.outOfScope,
    files,
    workbooks: offered.map((w) => w.slice(tmp.length + 1)),
    charts: { family: '', village: '' },
    totals,
  };
  page.charts = { family: familyChart(page), village: villageChart(page) };
  await writeFile(join(tmp, 'result.json'), JSON.stringify(page) + '\n');
  await writeFile(
    join(tmp, 'summary.json'),
    JSON.stringify({ ...result.summary, villages: scoped.villages, outOfScope: scoped.outOfScope, workbooks: page.workbooks }, null, 2) + '\n',
  );
  if (result.failures.length > 0) {
    throw new Error(`有 ${new Set(result.failures.map((f) => f.rule)).size} 条规则运行失败，结果不完整`);
  }
  await publishDir(tmp, final);
  return {
    ...totals,
    villages: scoped.villages.filter((v) => v.village).length,
    outOfScopeRows: scoped.outOfScope.reduce((s, o) => s + o.people + o.findings, 0),
  };
}
