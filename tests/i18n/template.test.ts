// Message templates render a finding's text and document themselves for the catalogue, from one
// definition: the two forms must agree on every fixed part and name every hole in Chinese.
import { describe, expect, it } from 'vitest';
import { expected, field, msg, param, select, value, when } from '../../src/i18n/template.js';

const f = <P>(params: P, extra: Record<string, unknown> = {}) => ({ rule: 'PROJ-02' as const, table: 'projects' as const, params, ...extra });

describe('message templates', () => {
  it('render values, labels and params, and document them as named holes', () => {
    const t = msg<{ count: number; files: string[] }>`“${field}”为“${value}”，涉及${param('count', '项目数')}个（${param('files', '文件', (x) => x.join('、'))}）`;
    expect(t.render(f({ count: 2, files: ['a.xlsx', 'b.csv'] }, { field: 'projectName', value: '村道' }))).toBe('“项目名称”为“村道”，涉及2个（a.xlsx、b.csv）');
    expect(t.doc).toBe('“{字段}”为“{当前值}”，涉及{项目数}个（{文件}）');
  });

  it('optional parts show only when their test holds, and say so in the docs', () => {
    const t = msg`网址“${value}”${when(expected, msg`应为${expected}`, msg`无效`)}`;
    expect(t.render(f({}, { value: 'x', expected: 'http://x' }))).toBe('网址“x”应为http://x');
    expect(t.render(f({}, { value: 'x' }))).toBe('网址“x”无效');
    expect(t.doc).toBe('网址“{当前值}”[应为{参考值}|无效]');
  });

  it('select picks a case by a param value; the docs state each case in Chinese, never the raw value', () => {
    type P = { precision: 'year' | 'month' };
    const byName = msg<P>`按${select<P, 'precision'>('precision', { month: msg`当月` }, msg`当年`, '精度')}计`;
    const byCase = msg<P>`按${select<P, 'precision'>('precision', { month: msg`当月` }, msg`当年`, { month: '只写到月' })}计`;
    expect(byCase.render(f({ precision: 'month' }))).toBe('按当月计');
    expect(byCase.render(f({ precision: 'year' }))).toBe('按当年计');
    expect(byCase.doc).toBe('按[只写到月时：当月；否则：当年]计');
    expect(byName.doc).toBe('按[精度为“month”时：当月；否则：当年]计');
  });
});
