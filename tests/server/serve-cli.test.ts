import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { serveCommand } from '../../src/cli/serve.js';
import { main } from '../../src/cli/main.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s), logger: pino({ level: 'silent' }), isTTY: false } };
}

describe('qingxi serve options', () => {
  it('prints its Chinese usage with --help', async () => {
    const t = io();
    expect(await serveCommand(['--help'], t.io)).toBe(0);
    expect(t.out.join('')).toContain('用法：qingxi serve');
  });

  it('refuses a mistyped option, naming the nearest one, and a bad number, in Chinese (exit 2)', async () => {
    const a = io();
    expect(await main(['serve', '--prot', '8080'], a.io)).toBe(2);
    expect(a.err.join('')).toContain('您是不是要输入 --port');
    const b = io();
    expect(await main(['serve', '--max-files', '0'], b.io)).toBe(2);
    expect(b.err.join('')).toContain('--max-files 应为不小于 1 的整数');
  });
});
