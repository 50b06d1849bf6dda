import { describe, expect, it } from 'vitest';
import type { ResolvedFinding } from '../../src/model.js';
import type { MemberValues } from '../../src/schema/rows.js';
import { identityRules } from '../../validators/identity.js';
import { checkDigit } from '../../validators/lib/idcard.js';
import { runRules } from '../helpers/engine.js';
import { id, pd, row } from '../helpers/rows.js';

/** A valid 18-digit number: region + birth (YYYYMMDD) + 3-digit sequence (odd last digit = 男). */
function mk(birth: string, seq = '123', region = '430524'): string {
  const s = region + birth + seq;
  return s + checkDigit(s);
}

const BASE: MemberValues = { county: '隆回县', township: '桃洪镇', village: '东风村', householdNo: 'H001', relation: '户主' };

function member(v: Partial<MemberValues>, opts: Parameters<typeof row>[2] = {}) {
  return row<MemberValues>('members', { ...BASE, ...v }, opts);
}

function run(rows: ReturnType<typeof member>[], asOf?: string): ResolvedFinding[] {
  return runRules(rows, { rules: identityRules, asOf });
}

const only = (fs: ResolvedFinding[], rule: string) => fs.filter((f) => f.rule === rule);

describe('a clean member', () => {
  it('yields no ID finding', () => {
    const fs = run([
      member({ name: '张三', idNumber: id(mk('19800101', '123')), gender: '男', birthDate: pd('1980-01-01'), age: 40 }),
      member({ name: '李四', idNumber: id(mk('19820304', '124')), gender: '女', relation: '配偶', birthDate: pd('1982-03') }),
    ]);
    expect(fs).toEqual([]);
  });
});

describe('ID-01 missing or placeholder', () => {
  it('reports an empty number and the 999999 placeholder with person keys', () => {
    const fs = only(
      run([
        member({ name: '王五' }, { at: { file: 'a.xlsx', sheet: '成员', row: 5 } }),
        member({ name: '赵六', idNumber: id('999999198001011234') }),
      ]),
      'ID-01',
    );
    expect(fs.map((f) => f.code)).toEqual(['missing', 'placeholder']);
    expect(fs[0]).toMatchObject({ householdNo: 'H001', name: '王五', idNumber: '', severity: 'error' });
    expect(fs[0]!.at).toEqual({ file: 'a.xlsx', sheet: '成员', row: 5 });
    expect(fs[0]!.region).toEqual({ county: '隆回县', township: '桃洪镇', village: '东风村' });
    expect(fs[1]!.idNumber).toBe('999999198001011234');
    expect(fs[1]!.message).toContain('占位');
  });

  it('does not report a real number, nor the placeholder on another certificate type', () => {
    const fs = run([
      member({ name: '王五', idNumber: id(mk('19800101')) }),
      member({ name: '赵六', idNumber: id('999999'), idType: '护照' }),
    ]);
    expect(only(fs, 'ID-01')).toEqual([]);
  });

  it('stays quiet when the sheet has no ID column at all (FILE-02 reports that)', () => {
    const fs = run([member({ name: '王五' }, { fields: ['householdNo', 'name', 'relation'] })]);
    expect(only(fs, 'ID-01')).toEqual([]);
  });
});

describe('ID-02 format', () => {
  it('reports a short number as error and a 15-digit number as suspect with the upgraded number', () => {
    const fs = only(
      run([member({ name: '甲', idNumber: id('43052419800101123') }), member({ name: '乙', idNumber: id('130503670401001') })]),
      'ID-02',
    );
    expect(fs.map((f) => [f.code, f.severity])).toEqual([
      ['format', 'error'],
      ['legacy15', 'suspect'],
    ]);
    expect(fs[1]!.expected).toBe('130503196704010016');
    expect(fs[1]!.message).toContain('130503196704010016');
  });

  it('runs the other checks on the upgraded 15-digit form (gender from it)', () => {
    // 130503670401001: last digit 1 → 男
    const fs = run([member({ name: '乙', idNumber: id('130503670401001'), gender: '女' })]);
    expect(fs.map((f) => f.rule).sort()).toEqual(['ID-02', 'ID-06']);
  });

  it('accepts lowercase x, full-width input normalised, and 残疾人证 numbers', () => {
    const withX = mk('19491231', '002', '110105'); // ends in X
    expect(withX.endsWith('X')).toBe(true);
    const fs = run([
      member({ name: '甲', idNumber: id(withX.toLowerCase().replace('X', 'x'), { raw: withX.toLowerCase() }) }),
      member({ name: '乙', idNumber: id(mk('19700101') + '42'), idType: '残疾人证' }),
    ]);
    // the rule re-normalises defensively, so even a lowercase x left in `text` passes
    expect(only(fs, 'ID-02').map((f) => f.name)).toEqual([]);
  });

  it('reports a 20-character number typed 居民身份证 as a format error, suggesting its first 18 characters', () => {
    const n = mk('19700101');
    const fs = run([member({ name: '乙', idNumber: id(n + '42'), idType: '居民身份证' })]);
    expect(fs.map((f) => `${f.rule}:${f.code}`)).toEqual(['ID-02:format']);
    expect(fs[0]!.expected).toBe(n);
    expect(fs[0]!.message).toContain(`前18位“${n}”`);
    expect(fs[0]!.message).toContain('残疾人证');
  });

  it('reports a bad 残疾人证 suffix', () => {
    const fs = only(run([member({ name: '乙', idNumber: id(mk('19700101') + '95'), idType: '残疾人证' })]), 'ID-02');
    expect(fs.map((f) => f.code)).toEqual(['disability_suffix']);
  });
});

describe('ID-03 check digit', () => {
  it('reports a wrong check digit with the corrected number as expected value', () => {
    const good = mk('19800101', '123');
    const bad = good.slice(0, 17) + (good[17] === '5' ? '6' : '5');
    const fs = only(run([member({ name: '甲', idNumber: id(bad) })]), 'ID-03');
    expect(fs).toHaveLength(1);
    expect(fs[0]!.expected).toBe(good);
    expect(fs[0]!.idNumber).toBe(bad);
    expect(fs[0]!.message).toContain(good[17]!);
  });

  it('accepts the published examples', () => {
    const fs = run([member({ name: '甲', idNumber: id('11010519491231002X'), gender: '女' })]);
    expect(fs).toEqual([]);
  });

  it('does not report a numeric cell that lost digits as ID-03 (ID-10 alone)', () => {
    const fs = run([member({ name: '甲', idNumber: id('430524198001011000', { numericCell: true }) })]);
    expect(fs.map((f) => `${f.rule}:${f.code}`)).toEqual(['ID-10:numeric_cell']);
  });
});

describe('ID-04 birth date in the number', () => {
  it('reports impossible, future and over-120 dates, against the as-of date', () => {
    const fs = only(
      run([
        member({ name: '甲', idNumber: id(mk('19800231')) }),
        member({ name: '乙', idNumber: id(mk('20200601')) }),
        member({ name: '丙', idNumber: id('440524188001010014') }),
      ]),
      'ID-04',
    );
    expect(fs.map((f) => f.code)).toEqual(['birth_invalid', 'birth_future', 'age_over_120']);
  });

  it('uses the as-of date, not the clock', () => {
    const n = mk('20200601');
    expect(only(run([member({ name: '乙', idNumber: id(n) })], '2021-01-01'), 'ID-04')).toEqual([]);
    expect(only(run([member({ name: '乙', idNumber: id(n) })], '2020-05-31'), 'ID-04')).toHaveLength(1);
  });
});

describe('ID-05 region code', () => {
  it('error for an unknown province, suspect for an unknown county, nothing for a historic county', () => {
    const fs = only(
      run([
        member({ name: '甲', idNumber: id(mk('19800101', '123', '990524')) }),
        member({ name: '乙', idNumber: id(mk('19800101', '123', '430599')) }),
        member({ name: '丙', idNumber: id(mk('19800101', '123', '110103')) }), // 崇文区, abolished 2010
      ]),
      'ID-05',
    );
    expect(fs.map((f) => [f.name, f.code, f.severity])).toEqual([
      ['甲', 'province', 'error'],
      ['乙', 'county', 'suspect'],
    ]);
  });
});

describe('ID-06 gender', () => {
  it('reports a gender column that disagrees with the 17th digit', () => {
    const fs = only(
      run([
        member({ name: '甲', idNumber: id(mk('19800101', '123')), gender: '女' }),
        member({ name: '乙', idNumber: id(mk('19800101', '124')), gender: '女' }),
      ]),
      'ID-06',
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ name: '甲', field: 'gender', value: '女', expected: '男' });
  });

  it('skips numbers that are unusable', () => {
    const fs = run([member({ name: '甲', idNumber: id('4.30524E+17', { scientific: true }), gender: '女' })]);
    expect(only(fs, 'ID-06')).toEqual([]);
    expect(only(fs, 'ID-10')).toHaveLength(1);
  });
});

describe('ID-07 birth date and age columns', () => {
  it('reports a different birth date and an age more than one year off', () => {
    const fs = only(
      run([
        member({ name: '甲', idNumber: id(mk('19800615')), birthDate: pd('1980-06-16') }),
        member({ name: '乙', idNumber: id(mk('19800615', '125')), age: 42 }),
      ]),
      'ID-07',
    );
    expect(fs.map((f) => [f.name, f.code, f.expected])).toEqual([
      ['甲', 'birth_date', '1980-06-15'],
      ['乙', 'age', 39],
    ]);
  });

  it('tolerates one year on age and a birth date written as month or year', () => {
    const fs = run([
      member({ name: '甲', idNumber: id(mk('19800615')), age: 40, birthDate: pd('1980-06') }), // 39 at as-of
      member({ name: '乙', idNumber: id(mk('19800615', '125')), age: 38, birthDate: pd('1980') }),
    ]);
    expect(only(fs, 'ID-07')).toEqual([]);
  });

  it('reports a month that differs when only the month was written', () => {
    const fs = only(run([member({ name: '甲', idNumber: id(mk('19800615')), birthDate: pd('1980-07') })]), 'ID-07');
    expect(fs).toHaveLength(1);
  });
});

describe('ID-08 duplicates across everything read', () => {
  it('reports each duplicated number once, at its first place, listing every other place', () => {
    const n = mk('19800101');
    const fs = only(
      run([
        member({ name: '甲', idNumber: id(n) }, { at: { file: 'a.xlsx', sheet: '成员', row: 3 } }),
        member({ name: '甲', householdNo: 'H009', county: '邵阳县', idNumber: id(n) }, { at: { file: 'b.xlsx', sheet: '成员', row: 7 } }),
        member({ name: '丙', idNumber: id(mk('19800101', '125')) }),
      ]),
      'ID-08',
    );
    expect(fs).toHaveLength(1);
    expect([fs[0]!.householdNo, fs[0]!.code]).toEqual(['H001', 'other_households']);
    expect(fs[0]!.related).toEqual(['b.xlsx / 成员 / 第7行 / 户编号 H009 / 甲']);
    expect(fs[0]!.message).toContain('2个县');
    expect(fs[0]!.message).toContain('b.xlsx / 成员 / 第7行');
  });

  it('keeps the fingerprint of a duplicated number whichever row is read first', () => {
    const n = mk('19800101');
    const a = member({ name: '甲', idNumber: id(n) }, { at: { file: 'a.xlsx', sheet: '成员', row: 3 } });
    const b = member({ name: '乙', householdNo: 'H009', idNumber: id(n) }, { at: { file: 'b.xlsx', sheet: '成员', row: 7 } });
    const one = only(run([a, b]), 'ID-08');
    const two = only(run([b, a]), 'ID-08');
    expect(one).toHaveLength(1);
    expect(two[0]!.fingerprint).toBe(one[0]!.fingerprint);
  });

  it('caps the places named in the message and keeps all of them in related', () => {
    const n = mk('19800101');
    const rows = [];
    for (let i = 0; i < 500; i++) rows.push(member({ name: '甲', householdNo: `H${i}`, idNumber: id(n) }, { at: { file: 'a.csv', row: i + 2 } }));
    const fs = only(run(rows), 'ID-08');
    expect(fs).toHaveLength(1);
    expect(fs[0]!.related).toHaveLength(499);
    expect(new Set(fs[0]!.related).size).toBe(499);
    expect(fs[0]!.message).toContain('等499处');
    expect(fs[0]!.message.length).toBeLessThan(300);
  });

  it('matches a 15-digit number with its 18-digit form and within one household', () => {
    const fs = only(
      run([
        member({ name: '甲', idNumber: id('130503670401001') }),
        member({ name: '乙', relation: '之子', idNumber: id('130503196704010016') }),
      ]),
      'ID-08',
    );
    expect(fs.map((f) => f.code)).toEqual(['same_household']);
  });

  it('ignores placeholders, empty and damaged numbers', () => {
    const fs = run([
      member({ name: '甲', idNumber: id('999999') }),
      member({ name: '乙', idNumber: id('999999') }),
      member({ name: '丙', idNumber: id('430524198001011000', { numericCell: true }) }),
      member({ name: '丁', idNumber: id('430524198001011000', { numericCell: true }) }),
      member({ name: '戊' }),
      member({ name: '己' }),
    ]);
    expect(only(fs, 'ID-08')).toEqual([]);
  });
});

describe('ID-08 groups only usable numbers', () => {
  it('does not call texts such as 未落户 / 新生儿 / 无身份证 or malformed numbers duplicates', () => {
    const rows = [];
    for (const t of ['未落户', '新生儿', '无身份证', '43052419800101']) {
      for (let i = 0; i < 3; i++) rows.push(member({ name: '甲', householdNo: `H${i}`, idNumber: id(t) }));
    }
    expect(only(run(rows), 'ID-08')).toEqual([]);
  });

  it('still groups numbers of other certificate types, per type, and shows the number without the type', () => {
    const fs = only(
      run([
        member({ name: '甲', idNumber: id('G12345678'), idType: '护照' }),
        member({ name: '乙', idNumber: id('G12345678'), idType: '普通护照' }),
        member({ name: '丙', idNumber: id('G12345678'), idType: '军人证' }),
        member({ name: '丁', idNumber: id('未落户'), idType: '户口簿' }),
        member({ name: '戊', idNumber: id('未落户'), idType: '户口簿' }),
      ]),
      'ID-08',
    );
    expect(fs.map((f) => f.name)).toEqual(['甲']);
    expect(fs[0]!.related).toHaveLength(1);
    expect(fs[0]!.params?.['number']).toBe('G12345678');
  });
});

describe('ID-09 names', () => {
  it('reports empty names and names with digits, letters, spaces or punctuation', () => {
    const fs = only(
      run([
        member({ idNumber: id(mk('19800101', '111')) }),
        member({ name: '张 三', idNumber: id(mk('19800101', '113')) }),
        member({ name: '李四2', idNumber: id(mk('19800101', '115')) }),
        member({ name: '王五(已故)', idNumber: id(mk('19800101', '117')) }),
        member({ name: 'Zhang', idNumber: id(mk('19800101', '119')) }),
      ]),
      'ID-09',
    );
    expect(fs.map((f) => f.code)).toEqual(['missing', 'invalid_chars', 'invalid_chars', 'invalid_chars', 'invalid_chars']);
    expect(fs[1]!.message).toContain('空格');
  });

  it('accepts Han names with the middle dot', () => {
    const fs = run([member({ name: '阿依古丽·买买提', idNumber: id(mk('19800101', '112')) }), member({ name: '𠮷祥', idNumber: id(mk('19800101', '114')) })]);
    expect(only(fs, 'ID-09')).toEqual([]);
  });
});

describe('ID-10 spreadsheet damage', () => {
  it('reports scientific notation and trailing zeros that fail the check digit, without ID-03', () => {
    const fs = run([
      member({ name: '甲', idNumber: id('4.30524E+17') }),
      member({ name: '乙', idNumber: id('430524198001011000') }),
    ]);
    expect(fs.map((f) => `${f.rule}:${f.code}`)).toEqual(['ID-10:scientific', 'ID-10:trailing_zeros']);
  });

  it('says nothing was lost for a 15-digit numeric cell, only the format and the upgrade', () => {
    const fs = run([
      member({ name: '甲', idNumber: id('130503670401001', { numericCell: true }) }),
      member({ name: '乙', idNumber: id('430524198001011000', { numericCell: true }) }),
    ]);
    expect(fs.map((f) => `${f.rule}:${f.code}`)).toEqual(['ID-10:numeric_cell', 'ID-10:numeric_cell']);
    expect(fs[0]!.message).toBe('证件号码“130503670401001”以数值格式保存，请把该列设为文本；15位老号码还需升级为18位');
    expect(fs[0]!.message).not.toContain('丢失');
    expect(fs[1]!.message).toContain('超过15位的数字已丢失');
  });

  it('does not report a text number ending in 000 whose check digit is right', () => {
    let n = '';
    for (let day = 1; day <= 28 && !n; day++) {
      const c = mk(`198002${String(day).padStart(2, '0')}`, '000');
      if (c.endsWith('0000')) n = c;
    }
    expect(n).toMatch(/^\d{14}0000$/);
    const fs = run([member({ name: '甲', idNumber: id(n) })]);
    expect(only(fs, 'ID-10')).toEqual([]);
    expect(only(fs, 'ID-03')).toEqual([]);
  });
});

describe('other certificate types', () => {
  it('get ID-01, ID-08 and ID-09 only', () => {
    const fs = run([
      member({ name: '甲1', idNumber: id('G12345678'), idType: '护照', gender: '女' }),
      member({ name: '乙', idNumber: id('G12345678'), idType: '护照' }),
    ]);
    expect(fs.map((f) => f.rule).sort()).toEqual(['ID-08', 'ID-09']);
  });
});

describe('ID-02 on an unusable 15-digit number (issue 10)', () => {
  it('proposes no upgrade and says why', () => {
    const birth = run([member({ idNumber: id('430524750231202') })]).find((f) => f.rule === 'ID-02')!;
    expect(birth.expected).toBeUndefined();
    expect(birth.message).toBe('证件号码“430524750231202”是15位老号码，需升级为18位；但号码中的出生日期“750231”不存在，无法推算升级后的号码，请对照身份证原件核对');
    const province = run([member({ idNumber: id('100524750516202') })]).find((f) => f.rule === 'ID-02')!;
    expect(province.expected).toBeUndefined();
    expect(province.message).toContain('前2位“10”不是有效的省份代码，无法推算升级后的号码');
  });
});

describe('head ID numbers outside the member table at province scale', () => {
  it('150,000 pairing rows with head IDs are checked without overflowing the stack (one bad check digit found)', () => {
    const base = '11010519491231002';
    const good = base + checkDigit(base);
    const bad = base + (checkDigit(base) === '0' ? '1' : '0');
    const rows = [];
    for (let i = 0; i < 150_000; i++) rows.push(row('pairings', { householdNo: `H${i}`, headId: id(i === 7 ? bad : good) }, { at: { file: '结对.csv', sheet: undefined, row: i + 2 } }));
    const found = runRules(rows, { rules: identityRules.filter((r) => r.id === 'ID-03') });
    expect(found.map((f) => [f.rule, f.code, f.householdNo])).toEqual([['ID-03', 'check_digit', 'H7']]);
  });
});
