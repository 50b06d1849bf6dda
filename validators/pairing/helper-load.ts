// PAIR-07: how many households one helper is paired with at the same time, against a cap per
// helper (configurable per rank). Duplicate rows of one pair count once; pairings one after the
// other do not add up.
import { z } from 'zod';
import { defineRule } from '../../src/engine/rule.js';
import type { PairingValues } from '../../src/schema/rows.js';
import { formatDay, regionOf } from '../../src/core/values.js';
import { createRowBuilder } from '../../src/engine/examples.js';
import { msg, text, when } from '../../src/i18n/template.js';
import { RANKS, lookup } from '../../src/normalize/dictionaries.js';
import { IntervalList, concurrency, groupByKey, intersectsAny, mergeSorted } from '../lib/intervals.js';
import { isDamagedId } from '../lib/idcard.js';
import { forEachPair, idText, pairingIndex, type PairIndex } from '../lib/pairing-index.js';
import { examplePairing, helperLabel, householdLabel, show, type HelperNameParams } from './shared.js';

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
  const { starts, ends } = p.spans;
  const order = p.byHousehold.order;
  const out = new IntervalList(p.spans.length);
  let curHelper = -1;
  let curHh = -1;
  const sink = { push: (s: number, e: number) => out.push(curHelper, s, e, curHh) };
  forEachPair(p, (household, helper, lo, hi) => {
    curHelper = helper;
    curHh = household;
    mergeSorted(starts, ends, order, lo, hi, sink);
  });
  return out;
}

interface TooManyParams extends HelperNameParams {
  peak: number;
  cap: number;
  peakFrom: string;
  peakTo: string;
  overFrom: string;
  overTo: string;
  households: number;
  rank?: string;
}

/** Example rows (the catalogue test runs them through the engine). */
const row = createRowBuilder();
const pairingRow = (no: string, start: string, end?: string) => examplePairing(row, no, start, end);

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
  uses: [pairingIndex],
  messages: {
    // the configured number is where reporting starts (SPEC: "maxHouseholdsPerHelper or more"):
    // a helper may serve at most one fewer at once
    too_many: msg<TooManyParams>`${helperLabel}${when<TooManyParams>(
      (f) => Boolean(f.params.rank),
      msg<TooManyParams>`（职级${show<TooManyParams>('rank', '职级')}）`,
    )}同时结对 ${show<TooManyParams>('peak', '最多同时结对户数')} 户（${when<TooManyParams>(
      (f) => f.params.peakFrom === f.params.peakTo,
      msg<TooManyParams>`${show<TooManyParams>('peakFrom', '最多时开始')}`,
      msg<TooManyParams>`${show<TooManyParams>('peakFrom', '最多时开始')} 至 ${show<TooManyParams>('peakTo', '最多时结束')}`,
    )}），超过每人同时最多帮扶 ${text<TooManyParams>('每人同时最多帮扶户数', (f) => String(Number(f.params.cap) - 1))} 户的规定（同时结对 ${text<TooManyParams>('列出户数', (f) => String(Number(f.params.cap)))} 户及以上即列出）；涉及 ${show<TooManyParams>('households', '涉及户数')} 户：${text<TooManyParams>('涉及的户', (f) => (f.related ?? []).join('、'))}`,
  },
  cross(ix, emit, ctx) {
    const cap0 = ctx.params.maxHouseholdsPerHelper ?? 3;
    const perRank: Record<string, number> = ctx.params.perRank ?? {};
    const p = ctx.use(pairingIndex);
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
      const params: TooManyParams = {
        peak: c.peak,
        cap,
        peakFrom: formatDay(c.peakFrom),
        peakTo: formatDay(c.peakTo),
        overFrom: formatDay(c.over[0]!.from),
        overTo: formatDay(c.over[c.over.length - 1]!.to),
        households: hhs.length,
      };
      if (rank !== undefined) params.rank = rank;
      const name = nameOf.get(helperId);
      if (name) params.helperName = name;
      emit({
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
  examples: {
    valid: [
      {
        note: '一名帮扶责任人同时帮扶2户；第3户在前一户结对结束后才开始，不叠加',
        rows: [pairingRow('H001', '2016-03-01'), pairingRow('H002', '2016-03-01', '2017-12-31'), pairingRow('H003', '2018-01-01')],
      },
    ],
    invalid: [
      {
        note: '一名帮扶责任人自2016-03-01起同时帮扶3户（默认同时结对3户及以上列出）',
        rows: [pairingRow('H001', '2016-03-01'), pairingRow('H002', '2016-03-01'), pairingRow('H003', '2016-03-01')],
        codes: ['too_many'],
      },
    ],
  },
});
