// PAIR-02 and PAIR-06: when a pairing starts and ends — readable, in order, not after as-of, not
// before 建档立卡 began (PAIR-02, per row) and not before the household was identified (PAIR-06).
import { z } from 'zod';
import { defineRule } from '../../src/engine/rule.js';
import type { HouseholdValues, PairingValues } from '../../src/schema/rows.js';
import { epochDay, formatDay, formatPartialDate, regionOf } from '../../src/core/values.js';
import { createRowBuilder, idValue, partialDate, type RowOpts } from '../../src/engine/examples.js';
import { msg, select, value } from '../../src/i18n/template.js';
import { NO_DAY, endDay, precisionParams, startDay, type PrecisionParams } from '../lib/intervals.js';
import { pairingIndex } from '../lib/pairing-index.js';
import { household, pairingKeys, precision, show } from './shared.js';
import { ISO_DATE_TEXT } from '../../src/core/as-of.js';


/** Example rows (the catalogue test runs them through the engine). */
const row = createRowBuilder();
const HELPER = '430524198001011233';
const pairingRow = (v: Partial<PairingValues>, opts?: RowOpts) =>
  row<PairingValues>('pairings', { village: '示例村', householdNo: 'H001', helperId: idValue(HELPER), helperName: '李帮扶', startOn: partialDate('2016-03-01'), ...v }, opts);
const householdRow = (v: Partial<HouseholdValues> = {}) =>
  row<HouseholdValues>('households', { village: '示例村', householdNo: 'H001', status: '已脱贫', identifiedOn: partialDate('2015'), ...v });

// ---------------------------------------------------------------------------------------------
// PAIR-02 (row)

const pair02Schema = z
  .object({ earliestStart: z.string().regex(ISO_DATE_TEXT, '日期格式应为 YYYY-MM-DD').default('2013-01-01') })
  .strict();

// the configured earliest start, parsed once for the run's rows (a last-value memo, not an index)
let earliestMemo: { text: string; day: number } | undefined;
function earliestDay(text: string): number {
  if (earliestMemo?.text === text) return earliestMemo.day;
  const [y, m, d] = text.split('-').map(Number);
  const day = epochDay(y!, m!, d!);
  earliestMemo = { text, day };
  return day;
}

type Start = PrecisionParams & { start: string };
type End = PrecisionParams & { end: string; asOf: string; written: string };

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
  messages: {
    start_missing: msg`结对帮扶开始时间为空`,
    start_invalid: msg`结对帮扶开始时间“${value}”无法识别为日期`,
    end_invalid: msg`结对帮扶结束时间“${value}”无法识别为日期`,
    end_before_start: msg<Start & { end: string }>`结对帮扶结束时间 ${show('end', '结束时间')} 早于开始时间 ${show('start', '开始时间')}${precision}`,
    start_after_asof: msg<Start & { asOf: string }>`结对帮扶开始时间 ${show('start', '开始时间')} 晚于核查日 ${show('asOf', '核查日')}${precision}`,
    end_after_asof: msg<End>`结对帮扶结束时间 ${show('end', '结束时间')} 晚于核查日 ${show('asOf', '核查日')}${precision}`,
    end_coarse_after_asof: msg<End>`结对帮扶结束时间只写了“${show('written', '填写的结束时间')}”，按${select<End, 'endPrecision'>(
      'endPrecision',
      { month: msg`当月最后一天` },
      msg`当年最后一天`,
      { month: '结束时间写到月' },
    )} ${show('end', '最后一天')} 计晚于核查日 ${show('asOf', '核查日')}；如果实际在核查日或之前结束，请补全到具体日期；如果结对仍在进行，结束时间应为空`,
    start_too_early: msg<Start & { earliest: string }>`结对帮扶开始时间 ${show('start', '开始时间')} 早于 ${show('earliest', '最早开始时间')}（建档立卡开始之前）${precision}`,
  },
  row(row, emit, ctx) {
    const v = row.v;
    const keys = pairingKeys(undefined, row);
    const base = { at: row.at, region: regionOf(v), table: 'pairings' as const, ...keys };
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
    const asOf = ctx.asOf.day;
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
    if (s !== undefined && s > asOf) {
      emit({
        ...base,
        code: 'start_after_asof',
        field: 'startOn',
        value: formatPartialDate(v.startOn!),
        expected: `不晚于${formatDay(asOf)}`,
        params: { start: formatDay(s), asOf: formatDay(asOf), ...prec },
      });
    }
    // SPEC §3.0: an end written as a year or month means its last day; when that is after as-of
    // it is reported — `error` when even its first day is after as-of (certainly after), `suspect`
    // when only the written precision puts it there (结束 2020, as-of 2020-04-30)
    if (e !== undefined && e > asOf) {
      const certain = startDay(v.endOn!) > asOf;
      emit({
        ...base,
        code: certain ? 'end_after_asof' : 'end_coarse_after_asof',
        ...(certain ? {} : { severity: 'suspect' as const }),
        field: 'endOn',
        value: formatPartialDate(v.endOn!),
        expected: `不晚于${formatDay(asOf)}`,
        params: { end: formatDay(e), asOf: formatDay(asOf), written: formatPartialDate(v.endOn!), ...prec },
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
  examples: {
    valid: [
      { note: '开始于2016-03-01、结束于2019-12-31的结对', rows: [pairingRow({ endOn: partialDate('2019-12-31') })] },
      { note: '仍在进行的结对（结束时间为空），开始时间只写到月', rows: [pairingRow({ startOn: partialDate('2016-03') })] },
    ],
    invalid: [
      { note: '开始时间为空', rows: [pairingRow({ startOn: undefined })], codes: ['start_missing'] },
      {
        note: '开始时间和结束时间都写成了无法识别的文字',
        rows: [pairingRow({ startOn: undefined }, { bad: { startOn: '二〇一六年春', endOn: '至今未结束' } })],
        codes: ['start_invalid', 'end_invalid'],
      },
      { note: '结束时间早于开始时间', rows: [pairingRow({ startOn: partialDate('2017-05-01'), endOn: partialDate('2016-12-31') })], codes: ['end_before_start'] },
      {
        note: '核查日为2020-04-30：开始时间晚于核查日且结束时间晚于核查日',
        rows: [pairingRow({ startOn: partialDate('2020-06-01'), endOn: partialDate('2020-12-31') })],
        codes: ['start_after_asof', 'end_after_asof'],
      },
      { note: '结束时间只写到“2020”，按当年最后一天计晚于核查日（疑似）', rows: [pairingRow({ endOn: partialDate('2020') })], codes: ['end_coarse_after_asof'] },
      { note: '开始时间早于2013-01-01', rows: [pairingRow({ startOn: partialDate('2012-06-01'), endOn: partialDate('2015-12-31') })], codes: ['start_too_early'] },
    ],
  },
});

// ---------------------------------------------------------------------------------------------
// PAIR-06

type BeforeIdentified = PrecisionParams & { start: string; identifiedOn: string; identifiedText: string };

export const PAIR_06 = defineRule({
  id: 'PAIR-06',
  family: 'PAIR',
  severity: 'error',
  title: '结对早于识别时间',
  explain:
    '结对帮扶只能在该户被识别为建档立卡贫困户之后开始。识别时间只写年份的按当年1月1日计，结对开始时间只写到年或月的按第一天计。' +
    '请核对结对开始时间或识别时间是否填错。',
  reads: ['pairings'],
  uses: [pairingIndex],
  messages: {
    before_identified: msg<BeforeIdentified>`${household} 的结对开始时间 ${show('start', '开始时间')} 早于该户识别时间 ${show('identifiedOn', '识别时间')}${precision}`,
  },
  cross(ix, emit, ctx) {
    const p = ctx.use(pairingIndex);
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
  examples: {
    valid: [{ note: '2015年识别的户，2016-03-01开始结对', rows: [householdRow(), pairingRow({})] }],
    invalid: [
      {
        note: '2016年识别的户，结对开始时间写成2015-06',
        rows: [householdRow({ identifiedOn: partialDate('2016') }), pairingRow({ startOn: partialDate('2015-06') })],
        codes: ['before_identified'],
      },
    ],
  },
});
