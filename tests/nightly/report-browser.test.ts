// The province report (index.html) opened from disk in Chromium: it renders offline (every request
// is file: or data:), in Chinese, with its ECharts SVG charts, tables and the missing-input notice.
// A full-page screenshot goes to reports/nightly-index.png for a person to look at.
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext } from 'playwright-core';
import { resolveConfig } from '../../src/config.js';
import { RULES } from '../../validators/index.js';
import { openDb, type Db } from '../../src/store/db.js';
import { Ledger } from '../../src/store/ledger.js';
import { runNightly } from '../../src/nightly/run.js';
import { blankMemberName, makeTownship, removeHousehold } from './province.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
let root: string;
let db: Db;
let html: string;
let browser: BrowserContext | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is needed for this test: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it)`);
  root = mkdtempSync(join(tmpdir(), 'qingxi-report-'));
  const inbox = join(root, 'inbox');
  const out = join(root, 'out');
  const cache = join(root, 'cache');
  const smq = join(inbox, '隆回县', '司门前镇');
  const truth = await makeTownship(cache, smq, { county: '隆回县', township: '司门前镇', code: '106', seed: 1 });
  await makeTownship(cache, join(inbox, '隆回县', '六都寨镇'), { county: '隆回县', township: '六都寨镇', code: '107', seed: 2, phonePrefix: '158' });
  await makeTownship(cache, join(inbox, '邵东县', '两市塘街道'), { county: '邵东县', township: '两市塘街道', code: '201', seed: 3, phonePrefix: '186' });
  await makeTownship(cache, join(inbox, '新宁县', '金石镇'), { county: '新宁县', township: '金石镇', code: '301', seed: 4, phonePrefix: '135' });
  db = openDb(join(root, 'ledger.sqlite'));
  const ledger = new Ledger(db);
  const config = resolveConfig({}, RULES);
  const hh = [...new Set(truth.planted.map((p) => p.entity.household_no).filter(Boolean))] as string[];
  await runNightly({ inbox, out, ledger, asOf: '2020-05-01', config });
  for (const h of hh.slice(0, 6)) removeHousehold(smq, h);
  await runNightly({ inbox, out, ledger, asOf: '2020-05-02', config });
  for (const h of hh.slice(6, 12)) removeHousehold(smq, h);
  blankMemberName(smq, truth.cleanHouseholds[3]!);
  renameSync(join(inbox, '隆回县', '六都寨镇'), join(root, 'away')); // tonight 六都寨镇 sends nothing
  await runNightly({ inbox, out, ledger, asOf: '2020-05-03', config });
  html = join(out, '2020-05-03', 'index.html');
  // a fresh profile folder per run
  browser = await chromium.launchPersistentContext(join(root, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  db?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('index.html in Chromium', () => {
  it('renders offline with charts, tables and the missing-input notice; screenshot saved', async () => {
    const page = await browser!.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    expect(await page.title()).toBe('省级数据质量汇总 2020-05-03');
    expect(await page.locator('h1').innerText()).toBe('建档立卡数据质量省级汇总');
    const alert = await page.locator('.alert').innerText();
    expect(alert).toContain('缺少输入');
    expect(alert).toContain('六都寨镇');
    // trend, ranking and rules charts, plus one sparkline per county
    const svgs = await page.locator('svg').count();
    expect(svgs).toBeGreaterThanOrEqual(3 + 3);
    const trend = await page.locator('.charts .chart').first().innerText();
    expect(trend).toContain('2020-05-01');
    const chartBox = await page.locator('.charts .chart svg').first().boundingBox();
    expect(chartBox!.width).toBeGreaterThan(300);
    expect(chartBox!.height).toBeGreaterThan(150);
    const countyRows = await page.locator('section:has(h2:text("各县汇总")) tbody tr').allInnerTexts();
    expect(countyRows.map((r) => r.split('\t')[0])).toEqual(['隆回县', '邵东县', '新宁县'].sort(new Intl.Collator('zh-CN').compare));
    const missingRow = await page.locator('tr.missing', { hasText: '六都寨镇' }).innerText();
    expect(missingRow).toContain('缺少输入');
    const ranking = await page.locator('section:has(h2:text("乡镇排名")) tbody tr').count();
    expect(ranking).toBe(3); // townships with data tonight
    // each township with data links to its 整改台账 next to the page
    const href = await page.locator('section:has(h2:text("各乡镇明细")) a', { hasText: '司门前镇' }).getAttribute('href');
    expect(href).toBe(['隆回县', '司门前镇', '整改台账_隆回县_司门前镇.xlsx'].map(encodeURIComponent).join('/'));
    expect(existsSync(join(html, '..', ...href!.split('/').map(decodeURIComponent)))).toBe(true);
    mkdirSync(join(ROOT, 'reports'), { recursive: true });
    const shot = join(ROOT, 'reports', 'nightly-index.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot)).toBe(true);
    await page.close();
  }, 120_000);
});
