// `serve` end to end over HTTP on loopback: accounts, CSRF, lockout, upload → check → result →
// downloads, isolation between townships, limits, failures, retention, verify.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { isTempOutputName } from '../../src/outputs/atomic.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from '../../src/exceljs.js';
import { deleteExpired } from '../../src/server/app.js';
import { ISSUE_HEADERS } from '../../src/outputs/workbook.js';
import { addClerk, Client, sampleFiles, startServer, waitForRun, type Running } from './harness.js';

let r: Running;
let runId = '';
let workbookUrl = '';
const simen = new Client('');
const other = new Client('');

beforeAll(async () => {
  r = await startServer();
  Object.assign(simen, new Client(r.base));
  Object.assign(other, new Client(r.base));
  await addClerk(r, 'simen', 'mima1234abc');
  await addClerk(r, 'shijiang', 'mima5678abc', { level: 'township', name: '石江镇', code: '430524107' });
  expect((await simen.login('simen', 'mima1234abc')).status).toBe(303);
  expect((await other.login('shijiang', 'mima5678abc')).status).toBe(303);
});
afterAll(async () => r?.close());

describe('accounts', () => {
  it('first start creates the administrator with a one-time password that must be changed', async () => {
    expect(r.server.adminPassword).toMatch(/^[A-Za-z0-9]{12}$/);
    const admin = new Client(r.base);
    const login = await admin.login('admin', r.server.adminPassword!);
    expect(login.status).toBe(303);
    expect(login.location).toBe('/password');
    // every other page sends the administrator back to the password form
    expect((await admin.get('/admin')).location).toBe('/password');
    await admin.get('/password');
    const weak = await admin.postForm('/password', { current: r.server.adminPassword!, next: 'short', again: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.text).toContain('至少 8 位');
    const elsewhere = new Client(r.base); // the same account signed in on another computer
    await elsewhere.login('admin', r.server.adminPassword!);
    const ok = await admin.postForm('/password', { current: r.server.adminPassword!, next: 'NewAdmin2026', again: 'NewAdmin2026' });
    expect(ok.location).toBe('/admin');
    expect((await elsewhere.get('/password')).location).toBe('/login'); // its session ended with the old password
    // the administrator creates a county clerk and gets its one-time password once
    const page = await admin.get('/admin');
    expect(page.status).toBe(200);
    const created = await admin.postForm('/admin/users', { username: 'longhui', displayName: '隆回县经办人', scopeLevel: 'county', scopeName: '隆回县', scopeCode: '430524' });
    const pw = /一次性密码：([A-Za-z0-9]{12})/.exec(created.text)?.[1];
    expect(pw).toBeDefined();
    const bad = await admin.postForm('/admin/users', { username: 'x1', displayName: '某', scopeLevel: 'township', scopeName: '某镇', scopeCode: '12' });
    expect(bad.status).toBe(400);
    const county = new Client(r.base);
    expect((await county.login('longhui', pw!)).location).toBe('/password');
    // the administrator disables the account: it can no longer log in
    const u = r.server.ctx.users.byUsername('longhui')!;
    await admin.get('/admin');
    await admin.postForm(`/admin/users/${u.id}/disable`, {});
    const refused = await new Client(r.base).login('longhui', pw!);
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('已停用');
  });

  it('a POST without the CSRF token is refused', async () => {
    await simen.get('/');
    const res = await simen.postForm('/logout', {}, false);
    expect(res.status).toBe(403);
    expect(res.text).toContain('安全校验码');
    const up = await simen.postFiles('/uploads', sampleFiles().slice(0, 1), {}, false);
    expect(up.status).toBe(403);
    const login = await new Client(r.base).postForm('/login', { username: 'simen', password: 'mima1234abc' }, false);
    expect(login.status).toBe(403);
  });

  it('five wrong passwords lock the account, even for the right password; a reset unlocks it', async () => {
    await addClerk(r, 'locked', 'right1234pw');
    const c = new Client(r.base);
    for (let i = 1; i <= 4; i++) {
      const res = await c.login('locked', 'wrong-' + i);
      expect(res.status).toBe(401);
      expect(res.text).toContain(`再输错 ${5 - i} 次`);
    }
    const fifth = await c.login('locked', 'wrong-5');
    expect(fifth.status).toBe(423);
    expect(fifth.text).toContain('已锁定');
    const right = await c.login('locked', 'right1234pw');
    expect(right.status).toBe(423);
    const u = r.server.ctx.users.byUsername('locked')!;
    expect(u.lockedUntil).not.toBeNull();
    r.server.ctx.users.unlock(u.id);
    expect((await c.login('locked', 'right1234pw')).status).toBe(303);
  });

  it('login attempts are limited per address, with a Chinese message', async () => {
    const limited = await startServer({ loginAttemptsPerMinute: 3 });
    try {
      const c = new Client(limited.base);
      for (let i = 0; i < 3; i++) expect((await c.login('nobody', 'x')).status).toBe(401);
      const fourth = await c.login('nobody', 'x');
      expect(fourth.status).toBe(429);
      expect(fourth.text).toContain('登录尝试太频繁');
    } finally {
      await limited.close();
    }
  });

  it('session cookie is HttpOnly and SameSite=Strict', async () => {
    const res = await fetch(r.base + '/login');
    const csrfCookie = res.headers.getSetCookie().join('\n');
    expect(csrfCookie).toMatch(/HttpOnly/i);
    const c = new Client(r.base);
    await c.get('/login');
    const p = new URLSearchParams({ username: 'simen', password: 'mima1234abc', _csrf: c.csrf });
    const login = await fetch(r.base + '/login', {
      method: 'POST',
      body: p.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: res.headers.getSetCookie().map((x) => x.split(';')[0]).join('; ') },
      redirect: 'manual',
    });
    // the csrf cookie of this fetch differs from the client's: the token does not match it
    expect(login.status).toBe(403);
    const ok = await c.postForm('/login', { username: 'simen', password: 'mima1234abc' });
    const session = ok.headers.getSetCookie().find((x) => x.startsWith('qx_session='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Strict/i);
  });
});

describe('check', () => {
  it('upload lists each file with its detected table and rows before the run starts', async () => {
    await simen.get('/');
    const up = await simen.postFiles('/uploads', sampleFiles());
    expect(up.status).toBe(303);
    runId = up.location!.split('/').pop()!;
    const draft = await simen.get(up.location!);
    expect(draft.text).toContain('确认上传的文件');
    expect(draft.text).toMatch(/司门前镇建档立卡贫困人口信息表\.xlsx<\/td><td>大坪村<\/td><td>家庭成员、贫困户<\/td><td class="num">94</);
    expect(draft.text).toContain('已损坏');
    expect(r.server.ctx.runs.get(runId)!.status).toBe('draft');
  });

  it('runs the check in a worker, streams progress, and shows the result with charts', async () => {
    const start = await simen.postForm(`/runs/${runId}/start`, { asOf: '2020-04-30' });
    expect(start.status).toBe(303);
    const events = await fetch(`${r.base}/runs/${runId}/events`, { headers: { cookie: `qx_session=${(simen as unknown as { jar: Map<string, string> }).jar.get('qx_session')}` } });
    expect(events.headers.get('content-type')).toContain('text/event-stream');
    const text = await events.text(); // the stream ends when the run is done
    const states = text.split('\n\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)) as { status: string });
    expect(states.at(-1)!.status).toBe('done');
    expect(await waitForRun(r, runId)).toBe('done');
    const page = await simen.get(`/runs/${runId}`);
    expect(page.text).toContain('检查结果 · 司门前镇');
    expect(page.text).toMatch(/<figure class="card chart" data-chart="family"><svg/);
    expect(page.text).toContain('按村统计问题');
    expect(page.text).toContain('最常见的问题');
    const m = /href="(\/runs\/[0-9a-f]+\/download\/[^"]*%E5%8F%B8%E9%97%A8%E5%89%8D%E9%95%87\.xlsx)"/.exec(page.text);
    expect(m).not.toBeNull();
    workbookUrl = m![1]!;
  });

  it('filters and pages the findings', async () => {
    const all = await simen.get(`/runs/${runId}`);
    const total = Number(/共 (\d+) 条/.exec(all.text.slice(all.text.indexOf('data-count')))![1]);
    const id01 = await simen.get(`/runs/${runId}?rule=ID-01`);
    const n = Number(/共 (\d+) 条/.exec(id01.text.slice(id01.text.indexOf('data-count')))![1]);
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(total);
    const rows = id01.text.slice(id01.text.indexOf('<table class="grid findings">')).split('<tr data-severity').length - 1;
    expect(rows).toBe(Math.min(n, 50));
    const suspects = await simen.get(`/runs/${runId}?severity=suspect`);
    expect(suspects.text).not.toMatch(/<tr data-severity="error"/);
  });

  it('downloads the 台账 (a real workbook) and the findings, and records it in the audit log', async () => {
    const wb = await simen.get(workbookUrl);
    expect(wb.status).toBe(200);
    expect(wb.headers.get('content-disposition')).toContain("filename*=UTF-8''");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(wb.body as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(['说明', '汇总', '问题清单']));
    const jsonl = await simen.get(`/runs/${runId}/download/findings.jsonl`);
    expect(jsonl.text.trim().split('\n').length).toBeGreaterThan(10);
    const audit = r.server.ctx.audit.recent().filter((a) => a.runId === runId).map((a) => a.action);
    expect(audit).toEqual(expect.arrayContaining(['upload', 'check_start', 'download']));
  });

  it('a clerk of another township gets 404 on the run, its events and downloads', async () => {
    for (const url of [`/runs/${runId}`, `/runs/${runId}/events`, workbookUrl, `/runs/${runId}/download/findings.jsonl`, `/runs/${runId}?page=2`]) {
      const res = await other.get(url);
      expect(res.status, url).toBe(404);
      expect(res.text).not.toContain('司门前镇');
    }
    await other.get('/');
    expect((await other.postForm(`/runs/${runId}/start`, { asOf: '2020-04-30' })).status).toBe(404);
    expect((await other.get('/history')).text).not.toContain(runId);
    expect((await simen.get('/history')).text).toContain(runId);
  });

  it('rows of another township are out of scope: named on the page, left out of the 台账', async () => {
    // the same samples uploaded by the 石江镇 clerk: every household belongs to 司门前镇
    await other.get('/');
    const up = await other.postFiles('/uploads', sampleFiles());
    const id = up.location!.split('/').pop()!;
    await other.get(up.location!);
    await other.postForm(`/runs/${id}/start`, { asOf: '2020-04-30' });
    expect(await waitForRun(r, id)).toBe('done');
    const page = await other.get(`/runs/${id}`);
    expect(page.text).toMatch(/不属于石江镇的记录，未列入本台账：隆回县司门前镇 120 户/);
    expect(page.text).not.toMatch(/download\/[^"]*%E5%8F%B8%E9%97%A8%E5%89%8D%E9%95%87\.xlsx/); // no 司门前镇 workbook
    expect(r.server.ctx.runs.get(id)!.totals!.households).toBe(0);
  });
});

describe('limits and failures', () => {
  it('refuses too many files, a file over the size cap and a wrong file type, in Chinese, keeping nothing', async () => {
    const small = await startServer({ maxFiles: 2, maxFileBytes: 20 * 1024 });
    try {
      await addClerk(small, 'simen', 'mima1234abc');
      const c = new Client(small.base);
      await c.login('simen', 'mima1234abc');
      await c.get('/');
      const many = await c.postFiles('/uploads', sampleFiles().filter((f) => f.path.endsWith('.csv') || f.path.includes('帮扶责任人')).slice(0, 3));
      expect(many.status).toBe(413);
      expect(many.text).toContain('一次最多上传 2 个文件');
      await c.get('/');
      const big = await c.postFiles('/uploads', sampleFiles().filter((f) => f.path.includes('信息表')));
      expect(big.status).toBe(413);
      expect(big.text).toContain('超过 20.0 千字节');
      const dir = mkdtempSync(join(tmpdir(), 'qx-up-'));
      writeFileSync(join(dir, '说明.pdf'), '%PDF-1.4');
      await c.get('/');
      const pdf = await c.postFiles('/uploads', [{ field: 'files', path: join(dir, '说明.pdf') }]);
      expect(pdf.status).toBe(400);
      expect(pdf.text).toContain('不是支持的文件类型');
      expect(small.server.ctx.db.prepare('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: 0 });
      expect(existsSync(join(small.dataDir, 'runs')) ? (await import('node:fs')).readdirSync(join(small.dataDir, 'runs')).length : 0).toBe(0);
    } finally {
      await small.close();
    }
  });

  it('a check that is stopped (time limit) is marked failed with the reason and leaves no download', async () => {
    const slow = await startServer({ checkTimeoutMs: 50 });
    try {
      await addClerk(slow, 'simen', 'mima1234abc');
      const c = new Client(slow.base);
      await c.login('simen', 'mima1234abc');
      await c.get('/');
      const up = await c.postFiles('/uploads', sampleFiles());
      const id = up.location!.split('/').pop()!;
      await c.get(up.location!);
      await c.postForm(`/runs/${id}/start`, { asOf: '2020-04-30' });
      expect(await waitForRun(slow, id)).toBe('failed');
      const run = slow.server.ctx.runs.get(id)!;
      expect(run.failure).toContain('已停止');
      const page = await c.get(`/runs/${id}`);
      expect(page.text).toContain('数据检查失败');
      expect(existsSync(join(slow.dataDir, 'runs', id, 'out'))).toBe(false);
      expect(readdirSync(join(slow.dataDir, 'runs', id)).filter(isTempOutputName)).toEqual([]);
      expect((await c.get(`/runs/${id}/download/findings.jsonl`)).status).toBe(404);
    } finally {
      await slow.close();
    }
  });

  it('runs older than the retention period are deleted with their files', async () => {
    const ctx = r.server.ctx;
    const before = ctx.runs.listForScope({ level: 'township', name: '司门前镇', code: '430524106' }).length;
    expect(before).toBeGreaterThan(0);
    expect(await deleteExpired(ctx, new Date(Date.now() - 86400_000))).toBe(0);
    // (checked on a copy of the state: a second server over a fresh folder)
    const tmp = await startServer({ retentionDays: 1 });
    try {
      await addClerk(tmp, 'simen', 'mima1234abc');
      const c = new Client(tmp.base);
      await c.login('simen', 'mima1234abc');
      await c.get('/');
      const up = await c.postFiles('/uploads', sampleFiles().slice(0, 1));
      const id = up.location!.split('/').pop()!;
      expect(existsSync(join(tmp.dataDir, 'runs', id))).toBe(true);
      expect(await deleteExpired(tmp.server.ctx, new Date(Date.now() + 2 * 86400_000))).toBe(1);
      expect(existsSync(join(tmp.dataDir, 'runs', id))).toBe(false);
      expect(tmp.server.ctx.runs.get(id)).toBeUndefined();
      expect(tmp.server.ctx.audit.recent().some((a) => a.action === 'retention_delete' && a.runId === id)).toBe(true);
    } finally {
      await tmp.close();
    }
  });
});

describe('restart', () => {
  it('a restart marks checks that were running as failed; --reset-admin prints a new one-time password', async () => {
    const first = await startServer();
    const firstPassword = first.server.adminPassword!;
    const admin = first.server.ctx.users.byUsername('admin')!;
    first.server.ctx.runs.create({ id: 'a'.repeat(24), kind: 'check', userId: admin.id, scopeLevel: 'township', scopeName: '司门前镇', scopeCode: '430524106', files: [] });
    first.server.ctx.runs.setQueued('a'.repeat(24), '2020-04-30');
    first.server.ctx.runs.setRunning('a'.repeat(24));
    await first.close();
    const again = await startServer({ dataDir: first.dataDir });
    expect(again.server.adminPassword).toBeUndefined(); // printed on the first start only
    const run = again.server.ctx.runs.get('a'.repeat(24))!;
    expect(run.status).toBe('failed');
    expect(run.failure).toContain('服务重启');
    await again.close();
    const reset = await startServer({ dataDir: first.dataDir }, { resetAdmin: true });
    try {
      expect(reset.server.adminPassword).toMatch(/^[A-Za-z0-9]{12}$/);
      expect(reset.server.adminPassword).not.toBe(firstPassword);
      const c = new Client(reset.base);
      expect((await c.login('admin', firstPassword)).status).toBe(401);
      expect((await c.login('admin', reset.server.adminPassword!)).location).toBe('/password');
    } finally {
      await reset.close();
    }
  });
});

describe('shutdown', () => {
  it('an open progress stream does not hold up closing the server', async () => {
    const s = await startServer();
    await addClerk(s, 'simen', 'mima1234abc');
    const c = new Client(s.base);
    await c.login('simen', 'mima1234abc');
    const u = s.server.ctx.users.byUsername('simen')!;
    const id = 'b'.repeat(24);
    s.server.ctx.runs.create({ id, kind: 'check', userId: u.id, scopeLevel: 'township', scopeName: '司门前镇', scopeCode: '430524106', files: [] });
    s.server.ctx.runs.setQueued(id, '2020-04-30');
    const cookie = `qx_session=${(c as unknown as { jar: Map<string, string> }).jar.get('qx_session')}`;
    const res = await fetch(`${s.base}/runs/${id}/events`, { headers: { cookie } });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('"status":"queued"');
    const t0 = Date.now();
    await s.close();
    expect(Date.now() - t0).toBeLessThan(5000);
    await reader.cancel().catch(() => {});
  });
});

describe('verify', () => {
  it('filled 台账 + fresh export → judged rows, 核查 workbook; other township gets 404', async () => {
    // the clerk fills in the downloaded 台账: first row 已修正 (but the export is unchanged), second 数据无误 with a remark
    const wb = await simen.get(workbookUrl);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(wb.body as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('问题清单')!;
    const col = (h: string) => ISSUE_HEADERS.indexOf(h) + 1;
    sheet.getRow(2).getCell(col('核实结果')).value = '已修正';
    sheet.getRow(3).getCell(col('核实结果')).value = '数据无误';
    sheet.getRow(3).getCell(col('备注')).value = '已入户核实';
    const dir = mkdtempSync(join(tmpdir(), 'qx-verify-'));
    const filled = join(dir, '整改台账_隆回县_司门前镇.xlsx');
    await book.xlsx.writeFile(filled);
    await simen.get('/verify');
    const up = await simen.postFiles('/verify', [{ field: 'corrections', path: filled }, ...sampleFiles()], { asOf: '' });
    expect(up.status, up.text.slice(0, 500)).toBe(303);
    const id = up.location!.split('/').pop()!;
    expect(await waitForRun(r, id)).toBe('done');
    const run = r.server.ctx.runs.get(id)!;
    expect(run.asOf).toBe('2020-04-30'); // from the 台账
    expect(run.totals!.notFixed).toBe(1);
    expect(run.totals!.explained).toBe(1);
    const page = await simen.get(`/runs/${id}`);
    expect(page.text).toContain('检验核查结果');
    expect(page.text).toMatch(/未整改 1/);
    const dl = await simen.get(`/runs/${id}/download/${encodeURIComponent('检验核查结果.xlsx')}`);
    expect(dl.status).toBe(200);
    const result = new ExcelJS.Workbook();
    await result.xlsx.load(dl.body as unknown as ArrayBuffer);
    expect(result.worksheets.length).toBeGreaterThan(0);
    expect((await other.get(`/runs/${id}`)).status).toBe(404);
    expect((await other.get(`/runs/${id}/download/${encodeURIComponent('检验核查结果.xlsx')}`)).status).toBe(404);
    expect(r.server.ctx.audit.recent().some((a) => a.action === 'verify' && a.runId === id)).toBe(true);
    // the 石江镇 clerk cannot verify 司门前镇's 台账
    await other.get('/verify');
    const foreign = await other.postFiles('/verify', [{ field: 'corrections', path: filled }, ...sampleFiles()], { asOf: '' });
    const fid = foreign.location!.split('/').pop()!;
    expect(await waitForRun(r, fid)).toBe('failed');
    expect(r.server.ctx.runs.get(fid)!.failure).toMatch(/属于其他地区（隆回县司门前镇），只能核查本地区（石江镇）/);
    expect((await other.get(`/runs/${fid}/download/${encodeURIComponent('检验核查结果.xlsx')}`)).status).toBe(404);
  });
});
