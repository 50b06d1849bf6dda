// ID — 身份信息 (SPEC §3, 扶贫对象 1): ID-01..ID-10 over the members table.
// The per-number checks live in validators/lib/idcard.ts (shared with HELPER-01).
import type { Finding, IdValue, NormalRow, Region } from '../src/model.js';
import type { MemberRow, MemberValues } from '../src/schema/rows.js';
import { type AnyRule } from '../src/engine/rule.js';
import { defineLegacyRule as defineRule } from '../src/engine/legacy-rule.js';
import { ageAt, displayValue, formatPartialDate } from '../src/core/values.js';
import { canonicalIdType, checkIdCached, isNoneText, isPlaceholder, isResidentIdType, normalizeIdText, type IdProblem } from './lib/idcard.js';
import { regionOf } from '../src/core/values.js';
import type { Indexes } from '../src/engine/indexes.js';

// ---------------------------------------------------------------------------------------------
// Helpers shared with validators/basic-info.ts


/** The ID number as read (entity key, SPEC §3.0): the cell text, else its normalised form. */
export function idAsRead(id: IdValue | undefined): string {
  return id ? id.raw || id.text : '';
}

/** Person-level entity keys and place of a member row (SPEC §3.0). */
export function personBase(row: NormalRow<MemberValues>): Omit<Finding, 'rule'> {
  const v = row.v;
  return {
    table: row.table,
    at: row.at,
    region: regionOf(v),
    householdNo: v.householdNo ?? '',
    name: v.name ?? '',
    idNumber: idAsRead(v.idNumber),
  };
}

/** 'file / sheet / 第N行' as a person reads it. */
export function placeOf(at: { file: string; sheet?: string; row?: number }): string {
  return [at.file, at.sheet, at.row !== undefined ? `第${at.row}行` : undefined].filter(Boolean).join(' / ');
}

export function asOfYmd(ctx: { asOfDate: { y: number; m: number; d: number } }): { y: number; m: number; d: number } {
  return { y: ctx.asOfDate.y, m: ctx.asOfDate.m, d: ctx.asOfDate.d };
}

const v = (f: Finding): string => displayValue(f.value);
const e = (f: Finding): string => displayValue(f.expected);
const p = (f: Finding, k: string): string => displayValue(f.params?.[k]);

/** The ID problems of one member row for one rule (the number checked once per row and as-of). */
function idProblems(row: MemberRow, asOf: { y: number; m: number; d: number }, rule: IdProblem['rule']): IdProblem[] {
  const id = row.v.idNumber;
  if (!id) return [];
  return checkIdCached(id, asOf, row.v.idType).problems.filter((x) => x.rule === rule);
}

function emitProblems(row: MemberRow, problems: IdProblem[], emit: (f: Finding) => void): void {
  for (const pr of problems) {
    const f: Finding = {
      ...personBase(row),
      rule: pr.rule,
      code: pr.code,
      field: pr.field ?? 'idNumber',
      value: pr.value ?? idAsRead(row.v.idNumber),
    };
    if (pr.expected !== undefined) f.expected = pr.expected;
    if (pr.severity) f.severity = pr.severity;
    if (pr.params) f.params = pr.params;
    emit(f);
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

const headIdCache = new WeakMap<Indexes, HeadIdSource[]>();

function headIdSources(ix: Indexes): HeadIdSource[] {
  const hit = headIdCache.get(ix);
  if (hit) return hit;
  const onMembers = new Set<string>();
  for (const m of ix.members) {
    if (m.v.idNumber?.text) onMembers.add(normalizeIdText(m.v.idNumber.text));
    else if (m.bad?.idNumber) onMembers.add(normalizeIdText(m.bad.idNumber));
  }
  const out: HeadIdSource[] = [];
  const seen = new Set<string>();
  const rows: HeadIdSource['row'][] = [];
  for (const h of ix.households.values()) rows.push(...h.householdRows);
  rows.push(...ix.pairings, ...ix.beneficiaries);
  for (const row of rows) {
    const id = row.v.headId;
    const bad = row.bad?.headId;
    const key = id?.text ? normalizeIdText(id.text) : bad ? normalizeIdText(bad) : '';
    if (!key || isNoneText(key) || onMembers.has(key) || seen.has(key)) continue;
    seen.add(key);
    out.push({ row, ...(id ? { id } : {}), ...(bad !== undefined ? { bad } : {}) });
  }
  headIdCache.set(ix, out);
  return out;
}

/** A cross hook reporting one ID rule's problems on head ID numbers outside the member table. */
function headIdCross(rule: IdProblem['rule']) {
  return (ix: Indexes, emit: (f: Finding) => void, ctx: { asOfDate: { y: number; m: number; d: number } }): void => {
    const asOf = asOfYmd(ctx);
    for (const src of headIdSources(ix)) {
      const v = src.row.v;
      const raw = src.id ? idAsRead(src.id) : (src.bad ?? '');
      const base: Finding = {
        rule,
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
        if (rule === 'ID-02') emit({ ...base, code: 'format', value: raw });
        continue;
      }
      for (const pr of checkIdCached(src.id, asOf).problems) {
        if (pr.rule !== rule) continue;
        const f: Finding = { ...base, code: pr.code, value: pr.value ?? raw };
        if (pr.expected !== undefined) f.expected = pr.expected;
        if (pr.severity) f.severity = pr.severity;
        f.params = { ...(pr.params ?? {}), role: 'head' };
        emit(f);
      }
    }
  };
}

const id01 = defineRule({
  id: 'ID-01',
  family: 'ID',
  severity: 'error',
  title: '证件号码缺失',
  explain:
    '成员的证件号码为空，或填写了“999999…”之类的占位号码。没有正确的证件号码，系统无法识别这个人，也无法与公安、医保、民政等部门的数据比对。请到户查看成员的身份证或户口簿，把18位公民身份号码完整填入；确实没有办理身份证的（如新生儿），按户口簿上的公民身份号码填写，尚未落户的请先协助办理户口登记。',
  reads: ['members'],
  row(row, emit) {
    const r = row as MemberRow;
    const id = r.v.idNumber;
    const badText = r.bad?.idNumber;
    if (!r.sheet.fields.members?.has('idNumber')) return; // no such column: FILE-02's business
    if (!id || id.text === '' || isNoneText(id.text)) {
      if (badText !== undefined && badText.trim() !== '' && !isNoneText(badText)) return; // unreadable: ID-02
      emit({ ...personBase(r), rule: 'ID-01', code: 'missing', field: 'idNumber', value: id ? idAsRead(id) : (badText ?? '') });
      return;
    }
    if (isResidentIdType(r.v.idType) && isPlaceholder(id.text)) {
      emit({ ...personBase(r), rule: 'ID-01', code: 'placeholder', field: 'idNumber', value: idAsRead(id) });
    }
  },
  describe(f) {
    const who = f.name ? `成员“${f.name}”` : '该成员';
    if (f.code === 'placeholder') return `${who}的证件号码“${v(f)}”是占位号码（999999开头），不是真实的身份证号码，请填写18位公民身份号码`;
    return `${who}的证件号码为空${v(f) ? `（填写为“${v(f)}”）` : ''}，请填写18位公民身份号码`;
  },
});

const id02 = defineRule({
  id: 'ID-02',
  family: 'ID',
  severity: 'error',
  title: '证件号码格式错误',
  explain:
    '居民身份证号码应为18位：前17位是数字，最后一位是数字或X。15位的是第一代身份证的老号码，需要升级为18位（系统已按国家标准算出升级后的号码，请与成员现在的身份证核对后替换）。残疾人证号码为18位身份证号码加上残疾类别（1–7）和残疾等级（1–4）。位数不对、夹杂字母或符号的号码，请到户查看身份证原件后重新录入。',
  // head ID numbers on household, pairing and beneficiary sheets too (cross hook)
  reads: ['members', 'households', 'pairings', 'beneficiaries'],
  cross: headIdCross('ID-02'),
  row(row, emit, ctx) {
    if (row.table !== 'members') return;
    const r = row as MemberRow;
    const asOf = asOfYmd(ctx);
    if (!r.v.idNumber) {
      const badText = r.bad?.idNumber;
      if (badText !== undefined && badText.trim() !== '' && !isNoneText(badText) && isResidentIdType(r.v.idType)) {
        emit({ ...personBase(r), idNumber: badText, rule: 'ID-02', code: 'format', field: 'idNumber', value: badText });
      }
      return;
    }
    emitProblems(r, idProblems(r, asOf, 'ID-02'), emit);
  },
  describe(f) {
    if (f.code === 'legacy15') {
      const why = f.params?.['unusable'];
      if (why === 'birth') return `证件号码“${v(f)}”是15位老号码，需升级为18位；但号码中的出生日期“${p(f, 'birth')}”不存在，无法推算升级后的号码，请对照身份证原件核对`;
      if (why === 'province') return `证件号码“${v(f)}”是15位老号码，需升级为18位；但前2位“${p(f, 'province')}”不是有效的省份代码，无法推算升级后的号码，请对照身份证原件核对`;
      return `证件号码“${v(f)}”是15位老号码，需升级为18位，升级后应为“${e(f)}”`;
    }
    if (f.code === 'disability_suffix')
      return `残疾人证号码“${v(f)}”第19–20位应为残疾类别（1–7）和残疾等级（1–4），现为“${p(f, 'suffix')}”`;
    const first18 =
      f.expected !== undefined ? `；证件类型为居民身份证，若是残疾人证号码请把证件类型改为残疾人证，否则应为前18位“${e(f)}”` : '';
    return `证件号码“${v(f)}”格式错误：应为18位（前17位数字，最后一位为数字或X）${f.params?.['length'] !== undefined ? `，现为${p(f, 'length')}位` : ''}${first18}`;
  },
});

const id03 = defineRule({
  id: 'ID-03',
  family: 'ID',
  severity: 'error',
  title: '证件号码校验位错误',
  explain:
    '18位身份证号码的最后一位是按国家标准（GB 11643）由前17位计算出的校验码。校验码对不上，说明号码中至少有一位录错了（常见的是两位数字颠倒或看错）。系统给出的“参考值”只是在前17位正确时的号码，不能直接照抄：请到户查看身份证原件，逐位核对后改正。',
  // head ID numbers on household, pairing and beneficiary sheets too (cross hook)
  reads: ['members', 'households', 'pairings', 'beneficiaries'],
  cross: headIdCross('ID-03'),
  row(row, emit, ctx) {
    if (row.table !== 'members') return;
    emitProblems(row as MemberRow, idProblems(row as MemberRow, asOfYmd(ctx), 'ID-03'), emit);
  },
  describe(f) {
    return `证件号码“${v(f)}”校验位错误：按前17位计算，最后一位应为“${p(f, 'checkDigit')}”（即“${e(f)}”），号码中可能有录错的数字，请对照身份证原件核对`;
  },
});

const id04 = defineRule({
  id: 'ID-04',
  family: 'ID',
  severity: 'error',
  title: '证件号码中的出生日期不合理',
  explain:
    '身份证号码第7–14位是出生日期（年月日）。日期不存在（如2月30日、13月）、晚于核查日期，或推算年龄超过120岁，说明号码录错了。请到户查看身份证原件，核对号码中的出生日期后改正。',
  // head ID numbers on household, pairing and beneficiary sheets too (cross hook)
  reads: ['members', 'households', 'pairings', 'beneficiaries'],
  cross: headIdCross('ID-04'),
  row(row, emit, ctx) {
    if (row.table !== 'members') return;
    emitProblems(row as MemberRow, idProblems(row as MemberRow, asOfYmd(ctx), 'ID-04'), emit);
  },
  describe(f) {
    const b = p(f, 'birth');
    const shown = b.length === 8 ? `${b.slice(0, 4)}年${b.slice(4, 6)}月${b.slice(6, 8)}日` : b;
    if (f.code === 'birth_future') return `证件号码“${v(f)}”中的出生日期${shown}晚于核查日期，号码有误`;
    if (f.code === 'age_over_120') return `证件号码“${v(f)}”中的出生日期${shown}推算年龄为${p(f, 'age')}岁，超过120岁，号码有误`;
    return `证件号码“${v(f)}”中的出生日期“${b}”不是有效日期，号码有误`;
  },
});

const id05 = defineRule({
  id: 'ID-05',
  family: 'ID',
  severity: 'error',
  title: '证件号码地区码无效',
  explain:
    '身份证号码前6位是办证地的行政区划代码，前2位是省份代码。前2位不是任何省份的代码，号码必定录错了；前6位不在历年（1980年以来）任何一版行政区划代码中，可能是录错，也可能是很早或很新的代码，列为疑似。请到户查看身份证原件核对前6位。',
  // head ID numbers on household, pairing and beneficiary sheets too (cross hook)
  reads: ['members', 'households', 'pairings', 'beneficiaries'],
  cross: headIdCross('ID-05'),
  row(row, emit, ctx) {
    if (row.table !== 'members') return;
    emitProblems(row as MemberRow, idProblems(row as MemberRow, asOfYmd(ctx), 'ID-05'), emit);
  },
  describe(f) {
    if (f.code === 'province') return `证件号码“${v(f)}”前2位“${p(f, 'province')}”不是有效的省份代码，号码有误`;
    return `证件号码“${v(f)}”前6位“${p(f, 'region')}”不在历年行政区划代码中，请核对号码`;
  },
});

const id06 = defineRule({
  id: 'ID-06',
  family: 'ID',
  severity: 'error',
  title: '性别与证件号码不符',
  explain:
    '身份证号码第17位表示性别：奇数为男，偶数为女。性别栏与号码不一致，要么性别填错，要么号码录错。请到户查看身份证原件，以证件为准改正。',
  reads: ['members'],
  row(row, emit, ctx) {
    const r = row as MemberRow;
    const { idNumber, gender } = r.v;
    if (!idNumber || !gender) return;
    const c = checkIdCached(idNumber, asOfYmd(ctx), r.v.idType);
    if (!c.normalized || !c.gender) return;
    if (c.gender !== gender) {
      emit({ ...personBase(r), rule: 'ID-06', code: 'gender', field: 'gender', value: gender, expected: c.gender });
    }
  },
  describe(f) {
    return `性别填写为“${v(f)}”，但证件号码第17位表示“${e(f)}”，请核对性别或证件号码`;
  },
});

function ymdText(b: { y: number; m: number; d: number }): string {
  return `${b.y}-${String(b.m).padStart(2, '0')}-${String(b.d).padStart(2, '0')}`;
}

const id07 = defineRule({
  id: 'ID-07',
  family: 'ID',
  severity: 'error',
  title: '出生日期或年龄与证件号码不符',
  explain:
    '出生日期栏或年龄栏与身份证号码中的出生日期（第7–14位）不一致。年龄可能是导出时计算的，相差1岁以内不算问题。请到户查看身份证原件，以证件为准改正出生日期；若证件号码本身录错，请改正号码。',
  reads: ['members'],
  row(row, emit, ctx) {
    const r = row as MemberRow;
    const { idNumber, birthDate, age } = r.v;
    if (!idNumber) return;
    const asOf = asOfYmd(ctx);
    const c = checkIdCached(idNumber, asOf, r.v.idType);
    const b = c.birth;
    if (!c.normalized || !b) return;
    if (birthDate) {
      const differs =
        birthDate.y !== b.y || (birthDate.m !== undefined && birthDate.m !== b.m) || (birthDate.d !== undefined && birthDate.d !== b.d);
      if (differs) {
        emit({
          ...personBase(r),
          rule: 'ID-07',
          code: 'birth_date',
          field: 'birthDate',
          value: formatPartialDate(birthDate),
          expected: ymdText(b),
        });
      }
    }
    if (typeof age === 'number' && Number.isFinite(age)) {
      const real = ageAt(b, asOf);
      if (Math.abs(age - real) > 1) {
        emit({
          ...personBase(r),
          rule: 'ID-07',
          code: 'age',
          field: 'age',
          value: age,
          expected: real,
          params: { birth: ymdText(b) },
        });
      }
    }
  },
  describe(f) {
    if (f.code === 'age')
      return `年龄填写为${v(f)}岁，但按证件号码中的出生日期（${p(f, 'birth')}）到核查日应为${e(f)}岁，相差超过1岁`;
    return `出生日期填写为“${v(f)}”，但证件号码中的出生日期是“${e(f)}”`;
  },
});

/** How many of an ID-08 finding's other places its message names. */
const ID08_PLACES_IN_MESSAGE = 3;

const id08 = defineRule({
  id: 'ID-08',
  family: 'ID',
  severity: 'error',
  title: '证件号码重复',
  explain:
    '同一个证件号码出现在两条或多条成员记录上。一个人只能在一户中登记一次：可能是重复录入、分户后未从原户删除，或把别人的号码录给了这个成员。请根据“相关位置”逐条核对，保留正确的一条，删除重复记录或改正录错的号码。',
  reads: ['members'],
  cross(ix, emit, ctx) {
    const asOf = asOfYmd(ctx);
    const groups = new Map<string, MemberRow[]>();
    for (const m of ix.members) {
      const id = m.v.idNumber;
      if (!id || id.text === '' || isPlaceholder(id.text) || isNoneText(id.text)) continue;
      const c = checkIdCached(id, asOf, m.v.idType);
      // a number damaged by a spreadsheet (ID-10) is not the person's number: no duplicate claim on it
      if (c.problems.some((x) => x.rule === 'ID-10')) continue;
      // group only numbers that identify someone: a usable resident ID (its 18-character form), or
      // for another certificate type (护照 …) its number; texts such as 未落户 / 新生儿 / 无身份证
      // or a malformed number would make unrelated people "duplicates" (and quadratic related lists)
      let key: string | undefined;
      if (isResidentIdType(m.v.idType)) key = c.normalized;
      else {
        const t = normalizeIdText(id.text);
        if (/\d/.test(t)) key = `${canonicalIdType(m.v.idType!)}\u0000${t}`;
      }
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
        related[i - 1] = `${placeOf(o.at)} / 户编号 ${o.v.householdNo ?? ''}${o.v.name ? ` / ${o.v.name}` : ''}`;
      }
      emit({
        ...personBase(first),
        rule: 'ID-08',
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
  describe(f) {
    const n = Number(f.params?.['count'] ?? 2);
    // the message names a few places; the complete list is in `related` (相关位置)
    const rel = f.related ?? [];
    const shown = rel.slice(0, ID08_PLACES_IN_MESSAGE).join('；');
    const more = rel.length > ID08_PLACES_IN_MESSAGE ? `等${rel.length}处，全部见“相关位置”` : '';
    const where = shown ? `；其他位置：${shown}${more}` : '';
    if (f.code === 'same_household') return `证件号码“${v(f)}”在本户中登记了${n}次，请删除重复的成员记录${where}`;
    const hh = Number(f.params?.['households'] ?? 2);
    const cty = Number(f.params?.['counties'] ?? 1);
    return `证件号码“${v(f)}”共出现在${n}条成员记录上（涉及${hh}户${cty > 1 ? `、${cty}个县` : ''}）${where}`;
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

const id09 = defineRule({
  id: 'ID-09',
  family: 'ID',
  severity: 'error',
  title: '姓名为空或含非法字符',
  explain:
    '姓名应与身份证或户口簿一致，只能是汉字；少数民族姓名中间的分隔点用“·”。姓名为空，或夹有数字、字母、空格、括号、逗号等符号（常见于复制粘贴或备注写进了姓名栏），会导致与其他部门数据比对失败。请到户核对证件后改正。',
  reads: ['members'],
  row(row, emit) {
    const r = row as MemberRow;
    const name = r.v.name;
    if (name === undefined || name.trim() === '') {
      emit({ ...personBase(r), rule: 'ID-09', code: 'missing', field: 'name', value: '' });
      return;
    }
    const bad = nameBadChars(name);
    if (bad.length > 0) emit({ ...personBase(r), rule: 'ID-09', code: 'invalid_chars', field: 'name', value: name, params: { chars: bad } });
  },
  describe(f) {
    if (f.code === 'missing') return '姓名为空，请按身份证或户口簿填写';
    const chars = (f.params?.['chars'] as string[] | undefined)?.map((c) => `“${c}”`).join('、') ?? '';
    return `姓名“${v(f)}”含有非法字符${chars}，姓名只能由汉字和“·”组成`;
  },
});

const id10 = defineRule({
  id: 'ID-10',
  family: 'ID',
  severity: 'error',
  title: '证件号码被表格软件损坏',
  explain:
    '证件号码被Excel等表格软件当作数字保存后，只保留15位有效数字，后几位变成0，或显示成“4.30524E+17”这样的科学计数法，原号码已经丢失，无法从表格中恢复。请把该列设为“文本”格式，到户查看身份证原件或从原始系统重新导出，重新录入完整的18位号码。',
  // head ID numbers on household, pairing and beneficiary sheets too (cross hook)
  reads: ['members', 'households', 'pairings', 'beneficiaries'],
  cross: headIdCross('ID-10'),
  row(row, emit, ctx) {
    if (row.table !== 'members') return;
    emitProblems(row as MemberRow, idProblems(row as MemberRow, asOfYmd(ctx), 'ID-10'), emit);
  },
  describe(f) {
    if (f.code === 'scientific') return `证件号码显示为科学计数法“${v(f)}”，后几位已丢失，请按证件原件重新录入`;
    if (f.code === 'numeric_cell') {
      // a 15-digit number fits in a spreadsheet number exactly: nothing was lost, only the format is wrong
      if (Number(f.params?.['digits']) === 15)
        return `证件号码“${v(f)}”以数值格式保存，请把该列设为文本；15位老号码还需升级为18位`;
      return `证件号码“${v(f)}”以数值格式保存，超过15位的数字已丢失，请将该列设为文本后按证件原件重新录入`;
    }
    return `证件号码“${v(f)}”末尾为“000”且校验位不符，疑似被表格软件截断，请按证件原件重新录入`;
  },
});

export const identityRules: AnyRule[] = [id01, id02, id03, id04, id05, id06, id07, id08, id09, id10];
