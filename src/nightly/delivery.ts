// Per-township delivery: each township of a county gets its own 整改台账 holding only its rows,
// under OUT/<date>/<县>/<乡镇>/. The workbook itself is the check's (src/outputs/workbook.ts); it is
// written into a staging folder and renamed into place, so a killed run never leaves a half-written
// workbook under its final name.
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResolvedFinding } from '../model.js';
import type { CheckResult } from '../pipeline.js';
import { writeCorrectionWorkbooks, regionOf, type RuleLegend } from '../outputs/workbook.js';
import { safeNamePart } from '../outputs/xlsx-text.js';
import { pauseAt } from './pause.js';

export const NO_TOWNSHIP_DIR = '未注明乡镇';

export interface TownshipWorkbook {
  county: string;
  township: string;
  /** path relative to the date folder, '/' separated */
  rel: string;
}

/** The folder of a township's workbook, relative to OUT/<date>. */
export function townshipDir(countyLabel: string, township: string): string {
  return `${safeNamePart(countyLabel)}/${township ? safeNamePart(township) : NO_TOWNSHIP_DIR}`;
}

export async function deliverTownshipWorkbooks(opts: {
  result: CheckResult;
  /** county name to use when the data names none (the inbox folder) */
  fallbackCounty: string;
  dateDir: string;
  stagingDir: string;
  checkedAt: string;
  rules: RuleLegend[];
}): Promise<TownshipWorkbook[]> {
  const { result } = opts;
  const headName = new Map<string, string>();
  for (const h of result.indexes.households.values()) {
    const head = h.members.find((m) => m.v.relation === '户主');
    const name = head?.v.name ?? h.v.headName;
    if (name) headName.set(h.householdNo, name);
  }
  // group findings and village summaries by township
  const groups = new Map<string, { county: string; township: string; findings: ResolvedFinding[] }>();
  const group = (county: string, township: string) => {
    const k = county + '\u001f' + township;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { county, township, findings: [] }));
    return g;
  };
  for (const v of result.summary.villages) if (v.households > 0) group(v.county ?? '', v.township ?? '');
  for (const f of result.findings) {
    const r = regionOf(f);
    group(r.county, r.township).findings.push(f);
  }
  const out: TownshipWorkbook[] = [];
  for (const g of [...groups.values()].sort((a, b) => (a.county + a.township < b.county + b.township ? -1 : 1))) {
    const stage = join(opts.stagingDir, String(out.length));
    await mkdir(stage, { recursive: true });
    const written = await writeCorrectionWorkbooks(
      {
        findings: g.findings,
        villages: result.summary.villages.filter((v) => (v.county ?? '') === g.county && (v.township ?? '') === g.township),
        asOf: result.asOf,
        checkedAt: opts.checkedAt,
        sources: result.files.map((f) => f.file),
        rules: opts.rules,
        headOf: (no) => headName.get(no),
      },
      stage,
      'township',
    );
    pauseAt('delivery');
    const dir = townshipDir(g.county || opts.fallbackCounty, g.township);
    await mkdir(join(opts.dateDir, dir), { recursive: true });
    for (const p of written) {
      const name = p.slice(stage.length + 1);
      await rename(p, join(opts.dateDir, dir, name));
      out.push({ county: g.county || opts.fallbackCounty, township: g.township, rel: `${dir}/${name}` });
    }
    await rm(stage, { recursive: true, force: true });
  }
  return out;
}

/** 整改台账 files under dateDir not written by this run (a re-run with fewer townships): removed. */
export async function removeStaleWorkbooks(dateDir: string, keep: ReadonlySet<string>): Promise<string[]> {
  const removed: string[] = [];
  const visit = async (dir: string, rel: string) => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await visit(join(dir, e.name), r);
      else if (rel && e.name.startsWith('整改台账') && e.name.endsWith('.xlsx') && !keep.has(r)) {
        await rm(join(dir, e.name), { force: true });
        removed.push(r);
      }
    }
  };
  await visit(dateDir, '');
  return removed;
}
