// `npm run bench -- --hostile [--small] [--case NAME]… [--json]`: every case of the hostile corpus
// (scripts/hostile-corpus.ts) through `node bin/qingxi.js check` as a child process, with wall time,
// peak RSS (/usr/bin/time -v) and whether the result is right. Figures go to docs/benchmarks.md.
import { spawn } from 'node:child_process';
import { existsSync, rmSync, statSync, readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseArgs, readCaseResult, writeHostileCorpus } from './hostile-corpus.js';

const TIME = '/usr/bin/time';

export interface HostileRow {
  name: string;
  what: string;
  inputMiB: number;
  exitCode: number | null;
  wallSeconds: number;
  peakRssMiB: number | null;
  ok: boolean;
  problems: string[];
}

function dirMiB(dir: string): number {
  let n = 0;
  for (const f of readdirSync(dir)) n += statSync(join(dir, f)).size;
  return n / 1024 / 1024;
}

function runTimed(cli: string, args: string[]): Promise<{ code: number | null; stderr: string; seconds: number; peakRssMiB: number | null }> {
  const timed = existsSync(TIME);
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(timed ? TIME : process.execPath, timed ? ['-v', process.execPath, cli, ...args] : [cli, ...args], {
      env: { ...process.env, QINGXI_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      if (stderr.length > 1 << 20) stderr = stderr.slice(-(1 << 19));
    });
    child.on('close', (code) => {
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      const exit = timed ? /Exit status: (\d+)/.exec(stderr) : null;
      resolve({
        code: exit ? Number(exit[1]) : code,
        stderr,
        seconds: (performance.now() - t0) / 1000,
        peakRssMiB: m ? Math.round(Number(m[1]) / 1024) : null,
      });
    });
  });
}

export async function benchHostile(cli: string, opts: { small: boolean; only?: string[]; log: (s: string) => void }): Promise<HostileRow[]> {
  const tmp = await mkdtemp(join(tmpdir(), 'qingxi-hostile-'));
  try {
    opts.log(`生成对抗性样本（${opts.small ? '仅小样本' : '全部'}）：${tmp}`);
    const t0 = performance.now();
    const cases = await writeHostileCorpus(join(tmp, 'corpus'), opts.small ? 'small' : 'all', opts.only);
    opts.log(`  生成用时 ${((performance.now() - t0) / 1000).toFixed(1)} s，共 ${cases.length} 个样本`);
    const rows: HostileRow[] = [];
    for (const c of cases) {
      const out = join(tmp, 'out', c.name);
      const r = await runTimed(cli, caseArgs(c, out));
      const result = readCaseResult(out, r.code, r.stderr);
      const problems = [...(r.code === null || r.code > 2 ? [`exit ${r.code}`] : []), ...c.judge(result)];
      if (/内部错误/.test(r.stderr)) problems.push('内部错误 on stderr');
      const row: HostileRow = {
        name: c.name,
        what: c.what,
        inputMiB: dirMiB(c.input),
        exitCode: r.code,
        wallSeconds: r.seconds,
        peakRssMiB: r.peakRssMiB,
        ok: problems.length === 0,
        problems,
      };
      rows.push(row);
      opts.log(
        `  ${row.ok ? '✓' : '✗'} ${c.name.padEnd(26)} ${row.inputMiB.toFixed(1).padStart(8)} MiB  ${row.wallSeconds.toFixed(1).padStart(6)} s  ` +
          `${String(row.peakRssMiB ?? '?').padStart(5)} MiB  exit ${row.exitCode}${row.ok ? '' : '  ' + problems.join('; ')}`,
      );
      rmSync(out, { recursive: true, force: true });
      rmSync(c.input, { recursive: true, force: true });
    }
    return rows;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
