// PAIR-01 and PAIR-03: every registered household is paired with a helper — at all (PAIR-01),
// at as-of while not out of poverty (PAIR-01), and without a day uncovered between its first
// pairing and its last (PAIR-03).
import { defineRule } from '../../src/engine/rule.js';
import type { HouseholdValues, PairingValues } from '../../src/schema/rows.js';
import { formatDay, regionOf } from '../../src/core/values.js';
import { createRowBuilder, partialDate } from '../../src/engine/examples.js';
import { householdNo, msg, param, when } from '../../src/i18n/template.js';
import { neverRegisteredPoor } from '../lib/monitoring.js';
import { clipGaps, gapsSorted, rangeText, sortRange } from '../lib/intervals.js';
import { pairingIndex } from '../lib/pairing-index.js';
import { examplePairing, gapParams, gapSchema, gapText, household, pairingKeys, show, type GapParams } from './shared.js';

/** Example rows (the catalogue test runs them through the engine). */
const row = createRowBuilder();
const householdRow = (no: string, v: Partial<HouseholdValues> = {}) =>
  row<HouseholdValues>('households', { village: '示例村', householdNo: no, status: '未脱贫', identifiedOn: partialDate('2015'), ...v });
const pairingRow = (no: string, start: string, end?: string) => examplePairing(row, no, start, end);

// ---------------------------------------------------------------------------------------------
// PAIR-01

interface InactiveParams {
  status: string;
  asOf: string;
  lastEnd?: string;
}

export const PAIR_01 = defineRule({
  id: 'PAIR-01',
  family: 'PAIR',
  severity: 'error',
  title: '贫困户未结对帮扶',
  explain:
    '每个建档立卡户都应有结对帮扶责任人；未脱贫户（含返贫户）在核查日当天必须有正在进行中的结对。' +
    '请核对结对帮扶表中是否漏录了该户，或结对已结束而未安排新的帮扶责任人。',
  reads: ['pairings'],
  uses: [pairingIndex],
  messages: {
    none: msg`户编号 ${householdNo} 没有任何结对帮扶记录`,
    inactive: msg<InactiveParams>`${param<InactiveParams>('status', '脱贫状态', (s) => String(s ?? '未脱贫'))}户 ${householdNo} 在核查日 ${show<InactiveParams>('asOf', '核查日')} 没有进行中的结对帮扶${when<InactiveParams>(
      (f) => Boolean(f.params.lastEnd),
      msg<InactiveParams>`，最近一次结对于 ${show<InactiveParams>('lastEnd', '最近一次结对结束时间')} 结束`,
    )}`,
  },
  cross(ix, emit, ctx) {
    if (!ix.tables.has('pairings')) return;
    const p = ctx.use(pairingIndex);
    for (const h of ix.households.values()) {
      const k = p.idOfRecord[h.position]!;
      // findings as plain literals (no spread of a shared base): at a province's scale this rule
      // makes millions, and V8 builds a spread-and-extend literal an order of magnitude slower
      if (k < 0) {
        // a monitored household that never was a 贫困户 (边缘易致贫户, 突发严重困难户) has 帮扶联系人,
        // not 结对帮扶 (BASE-05 notes the skip once per sheet)
        if (neverRegisteredPoor(h.v)) continue;
        emit({ at: h.at, region: h.region, table: 'households', householdNo: h.householdNo, code: 'none', field: 'householdNo', value: h.householdNo });
        continue;
      }
      const status = h.v.status;
      if ((status === '未脱贫' || status === '返贫') && !p.activeAtAsOf[k]) {
        let lastEnd = -Infinity;
        const { offsets, order } = p.byHousehold;
        for (let q = offsets[k]!; q < offsets[k + 1]!; q++) lastEnd = Math.max(lastEnd, p.spans.ends[order[q]!]!);
        const params: InactiveParams = { status, asOf: formatDay(ctx.asOf.day) };
        if (Number.isFinite(lastEnd)) params.lastEnd = formatDay(lastEnd);
        emit({ at: h.at, region: h.region, table: 'households', householdNo: h.householdNo, code: 'inactive', field: 'status', value: status, params });
      }
    }
  },
  examples: {
    valid: [{ note: '未脱贫户在核查日有进行中的结对', rows: [householdRow('H001'), pairingRow('H001', '2016-03-01')] }],
    invalid: [
      {
        note: '户H002没有任何结对记录；未脱贫户H001的结对已于2019-12-31结束',
        rows: [householdRow('H001'), pairingRow('H001', '2016-03-01', '2019-12-31'), householdRow('H002', { status: '已脱贫' })],
        codes: ['inactive', 'none'],
      },
    ],
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
  uses: [pairingIndex],
  messages: {
    gap: msg<GapParams>`${household} 的结对帮扶${gapText}，期间没有帮扶责任人`,
  },
  cross(_ix, emit, ctx) {
    const gapDays = ctx.params.pairGapDays ?? 0;
    const asOf = ctx.asOf.day;
    const p = ctx.use(pairingIndex);
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
      const gs = clipGaps(gapsSorted(starts, ends, scratch, 0, m, gapDays), asOf);
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
  examples: {
    valid: [
      {
        note: '前一段结对2016-12-31结束，下一段2017-01-01开始（次日接续，不算中断）',
        rows: [pairingRow('H001', '2016-03-01', '2016-12-31'), pairingRow('H001', '2017-01-01')],
      },
    ],
    invalid: [
      {
        note: '前一段结对2016-12-31结束，下一段2017-03-01才开始：2017-01-01至2017-02-28无人帮扶',
        rows: [pairingRow('H001', '2016-03-01', '2016-12-31'), pairingRow('H001', '2017-03-01')],
        codes: ['gap'],
      },
    ],
  },
});
