// HELPER — 扶贫主体基础信息 (SPEC §3 HELPER-01..HELPER-07). Helpers arrive on their own sheet, as
// helper columns on pairing rows (rows with viaPairing), or only as the helper ID and name on a
// pairing row; resident cadres (residencies) are helpers too for HELPER-01, -02, -03, -06, -07.
// All of them feed one set of helper records keyed by the normalised ID number: a derived index
// (validators/lib/helper-records.ts) the cross rules declare.
import type { Finding, Loc, TableKind } from '../src/model.js';
import { bySheet } from './lib/sheets.js';
import { defineRule, type AnyRule } from '../src/engine/rule.js';
import type { HelperValues, PairingValues, ResidencyRow, ResidencyValues } from '../src/schema/rows.js';
import { regionOf } from '../src/core/values.js';
import { placeText } from '../src/core/place.js';
import { createRowBuilder, idValue, partialDate, type RowOpts } from '../src/engine/examples.js';
import { expected, helperId, msg, param, text, value, when, type Piece, type Template } from '../src/i18n/template.js';
import { checkIdNumber, isDamagedId, isNoneText, isPlaceholder, normalizeIdText } from './lib/idcard.js';
import { helperRecords, nameKey, sheetHas, type HelperRecord, type HelperSource } from './lib/helper-records.js';

// ---------------------------------------------------------------------------------------------
// Shared bits

type Role = 'residency' | 'helper';

/** Params every helper finding carries when the helper has a name. */
interface NameParams {
  helperName?: string;
}

interface RoleParams extends NameParams {
  role: Role;
}

function idField(src: HelperSource): 'idNumber' | 'helperId' {
  return src.kind === 'residency' ? 'idNumber' : 'helperId';
}

/** Where a HELPER finding located at one source row sits, and whose it is. */
function baseAt(src: HelperSource, helperId: string | undefined): Omit<Finding, 'rule' | 'code' | 'params'> {
  const f: Omit<Finding, 'rule' | 'code' | 'params'> = { at: src.row.at, region: regionOf(src.row.v), table: src.row.table };
  if (helperId) f.helperId = helperId;
  // a damaged ID is shared by many people: the name keeps their findings (fingerprints) apart
  if (helperId && src.id && src.name && isDamagedId(src.id)) f.name = src.name;
  return f;
}

/** The helper's name as params (first in every helper finding's params), when it has one. */
function named(src: HelperSource): NameParams {
  return src.name ? { helperName: src.name } : {};
}

/** “驻村干部赵六（ID）”, “帮扶责任人王五”, …: role, name, ID as far as known. */
const who: Piece<Partial<RoleParams>> = text<Partial<RoleParams>>('帮扶人', (f) => {
  const name = f.params.helperName;
  const role = f.params.role === 'residency' ? '驻村干部' : '帮扶责任人';
  const id = f.helperId ? `（${f.helperId}）` : '';
  return `${role}${name ? String(name) : ''}${id}`;
});

function roleOf(rec: HelperRecord): Role {
  return rec.sources.every((s) => s.kind === 'residency') ? 'residency' : 'helper';
}

const MOBILE = /^1[3-9]\d{9}$/;

/** Params of a note about a column the sheets lacked. */
interface NoColumnParams {
  label: string;
  count: number;
  files: string[];
}

/**
 * One info note for a column that the sheets of `locs` lacked: a clerk's export without an optional
 * column is not an error on every row. No helper entity, so it lands on nobody's record.
 */
function noColumnNotes<F extends string>(table: TableKind, field: F, zh: string, locs: Loc[]) {
  // one note per sheet and field
  return bySheet(locs, (l) => l).map((g) => ({
    code: 'no_column' as const,
    severity: 'info' as const,
    table,
    at: g.at,
    recordKey: g.recordKey,
    field,
    value: '',
    params: { label: zh, count: g.items.length, files: [g.at.file] },
  }));
}

/** “表中没有“证件号码”列，涉及3条记录（…）…” — `unit` counts what lacked it. */
function noColumnMessage(unit: string): Template<NoColumnParams> {
  return msg<NoColumnParams>`表中没有“${text<NoColumnParams>('列名', (f) => String(f.params.label ?? f.field ?? ''))}”列，涉及${param<NoColumnParams>('count', '数量')}${unit}（${param<NoColumnParams, 'files'>(
    'files',
    '文件',
    (files) => (files ?? []).join('、'),
  )}），无法检查该项，请从原系统导出包含该列的表`;
}

/** Example rows (the catalogue test runs them through the engine). */
const row = createRowBuilder();
const A = '430524198001011233';
const B = '430524198502022344';
const helperRow = (v: Partial<HelperValues>, opts?: RowOpts) =>
  row<HelperValues>('helpers', { helperId: idValue(A), helperName: '王五', phone: '13800000001', unit: '示例县财政局', unitLevel: '县', rank: '科员级', ...v }, opts);
const cadreRow = (v: Partial<ResidencyValues>, opts?: RowOpts) =>
  row<ResidencyValues>(
    'residencies',
    { village: '红星村', name: '赵六', idNumber: idValue(B), role: '第一书记', dispatchUnit: '示例县委组织部', startOn: partialDate('2018-03-01'), phone: '13900000009', ...v },
    opts,
  );
const pairingRow = (id: string, name: string) =>
  row<PairingValues>('pairings', { householdNo: 'H001', helperId: idValue(id), helperName: name, startOn: partialDate('2016-01-01') });
/** a sheet's columns of `table`, without those listed */
const columnsWithout = (keys: string[], ...drop: string[]): string[] => keys.filter((k) => !drop.includes(k));
const HELPER_COLUMNS = ['helperId', 'helperName', 'phone', 'unit', 'unitLevel', 'rank'];
const CADRE_COLUMNS = ['village', 'name', 'idNumber', 'role', 'dispatchUnit', 'startOn', 'endOn', 'phone'];

// ---------------------------------------------------------------------------------------------
// HELPER-01

/** The ID problems HELPER-01 reports (ID-02..ID-04 and ID-10 of validators/lib/idcard.ts), as codes. */
const ID_CODES = [
  'ID-10:scientific',
  'ID-10:numeric_cell',
  'ID-10:trailing_zeros',
  'ID-02:legacy15',
  'ID-02:disability_suffix',
  'ID-02:format',
  'ID-03:check_digit',
  'ID-04:birth_invalid',
  'ID-04:birth_future',
  'ID-04:age_over_120',
] as const;
type IdCode = (typeof ID_CODES)[number];
const isIdCode = (c: string): c is IdCode => (ID_CODES as readonly string[]).includes(c);

/** Params of an ID problem: the problem's own params, which ID rule and code, the role. */
type IdProblemParams = RoleParams & { idRule: string; idCode: string } & Record<string, unknown>;

/** “，应为 …” where the problem proposes a number */
const shouldBe = when<IdProblemParams>((f) => f.expected !== undefined, msg`，应为 ${expected}`);

/** `${who}的证件号码${what}（ID-0x）${，应为 …}` */
const idProblem = (what: string, rule: string): Template<IdProblemParams> => msg<IdProblemParams>`${who}的证件号码${what}（${rule}）${shouldBe}`;

const ID_MESSAGES: Record<IdCode, Template<IdProblemParams>> = {
  'ID-10:scientific': idProblem('被表格软件损坏（科学计数法或末尾变成0）', 'ID-10'),
  'ID-10:numeric_cell': idProblem('被表格软件损坏（科学计数法或末尾变成0）', 'ID-10'),
  'ID-10:trailing_zeros': idProblem('被表格软件损坏（科学计数法或末尾变成0）', 'ID-10'),
  'ID-02:legacy15': msg<IdProblemParams>`${who}的证件号码是15位旧号码，需升级为18位${when<IdProblemParams>(
    (f) => f.expected !== undefined,
    msg`，应为 ${expected}`,
    msg`（号码中的出生日期或省份代码有误，无法推算升级后的号码，请核对）`,
  )}`,
  'ID-02:disability_suffix': idProblem('格式不对', 'ID-02'),
  'ID-02:format': idProblem('格式不对', 'ID-02'),
  'ID-03:check_digit': idProblem('校验码错误', 'ID-03'),
  'ID-04:birth_invalid': idProblem('出生日期不合理', 'ID-04'),
  'ID-04:birth_future': idProblem('出生日期不合理', 'ID-04'),
  'ID-04:age_over_120': idProblem('出生日期不合理', 'ID-04'),
};

export const HELPER_01 = defineRule({
  id: 'HELPER-01',
  family: 'HELPER',
  severity: 'error',
  title: '帮扶人证件号码错误',
  explain:
    '帮扶责任人、第一书记和驻村工作队员的身份证号码要经过与贫困人口相同的检查：18位格式、校验码、出生日期，以及是否被Excel改成科学计数法或末尾变0。' +
    '证件号码为空或写成“999999…”“无”的也列出。请对照本人身份证改正，帮扶App登记以此为准。',
  reads: ['helpers', 'pairings', 'residencies'],
  uses: [helperRecords],
  messages: {
    missing: msg<RoleParams>`${who}的证件号码为空`,
    placeholder: msg<RoleParams>`${who}的证件号码“${value}”不是有效号码`,
    ...ID_MESSAGES,
    no_column: noColumnMessage('条记录'),
  },
  cross(_ix, emit, ctx) {
    const hx = ctx.use(helperRecords);
    for (const rec of hx.byId.values()) {
      const src = rec.sources[0]!;
      const id = src.id!;
      const role = roleOf(rec);
      const text = normalizeIdText(id.text);
      if (isPlaceholder(text) || isNoneText(text)) {
        emit({ ...baseAt(src, id.text), code: 'placeholder', field: idField(src), value: id.raw || id.text, params: { ...named(src), role } });
        continue;
      }
      const check = checkIdNumber(id, ctx.asOf);
      for (const pr of check.problems) {
        if (pr.rule === 'ID-05') continue; // HELPER-01 is ID-02..ID-04 and ID-10 only
        const code = `${pr.rule}:${pr.code}`;
        // every ID problem HELPER-01 reports has its message; a new one must get one first
        if (!isIdCode(code)) throw new Error(`HELPER-01 has no message for ID problem ${code}`);
        const f = { ...baseAt(src, id.text), code, field: idField(src), value: pr.value ?? (id.raw || id.text) };
        emit({
          ...f,
          ...(pr.expected !== undefined ? { expected: pr.expected } : {}),
          ...(pr.severity ? { severity: pr.severity } : {}),
          params: { ...named(src), ...(pr.params ?? {}), idRule: pr.rule, idCode: pr.code, role },
        });
      }
    }
    // a helper or residency row without any ID number: keyed by name (one finding per name);
    // a sheet without an ID column at all is absent, not empty: one note per field
    const noColumn: Loc[] = [];
    let noColumnTable: TableKind = 'residencies';
    for (const src of hx.noId) {
      if (src.kind === 'pairing') continue; // a pairing row without a helper ID is PAIR-08
      if (!sheetHas(src.row, idField(src))) {
        // a pairing sheet's helper columns without an ID column: PAIR-08 already notes that sheet
        if (src.kind === 'helper' && src.row.viaPairing) continue;
        if (noColumn.length === 0) noColumnTable = src.row.table;
        noColumn.push(src.row.at);
        continue;
      }
      const f = { ...baseAt(src, undefined), code: 'missing' as const, field: idField(src) };
      emit({ ...f, ...(src.name ? { name: src.name } : {}), params: { ...named(src), role: src.kind === 'residency' ? 'residency' : 'helper' } });
    }
    for (const n of noColumnNotes(noColumnTable, noColumnTable === 'residencies' ? 'idNumber' : 'helperId', '证件号码', noColumn)) emit(n);
  },
  examples: {
    valid: [{ note: '帮扶责任人和第一书记的身份证号码都正确', rows: [helperRow({}), cadreRow({})] }],
    invalid: [
      {
        note: '校验码错误；15位旧号码；写成“无”；被Excel改成科学计数法',
        rows: [
          helperRow({ helperId: idValue('430524198001011234') }),
          cadreRow({ idNumber: idValue('430524800101123') }),
          helperRow({ helperId: idValue('无'), helperName: '钱七' }),
          helperRow({ helperId: idValue('4.30524E+17', { numericCell: true }), helperName: '孙八' }),
        ],
        codes: ['ID-03:check_digit', 'ID-02:legacy15', 'placeholder', 'ID-10:scientific'],
      },
      {
        note: '号码只有12位；出生日期为2月30日；出生日期晚于核查日；年龄超过120岁；残疾人证号码末两位不是残疾类别和等级',
        rows: [
          helperRow({ helperId: idValue('430524198001') }),
          cadreRow({ idNumber: idValue('430524198002301232') }),
          helperRow({ helperId: idValue('43052420210101123X') }),
          helperRow({ helperId: idValue('430524189001011239') }),
          helperRow({ helperId: idValue('43052419800101123399') }),
        ],
        codes: ['ID-02:format', 'ID-04:birth_invalid', 'ID-04:birth_future', 'ID-04:age_over_120', 'ID-02:disability_suffix'],
      },
      {
        note: '号码存成了数值单元格；末尾三位被表格软件改成了0',
        rows: [helperRow({ helperId: idValue('430524198001011233', { numericCell: true }) }), cadreRow({ idNumber: idValue('430524198001011000') })],
        codes: ['ID-10:numeric_cell', 'ID-10:trailing_zeros'],
      },
      { note: '第一书记没有填写证件号码', rows: [cadreRow({ idNumber: undefined })], codes: ['missing'] },
      {
        note: '帮扶责任人名单没有证件号码列',
        rows: [helperRow({ helperId: undefined }, { fields: columnsWithout(HELPER_COLUMNS, 'helperId') })],
        codes: ['no_column'],
      },
    ],
  },
});

// ---------------------------------------------------------------------------------------------
// HELPER-02

interface InvalidPhoneParams extends RoleParams {
  values: string[];
}

export const HELPER_02 = defineRule({
  id: 'HELPER-02',
  family: 'HELPER',
  severity: 'error',
  title: '帮扶人手机号缺失或有误',
  explain:
    '帮扶责任人和驻村干部应登记本人的大陆手机号码（11位，1开头，第二位为3至9），用于帮扶App登记和电话回访。' +
    '只检查带有联系电话列的表。请补录或改正为本人手机号码。',
  reads: ['helpers', 'residencies'],
  uses: [helperRecords],
  messages: {
    missing: msg<RoleParams>`${who}没有填写联系电话`,
    invalid: msg<InvalidPhoneParams>`${who}的联系电话“${value}”不是有效的手机号码（应为1开头的11位号码）`,
  },
  cross(_ix, emit, ctx) {
    const hx = ctx.use(helperRecords);
    for (const rec of hx.byId.values()) {
      const withCol = rec.sources.filter((s) => s.phoneColumn);
      if (withCol.length === 0) continue;
      const role = roleOf(rec);
      const phones = withCol.filter((s) => s.phone);
      if (phones.length === 0) {
        const src = withCol[0]!;
        emit({ ...baseAt(src, src.id!.text), code: 'missing', field: 'phone', params: { ...named(src), role } });
        continue;
      }
      const bad = phones.filter((s) => !MOBILE.test(s.phone!));
      if (bad.length > 0) {
        const src = bad[0]!;
        const values = [...new Set(bad.map((s) => s.phone!))];
        emit({ ...baseAt(src, src.id!.text), code: 'invalid', field: 'phone', value: src.phone, params: { ...named(src), role, values } });
      }
    }
    // a list without an ID column at all (absent, not empty): its phones are still checked, per row,
    // the person's name keeping the findings apart
    const seenNames = new Set<string>();
    for (const src of hx.noId) {
      if (src.kind === 'pairing' || !src.phoneColumn || sheetHas(src.row, idField(src))) continue;
      // the same person on several rows (one per paired household) is one finding
      const person = `${src.kind}\u001f${src.name ?? ''}\u001f${src.phone ?? ''}`;
      if (seenNames.has(person)) continue;
      seenNames.add(person);
      const role = src.kind === 'residency' ? 'residency' : 'helper';
      const base = baseAt(src, undefined);
      if (src.name) base.name = src.name;
      // no ID number to key on: two people of one name keep findings of their own
      base.recordKey = src.phone ?? '';
      if (!src.phone) emit({ ...base, code: 'missing', field: 'phone', params: { ...named(src), role } });
      else if (!MOBILE.test(src.phone)) emit({ ...base, code: 'invalid', field: 'phone', value: src.phone, params: { ...named(src), role, values: [src.phone] } });
    }
  },
  examples: {
    valid: [{ note: '帮扶责任人和第一书记都登记了本人手机号码', rows: [helperRow({}), cadreRow({})] }],
    invalid: [
      {
        note: '帮扶责任人登记的是座机号码，第一书记没有填写联系电话',
        rows: [helperRow({ phone: '07315551234' }), cadreRow({ phone: undefined })],
        codes: ['invalid', 'missing'],
      },
    ],
  },
});

// ---------------------------------------------------------------------------------------------
// HELPER-03

/** How many of the other helpers sharing a phone one HELPER-03 finding lists. */
const HELPER03_OTHERS = 20;

interface SharedParams extends RoleParams {
  sharedWith: number;
  otherNames: string[];
}

export const HELPER_03 = defineRule({
  id: 'HELPER-03',
  family: 'HELPER',
  severity: 'error',
  title: '多名帮扶人共用一个手机号',
  explain:
    '同一个手机号码登记在两名或以上不同身份证号的帮扶责任人（含驻村干部）名下。帮扶App注册要求一人一号，请改为每人本人的手机号码。',
  reads: ['helpers', 'residencies'],
  uses: [helperRecords],
  messages: {
    shared: msg<SharedParams>`${who}的手机号 ${value} 同时登记在另外 ${text<SharedParams>('其他人数', (f) => String(sharedWith(f.params, f.related)))} 人名下：${text<SharedParams>(
      '其他人',
      (f) => {
        const names = f.params.otherNames ?? [];
        return (f.related ?? []).map((id, i) => (names[i] ? `${names[i]}（${id}）` : id)).join('、');
      },
    )}${when<SharedParams>((f) => sharedWith(f.params, f.related) > (f.related ?? []).length, msg`等`)}`,
  },
  cross(_ix, emit, ctx) {
    const hx = ctx.use(helperRecords);
    const byPhone = new Map<string, { rec: HelperRecord; src: HelperSource }[]>();
    for (const rec of hx.byId.values()) {
      // a helper's phones seen so far: nearly every helper has one, so the first is kept as is and
      // a set made only for a second (not a set per helper)
      let first: string | undefined;
      let seen: Set<string> | undefined;
      for (const s of rec.sources) {
        if (!s.phone) continue;
        const digits = s.phone.replace(/\D/g, '');
        if (digits.length < 7 || digits === first || seen?.has(digits)) continue;
        if (first === undefined) first = digits;
        else (seen ??= new Set([first])).add(digits);
        const list = byPhone.get(digits);
        if (list) list.push({ rec, src: s });
        else byPhone.set(digits, [{ rec, src: s }]);
      }
    }
    for (const [phone, list] of byPhone) {
      if (list.length < 2) continue;
      for (const { rec, src } of list) {
        // each helper names at most HELPER03_OTHERS of the others: a phone shared by thousands
        // (a unit's switchboard number) must not cost thousands × thousands
        const others: typeof list = [];
        for (const x of list) {
          if (x.rec === rec) continue;
          others.push(x);
          if (others.length >= HELPER03_OTHERS) break;
        }
        const names = others.map((x) => x.src.name ?? '');
        emit({
          ...baseAt(src, src.id!.text),
          code: 'shared',
          field: 'phone',
          value: phone,
          related: others.map((x) => x.src.id!.text),
          params: { ...named(src), role: roleOf(rec), sharedWith: list.length - 1, otherNames: names },
        });
      }
    }
  },
  examples: {
    valid: [{ note: '两名帮扶人各用本人手机号码', rows: [helperRow({}), cadreRow({})] }],
    invalid: [{ note: '帮扶责任人王五和第一书记赵六登记了同一个手机号码', rows: [helperRow({}), cadreRow({ phone: '13800000001' })], codes: ['shared'] }],
  },
});

function sharedWith(p: Partial<SharedParams>, related: string[] | undefined): number {
  return Number(p.sharedWith ?? (related ?? []).length);
}

// ---------------------------------------------------------------------------------------------
// HELPER-04

const FIELD_ZH = { unit: '帮扶单位', unitLevel: '帮扶单位隶属关系', rank: '职务级别' } as const;
type UnitField = keyof typeof FIELD_ZH;

const invalidOption = (label: string): Template<NameParams> => msg<NameParams>`${who}的${label}“${value}”不在规定选项中`;
const empty = (label: string): Template<NameParams> => msg<NameParams>`${who}的${label}为空`;

export const HELPER_04 = defineRule({
  id: 'HELPER-04',
  family: 'HELPER',
  severity: 'error',
  title: '帮扶单位或职级缺失、不规范',
  explain:
    '帮扶责任人的帮扶单位、单位隶属关系（中央、省、市、县、乡镇、村委会等）和职务级别（厅局级正职、县处级副职、科员级等）都应按规范填写。' +
    '只检查带有隶属关系和职级列的表；表中没有帮扶单位列的，只提示一次缺列，不逐人报错。请补录或改为规定的选项。',
  reads: ['helpers'],
  uses: [helperRecords],
  messages: {
    unit_invalid: invalidOption(FIELD_ZH.unit),
    unitLevel_invalid: invalidOption(FIELD_ZH.unitLevel),
    rank_invalid: invalidOption(FIELD_ZH.rank),
    unit_missing: empty(FIELD_ZH.unit),
    unitLevel_missing: empty(FIELD_ZH.unitLevel),
    rank_missing: empty(FIELD_ZH.rank),
    no_column: noColumnMessage('名帮扶责任人'),
  },
  cross(_ix, emit, ctx) {
    const hx = ctx.use(helperRecords);
    // helpers whose sheets lacked a column: one note per field, not one error per helper
    const noColumn = new Map<UnitField, HelperSource[]>();
    for (const rec of hx.byId.values()) {
      const rows = rec.sources.filter((s): s is Extract<HelperSource, { kind: 'helper' }> => s.kind === 'helper' && s.rankColumns);
      if (rows.length === 0) continue;
      for (const key of ['unit', 'unitLevel', 'rank'] as const) {
        // a value can be missing only where the sheet had the column
        const withCol = rows.filter((r) => sheetHas(r.row, key));
        if (withCol.length === 0) {
          const list = noColumn.get(key) ?? [];
          list.push(rows[0]!);
          noColumn.set(key, list);
          continue;
        }
        const badRow = withCol.find((r) => r.row.bad?.[key] !== undefined);
        if (badRow) {
          emit({ ...baseAt(badRow, badRow.id!.text), code: `${key}_invalid` as const, field: key, value: badRow.row.bad![key], ...nameParams(badRow) });
        } else if (!withCol.some((r) => r.row.v[key] !== undefined && r.row.v[key] !== '')) {
          const first = withCol[0]!;
          emit({ ...baseAt(first, first.id!.text), code: `${key}_missing` as const, field: key, ...nameParams(first) });
        }
      }
    }
    for (const [key, srcs] of noColumn)
      for (const n of noColumnNotes('helpers', key, FIELD_ZH[key] ?? key, srcs.map((s) => s.row.at))) emit(n);
  },
  examples: {
    valid: [{ note: '帮扶单位、隶属关系和职务级别都按规范填写', rows: [helperRow({})] }],
    invalid: [
      {
        note: '职务级别写成“处长”（不在规定选项中），帮扶单位为空',
        rows: [helperRow({ rank: undefined, unit: undefined }, { bad: { rank: '处长' } })],
        codes: ['rank_invalid', 'unit_missing'],
      },
      {
        note: '隶属关系写成“县直”，另一人职务级别为空',
        rows: [helperRow({ unitLevel: undefined }, { bad: { unitLevel: '县直' } }), helperRow({ helperId: idValue(B), helperName: '赵六', phone: '13900000009', rank: undefined })],
        codes: ['unitLevel_invalid', 'rank_missing'],
      },
      {
        note: '帮扶单位无法识别（单元格为错误值），另一人隶属关系为空',
        rows: [helperRow({ unit: undefined }, { bad: { unit: '#N/A' } }), helperRow({ helperId: idValue(B), helperName: '赵六', phone: '13900000009', unitLevel: undefined })],
        codes: ['unit_invalid', 'unitLevel_missing'],
      },
      {
        note: '帮扶责任人名单有隶属关系和职级列，但没有帮扶单位列',
        rows: [helperRow({ unit: undefined }, { fields: columnsWithout(HELPER_COLUMNS, 'unit') })],
        codes: ['no_column'],
      },
    ],
  },
});

/** `{ params: { helperName } }` for a source with a name; nothing otherwise (as findings always had). */
function nameParams(src: HelperSource): { params?: NameParams } {
  return src.name ? { params: { helperName: src.name } } : {};
}

// ---------------------------------------------------------------------------------------------
// HELPER-05

const BUREAU_OR_ABOVE = new Set(['国家级正职', '国家级副职', '省部级正职', '省部级副职', '厅局级正职', '厅局级副职']);
const COUNTY_OR_ABOVE = new Set([...BUREAU_OR_ABOVE, '县处级正职', '县处级副职']);
const COUNTY_OR_BELOW_UNITS = new Set(['县', '区', '街道', '镇', '乡', '居民委员会', '村民委员会']);
const TOWNSHIP_OR_BELOW_UNITS = new Set(['街道', '镇', '乡', '居民委员会', '村民委员会']);

interface RankParams extends NameParams {
  unitLevel: string;
  unit?: string;
}

const rankAboveUnit = (limit: string): Template<RankParams> =>
  msg<RankParams>`${who}的职务级别为${value}，而帮扶单位${when<RankParams>(
    (f) => Boolean(f.params.unit),
    msg<RankParams>`“${param<RankParams>('unit', '帮扶单位')}”`,
  )}隶属关系为${param<RankParams>('unitLevel', '隶属关系', (l) => String(l ?? ''))}：${limit}`;

export const HELPER_05 = defineRule({
  id: 'HELPER-05',
  family: 'HELPER',
  severity: 'error',
  title: '职级与单位层级不符',
  explain:
    '县、区及以下单位一般没有厅局级及以上干部，乡镇、街道、村（居）委会一般没有县处级及以上干部。' +
    '职级高于单位层级的，多是单位隶属关系或职务级别选错，请核对后改正。',
  reads: ['helpers'],
  uses: [helperRecords],
  messages: {
    bureau_in_county: rankAboveUnit('县、区及以下单位不应有厅局级及以上职级'),
    county_in_township: rankAboveUnit('乡镇、街道、村（居）委会不应有县处级及以上职级'),
  },
  cross(_ix, emit, ctx) {
    const hx = ctx.use(helperRecords);
    for (const rec of hx.byId.values()) {
      for (const s of rec.sources) {
        if (s.kind !== 'helper' || !s.rankColumns) continue;
        const { unitLevel, rank, unit } = s.row.v;
        if (!unitLevel || !rank) continue;
        let code: 'bureau_in_county' | 'county_in_township' | undefined;
        if (BUREAU_OR_ABOVE.has(rank) && COUNTY_OR_BELOW_UNITS.has(unitLevel)) code = 'bureau_in_county';
        else if (COUNTY_OR_ABOVE.has(rank) && TOWNSHIP_OR_BELOW_UNITS.has(unitLevel)) code = 'county_in_township';
        if (!code) continue;
        emit({ ...baseAt(s, s.id!.text), code, field: 'rank', value: rank, params: { ...named(s), unitLevel, ...(unit ? { unit } : {}) } });
        break; // one finding per helper
      }
    }
  },
  examples: {
    valid: [{ note: '县直单位的县处级副职', rows: [helperRow({ rank: '县处级副职' })] }],
    invalid: [
      {
        note: '县级单位登记了厅局级正职；乡镇干部登记了县处级副职',
        rows: [helperRow({ rank: '厅局级正职' }), helperRow({ helperId: idValue(B), helperName: '赵六', phone: '13900000009', unit: '示例镇人民政府', unitLevel: '镇', rank: '县处级副职' })],
        codes: ['bureau_in_county', 'county_in_township'],
      },
    ],
  },
});

// ---------------------------------------------------------------------------------------------
// HELPER-06

interface ConflictParams extends RoleParams {
  values: { value: string; at: string }[];
}

const conflict = (what: string): Template<ConflictParams> =>
  msg<ConflictParams>`证件号码 ${helperId} 的${text<ConflictParams>('身份', (f) => (f.params.role === 'residency' ? '驻村干部' : '帮扶责任人'))}在不同记录中${what}不一致：${text<ConflictParams>(
    '各记录的值',
    (f) => (f.params.values ?? []).map((x) => `“${x.value}”（${x.at}）`).join('、'),
  )}`;

export const HELPER_06 = defineRule({
  id: 'HELPER-06',
  family: 'HELPER',
  severity: 'error',
  title: '同一帮扶人信息不一致',
  explain:
    '同一个证件号码在帮扶责任人名单、结对帮扶表或驻村工作队名单中出现多次，但姓名或联系电话不一样。' +
    '可能是证件号码录错（张冠李戴）或电话已变更，请核实后统一。',
  reads: ['helpers', 'pairings', 'residencies'],
  uses: [helperRecords],
  messages: {
    name: conflict('姓名'),
    phone: conflict('联系电话'),
  },
  cross(_ix, emit, ctx) {
    const hx = ctx.use(helperRecords);
    for (const rec of hx.byId.values()) {
      if (rec.sources.length < 2) continue;
      const role = roleOf(rec);
      for (const what of ['name', 'phone'] as const) {
        const values = new Map<string, { value: string; at: Loc; src: HelperSource }>();
        for (const s of rec.sources) {
          const raw = what === 'name' ? s.name : s.phone;
          if (!raw) continue;
          const k = what === 'name' ? nameKey(raw) : raw.replace(/\D/g, '') || raw;
          if (!values.has(k)) values.set(k, { value: raw, at: s.row.at, src: s });
        }
        if (values.size < 2) continue;
        const list = [...values.values()];
        const first = list[0]!;
        emit({
          ...baseAt(first.src, first.src.id!.text),
          code: what,
          field: what === 'name' ? (first.src.kind === 'residency' ? 'name' : 'helperName') : 'phone',
          value: list.map((x) => x.value).join('、'),
          related: list.slice(1).map((x) => placeText({ at: x.at })),
          params: { ...named(first.src), role, values: list.map((x) => ({ value: x.value, at: placeText({ at: x.at }) })) },
        });
      }
    }
  },
  examples: {
    valid: [{ note: '同一证件号码在名单和结对表中姓名一致（空格不计）', rows: [helperRow({ helperName: '王 五' }), pairingRow(A, '王五')] }],
    invalid: [
      {
        note: '同一证件号码在名单中叫“王五”、在结对表中叫“王武”；在驻村名单中登记了另一个手机号',
        rows: [helperRow({}), pairingRow(A, '王武'), cadreRow({ idNumber: idValue(A), name: '王五', phone: '13800000002' })],
        codes: ['name', 'phone'],
      },
    ],
  },
});

// ---------------------------------------------------------------------------------------------
// HELPER-07 (row)

const H07_FIELDS = [
  { key: 'dispatchUnit', code: 'dispatch_unit', zh: '派出单位' },
  { key: 'role', code: 'role', zh: '驻村身份' },
  { key: 'startOn', code: 'start_on', zh: '驻村开始时间' },
] as const;

/** the residency row's sheet had the column (unknown column sets count as present) */
function residencyHas(row: ResidencyRow, key: string): boolean {
  return row.sheet.fields[row.table]?.has(key) ?? true;
}

interface CadreParams extends RoleParams {
  label: string;
  village?: string;
}

/** “（红星村）” after the cadre where the row names the village */
const cadreVillage = when<CadreParams>((f) => Boolean(f.params.village), msg<CadreParams>`（${param<CadreParams>('village', '村')}）`);
const unreadable = (label: string): Template<CadreParams> => msg<CadreParams>`${who}${cadreVillage}的${label}“${value}”无法识别`;
const blank = (label: string): Template<CadreParams> => msg<CadreParams>`${who}${cadreVillage}的${label}为空`;

export const HELPER_07 = defineRule({
  id: 'HELPER-07',
  family: 'HELPER',
  severity: 'error',
  title: '驻村记录信息不全',
  explain:
    '驻村工作队和第一书记名单中，每人都应填写派出单位、驻村身份（第一书记、工作队队长、工作队员）和驻村开始时间。' +
    '缺少开始时间的记录无法计入驻村覆盖检查（PAIR-04）。表中没有派出单位或驻村身份列的，只提示一次缺列，不逐人报错。请补录。',
  reads: ['residencies'],
  messages: {
    dispatch_unit_missing: blank('派出单位'),
    dispatch_unit_invalid: unreadable('派出单位'),
    role_missing: blank('驻村身份'),
    role_invalid: unreadable('驻村身份'),
    start_on_missing: blank('驻村开始时间'),
    start_on_invalid: unreadable('驻村开始时间'),
    no_column: noColumnMessage('条驻村记录'),
  },
  row(row, emit) {
    const v = row.v;
    for (const fd of H07_FIELDS) {
      // an optional column the sheet lacked is one note (cross), not an error per cadre;
      // start_on is a required column (FILE-02 reports its absence)
      if (fd.key !== 'startOn' && !residencyHas(row, fd.key)) continue;
      const value = v[fd.key];
      if (value !== undefined && value !== '') continue;
      const bad = row.bad?.[fd.key];
      const f: Omit<Finding, 'rule' | 'code' | 'params'> = { at: row.at, region: regionOf(v), table: 'residencies', field: fd.key };
      if (v.idNumber?.text) f.helperId = v.idNumber.text;
      // with no ID, or a damaged one shared by many people, the name keeps cadres apart
      if (v.name && (!v.idNumber?.text || isDamagedId(v.idNumber))) f.name = v.name;
      if (bad !== undefined) f.value = bad;
      const params: CadreParams = { label: fd.zh, role: 'residency' };
      if (v.name) params.helperName = v.name;
      if (v.village) params.village = v.village;
      emit({ ...f, code: bad !== undefined ? `${fd.code}_invalid` : `${fd.code}_missing`, params });
    }
  },
  cross(ix, emit) {
    for (const fd of H07_FIELDS) {
      if (fd.key === 'startOn') continue;
      const locs = ix.residencies.filter((r) => !residencyHas(r, fd.key)).map((r) => r.at);
      for (const n of noColumnNotes('residencies', fd.key, fd.zh, locs)) emit(n);
    }
  },
  examples: {
    valid: [{ note: '派出单位、驻村身份和开始时间齐全', rows: [cadreRow({})] }],
    invalid: [
      {
        note: '派出单位和驻村身份为空，开始时间写成“前年”',
        rows: [cadreRow({ dispatchUnit: undefined, role: undefined, startOn: undefined }, { bad: { startOn: '前年' } })],
        codes: ['dispatch_unit_missing', 'role_missing', 'start_on_invalid'],
      },
      {
        note: '驻村身份写成“组员”（无法识别），另一人没有开始时间',
        rows: [cadreRow({ role: undefined }, { bad: { role: '组员' } }), cadreRow({ idNumber: idValue(A), name: '王五', startOn: undefined })],
        codes: ['role_invalid', 'start_on_missing'],
      },
      {
        note: '派出单位写成无法识别的内容',
        rows: [cadreRow({ dispatchUnit: undefined }, { bad: { dispatchUnit: '#REF!' } })],
        codes: ['dispatch_unit_invalid'],
      },
      {
        note: '驻村名单没有派出单位列',
        rows: [cadreRow({ dispatchUnit: undefined }, { fields: columnsWithout(CADRE_COLUMNS, 'dispatchUnit') })],
        codes: ['no_column'],
      },
    ],
  },
});

export const helperRules: AnyRule[] = [HELPER_01, HELPER_02, HELPER_03, HELPER_04, HELPER_05, HELPER_06, HELPER_07];
