// PAIR-08 and PAIR-09: each pairing record links to a household and a helper that exist
// (PAIR-08), and no helper–household pair is recorded twice for the same days (PAIR-09).
import { defineRule } from '../../src/engine/rule.js';
import type { Loc } from '../../src/model.js';
import type { HelperValues, HouseholdValues, PairingValues } from '../../src/schema/rows.js';
import { formatDay, regionOf } from '../../src/core/values.js';
import { placeText } from '../../src/core/place.js';
import { bySheet } from '../lib/sheets.js';
import { createRowBuilder, idValue, partialDate, type RowOpts } from '../../src/engine/examples.js';
import { householdNo, msg, param, value, when } from '../../src/i18n/template.js';
import { rangeText } from '../lib/intervals.js';
import { forEachPair, idText, pairingIndex } from '../lib/pairing-index.js';
import { household, helperLabel, pairingKeys, show, type HelperNameParams } from './shared.js';

/** Example rows (the catalogue test runs them through the engine). */
const row = createRowBuilder();
const HELPER = '430524198001011233';
const HEAD = '43052419500101123X';
const householdRow = (no: string) => row<HouseholdValues>('households', { village: '示例村', householdNo: no, status: '已脱贫' });
const pairingRow = (v: Partial<PairingValues>, opts?: RowOpts) =>
  row<PairingValues>('pairings', { village: '示例村', householdNo: 'H001', helperId: idValue(HELPER), helperName: '李帮扶', startOn: partialDate('2016-03-01'), ...v }, opts);
const helperRow = (id: string) => row<HelperValues>('helpers', { helperId: idValue(id), helperName: '李帮扶', unit: '示例县财政局' });
/** the pairing sheet's columns, without those listed */
const pairingColumnsWithout = (...drop: string[]): string[] =>
  ['village', 'householdNo', 'headId', 'helperId', 'helperName', 'startOn', 'endOn'].filter((k) => !drop.includes(k));

// ---------------------------------------------------------------------------------------------
// PAIR-08

interface NoColumnParams {
  label: string;
  count: number;
  files: string[];
}

export const PAIR_08 = defineRule({
  id: 'PAIR-08',
  family: 'PAIR',
  severity: 'error',
  title: '结对记录关联不上',
  explain:
    '结对帮扶表中的户编号（或户主证件号码）在家庭成员表、贫困户表中找不到，或根本没有填写；帮扶责任人证件号码没有填写；或另有帮扶责任人名单时，结对表中的帮扶责任人证件号码不在名单中。' +
    '请核对户编号、证件号码是否录错，或该户、该帮扶人是否已被删除。',
  reads: ['pairings'],
  uses: [pairingIndex],
  messages: {
    household: msg`结对记录的户编号 ${householdNo} 在家庭成员表和贫困户表中都找不到`,
    head: msg`结对记录的户主证件号码 ${value} 对应不到任何户`,
    household_missing: msg`结对记录没有填写户编号或户主证件号码，关联不到任何户`,
    helper_missing: msg<HelperNameParams>`结对记录没有填写帮扶责任人证件号码${when<HelperNameParams>(
      (f) => Boolean(f.params.helperName),
      msg<HelperNameParams>`（帮扶责任人姓名：${show<HelperNameParams>('helperName', '帮扶人姓名')}）`,
    )}`,
    helper: msg<HelperNameParams>`结对记录的${helperLabel}不在帮扶责任人名单中`,
    no_column: msg<NoColumnParams>`结对帮扶表中没有“${param<NoColumnParams>('label', '列名', (l) => String(l ?? ''))}”列，涉及${param('count', '记录数')}条结对记录（${param<NoColumnParams, 'files'>(
      'files',
      '文件',
      (files) => (files ?? []).join('、'),
    )}），无法关联，请从原系统导出包含该列的表`,
  },
  cross(ix, emit, ctx) {
    const p = ctx.use(pairingIndex);
    const householdsGiven = ix.tables.has('members') || ix.tables.has('households');
    let sheetHelpers: Set<string> | undefined;
    if (ix.helperSheetGiven) {
      sheetHelpers = new Set();
      for (const r of ix.helpers) {
        const separate = !r.viaPairing && !r.sheet.tables.includes('pairings');
        if (separate && r.v.helperId?.text) sheetHelpers.add(idText(r.v.helperId.text));
      }
    }
    // a pairing sheet without a household column, or without a helper ID column, is absent, not
    // empty: one note per field instead of a finding on every row
    const noColumn = { household: [] as Loc[], helper: [] as Loc[] };
    // a damaged helper ID (4.30524E+17) cannot be looked up, and HELPER-01 / ID-10 already report
    // the damage: not reported again as absent from the helpers sheet. Settled once per helper key,
    // not per pairing row (1 when the helper is missing from the sheet)
    const missingHelper = new Uint8Array(p.helpers.length);
    if (sheetHelpers !== undefined) for (let k = 0; k < p.helpers.length; k++) missingHelper[k] = !p.helperDamaged[k] && !sheetHelpers.has(p.helpers[k]!) ? 1 : 0;
    // which columns a sheet has: rows of one sheet come together, so asked once per sheet
    let lastCols: ReadonlySet<string> | undefined | null = null;
    let householdColumn = true;
    let helperColumn = true;
    for (let i = 0; i < p.rows.length; i++) {
      const h = p.hhOf[i]!;
      const ref = h >= 0 ? p.households[h]! : undefined;
      const cols = p.rows[i]!.sheet.fields.pairings;
      if (cols !== lastCols) {
        lastCols = cols;
        householdColumn = cols === undefined || cols.has('householdNo') || cols.has('headId');
        helperColumn = cols === undefined || cols.has('helperId');
      }
      const danglingHousehold = householdsGiven && ref !== undefined && !ref.known;
      const helper = p.helperOf[i]!;
      const danglingHelper = helper >= 0 && missingHelper[helper] === 1;
      if (!danglingHousehold && !danglingHelper && ref !== undefined && helper >= 0) continue;
      const row = p.rows[i]!;
      const base = { at: row.at, region: regionOf(row.v), table: 'pairings' as const, ...pairingKeys(ref, row) };
      // a row naming no household, or no helper, links nothing
      if (ref === undefined && !householdColumn) noColumn.household.push(row.at);
      else if (ref === undefined) emit({ ...base, code: 'household_missing', field: 'householdNo' });
      if (helper < 0 && !helperColumn) noColumn.helper.push(row.at);
      else if (helper < 0) {
        const params: HelperNameParams = {};
        if (row.v.helperName) params.helperName = row.v.helperName;
        emit({ ...base, code: 'helper_missing', field: 'helperId', params });
      }
      if (danglingHousehold) {
        if (row.v.householdNo) emit({ ...base, code: 'household', field: 'householdNo', value: row.v.householdNo });
        else emit({ ...base, code: 'head', field: 'headId', value: ref!.headId });
      }
      if (danglingHelper) {
        const params: HelperNameParams = {};
        if (row.v.helperName) params.helperName = row.v.helperName;
        emit({ ...base, code: 'helper', field: 'helperId', value: row.v.helperId!.text, params });
      }
    }
    for (const [field, label, locs] of [
      ['householdNo', '户编号（或户主证件号码）', noColumn.household],
      ['helperId', '帮扶责任人证件号码', noColumn.helper],
    ] as const) {
      for (const g of bySheet(locs, (l) => l)) {
        emit({
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
  examples: {
    valid: [{ note: '结对记录的户编号在贫困户表中，帮扶责任人在帮扶责任人名单中', rows: [householdRow('H001'), helperRow(HELPER), pairingRow({})] }],
    invalid: [
      {
        note: '户编号H009在贫困户表中找不到；另一条记录只写了户主证件号码，也对应不到任何户',
        rows: [householdRow('H001'), pairingRow({ householdNo: 'H009' }), pairingRow({ householdNo: undefined, headId: idValue(HEAD) })],
        codes: ['household', 'head'],
      },
      {
        note: '一条记录没有户编号和户主证件号码，另一条没有帮扶责任人证件号码',
        rows: [householdRow('H001'), pairingRow({ householdNo: undefined }), pairingRow({ helperId: undefined })],
        codes: ['household_missing', 'helper_missing'],
      },
      {
        note: '另有帮扶责任人名单，结对记录的帮扶责任人不在名单中',
        rows: [householdRow('H001'), helperRow('430524197503023459'), pairingRow({})],
        codes: ['helper'],
      },
      {
        note: '结对帮扶表没有帮扶责任人证件号码列',
        rows: [pairingRow({ helperId: undefined }, { fields: pairingColumnsWithout('helperId') })],
        codes: ['no_column'],
      },
    ],
  },
});

// ---------------------------------------------------------------------------------------------
// PAIR-09

interface OverlapParams extends HelperNameParams {
  overlapFrom: string;
  overlapTo: string;
  rows: number;
}

export const PAIR_09 = defineRule({
  id: 'PAIR-09',
  family: 'PAIR',
  severity: 'error',
  title: '结对记录重复',
  explain:
    '同一帮扶责任人与同一户有两条或以上结对记录，且时间相互重叠（含完全相同的重复行）。前一段结束次日再开始的不算重叠。' +
    '请删除重复记录或改正时间。',
  reads: ['pairings'],
  uses: [pairingIndex],
  messages: {
    overlap: msg<OverlapParams>`${household} 与${helperLabel}有 ${show<OverlapParams>('rows', '记录条数')} 条结对记录时间重叠（${show<OverlapParams>('overlapFrom', '重叠开始')} 至 ${show<OverlapParams>('overlapTo', '重叠结束')} 重复）`,
  },
  cross(_ix, emit, ctx) {
    const p = ctx.use(pairingIndex);
    const { starts, ends, refs } = p.spans;
    const order = p.byHousehold.order;
    forEachPair(p, (k, _helper, q, r) => {
      if (r - q < 2) return;
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
      if (!involved) return;
      const rowsIdx = [...involved].sort((a, b) => a - b);
      const at = p.rows[rowsIdx[1]!]!;
      const places = rowsIdx.filter((x) => x !== rowsIdx[1]).map((x) => placeText({ at: p.rows[x]!.at }));
      const params: OverlapParams = { overlapFrom: formatDay(firstFrom), overlapTo: formatDay(firstTo), rows: rowsIdx.length };
      if (at.v.helperName) params.helperName = at.v.helperName;
      emit({
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
    });
  },
  examples: {
    valid: [
      {
        note: '同一帮扶人与同一户先后两段结对，前一段结束次日再开始',
        rows: [pairingRow({ endOn: partialDate('2017-12-31') }), pairingRow({ startOn: partialDate('2018-01-01') })],
      },
    ],
    invalid: [{ note: '同一条结对记录录入了两次', rows: [pairingRow({}), pairingRow({})], codes: ['overlap'] }],
  },
});
