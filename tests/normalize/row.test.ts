import { describe, expect, it } from 'vitest';
import type { SheetInfo, TableKind } from '../../src/model.js';
import type { ColumnBinding, RawCell } from '../../src/ingest/types.js';
import { makeRowNormalizer, normalRowSchema, parseCell, rowSchema } from '../../src/normalize/row.js';
import { UNREADABLE } from '../../src/normalize/values.js';
import { TABLES } from '../../src/schema/tables.js';

function sheetFor(tables: TableKind[], bindings: ColumnBinding[]): SheetInfo {
  const fields: SheetInfo['fields'] = {};
  for (const t of tables) fields[t] = new Set(bindings.filter((b) => b.table === t).map((b) => b.key));
  return { file: '城关镇/花园村.xlsx', sheet: 'Sheet1', tables, fields };
}

function bind(table: TableKind, keys: (string | Omit<ColumnBinding, 'col' | 'table'>)[]): ColumnBinding[] {
  return keys.map((k, col) => (typeof k === 'string' ? { col, table, key: k } : { col, table, ...k }));
}

const MEMBER_KEYS = [
  'county', 'township', 'village', 'householdNo', 'name', 'idNumber', 'idType', 'gender', 'birthDate', 'age',
  'relation', 'education', 'schoolStatus', 'health', 'laborSkill', 'workStatus', 'workMonths', 'medicalInsurance', 'phone',
];

describe('makeRowNormalizer: members', () => {
  const bindings = bind('members', MEMBER_KEYS);
  const sheet = sheetFor(['members'], bindings);
  const norm = makeRowNormalizer('members', bindings, sheet);

  it('parses good cells into v and keeps bad cells as raw text in bad', () => {
    const cells: RawCell[] = [
      ' 桃源縣 ', '城关镇', '花园村', 4305240101001, ' 張三 ', ' 43052419900101123x ', '身份证', '1', '2019-02-30', '30',
      '02', '高中', '', '殘疾，慢性病', '会种地', '省外务工', '六个月', '是', '13800000000.0',
    ];
    const at = { file: sheet.file, sheet: 'Sheet1', row: 5 };
    const r = norm(cells, at);
    expect(r.table).toBe('members');
    expect(r.at).toBe(at);
    expect(r.sheet).toBe(sheet);
    expect(r.v).toEqual({
      county: '桃源县',
      township: '城关镇',
      village: '花园村',
      householdNo: '4305240101001',
      name: '張三', // people's names are kept as written
      idNumber: { raw: ' 43052419900101123x ', text: '43052419900101123X', numericCell: false, scientific: false },
      idType: '居民身份证',
      gender: '男',
      age: 30,
      relation: '户主',
      education: '高中',
      health: ['长期慢性病', '残疾'],
      workStatus: '省外务工',
      medicalInsurance: true,
      phone: '13800000000',
    });
    expect(r.bad).toEqual({ birthDate: '2019-02-30', laborSkill: '会种地', workMonths: '六个月' });
    expect('schoolStatus' in r.v).toBe(false); // empty → absent
    expect(normalRowSchema('members').safeParse(r).success).toBe(true);
  });

  it('omits bad entirely when every cell was readable, and keys for empty cells', () => {
    const cells: RawCell[] = Array(MEMBER_KEYS.length).fill(null);
    cells[3] = 'H001';
    cells[10] = 10;
    cells[5] = 4.30524e17;
    const r = norm(cells, { file: 'x.csv', row: 2 });
    expect(r.bad).toBeUndefined();
    expect('bad' in r).toBe(false);
    expect(r.v).toEqual({
      householdNo: 'H001',
      relation: '配偶',
      idNumber: { raw: '430524000000000000', text: '430524000000000000', numericCell: true, scientific: false },
    });
  });

  it('keeps codes outside the dictionary as bad (BASE-02 reports them)', () => {
    const cells: RawCell[] = Array(MEMBER_KEYS.length).fill(null);
    cells[10] = '98';
    cells[7] = 3;
    cells[13] = '残疾,感冒';
    const r = norm(cells, { file: 'x.csv', row: 3 });
    expect(r.v).toEqual({});
    expect(r.bad).toEqual({ relation: '98', gender: '3', health: '残疾,感冒' });
  });

  it('reads numeric code cells (gender 1/2, relation codes that lost their leading 0)', () => {
    const cells: RawCell[] = Array(MEMBER_KEYS.length).fill(null);
    cells[7] = 2;
    cells[10] = 2;
    expect(norm(cells, { file: 'x.xlsx', row: 6 }).v).toEqual({ gender: '女', relation: '户主' });
    cells[7] = 1;
    cells[10] = 30;
    expect(norm(cells, { file: 'x.xlsx', row: 7 }).v).toEqual({ gender: '男', relation: '之女' });
  });

  it('with QINGXI_CHECK_ROWS=1 the zod safety net leaves valid rows unchanged', () => {
    const cells: RawCell[] = [
      '县', '镇', '村', 'H1', '王五', '430524199001011234', '残疾证', '女', 32874, '35', '之女', '初中', '九年级', '大病',
      '弱劳动力', '无', '0', '否', '138 0000 0000',
    ];
    const plain = norm(cells, { file: 'x', row: 8 });
    process.env['QINGXI_CHECK_ROWS'] = '1';
    try {
      const checked = makeRowNormalizer('members', bindings, sheet)(cells, { file: 'x', row: 8 });
      expect(checked).toEqual(plain);
    } finally {
      delete process.env['QINGXI_CHECK_ROWS'];
    }
    expect(plain.v).toMatchObject({ idType: '残疾人证', birthDate: { y: 1990, m: 1, d: 1 }, schoolStatus: '初中', health: ['患有大病'], workMonths: 0, medicalInsurance: false });
  });

  it('a short row (fewer cells than columns) never throws', () => {
    const r = norm(['湖南'], { file: 'x.csv', row: 4 });
    expect(r.v).toEqual({ county: '湖南' });
  });

  it('the same row twice gives equal but separate v objects', () => {
    const cells: RawCell[] = ['县', '镇', '村', 'H1'];
    const a = norm(cells, { file: 'x', row: 1 });
    const b = norm(cells, { file: 'x', row: 2 });
    expect(a.v).toEqual(b.v);
    expect(a.v).not.toBe(b.v);
  });
});

describe('makeRowNormalizer: bindings', () => {
  it('applies inverse headers: 是否危房 = 是 → housingOk false', () => {
    const bindings = bind('households', [
      'householdNo',
      { key: 'housingOk', inverse: true },
      { key: 'waterOk', inverse: true },
      'educationOk',
      'status',
      'exitYear',
      'identifiedOn',
      { key: 'incomePerCapita', unit: '元' },
    ]);
    const norm = makeRowNormalizer('households', bindings, sheetFor(['households'], bindings));
    const r = norm(['H1', '是', '否', '√', '已脫貧', '2019.0', '2016年', '3,218元'], { file: 'h.xlsx', row: 3 });
    expect(r.v).toEqual({
      householdNo: 'H1',
      housingOk: false,
      waterOk: true,
      educationOk: true,
      status: '已脱贫',
      exitYear: 2019,
      identifiedOn: { y: 2016 },
      incomePerCapita: 3218,
    });
    expect(r.bad).toBeUndefined();
    const bad = norm(['H2', '不清楚', null, null, null, null, null, null], { file: 'h.xlsx', row: 4 });
    expect(bad.bad).toEqual({ housingOk: '不清楚' });
  });

  it('uses the header unit for 万元 amounts', () => {
    const bindings = bind('projects', [
      'projectNo',
      { key: 'totalAmount', unit: '元' },
      { key: 'fiscalAmount', unit: '万元' },
      'noticeAmount',
      'fundPlanDoc',
      'acceptanceDoc',
      'status',
      'subType',
    ]);
    const norm = makeRowNormalizer('projects', bindings, sheetFor(['projects'], bindings));
    const r = norm([2019001, 1250000, '12.5', '12.5美元', '湘财〔2019〕1号', '无', '已驗收', ' 飲水 '], { file: 'p.xlsx', row: 2 });
    expect(r.v).toEqual({
      projectNo: '2019001',
      totalAmount: 125,
      fiscalAmount: 12.5,
      fundPlanDoc: '湘财〔2019〕1号',
      acceptanceDoc: false,
      status: '已验收',
      subType: '饮水',
    });
    expect(r.bad).toEqual({ noticeAmount: '12.5美元' });
  });

  it('ignores bindings of other tables and unknown keys; first non-empty duplicate wins', () => {
    const bindings: ColumnBinding[] = [
      { col: 0, table: 'pairings', key: 'householdNo' },
      { col: 1, table: 'pairings', key: 'helperId' },
      { col: 2, table: 'helpers', key: 'unit' },
      { col: 3, table: 'pairings', key: 'startOn' },
      { col: 4, table: 'pairings', key: 'startOn' },
      { col: 5, table: 'pairings', key: 'noSuchKey' },
      { col: 6, table: 'pairings', key: 'endOn' },
    ];
    const sheet = sheetFor(['pairings', 'helpers'], bindings);
    const pair = makeRowNormalizer('pairings', bindings, sheet);
    const r = pair(['H1', '430524198001011234', '县农业局', null, 42430, 'x', ''], { file: 'p.csv', row: 9 });
    expect(r.v).toEqual({
      householdNo: 'H1',
      helperId: { raw: '430524198001011234', text: '430524198001011234', numericCell: false, scientific: false },
      startOn: { y: 2016, m: 3, d: 1 },
    });
    const r2 = pair(['H1', 'A', null, '2017-01-01', 42430, null, '2017/13/1'], { file: 'p.csv', row: 10 });
    expect(r2.v.startOn).toEqual({ y: 2017, m: 1, d: 1 });
    expect(r2.bad).toEqual({ endOn: '2017/13/1' });
    const helper = makeRowNormalizer('helpers', bindings, sheet);
    expect(helper(['H1', 'A', ' 县农业局 '], { file: 'p.csv', row: 9 }).v).toEqual({ unit: '县农业局' });
  });

  it('reads Date cells and numbers in date fields', () => {
    const bindings = bind('residencies', ['village', 'name', 'role', 'startOn', 'endOn']);
    const norm = makeRowNormalizer('residencies', bindings, sheetFor(['residencies'], bindings));
    const r = norm(['花园村', '李四', '队员', new Date(Date.UTC(2018, 2, 1)), 2020], { file: 'r.xlsx', row: 2 });
    expect(r.v).toEqual({ village: '花园村', name: '李四', role: '工作队员', startOn: { y: 2018, m: 3, d: 1 }, endOn: { y: 2020 } });
    const zero = norm(['花园村', '李四', '第一书记', 0, new Date(Date.UTC(1899, 11, 30))], { file: 'r.xlsx', row: 3 });
    expect(zero.v).toEqual({ village: '花园村', name: '李四', role: '第一书记' });
    expect(zero.bad).toBeUndefined();
  });
});

describe('schemas and parseCell', () => {
  it('rowSchema has one optional field per TABLES field and rejects wrong shapes', () => {
    for (const t of Object.keys(TABLES) as TableKind[]) {
      expect(Object.keys(rowSchema(t).shape).sort()).toEqual(TABLES[t].fields.map((f) => f.key).sort());
      expect(rowSchema(t).safeParse({}).success).toBe(true);
    }
    const s = rowSchema('members');
    expect(s.safeParse({ gender: '男', health: ['残疾'], birthDate: { y: 1990, m: 1, d: 1 } }).success).toBe(true);
    expect(s.safeParse({ gender: '1' }).success).toBe(false);
    expect(s.safeParse({ health: [] }).success).toBe(false);
    expect(s.safeParse({ birthDate: { y: 1990, d: 1 } }).success).toBe(false);
    expect(s.safeParse({ surprise: 1 }).success).toBe(false);
  });

  it('refuses malformed bindings once, when the normaliser is built', () => {
    const sheet = sheetFor(['members'], []);
    expect(() => makeRowNormalizer('members', [{ col: -1, table: 'members', key: 'name' }], sheet)).toThrow(/invalid column bindings/);
    expect(() => makeRowNormalizer('members', [{ col: 0, table: 'nope' as TableKind, key: 'name' }], sheet)).toThrow();
    expect(() => makeRowNormalizer('members', [{ col: 0, table: 'members', key: 'name' }], sheet)).not.toThrow();
  });

  it('parseCell parses one field of a table', () => {
    expect(parseCell('households', 'housingOk', '是', { inverse: true })).toBe(false);
    expect(parseCell('members', 'relation', 20)).toBe('之子');
    expect(parseCell('members', 'relation', '20.5')).toBe(UNREADABLE);
    expect(parseCell('members', 'birthDate', null)).toBeUndefined();
    expect(() => parseCell('members', 'nope', 'x')).toThrow();
  });
});

describe('robustness over every field of every table', () => {
  const WEIRD: RawCell[] = [
    NaN, Infinity, -Infinity, -0, 1e300, -1, 0.1, Number.MAX_SAFE_INTEGER + 2, true, false, new Date(NaN),
    new Date(Date.UTC(1800, 0, 1)), new Date(Date.UTC(2016, 2, 1)), '😀', 'a'.repeat(5000), '\u0000', '（）', '是', '1', '0',
    '2016-02-30', '4.3E+17', '  x  ', '-', '/', '合计', '__proto__', 'constructor',
  ];

  it('never throws; every value satisfies the table schema; bad holds strings only', () => {
    for (const t of Object.keys(TABLES) as TableKind[]) {
      const bindings: ColumnBinding[] = TABLES[t].fields.map((f, col) => ({ col, table: t, key: f.key, unit: col % 2 ? '元' : undefined }));
      const norm = makeRowNormalizer(t, bindings, sheetFor([t], bindings));
      const schema = rowSchema(t);
      for (const cell of WEIRD) {
        const r = norm(Array(bindings.length).fill(cell), { file: 'w.csv', row: 1 });
        const res = schema.safeParse(r.v);
        expect(res.success, `${t} ${String(cell)}: ${JSON.stringify(res.error?.issues)}`).toBe(true);
        for (const [k, raw] of Object.entries(r.bad ?? {})) {
          expect(typeof raw, `${t}.${k}`).toBe('string');
          expect(k in r.v, `${t}.${k} both good and bad`).toBe(false);
        }
      }
    }
  });

  it('blank cells (spaces, ideographic space, NBSP, null) leave every key absent', () => {
    for (const t of Object.keys(TABLES) as TableKind[]) {
      const bindings: ColumnBinding[] = TABLES[t].fields.map((f, col) => ({ col, table: t, key: f.key }));
      const norm = makeRowNormalizer(t, bindings, sheetFor([t], bindings));
      for (const blank of [null, '', '   ', '\u3000', '\u00a0', '\n']) {
        const r = norm(Array(bindings.length).fill(blank), { file: 'b.csv', row: 1 });
        expect(r.v, `${t} ${JSON.stringify(blank)}`).toEqual({});
        expect(r.bad, `${t} ${JSON.stringify(blank)}`).toBeUndefined();
      }
    }
  });
});

describe('makeRowNormalizer: rows built per set of filled fields', () => {
  // members' text fields, 11 columns: 2^11 = 2,048 fill patterns, far more than the literals a
  // sheet keeps (256): the rows past the cache are built key by key and must come out the same
  const keys = ['county', 'township', 'village', 'householdNo', 'name', 'idType', 'relation', 'education', 'ethnicity', 'phone', 'workStatus'];
  const bindings = bind('members', keys);
  const sheet = sheetFor(['members'], bindings);
  const values = ['县', '镇', '村', 'H1', '张三', '居民身份证', '户主', '小学', '汉族', '13800000000', '省外务工'];

  it('gives every fill pattern its keys in column order with the parsed values, past the cache too', () => {
    const norm = makeRowNormalizer('members', bindings, sheet);
    const single = (cells: RawCell[]) => {
      // the same cells one column at a time: the reference for one field's value
      const out: Record<string, unknown> = {};
      keys.forEach((k, i) => {
        if (cells[i] !== '') Object.assign(out, { [k]: parseCell('members', k, cells[i]!) });
      });
      return out;
    };
    for (let mask = 0; mask < 1 << keys.length; mask++) {
      const cells: RawCell[] = values.map((v, i) => (mask & (1 << i) ? v : ''));
      const r = norm(cells, { file: 'x', row: mask + 2 });
      const want = Object.fromEntries(Object.entries(single(cells)).filter(([, v]) => v !== undefined && v !== UNREADABLE));
      expect(Object.keys(r.v)).toEqual(Object.keys(want));
      expect(r.v).toEqual(want);
    }
  });
});
