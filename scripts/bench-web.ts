// Load test of `qingxi serve` on loopback: `npm run bench -- --web [--clerks 20] [--households 1000]`.
//
// Starts the real server as a child process (`bin/qingxi.js serve --port 0` in a temporary data
// folder), goes through the administrator's first login, creates one clerk account per township
// through the admin form, then all clerks at once upload a generated township export (each its
// own seed), start the check and wait for it. While the checks run, a prober keeps fetching pages
// (upload page, 历史, 帮助, a finished result page with charts and findings) and records every
// latency. Prints: runs done, wall time, per-run time, page latency p50/p95/max.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSamples } from '../src/samples/generate.js';

const HERE = dirname(fileURLToPath(import.meta.url)); // dist/scripts
const ROOT = resolve(HERE, '../..');
const CLI = join(ROOT, 'bin/qingxi.js');

/** A browser-like session: cookie jar and the CSRF token of the last page. */
class Session {
  private readonly jar = new Map<string, string>();
  csrf = '';
  constructor(private readonly base: string) {}

  async send(method: string, path: string, body?: string | FormData, headers: Record<string, string> = {}): Promise<{ status: number; location: string | null; text: string }> {
    const res = await fetch(this.base + path, { method, body, redirect: 'manual', headers: { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '), ...headers } });
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(';')[0]!;
      const i = pair.indexOf('=');
      this.jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
    const text = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(text) ?? /_csrf=([^"&]+)"/.exec(text);
    if (m) this.csrf = decodeURIComponent(m[1]!);
    return { status: res.status, location: res.headers.get('location'), text };
  }
  get(path: string) {
    return this.send('GET', path);
  }
  form(path: string, fields: Record<string, string>) {
    return this.send('POST', path, new URLSearchParams({ ...fields, _csrf: this.csrf }).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
  }
  files(path: string, paths: string[], fields: Record<string, string> = {}) {
    const fd = new FormData();
    for (const [k, v] of Object.entries(fields)) fd.set(k, v);
    for (const p of paths) fd.append('files', new Blob([readFileSync(p)]), p.split('/').pop());
    return this.send('POST', `${path}?_csrf=${encodeURIComponent(this.csrf)}`, fd);
  }
  async login(user: string, password: string) {
    await this.get('/login');
    return this.form('/login', { username: user, password });
  }
}

function startServer(dataDir: string, workers: number): Promise<{ child: ChildProcess; base: string; adminPassword: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--host', '127.0.0.1', '--data', dataDir, '--workers', String(workers)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, QINGXI_LOG_LEVEL: 'warn' },
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const pw = /一次性密码：(\S+)/.exec(out);
      const addr = /服务已启动：(http:\/\/[^（\s]+)/.exec(out);
      if (pw && addr) resolvePromise({ child, base: addr[1]!, adminPassword: pw[1]! });
    });
    child.stderr!.on('data', () => {});
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before it was ready: ${out}`)));
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const runIdOf = (location: string | null) => (location ?? '').split('/').pop()!;

export async function benchWeb(argv: string[]): Promise<void> {
  let clerks = 20;
  let households = 1000;
  let workers = 2;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--clerks') clerks = Number(argv[++i]);
    else if (a === '--households') households = Number(argv[++i]);
    else if (a === '--workers') workers = Number(argv[++i]);
    else if (a === '--json') json = true;
    else throw new Error(`未知参数：${a}（用法：npm run bench -- --web [--clerks 20] [--households 1000] [--workers 2] [--json]）`);
  }
  const log = json ? () => {} : (s: string) => console.log(s);
  const tmp = await mkdtemp(join(tmpdir(), 'qingxi-bench-web-'));
  let server: ChildProcess | undefined;
  try {
    log(`网页负载测试：${clerks} 名经办人同时上传各自乡镇的数据（每个约 ${households} 户），检查并发 ${workers}，临时目录 ${tmp}`);
    const exports: string[][] = [];
    for (let i = 0; i < clerks; i++) {
      const dir = join(tmp, 'exports', String(i + 1));
      await generateSamples({ outDir: dir, households, seed: i + 1, formats: 'mixed' });
      exports.push(readdirSync(dir).filter((f) => /\.(xlsx|xls|csv)$/.test(f)).map((f) => join(dir, f)));
    }
    const s = await startServer(join(tmp, 'state'), workers);
    server = s.child;
    const admin = new Session(s.base);
    await admin.login('admin', s.adminPassword);
    await admin.get('/password');
    await admin.form('/password', { current: s.adminPassword, next: 'BenchAdmin2026', again: 'BenchAdmin2026' });
    const sessions: Session[] = [];
    for (let i = 0; i < clerks; i++) {
      await admin.get('/admin');
      const r = await admin.form('/admin/users', { username: `clerk${i + 1}`, displayName: `经办人${i + 1}`, scopeLevel: 'township', scopeName: '司门前镇', scopeCode: '430524106' });
      const pw = /一次性密码：([A-Za-z0-9]+)/.exec(r.text)![1]!;
      const c = new Session(s.base);
      await c.login(`clerk${i + 1}`, pw);
      await c.get('/password');
      await c.form('/password', { current: pw, next: `Clerk${i + 1}pass2026`, again: `Clerk${i + 1}pass2026` });
      sessions.push(c);
    }
    // one finished run to read while the others are checked
    const reader = new Session(s.base);
    await reader.login('clerk1', 'Clerk1pass2026');
    await reader.get('/');
    const first = await reader.files('/uploads', exports[0]!);
    const firstId = runIdOf(first.location);
    await reader.get(`/runs/${firstId}`);
    await reader.form(`/runs/${firstId}/start`, { asOf: '2020-04-30' });
    for (;;) {
      const p = await reader.get(`/runs/${firstId}`);
      if (p.text.includes('data-chart="family"')) break;
      if (p.text.includes('检查失败')) throw new Error('the first check failed');
      await new Promise((r) => setTimeout(r, 200));
    }

    // the load: every clerk uploads and starts at once; a prober reads pages meanwhile
    const latencies: { page: string; ms: number; status: number }[] = [];
    let loading = true;
    const pages = ['/', '/history', '/help', `/runs/${firstId}`, `/runs/${firstId}?severity=error&page=2`];
    const prober = async (k: number) => {
      let i = k;
      while (loading) {
        const path = pages[i++ % pages.length]!;
        const t0 = performance.now();
        const r = await reader.get(path);
        latencies.push({ page: path.split('?')[0]!.replace(firstId, ':id'), ms: performance.now() - t0, status: r.status });
        await new Promise((res) => setTimeout(res, 50));
      }
    };
    const t0 = performance.now();
    const runTimes: number[] = [];
    const probing = [prober(0), prober(2)];
    const outcomes = await Promise.all(
      sessions.map(async (c, i) => {
        const ts = performance.now();
        await c.get('/');
        const up = await c.files('/uploads', exports[i]!);
        if (up.status !== 303) return 'upload ' + up.status;
        const id = runIdOf(up.location);
        await c.get(`/runs/${id}`);
        const st = await c.form(`/runs/${id}/start`, { asOf: '2020-04-30' });
        if (st.status !== 303) return 'start ' + st.status;
        for (;;) {
          await new Promise((r) => setTimeout(r, 500));
          const p = await c.get(`/runs/${id}`);
          if (p.text.includes('data-chart="family"')) break;
          if (p.text.includes('检查失败')) return 'failed';
        }
        runTimes.push((performance.now() - ts) / 1000);
        return 'done';
      }),
    );
    const wall = (performance.now() - t0) / 1000;
    loading = false;
    await Promise.all(probing);
    const done = outcomes.filter((o) => o === 'done').length;
    const ms = latencies.map((l) => l.ms).sort((a, b) => a - b);
    const result = {
      clerks,
      households,
      workers,
      done,
      failures: outcomes.filter((o) => o !== 'done'),
      wallSeconds: +wall.toFixed(1),
      runSeconds: { min: +Math.min(...runTimes).toFixed(1), median: +percentile([...runTimes].sort((a, b) => a - b), 50).toFixed(1), max: +Math.max(...runTimes).toFixed(1) },
      pageRequests: ms.length,
      pageErrors: latencies.filter((l) => l.status !== 200).length,
      pageMs: { p50: Math.round(percentile(ms, 50)), p95: Math.round(percentile(ms, 95)), max: Math.round(ms.at(-1) ?? NaN) },
      perPageP95: Object.fromEntries(
        [...new Set(latencies.map((l) => l.page))].map((p) => [p, Math.round(percentile(latencies.filter((l) => l.page === p).map((l) => l.ms).sort((a, b) => a - b), 95))]),
      ),
    };
    if (json) console.log(JSON.stringify(result));
    else {
      log(`完成 ${done}/${clerks} 个检查，总耗时 ${result.wallSeconds} 秒；单个检查（上传到出结果）最短 ${result.runSeconds.min} 秒、中位 ${result.runSeconds.median} 秒、最长 ${result.runSeconds.max} 秒`);
      log(`检查进行期间页面请求 ${result.pageRequests} 次（非 200：${result.pageErrors}），延迟 p50 ${result.pageMs.p50} 毫秒、p95 ${result.pageMs.p95} 毫秒、最大 ${result.pageMs.max} 毫秒`);
      log(`各页面 p95（毫秒）：${JSON.stringify(result.perPageP95)}`);
    }
    if (done !== clerks || !(result.pageMs.p95 < 1000)) process.exitCode = 1;
  } finally {
    server?.kill('SIGTERM');
    await rm(tmp, { recursive: true, force: true });
  }
}
