// The compiled command line as a user runs it (npm test builds dist/ first): exit code, stdout, stderr.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const QINGXI_BIN = join(process.cwd(), 'bin/qingxi.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runQingxi(args: string[], opts: { logLevel?: string; env?: Record<string, string>; timeoutMs?: number } = {}): CliRun {
  const r = spawnSync(process.execPath, [QINGXI_BIN, ...args], {
    cwd: process.cwd(),
    encoding: 'utf8',
    env: { ...process.env, QINGXI_LOG_LEVEL: opts.logLevel ?? 'warn', ...opts.env },
    timeout: opts.timeoutMs ?? 240_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
