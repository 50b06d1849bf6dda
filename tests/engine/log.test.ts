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
