// verify's as-of date: explicit, else the 台账's 数据截止日期 (all 台账 agreeing), else config, else today.
import { describe, expect, it } from 'vitest';
import { resolveVerifyAsOf } from '../../src/verify/run.js';
import { UsageError } from '../../src/core/errors.js';

describe('resolveVerifyAsOf', () => {
  const a = { file: '整改台账_甲.xlsx', asOf: '2020-04-30' };
  const b = { file: '整改台账_乙.xlsx', asOf: '2020-06-30' };
  const none = { file: '整改台账_旧.xlsx' };
  it('takes the 台账 date over config and today', () => {
    expect(resolveVerifyAsOf(undefined, [a, none, { ...a, file: 'x.xlsx' }], '2021-01-01', '2026-11-30')).toEqual({ asOf: '2020-04-30', source: 'corrections' });
  });
  it('an explicit date wins, even over disagreeing 台账', () => {
    expect(resolveVerifyAsOf('2020-05-31', [a, b], undefined, '2026-11-30')).toEqual({ asOf: '2020-05-31', source: 'option' });
  });
  it('refuses 台账 of different dates, naming both, in Chinese', () => {
    expect(() => resolveVerifyAsOf(undefined, [a, b], undefined, '2026-11-30')).toThrow(UsageError);
    expect(() => resolveVerifyAsOf(undefined, [a, b], undefined, '2026-11-30')).toThrow(/数据截止日期不一致.*整改台账_甲.*2020-04-30.*整改台账_乙.*2020-06-30.*--as-of/);
  });
  it('falls back to config, then today', () => {
    expect(resolveVerifyAsOf(undefined, [none], '2021-01-01', '2026-11-30')).toEqual({ asOf: '2021-01-01', source: 'config' });
    expect(resolveVerifyAsOf(undefined, [], undefined, '2026-11-30')).toEqual({ asOf: '2026-11-30', source: 'today' });
  });
});

describe('runVerify refuses an impossible as-of date', () => {
  it('throws a Chinese UsageError before reading the export', async () => {
    const { runVerify } = await import('../../src/verify/run.js');
    const { loadConfigFile } = await import('../../src/config.js');
    const { RULES } = await import('../../validators/index.js');
    await expect(runVerify({ corrections: [], paths: ['.'], asOf: '2020-02-30', config: loadConfigFile(undefined, RULES) })).rejects.toThrow(/核查日期“2020-02-30”无效/);
  });
});
