// ID — 身份信息 (SPEC §3, 扶贫对象 1): ID-01..ID-10 over the members table.
// The per-number checks live in validators/lib/idcard.ts (shared with HELPER-01); the person keys
// in validators/lib/person.ts (shared with the BASE rules).
import type { Finding, IdValue, NormalRow, Region } from '../src/model.js';
import type { MemberRow, MemberValues, HouseholdValues } from '../src/schema/rows.js';
import type { AsOf } from '../src/core/as-of.js';
import { defineRule, type AnyRule, type CrossCtx, type RuleEmit } from '../src/engine/rule.js';
import type { Indexes } from '../src/engine/indexes.js';
import { defineIndex } from '../src/engine/derived.js';
import { createRowBuilder, idValue, partialDate } from '../src/engine/examples.js';
import { ageAt, formatPartialDate, regionOf } from '../src/core/values.js';
import { placeText } from '../src/core/place.js';
import { expected, msg, param, select, text, value, when, type Template } from '../src/i18n/template.js';
import {
  canonicalIdType,
  checkIdCached,
  isNoneText,
  isPlaceholder,
  isResidentIdType,
  normalizeIdText,
  type IdProblem,
  type IdProblemParams,
  type IdRule,
} from './lib/idcard.js';
import { memberNumbers } from './lib/member-numbers.js';
import { exampleIdNumber, idAsRead, member, personBase } from './lib/person.js';

// ---------------------------------------------------------------------------------------------
// Findings of the per-number checks (ID-02..ID-05, ID-10)

/** A head ID number checked outside the member table carries `role: 'head'`. */
interface RoleParams {
  role?: 'head';
}

/** The templates of one per-number rule: one per code lib/idcard.ts reports, with its params. */
type IdMessages<R extends IdRule> = { [C in keyof IdProblemParams[R] & string]: Template<IdProblemParams[R][C] & RoleParams> };

type ProblemOf<R extends IdRule> = Extract<IdProblem, { rule: R }>;

/**
 * Emits one per-number problem. lib/idcard.ts types each code's params, and `satisfies
 * IdMessages<R>` on each rule's messages ties every code to a template taking those params; the
 * compiler cannot follow that correlation through a union, so emit is erased here, once.
 */
function emitIdProblem<R extends IdRule>(emit: RuleEmit<IdMessages<R>>, f: Omit<Finding, 'rule'>): void {
  (emit as unknown as (f: Omit<Finding, 'rule'>) => void)(f);
}

/** The problems of one rule for one member row (the number checked once per row and as-of). */
function idProblems<R extends IdRule>(row: MemberRow, asOf: AsOf, rule: R): ProblemOf<R>[] {
  const id = row.v.idNumber;
  if (!id) return [];
  const problems = checkIdCached(id, asOf, row.v.idType).problems;
  // most numbers have none: no filtered copy per rule and row
  if (problems.length === 0) return [];
  return problems.filter((x): x is ProblemOf<R> => x.rule === rule);
}

function emitProblems<R extends IdRule>(row: MemberRow, problems: ProblemOf<R>[], emit: RuleEmit<IdMessages<R>>): void {
  for (const pr of problems) {
    const f: Omit<Finding, 'rule'> = {
      ...personBase(row),
      code: pr.code,
      field: pr.field ?? 'idNumber',
      value: pr.value ?? idAsRead(row.v.idNumber),
    };
    if (pr.expected !== undefined) f.expected = pr.expected;
    if (pr.severity) f.severity = pr.severity;
    if (pr.params) f.params = pr.params;
    emitIdProblem(emit, f);
  }
}

// ---------------------------------------------------------------------------------------------
// The head's ID number written outside the member table (households, pairing and beneficiary
// sheets): the same number checks (ID-02..ID-05, ID-10), once per number. A number that is also
// on a member row is checked there (the 户主's own row), so it is not reported twice.

interface HeadIdSource {
  row: NormalRow<{ householdNo?: string; headName?: string; headId?: IdValue } & Region>;
  id?: IdValue;
  bad?: string;
}

/** Head ID numbers outside the member table, each once, not on any member row. */
const headIdSources = defineIndex('headIdSources', (ix, { use }): HeadIdSource[] => {
  const onMembers = use(memberNumbers).rows;
  const out: HeadIdSource[] = [];
  const seen = new Set<string>();
  // the lists are walked in place: spreading a province's pairings into push() overflows the stack
  const lists: (readonly HeadIdSource['row'][])[] = [];
  for (const h of ix.households.values()) lists.push(h.householdRows);
  lists.push(ix.pairings, ix.beneficiaries);
  for (const list of lists) for (const row of list) {
    const id = row.v.headId;
    const bad = row.bad?.headId;
    const key = id?.text ? normalizeIdText(id.text) : bad ? normalizeIdText(bad) : '';
    if (!key || onMembers.has(key) || seen.has(key) || isNoneText(key)) continue;
    seen.add(key);
    out.push({ row, ...(id ? { id } : {}), ...(bad !== undefined ? { bad } : {}) });
  }
  return out;
});

/** The cross hook of a per-number rule: its problems on head ID numbers outside the member table. */
function headIdCross<R extends IdRule>(rule: R) {
  return (_ix: Indexes, emit: RuleEmit<IdMessages<R>>, ctx: CrossCtx<unknown>): void => {
    for (const src of ctx.use(headIdSources)) {
      const v = src.row.v;
      const raw = src.id ? idAsRead(src.id) : (src.bad ?? '');
      const base: Omit<Finding, 'rule'> = {
        table: src.row.table,
        at: src.row.at,
        region: regionOf(v),
        householdNo: v.householdNo ?? '',
        name: v.headName ?? '',
        idNumber: raw,
        field: 'headId',
        params: { role: 'head' },
      };
      if (!src.id) {
        if (rule === 'ID-02') emitIdProblem(emit, { ...base, code: 'format', value: raw });
        continue;
      }
      for (const pr of checkIdCached(src.id, ctx.asOf).problems) {
        if (pr.rule !== rule) continue;
        const f: Omit<Finding, 'rule'> = { ...base, code: pr.code, value: pr.value ?? raw };
        if (pr.expected !== undefined) f.expected = pr.expected;
        if (pr.severity) f.severity = pr.severity;
        f.params = { ...(pr.params ?? {}), role: 'head' };
        emitIdProblem(emit, f);
      }
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Examples (the catalogue test runs them through the engine; as-of 2020-04-30)

const row = createRowBuilder();


const goodMember: MemberValues = {
  county: '示例县',
  township: '示例镇',
  village: '示例村',
  householdNo: 'H001',
  name: '张三',
  relation: '户主',
  idType: '居民身份证',
  idNumber: idValue(exampleIdNumber('19800101', '123')),
  gender: '男',
  birthDate: partialDate('1980-01-01'),
  age: 40,
};
const memberRow = (v: Partial<MemberValues>, opts?: Parameters<typeof row>[2]) => row<MemberValues>('members', { ...goodMember, ...v }, { at: { file: '家庭成员.xlsx' }, ...opts });
/** A households-table row carrying the head's ID number (no member row for it). */
const householdRow = (v: Partial<HouseholdValues>) =>
  row<HouseholdValues>('households', { county: '示例县', township: '示例镇', village: '示例村', householdNo: 'H002', headName: '李四', ...v }, { at: { file: '贫困户.xlsx' } });

// ---------------------------------------------------------------------------------------------

const ID_01 = defineRule({
  id: 'ID-01',
  family: 'ID',
  severity: 'error',
  title: '证件号码缺失',
  explain:
    '成员的证件号码为空，或填写了“999999…”之类的占位号码。没有正确的证件号码，系统无法识别这个人，也无法与公安、医保、民政等部门的数据比对。请到户查看成员的身份证或户口簿，把18位公民身份号码完整填入；确实没有办理身份证的（如新生儿），按户口簿上的公民身份号码填写，尚未落户的请先协助办理户口登记。',
  reads: ['members'],
  messages: {
    missing: msg`${member}的证件号码为空${when(value, msg`（填写为“${value}”）`)}，请填写18位公民身份号码`,
    placeholder: msg`${member}的证件号码“${value}”是占位号码（999999开头），不是真实的身份证号码，请填写18位公民身份号码`,
  },
  row(r, emit) {
    const id = r.v.idNumber;
    const badText = r.bad?.idNumber;
    if (!r.sheet.fields.members?.has('idNumber')) return; // no such column: FILE-02's business
    if (!id || id.text === '' || isNoneText(id.text)) {
      if (badText !== undefined && badText.trim() !== '' && !isNoneText(badText)) return; // unreadable: ID-02
      emit({ ...personBase(r), code: 'missing', field: 'idNumber', value: id ? idAsRead(id) : (badText ?? '') });
      return;
    }
    if (isResidentIdType(r.v.idType) && isPlaceholder(id.text)) {
      emit({ ...personBase(r), code: 'placeholder', field: 'idNumber', value: idAsRead(id) });
    }
  },
  examples: {
    valid: [{ note: '成员填写了18位公民身份号码', rows: [memberRow({})] }],
    invalid: [
      {
        note: '一名成员证件号码为空，另一名填写了占位号码“999999…”',
        rows: [memberRow({ idNumber: undefined }), memberRow({ name: '李四', relation: '配偶', idNumber: idValue('999999198001011234'), gender: undefined })],
        codes: ['missing', 'placeholder'],
      },
    ],
  },
});

const ID_02 = defineRule({
  id: 'ID-02',
  family: 'ID',
  severity: 'error',
  title: '证件号码格式错误',
  explain:
    '居民身份证号码应为18位：前17位是数字，最后一位是数字或X。15位的是第一代身份证的老号码，需要升级为18位（系统已按国家标准算出升级后的号码，请与成员现在的身份证核对后替换）。残疾人证号码为18位身份证号码加上残疾类别（1–7）和残疾等级（1–4）。位数不对、夹杂字母或符号的号码，请到户查看身份证原件后重新录入。',
  // head ID numbers on household, pairing and beneficiary sheets too (cross hook)
  reads: ['members', 'households', 'pairings', 'beneficiaries'],
  uses: [headIdSources],
  messages: {
    legacy15: msg<IdProblemParams['ID-02']['legacy15'] & RoleParams>`${select(
      'unusable',
      {
        birth: msg`证件号码“${value}”是15位老号码，需升级为18位；但号码中的出生日期“${param('birth', '号码中的出生日期')}”不存在，无法推算升级后的号码，请对照身份证原件核对`,
        province: msg`证件号码“${value}”是15位老号码，需升级为18位；但前2位“${param('province', '省份代码')}”不是有效的省份代码，无法推算升级后的号码，请对照身份证原件核对`,
      },
      msg`证件号码“${value}”是15位老号码，需升级为18位，升级后应为“${expected}”`,
      { birth: '号码中的出生日期不存在', province: '前2位不是有效的省份代码' },
    )}`,
    disability_suffix: msg<IdProblemParams['ID-02']['disability_suffix'] & RoleParams>`残疾人证号码“${value}”第19–20位应为残疾类别（1–7）和残疾等级（1–4），现为“${param('suffix', '残疾类别和等级')}”`,
    format: msg<IdProblemParams['ID-02']['format'] & RoleParams>`证件号码“${value}”格式错误：应为18位（前17位数字，最后一位为数字或X）${when(
      (f) => f.params.length !== undefined,
      msg`，现为${param('length', '位数')}位`,
    )}${when(expected, msg`；证件类型为居民身份证，若是残疾人证号码请把证件类型改为残疾人证，否则应为前18位“${expected}”`)}`,
  } satisfies IdMessages<'ID-02'>,
  cross: headIdCross('ID-02'),
  row(r, emit, ctx) {
    if (r.table !== 'members') return;
    if (!r.v.idNumber) {
      const badText = r.bad?.idNumber;
      if (badText !== undefined && badText.trim() !== '' && !isNoneText(badText) && isResidentIdType(r.v.idType)) {
        emit({ ...personBase(r), idNumber: badText, code: 'format', field: 'idNumber', value: badText });
      }
      return;
    }
    emitProblems(r, idProblems(r, ctx.asOf, 'ID-02'), emit);
  },
  examples: {
    valid: [
      { note: '18位号码；残疾人证号码为18位身份证号码加残疾类别和等级', rows: [memberRow({}), memberRow({ name: '李四', relation: '配偶', gender: '女', idType: '残疾人证', idNumber: idValue(exampleIdNumber('19820304', '124') + '42'), birthDate: undefined, age: undefined })] },
    ],
    invalid: [
      {
        note: '17位号码；15位老号码（疑似，给出升级后的号码）；残疾类别写成“9”',
        rows: [
          memberRow({ idNumber: idValue('43052419800101123'), birthDate: undefined, age: undefined, gender: undefined }),
          memberRow({ name: '李四', relation: '配偶', idNumber: idValue('130503670401001'), birthDate: undefined, age: undefined, gender: undefined }),
          memberRow({ name: '王五', relation: '之子', idType: '残疾人证', idNumber: idValue(exampleIdNumber('20050101', '135') + '95'), birthDate: undefined, age: undefined, gender: undefined }),
        ],
        codes: ['format', 'legacy15', 'disability_suffix'],
      },
    ],
  },
});

const ID_03 = defineRule({
  id: 'ID-03',
  family: 'ID',
  severity: 'error',
  title: '证件号码校验位错误',
  explain:
    '18位身份证号码的最后一位是按国家标准（GB 11643）由前17位计算出的校验码。校验码对不上，说明号码中至少有一位录错了（常见的是两位数字颠倒或看错）。系统给出的“参考值”只是在前17位正确时的号码，不能直接照抄：请到户查看身份证原件，逐位核对后改正。',
  // head ID numbers on household, pairing and beneficiary sheets too (cross hook)
  reads: ['members', 'households', 'pairings', 'beneficiaries'],
  uses: [headIdSources],
  messages: {
    check_digit: msg<IdProblemParams['ID-03']['check_digit'] & RoleParams>`证件号码“${value}”校验位错误：按前17位计算，最后一位应为“${param('checkDigit', '校验位')}”（即“${expected}”），号码中可能有录错的数字，请对照身份证原件核对`,
  } satisfies IdMessages<'ID-03'>,
  cross: headIdCross('ID-03'),
  row(r, emit, ctx) {
    if (r.table !== 'members') return;
    emitProblems(r, idProblems(r, ctx.asOf, 'ID-03'), emit);
  },
  examples: {
    valid: [{ note: '校验位与前17位相符', rows: [memberRow({})] }],
    invalid: [
      {
        note: '户主证件号码只写在贫困户表上，最后一位录错',
        rows: [householdRow({ headId: idValue(wrongCheckDigit(exampleIdNumber('19750615', '131'))) })],
        codes: ['check_digit'],
      },
    ],
  },
});

/** The same number with another (wrong) last character. */
function wrongCheckDigit(id18: string): string {
  return id18.slice(0, 17) + (id18[17] === '5' ? '6' : '5');
}

/** The birth date in the number as written: “1980年02月31日”, or as is when not 8 digits. */
const birthInNumber = text<{ birth: string }>('号码中的出生日期', (f) => {
  const b = String(f.params.birth ?? '');
  return b.length === 8 ? `${b.slice(0, 4)}年${b.slice(4, 6)}月${b.slice(6, 8)}日` : b;
});

const ID_04 = defineRule({
  id: 'ID-04',
  family: 'ID',
  severity: 'error',
  title: '证件号码中的出生日期不合理',
  explain:
    '身份证号码第7–14位是出生日期（年月日）。日期不存在（如2月30日、13月）、晚于核查日期，或推算年龄超过120岁，说明号码录错了。请到户查看身份证原件，核对号码中的出生日期后改正。',
  // head ID numbers on household, pairing and beneficiary sheets too (cross hook)
  reads: ['members', 'households', 'pairings', 'beneficiaries'],
  uses: [headIdSources],
  messages: {
    birth_invalid: msg<IdProblemParams['ID-04']['birth_invalid'] & RoleParams>`证件号码“${value}”中的出生日期“${param('birth', '号码中的出生日期')}”不是有效日期，号码有误`,
    birth_future: msg<IdProblemParams['ID-04']['birth_future'] & RoleParams>`证件号码“${value}”中的出生日期${birthInNumber}晚于核查日期，号码有误`,
    age_over_120: msg<IdProblemParams['ID-04']['age_over_120'] & RoleParams>`证件号码“${value}”中的出生日期${birthInNumber}推算年龄为${param('age', '年龄')}岁，超过120岁，号码有误`,
  } satisfies IdMessages<'ID-04'>,
  cross: headIdCross('ID-04'),
  row(r, emit, ctx) {
    if (r.table !== 'members') return;
    emitProblems(r, idProblems(r, ctx.asOf, 'ID-04'), emit);
  },
  examples: {
    valid: [{ note: '号码中的出生日期1980年1月1日', rows: [memberRow({})] }],
    invalid: [
      {
        note: '出生日期为2月31日、晚于核查日期（2020-04-30）、推算年龄超过120岁',
        rows: [
          memberRow({ idNumber: idValue(exampleIdNumber('19800231')), birthDate: undefined, age: undefined }),
          memberRow({ name: '李四', idNumber: idValue(exampleIdNumber('20210101')), birthDate: undefined, age: undefined }),
          memberRow({ name: '王五', idNumber: idValue(exampleIdNumber('18900101')), birthDate: undefined, age: undefined }),
        ],
        codes: ['birth_invalid', 'birth_future', 'age_over_120'],
      },
    ],
  },
});

const ID_05 = defineRule({
  id: 'ID-05',
  family: 'ID',
  severity: 'error',
  title: '证件号码地区码无效',
  explain:
    '身份证号码前6位是办证地的行政区划代码，前2位是省份代码。前2位不是任何省份的代码，号码必定录错了；前6位不在历年（1980年以来）任何一版行政区划代码中，可能是录错，也可能是很早或很新的代码，列为疑似。请到户查看身份证原件核对前6位。',
  // head ID numbers on household, pairing and beneficiary sheets too (cross hook)
  reads: ['members', 'households', 'pairings', 'beneficiaries'],
  uses: [headIdSources],
  messages: {
    province: msg<IdProblemParams['ID-05']['province'] & RoleParams>`证件号码“${value}”前2位“${param('province', '省份代码')}”不是有效的省份代码，号码有误`,
    county: msg<IdProblemParams['ID-05']['county'] & RoleParams>`证件号码“${value}”前6位“${param('region', '地区码')}”不在历年行政区划代码中，请核对号码`,
  } satisfies IdMessages<'ID-05'>,
  cross: headIdCross('ID-05'),
  row(r, emit, ctx) {
    if (r.table !== 'members') return;
    emitProblems(r, idProblems(r, ctx.asOf, 'ID-05'), emit);
  },
  examples: {
    valid: [{ note: '前6位430524是湖南省隆回县的代码', rows: [memberRow({})] }],
    invalid: [
      {
        note: '前2位“00”不是省份代码；前6位“439999”不在历年行政区划代码中（疑似）',
        rows: [memberRow({ idNumber: idValue(exampleIdNumber('19800101', '123', '000000')) }), memberRow({ name: '李四', idNumber: idValue(exampleIdNumber('19800101', '123', '439999')) })],
        codes: ['province', 'county'],
      },
    ],
  },
});

const ID_06 = defineRule({
  id: 'ID-06',
  family: 'ID',
  severity: 'error',
  title: '性别与证件号码不符',
  explain:
    '身份证号码第17位表示性别：奇数为男，偶数为女。性别栏与号码不一致，要么性别填错，要么号码录错。请到户查看身份证原件，以证件为准改正。',
  reads: ['members'],
  messages: {
    gender: msg`性别填写为“${value}”，但证件号码第17位表示“${expected}”，请核对性别或证件号码`,
  },
  row(r, emit, ctx) {
    const { idNumber, gender } = r.v;
    if (!idNumber || !gender) return;
    const c = checkIdCached(idNumber, ctx.asOf, r.v.idType);
    if (!c.normalized || !c.gender) return;
    if (c.gender !== gender) {
      emit({ ...personBase(r), code: 'gender', field: 'gender', value: gender, expected: c.gender });
    }
  },
  examples: {
    valid: [{ note: '号码第17位为奇数，性别为男', rows: [memberRow({})] }],
    invalid: [{ note: '号码第17位为奇数（男），性别填写为女', rows: [memberRow({ gender: '女' })], codes: ['gender'] }],
  },
});

function ymdText(b: { y: number; m: number; d: number }): string {
  return `${b.y}-${String(b.m).padStart(2, '0')}-${String(b.d).padStart(2, '0')}`;
}

const ID_07 = defineRule({
  id: 'ID-07',
  family: 'ID',
  severity: 'error',
  title: '出生日期或年龄与证件号码不符',
  explain:
    '出生日期栏或年龄栏与身份证号码中的出生日期（第7–14位）不一致。年龄可能是导出时计算的，相差1岁以内不算问题。请到户查看身份证原件，以证件为准改正出生日期；若证件号码本身录错，请改正号码。',
  reads: ['members'],
  messages: {
    birth_date: msg`出生日期填写为“${value}”，但证件号码中的出生日期是“${expected}”`,
    age: msg<{ birth: string }>`年龄填写为${value}岁，但按证件号码中的出生日期（${param('birth', '号码中的出生日期')}）到核查日应为${expected}岁，相差超过1岁`,
  },
  row(r, emit, ctx) {
    const { idNumber, birthDate, age } = r.v;
    if (!idNumber) return;
    const c = checkIdCached(idNumber, ctx.asOf, r.v.idType);
    const b = c.birth;
    if (!c.normalized || !b) return;
    if (birthDate) {
      const differs =
        birthDate.y !== b.y || (birthDate.m !== undefined && birthDate.m !== b.m) || (birthDate.d !== undefined && birthDate.d !== b.d);
      if (differs) {
        emit({
          ...personBase(r),
          code: 'birth_date',
          field: 'birthDate',
          value: formatPartialDate(birthDate),
          expected: ymdText(b),
        });
      }
    }
    if (typeof age === 'number' && Number.isFinite(age)) {
      const real = ageAt(b, ctx.asOf);
      if (Math.abs(age - real) > 1) {
        emit({
          ...personBase(r),
          code: 'age',
          field: 'age',
          value: age,
          expected: real,
          params: { birth: ymdText(b) },
        });
      }
    }
  },
  examples: {
    valid: [
      { note: '出生日期与号码一致；年龄相差1岁以内不算问题', rows: [memberRow({ age: 41 })] },
      { note: '出生日期只写到月', rows: [memberRow({ birthDate: partialDate('1980-01') })] },
    ],
    invalid: [
      {
        note: '出生日期写成1980-10-01，年龄写成50岁（号码中为1980-01-01，到核查日40岁）',
        rows: [memberRow({ birthDate: partialDate('1980-10-01'), age: 50 })],
        codes: ['birth_date', 'age'],
      },
    ],
  },
});

/** How many of an ID-08 finding's other places its message names. */
const ID08_PLACES_IN_MESSAGE = 3;

interface DuplicateParams {
  /** the duplicated number (without its certificate type) */
  number: string;
  count: number;
  households: number;
  counties: number;
}

/** “；其他位置：a；b；c等N处，全部见“相关位置”” — a few places; the complete list is in `related` (相关位置). */
const otherPlaces = when<DuplicateParams>(
  (f) => (f.related ?? []).slice(0, ID08_PLACES_IN_MESSAGE).join('；') !== '',
  msg`；其他位置：${text('前3处其他位置', (f) => (f.related ?? []).slice(0, ID08_PLACES_IN_MESSAGE).join('；'))}${when(
    (f) => (f.related ?? []).length > ID08_PLACES_IN_MESSAGE,
    msg`等${text('其他位置数', (f) => String((f.related ?? []).length))}处，全部见“相关位置”`,
  )}`,
);

/**
 * The number a member row is grouped by for ID-08, or undefined when the row's number identifies
 * nobody: a usable resident ID (its 18-character form), or for another certificate type (护照 …)
 * type + number. Texts such as 未落户 / 新生儿 / 无身份证 or a malformed number would make unrelated
 * people "duplicates" (and quadratic related lists); a number damaged by a spreadsheet (ID-10) is
 * not the person's number.
 */
function duplicateKey(m: MemberRow, asOf: AsOf): string | undefined {
  const id = m.v.idNumber;
  if (!id || id.text === '' || isPlaceholder(id.text) || isNoneText(id.text)) return undefined;
  const c = checkIdCached(id, asOf, m.v.idType);
  if (c.problems.some((x) => x.rule === 'ID-10')) return undefined;
  if (isResidentIdType(m.v.idType)) return c.normalized;
  const t = normalizeIdText(id.text);
  return /\d/.test(t) ? `${canonicalIdType(m.v.idType!)}\u0000${t}` : undefined;
}

const ID_08 = defineRule({
  id: 'ID-08',
  family: 'ID',
  severity: 'error',
  title: '证件号码重复',
  explain:
    '同一个证件号码出现在两条或多条成员记录上。一个人只能在一户中登记一次：可能是重复录入、分户后未从原户删除，或把别人的号码录给了这个成员。请根据“相关位置”逐条核对，保留正确的一条，删除重复记录或改正录错的号码。',
  reads: ['members'],
  messages: {
    same_household: msg<DuplicateParams>`证件号码“${value}”在本户中登记了${param('count', '次数')}次，请删除重复的成员记录${otherPlaces}`,
    other_households: msg<DuplicateParams>`证件号码“${value}”共出现在${param('count', '记录数')}条成员记录上（涉及${param('households', '户数')}户${when(
      (f) => f.params.counties > 1,
      msg`、${param('counties', '县数')}个县`,
    )}）${otherPlaces}`,
  },
  uses: [memberNumbers],
  // a person registered in two counties is found by a run checked county by county too
  acrossCounties: { table: 'members', key: (m, ctx) => duplicateKey(m, ctx.asOf) },
  cross(ix, emit, ctx) {
    const groups = new Map<string, MemberRow[]>();
    // the full checks only for rows whose number another row may carry (most have their own)
    const { maybeShared } = ctx.use(memberNumbers);
    for (let i = 0; i < ix.members.length; i++) {
      if (maybeShared[i] === 0) continue;
      const m = ix.members[i]!;
      const key = duplicateKey(m, ctx.asOf);
      if (key === undefined) continue;
      const list = groups.get(key);
      if (list) list.push(m);
      else groups.set(key, [m]);
    }
    // one finding per duplicated number, at its first place (rows are in reading order); every
    // other place in `related`: linear in the rows, however many times one number repeats
    for (const [key, rows] of groups) {
      if (rows.length < 2) continue;
      const households = new Set<string>();
      const counties = new Set<string>();
      for (const r of rows) {
        households.add(r.v.householdNo ?? '');
        counties.add(r.v.county ?? '');
      }
      const first = rows[0]!;
      const related = new Array<string>(rows.length - 1);
      for (let i = 1; i < rows.length; i++) {
        const o = rows[i]!;
        related[i - 1] = `${placeText(o)} / 户编号 ${o.v.householdNo ?? ''}${o.v.name ? ` / ${o.v.name}` : ''}`;
      }
      emit({
        ...personBase(first),
        code: households.size === 1 ? 'same_household' : 'other_households',
        field: 'idNumber',
        value: idAsRead(first.v.idNumber),
        related,
        groupKey: key,
        params: {
          number: key.includes('\u0000') ? key.slice(key.indexOf('\u0000') + 1) : key,
          count: rows.length,
          households: households.size,
          counties: counties.size,
        },
      });
    }
  },
  examples: {
    valid: [
      {
        note: '两名成员号码不同',
        rows: [memberRow({}), memberRow({ name: '李四', relation: '配偶', gender: '女', idNumber: idValue(exampleIdNumber('19820304', '124')), birthDate: undefined, age: undefined })],
      },
    ],
    invalid: [
      {
        note: '同一号码在本户登记了两次',
        rows: [memberRow({}), memberRow({ name: '张三', relation: '之子' })],
        codes: ['same_household'],
      },
      {
        note: '同一号码出现在两个县的两户中',
        rows: [memberRow({}), memberRow({ householdNo: 'H900', county: '另一县' }, { at: { file: '另一县成员.xlsx' } })],
        codes: ['other_households'],
      },
    ],
  },
});

/**
 * Anything but Han characters and the middle dot: digits, letters of other scripts, spaces,
 * punctuation, symbols (emoji), and invisible characters (NUL, zero-width, right-to-left marks).
 */
const NAME_BAD = /[0-9０-９A-Za-zＡ-Ｚａ-ｚ\s\u3000]|[\p{P}\p{S}\p{C}]|(?!\p{Script=Han})[\p{L}\p{N}\p{M}]/u;
const INVISIBLE = /\p{C}/u;
function nameBadChars(name: string): string[] {
  const bad = new Set<string>();
  for (const ch of name) {
    if (ch === '·' || !NAME_BAD.test(ch)) continue;
    if (ch === ' ' || ch === '\u3000') bad.add('空格');
    else if (ch === '\u0000') bad.add('空字符');
    else if (INVISIBLE.test(ch)) bad.add(`不可见字符U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
    else bad.add(ch);
  }
  return [...bad];
}

const ID_09 = defineRule({
  id: 'ID-09',
  family: 'ID',
  severity: 'error',
  title: '姓名为空或含非法字符',
  explain:
    '姓名应与身份证或户口簿一致，只能是汉字；少数民族姓名中间的分隔点用“·”。姓名为空，或夹有数字、字母、空格、括号、逗号等符号（常见于复制粘贴或备注写进了姓名栏），会导致与其他部门数据比对失败。请到户核对证件后改正。',
  reads: ['members'],
  messages: {
    missing: msg`姓名为空，请按身份证或户口簿填写`,
    invalid_chars: msg<{ chars: string[] }>`姓名“${value}”含有非法字符${param('chars', '非法字符', (chars) => (chars ?? []).map((c) => `“${c}”`).join('、'))}，姓名只能由汉字和“·”组成`,
  },
  row(r, emit) {
    const name = r.v.name;
    if (name === undefined || name.trim() === '') {
      emit({ ...personBase(r), code: 'missing', field: 'name', value: '' });
      return;
    }
    const bad = nameBadChars(name);
    if (bad.length > 0) emit({ ...personBase(r), code: 'invalid_chars', field: 'name', value: name, params: { chars: bad } });
  },
  examples: {
    valid: [{ note: '汉字姓名；少数民族姓名用“·”分隔', rows: [memberRow({}), memberRow({ name: '阿依古丽·买买提', relation: '配偶', gender: '女', idNumber: idValue(exampleIdNumber('19820304', '124')), birthDate: undefined, age: undefined })] }],
    invalid: [
      {
        note: '姓名为空；姓名中夹有括号和数字',
        rows: [memberRow({ name: undefined }), memberRow({ name: '李四(2)', relation: '配偶', gender: '女', idNumber: idValue(exampleIdNumber('19820304', '124')), birthDate: undefined, age: undefined })],
        codes: ['missing', 'invalid_chars'],
      },
    ],
  },
});

const ID_10 = defineRule({
  id: 'ID-10',
  family: 'ID',
  severity: 'error',
  title: '证件号码被表格软件损坏',
  explain:
    '证件号码被Excel等表格软件当作数字保存后，只保留15位有效数字，后几位变成0，或显示成“4.30524E+17”这样的科学计数法，原号码已经丢失，无法从表格中恢复。请把该列设为“文本”格式，到户查看身份证原件或从原始系统重新导出，重新录入完整的18位号码。',
  // head ID numbers on household, pairing and beneficiary sheets too (cross hook)
  reads: ['members', 'households', 'pairings', 'beneficiaries'],
  uses: [headIdSources],
  messages: {
    scientific: msg<RoleParams>`证件号码显示为科学计数法“${value}”，后几位已丢失，请按证件原件重新录入`,
    // a 15-digit number fits in a spreadsheet number exactly: nothing was lost, only the format is wrong
    numeric_cell: msg<IdProblemParams['ID-10']['numeric_cell'] & RoleParams>`${when(
      (f) => Number(f.params.digits) === 15,
      msg`证件号码“${value}”以数值格式保存，请把该列设为文本；15位老号码还需升级为18位`,
      msg`证件号码“${value}”以数值格式保存，超过15位的数字已丢失，请将该列设为文本后按证件原件重新录入`,
    )}`,
    trailing_zeros: msg<RoleParams>`证件号码“${value}”末尾为“000”且校验位不符，疑似被表格软件截断，请按证件原件重新录入`,
  } satisfies IdMessages<'ID-10'>,
  cross: headIdCross('ID-10'),
  row(r, emit, ctx) {
    if (r.table !== 'members') return;
    emitProblems(r, idProblems(r, ctx.asOf, 'ID-10'), emit);
  },
  examples: {
    valid: [{ note: '号码以文本保存', rows: [memberRow({})] }],
    invalid: [
      {
        note: '号码显示为科学计数法；数值格式保存丢了末几位；末尾被截成“000”',
        rows: [
          memberRow({ idNumber: idValue('4.30524E+17', { numericCell: true }), birthDate: undefined, age: undefined }),
          memberRow({ name: '李四', idNumber: idValue('430524198203041000', { numericCell: true }), birthDate: undefined, age: undefined }),
          memberRow({ name: '王五', idNumber: idValue('430524198505051000'), birthDate: undefined, age: undefined }),
        ],
        codes: ['scientific', 'numeric_cell', 'trailing_zeros'],
      },
    ],
  },
});

export const identityRules: AnyRule[] = [ID_01, ID_02, ID_03, ID_04, ID_05, ID_06, ID_07, ID_08, ID_09, ID_10];
