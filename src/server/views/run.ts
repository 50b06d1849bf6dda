// A run's pages: waiting/progress (server-sent events), failed, check result, verify result.
import { html, raw, type Html } from '../html.js';
import { layout, notice, formatTime, type PageContext } from './layout.js';
import { FAMILY_ZH, SEVERITY_ZH, type Severity } from '../../model.js';
import type { Run } from '../../store/runs.js';
import type { LiveState } from '../queue.js';
import type { CheckResultPage, VerifyResultPage } from '../jobs/result.js';
import type { FindingRecord } from '../../outputs/findings.js';
import { UNRECOGNISED_SHEET_HINT, UNRECOGNISED_SHEET_HINT_CLERK } from '../../../validators/file.js';

/** A finding's message as a clerk on the web reads it: terminal advice becomes advice they can follow. */
function forClerk(message: string): string {
  return message.replace(UNRECOGNISED_SHEET_HINT, UNRECOGNISED_SHEET_HINT_CLERK);
}

const KIND_ZH = { check: '数据检查', verify: '检验核查' } as const;

export function progressPage(ctx: PageContext, run: Run, live: LiveState | undefined): string {
  const pos = live?.status === 'queued' ? live.position : undefined;
  const p = live?.progress;
  return layout(
    { ...ctx, nav: run.kind === 'check' ? 'upload' : 'verify' },
    run.kind === 'check' ? '正在检查' : '正在核查',
    html`<div class="card" data-progress data-run="${run.id}">
  <p class="big" data-status>${pos !== undefined ? queueText(pos) : p ? `${p.stage}…` : '准备中…'}</p>
  <div class="progress"><div class="bar"><span data-bar style="width:${p && p.filesTotal ? Math.round((p.filesDone / p.filesTotal) * 100) : 0}%"></span></div></div>
  <p data-detail>${p ? progressDetail(p) : ''}</p>
  <p class="hint">检查在服务器上进行，可以离开本页，稍后在“历史”中查看结果。完成后本页自动显示结果。</p>
</div>`,
    { scripts: true, refreshSeconds: 3 },
  ).text;
}

/** Same words as app.js shows on each event. */
function progressDetail(p: NonNullable<LiveState['progress']>): string {
  return `${p.file && p.filesDone < p.filesTotal ? `正在读取“${p.file}”，` : ''}已读完 ${p.filesDone}/${p.filesTotal} 个文件，共 ${p.rowsRead} 行`;
}

/** Same words as app.js shows when the place changes. */
function queueText(pos: number): string {
  return `排队中：您排在第 ${pos} 位，前面的检查完成后自动开始。`;
}

export function failedPage(ctx: PageContext, run: Run): string {
  return layout(
    { ...ctx, nav: run.kind === 'check' ? 'upload' : 'verify' },
    `${KIND_ZH[run.kind]}失败`,
    html`<div class="card">${notice('error', run.failure ?? '未知原因')}
<p>开始时间 ${formatTime(run.createdAt)}，结束时间 ${formatTime(run.finishedAt)}。没有生成可下载的文件。</p>
<p><a class="button" href="${run.kind === 'check' ? '/' : '/verify'}">重新上传</a></p></div>`,
  ).text;
}

export interface FindingFilter {
  village?: string;
  family?: string;
  rule?: string;
  severity?: string;
  page: number;
}

export const FINDINGS_PER_PAGE = 50;

function filterQuery(f: FindingFilter, page: number): string {
  const q = new URLSearchParams();
  if (f.village) q.set('village', f.village);
  if (f.family) q.set('family', f.family);
  if (f.rule) q.set('rule', f.rule);
  if (f.severity) q.set('severity', f.severity);
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return s ? '?' + s : '';
}

function options(values: { value: string; label: string }[], selected: string | undefined): Html {
  return html`${values.map((v) => html`<option value="${v.value}" ${v.value === (selected ?? '') ? raw('selected') : ''}>${v.label}</option>`)}`;
}

export function checkResultPage(
  ctx: PageContext,
  run: Run,
  page: CheckResultPage,
  list: { total: number; items: FindingRecord[]; villages: string[] },
  filter: FindingFilter,
): string {
  const t = page.totals;
  const pages = Math.max(1, Math.ceil(list.total / FINDINGS_PER_PAGE));
  const first = (filter.page - 1) * FINDINGS_PER_PAGE;
  const outOfScope = page.outOfScope.filter((o) => o.households > 0 || o.findings > 0);
  const families = page.byFamily.map((b) => ({ value: b.family, label: FAMILY_ZH[b.family] }));
  return layout(
    { ...ctx, nav: 'upload' },
    `检查结果 · ${page.scopeName}`,
    html`<div class="card summary">
  <p>数据截至 <b>${page.asOf}</b>，检查于 ${formatTime(run.finishedAt)}。共 ${t.households} 户、${t.people} 人；发现问题 <b>${t.findings}</b> 条：
  <span class="sev error">错误 ${t.error}</span> <span class="sev suspect">疑似 ${t.suspect}</span> <span class="sev info">提示 ${t.info}</span>。</p>
  ${outOfScope.length
    ? notice(
        'info',
        html`上传的数据中有不属于${page.scopeName}的记录，未列入本台账：${outOfScope.map((o, i) => html`${i ? '；' : ''}${o.county}${o.township || '未注明乡镇'} ${o.households} 户、${o.findings} 条问题`)}。`,
      )
    : ''}
  <div class="downloads">
    ${page.workbooks.map((w) => html`<a class="button primary" href="/runs/${run.id}/download/${encodeURIComponent(w)}" data-download="workbook">下载${w.replace(/\.xlsx$/, '')}</a>`)}
    <a class="button" href="/runs/${run.id}/download/findings.jsonl" data-download="findings">下载问题明细（逐行数据）</a>
  </div>
</div>
<div class="charts">
  <figure class="card chart" data-chart="family">${raw(page.charts.family)}</figure>
  <figure class="card chart" data-chart="village">${raw(page.charts.village)}</figure>
</div>
<section class="card">
<h2>各村情况</h2>
<table class="grid">
<thead><tr><th>乡镇</th><th>村</th><th class="num">户数</th><th class="num">人数</th><th class="num">有错误的户</th><th class="num">错误</th><th class="num">疑似</th><th class="num">提示</th><th class="num">得分</th></tr></thead>
<tbody>${page.villages.map(
      (v) =>
        html`<tr><td>${v.township ?? ''}</td><td>${v.village ? html`<a href="/runs/${run.id}${filterQuery({ village: v.village, page: 1 }, 1)}#findings">${v.village}</a>` : '未注明村'}</td><td class="num">${v.households}</td><td class="num">${v.people}</td><td class="num">${v.householdsWithErrors}</td><td class="num">${v.errors}</td><td class="num">${v.suspects}</td><td class="num">${v.infos}</td><td class="num score">${v.score}</td></tr>`,
    )}</tbody>
</table>
</section>
<section class="card">
<h2>最常见的问题</h2>
<table class="grid rules">
<thead><tr><th>规则</th><th>问题</th><th class="num">条数</th><th>说明</th></tr></thead>
<tbody>${page.rules.slice(0, 8).map(
      (r) =>
        html`<tr><td><a href="/runs/${run.id}${filterQuery({ rule: r.rule, page: 1 }, 1)}#findings">${r.rule}</a></td><td>${r.title}</td><td class="num">${r.total}</td><td class="explain">${r.explain}</td></tr>`,
    )}</tbody>
</table>
</section>
<section class="card" id="findings">
<h2>问题清单</h2>
<form method="get" action="/runs/${run.id}#findings" class="filters" data-filters>
  <label>村 <select name="village"><option value="">全部</option>${options(list.villages.map((v) => ({ value: v, label: v })), filter.village)}</select></label>
  <label>类别 <select name="family"><option value="">全部</option>${options(families, filter.family)}</select></label>
  <label>规则 <select name="rule"><option value="">全部</option>${options(page.rules.map((r) => ({ value: r.rule, label: `${r.rule} ${r.title}` })), filter.rule)}</select></label>
  <label>严重程度 <select name="severity"><option value="">全部</option>${options((['error', 'suspect', 'info'] as Severity[]).map((s) => ({ value: s, label: SEVERITY_ZH[s] })), filter.severity)}</select></label>
  <button type="submit">筛选</button>
  <a href="/runs/${run.id}#findings">清除筛选</a>
</form>
<p data-count>共 ${list.total} 条${list.total ? `，显示第 ${first + 1}–${first + list.items.length} 条` : ''}。</p>
<table class="grid findings">
<thead><tr><th>村</th><th>户编号</th><th>姓名</th><th>规则</th><th>问题描述</th><th>来源</th><th>严重程度</th></tr></thead>
<tbody>${list.items.map(
      (f) =>
        html`<tr data-severity="${f.severity}"><td>${f.village ?? ''}</td><td>${f.household_no ?? ''}</td><td>${f.name ?? ''}</td><td title="${f.title}">${f.rule}</td><td>${forClerk(f.message)}</td><td class="src">${sourceText(f)}</td><td><span class="sev ${f.severity}">${SEVERITY_ZH[f.severity as Severity] ?? f.severity}</span></td></tr>`,
    )}</tbody>
</table>
<nav class="pager">${filter.page > 1 ? html`<a href="/runs/${run.id}${filterQuery(filter, filter.page - 1)}#findings">上一页</a>` : ''}
<span>第 ${filter.page} / ${pages} 页</span>
${filter.page < pages ? html`<a href="/runs/${run.id}${filterQuery(filter, filter.page + 1)}#findings" data-next>下一页</a>` : ''}</nav>
</section>
<section class="card">
<h2>读取的文件</h2>
<table class="grid">
<thead><tr><th>文件</th><th>工作表</th><th>识别为</th><th class="num">数据行</th><th class="num">无法读取的行</th></tr></thead>
<tbody>${page.files.map(
      (f) =>
        html`<tr class="${f.readable ? '' : 'bad'}"><td>${f.file}</td><td>${f.sheet ?? '—'}</td><td>${f.readable ? f.tables.join('、') || '未识别' : f.error ?? '无法读取'}</td><td class="num">${f.dataRows}</td><td class="num">${f.rejectedRows}</td></tr>`,
    )}</tbody>
</table>
</section>`,
  ).text;
}


function sourceText(f: FindingRecord): string {
  if (!f.file) return '';
  return [f.file, f.sheet, f.row ? `第${f.row}行` : ''].filter(Boolean).join(' / ');
}

export function verifyResultPage(ctx: PageContext, run: Run, page: VerifyResultPage): string {
  const c = page.counts;
  const total = c['已整改'] + c['未整改'] + c['已说明'] + c['待核实'];
  const rate = total ? (((c['已整改'] + c['已说明']) / total) * 100).toFixed(1) : '100.0';
  return layout(
    { ...ctx, nav: 'verify' },
    '检验核查结果',
    html`<div class="card summary">
  <p>数据截至 <b>${page.asOf}</b>。台账共 ${total} 条：<span class="sev info">已整改 ${c['已整改']}</span> <span class="sev info">已说明 ${c['已说明']}</span>
  <span class="sev error">未整改 ${c['未整改']}</span> <span class="sev suspect">待核实 ${c['待核实']}</span>；完成率 <b>${rate}%</b>。新发现问题 ${page.newFindings} 条。</p>
  ${page.notes.map((n) => notice('info', n))}
  <div class="downloads"><a class="button primary" href="/runs/${run.id}/download/${encodeURIComponent(page.workbook)}" data-download="verify">下载检验核查结果</a></div>
</div>
<figure class="card chart" data-chart="verify">${raw(page.chart)}</figure>
<section class="card">
<h2>各村完成情况</h2>
<table class="grid">
<thead><tr><th>乡镇</th><th>村</th><th class="num">台账问题</th><th class="num">已整改</th><th class="num">已说明</th><th class="num">未完成</th><th class="num">完成率</th><th class="num">整改前得分</th><th class="num">整改后得分</th></tr></thead>
<tbody>${page.villages.map(
      (v) =>
        html`<tr><td>${v.township}</td><td>${v.village || '未关联到村'}</td><td class="num">${v.findings}</td><td class="num">${v.fixed}</td><td class="num">${v.explained}</td><td class="num">${v.open}</td><td class="num">${(v.completionRate * 100).toFixed(1)}%</td><td class="num">${v.scoreBefore ?? '—'}</td><td class="num">${v.scoreAfter ?? '—'}</td></tr>`,
    )}</tbody>
</table>
</section>
<section class="card">
<h2>逐条判断（前 200 条）</h2>
<table class="grid">
<thead><tr><th>村</th><th>户编号</th><th>规则</th><th>填写的核实结果</th><th>判断</th></tr></thead>
<tbody>${page.rows.slice(0, 200).map(
      (r) => html`<tr><td>${r.village}</td><td>${r.household_no}</td><td>${r.rule}</td><td>${r.result || '未填写'}</td><td><b>${r.judgement}</b></td></tr>`,
    )}</tbody>
</table>
</section>`,
  ).text;
}
