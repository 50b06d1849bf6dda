// PAIR — 结对关系 (SPEC §3 PAIR-01..PAIR-09). Interval semantics live in validators/lib/intervals.ts;
// the cross rules share one compact pairing index (interned keys, typed arrays) built per run.
import { z } from 'zod';
import type { Finding, IdValue, Loc, NormalRow, Region } from '../src/model.js';
import { neverRegisteredPoor } from './lib/monitoring.js';
import { bySheet } from './lib/sheets.js';
import type { Indexes } from '../src/engine/indexes.js';
import type { MemberRow, PairingRow, ResidencyRow, VillageRow } from '../src/schema/rows.js';
import { type AnyRule } from '../src/engine/rule.js';
import { defineLegacyRule as defineRule } from '../src/engine/legacy-rule.js';
import { displayValue, epochDay, formatDay, formatPartialDate, regionOf } from '../src/core/values.js';
import {
  IntervalList,
  clipGaps,
  concurrency,
  gapsSorted,
  groupByKey,
  intersectsAny,
  mergeSorted,
  precisionNote,
  precisionParams,
  NO_DAY,
  endDay,
  endDayOrAsOf,
  rangeText,
  sortRange,
  spanOf,
  startDay,
  type Gap,
  type Groups,
} from './lib/intervals.js';
import { isDamagedId, isNoneText, isPlaceholder, normalizeIdText, upgrade15 } from './lib/idcard.js';
import { RANKS, lookup } from '../src/normalize/dictionaries.js';

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
}

/** Resolve a pairing's household: 户编号 first, else 户主证件号码 through householdsByHeadId. */
export function householdRef(ix: Indexes, v: PairingRow['v']): HouseholdRef | undefined {
  const no = v.householdNo;
  if (no) return { key: no, householdNo: no, known: ix.households.has(no) };
  const head = v.headId?.text ? idText(v.headId.text) : '';
  if (!head) return undefined;
  const list = ix.householdsByHeadId.get(head) ?? ix.householdsByHeadId.get(v.headId!.text);
  if (list && list.length > 0) {
    const sorted = list.length > 1 ? [...list].sort() : list;
    return { key: sorted[0]!, householdNo: sorted[0]!, headId: v.headId!.text, known: true };
  }
  return { key: '\u0000head:' + head, headId: v.headId!.text, known: false };
}

/** An ID text as a join key: IdValue.text is normalised already; re-normalise only odd ones. */
export function idText(text: string): string {
  return /^[0-9A-Z.+]*$/.test(text) ? text : normalizeIdText(text);
}

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
  hhIds: Map<string, number>;
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
}

const cache = new WeakMap<Indexes, { asOf: number; n: number; idx: PairIndex }>();

export function pairIndex(ix: Indexes, asOf: number): PairIndex {
  const hit = cache.get(ix);
  if (hit && hit.asOf === asOf && hit.n === ix.pairings.length) return hit.idx;
  const idx = buildPairIndex(ix, asOf);
  cache.set(ix, { asOf, n: ix.pairings.length, idx });
  return idx;
}

function buildPairIndex(ix: Indexes, asOf: number): PairIndex {
  const rows = ix.pairings;
  const n = rows.length;
  const hhOf = new Int32Array(n).fill(-1);
  const helperOf = new Int32Array(n).fill(-1);
  const households: HouseholdRef[] = [];
  const hhIds = new Map<string, number>();
  const helpers: string[] = [];
  const helperIds = new Map<string, number>();
  const spans = new IntervalList(n);
  const active = new Uint8Array(n);

  const startOf = new Int32Array(n).fill(NO_DAY);
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
    // sorted by household), or a household number seen before
    const got = no ? (no === lastNo ? lastH : hhIds.get(no)) : undefined;
    if (got !== undefined) h = got;
    else {
      const ref = householdRef(ix, v);
      if (ref) {
        const again = hhIds.get(ref.key);
        if (again === undefined) {
          h = households.length;
          households.push(ref);
          hhIds.set(ref.key, h);
        } else h = again;
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
        // row so PAIR-07/PAIR-09 never merge different helpers on it
        const damaged = isDamagedId(hv!);
        const key = damaged ? `${helperText}\u0000${i}` : helperText;
        let k = helperIds.get(key);
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
  return { rows, hhOf, helperOf, startOf, households, hhIds, helpers, helperIds, helperDamaged, spans, byHousehold, activeAtAsOf: active };
}

// ---------------------------------------------------------------------------------------------
// Shared bits

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;


/** Entity keys of a pairing finding: household_no and helper_id (SPEC §3.0). A household named only
 * by its head's ID that resolves to no household carries that ID as id_number, so two such
 * households do not share a fingerprint. */
function pairingKeys(ref: HouseholdRef | undefined, row: PairingRow): Pick<Finding, 'householdNo' | 'helperId' | 'idNumber'> {
  const out: Pick<Finding, 'householdNo' | 'helperId' | 'idNumber'> = {};
  const householdNo = ref?.householdNo ?? row.v.householdNo;
  if (householdNo) out.householdNo = householdNo;
  else if (ref?.headId ?? row.v.headId?.text) out.idNumber = ref?.headId ?? row.v.headId!.text;
  if (row.v.helperId?.text) out.helperId = row.v.helperId.text;
  return out;
}

function householdLabel(ref: HouseholdRef): string {
  return ref.householdNo ?? `户主证件号码 ${ref.headId ?? ''}`;
}

function helperLabel(f: Finding): string {
  const name = f.params?.['helperName'];
  const id = f.helperId ?? '';
  return name ? `帮扶责任人${String(name)}（${id}）` : `帮扶责任人（${id}）`;
}

function householdText(f: Finding): string {
  if (f.householdNo) return `户编号 ${f.householdNo}`;
  if (f.idNumber) return `户主证件号码 ${f.idNumber}`;
  return '未写户编号的户';
}

/** Gaps as params: JSON-friendly dates and day counts. */
function gapParams(gs: Gap[], gapDays: number): Record<string, unknown> {
  let total = 0;
  const list = gs.map((g) => {
    const days = g.to - g.from + 1;
    total += days;
    return { from: formatDay(g.from), to: formatDay(g.to), days };
  });
  return { gaps: list, gapCount: gs.length, totalGapDays: total, pairGapDays: gapDays };
}

function describeGaps(f: Finding, what: string): string {
  const gs = (f.params?.['gaps'] ?? []) as { from: string; to: string; days: number }[];
  const first = gs[0];
  if (!first) return `${what}有空档`;
  const more = gs.length > 1 ? `；另有${gs.length - 1}段空档，共计${String(f.params?.['totalGapDays'])}天` : '';
  return `${what}在 ${first.from} 至 ${first.to} 期间（${first.days}天）无人覆盖${more}`;
}

const gapSchema = z.object({ pairGapDays: z.number().int().min(0).default(0) }).strict();

// ---------------------------------------------------------------------------------------------
// PAIR-01

export const PAIR_01 = defineRule({
  id: 'PAIR-01',
  family: 'PAIR',
  severity: 'error',
  title: '贫困户未结对帮扶',
  explain:
    '每个建档立卡户都应有结对帮扶责任人；未脱贫户（含返贫户）在核查日当天必须有正在进行中的结对。' +
    '请核对结对帮扶表中是否漏录了该户，或结对已结束而未安排新的帮扶责任人。',
  reads: ['pairings'],
  cross(ix, emit, ctx) {
    if (!ix.tables.has('pairings')) return;
    const p = pairIndex(ix, ctx.asOf);
    for (const h of ix.households.values()) {
      const k = p.hhIds.get(h.householdNo);
      const base = { rule: 'PAIR-01' as const, at: h.at, region: h.region, table: 'households' as const, householdNo: h.householdNo };
      if (k === undefined) {
        // a monitored household that never was a 贫困户 (边缘易致贫户, 突发严重困难户) has 帮扶联系人,
        // not 结对帮扶 (BASE-05 notes the skip once per sheet)
        if (neverRegisteredPoor(h.v)) continue;
        emit({ ...base, code: 'none', field: 'householdNo', value: h.householdNo });
        continue;
      }
      const status = h.v.status;
      if ((status === '未脱贫' || status === '返贫') && !p.activeAtAsOf[k]) {
        let lastEnd = -Infinity;
        const { offsets, order } = p.byHousehold;
        for (let q = offsets[k]!; q < offsets[k + 1]!; q++) lastEnd = Math.max(lastEnd, p.spans.ends[order[q]!]!);
        const params: Record<string, unknown> = { status, asOf: formatDay(ctx.asOf) };
        if (Number.isFinite(lastEnd)) params['lastEnd'] = formatDay(lastEnd);
        emit({ ...base, code: 'inactive', field: 'status', value: status, params });
      }
    }
  },
  describe(f) {
    if (f.code === 'none') return `户编号 ${f.householdNo ?? ''} 没有任何结对帮扶记录`;
    const last = f.params?.['lastEnd'] ? `，最近一次结对于 ${String(f.params['lastEnd'])} 结束` : '';
    return `${String(f.params?.['status'] ?? '未脱贫')}户 ${f.householdNo ?? ''} 在核查日 ${String(f.params?.['asOf'] ?? '')} 没有进行中的结对帮扶${last}`;
  },
});

// ---------------------------------------------------------------------------------------------
// PAIR-02 (row)

const pair02Schema = z
  .object({ earliestStart: z.string().regex(DATE_RE, '日期格式应为 YYYY-MM-DD').default('2013-01-01') })
  .strict();

let earliestCache: { text: string; day: number } | undefined;
function earliestDay(text: string): number {
  if (earliestCache?.text === text) return earliestCache.day;
  const [y, m, d] = text.split('-').map(Number);
  const day = epochDay(y!, m!, d!);
  earliestCache = { text, day };
  return day;
}

export const PAIR_02 = defineRule({
  id: 'PAIR-02',
  family: 'PAIR',
  severity: 'error',
  title: '结对时间错误',
  explain:
    '结对帮扶的开始时间必须填写，不能晚于核查日，也不能早于2013年1月1日（精准扶贫建档立卡开始）；结束时间不能早于开始时间，也不能晚于核查日。' +
    '只写到年或月的时间，开始按当年（月）第一天、结束按最后一天计。请对照结对帮扶协议改正。',
  params: pair02Schema,
  reads: ['pairings'],
  row(r, emit, ctx) {
    const row = r as PairingRow;
    const v = row.v;
    const keys = pairingKeys(undefined, row);
    const base = { rule: 'PAIR-02' as const, at: row.at, region: regionOf(v), table: 'pairings' as const, ...keys };
    const badStart = row.bad?.startOn;
    const badEnd = row.bad?.endOn;
    if (!v.startOn) {
      if (badStart !== undefined) emit({ ...base, code: 'start_invalid', field: 'startOn', value: badStart });
      else emit({ ...base, code: 'start_missing', field: 'startOn' });
    }
    if (badEnd !== undefined && !v.endOn) emit({ ...base, code: 'end_invalid', field: 'endOn', value: badEnd });
    const s = v.startOn ? startDay(v.startOn) : undefined;
    const e = v.endOn ? endDay(v.endOn) : undefined;
    const prec = precisionParams(v.startOn, v.endOn);
    if (s !== undefined && e !== undefined && e < s) {
      emit({
        ...base,
        code: 'end_before_start',
        field: 'endOn',
        value: formatPartialDate(v.endOn!),
        expected: `不早于${formatPartialDate(v.startOn!)}`,
        params: { start: formatDay(s), end: formatDay(e), ...prec },
      });
    }
    if (s !== undefined && s > ctx.asOf) {
      emit({
        ...base,
        code: 'start_after_asof',
        field: 'startOn',
        value: formatPartialDate(v.startOn!),
        expected: `不晚于${formatDay(ctx.asOf)}`,
        params: { start: formatDay(s), asOf: formatDay(ctx.asOf), ...prec },
      });
    }
    // SPEC §3.0: an end written as a year or month means its last day; when that is after as-of
    // it is reported — `error` when even its first day is after as-of (certainly after), `suspect`
    // when only the written precision puts it there (结束 2020, as-of 2020-04-30)
    if (e !== undefined && e > ctx.asOf) {
      const certain = startDay(v.endOn!) > ctx.asOf;
      emit({
        ...base,
        code: certain ? 'end_after_asof' : 'end_coarse_after_asof',
        ...(certain ? {} : { severity: 'suspect' as const }),
        field: 'endOn',
        value: formatPartialDate(v.endOn!),
        expected: `不晚于${formatDay(ctx.asOf)}`,
        params: { end: formatDay(e), asOf: formatDay(ctx.asOf), written: formatPartialDate(v.endOn!), ...prec },
      });
    }
    const earliest = earliestDay(ctx.params.earliestStart ?? '2013-01-01');
    if (s !== undefined && s < earliest) {
      emit({
        ...base,
        code: 'start_too_early',
        field: 'startOn',
        value: formatPartialDate(v.startOn!),
        expected: `不早于${formatDay(earliest)}`,
        params: { start: formatDay(s), earliest: formatDay(earliest), ...prec },
      });
    }
  },
  describe(f) {
    const p = f.params ?? {};
    const note = precisionNote(p);
    switch (f.code) {
      case 'start_missing':
        return '结对帮扶开始时间为空';
      case 'start_invalid':
        return `结对帮扶开始时间“${displayValue(f.value)}”无法识别为日期`;
      case 'end_invalid':
        return `结对帮扶结束时间“${displayValue(f.value)}”无法识别为日期`;
      case 'end_before_start':
        return `结对帮扶结束时间 ${String(p['end'])} 早于开始时间 ${String(p['start'])}${note}`;
      case 'start_after_asof':
        return `结对帮扶开始时间 ${String(p['start'])} 晚于核查日 ${String(p['asOf'])}${note}`;
      case 'end_after_asof':
        return `结对帮扶结束时间 ${String(p['end'])} 晚于核查日 ${String(p['asOf'])}${note}`;
      case 'end_coarse_after_asof':
        return (
          `结对帮扶结束时间只写了“${String(p['written'])}”，按${p['endPrecision'] === 'month' ? '当月最后一天' : '当年最后一天'} ${String(p['end'])} 计晚于核查日 ${String(p['asOf'])}；` +
          `如果实际在核查日或之前结束，请补全到具体日期；如果结对仍在进行，结束时间应为空`
        );
      case 'start_too_early':
        return `结对帮扶开始时间 ${String(p['start'])} 早于 ${String(p['earliest'])}（建档立卡开始之前）${note}`;
      default:
        return '结对时间错误';
    }
  },
});

// ---------------------------------------------------------------------------------------------
// PAIR-03

export const PAIR_03 = defineRule({
  id: 'PAIR-03',
  family: 'PAIR',
  severity: 'error',
  title: '结对帮扶中断',
  explain:
    '从该户第一次结对开始，到最后一次结对结束（仍在帮扶的算到核查日），每一天都应有帮扶责任人。' +
    '前一段结对结束后，下一段应最迟在次日开始（管理员可在配置中放宽允许间隔的天数）。请核对中间是否漏录了结对记录或日期填错。',
  params: gapSchema,
  reads: ['pairings'],
  cross(ix, emit, ctx) {
    const gapDays = ctx.params.pairGapDays ?? 0;
    const p = pairIndex(ix, ctx.asOf);
    const { starts, ends, refs } = p.spans;
    const { offsets, order } = p.byHousehold;
    let scratch = new Int32Array(64);
    const byStart = (a: number, b: number): number => starts[a]! - starts[b]! || ends[a]! - ends[b]! || a - b;
    for (let k = 0; k < p.households.length; k++) {
      const lo = offsets[k]!;
      const hi = offsets[k + 1]!;
      const m = hi - lo;
      if (m < 2) continue;
      if (m > scratch.length) scratch = new Int32Array(m * 2);
      scratch.set(order.subarray(lo, hi));
      sortRange(scratch, 0, m, byStart);
      const gs = clipGaps(gapsSorted(starts, ends, scratch, 0, m, gapDays), ctx.asOf);
      if (gs.length === 0) continue;
      // the row that resumes the pairing after the first gap
      let after = scratch[0]!;
      for (let q = 0; q < m; q++) {
        if (starts[scratch[q]!]! === gs[0]!.to + 1) {
          after = scratch[q]!;
          break;
        }
      }
      const row = p.rows[refs[after]!]!;
      const ref = p.households[k]!;
      const keys = pairingKeys(ref, row);
      delete keys.helperId; // a gap belongs to the household, not to one helper
      emit({
        rule: 'PAIR-03',
        at: row.at,
        region: regionOf(row.v),
        table: 'pairings',
        ...keys,
        code: 'gap',
        field: 'startOn',
        value: rangeText(gs[0]!.from, gs[0]!.to),
        params: gapParams(gs, gapDays),
      });
    }
  },
  describe(f) {
    return describeGaps(f, `${householdText(f)} 的结对帮扶`) + '，期间没有帮扶责任人';
  },
});

// ---------------------------------------------------------------------------------------------
// PAIR-04

interface VillageCover {
  region: Region;
  rows: ResidencyRow[];
}

function villageKey(r: Region): string {
  return [r.county ?? '', r.township ?? '', r.village ?? ''].join('|');
}

function compatible(a: Region, b: Region): boolean {
  for (const k of ['province', 'city', 'county', 'township'] as const) {
    if (a[k] && b[k] && a[k] !== b[k]) return false;
  }
  return true;
}

export const PAIR_04 = defineRule({
  id: 'PAIR-04',
  family: 'PAIR',
  severity: 'error',
  title: '贫困村驻村帮扶中断',
  explain:
    '贫困村应始终有第一书记或驻村工作队在岗：从第一位驻村干部到岗起，到最后一位离岗（仍在岗的算到核查日），每一天都应至少有一人驻村。' +
    '有村级表时按“是否贫困村=是”的村检查（表中贫困村没有任何驻村记录也会列出），没有村级表时检查所有有驻村记录的村。' +
    '没有驻村开始时间的记录不计入（另见 HELPER-07）。请核对是否漏录了驻村干部或轮换日期填错。',
  params: gapSchema,
  reads: ['residencies'],
  cross(ix, emit, ctx) {
    if (!ix.tables.has('residencies')) return;
    const gapDays = ctx.params.pairGapDays ?? 0;
    const covers = new Map<string, VillageCover>();
    const byName = new Map<string, VillageCover[]>();
    for (const r of ix.residencies) {
      const name = r.v.village;
      if (!name) continue;
      const key = villageKey(r.v);
      let c = covers.get(key);
      if (!c) {
        c = { region: regionOf(r.v), rows: [] };
        covers.set(key, c);
        const list = byName.get(name);
        if (list) list.push(c);
        else byName.set(name, [c]);
      }
      c.rows.push(r);
    }

    const check = (name: string, region: Region, rows: ResidencyRow[], fallbackAt: NormalRow['at'], table: 'residencies' | 'villages'): void => {
      const withSpan: { start: number; end: number; row: ResidencyRow }[] = [];
      for (const r of rows) {
        const s = spanOf(r.v.startOn, r.v.endOn, ctx.asOf);
        if (s) withSpan.push({ start: s.start, end: s.end, row: r });
      }
      if (withSpan.length < 2) return;
      withSpan.sort((a, b) => a.start - b.start || a.end - b.end);
      const n = withSpan.length;
      const starts = Int32Array.from(withSpan, (x) => x.start);
      const ends = Int32Array.from(withSpan, (x) => x.end);
      const idx = Int32Array.from({ length: n }, (_, i) => i);
      const gs = clipGaps(gapsSorted(starts, ends, idx, 0, n, gapDays), ctx.asOf);
      if (gs.length === 0) return;
      const after = withSpan.find((x) => x.start === gs[0]!.to + 1);
      emit({
        rule: 'PAIR-04',
        at: after?.row.at ?? fallbackAt,
        region,
        table,
        village: name,
        code: 'gap',
        field: 'startOn',
        value: rangeText(gs[0]!.from, gs[0]!.to),
        params: gapParams(gs, gapDays),
      });
    };

    const villageRows = ix.villages;
    if (ix.tables.has('villages') && villageRows.length > 0 && !ix.tables.has('residencies')) {
      // no residency list was given at all: absent, not empty — one note, not an error per village
      const poorRows = (villageRows as VillageRow[]).filter((vr) => vr.v.village && (vr.v.isPoorVillage === true || (vr.v.isPoorVillage === undefined && vr.v.exitYear !== undefined)));
      if (poorRows.length > 0) {
        const first = poorRows[0]!.at;
        emit({
          rule: 'PAIR-04',
          code: 'no_residencies',
          severity: 'info',
          table: 'villages',
          at: { file: first.file, ...(first.sheet !== undefined ? { sheet: first.sheet } : {}) },
          field: 'village',
          value: '',
          params: { count: poorRows.length },
        });
      }
    } else if (ix.tables.has('villages') && villageRows.length > 0) {
      const seen = new Set<string>();
      for (const vr of villageRows as VillageRow[]) {
        const name = vr.v.village;
        if (!name) continue;
        const poor = vr.v.isPoorVillage === true || (vr.v.isPoorVillage === undefined && vr.v.exitYear !== undefined);
        if (!poor) continue;
        const key = villageKey(vr.v);
        if (seen.has(key)) continue;
        seen.add(key);
        const region = regionOf(vr.v);
        const matches = (byName.get(name) ?? []).filter((c) => compatible(c.region, region));
        const rows = matches.flatMap((c) => c.rows);
        if (rows.length === 0) {
          emit({ rule: 'PAIR-04', at: vr.at, region, table: 'villages', village: name, code: 'none', field: 'village', value: name });
          continue;
        }
        check(name, region, rows, vr.at, 'residencies');
      }
    } else {
      for (const c of covers.values()) check(c.region.village!, c.region, c.rows, c.rows[0]!.at, 'residencies');
    }
  },
  describe(f) {
    if (f.code === 'none') return `贫困村 ${f.village ?? ''} 没有任何第一书记或驻村工作队记录`;
    if (f.code === 'no_residencies') return `本次检查没有提供驻村工作队（第一书记）名单，${displayValue(f.params?.['count'])} 个贫困村的驻村覆盖无法检查，请一并导出驻村工作队表`;
    return describeGaps(f, `贫困村 ${f.village ?? ''} 的驻村帮扶`) + '，期间没有第一书记或驻村工作队员在岗';
  },
});

// ---------------------------------------------------------------------------------------------
// PAIR-05

interface HelperSeen {
  id: string;
  name?: string;
  at: NormalRow['at'];
  kind: '帮扶责任人' | '驻村干部';
}

export const PAIR_05 = defineRule({
  id: 'PAIR-05',
  family: 'PAIR',
  severity: 'error',
  title: '既是贫困户又是帮扶责任人',
  explain:
    '帮扶责任人（含第一书记、驻村工作队员）的证件号码同时出现在建档立卡家庭成员中，即“自己帮扶自己”或贫困户成员担任帮扶人。' +
    '请核实是证件号码录错，还是确需调整帮扶责任人。',
  reads: ['helpers', 'pairings', 'residencies'],
  cross(ix, emit) {
    if (ix.members.length === 0) return;
    const helpers = new Map<string, HelperSeen>();
    // damaged numbers never match (idKey gives ''): on either side they would pair unrelated people
    const add = (idv: IdValue | undefined, name: string | undefined, at: NormalRow['at'], kind: HelperSeen['kind']): void => {
      const key = idKey(idv);
      if (!key || helpers.has(key)) return;
      const h: HelperSeen = { id: idv!.text, at, kind };
      if (name) h.name = name;
      helpers.set(key, h);
    };
    for (const r of ix.helpers) add(r.v.helperId, r.v.helperName, r.at, '帮扶责任人');
    for (const r of ix.pairings) add(r.v.helperId, r.v.helperName, r.at, '帮扶责任人');
    for (const r of ix.residencies) add(r.v.idNumber, r.v.name, r.at, '驻村干部');
    if (helpers.size === 0) return;
    for (const m of ix.members as MemberRow[]) {
      const key = idKey(m.v.idNumber);
      if (!key) continue;
      const h = helpers.get(key);
      if (!h) continue;
      const params: Record<string, unknown> = { role: h.kind };
      if (h.name) params['helperName'] = h.name;
      if (m.v.name) params['memberName'] = m.v.name;
      emit({
        rule: 'PAIR-05',
        at: m.at,
        region: regionOf(m.v),
        table: 'members',
        helperId: h.id,
        idNumber: m.v.idNumber!.text,
        ...(m.v.householdNo ? { householdNo: m.v.householdNo } : {}),
        code: 'member',
        field: 'idNumber',
        value: m.v.idNumber!.text,
        related: [[h.at.file, h.at.sheet, h.at.row !== undefined ? `第${h.at.row}行` : undefined].filter(Boolean).join(' / ')],
        params,
      });
    }
  },
  describe(f) {
    const p = f.params ?? {};
    const who = `${String(p['role'] ?? '帮扶责任人')}${p['helperName'] ? String(p['helperName']) : ''}（${f.helperId ?? ''}）`;
    const member = `${p['memberName'] ? String(p['memberName']) : '家庭成员'}`;
    return `${who}同时是户编号 ${f.householdNo ?? ''} 的家庭成员${member}：既是贫困户又是帮扶责任人`;
  },
});

// ---------------------------------------------------------------------------------------------
// PAIR-06

export const PAIR_06 = defineRule({
  id: 'PAIR-06',
  family: 'PAIR',
  severity: 'error',
  title: '结对早于识别时间',
  explain:
    '结对帮扶只能在该户被识别为建档立卡贫困户之后开始。识别时间只写年份的按当年1月1日计，结对开始时间只写到年或月的按第一天计。' +
    '请核对结对开始时间或识别时间是否填错。',
  reads: ['pairings'],
  cross(ix, emit, ctx) {
    const p = pairIndex(ix, ctx.asOf);
    // identified day per household id, looked up once: NaN = not yet, -Infinity = unknown
    const identified = new Float64Array(p.households.length).fill(NaN);
    for (let i = 0; i < p.rows.length; i++) {
      const s = p.startOf[i]!;
      const h = p.hhOf[i]!;
      if (s === NO_DAY || h < 0) continue;
      let id = identified[h]!;
      if (Number.isNaN(id)) {
        const no = p.households[h]!.householdNo;
        const ident = no ? ix.households.get(no)?.v.identifiedOn : undefined;
        id = ident ? startDay(ident) : -Infinity;
        identified[h] = id;
      }
      if (s >= id) continue;
      const row = p.rows[i]!;
      const start = row.v.startOn!;
      const ident = ix.households.get(p.households[h]!.householdNo!)!.v.identifiedOn!;
      emit({
        rule: 'PAIR-06',
        at: row.at,
        region: regionOf(row.v),
        table: 'pairings',
        ...pairingKeys(p.households[h], row),
        code: 'before_identified',
        field: 'startOn',
        value: formatPartialDate(start),
        expected: `不早于${formatDay(id)}`,
        params: { start: formatDay(s), identifiedOn: formatDay(id), identifiedText: formatPartialDate(ident), ...precisionParams(start) },
      });
    }
  },
  describe(f) {
    const p = f.params ?? {};
    return `${householdText(f)} 的结对开始时间 ${String(p['start'])} 早于该户识别时间 ${String(p['identifiedOn'])}${precisionNote(p)}`;
  },
});

// ---------------------------------------------------------------------------------------------
// PAIR-07

/**
 * perRank keys go through the rank dictionary (正处级 → 县处级正职), as helper ranks do; an unknown
 * rank is refused, since a key that matches no helper would otherwise be ignored without a word.
 */
const perRankSchema = z
  .record(z.string(), z.number().int().positive())
  .transform((raw, ctx) => {
    const out: Record<string, number> = {};
    for (const [k, cap] of Object.entries(raw)) {
      const rank = lookup('rank', k);
      if (rank === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [k],
          message: `未知的职级“${k}”，perRank 的职级应为：${RANKS.join('、')}`,
        });
        continue;
      }
      if (out[rank] !== undefined && out[rank] !== cap) {
        ctx.addIssue({
          code: 'custom',
          path: [k],
          message: `职级“${k}”即“${rank}”，perRank 中为它设了两个不同的上限（${out[rank]}、${cap}）`,
        });
        continue;
      }
      out[rank] = cap;
    }
    return out;
  });

const pair07Schema = z
  .object({
    maxHouseholdsPerHelper: z.number().int().positive().default(3),
    perRank: perRankSchema.default({}),
  })
  .strict();

/** Merged spans per (helper, household) pair: key = helper id, ref = household id. */
function mergedPairs(p: PairIndex): IntervalList {
  const { starts, ends, refs } = p.spans;
  const { offsets, order } = p.byHousehold;
  const out = new IntervalList(p.spans.length);
  let curHelper = -1;
  let curHh = -1;
  const sink = { push: (s: number, e: number) => out.push(curHelper, s, e, curHh) };
  for (let k = 0; k < p.households.length; k++) {
    const hi = offsets[k + 1]!;
    let q = offsets[k]!;
    while (q < hi) {
      const helper = p.helperOf[refs[order[q]!]!]!;
      let r = q + 1;
      while (r < hi && p.helperOf[refs[order[r]!]!]! === helper) r++;
      if (helper >= 0) {
        curHelper = helper;
        curHh = k;
        mergeSorted(starts, ends, order, q, r, sink);
      }
      q = r;
    }
  }
  return out;
}

export const PAIR_07 = defineRule({
  id: 'PAIR-07',
  family: 'PAIR',
  severity: 'error',
  title: '一人帮扶户数过多',
  explain:
    '同一时间一名帮扶责任人结对的户数达到设定的户数即列出：默认同时结对3户及以上列出，即每人同时最多帮扶2户（可在配置中按职级分别设定，如县处级正职8户）。' +
    '同一户的重复记录只算一户；不同时间先后帮扶的户不叠加。请核对是否应调整部分户的帮扶责任人，或结对结束时间漏填。',
  params: pair07Schema,
  reads: ['pairings'],
  cross(ix, emit, ctx) {
    const cap0 = ctx.params.maxHouseholdsPerHelper ?? 3;
    const perRank: Record<string, number> = ctx.params.perRank ?? {};
    const p = pairIndex(ix, ctx.asOf);
    const merged = mergedPairs(p);
    const groups = groupByKey(merged.keys, merged.length, p.helpers.length);
    const minCap = Math.min(cap0, ...Object.values(perRank));

    // rank and name of each helper, from helper records (own sheet or helper columns on pairings)
    const rankOf = new Map<string, string>();
    const nameOf = new Map<string, string>();
    if (Object.keys(perRank).length > 0) {
      for (const r of ix.helpers) {
        // a damaged ID names no one in particular: its rank would go to whoever shares the digits
        const id = r.v.helperId?.text && !isDamagedId(r.v.helperId) ? idText(r.v.helperId.text) : '';
        if (id && r.v.rank && !rankOf.has(id)) rankOf.set(id, r.v.rank);
      }
    }

    let sBuf = new Int32Array(64);
    let eBuf = new Int32Array(64);
    const { offsets, order } = groups;
    for (let k = 0; k < p.helpers.length; k++) {
      const lo = offsets[k]!;
      const hi = offsets[k + 1]!;
      const m = hi - lo;
      if (m < minCap) continue; // fewer merged pairs than any cap: cannot reach it
      const helperId = p.helpers[k]!;
      const rank = p.helperDamaged[k] ? undefined : rankOf.get(helperId);
      const cap = rank !== undefined && perRank[rank] !== undefined ? perRank[rank]! : cap0;
      if (m < cap) continue;
      if (m > sBuf.length) {
        sBuf = new Int32Array(m * 2);
        eBuf = new Int32Array(m * 2);
      }
      for (let q = 0; q < m; q++) {
        const i = order[lo + q]!;
        sBuf[q] = merged.starts[i]!;
        eBuf[q] = merged.ends[i]!;
      }
      const c = concurrency(sBuf, eBuf, m, cap);
      if (c.peak < cap) continue;
      // every household paired with the helper during a stretch at or over the cap
      const involved = new Set<number>();
      for (let q = lo; q < hi; q++) {
        const i = order[q]!;
        if (intersectsAny(c.over, merged.starts[i]!, merged.ends[i]!)) involved.add(merged.refs[i]!);
      }
      const hhs = [...involved].sort((a, b) => a - b).map((h) => householdLabel(p.households[h]!));
      // place: the first pairing row of the helper (source order) among the involved households
      let firstRow = -1;
      for (let q = lo; q < hi; q++) {
        const i = order[q]!;
        if (!involved.has(merged.refs[i]!)) continue;
        // find the earliest source row of this pair
        const h = merged.refs[i]!;
        const hlo = p.byHousehold.offsets[h]!;
        const hhi = p.byHousehold.offsets[h + 1]!;
        for (let r = hlo; r < hhi; r++) {
          const ri = p.spans.refs[p.byHousehold.order[r]!]!;
          if (p.helperOf[ri] === k && (firstRow < 0 || ri < firstRow)) firstRow = ri;
        }
      }
      const row = p.rows[firstRow]!;
      if (!nameOf.has(helperId) && row.v.helperName) nameOf.set(helperId, row.v.helperName);
      const params: Record<string, unknown> = {
        peak: c.peak,
        cap,
        peakFrom: formatDay(c.peakFrom),
        peakTo: formatDay(c.peakTo),
        overFrom: formatDay(c.over[0]!.from),
        overTo: formatDay(c.over[c.over.length - 1]!.to),
        households: hhs.length,
      };
      if (rank !== undefined) params['rank'] = rank;
      const name = nameOf.get(helperId);
      if (name) params['helperName'] = name;
      emit({
        rule: 'PAIR-07',
        at: row.at,
        region: regionOf(row.v),
        table: 'pairings',
        helperId: row.v.helperId!.text,
        code: 'too_many',
        field: 'helperId',
        value: c.peak,
        expected: `不超过${cap - 1}户`,
        related: hhs,
        params,
      });
    }
  },
  describe(f) {
    const p = f.params ?? {};
    const range = p['peakFrom'] === p['peakTo'] ? `${String(p['peakFrom'])}` : `${String(p['peakFrom'])} 至 ${String(p['peakTo'])}`;
    const rank = p['rank'] ? `（职级${String(p['rank'])}）` : '';
    // the configured number is where reporting starts (SPEC: "maxHouseholdsPerHelper or more"):
    // a helper may serve at most one fewer at once
    const cap = Number(p['cap']);
    return (
      `${helperLabel(f)}${rank}同时结对 ${String(p['peak'])} 户（${range}），超过每人同时最多帮扶 ${cap - 1} 户的规定（同时结对 ${cap} 户及以上即列出）；` +
      `涉及 ${String(p['households'])} 户：${(f.related ?? []).join('、')}`
    );
  },
});

// ---------------------------------------------------------------------------------------------
// PAIR-08

export const PAIR_08 = defineRule({
  id: 'PAIR-08',
  family: 'PAIR',
  severity: 'error',
  title: '结对记录关联不上',
  explain:
    '结对帮扶表中的户编号（或户主证件号码）在家庭成员表、贫困户表中找不到，或根本没有填写；帮扶责任人证件号码没有填写；或另有帮扶责任人名单时，结对表中的帮扶责任人证件号码不在名单中。' +
    '请核对户编号、证件号码是否录错，或该户、该帮扶人是否已被删除。',
  reads: ['pairings'],
  cross(ix, emit, ctx) {
    const p = pairIndex(ix, ctx.asOf);
    const householdsGiven = ix.tables.has('members') || ix.tables.has('households');
    let sheetHelpers: Set<string> | undefined;
    if (ix.helperSheetGiven) {
      sheetHelpers = new Set();
      for (const r of ix.helpers) {
        const separate = !(r as { viaPairing?: boolean }).viaPairing && !r.sheet.tables.includes('pairings');
        if (separate && r.v.helperId?.text) sheetHelpers.add(idText(r.v.helperId.text));
      }
    }
    // a pairing sheet without a household column, or without a helper ID column, is absent, not
    // empty: one note per field instead of a finding on every row
    const noColumn = { household: [] as Loc[], helper: [] as Loc[] };
    for (let i = 0; i < p.rows.length; i++) {
      const h = p.hhOf[i]!;
      const ref = h >= 0 ? p.households[h]! : undefined;
      const cols = p.rows[i]!.sheet.fields.pairings;
      const householdColumn = cols === undefined || cols.has('householdNo') || cols.has('headId');
      const helperColumn = cols === undefined || cols.has('helperId');
      const danglingHousehold = householdsGiven && ref !== undefined && !ref.known;
      const helper = p.helperOf[i]!;
      // a damaged helper ID (4.30524E+17) cannot be looked up, and HELPER-01 / ID-10 already report
      // the damage: not reported again as absent from the helpers sheet
      const danglingHelper =
        sheetHelpers !== undefined && helper >= 0 && !p.helperDamaged[helper] && !sheetHelpers.has(p.helpers[helper]!);
      if (!danglingHousehold && !danglingHelper && ref !== undefined && helper >= 0) continue;
      const row = p.rows[i]!;
      const base = { rule: 'PAIR-08' as const, at: row.at, region: regionOf(row.v), table: 'pairings' as const, ...pairingKeys(ref, row) };
      // a row naming no household, or no helper, links nothing
      if (ref === undefined && !householdColumn) noColumn.household.push(row.at);
      else if (ref === undefined) emit({ ...base, code: 'household_missing', field: 'householdNo' });
      if (helper < 0 && !helperColumn) noColumn.helper.push(row.at);
      else if (helper < 0) {
        const params: Record<string, unknown> = {};
        if (row.v.helperName) params['helperName'] = row.v.helperName;
        emit({ ...base, code: 'helper_missing', field: 'helperId', params });
      }
      if (danglingHousehold) {
        if (row.v.householdNo) emit({ ...base, code: 'household', field: 'householdNo', value: row.v.householdNo });
        else emit({ ...base, code: 'head', field: 'headId', value: ref!.headId });
      }
      if (danglingHelper) {
        const params: Record<string, unknown> = {};
        if (row.v.helperName) params['helperName'] = row.v.helperName;
        emit({ ...base, code: 'helper', field: 'helperId', value: row.v.helperId!.text, params });
      }
    }
    for (const [field, label, locs] of [
      ['householdNo', '户编号（或户主证件号码）', noColumn.household],
      ['helperId', '帮扶责任人证件号码', noColumn.helper],
    ] as const) {
      for (const g of bySheet(locs, (l) => l)) {
        emit({
          rule: 'PAIR-08',
          code: 'no_column',
          severity: 'info',
          table: 'pairings',
          at: g.at,
          recordKey: g.recordKey,
          field,
          value: '',
          params: { label, count: g.items.length, files: [g.at.file] },
        });
      }
    }
  },
  describe(f) {
    if (f.code === 'no_column') {
      const files = (f.params?.['files'] as string[] | undefined) ?? [];
      return `结对帮扶表中没有“${String(f.params?.['label'] ?? '')}”列，涉及${displayValue(f.params?.['count'])}条结对记录（${files.join('、')}），无法关联，请从原系统导出包含该列的表`;
    }
    if (f.code === 'household') return `结对记录的户编号 ${f.householdNo ?? ''} 在家庭成员表和贫困户表中都找不到`;
    if (f.code === 'head') return `结对记录的户主证件号码 ${displayValue(f.value)} 对应不到任何户`;
    if (f.code === 'household_missing') return '结对记录没有填写户编号或户主证件号码，关联不到任何户';
    if (f.code === 'helper_missing') {
      const name = f.params?.['helperName'] ? `（帮扶责任人姓名：${String(f.params['helperName'])}）` : '';
      return `结对记录没有填写帮扶责任人证件号码${name}`;
    }
    return `结对记录的${helperLabel(f)}不在帮扶责任人名单中`;
  },
});

// ---------------------------------------------------------------------------------------------
// PAIR-09

export const PAIR_09 = defineRule({
  id: 'PAIR-09',
  family: 'PAIR',
  severity: 'error',
  title: '结对记录重复',
  explain:
    '同一帮扶责任人与同一户有两条或以上结对记录，且时间相互重叠（含完全相同的重复行）。前一段结束次日再开始的不算重叠。' +
    '请删除重复记录或改正时间。',
  reads: ['pairings'],
  cross(ix, emit, ctx) {
    const p = pairIndex(ix, ctx.asOf);
    const { starts, ends, refs } = p.spans;
    const { offsets, order } = p.byHousehold;
    for (let k = 0; k < p.households.length; k++) {
      const hi = offsets[k + 1]!;
      let q = offsets[k]!;
      while (q < hi) {
        const helper = p.helperOf[refs[order[q]!]!]!;
        let r = q + 1;
        while (r < hi && p.helperOf[refs[order[r]!]!]! === helper) r++;
        if (helper >= 0 && r - q >= 2) {
          // sweep the pair's spans (sorted by start): overlap when a start is ≤ the furthest end so far
          let far = order[q]!;
          let involved: Set<number> | undefined;
          let firstFrom = 0;
          let firstTo = 0;
          for (let t = q + 1; t < r; t++) {
            const i = order[t]!;
            if (starts[i]! <= ends[far]!) {
              if (!involved) {
                involved = new Set();
                firstFrom = starts[i]!;
                firstTo = Math.min(ends[i]!, ends[far]!);
              }
              involved.add(refs[far]!);
              involved.add(refs[i]!);
            }
            if (ends[i]! > ends[far]!) far = i;
          }
          if (involved) {
            const rowsIdx = [...involved].sort((a, b) => a - b);
            const at = p.rows[rowsIdx[1]!]!;
            const places = rowsIdx
              .filter((x) => x !== rowsIdx[1])
              .map((x) => {
                const l = p.rows[x]!.at;
                return [l.file, l.sheet, l.row !== undefined ? `第${l.row}行` : undefined].filter(Boolean).join(' / ');
              });
            const params: Record<string, unknown> = { overlapFrom: formatDay(firstFrom), overlapTo: formatDay(firstTo), rows: rowsIdx.length };
            if (at.v.helperName) params['helperName'] = at.v.helperName;
            emit({
              rule: 'PAIR-09',
              at: at.at,
              region: regionOf(at.v),
              table: 'pairings',
              ...pairingKeys(p.households[k], at),
              code: 'overlap',
              field: 'startOn',
              value: rangeText(firstFrom, firstTo),
              related: places,
              params,
            });
          }
        }
        q = r;
      }
    }
  },
  describe(f) {
    const p = f.params ?? {};
    return (
      `${householdText(f)} 与${helperLabel(f)}有 ${String(p['rows'])} 条结对记录时间重叠` +
      `（${String(p['overlapFrom'])} 至 ${String(p['overlapTo'])} 重复）`
    );
  },
});

export const pairingRules: AnyRule[] = [PAIR_01, PAIR_02, PAIR_03, PAIR_04, PAIR_05, PAIR_06, PAIR_07, PAIR_08, PAIR_09];
