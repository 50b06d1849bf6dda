import { describe, expect, it } from 'vitest';
import { pinyinInitials } from '../../src/ingest/initials.js';
import { nearestFields } from '../../src/ingest/columns.js';

describe('pinyin initials of headers (suggestions for coded exports)', () => {
  it('common header words', () => {
    expect(pinyinInitials('身份证号')).toBe('sfzh');
    expect(pinyinInitials('与户主关系')).toBe('yhzgx');
    expect(pinyinInitials('出生日期')).toBe('csrq');
    expect(pinyinInitials('联系电话')).toBe('lxdh');
    expect(pinyinInitials('户编号')).toBe('hbh');
    // the boundary characters of each initial
    expect(pinyinInitials('啊芭擦搭蛾发噶哈击喀垃妈拿哦啪期然撒塌挖昔压匝')).toBe('abcdefghjklmnopqrstwxyz');
  });
  it('a character outside the common set matches nothing', () => {
    expect(pinyinInitials('喆')).toBe('?');
  });
  it('nearest fields of coded headers', () => {
    expect(nearestFields('lxdh', 1, ['members'])[0]).toMatchObject({ key: 'phone' });
    expect(nearestFields('csrq', 1, ['members'])[0]).toMatchObject({ key: 'birthDate' });
    expect(nearestFields('家庭成员身份证', 1, ['members'])[0]).toMatchObject({ key: 'idNumber' });
    expect(nearestFields('zzzz', 3)).toEqual([]);
  });
});
