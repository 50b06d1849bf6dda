import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger, maskSensitive } from '../../src/log.js';

describe('log masking', () => {
  it('masks 18- and 15-digit ID numbers and mobiles', () => {
    expect(maskSensitive('id 43052419900101123X ok')).toBe('id 430524********123X ok');
    expect(maskSensitive('43052419900101123x')).toBe('430524********123x');
    expect(maskSensitive('old 430524900101123')).toBe('old 430524******123');
    expect(maskSensitive('tel 13812345678.')).toBe('tel 138****5678.');
    expect(maskSensitive('damaged 430524000000000000')).not.toMatch(/\d{11}/);
    expect(maskSensitive('rows 1234567 of 20')).toBe('rows 1234567 of 20');
  });

  it('masks every string and large number that reaches a log line', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const log = createLogger({ destination: sink, level: 'debug' });
    log.info({ id: '11010519491231002X', nested: { phone: 13912345678, list: ['440524188001010014'] } }, 'saw 13800000000');
    log.error(new Error('bad id 11010519491231002X'));
    log.child({ file: '张建国11010519491231002X.csv' }).info('file read');
    const all = lines.join('');
    expect(all).not.toMatch(/(?<!\d)\d{17}[\dX](?!\d)/);
    expect(all).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
    expect(all).toContain('110105********002X');
    expect(all).toContain('139****5678');
    expect(all).toContain('张建国110105********002X.csv');
  });
});

describe('one masking function for the written forms of numbers', () => {
  it.each([
    ['tel 150-4408-4320', 'tel 150-****-4320'],
    ['tel 150 4408 4320', 'tel 150 **** 4320'],
    ['+8615044084320', '+86150****4320'],
    ['+86 150 4408 4320', '+86 150 **** 4320'],
    ['0086-150-4408-4320', '0086-150-****-4320'],
    ['8615044084320', '86150****4320'],
    ['430522 19910516 8325', '430522 ******** 8325'],
    ['430522-19910516-832X', '430522-********-832X'],
    ['４３０５２２１９９１０５１６８３２５', '430522********8325'],
    ['１５０４４０８４３２０', '150****4320'],
    ['430522 910516 832', '430522 ****** 832'],
    ['430522910516832', '430522******832'],
  ])('%s', (input, masked) => {
    expect(maskSensitive(input)).toBe(masked);
  });

  it('leaves dates, times, counts and timestamps alone', () => {
    for (const s of ['2026-11-30 14:50:51', '{"time":1764514251000}', '已读 1,234,567 行', 'rows 1234567 of 20', '第 12 行 3 列']) {
      expect(maskSensitive(s)).toBe(s);
    }
  });

  it('masks every stderr line of the command line, the internal-error line included', async () => {
    const { main } = await import('../../src/cli/main.js');
    const err: string[] = [];
    const silent = createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) });
    const io = { stdout: () => undefined, stderr: (s: string) => void err.push(s), logger: silent, isTTY: false };
    const code = await main(['check', '/nonexistent/张三 150-4408-4320/４３０５２２１９９１０５１６８３２５.csv', '--out', '/tmp/qingxi-mask-out'], io);
    expect(code).toBe(2);
    const all = err.join('');
    expect(all).toContain('150-****-4320');
    expect(all).toContain('430522********8325');
    // an unexpected failure ("内部错误：…") goes through the same stderr
    const code3 = await main(['rules', '--json'], {
      ...io,
      stdout: () => {
        throw new Error('写入失败 /data/张三+8615044084320/430522199105168325.xlsx');
      },
    });
    expect(code3).toBe(3);
    const last = err.at(-1)!;
    expect(last).toContain('内部错误');
    expect(last).toContain('+86150****4320');
    expect(last).toContain('430522********8325');
  });
});
