// HELPER — 扶贫主体基础信息 (SPEC §3 HELPER-01..HELPER-07). Helpers arrive on their own sheet, as
// helper columns on pairing rows (rows with viaPairing), or only as the helper ID and name on a
// pairing row; resident cadres (residencies) are helpers too for HELPER-01, -02, -03, -06, -07.
// All of them feed one set of helper records, keyed by the normalised ID number.
import type { Finding, IdValue, Loc, NormalRow, Region, TableKind } from '../src/model.js';
import { bySheet } from './lib/sheets.js';
import type { Indexes } from '../src/engine/indexes.js';
import type { HelperRow, HelperValues, PairingRow, ResidencyRow } from '../src/schema/rows.js';
import { type AnyRule } from '../src/engine/rule.js';
import { defineLegacyRule as defineRule } from '../src/engine/legacy-rule.js';
import { displayValue, regionOf } from '../src/core/values.js';
import { checkIdNumber, isDamagedId, isNoneText, isPlaceholder, normalizeIdText } from './lib/idcard.js';

// ---------------------------------------------------------------------------------------------
// Helper records

type SourceKind = 'helper' | 'pairing' | 'residency';

type SourceRow = HelperRow | PairingRow | ResidencyRow;

interface HelperSource {
  row: SourceRow;
  kind: SourceKind;
  id?: IdValue;
  name?: string;
  /** phone as parsed, else the raw text of an unreadable phone cell */
  phone?: string;
  /** the sheet had a phone column for this row's table */
  phoneColumn: boolean;
  /** the sheet had unit-level and rank columns (HELPER-04/05 apply) */
  rankColumns: boolean;
}

interface HelperRecord {
  /** normalised ID text (the key); for a damaged ID, the text plus the name or the row */
  key: string;
  sources: HelperSource[];
  /** signatures of the sources kept: a repeated row (one per pairing line) adds nothing new */
  seen?: Set<string>;
}

/** What a source says about its helper; two sources with the same signature are redundant. */
function signature(src: HelperSource): string {
  const v = src.row.v as Partial<HelperValues>;
  const bad = src.row.bad ? Object.keys(src.row.bad).sort().join(',') : '';
  return [src.kind, src.name ?? '', src.phone ?? '', +src.phoneColumn, +src.rankColumns, v.unit ?? '', v.unitLevel ?? '', v.rank ?? '', bad].join('\u001f');
}

interface HelperIndex {
  byId: Map<string, HelperRecord>;
  /** rows whose ID number is empty */
  noId: HelperSource[];
}

const cache = new WeakMap<Indexes, HelperIndex>();

function has(row: Pick<NormalRow, 'table' | 'sheet'>, key: string): boolean {
  return row.sheet.fields[row.table]?.has(key) ?? false;
}

function helperIndex(ix: Indexes): HelperIndex {
  const hit = cache.get(ix);
  if (hit) return hit;
  const byId = new Map<string, HelperRecord>();
  const noId: HelperSource[] = [];
  const add = (src: HelperSource): void => {
    let key = src.id?.text ? normalizeIdText(src.id.text) : '';
    if (!key) {
      noId.push(src);
      return;
    }
    // A spreadsheet-damaged number (4.30524E+17, …000) is shared by many people, so it is never a
    // join key on its own: one record per (damaged text, name), or per row when there is no name.
    if (isDamagedId(src.id!)) {
      const at = src.row.at;
      key += '\u0000' + (src.name ? 'n:' + nameKey(src.name) : `r:${at.file}|${at.sheet ?? ''}|${at.row ?? ''}`);
    }
    const rec = byId.get(key);
    if (!rec) {
      byId.set(key, { key, sources: [src] });
      return;
    }
    if (!rec.seen) rec.seen = new Set([signature(rec.sources[0]!)]);
    const sig = signature(src);
    if (rec.seen.has(sig)) return;
    rec.seen.add(sig);
    rec.sources.push(src);
  };
  for (const r of ix.helpers as HelperRow[]) {
    const src: HelperSource = {
      row: r,
      kind: 'helper',
      phoneColumn: has(r, 'phone'),
      rankColumns: has(r, 'unitLevel') && has(r, 'rank'),
    };
    if (r.v.helperId) src.id = r.v.helperId;
    if (r.v.helperName) src.name = r.v.helperName;
    const phone = r.v.phone ?? r.bad?.phone;
    if (phone) src.phone = phone;
    add(src);
  }
  for (const r of ix.pairings) {
    const src: HelperSource = { row: r, kind: 'pairing', phoneColumn: false, rankColumns: false };
    if (r.v.helperId) src.id = r.v.helperId;
    if (r.v.helperName) src.name = r.v.helperName;
    add(src);
  }
  for (const r of ix.residencies as ResidencyRow[]) {
    const src: HelperSource = { row: r, kind: 'residency', phoneColumn: has(r, 'phone'), rankColumns: false };
    if (r.v.idNumber) src.id = r.v.idNumber;
    if (r.v.name) src.name = r.v.name;
    const phone = r.v.phone ?? r.bad?.phone;
    if (phone) src.phone = phone;
    add(src);
  }
  const idx = { byId, noId };
  cache.set(ix, idx);
  return idx;
}


function place(at: Loc): string {
  return [at.file, at.sheet, at.row !== undefined ? `第${at.row}行` : undefined].filter(Boolean).join(' / ');
}

function idField(src: HelperSource): string {
  return src.kind === 'residency' ? 'idNumber' : 'helperId';
}

/** The common part of a HELPER finding located at one source row. */
function baseAt(rule: Finding['rule'], src: HelperSource, helperId: string | undefined): Finding {
  const f: Finding = { rule, at: src.row.at, region: regionOf(src.row.v as Region), table: src.row.table as TableKind };
  if (helperId) f.helperId = helperId;
  // a damaged ID is shared by many people: the name keeps their findings (fingerprints) apart
  if (helperId && src.id && src.name && isDamagedId(src.id)) f.name = src.name;
  if (src.name) f.params = { helperName: src.name };
  return f;
}

function withParams(f: Finding, extra: Record<string, unknown>): Finding {
  f.params = { ...(f.params ?? {}), ...extra };
  return f;
}

function who(f: Finding): string {
  const name = f.params?.['helperName'];
  const role = f.params?.['role'] === 'residency' ? '驻村干部' : '帮扶责任人';
  const id = f.helperId ? `（${f.helperId}）` : '';
  return `${role}${name ? String(name) : ''}${id}`;
}

function roleOf(rec: HelperRecord): 'residency' | 'helper' {
  return rec.sources.every((s) => s.kind === 'residency') ? 'residency' : 'helper';
}

const MOBILE = /^1[3-9]\d{9}$/;

/**
 * One info note for a column that the sheets of `locs` lacked: a clerk's export without an optional
 * column is not an error on every row. No helper entity, so it lands on nobody's record.
 */
function noColumnNote(rule: Finding['rule'], table: TableKind, field: string, zh: string, locs: Loc[]): Finding[] {
  // one note per sheet and field
  return bySheet(locs, (l) => l).map((g) => ({
    rule,
    code: 'no_column',
    severity: 'info',
    table,
    at: g.at,
    recordKey: g.recordKey,
    field,
    value: '',
    params: { label: zh, count: g.items.length, files: [g.at.file] },
  }));
}

function noColumnText(f: Finding, unit: string): string {
  const files = (f.params?.['files'] as string[] | undefined) ?? [];
  return `表中没有“${String(f.params?.['label'] ?? f.field ?? '')}”列，涉及${displayValue(f.params?.['count'])}${unit}（${files.join('、')}），无法检查该项，请从原系统导出包含该列的表`;
}

// ---------------------------------------------------------------------------------------------
// HELPER-01

const ID_RULES_ZH: Record<string, string> = {
  'ID-02': '格式不对',
  'ID-03': '校验码错误',
  'ID-04': '出生日期不合理',
  'ID-10': '被表格软件损坏（科学计数法或末尾变成0）',
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
  cross(ix, emit, ctx) {
    const hx = helperIndex(ix);
    for (const rec of hx.byId.values()) {
      const src = rec.sources[0]!;
      const id = src.id!;
      const role = roleOf(rec);
      const text = normalizeIdText(id.text);
      if (isPlaceholder(text) || isNoneText(text)) {
        emit(withParams({ ...baseAt('HELPER-01', src, id.text), code: 'placeholder', field: idField(src), value: id.raw || id.text }, { role }));
        continue;
      }
      const check = checkIdNumber(id, ctx.asOfDate);
      for (const pr of check.problems) {
        if (pr.rule === 'ID-05') continue; // HELPER-01 is ID-02..ID-04 and ID-10 only
        const f: Finding = {
          ...baseAt('HELPER-01', src, id.text),
          code: `${pr.rule}:${pr.code}`,
          field: idField(src),
          value: pr.value ?? (id.raw || id.text),
        };
        if (pr.expected !== undefined) f.expected = pr.expected;
        if (pr.severity) f.severity = pr.severity;
        emit(withParams(f, { ...(pr.params ?? {}), idRule: pr.rule, idCode: pr.code, role }));
      }
    }
    // a helper or residency row without any ID number: keyed by name (one finding per name);
    // a sheet without an ID column at all is absent, not empty: one note per field
    const noColumn: Loc[] = [];
    let noColumnTable: TableKind = 'residencies';
    for (const src of hx.noId) {
      if (src.kind === 'pairing') continue; // a pairing row without a helper ID is PAIR-08
      if (!has(src.row, idField(src))) {
        // a pairing sheet's helper columns without an ID column: PAIR-08 already notes that sheet
        if ((src.row as HelperRow).viaPairing) continue;
        if (noColumn.length === 0) noColumnTable = src.row.table as TableKind;
        noColumn.push(src.row.at);
        continue;
      }
      const f: Finding = { ...baseAt('HELPER-01', src, undefined), code: 'missing', field: idField(src) };
      if (src.name) f.name = src.name;
      emit(withParams(f, { role: src.kind === 'residency' ? 'residency' : 'helper' }));
    }
    for (const n of noColumnNote('HELPER-01', noColumnTable, noColumnTable === 'residencies' ? 'idNumber' : 'helperId', '证件号码', noColumn)) emit(n);
  },
  describe(f) {
    if (f.code === 'no_column') return noColumnText(f, '条记录');
    if (f.code === 'missing') return `${who(f)}的证件号码为空`;
    if (f.code === 'placeholder') return `${who(f)}的证件号码“${displayValue(f.value)}”不是有效号码`;
    const rule = String(f.params?.['idRule'] ?? '');
    const exp = f.expected !== undefined ? `，应为 ${displayValue(f.expected)}` : '';
    if (f.params?.['idCode'] === 'legacy15') return `${who(f)}的证件号码是15位旧号码，需升级为18位${exp || '（号码中的出生日期或省份代码有误，无法推算升级后的号码，请核对）'}`;
    return `${who(f)}的证件号码${ID_RULES_ZH[rule] ?? '有误'}（${rule}）${exp}`;
  },
});

// ---------------------------------------------------------------------------------------------
// HELPER-02

export const HELPER_02 = defineRule({
  id: 'HELPER-02',
  family: 'HELPER',
  severity: 'error',
  title: '帮扶人手机号缺失或有误',
  explain:
    '帮扶责任人和驻村干部应登记本人的大陆手机号码（11位，1开头，第二位为3至9），用于帮扶App登记和电话回访。' +
    '只检查带有联系电话列的表。请补录或改正为本人手机号码。',
  reads: ['helpers', 'residencies'],
  cross(ix, emit) {
    const hx = helperIndex(ix);
    for (const rec of hx.byId.values()) {
      const withCol = rec.sources.filter((s) => s.phoneColumn);
      if (withCol.length === 0) continue;
      const role = roleOf(rec);
      const phones = withCol.filter((s) => s.phone);
      if (phones.length === 0) {
        const src = withCol[0]!;
        emit(withParams({ ...baseAt('HELPER-02', src, src.id!.text), code: 'missing', field: 'phone' }, { role }));
        continue;
      }
      const bad = phones.filter((s) => !MOBILE.test(s.phone!));
      if (bad.length > 0) {
        const src = bad[0]!;
        const values = [...new Set(bad.map((s) => s.phone!))];
        emit(
          withParams(
            { ...baseAt('HELPER-02', src, src.id!.text), code: 'invalid', field: 'phone', value: src.phone },
            { role, values },
          ),
        );
      }
    }
    // a list without an ID column at all (absent, not empty): its phones are still checked, per row,
    // the person's name keeping the findings apart
    const seenNames = new Set<string>();
    for (const src of hx.noId) {
      if (src.kind === 'pairing' || !src.phoneColumn || has(src.row, idField(src))) continue;
      // the same person on several rows (one per paired household) is one finding
      const who = `${src.kind}\u001f${src.name ?? ''}\u001f${src.phone ?? ''}`;
      if (seenNames.has(who)) continue;
      seenNames.add(who);
      const role = src.kind === 'residency' ? 'residency' : 'helper';
      const base = baseAt('HELPER-02', src, undefined);
      if (src.name) base.name = src.name;
      // no ID number to key on: two people of one name keep findings of their own
      base.recordKey = src.phone ?? '';
      if (!src.phone) emit(withParams({ ...base, code: 'missing', field: 'phone' }, { role }));
      else if (!MOBILE.test(src.phone)) emit(withParams({ ...base, code: 'invalid', field: 'phone', value: src.phone }, { role, values: [src.phone] }));
    }
  },
  describe(f) {
    if (f.code === 'missing') return `${who(f)}没有填写联系电话`;
    return `${who(f)}的联系电话“${displayValue(f.value)}”不是有效的手机号码（应为1开头的11位号码）`;
  },
});

// ---------------------------------------------------------------------------------------------
// HELPER-03

/** How many of the other helpers sharing a phone one HELPER-03 finding lists. */
const HELPER03_OTHERS = 20;

export const HELPER_03 = defineRule({
  id: 'HELPER-03',
  family: 'HELPER',
  severity: 'error',
  title: '多名帮扶人共用一个手机号',
  explain:
    '同一个手机号码登记在两名或以上不同身份证号的帮扶责任人（含驻村干部）名下。帮扶App注册要求一人一号，请改为每人本人的手机号码。',
  reads: ['helpers', 'residencies'],
  cross(ix, emit) {
    const hx = helperIndex(ix);
    const byPhone = new Map<string, { rec: HelperRecord; src: HelperSource }[]>();
    for (const rec of hx.byId.values()) {
      const seen = new Set<string>();
      for (const s of rec.sources) {
        if (!s.phone) continue;
        const digits = s.phone.replace(/\D/g, '');
        if (digits.length < 7 || seen.has(digits)) continue;
        seen.add(digits);
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
        emit(
          withParams(
            {
              ...baseAt('HELPER-03', src, src.id!.text),
              code: 'shared',
              field: 'phone',
              value: phone,
              related: others.map((x) => x.src.id!.text),
            },
            { role: roleOf(rec), sharedWith: list.length - 1, otherNames: names },
          ),
        );
      }
    }
  },
  describe(f) {
    const names = (f.params?.['otherNames'] ?? []) as string[];
    const related = f.related ?? [];
    const others = related.map((id, i) => (names[i] ? `${names[i]}（${id}）` : id)).join('、');
    const n = Number(f.params?.['sharedWith'] ?? related.length);
    return `${who(f)}的手机号 ${displayValue(f.value)} 同时登记在另外 ${n} 人名下：${others}${n > related.length ? '等' : ''}`;
  },
});

// ---------------------------------------------------------------------------------------------
// HELPER-04

const FIELD_ZH: Record<string, string> = { unit: '帮扶单位', unitLevel: '帮扶单位隶属关系', rank: '职务级别' };

export const HELPER_04 = defineRule({
  id: 'HELPER-04',
  family: 'HELPER',
  severity: 'error',
  title: '帮扶单位或职级缺失、不规范',
  explain:
    '帮扶责任人的帮扶单位、单位隶属关系（中央、省、市、县、乡镇、村委会等）和职务级别（厅局级正职、县处级副职、科员级等）都应按规范填写。' +
    '只检查带有隶属关系和职级列的表；表中没有帮扶单位列的，只提示一次缺列，不逐人报错。请补录或改为规定的选项。',
  reads: ['helpers'],
  cross(ix, emit) {
    const hx = helperIndex(ix);
    // helpers whose sheets lacked a column: one note per field, not one error per helper
    const noColumn = new Map<string, HelperSource[]>();
    for (const rec of hx.byId.values()) {
      const rows = rec.sources.filter((s) => s.kind === 'helper' && s.rankColumns);
      if (rows.length === 0) continue;
      for (const key of ['unit', 'unitLevel', 'rank'] as const) {
        const v = (r: HelperSource): unknown => (r.row as HelperRow).v[key];
        // a value can be missing only where the sheet had the column
        const withCol = rows.filter((r) => has(r.row, key));
        if (withCol.length === 0) {
          const list = noColumn.get(key) ?? [];
          list.push(rows[0]!);
          noColumn.set(key, list);
          continue;
        }
        const badRow = withCol.find((r) => (r.row as HelperRow).bad?.[key] !== undefined);
        if (badRow) {
          emit({
            ...baseAt('HELPER-04', badRow, badRow.id!.text),
            code: `${key}_invalid`,
            field: key,
            value: (badRow.row as HelperRow).bad![key],
          });
        } else if (!withCol.some((r) => v(r) !== undefined && v(r) !== '')) {
          const first = withCol[0]!;
          emit({ ...baseAt('HELPER-04', first, first.id!.text), code: `${key}_missing`, field: key });
        }
      }
    }
    for (const [key, srcs] of noColumn) for (const n of noColumnNote('HELPER-04', 'helpers', key, FIELD_ZH[key] ?? key, srcs.map((s) => s.row.at))) emit(n);
  },
  describe(f) {
    if (f.code === 'no_column') return noColumnText(f, '名帮扶责任人');
    const label = FIELD_ZH[f.field ?? ''] ?? f.field ?? '';
    if (f.code?.endsWith('_invalid')) return `${who(f)}的${label}“${displayValue(f.value)}”不在规定选项中`;
    return `${who(f)}的${label}为空`;
  },
});

// ---------------------------------------------------------------------------------------------
// HELPER-05

const BUREAU_OR_ABOVE = new Set(['国家级正职', '国家级副职', '省部级正职', '省部级副职', '厅局级正职', '厅局级副职']);
const COUNTY_OR_ABOVE = new Set([...BUREAU_OR_ABOVE, '县处级正职', '县处级副职']);
const COUNTY_OR_BELOW_UNITS = new Set(['县', '区', '街道', '镇', '乡', '居民委员会', '村民委员会']);
const TOWNSHIP_OR_BELOW_UNITS = new Set(['街道', '镇', '乡', '居民委员会', '村民委员会']);

export const HELPER_05 = defineRule({
  id: 'HELPER-05',
  family: 'HELPER',
  severity: 'error',
  title: '职级与单位层级不符',
  explain:
    '县、区及以下单位一般没有厅局级及以上干部，乡镇、街道、村（居）委会一般没有县处级及以上干部。' +
    '职级高于单位层级的，多是单位隶属关系或职务级别选错，请核对后改正。',
  reads: ['helpers'],
  cross(ix, emit) {
    const hx = helperIndex(ix);
    for (const rec of hx.byId.values()) {
      for (const s of rec.sources) {
        if (s.kind !== 'helper' || !s.rankColumns) continue;
        const { unitLevel, rank } = (s.row as HelperRow).v;
        if (!unitLevel || !rank) continue;
        let code: string | undefined;
        if (BUREAU_OR_ABOVE.has(rank) && COUNTY_OR_BELOW_UNITS.has(unitLevel)) code = 'bureau_in_county';
        else if (COUNTY_OR_ABOVE.has(rank) && TOWNSHIP_OR_BELOW_UNITS.has(unitLevel)) code = 'county_in_township';
        if (!code) continue;
        const f = withParams(
          { ...baseAt('HELPER-05', s, s.id!.text), code, field: 'rank', value: rank },
          { unitLevel, ...((s.row as HelperRow).v.unit ? { unit: (s.row as HelperRow).v.unit } : {}) },
        );
        emit(f);
        break; // one finding per helper
      }
    }
  },
  describe(f) {
    const p = f.params ?? {};
    const unit = p['unit'] ? `“${String(p['unit'])}”` : '';
    const limit = f.code === 'bureau_in_county' ? '县、区及以下单位不应有厅局级及以上职级' : '乡镇、街道、村（居）委会不应有县处级及以上职级';
    return `${who(f)}的职务级别为${displayValue(f.value)}，而帮扶单位${unit}隶属关系为${String(p['unitLevel'] ?? '')}：${limit}`;
  },
});

// ---------------------------------------------------------------------------------------------
// HELPER-06

function nameKey(s: string): string {
  return s.replace(/[\s\u3000]+/g, '');
}

export const HELPER_06 = defineRule({
  id: 'HELPER-06',
  family: 'HELPER',
  severity: 'error',
  title: '同一帮扶人信息不一致',
  explain:
    '同一个证件号码在帮扶责任人名单、结对帮扶表或驻村工作队名单中出现多次，但姓名或联系电话不一样。' +
    '可能是证件号码录错（张冠李戴）或电话已变更，请核实后统一。',
  reads: ['helpers', 'pairings', 'residencies'],
  cross(ix, emit) {
    const hx = helperIndex(ix);
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
        const f: Finding = {
          ...baseAt('HELPER-06', first.src, first.src.id!.text),
          code: what,
          field: what === 'name' ? (first.src.kind === 'residency' ? 'name' : 'helperName') : 'phone',
          value: list.map((x) => x.value).join('、'),
          related: list.slice(1).map((x) => place(x.at)),
        };
        emit(withParams(f, { role, values: list.map((x) => ({ value: x.value, at: place(x.at) })) }));
      }
    }
  },
  describe(f) {
    const values = (f.params?.['values'] ?? []) as { value: string; at: string }[];
    const what = f.code === 'name' ? '姓名' : '联系电话';
    const listed = values.map((x) => `“${x.value}”（${x.at}）`).join('、');
    return `证件号码 ${f.helperId ?? ''} 的${f.params?.['role'] === 'residency' ? '驻村干部' : '帮扶责任人'}在不同记录中${what}不一致：${listed}`;
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

export const HELPER_07 = defineRule({
  id: 'HELPER-07',
  family: 'HELPER',
  severity: 'error',
  title: '驻村记录信息不全',
  explain:
    '驻村工作队和第一书记名单中，每人都应填写派出单位、驻村身份（第一书记、工作队队长、工作队员）和驻村开始时间。' +
    '缺少开始时间的记录无法计入驻村覆盖检查（PAIR-04）。表中没有派出单位或驻村身份列的，只提示一次缺列，不逐人报错。请补录。',
  reads: ['residencies'],
  row(r, emit) {
    const row = r as ResidencyRow;
    const v = row.v;
    for (const fd of H07_FIELDS) {
      // an optional column the sheet lacked is one note (cross), not an error per cadre;
      // start_on is a required column (FILE-02 reports its absence)
      if (fd.key !== 'startOn' && !residencyHas(row, fd.key)) continue;
      const value = v[fd.key];
      if (value !== undefined && value !== '') continue;
      const bad = row.bad?.[fd.key];
      const f: Finding = {
        rule: 'HELPER-07',
        at: row.at,
        region: regionOf(v),
        table: 'residencies',
        code: bad !== undefined ? `${fd.code}_invalid` : `${fd.code}_missing`,
        field: fd.key,
      };
      if (v.idNumber?.text) f.helperId = v.idNumber.text;
      // with no ID, or a damaged one shared by many people, the name keeps cadres apart
      if (v.name && (!v.idNumber?.text || isDamagedId(v.idNumber))) f.name = v.name;
      if (bad !== undefined) f.value = bad;
      const params: Record<string, unknown> = { label: fd.zh, role: 'residency' };
      if (v.name) params['helperName'] = v.name;
      if (v.village) params['village'] = v.village;
      f.params = params;
      emit(f);
    }
  },
  cross(ix, emit) {
    for (const fd of H07_FIELDS) {
      if (fd.key === 'startOn') continue;
      const locs = (ix.residencies as ResidencyRow[]).filter((r) => !residencyHas(r, fd.key)).map((r) => r.at);
      for (const n of noColumnNote('HELPER-07', 'residencies', fd.key, fd.zh, locs)) emit(n);
    }
  },
  describe(f) {
    if (f.code === 'no_column') return noColumnText(f, '条驻村记录');
    const label = String(f.params?.['label'] ?? f.field ?? '');
    const village = f.params?.['village'] ? `（${String(f.params['village'])}）` : '';
    if (f.code?.endsWith('_invalid')) return `${who(f)}${village}的${label}“${displayValue(f.value)}”无法识别`;
    return `${who(f)}${village}的${label}为空`;
  },
});

export const helperRules: AnyRule[] = [HELPER_01, HELPER_02, HELPER_03, HELPER_04, HELPER_05, HELPER_06, HELPER_07];
