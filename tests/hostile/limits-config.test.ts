// Config `limits`: defaults, overrides, and Chinese messages for wrong values or unknown keys.
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config.js';
import { DEFAULT_LIMITS, LimitError } from '../../src/ingest/limits.js';
import { RULES } from '../../validators/index.js';

describe('config limits', () => {
  it('defaults every limit and overrides the ones given', () => {
    expect(resolveConfig({}, RULES).limits).toEqual(DEFAULT_LIMITS);
    const c = resolveConfig({ limits: { rowsPerSheet: 1_048_576, secondsPerFile: 30 } }, RULES);
    expect(c.limits.rowsPerSheet).toBe(1_048_576);
    expect(c.limits.secondsPerFile).toBe(30);
    expect(c.limits.bytesPerCell).toBe(DEFAULT_LIMITS.bytesPerCell);
  });

  it.each([
    [{ limits: { rowsPerSheet: -1 } }, '每张工作表行数上限应为正整数'],
    [{ limits: { bytesPerCell: 1.5 } }, '单元格字节数上限应为正整数'],
    [{ limits: { columnsPerRow: '1000' } }, '每行列数上限应为正整数'],
    [{ limits: { rowsPerSheets: 10 } }, '不认识的配置项“rowsPerSheets”，您是不是要写 rowsPerSheet？'],
  ])('refuses %j in Chinese', (input, text) => {
    expect(() => resolveConfig(input, RULES)).toThrow(ConfigError);
    expect(() => resolveConfig(input, RULES)).toThrow(text);
  });

  it('names the limit and its value in the message', () => {
    expect(new LimitError('rowsPerSheet', 250_000, '工作表「成员」').message).toBe('工作表「成员」：超过每张工作表行数上限 250,000 行，为保护系统未读取该文件。');
    expect(new LimitError('inflatedBytesPerPart', 8 * 1024 * 1024, '').message).toContain('单个部件解压后大小上限 8.0 MB');
    expect(new LimitError('columnsPerRow', 1000, '第2行', 16384).message).toContain('已达 16,384 列');
  });
});

describe('the CSV delimiter guard', () => {
  async function feed(chunks: string[], max: number): Promise<'ok' | 'too many'> {
    const { delimiterGuard } = await import('../../src/ingest/csv.js');
    return new Promise((resolve) => {
      const g = delimiterGuard(',', max, () => new Error('too many'));
      g.on('data', () => undefined);
      g.on('error', () => resolve('too many'));
      g.on('end', () => resolve('ok'));
      for (const c of chunks) g.write(c);
      g.end();
    });
  }
  it('counts per line, across chunk boundaries, whatever the line ending', async () => {
    expect(await feed(['a,b,c\n', 'd,e,f\r\n', 'g,h\r', 'i,j'], 2)).toBe('ok');
    expect(await feed(['a,b,', 'c,d\n'], 2)).toBe('too many');
    expect(await feed(['a,b', '\n', ',c\r\nd,e'], 2)).toBe('ok');
    expect(await feed([',,,', ',,,', ',,,'], 8)).toBe('too many');
    expect(await feed([',,,\n', ',,,\r', ',,,'], 8)).toBe('ok');
  });
});
