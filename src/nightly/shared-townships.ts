// A township folder that more than one inbox unit delivers to: loose files in the inbox root, or a
// second county folder (a late delivery), whose rows name a township of a county folder. The clerk
// gets one 整改台账 in the folder with every unit's findings for the township — not one workbook per
// unit, each overwriting the one before. The nightly holds no unit's findings past its delivery:
// each unit's part of a shared township (the bucket the check's writer made for it) waits packed on
// disk until the last unit naming the township is delivered; then the parts are written as one
// workbook, in unit order (the inbox's), so the result does not depend on which unit finished first.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import type { ResolvedFinding } from '../model.js';
import type { CountyTownship } from '../bycounty/county-check.js';
import { regionOf, writeBucketWorkbook, type Bucket, type RuleLegend, type VillageSummary } from '../outputs/workbook.js';
import { villageScore, type HouseholdDefects } from '../outputs/score.js';
import { emptyVillage } from '../outputs/summary.js';
import { townshipDir, workbookFileName, type TownshipWorkbook } from './delivery.js';

/** One unit's part of a shared township's workbook. */
export interface SharedPart {
  /** the county as the data names it ('' when it names none) */
  county: string;
  /** the county as the report shows it (the data's, else the unit's folder) */
  countyLabel: string;
  township: string;
  asOf: string;
  findings: ResolvedFinding[];
  villages: VillageSummary[];
  /** the unit's files */
  sources: string[];
  /** 户主 names of the households its findings name */
  heads: [string, string][];
}

/** What every unit names before any is delivered: its townships, and its folder for a county the data does not name. */
export interface UnitTownships {
  fallbackCounty: string;
  townships: readonly CountyTownship[];
}

export class SharedTownships {
  /** township folder (relative to the date folder) → the last unit delivering to it, for folders of two units or more */
  private readonly lastUnit = new Map<string, number>();
  /** township folder → how many parts wait on disk (numbered in the order held: unit order) */
  private readonly held = new Map<string, number>();
  /** township folder → its number, naming its parts' folder */
  private readonly slot = new Map<string, number>();
  /** every workbook delivered tonight (relative to the date folder) */
  private readonly delivered = new Set<string>();

  constructor(
    /** where the parts wait (inside the run's staging folder) */
    private readonly dir: string,
    units: readonly UnitTownships[],
  ) {
    const claims = new Map<string, Set<number>>();
    units.forEach((u, i) => {
      for (const t of u.townships) {
        const d = townshipDir(t.county || u.fallbackCounty, t.township);
        let s = claims.get(d);
        if (!s) claims.set(d, (s = new Set()));
        s.add(i);
      }
    });
    for (const [d, s] of claims) if (s.size > 1) this.lastUnit.set(d, Math.max(...s));
  }

  /** Township folders that more than one unit delivers to. */
  get folders(): string[] {
    return [...this.lastUnit.keys()];
  }

  /** Whether a township folder is delivered to by more than one unit: its buckets are held, not written. */
  isShared(townshipFolder: string): boolean {
    return this.lastUnit.has(townshipFolder);
  }

  /** Keeps a unit's part of a shared township folder on disk until the last of its units is delivered. */
  async hold(townshipFolder: string, part: SharedPart): Promise<void> {
    let slot = this.slot.get(townshipFolder);
    if (slot === undefined) this.slot.set(townshipFolder, (slot = this.slot.size));
    const parts = this.held.get(townshipFolder) ?? 0;
    const dir = join(this.dir, String(slot));
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${parts}.part`), deflateRawSync(serialize(part), { level: constants.Z_BEST_SPEED }));
    this.held.set(townshipFolder, parts + 1);
  }

  /**
   * Claims a workbook's path for this run. A path already delivered by another unit (a township
   * folder the units' lists did not show as shared) gets the next free `_2`, `_3` … name instead of
   * replacing that workbook.
   */
  claim(rel: string): string {
    let out = rel;
    for (let n = 2; this.delivered.has(out); n++) out = rel.replace(/\.xlsx$/i, `_${n}.xlsx`);
    this.delivered.add(out);
    return out;
  }

  /**
   * After unit `unit` is delivered: the shared township folders whose last unit it is get their
   * one workbook, the parts in unit order, a finding reported by two units (the same fingerprint)
   * listed once.
   */
  async deliverDue(unit: number, opts: { dateDir: string; checkedAt: string; rules: RuleLegend[] }): Promise<TownshipWorkbook[]> {
    const out: TownshipWorkbook[] = [];
    for (const [folder, last] of this.lastUnit) {
      if (last !== unit) continue;
      const count = this.held.get(folder);
      if (!count) continue; // no unit had anything to deliver there after all
      const slotDir = join(this.dir, String(this.slot.get(folder)));
      const parts: SharedPart[] = [];
      for (let k = 0; k < count; k++) parts.push(deserialize(inflateRawSync(await readFile(join(slotDir, `${k}.part`)))) as SharedPart);
      const named = parts.find((p) => p.county) ?? parts[0]!;
      const seen = new Set<string>();
      const findings: ResolvedFinding[] = [];
      for (const p of parts) {
        for (const f of p.findings) {
          if (seen.has(f.fingerprint)) continue;
          seen.add(f.fingerprint);
          findings.push(f);
        }
      }
      const bucket: Bucket = {
        key: folder,
        county: named.county,
        township: named.township,
        village: '',
        byVillage: false,
        findings,
        villages: mergeVillages(parts, findings),
      };
      const heads = new Map(parts.flatMap((p) => p.heads));
      const name = workbookFileName(named.county, named.township);
      const tmp = join(slotDir, name);
      await writeBucketWorkbook(tmp, bucket, {
        villages: [],
        asOf: named.asOf,
        checkedAt: opts.checkedAt,
        sources: [...new Set(parts.flatMap((p) => p.sources))],
        rules: opts.rules,
        headOf: (no) => heads.get(no),
      });
      const rel = this.claim(`${folder}/${name}`);
      await mkdir(join(opts.dateDir, folder), { recursive: true });
      await rename(tmp, join(opts.dateDir, rel));
      await rm(slotDir, { recursive: true, force: true });
      this.held.delete(folder);
      out.push({ county: named.countyLabel, township: named.township, rel });
    }
    return out;
  }
}

/**
 * One 汇总 line per village of a shared township. A village only one unit names keeps that unit's
 * line. A village several units name (a late delivery of more households, loose files about the
 * same village) adds up the units' households and people, as the night's report does (each unit
 * counts the households of its own files; the same household delivered twice is an ID-08 for the
 * clerk to settle), and its findings are counted again from the workbook's, each listed once, by
 * the finding's own village, with the score and the households with errors from them.
 */
export function mergeVillages(parts: readonly SharedPart[], findings: readonly ResolvedFinding[]): VillageSummary[] {
  const byName = new Map<string, VillageSummary[]>();
  for (const p of parts) {
    for (const v of p.villages) {
      const name = v.village ?? '';
      const list = byName.get(name);
      if (list) list.push(v);
      else byName.set(name, [v]);
    }
  }
  const out: VillageSummary[] = [];
  for (const [name, lines] of byName) {
    if (lines.length === 1) {
      out.push(lines[0]!);
      continue;
    }
    const first = lines[0]!;
    let monitored: Record<string, number> | undefined;
    for (const l of lines) {
      for (const [k, n] of Object.entries(l.monitored ?? {})) (monitored ??= {})[k] = (monitored[k] ?? 0) + n;
    }
    const v = emptyVillage(lines.find((l) => l.county)?.county ?? first.county, first.township, first.village);
    v.households = lines.reduce((n, l) => n + l.households, 0);
    v.people = lines.reduce((n, l) => n + l.people, 0);
    if (monitored) v.monitored = monitored;
    const defects = new Map<string, HouseholdDefects>();
    for (const f of findings) {
      if (regionOf(f).village !== name) continue;
      // a finding without a village counts for the unnamed village only when it is a household's
      if (name === '' && !f.householdNo) continue;
      v.findings++;
      if (f.severity === 'error') v.errors++;
      else if (f.severity === 'suspect') v.suspects++;
      else v.infos++;
      v.byFamily[f.family] = (v.byFamily[f.family] ?? 0) + 1;
      if (!f.householdNo || f.severity === 'info') continue;
      const d = defects.get(f.householdNo) ?? { errors: 0, suspects: 0 };
      if (f.severity === 'error') d.errors++;
      else d.suspects++;
      defects.set(f.householdNo, d);
    }
    v.householdsWithErrors = [...defects.values()].filter((d) => d.errors > 0).length;
    v.score = villageScore(v.households, defects.values());
    out.push(v);
  }
  return out;
}
