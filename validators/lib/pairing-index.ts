// The pairing index the PAIR cross rules share: every pairing row's household and helper interned
// to small integer keys, the usable date spans in typed arrays grouped by household, and whether
// each household has a pairing active at as-of. Declared once as a derived index (`pairingIndex`);
// the engine builds it once per run for whichever rule asks first (PAIR-01, -03, -06, -07, -08, -09).
import type { IdValue } from '../../src/model.js';
import type { HouseholdRec, Indexes } from '../../src/engine/indexes.js';
import { defineIndex } from '../../src/engine/derived.js';
import type { PairingRow } from '../../src/schema/rows.js';
import { IntervalList, groupByKey, NO_DAY, endDayOrAsOf, sortRange, startDay, type Groups } from './intervals.js';
import { isDamagedId, isNoneText, isPlaceholder, normalizeIdText, upgrade15 } from './idcard.js';

/** How a pairing names its household. */
export interface HouseholdRef {
  /** interning key: the household number, or `\0head:` + the head's ID when it did not resolve */
  key: string;
  /** the household number (as written, or found through the head's ID) */
  householdNo?: string;
  /** the head's ID as written, when the household was named by it alone */
  headId?: string;
  /** the household exists in members/households */
  known: boolean;
  /** its record there, when known */
  record?: HouseholdRec;
}

/** Resolve a pairing's household: 户编号 first, else 户主证件号码 through householdsByHeadId. */
export function householdRef(ix: Indexes, v: PairingRow['v']): HouseholdRef | undefined {
  const no = v.householdNo;
  if (no) {
    const record = ix.households.get(no);
    return record ? { key: no, householdNo: no, known: true, record } : { key: no, householdNo: no, known: false };
  }
  const head = v.headId?.text ? idText(v.headId.text) : '';
  if (!head) return undefined;
  const list = ix.householdsByHeadId.get(head) ?? ix.householdsByHeadId.get(v.headId!.text);
  if (list && list.length > 0) {
    const sorted = list.length > 1 ? [...list].sort() : list;
    const record = ix.households.get(sorted[0]!);
    return { key: sorted[0]!, householdNo: sorted[0]!, headId: v.headId!.text, known: true, ...(record ? { record } : {}) };
  }
  return { key: '\u0000head:' + head, headId: v.headId!.text, known: false };
}

/** An ID text as a join key: IdValue.text is normalised already; re-normalise only odd ones. */
export function idText(text: string): string {
  return PLAIN_ID.test(text) ? text : normalizeIdText(text);
}

/** Texts idText keeps as they are. */
const PLAIN_ID = /^[0-9A-Z.+]*$/;

/**
 * The key an ID number is joined on: normalised, a 15-digit number upgraded; '' when unusable.
 * A number damaged by a spreadsheet is unusable: `4.30524E+17` expands to `430524000000000000`,
 * which many different people share (HELPER-01 / ID-10 report the damage itself).
 */
export function idKey(id: IdValue | undefined): string {
  const text = id?.text;
  if (!text || isDamagedId(id)) return '';
  const t = idText(text);
  if (t === '' || isPlaceholder(t) || isNoneText(t)) return '';
  if (/^\d{15}$/.test(t)) return upgrade15(t);
  return t;
}

/**
 * The join key of an ID with this (normalised) text is the text itself or '' (unusable): idKey
 * changes a text only by upgrading a 15-digit number. A lookup of the text then settles a join.
 */
export function keyIsTextOrNone(normalised: string): boolean {
  return normalised.length !== 15;
}

/**
 * idKey(id) when it is a key of `keys`, else ''. For a text idText keeps, whose key is the text or
 * '', a miss on the text itself is a miss, and the checks of idKey (damage, placeholder, …) run only
 * on a hit — a rule joining every member row on a few thousand helpers does a lookup per row.
 */
export function idKeyIn(id: IdValue | undefined, keys: ReadonlyMap<string, unknown>): string {
  const text = id?.text;
  if (!text) return '';
  if (keyIsTextOrNone(text) && PLAIN_ID.test(text) && !keys.has(text)) return '';
  const key = idKey(id);
  return keys.has(key) ? key : '';
}

export interface PairIndex {
  rows: PairingRow[];
  /** per row: household key id (-1 when the row names no household) */
  hhOf: Int32Array;
  /** per row: helper key id (-1 when the row has no helper ID) */
  helperOf: Int32Array;
  /** per row: start day (NO_DAY when no start was written) */
  startOf: Int32Array;
  /** household key id → reference */
  households: HouseholdRef[];
  /** helper key id → helper ID text (normalised) */
  helpers: string[];
  /** helper ID text → key id; a damaged ID is keyed per row (`text \0 row`), see buildPairIndex */
  helperIds: Map<string, number>;
  /** per helper key id: 1 when the ID was damaged by a spreadsheet (one key per row) */
  helperDamaged: Uint8Array;
  /** rows with a usable span (start present, end ≥ start): key = household id, ref = row index */
  spans: IntervalList;
  /** spans grouped by household, each group sorted by (helper, start, end, row) */
  byHousehold: Groups;
  /** per household id: some pairing row of it is active at as-of */
  activeAtAsOf: Uint8Array;
  /**
   * per HouseholdRec.position: the household id of the record's pairings, -1 when none name it
   * (PAIR-01 asks it of every household: an array read, not a lookup of its number)
   */
  idOfRecord: Int32Array;
}

/** The pairing index of a run (built once per run by the engine, for the rules that declare it). */
export const pairingIndex = defineIndex<PairIndex>('pairingIndex', (ix, { asOf }) => buildPairIndex(ix, asOf.day));

/** Builds the pairing index; `asOf` is an epoch day. */
export function buildPairIndex(ix: Indexes, asOf: number): PairIndex {
  const rows = ix.pairings;
  const n = rows.length;
  const hhOf = new Int32Array(n).fill(-1);
  const helperOf = new Int32Array(n).fill(-1);
  const households: HouseholdRef[] = [];
  const otherIds = new Map<string, number>();
  const helpers: string[] = [];
  const helperIds = new Map<string, number>();
  const spans = new IntervalList(n);
  const active = new Uint8Array(n);

  const startOf = new Int32Array(n).fill(NO_DAY);
  const idOfRecord = new Int32Array(ix.householdPositions).fill(-1);
  let lastNo = '';
  let lastH = -1;
  let lastHelperRaw = '';
  let lastHelper = -1;
  let lastHelperVal: IdValue | undefined;
  const damagedKeys: number[] = [];

  for (let i = 0; i < n; i++) {
    const v = rows[i]!.v;
    let h = -1;
    const no = v.householdNo;
    // allocation-free for the common cases: the same household as the row before (exports are
    // sorted by household), or a household of the indexes met before, whose id is kept by its
    // record's position (one lookup of the number, no Map of our own); other keys (a number no
    // household has, a head's ID) in otherIds
    const record = no && no !== lastNo ? ix.households.get(no) : undefined;
    if (no && no === lastNo) h = lastH;
    else if (record && idOfRecord[record.position]! >= 0) h = idOfRecord[record.position]!;
    else {
      const ref = record ? { key: no!, householdNo: no!, known: true, record } : householdRef(ix, v);
      const again = ref ? (ref.record ? idOfRecord[ref.record.position]! : (otherIds.get(ref.key) ?? -1)) : -1;
      if (again >= 0) h = again;
      else if (ref) {
        h = households.length;
        households.push(ref);
        if (ref.record) idOfRecord[ref.record.position] = h;
        else otherIds.set(ref.key, h);
      }
    }
    hhOf[i] = h;
    if (no) {
      lastNo = no;
      lastH = h;
    }
    const hv = v.helperId;
    const rawHelper = hv?.text;
    if (rawHelper) {
      const same =
        rawHelper === lastHelperRaw && hv!.numericCell === lastHelperVal!.numericCell && hv!.scientific === lastHelperVal!.scientific;
      if (same) helperOf[i] = lastHelper;
      else {
        const helperText = idText(rawHelper);
        // a damaged ID (4.30524E+17 → 430524000000000000) is shared by unrelated people: key it per
        // row so PAIR-07/PAIR-09 never merge different helpers on it. A text keyed already as it
        // is, on a value without damage marks, is not damaged (damage then depends on the text).
        const known = !hv!.numericCell && !hv!.scientific ? helperIds.get(helperText) : undefined;
        const damaged = known === undefined && isDamagedId(hv!);
        const key = damaged ? `${helperText}\u0000${i}` : helperText;
        let k = known ?? helperIds.get(key);
        if (k === undefined) {
          k = helpers.length;
          helpers.push(helperText);
          helperIds.set(key, k);
          if (damaged) damagedKeys.push(k);
        }
        helperOf[i] = k;
        // the next row may reuse the key only when it is not per row
        lastHelperRaw = damaged ? '' : rawHelper;
        lastHelperVal = hv;
        lastHelper = k;
      }
    }
    const s = v.startOn ? startDay(v.startOn) : NO_DAY;
    startOf[i] = s;
    if (h < 0) continue;
    if (s !== NO_DAY) {
      const e = endDayOrAsOf(v.endOn, asOf);
      if (e >= s) {
        spans.push(h, s, e, i);
        if (s <= asOf && asOf <= e) active[h] = 1;
      }
    } else if (endDayOrAsOf(v.endOn, asOf) >= asOf) {
      // no start written (PAIR-02 reports it) but not ended: the pairing is taken as active
      active[h] = 1;
    }
  }

  const byHousehold = groupByKey(spans.keys, spans.length, households.length);
  const { starts, ends, refs } = spans;
  const cmp = (a: number, b: number): number =>
    helperOf[refs[a]!]! - helperOf[refs[b]!]! || starts[a]! - starts[b]! || ends[a]! - ends[b]! || a - b;
  const off = byHousehold.offsets;
  for (let k = 0; k < households.length; k++) sortRange(byHousehold.order, off[k]!, off[k + 1]!, cmp);

  const helperDamaged = new Uint8Array(helpers.length);
  for (const k of damagedKeys) helperDamaged[k] = 1;
  return { rows, hhOf, helperOf, startOf, households, helpers, helperIds, helperDamaged, spans, byHousehold, activeAtAsOf: active, idOfRecord };
}

/**
 * Walks the runs of one helper inside each household's spans (the order is by helper, then start):
 * `visit(household, helper, lo, hi)` gets `byHousehold.order[lo..hi)`, the spans of that pair sorted
 * by start. Rows without a helper ID (helper -1) are skipped.
 */
export function forEachPair(p: PairIndex, visit: (household: number, helper: number, lo: number, hi: number) => void): void {
  const { refs } = p.spans;
  const { offsets, order } = p.byHousehold;
  for (let k = 0; k < p.households.length; k++) {
    const hi = offsets[k + 1]!;
    let q = offsets[k]!;
    while (q < hi) {
      const helper = p.helperOf[refs[order[q]!]!]!;
      let r = q + 1;
      while (r < hi && p.helperOf[refs[order[r]!]!]! === helper) r++;
      if (helper >= 0) visit(k, helper, q, r);
      q = r;
    }
  }
}
