// Per-township delivery: each township of a county gets its own 整改台账 holding only its rows (its
// own findings and those routed to it), under OUT/<date>/<县>/<乡镇>/. The workbooks are the check's
// (src/outputs/workbook.ts, routing.ts); they are written into a staging folder and renamed into
// place, so a killed run never leaves a half-written workbook under its final name.
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ResolvedFinding } from '../model.js';
import type { VillageSummary } from '../outputs/summary.js';
import { writeCorrectionWorkbooks, type Bucket, type RuleLegend } from '../outputs/workbook.js';
import type { SharedTownships } from './shared-townships.js';
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

/** What one inbox unit's townships get: its check's findings, villages and files. */
export interface UnitDelivery {
  asOf: string;
  /** the unit's findings, in the check's order */
  findings: ResolvedFinding[];
  /**
   * findings of other units that concern this unit's townships (a number registered in two county
   * folders): each goes only to the townships in its `routes`, its own township's 台账 being the
   * other unit's
   */
  elsewhere: ResolvedFinding[];
  /** summary.json's villages of the unit (households, people, score) */
  villages: VillageSummary[];
  /** display names of the unit's files */
  sources: string[];
  headOf(householdNo: string): string | undefined;
}

export async function deliverTownshipWorkbooks(opts: {
  unit: UnitDelivery;
  /** county name to use when the data names none (the inbox folder) */
  fallbackCounty: string;
  dateDir: string;
  stagingDir: string;
  checkedAt: string;
  rules: RuleLegend[];
  /** township folders other units deliver to as well: their buckets are held there, not written */
  shared: SharedTownships;
}): Promise<TownshipWorkbook[]> {
  const { unit, shared } = opts;
  // The check's writer makes one workbook per township of the county — a finding in its own
  // township's and in every township it is routed to (helpers, projects, files) — named
  // 整改台账_县_乡镇; each is then moved into its township's folder. A township another unit
  // delivers to as well is held back, to be written once with every unit's part (shared-townships.ts).
  await mkdir(opts.stagingDir, { recursive: true });
  const held: Bucket[] = [];
  /** each workbook's township, from its bucket (its file name may carry the writer's _2) */
  const placeOf = new Map<string, { county: string; township: string }>();
  const written = await writeCorrectionWorkbooks(
    {
      // the other units' findings after the unit's own: a workbook's order within a household stays
      findings: unit.elsewhere.length > 0 ? [...unit.findings, ...unit.elsewhere] : unit.findings,
      villages: unit.villages,
      asOf: unit.asOf,
      checkedAt: opts.checkedAt,
      sources: unit.sources,
      rules: opts.rules,
      headOf: (no) => unit.headOf(no),
      ...(unit.elsewhere.length > 0 ? { routedOnly: new Set(unit.elsewhere) } : {}),
    },
    opts.stagingDir,
    'township',
    undefined,
    {
      divert: (b) => {
        const isShared = b.township !== '' && shared.isShared(townshipDir(b.county || opts.fallbackCounty, b.township));
        if (isShared) held.push(b);
        return isShared;
      },
      named: (path, b) => placeOf.set(path, { county: b.county, township: b.township }),
    },
  );
  for (const b of held) {
    const heads: [string, string][] = [];
    for (const no of new Set(b.findings.flatMap((f) => (f.householdNo ? [f.householdNo] : [])))) {
      const head = unit.headOf(no);
      if (head !== undefined) heads.push([no, head]);
    }
    const countyLabel = b.county || opts.fallbackCounty;
    await shared.hold(townshipDir(countyLabel, b.township), {
      county: b.county,
      countyLabel,
      township: b.township,
      asOf: unit.asOf,
      findings: b.findings,
      villages: b.villages,
      sources: unit.sources,
      heads,
    });
  }
  pauseAt('delivery');
  const out: TownshipWorkbook[] = [];
  for (const p of written) {
    const name = basename(p);
    const place = placeOf.get(p) ?? { county: '', township: '' };
    const county = place.county || opts.fallbackCounty;
    const dir = townshipDir(county, place.township);
    const rel = shared.claim(`${dir}/${name}`);
    await mkdir(join(opts.dateDir, dir), { recursive: true });
    await rename(p, join(opts.dateDir, rel));
    out.push({ county, township: place.township, rel });
  }
  await rm(opts.stagingDir, { recursive: true, force: true });
  return out;
}

/** The writer's file name (without .xlsx) of a township's workbook: 整改台账_县_乡镇. */
function workbookBaseName(county: string, township: string): string {
  return ['整改台账', ...(county ? [safeNamePart(county)] : []), safeNamePart(township)].join('_');
}

/** The file name of a township's workbook: 整改台账_县_乡镇.xlsx (县 when the data names it). */
export function workbookFileName(county: string, township: string): string {
  return `${workbookBaseName(county, township)}.xlsx`;
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
