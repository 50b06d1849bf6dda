// Which 整改台账 a finding goes to (SPEC §4). A finding on a person or household goes to its own
// township (village). Findings on helpers, resident cadres, projects, beneficiaries and files
// often carry no township of their own: they go to every township they concern — a helper's: the
// townships of the households paired with that helper; a project's: its own village's township,
// else its beneficiaries' townships; a beneficiary row's: its household's, else its project's; a
// file's or a whole column's (FILE-*, "no such column"), and as a last resort any finding's: the
// townships of the rows read from that file (and sheet), i.e. the export it came from. Only a finding concerning no
// township at all goes to 未注明乡镇, with the reason why.
import type { Loc, Region, ResolvedFinding } from '../model.js';
import type { Indexes } from '../engine/indexes.js';

export interface Routed {
  /** the regions (county + township + village) whose 台账 carry the finding besides its own */
  routes: Region[];
  /** Chinese reason when the finding concerns no township at all */
  unrouted?: string;
}

const SEP = '\u001f';

function key(r: Region): string {
  return [r.county ?? '', r.township ?? '', r.village ?? ''].join(SEP);
}

function regionPart(r: Region | undefined): Region | undefined {
  if (!r?.township) return undefined;
  const out: Region = { township: r.township };
  if (r.county) out.county = r.county;
  if (r.village) out.village = r.village;
  return out;
}

/**
 * The distinct townships (villages) of something, in key order when read. Built from every row of
 * a run (a file's townships: one add per member row), so an add of the place just added — rows
 * come sorted by household and village — compares three strings and allocates nothing.
 */
class RegionSet {
  // most sets (a helper's, a project's) hold one place: it is kept as is, a map made for a second
  private onlyKey: string | undefined;
  private only: Region | undefined;
  private map: Map<string, Region> | undefined;
  private lastCounty: string | undefined;
  private lastTownship: string | undefined;
  private lastVillage: string | undefined;
  add(r: Region | undefined): void {
    if (!r?.township) return;
    if (r.township === this.lastTownship && r.village === this.lastVillage && r.county === this.lastCounty) return;
    this.lastCounty = r.county;
    this.lastTownship = r.township;
    this.lastVillage = r.village;
    this.put(key(r), r);
  }
  private put(k: string, r: Region): void {
    if (this.map) {
      if (!this.map.has(k)) this.map.set(k, regionPart(r)!);
    } else if (this.onlyKey === undefined) {
      this.onlyKey = k;
      this.only = regionPart(r)!;
    } else if (this.onlyKey !== k) {
      this.map = new Map([
        [this.onlyKey, this.only!],
        [k, regionPart(r)!],
      ]);
    }
  }
  addAll(rs: Iterable<Region> | undefined): void {
    if (rs) for (const r of rs) this.add(r);
  }
  /** Adds every place of `other` (unsorted: the order of reading is by key anyway). */
  merge(other: RegionSet): void {
    if (other.map) for (const [k, r] of other.map) this.put(k, r);
    else if (other.onlyKey !== undefined) this.put(other.onlyKey, other.only!);
  }
  get size(): number {
    return this.map ? this.map.size : this.onlyKey === undefined ? 0 : 1;
  }
  values(): Region[] {
    if (!this.map) return this.onlyKey === undefined ? [] : [this.only!];
    const map = this.map;
    return [...map.keys()].sort().map((k) => map.get(k)!);
  }
}

/** ID text as a join key (IdValue.text is normalised already: half-width, upper-case X). */
function idKeyOf(text: string | undefined): string {
  if (text === undefined) return '';
  return isJoinReady(text) ? text : text.replace(/\s+/g, '').toUpperCase();
}

/**
 * Printable ASCII without lower-case letters: no space to drop, nothing to upper-case — the text
 * is its own key (almost every ID), and the regex and the copies are skipped.
 */
function isJoinReady(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || (c >= 0x61 && c <= 0x7a)) return false;
  }
  return true;
}

/** A file's (and a file and sheet's) townships, with the helpers' and projects' sets merged in. */
class FileRegions {
  readonly all = new RegionSet();
  /** sets merged already: a helper listed on many rows of one file is merged once */
  private readonly merged = new Set<RegionSet>();
  merge(set: RegionSet): void {
    if (this.merged.has(set)) return;
    this.merged.add(set);
    this.all.merge(set);
  }
}

const fileKey = (file: string, sheet?: string): string => file + SEP + (sheet ?? '');

/** Lookup tables from the indexes, built once per run. */
export class Router {
  private readonly households: Indexes['households'];
  private readonly helperRegions = new Map<string, RegionSet>();
  private readonly projectRegions = new Map<string, RegionSet>();
  /** by file + SEP + sheet, and by file + SEP alone */
  private readonly fileRegions = new Map<string, FileRegions>();

  constructor(ix: Indexes) {
    this.households = ix.households;
    // pairing and beneficiary exports list a household's rows together: the row before's answer
    // is reused for the same number (a string compare instead of a hash lookup per row)
    let lastNo: string | undefined;
    let lastRegion: Region | undefined;
    const regionOfHousehold = (no: string | undefined, headId: string | undefined): Region | undefined => {
      if (no) {
        if (no !== lastNo) {
          lastNo = no;
          lastRegion = this.householdRegion(no);
        }
        return lastRegion;
      }
      const list = headId ? ix.householdsByHeadId.get(idKeyOf(headId)) : undefined;
      return list?.length ? this.householdRegion([...list].sort()[0]!) : undefined;
    };
    const addTo = (m: Map<string, RegionSet>, k: string, r: Region | undefined) => {
      if (!k || !r?.township) return;
      let s = m.get(k);
      if (!s) m.set(k, (s = new RegionSet()));
      s.add(r);
    };
    /** a helper's place, keyed by the ID: the key made only for a place with a township */
    const addHelper = (idText: string | undefined, r: Region | undefined) => {
      if (r?.township && idText) addTo(this.helperRegions, idKeyOf(idText), r);
    };
    // a file's townships: those of the records its rows name (a helpers or projects sheet without
    // region columns gets the townships of the helpers' households or the projects' beneficiaries).
    // Rows of one file and sheet come together: the two entries of the row before are reused.
    let lastFile: string | undefined;
    let lastSheet: string | undefined;
    let bySheet: FileRegions | undefined;
    let byFileOnly: FileRegions | undefined;
    const entriesOf = (at: Loc): void => {
      if (bySheet && at.file === lastFile && at.sheet === lastSheet) return;
      lastFile = at.file;
      lastSheet = at.sheet;
      bySheet = this.fileEntry(fileKey(at.file, at.sheet));
      byFileOnly = this.fileEntry(fileKey(at.file));
    };
    const byFile = (at: Loc, r: Region | undefined) => {
      if (!r?.township) return;
      entriesOf(at);
      bySheet!.all.add(r);
      byFileOnly!.all.add(r);
    };
    /** a helper's or project's townships when it has any, else the row's own */
    const byFileSet = (at: Loc, set: RegionSet | undefined, own: Region) => {
      if (!set) return byFile(at, own);
      entriesOf(at);
      bySheet!.merge(set);
      byFileOnly!.merge(set);
    };

    // a pairing's household place serves its helper and its file: looked up once
    for (const p of ix.pairings) {
      const r = regionOfHousehold(p.v.householdNo, p.v.headId?.text) ?? p.v;
      addHelper(p.v.helperId?.text, r);
      byFile(p.at, r);
    }
    // the helper rows' keys serve twice (their places, then their files' townships)
    const helperKeys = ix.helpers.map((h) => idKeyOf(h.v.helperId?.text));
    ix.helpers.forEach((h, i) => addTo(this.helperRegions, helperKeys[i]!, h.v));
    for (const r of ix.residencies) addHelper(r.v.idNumber?.text, r.v);
    const ownProject = new Set<string>();
    for (const p of ix.projects) {
      if (p.v.projectNo && p.v.township) {
        addTo(this.projectRegions, p.v.projectNo, p.v);
        ownProject.add(p.v.projectNo);
      }
    }
    for (const b of ix.beneficiaries) {
      const r = regionOfHousehold(b.v.householdNo, b.v.headId?.text) ?? b.v;
      const no = b.v.projectNo;
      if (no && !ownProject.has(no)) addTo(this.projectRegions, no, r);
      byFile(b.at, r);
    }

    // member rows in reading order, a household's rows together: its place looked up once per run
    // of rows (regionOfHousehold), not once per row
    for (const m of ix.members) byFile(m.at, (m.v.householdNo ? regionOfHousehold(m.v.householdNo, undefined) : undefined) ?? m.v);
    for (const h of ix.households.values()) for (const r of h.householdRows) byFile(r.at, h.region);
    ix.helpers.forEach((h, i) => byFileSet(h.at, this.helperRegions.get(helperKeys[i]!), h.v));
    for (const r of ix.residencies) byFile(r.at, r.v);
    for (const p of ix.projects) byFileSet(p.at, this.projectRegions.get(p.v.projectNo ?? ''), p.v);
    for (const v of ix.villages) byFile(v.at, v.v);
  }

  /** A household's region when it has a township (the index's records, not a copy per run). */
  private householdRegion(no: string): Region | undefined {
    const region = this.households.get(no)?.region;
    return region?.township ? region : undefined;
  }

  private fileEntry(k: string): FileRegions {
    let e = this.fileRegions.get(k);
    if (!e) this.fileRegions.set(k, (e = new FileRegions()));
    return e;
  }

  /** The extra places of one finding, and why it has none when so. */
  route(f: ResolvedFinding): Routed {
    const own = regionPart(f.region);
    const set = new RegionSet();
    const isFile = f.rule.startsWith('FILE-');
    const byFile = () => {
      if (f.at?.file) set.addAll((this.fileRegions.get(fileKey(f.at.file, f.at.sheet)) ?? this.fileRegions.get(fileKey(f.at.file)))?.all.values());
    };
    if (isFile) byFile();
    // a household's finding without a township of its own: the household's (merged) township
    if (f.householdNo && !own) set.add(this.householdRegion(f.householdNo));
    const helperEntity = f.helperId && !f.householdNo;
    if (helperEntity) set.addAll(this.helperRegions.get(idKeyOf(f.helperId))?.values());
    if (f.rule === 'PAIR-07') for (const no of f.related ?? []) set.add(this.householdRegion(no));
    if (f.projectNo && (!f.householdNo || !this.householdRegion(f.householdNo))) set.addAll(this.projectRegions.get(f.projectNo)?.values());
    // a pairing naming an unknown household (PAIR-08): the helper's townships
    if (!own && set.size === 0 && f.helperId) set.addAll(this.helperRegions.get(idKeyOf(f.helperId))?.values());
    // a finding about a whole sheet or column (BASE-01 "no such column", …), and as a last resort
    // any other (a helper paired with nobody, a project without place or beneficiaries): the
    // townships of the rows of its file and sheet — the export it came from
    if (!own && set.size === 0) byFile();
    const routes = set.values().filter((r) => !own || key(r) !== key(own));
    if (own || routes.length > 0) return { routes };
    let unrouted: string;
    if (isFile) unrouted = '文件无法读取或没有读到带乡镇的数据行';
    else if (helperEntity) unrouted = '帮扶责任人（驻村干部）没有结对有乡镇信息的户，本人记录和所在文件也没有乡镇';
    else if (f.projectNo) unrouted = '项目没有填写建设地点（乡镇、村），受益户和所在文件也没有乡镇信息';
    else if (f.householdNo) unrouted = '户编号在成员和贫困户表中都找不到，或该户没有填写乡镇';
    else unrouted = '记录没有填写乡镇';
    return { routes: [], unrouted };
  }
}

/** Attach routes (and reasons) to findings in place; returns the findings. */
export function routeFindings(findings: ResolvedFinding[], ix: Indexes): ResolvedFinding[] {
  const router = new Router(ix);
  for (const f of findings) {
    const r = router.route(f);
    if (r.routes.length > 0) f.routes = r.routes;
    if (r.unrouted) f.unrouted = r.unrouted;
  }
  return findings;
}
