// Writes the province report: OUT/<date>/index.html (static, one file, opens from disk, no
// network, no script; charts are ECharts SVG rendered here) and its twin 省级汇总.xlsx. Both are
// written under temporary names and renamed into place.
import { join } from 'node:path';
import { FAMILY_ZH, type Family } from '../model.js';
import { barChart, SEVERITY_COLORS } from '../charts/index.js';
import { lineChart, sparkline } from '../charts/province.js';
import { newWorkbookWriter } from '../outputs/workbook.js';
import { SCORE_FORMULA_ZH } from '../outputs/score.js';
import { cellText } from '../outputs/xlsx-text.js';
import { writeAtomically, writeFileAtomically } from '../outputs/atomic.js';
import { pauseAt } from './pause.js';
import { TREND_RUNS, type ProvinceReport, type TownshipRow } from './report-model.js';

export const REPORT_HTML = 'index.html';
export const REPORT_XLSX = '省级汇总.xlsx';
const FAMILIES: Family[] = ['ID', 'BASE', 'PAIR', 'HELPER', 'PROJ', 'BENE', 'FILE'];

export async function writeProvinceReport(report: ProvinceReport, dateDir: string): Promise<void> {
  await writeAtomically(join(dateDir, REPORT_XLSX), async (tmp) => {
    await writeReportXlsx(report, tmp);
    pauseAt('report');
  });
  await writeFileAtomically(join(dateDir, REPORT_HTML), renderReportHtml(report));
}

// ---------------------------------------------------------------------------------------------
// HTML

function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function beijingTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) + '（北京时间）';
}

const num = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString('zh-CN'));
const familyText = (m: Record<string, number>) =>
  FAMILIES.filter((f) => m[f]).map((f) => `${FAMILY_ZH[f]} ${m[f]}`).join('，') || '—';

/** Unicode block sparkline: cheap enough for hundreds of township rows. */
export function blockSparkline(values: (number | null)[]): string {
  const nums = values.filter((v): v is number => v !== null);
  if (nums.length === 0) return '';
  // scaled between the row's own minimum and maximum, so a change of a few findings shows
  const max = Math.max(...nums);
  const min = Math.min(...nums);
  const blocks = '▁▂▃▄▅▆▇█';
  return values.map((v) => (v === null ? ' ' : blocks[max === min ? 3 : Math.round(((v - min) / (max - min)) * 7)])).join('');
}

const CSS = `
body{font-family:'Noto Sans CJK SC','Noto Sans SC','Microsoft YaHei','PingFang SC',sans-serif;margin:0;background:#f5f6f8;color:#222;font-size:14px}
header{background:#8b1a1a;color:#fff;padding:18px 28px}
header h1{margin:0 0 6px;font-size:22px}
header p{margin:0;opacity:.9}
main{padding:18px 28px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:16px}
.card{background:#fff;border-radius:6px;padding:12px 16px;min-width:120px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.card b{display:block;font-size:24px;margin-top:4px}
.card.err b{color:${SEVERITY_COLORS.error}}.card.new b{color:#c0392b}.card.fixed b{color:#2e7d32}
.alert{background:#fff4e5;border:1px solid #f0ad4e;border-radius:6px;padding:10px 16px;margin-bottom:16px}
.ok{background:#eef7ee;border:1px solid #8bc34a;border-radius:6px;padding:10px 16px;margin-bottom:16px}
.charts{display:flex;flex-wrap:wrap;gap:12px}
.chart{background:#fff;border-radius:6px;padding:8px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
section{margin:18px 0}
h2{font-size:18px;border-left:4px solid #8b1a1a;padding-left:8px}
table{border-collapse:collapse;background:#fff;width:100%;font-size:13px}
th,td{border:1px solid #ddd;padding:4px 6px;text-align:right;white-space:nowrap}
th{background:#eee;position:sticky;top:0}
td.l,th.l{text-align:left}
tr.missing td{background:#fff4e5}
.spark{font-family:monospace;letter-spacing:-1px;color:#c0392b}
.e{color:${SEVERITY_COLORS.error}}.s{color:#9c5700}.i{color:${SEVERITY_COLORS.info}}
footer{color:#666;font-size:12px;padding:8px 28px 24px}
`;

export function renderReportHtml(r: ProvinceReport): string {
  const t = r.totals;
  const parts: string[] = [];
  parts.push(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`);
  parts.push(`<title>省级数据质量汇总 ${esc(r.date)}</title><style>${CSS}</style></head><body>`);
  parts.push(`<header><h1>建档立卡数据质量省级汇总</h1><p>数据截至 ${esc(r.date)}` +
    `${r.previousRun ? `，与上次运行（${esc(r.previousRun)}）相比` : '，首次运行'}；共 ${r.counties.length} 个县、${r.townships.filter((x) => x.township).length} 个乡镇；生成时间 ${esc(beijingTime(r.generatedAt))}</p></header><main>`);
  parts.push('<div class="cards">');
  const card = (label: string, value: string, cls = '') => parts.push(`<div class="card ${cls}">${esc(label)}<b>${value}</b></div>`);
  card('未整改问题', num(t.open), 'err');
  card('其中 错误 / 疑似 / 提示', `<span class="e">${num(t.openError)}</span> / <span class="s">${num(t.openSuspect)}</span> / <span class="i">${num(t.openInfo)}</span>`);
  card('本次新发现', num(t.newCount), 'new');
  card('本次销号', num(t.fixedCount), 'fixed');
  card('再次出现', num(t.reopenedCount));
  card('已说明（检验核查）', num(r.status.accepted));
  card('户数 / 人数', `${num(t.households)} / ${num(t.people)}`);
  parts.push('</div>');

  if (r.missing.units.length + r.missing.townships.length > 0) {
    parts.push(`<div class="alert"><b>缺少输入：</b>以下县或乡镇本次没有收到数据，其问题保持“未整改”，不作销号。<ul>`);
    for (const u of r.missing.units) parts.push(`<li>县级文件夹“${esc(u)}”本次未提交任何文件</li>`);
    for (const x of r.missing.townships) parts.push(`<li>${esc(x.county || x.unit)}${esc(x.township)}：本次数据中没有该乡镇的户</li>`);
    parts.push('</ul></div>');
  } else parts.push('<div class="ok">本次所有县、乡镇均已提交数据。</div>');

  parts.push('<section class="charts">');
  parts.push(`<div class="chart">${lineChart({
    title: `近 ${r.trendDates.length} 次运行趋势（全省）`,
    categories: r.trendDates,
    series: [
      { name: '未整改', values: r.provinceTrend.open, color: SEVERITY_COLORS.error },
      { name: '新发现', values: r.provinceTrend.newCount, color: SEVERITY_COLORS.suspect },
      { name: '销号', values: r.provinceTrend.fixedCount, color: '#2e7d32' },
    ],
    valueName: '问题数',
  })}</div>`);
  const worst = r.ranking.slice(0, 15);
  parts.push(`<div class="chart">${barChart({
    title: '得分最低的乡镇',
    categories: worst.map((x) => x.countyLabel + x.townshipLabel),
    series: [{ name: '得分', values: worst.map((x) => x.score ?? 0), color: '#8b1a1a' }],
    horizontal: true,
    width: 560,
    valueName: '得分',
  })}</div>`);
  parts.push(`<div class="chart">${barChart({
    title: '未整改问题最多的规则',
    categories: r.topRules.slice(0, 10).map((x) => `${x.rule} ${x.title}`),
    series: [
      { name: '错误', values: r.topRules.slice(0, 10).map((x) => x.error), color: SEVERITY_COLORS.error },
      { name: '疑似', values: r.topRules.slice(0, 10).map((x) => x.suspect), color: SEVERITY_COLORS.suspect },
      { name: '提示', values: r.topRules.slice(0, 10).map((x) => x.info), color: SEVERITY_COLORS.info },
    ],
    horizontal: true,
    width: 760,
    valueName: '问题数',
  })}</div>`);
  parts.push('</section>');

  parts.push(`<section><h2>各县汇总</h2><table><thead><tr><th class="l">县</th><th>乡镇</th><th>缺少输入乡镇</th><th>户数</th><th>人数</th><th>得分</th>` +
    `<th>未整改</th><th>错误</th><th>疑似</th><th>提示</th><th class="l">按类别</th><th>新发现</th><th>销号</th><th>再次出现</th><th>最久未整改（天）</th><th>近${TREND_RUNS}次未整改趋势</th></tr></thead><tbody>`);
  for (const c of r.counties) {
    parts.push(`<tr${c.present && c.missingTownships === 0 ? '' : ' class="missing"'}><td class="l">${esc(c.county)}${c.present ? '' : '（缺少输入）'}</td><td>${c.townships}</td><td>${c.missingTownships}</td>` +
      `<td>${num(c.households)}</td><td>${num(c.people)}</td><td>${num(c.score)}</td><td>${num(c.openTotal)}</td><td class="e">${num(c.openError)}</td>` +
      `<td class="s">${num(c.openSuspect)}</td><td class="i">${num(c.openInfo)}</td><td class="l">${esc(familyText(c.openByFamily))}</td><td>${num(c.newCount)}</td>` +
      `<td>${num(c.fixedCount)}</td><td>${num(c.reopenedCount)}</td><td>${num(c.oldestOpenDays)}</td><td>${sparkline(c.trendOpen)}</td></tr>`);
  }
  parts.push('</tbody></table></section>');

  parts.push(`<section><h2>乡镇排名（得分从低到高）</h2><table><thead><tr><th>名次</th><th class="l">县</th><th class="l">乡镇</th><th>户数</th><th>得分</th><th>未整改</th><th>错误</th><th>最久未整改（天）</th></tr></thead><tbody>`);
  r.ranking.forEach((x, i) => {
    parts.push(`<tr><td>${i + 1}</td><td class="l">${esc(x.countyLabel)}</td><td class="l">${esc(x.townshipLabel)}</td><td>${num(x.households)}</td><td>${num(x.score)}</td><td>${num(x.openTotal)}</td><td class="e">${num(x.openError)}</td><td>${num(x.oldestOpenDays)}</td></tr>`);
  });
  parts.push('</tbody></table></section>');

  const links = new Map<string, string>();
  for (const w of r.workbooks) if (w.township) links.set(w.county + '\u001f' + w.township, w.rel);
  parts.push(`<section><h2>各乡镇明细</h2><p>点击乡镇名称打开该乡镇本次的整改台账。</p><table><thead><tr><th class="l">县</th><th class="l">乡镇</th><th class="l">本次数据</th><th>户数</th><th>人数</th><th>得分</th><th>未整改</th><th>错误</th><th>疑似</th><th>提示</th>` +
    `<th class="l">按类别</th><th>新发现</th><th>销号</th><th>再次出现</th><th>最久未整改（天）</th><th class="l">近${TREND_RUNS}次未整改</th></tr></thead><tbody>`);
  for (const x of r.townships) parts.push(townshipRowHtml(x, links.get(x.countyLabel + '\u001f' + x.township)));
  parts.push('</tbody></table></section>');

  parts.push(`<section><h2>未整改问题最多的规则</h2><table><thead><tr><th class="l">规则</th><th class="l">名称</th><th class="l">类别</th><th>未整改</th><th>错误</th><th>疑似</th><th>提示</th><th>本次新发现</th></tr></thead><tbody>`);
  for (const x of r.topRules) {
    parts.push(`<tr><td class="l">${esc(x.rule)}</td><td class="l">${esc(x.title)}</td><td class="l">${esc(FAMILY_ZH[x.family] ?? x.family)}</td><td>${num(x.open)}</td><td class="e">${num(x.error)}</td><td class="s">${num(x.suspect)}</td><td class="i">${num(x.info)}</td><td>${num(x.newCount)}</td></tr>`);
  }
  parts.push('</tbody></table></section>');
  parts.push(`</main><footer>说明：“未整改”含再次出现的问题；“销号”指上次存在、本次在已提交数据中不再出现的问题；缺少输入的县、乡镇的问题不销号。${esc(SCORE_FORMULA_ZH)}` +
    ` 账本累计：未整改 ${num(r.status.open)}，再次出现 ${num(r.status.reopened)}，已销号 ${num(r.status.fixed)}，已说明 ${num(r.status.accepted)}；运行 ${num(r.status.runs)} 次。</footer></body></html>\n`);
  return parts.join('\n');
}

/** A relative link to a file next to the page: each path segment percent-encoded. */
function fileHref(rel: string): string {
  return rel.split('/').map(encodeURIComponent).join('/');
}

function townshipRowHtml(x: TownshipRow, workbook: string | undefined): string {
  const name = workbook ? `<a href="${esc(fileHref(workbook))}" title="打开本乡镇整改台账">${esc(x.townshipLabel)}</a>` : esc(x.townshipLabel);
  return `<tr${x.present ? '' : ' class="missing"'}><td class="l">${esc(x.countyLabel)}</td><td class="l">${name}</td><td class="l">${x.present ? '已提交' : '缺少输入'}</td>` +
    `<td>${num(x.households)}</td><td>${num(x.people)}</td><td>${num(x.score)}</td><td>${num(x.openTotal)}</td><td class="e">${num(x.openError)}</td>` +
    `<td class="s">${num(x.openSuspect)}</td><td class="i">${num(x.openInfo)}</td><td class="l">${esc(familyText(x.openByFamily))}</td><td>${num(x.newCount)}</td>` +
    `<td>${num(x.fixedCount)}</td><td>${num(x.reopenedCount)}</td><td>${num(x.oldestOpenDays)}</td><td class="l spark" title="${esc(x.trendOpen.map((v) => v ?? '—').join(' '))}">${esc(blockSparkline(x.trendOpen))}</td></tr>`;
}

// ---------------------------------------------------------------------------------------------
// xlsx twin

const BOLD = { bold: true, name: '宋体', size: 10 };

async function writeReportXlsx(r: ProvinceReport, path: string): Promise<void> {
  const wb = newWorkbookWriter(path, r.generatedAt);
  const sheet = (name: string, headers: string[], widths: number[]) => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = headers.map((h, i) => ({ header: h, width: widths[i] ?? 10 }));
    ws.getRow(1).font = BOLD;
    return ws;
  };
  const add = (ws: ReturnType<typeof sheet>, cells: (string | number | null)[]) => ws.addRow(cells.map((c) => (typeof c === 'string' ? cellText(c) : c))).commit();

  const readme = wb.addWorksheet('说明');
  readme.columns = [{ width: 24 }, { width: 90 }];
  const lines: [string, string][] = [
    ['报表', '建档立卡数据质量省级汇总（index.html 的表格版）'],
    ['数据截至', r.date],
    ['上次运行', r.previousRun ?? '首次运行'],
    ['生成时间', beijingTime(r.generatedAt)],
    ['未整改问题', String(r.totals.open)],
    ['本次新发现 / 销号 / 再次出现', `${r.totals.newCount} / ${r.totals.fixedCount} / ${r.totals.reopenedCount}`],
    ['缺少输入的县', r.missing.units.join('、') || '无'],
    ['缺少输入的乡镇', r.missing.townships.map((x) => (x.county || x.unit) + x.township).join('、') || '无'],
    ['口径', '“未整改”含再次出现；“销号”指上次存在、本次在已提交数据中不再出现；缺少输入的县、乡镇的问题保持未整改，不作销号。'],
    ['得分', SCORE_FORMULA_ZH],
  ];
  for (const [a, b] of lines) readme.addRow([a, cellText(b)]).commit();
  readme.commit();

  const famHeaders = FAMILIES.map((f) => FAMILY_ZH[f]);
  const cs = sheet('县汇总', ['县', '乡镇数', '缺少输入乡镇', '户数', '人数', '得分', '未整改', '错误', '疑似', '提示', ...famHeaders, '新发现', '销号', '再次出现', '最久未整改（天）', '本次数据'], [14, 8, 10, 10, 10, 8, 9, 8, 8, 8]);
  for (const c of r.counties) {
    add(cs, [c.county, c.townships, c.missingTownships, c.households, c.people, c.score, c.openTotal, c.openError, c.openSuspect, c.openInfo,
      ...FAMILIES.map((f) => c.openByFamily[f] ?? 0), c.newCount, c.fixedCount, c.reopenedCount, c.oldestOpenDays, c.present ? '已提交' : '缺少输入']);
  }
  cs.commit();
  const ts = sheet('乡镇汇总', ['县', '乡镇', '本次数据', '户数', '人数', '得分', '未整改', '错误', '疑似', '提示', ...famHeaders, '新发现', '销号', '再次出现', '已说明', '最久未整改（天）'], [14, 14, 10, 10, 10, 8, 9, 8, 8, 8]);
  for (const x of r.townships) {
    add(ts, [x.countyLabel, x.townshipLabel, x.present ? '已提交' : '缺少输入', x.households, x.people, x.score, x.openTotal, x.openError, x.openSuspect, x.openInfo,
      ...FAMILIES.map((f) => x.openByFamily[f] ?? 0), x.newCount, x.fixedCount, x.reopenedCount, x.acceptedCount, x.oldestOpenDays]);
  }
  ts.commit();
  const rk = sheet('乡镇排名', ['名次', '县', '乡镇', '户数', '得分', '未整改', '错误', '最久未整改（天）'], [6, 14, 14, 10, 8, 9, 8, 14]);
  r.ranking.forEach((x, i) => add(rk, [i + 1, x.countyLabel, x.townshipLabel, x.households, x.score, x.openTotal, x.openError, x.oldestOpenDays]));
  rk.commit();
  const ru = sheet('规则排行', ['规则', '名称', '类别', '未整改', '错误', '疑似', '提示', '本次新发现'], [10, 36, 10, 9, 8, 8, 8, 10]);
  for (const x of r.topRules) add(ru, [x.rule, x.title, FAMILY_ZH[x.family] ?? x.family, x.open, x.error, x.suspect, x.info, x.newCount]);
  ru.commit();
  const tr = sheet('趋势', ['县', '乡镇', ...r.trendDates.map((d) => `${d} 未整改`)], [14, 14]);
  add(tr, ['全省', '', ...r.provinceTrend.open]);
  for (const x of r.townships) add(tr, [x.countyLabel, x.townshipLabel, ...x.trendOpen]);
  tr.commit();
  const ms = sheet('缺少输入', ['县（文件夹）', '县', '乡镇', '说明'], [16, 14, 14, 50]);
  for (const u of r.missing.units) add(ms, [u, '', '', '本次未提交任何文件，该县问题保持未整改']);
  for (const x of r.missing.townships) add(ms, [x.unit, x.county, x.township, '本次数据中没有该乡镇的户，该乡镇问题保持未整改']);
  ms.commit();
  await wb.commit();
}
