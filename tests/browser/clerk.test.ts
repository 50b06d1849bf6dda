// The clerk's web page in Debian's Chromium (playwright-core): log in, upload the samples (file
// picker + drag and drop), watch progress, read the result with its charts, filter findings,
// download the 台账 and open it with exceljs, verify; another township's clerk gets 404; a POST
// without the CSRF token is refused; five wrong passwords lock; no page shows an English word.
// Every page is screenshotted to reports/screenshots/serve/ for a person to look at.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import ExcelJS from '../../src/exceljs.js';
import { ISSUE_HEADERS } from '../../src/outputs/workbook.js';
import { addClerk, Client, sampleFiles, startServer, type Running } from '../server/harness.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(ROOT, 'reports', 'screenshots', 'serve');
const ACCOUNTS = ['admin', 'simen', 'shijiang', 'locked', 'longhui'];

let server: Running;
let browser: BrowserContext;
let page: Page;
let tmp: string;
let runUrl = '';
let workbookUrl = '';
let verifyUrl = '';
let downloaded = '';
const checkedPages: string[] = [];
const requests: string[] = [];

/**
 * Latin words a clerk would see. Not counted: rule ids (they are the 台账's 规则 column), file
 * extensions, login account names and one-time passwords (typed, not read), the proper nouns
 * Chinese office forms write in Latin letters (Excel, WPS, CSV, App, GB standard numbers, http(s)),
 * spreadsheet column letters (AN「…」) and codes mixing letters and digits (项目编号 XM4305…).
 */
function englishWords(text: string): string[] {
  let t = text
    .replace(/\b(?:ID|BASE|PAIR|HELPER|PROJ|BENE|FILE)-\d{2}\b/g, ' ')
    .replace(/\.(?:xlsx|xlsm|xls|csv)\b/gi, ' ')
    .replace(/一次性密码：[A-Za-z0-9]+/g, ' ')
    .replace(/\b(?:Excel|WPS|CSV|App|GB|https?)\b/g, ' ')
    .replace(/\b[A-Z]{1,3}(?=「)/g, ' ');
  for (const a of ACCOUNTS) t = t.split(a).join(' ');
  return (t.match(/[A-Za-z0-9]+/g) ?? []).filter((w) => /^[A-Za-z]{2,}$/.test(w));
}

/** Screenshot the page and check its visible text (including option labels and chart text). */
async function look(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await page.screenshot({ path: join(SHOTS, `${name}-首屏.png`) }); // what a 1366×768 laptop shows first
  const text = await page.evaluate(() => {
    const parts = [document.title, document.body.innerText];
    document.querySelectorAll('option, svg text, input[type=submit], button, [placeholder]').forEach((e) => {
      parts.push(e.textContent ?? '', (e as HTMLInputElement).placeholder ?? '', e.getAttribute('title') ?? '');
    });
    return parts.join('\n');
  });
  expect(englishWords(text), `${name}: ${page.url()}`).toEqual([]);
  checkedPages.push(name);
}

async function login(username: string, password: string): Promise<void> {
  await page.goto(server.base + '/login');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is needed for this test: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it)`);
  mkdirSync(SHOTS, { recursive: true });
  tmp = mkdtempSync(join(tmpdir(), 'qx-browser-'));
  server = await startServer({ concurrentChecks: 1 });
  await addClerk(server, 'simen', 'mima1234abc');
  await addClerk(server, 'shijiang', 'mima5678abc', { level: 'township', name: '石江镇', code: '430524107' });
  await addClerk(server, 'locked', 'right1234pw');
  browser = await chromium.launchPersistentContext(join(tmp, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    acceptDownloads: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=zh-CN'],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('clerk in the browser', () => {
  it('logs in', async () => {
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(server.base + '/login');
    await look('01-登录');
    await login('simen', 'mima1234abc');
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.locator('header .who').innerText()).toContain('司门前镇');
    await look('02-上传检查');
  });

  it('uploads the samples by file picker and by drag and drop, and sees each file with its table and rows', async () => {
    const files = sampleFiles().map((f) => f.path);
    const dropped = files.find((f) => f.endsWith('贫困户信息.csv'))!;
    await page.setInputFiles('input[data-files]', files.filter((f) => f !== dropped));
    // drop one more file onto the drop zone, as a person dragging it from the file manager
    const data = readFileSync(dropped).toString('base64');
    await page.evaluate(
      ({ name, data }) => {
        const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([bytes], name, { type: 'text/csv' }));
        const zone = document.querySelector('[data-drop]')!;
        zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      },
      { name: basename(dropped), data },
    );
    expect(await page.locator('[data-chosen] li').count()).toBe(files.length);
    // the browser's own file control (its button text is not ours) is hidden behind the 选择文件 label
    expect(await page.locator('input[data-files]').isVisible()).toBe(false);
    expect(await page.locator('label.button:has-text("选择文件")').isVisible()).toBe(true);
    await look('03-上传检查-已选文件');
    await Promise.all([page.waitForURL(/\/runs\/[0-9a-f]{24}$/), page.click('form[data-upload] button[type=submit]')]);
    runUrl = page.url();
    const preview = await page.locator('table[data-preview]').innerText();
    expect(preview).toContain('贫困户信息.csv');
    expect(preview).toMatch(/大坪村\s+家庭成员、贫困户\s+94/);
    await look('04-确认上传的文件');
  });

  it('starts the check and watches its progress (queued behind another township, then running) until the result', async () => {
    // another township's clerk starts first: with one check at a time ours waits in the queue
    const other = new Client(server.base);
    await other.login('shijiang', 'mima5678abc');
    await other.get('/');
    const up = await other.postFiles('/uploads', sampleFiles());
    await other.get(up.location!);
    await other.postForm(`${up.location}/start`, { asOf: '2020-04-30' });

    await page.fill('input[name=asOf]', '2020-04-30');
    await Promise.all([page.waitForSelector('[data-progress]'), page.click('button:has-text("开始检查")')]);
    const status = await page.locator('[data-status]').innerText();
    expect(status).toMatch(/排队中|读取|交叉|写出|准备|开始/);
    await look('05-正在检查');
    // the events stream updates the text, then the page reloads into the result
    await page.waitForSelector('figure[data-chart="family"] svg', { timeout: 90_000 });
    expect(page.url()).toBe(runUrl);
  });

  it('shows the result: village table with scores, the two charts, top rules, findings', async () => {
    expect(await page.locator('h1').innerText()).toBe('检查结果 · 司门前镇');
    const family = page.locator('figure[data-chart="family"] svg');
    const village = page.locator('figure[data-chart="village"] svg');
    expect((await family.boundingBox())!.width).toBeGreaterThan(300);
    expect((await village.boundingBox())!.width).toBeGreaterThan(300);
    expect(await family.locator('text').allTextContents()).toEqual(expect.arrayContaining(['按问题类别统计', '身份信息']));
    expect(await page.locator('td.score').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('table.rules tbody tr').count()).toBeGreaterThan(3);
    await look('06-检查结果');
  });

  it('filters the findings by rule and by severity', async () => {
    const count = async () => Number(/共 (\d+) 条/.exec(await page.locator('[data-count]').innerText())![1]);
    const all = await count();
    await page.selectOption('select[name=rule]', 'ID-01');
    await Promise.all([page.waitForURL(/rule=ID-01/), page.click('form[data-filters] button[type=submit]')]);
    const id01 = await count();
    expect(id01).toBeGreaterThan(0);
    expect(id01).toBeLessThan(all);
    const rules = await page.locator('table.findings tbody tr td:nth-child(4)').allInnerTexts();
    expect(new Set(rules)).toEqual(new Set(['ID-01']));
    await page.locator('#findings').scrollIntoViewIfNeeded();
    await look('07-问题清单-按规则筛选');
    await page.selectOption('select[name=rule]', '');
    await page.selectOption('select[name=severity]', 'suspect');
    await Promise.all([page.waitForURL(/severity=suspect/), page.click('form[data-filters] button[type=submit]')]);
    const sev = await page.locator('table.findings tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-severity')));
    expect(sev.length).toBeGreaterThan(0);
    expect(new Set(sev)).toEqual(new Set(['suspect']));
  });

  it('downloads the 台账 and opens it with exceljs', async () => {
    await page.goto(runUrl);
    const link = page.locator('a[data-download="workbook"]', { hasText: '司门前镇' });
    workbookUrl = (await link.getAttribute('href'))!;
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('整改台账_隆回县_司门前镇.xlsx');
    downloaded = join(tmp, download.suggestedFilename());
    await download.saveAs(downloaded);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(downloaded);
    expect(book.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(['说明', '汇总', '问题清单']));
    expect(book.getWorksheet('问题清单')!.rowCount).toBeGreaterThan(10);
  });

  it('lists the run in 历史 and shows 帮助', async () => {
    await page.click('nav a:has-text("历史")');
    expect(await page.locator('table[data-history]').innerText()).toContain('司门前镇');
    await look('08-历史');
    await page.click('nav a:has-text("帮助")');
    expect(await page.locator('tr#PAIR-07').innerText()).toContain('PAIR-07');
    await look('09-帮助');
  });

  it('runs a verify: filled 台账 + fresh export → result page and the 核查 workbook', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(downloaded);
    const ws = book.getWorksheet('问题清单')!;
    const col = (h: string) => ISSUE_HEADERS.indexOf(h) + 1;
    ws.getRow(2).getCell(col('核实结果')).value = '已修正';
    ws.getRow(3).getCell(col('核实结果')).value = '数据无误';
    ws.getRow(3).getCell(col('备注')).value = '已入户核实，证件号码无误';
    const filled = join(tmp, 'filled', '整改台账_隆回县_司门前镇.xlsx');
    mkdirSync(join(tmp, 'filled'), { recursive: true });
    await book.xlsx.writeFile(filled);
    await page.click('nav a:has-text("检验核查")');
    await look('10-检验核查');
    await page.setInputFiles('input[name=corrections]', filled);
    await page.setInputFiles('input[name=files]', sampleFiles().map((f) => f.path));
    await Promise.all([page.waitForURL(/\/runs\/[0-9a-f]{24}$/), page.click('form[data-upload] button[type=submit]')]);
    verifyUrl = page.url();
    await page.waitForSelector('figure[data-chart="verify"] svg', { timeout: 90_000 });
    expect(await page.locator('h1').innerText()).toBe('检验核查结果');
    const summary = await page.locator('.summary').innerText();
    expect(summary).toContain('数据截至 2020-04-30');
    expect(summary).toContain('未整改 1');
    expect(summary).toContain('已说明 1');
    await look('11-检验核查结果');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[data-download="verify"]')]);
    expect(download.suggestedFilename()).toBe('检验核查结果.xlsx');
    const saved = join(tmp, '核查.xlsx');
    await download.saveAs(saved);
    const result = new ExcelJS.Workbook();
    await result.xlsx.readFile(saved);
    expect(result.worksheets.length).toBeGreaterThan(0);
  });

  it('refuses a POST without the CSRF token', async () => {
    const status = await page.evaluate(async () => (await fetch('/logout', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' })).status);
    expect(status).toBe(403);
    const withToken = await page.evaluate(async () => {
      const token = (document.querySelector('input[name=_csrf]') as HTMLInputElement).value;
      return (await fetch('/logout', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '_csrf=' + encodeURIComponent(token), redirect: 'manual' })).type;
    });
    expect(withToken).toBe('opaqueredirect'); // with the token the same request logs out (303)
  });

  it('a clerk of another township gets 404 on the first clerk run, download and verify URLs', async () => {
    await browser.clearCookies();
    await login('shijiang', 'mima5678abc');
    for (const url of [runUrl, server.base + workbookUrl, verifyUrl, runUrl + '/download/findings.jsonl']) {
      const res = await page.goto(url);
      expect(res!.status(), url).toBe(404);
      expect(await page.locator('h1').innerText()).toBe('找不到页面');
    }
    await look('12-找不到页面');
    await page.goto(server.base + '/history');
    expect(await page.locator('table[data-history]').innerText()).not.toContain('司门前镇');
  });

  it('five wrong passwords lock the account', async () => {
    await browser.clearCookies();
    for (let i = 1; i <= 5; i++) await login('locked', 'wrong-' + i);
    expect(await page.locator('.notice.error').innerText()).toContain('账号已锁定');
    await look('13-账号锁定');
    await login('locked', 'right1234pw');
    expect(await page.locator('.notice.error').innerText()).toContain('已锁定');
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('administrator: first login changes the password, then creates an account', async () => {
    await browser.clearCookies();
    await login('admin', server.server.adminPassword!);
    expect(new URL(page.url()).pathname).toBe('/password');
    await look('14-修改密码');
    await page.fill('input[name=current]', server.server.adminPassword!);
    await page.fill('input[name=next]', 'Admin2026new');
    await page.fill('input[name=again]', 'Admin2026new');
    await Promise.all([page.waitForURL(/\/admin$/), page.click('button[type=submit]:has-text("保存新密码")')]);
    await page.fill('input[name=username]', 'longhui');
    await page.fill('input[name=displayName]', '隆回县经办人');
    await page.selectOption('select[name=scopeLevel]', 'county');
    await page.fill('input[name=scopeName]', '隆回县');
    await page.fill('input[name=scopeCode]', '430524');
    await Promise.all([page.waitForLoadState('load'), page.click('form[data-create-user] button[type=submit]')]);
    expect(await page.locator('.notice.ok').innerText()).toMatch(/一次性密码：[A-Za-z0-9]{12}/);
    expect(await page.locator('table[data-users]').innerText()).toContain('隆回县');
    await look('15-账号管理');
  });

  it('checked every page for English words, and nothing was fetched from anywhere but this server', () => {
    expect(checkedPages.length).toBe(15);
    expect(requests.length).toBeGreaterThan(30);
    // no CDN, no web font: every request of the whole session went to the server itself
    expect(requests.filter((u) => !u.startsWith(server.base) && !u.startsWith('data:') && !u.startsWith('blob:'))).toEqual([]);
  });
});
