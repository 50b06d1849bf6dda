// What the PAIR rules share about a finding: its entity keys (household and helper), how a
// message names the household and the helper, and how coverage gaps are carried and told.
import { z } from 'zod';
import type { Finding } from '../../src/model.js';
import type { PairingRow, PairingValues } from '../../src/schema/rows.js';
import { idValue, partialDate, type RowFn } from '../../src/engine/examples.js';
import { formatDay } from '../../src/core/values.js';
import { msg, param, text, when, type MessageInput, type Piece } from '../../src/i18n/template.js';
import { precisionNote, type Gap, type PrecisionParams } from '../lib/intervals.js';
import type { HouseholdRef } from '../lib/pairing-index.js';

/**
 * Entity keys of a pairing finding: household_no and helper_id (SPEC §3.0). A household named only
 * by its head's ID that resolves to no household carries that ID as id_number, so two such
 * households do not share a fingerprint.
 */
export function pairingKeys(ref: HouseholdRef | undefined, row: PairingRow): Pick<Finding, 'householdNo' | 'helperId' | 'idNumber'> {
  const out: Pick<Finding, 'householdNo' | 'helperId' | 'idNumber'> = {};
  const householdNo = ref?.householdNo ?? row.v.householdNo;
  if (householdNo) out.householdNo = householdNo;
  else if (ref?.headId ?? row.v.headId?.text) out.idNumber = ref?.headId ?? row.v.headId!.text;
  if (row.v.helperId?.text) out.helperId = row.v.helperId.text;
  return out;
}

/** How PAIR-07 and PAIR-09 list a household: its number, else its head's ID. */
export function householdLabel(ref: HouseholdRef): string {
  return ref.householdNo ?? `户主证件号码 ${ref.headId ?? ''}`;
}

/** Params of a finding that names its helper. */
export interface HelperNameParams {
  helperName?: string;
}

/** “户编号 X”, or “户主证件号码 Y” for a household named by its head's ID alone. */
export const household: Piece<unknown> = text('户', (f) => {
  if (f.householdNo) return `户编号 ${f.householdNo}`;
  if (f.idNumber) return `户主证件号码 ${f.idNumber}`;
  return '未写户编号的户';
});

/** “帮扶责任人张三（ID）”, or “帮扶责任人（ID）” without a name. */
export const helperLabel: Piece<HelperNameParams> = text<HelperNameParams>('帮扶责任人', (f) => {
  const name = f.params.helperName;
  const id = f.helperId ?? '';
  return name ? `帮扶责任人${String(name)}（${id}）` : `帮扶责任人（${id}）`;
});

/** One stretch of days without cover, as carried in params. */
export interface GapParam {
  from: string;
  to: string;
  days: number;
}

/** Params of a coverage gap finding (PAIR-03, PAIR-04). */
export interface GapParams {
  gaps: GapParam[];
  gapCount: number;
  totalGapDays: number;
  pairGapDays: number;
}

/** Gaps as params: JSON-friendly dates and day counts. */
export function gapParams(gs: Gap[], gapDays: number): GapParams {
  let total = 0;
  const list = gs.map((g) => {
    const days = g.to - g.from + 1;
    total += days;
    return { from: formatDay(g.from), to: formatDay(g.to), days };
  });
  return { gaps: list, gapCount: gs.length, totalGapDays: total, pairGapDays: gapDays };
}

const firstGap = (f: MessageInput<GapParams>): GapParam | undefined => f.params.gaps?.[0];

/** “在 2017-01-01 至 2017-03-31 期间（90天）无人覆盖；另有1段空档，共计120天” */
export const gapText: Piece<GapParams> = when<GapParams>(
  (f) => firstGap(f) !== undefined,
  msg<GapParams>`在 ${text<GapParams>('第一段空档开始', (f) => firstGap(f)!.from)} 至 ${text<GapParams>('第一段空档结束', (f) => firstGap(f)!.to)} 期间（${text<GapParams>('天数', (f) => String(firstGap(f)!.days))}天）无人覆盖${when<GapParams>(
    (f) => f.params.gaps.length > 1,
    msg<GapParams>`；另有${text<GapParams>('其余空档段数', (f) => String(f.params.gaps.length - 1))}段空档，共计${text<GapParams>('空档总天数', (f) => String(f.params.totalGapDays))}天`,
  )}`,
  msg`有空档`,
);

/** Thresholds of the coverage rules: days of gap tolerated between two stretches. */
export const gapSchema = z.object({ pairGapDays: z.number().int().min(0).default(0) }).strict();

/** “（开始时间只写到年，按当年1月1日计）” where a date was written only to the month or year. */
export const precision: Piece<PrecisionParams> = text<PrecisionParams>('只写到年或月时的计法', (f) => precisionNote(f.params));

/** A param shown as text, as String() would (dates already formatted in params). */
export function show<P>(key: keyof P & string, doc: string): Piece<P> {
  return param<P>(key, doc, (v) => String(v));
}

/** The helper of the example pairings (a valid ID number). */
export const EXAMPLE_HELPER = '430524198001011233';

/** An example pairing of household `no` with EXAMPLE_HELPER, built by the rule file's own row builder. */
export function examplePairing(row: RowFn, no: string, start: string, end?: string): PairingRow {
  return row<PairingValues>('pairings', {
    village: '示例村',
    householdNo: no,
    helperId: idValue(EXAMPLE_HELPER),
    helperName: '李帮扶',
    startOn: partialDate(start),
    ...(end ? { endOn: partialDate(end) } : {}),
  }) as PairingRow;
}
