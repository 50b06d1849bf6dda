// Indexes built during the read, for the cross-record rules. They hold normalised rows per table
// and the merged household records (household-level fields may sit on every member row, on the
// 户主 row only, or in a households table: SPEC §2.1 "(hh)").
//
// Scale note: a township (≤ 80,000 people) fits easily. A province (~10 M people) should be run
// per county file set; compact typed-array indexes are the planned next step (see
// docs/architecture.md).
import type { Loc, NormalRow, Region, TableKind } from '../model.js';
import type {
  BeneficiaryRow,
  HelperRow,
  HouseholdFields,
  HouseholdRow,
  MemberRow,
  PairingRow,
  ProjectRow,
  ResidencyRow,
  VillageRow,
} from '../schema/rows.js';
import { HOUSEHOLD_SIGNATURE_KEYS } from '../schema/tables.js';
import { sameValue, regionOf } from '../core/values.js';
import { FAST_KEY_LIMIT, compactObject } from '../core/compact.js';

export type HouseholdKey = keyof HouseholdFields;

/** Source ranks for a household-level value: a households table beats the 户主 row beats others. */
const RANK_TABLE = 0;
const RANK_HEAD = 1;
const RANK_MEMBER = 2;
/** Lists this short grow by an exact copy: a push gives a few rows room for 17 (~110 bytes more). */
const EXACT_UP_TO = 8;

/** `list` with `item` added: a fresh exact-size array while short, else the same array pushed to. */
function append<T>(list: T[], item: T): T[] {
  if (list.length >= EXACT_UP_TO) {
    list.push(item);
    return list;
  }
  return list.concat([item]);
}

/** Household numbers under one head ID searched one by one before a Set takes over. */
const SHORT_LIST = 8;
/** Distinct values kept per disagreeing household field (enough to show the clerk what differs). */
const MAX_CONFLICT_VALUES = 20;

export interface HouseholdConflict {
  field: HouseholdKey;
  /** every distinct value with the first place it was seen (sorted by place) */
  values: { value: unknown; at: Loc }[];
}

export interface HouseholdRec {
  householdNo: string;
  /**
   * the household's place in the order households were first met (0, 1, …, below
   * `Indexes.householdPositions`; a record merged into another leaves a gap): a derived index keeps
   * per-household values in a typed array by it instead of a Map keyed by household number
   */
  readonly position: number;
  region: Region;
  /** the place a person would look first: households-table row, else the 户主 row, else first member */
  at: Loc;
  /** merged household-level values */
  v: HouseholdFields;
  /** where each merged value came from */
  src: Partial<Record<HouseholdKey, Loc>>;
  /** unreadable household-level cells (raw text), first seen */
  bad: Partial<Record<HouseholdKey, string>>;
  /** two sources disagree on a household-level value (BASE-02 reports it) */
  conflicts: HouseholdConflict[];
  /** household-level keys that had a column in at least one source (empty vs no column) */
  columns: Set<HouseholdKey>;
  members: MemberRow[];
  householdRows: HouseholdRow[];
  /** internal: rank of the source of each merged value */
  rank: Partial<Record<HouseholdKey, number>>;
  atRank: number;
}

export interface Indexes {
  tables: Set<TableKind>;
  members: MemberRow[];
  /**
   * per member row (the positions of `members`): the text of its ID cell, the number's text, else an
   * unreadable cell's raw text; undefined when empty. Gathered as rows arrive, while each row is in
   * the CPU cache: a cross stage that reads every member's number (a province's counties: millions)
   * reads this column instead of walking row → values → ID value → text on rows long evicted.
   */
  memberIdTexts: (string | undefined)[];
  households: Map<string, HouseholdRec>;
  /** every HouseholdRec.position is below this */
  householdPositions: number;
  /** 户主证件号码 (normalised text) → household numbers (a head ID may, wrongly, head two) */
  householdsByHeadId: Map<string, string[]>;
  helpers: HelperRow[];
  /** a separate helpers sheet was read (not only helper columns on pairing rows) */
  helperSheetGiven: boolean;
  pairings: PairingRow[];
  residencies: ResidencyRow[];
  villages: VillageRow[];
  projects: ProjectRow[];
  beneficiaries: BeneficiaryRow[];
}

export function emptyIndexes(): Indexes {
  return {
    tables: new Set(),
    members: [],
    memberIdTexts: [],
    households: new Map(),
    householdPositions: 0,
    householdsByHeadId: new Map(),
    helpers: [],
    helperSheetGiven: false,
    pairings: [],
    residencies: [],
    villages: [],
    projects: [],
    beneficiaries: [],
  };
}

const HH_KEYS = new Set<string>(['headName', 'headId', ...HOUSEHOLD_SIGNATURE_KEYS]);


function locBefore(a: Loc, b: Loc): boolean {
  if (a.file !== b.file) return a.file < b.file;
  if ((a.sheet ?? '') !== (b.sheet ?? '')) return (a.sheet ?? '') < (b.sheet ?? '');
  return (a.row ?? 0) < (b.row ?? 0);
}

// The household-level columns of a sheet, worked out once per sheet and table, not per row.
const hhColumnsCache = new WeakMap<object, HouseholdKey[]>();
function householdColumns(row: NormalRow): HouseholdKey[] {
  const cols = row.sheet.fields[row.table];
  if (!cols) return [];
  let list = hhColumnsCache.get(cols);
  if (!list) {
    list = [...cols].filter((k) => HH_KEYS.has(k)) as HouseholdKey[];
    hhColumnsCache.set(cols, list);
  }
  return list;
}

/**
 * A household's merged values gain keys one at a time; past FAST_KEY_LIMIT V8 would hold them as
 * hash tables (~1.6 KB each, three per household): copied back to the compact layout.
 */
function compactRecord(h: HouseholdRec): void {
  if (Object.keys(h.v).length + 1 <= FAST_KEY_LIMIT) return;
  h.v = compactObject(h.v);
  h.src = compactObject(h.src);
  h.rank = compactObject(h.rank);
}

/** The row's sheet links households by the head's ID number (no 户编号 column, a head ID column). */
function keyedByHead(row: Pick<NormalRow<unknown>, 'sheet' | 'table'>): boolean {
  const cols = row.sheet.fields[row.table];
  return cols !== undefined && !cols.has('householdNo') && cols.has('headId');
}

/** Adds normalised rows to the indexes. Rows must arrive in a deterministic order. */
export class IndexBuilder {
  readonly ix: Indexes = emptyIndexes();
  private lastMember: MemberRow | undefined;
  /** household keys that are a head's ID number (layouts without 户编号) */
  private readonly headKeyed = new Set<string>();

  add(row: NormalRow): void {
    const ix = this.ix;
    ix.tables.add(row.table);
    switch (row.table) {
      case 'members': {
        const m = row as MemberRow;
        ix.members.push(m);
        ix.memberIdTexts.push(m.v.idNumber?.text || m.bad?.idNumber || undefined);
        const no = m.v.householdNo;
        if (no) {
          const h = this.household(no, m.v, m.at, m.v.relation === '户主' ? RANK_HEAD : RANK_MEMBER);
          h.members = append(h.members, m);
          this.lastMember = m;
          if (m.v.relation === '户主' && m.v.idNumber?.text) this.headId(m.v.idNumber.text, no);
          if (keyedByHead(m)) this.headKeyed.add(no);
          else if (m.v.headId?.text) this.headId(m.v.headId.text, no);
        }
        break;
      }
      case 'households': {
        const hr = row as HouseholdRow;
        const no = hr.v.householdNo;
        if (!no) break;
        // a member sheet carrying household fields feeds both tables; the member row of the same
        // line (emitted just before) tells whether these values sit on the 户主 row
        let rank = RANK_TABLE;
        if (row.sheet.tables.includes('members')) {
          const m = this.lastMember;
          const sameLine = m && m.at.file === hr.at.file && m.at.sheet === hr.at.sheet && m.at.row === hr.at.row;
          rank = sameLine && m.v.relation === '户主' ? RANK_HEAD : RANK_MEMBER;
        }
        const h = this.household(no, hr.v, hr.at, rank);
        if (rank === RANK_TABLE) h.householdRows = append(h.householdRows, hr);
        this.mergeFields(h, row, rank);
        if (keyedByHead(hr)) this.headKeyed.add(no);
        else if (hr.v.headId?.text) this.headId(hr.v.headId.text, no);
        break;
      }
      case 'helpers': {
        const hp = row as HelperRow;
        ix.helpers.push(hp);
        if (!row.sheet.tables.includes('pairings')) ix.helperSheetGiven = true;
        break;
      }
      case 'pairings':
        ix.pairings.push(row as PairingRow);
        break;
      case 'residencies':
        ix.residencies.push(row as ResidencyRow);
        break;
      case 'villages':
        ix.villages.push(row as VillageRow);
        break;
      case 'projects':
        ix.projects.push(row as ProjectRow);
        break;
      case 'beneficiaries':
        ix.beneficiaries.push(row as BeneficiaryRow);
        break;
      default: {
        // a new table needs its case here, or its rows would silently miss the cross rules
        const unhandled: never = row.table;
        throw new Error(`no index for table ${String(unhandled)}`);
      }
    }
  }

  /**
   * Household numbers already listed under a head ID, for the few IDs heading many households:
   * a short list is searched (most IDs head one household; no string per pair is kept), a long
   * one gets a Set so one head ID on many households stays linear.
   */
  private readonly manyHeaded = new Map<string, Set<string>>();

  private headId(id: string, no: string): void {
    const list = this.ix.householdsByHeadId.get(id);
    if (!list) {
      this.ix.householdsByHeadId.set(id, [no]);
      return;
    }
    if (list.length < SHORT_LIST) {
      if (!list.includes(no)) list.push(no);
      return;
    }
    let seen = this.manyHeaded.get(id);
    if (!seen) this.manyHeaded.set(id, (seen = new Set(list)));
    if (seen.has(no)) return;
    seen.add(no);
    list.push(no);
  }

  private household(no: string, v: Region, at: Loc, rank: number): HouseholdRec {
    let h = this.ix.households.get(no);
    if (!h) {
      h = {
        householdNo: no,
        position: this.ix.householdPositions++,
        region: this.sharedRegion(regionOf(v)),
        at,
        v: {},
        src: {},
        bad: this.noBad,
        conflicts: this.noConflicts,
        columns: this.noColumns,
        members: [],
        householdRows: [],
        rank: {},
        atRank: rank,
      };
      this.ix.households.set(no, h);
    } else {
      if (rank < h.atRank || (rank === h.atRank && locBefore(at, h.at))) {
        h.at = at;
        h.atRank = rank;
      }
      // fill region parts the first source lacked
      h.region = this.filledRegion(h.region, regionOf(v));
    }
    return h;
  }

  // Household records start with shared empty parts, replaced by an own one on the first write
  // (most households have no unreadable household cell and no conflict): frozen, so a write that
  // forgot to copy fails loudly instead of reaching every household.
  private readonly noBad: HouseholdRec['bad'] = Object.freeze({});
  private readonly noConflicts: HouseholdConflict[] = Object.freeze([]) as unknown as HouseholdConflict[];

  private static ownBad(h: HouseholdRec): HouseholdRec['bad'] {
    return Object.isFrozen(h.bad) ? (h.bad = {}) : h.bad;
  }

  private static ownConflicts(h: HouseholdRec): HouseholdConflict[] {
    return Object.isFrozen(h.conflicts) ? (h.conflicts = []) : h.conflicts;
  }

  /** One Region object per distinct (village, township, …) with its keys in the same order. */
  private readonly regions = new Map<string, Region>();

  private sharedRegion(r: Region): Region {
    let key = '';
    for (const [k, v] of Object.entries(r)) key += `${k}\u0001${v}\u0002`;
    const hit = this.regions.get(key);
    if (hit) return hit;
    this.regions.set(key, r);
    return r;
  }

  /** `to` with the parts it lacks taken from `from` (a shared Region is never changed in place). */
  private filledRegion(to: Region, from: Region): Region {
    let out: Region | undefined;
    for (const k of Object.keys(from) as (keyof Region)[]) if (!to[k]) (out ??= { ...to })[k] = from[k];
    return out ? this.sharedRegion(out) : to;
  }

  /**
   * Households read from the same sheets had columns for the same fields: they share one Set
   * (rules only ask `columns.has`), one per distinct combination, instead of a Set each.
   */
  private readonly columnSets = new Map<string, Set<HouseholdKey>>();
  private readonly noColumns = new Set<HouseholdKey>();

  private withColumns(h: HouseholdRec, add: Iterable<HouseholdKey>): void {
    let missing: HouseholdKey[] | undefined;
    for (const k of add) if (!h.columns.has(k)) (missing ??= []).push(k);
    if (!missing) return;
    const all = [...h.columns, ...missing];
    const name = [...all].sort().join(',');
    let shared = this.columnSets.get(name);
    if (!shared) this.columnSets.set(name, (shared = new Set(all)));
    h.columns = shared;
  }

  private mergeFields(h: HouseholdRec, row: NormalRow, rank: number): void {
    const v = row.v as Record<string, unknown>;
    this.withColumns(h, householdColumns(row));
    let added = false;
    for (const key of Object.keys(v)) {
      if (!HH_KEYS.has(key)) continue;
      const k = key as HouseholdKey;
      const value = v[key];
      if (value === undefined) continue;
      const cur = h.v[k];
      if (cur === undefined) {
        (h.v as Record<string, unknown>)[k] = value;
        h.src[k] = row.at;
        h.rank[k] = rank;
        added = true;
        continue;
      }
      if (sameValue(cur, value)) {
        if (rank < (h.rank[k] ?? 9)) {
          h.src[k] = row.at;
          h.rank[k] = rank;
        }
        continue;
      }
      // disagreement: record both; the better-ranked source provides the merged value
      let c = h.conflicts.find((x) => x.field === k);
      if (!c) {
        c = { field: k, values: [{ value: cur, at: h.src[k]! }] };
        IndexBuilder.ownConflicts(h).push(c);
      }
      // a few distinct values tell the clerk what disagrees; thousands of rows of one household
      // with as many values must not make each row compare against all before it
      if (c.values.length < MAX_CONFLICT_VALUES && !c.values.some((x) => sameValue(x.value, value))) c.values.push({ value, at: row.at });
      if (rank < (h.rank[k] ?? 9)) {
        (h.v as Record<string, unknown>)[k] = value;
        h.src[k] = row.at;
        h.rank[k] = rank;
      }
    }
    if (row.bad) {
      for (const [key, raw] of Object.entries(row.bad)) {
        if (!HH_KEYS.has(key)) continue;
        const k = key as HouseholdKey;
        if (h.bad[k] === undefined && raw !== undefined) IndexBuilder.ownBad(h)[k] = raw;
      }
    }
    if (added) compactRecord(h);
  }

  /**
   * A household keyed by its head's ID number (a layout without 户编号) joins the household that
   * another sheet names by 户编号 with the same head (its 户主 row, or its 户主证件号码): one
   * household, not two (BASE-04 would count no members in one and no size in the other).
   */
  private joinHeadKeyed(): void {
    const ix = this.ix;
    for (const key of [...this.headKeyed].sort()) {
      const from = ix.households.get(key);
      if (!from) continue;
      const targets = (ix.householdsByHeadId.get(key) ?? []).filter((n) => n !== key && !this.headKeyed.has(n));
      if (targets.length !== 1) continue; // unknown, or ambiguous (ID-08 / BASE-03 report those)
      const to = ix.households.get(targets[0]!);
      if (!to) continue;
      for (const m of from.members) {
        m.v.householdNo = to.householdNo;
        to.members = append(to.members, m);
      }
      for (const r of from.householdRows) to.householdRows = append(to.householdRows, r);
      this.withColumns(to, from.columns);
      for (const [k, raw] of Object.entries(from.bad) as [HouseholdKey, string][]) if (to.bad[k] === undefined) IndexBuilder.ownBad(to)[k] = raw;
      for (const k of Object.keys(from.v) as HouseholdKey[]) {
        const value = from.v[k];
        if (value === undefined) continue;
        const cur = to.v[k];
        if (cur === undefined) {
          (to.v as Record<string, unknown>)[k] = value;
          to.src[k] = from.src[k]!;
          to.rank[k] = from.rank[k]!;
        } else if (!sameValue(cur, value)) {
          let c = to.conflicts.find((x) => x.field === k);
          if (!c) IndexBuilder.ownConflicts(to).push((c = { field: k, values: [{ value: cur, at: to.src[k]! }] }));
          if (!c.values.some((x) => sameValue(x.value, value))) c.values.push({ value, at: from.src[k]! });
        }
      }
      for (const c of from.conflicts) if (!to.conflicts.some((x) => x.field === c.field)) IndexBuilder.ownConflicts(to).push(c);
      compactRecord(to);
      to.region = this.filledRegion(to.region, from.region);
      ix.households.delete(key);
    }
  }

  /** Finish: order conflict values by place so output does not depend on arrival order. */
  finish(): Indexes {
    this.joinHeadKeyed();
    for (const h of this.ix.households.values()) {
      for (const c of h.conflicts) c.values.sort((a, b) => (locBefore(a.at, b.at) ? -1 : locBefore(b.at, a.at) ? 1 : 0));
    }
    return this.ix;
  }
}

/** Every row of one table, in reading order (households: the households-table rows). */
export function* rowsOfTable(ix: Indexes, table: TableKind): Iterable<NormalRow<unknown>> {
  switch (table) {
    case 'members':
      yield* ix.members;
      return;
    case 'households':
      for (const h of ix.households.values()) yield* h.householdRows;
      return;
    case 'helpers':
      yield* ix.helpers;
      return;
    case 'pairings':
      yield* ix.pairings;
      return;
    case 'residencies':
      yield* ix.residencies;
      return;
    case 'villages':
      yield* ix.villages;
      return;
    case 'projects':
      yield* ix.projects;
      return;
    case 'beneficiaries':
      yield* ix.beneficiaries;
      return;
    default: {
      const unhandled: never = table;
      throw new Error(`no rows for table ${String(unhandled)}`);
    }
  }
}
