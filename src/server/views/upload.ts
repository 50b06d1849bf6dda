// 上传检查: drop the township's export files; then the preview (table and rows per file) with the
// as-of date before the check starts. And 检验核查's upload form.
import { html } from '../html.js';
import { layout, notice, formatBytes, type PageContext } from './layout.js';
import type { Run } from '../../store/runs.js';

export interface UploadLimits {
  maxFiles: number;
  maxFileBytes: number;
}

export function uploadPage(ctx: PageContext, limits: UploadLimits, error?: string): string {
  return layout(
    { ...ctx, nav: 'upload' },
    '上传检查',
    html`${notice('error', error)}
<form method="post" action="/uploads?_csrf=${encodeURIComponent(ctx.csrf)}" enctype="multipart/form-data" class="card upload" data-upload>
  <div class="drop" data-drop>
    <p class="big">把本乡镇导出的表格文件拖到这里</p>
    <p>或者 <label class="button">选择文件<input type="file" name="files" multiple accept=".xlsx,.xls,.csv,.xlsm" data-files hidden></label></p>
    <p class="hint">可以一次选多个文件（电子表格 .xlsx、.xls 或逗号分隔的 .csv），最多 ${limits.maxFiles} 个，每个不超过 ${formatBytes(limits.maxFileBytes)}。
    表格内容由系统按表头自动识别，文件名不限。</p>
  </div>
  <ul class="chosen" data-chosen></ul>
  <div class="progress hidden" data-upload-progress><div class="bar"><span></span></div><span class="label">正在上传…</span></div>
  <button type="submit" class="primary">上传并识别</button>
</form>`,
    { scripts: true },
  ).text;
}

export function draftPage(ctx: PageContext, run: Run, today: string, error?: string): string {
  const rows = run.files.flatMap((f) => {
    const p = f.preview;
    if (!p || !p.readable) {
      return [html`<tr class="bad"><td>${f.name}</td><td>—</td><td colspan="2">${p?.error ?? '无法读取'}</td><td>${formatBytes(f.bytes)}</td></tr>`];
    }
    if (p.sheets.length === 0) return [html`<tr><td>${f.name}</td><td>—</td><td colspan="2">没有工作表</td><td>${formatBytes(f.bytes)}</td></tr>`];
    return p.sheets.map(
      (s, i) =>
        html`<tr><td>${i === 0 ? f.name : ''}</td><td>${s.sheet ?? '—'}</td><td>${s.tables.length ? s.tables.join('、') : html`<span class="warn">未识别</span>`}</td><td class="num">${s.dataRows}</td><td>${i === 0 ? formatBytes(f.bytes) : ''}</td></tr>`,
    );
  });
  const total = run.files.reduce((s, f) => s + (f.preview?.sheets.reduce((t, x) => t + x.dataRows, 0) ?? 0), 0);
  return layout(
    { ...ctx, nav: 'upload' },
    '确认上传的文件',
    html`${notice('error', error)}
<div class="card">
<p>共 ${run.files.length} 个文件，识别到数据 ${total} 行。请确认每个文件识别出的表格是否正确，再开始检查。</p>
<table class="grid" data-preview>
<thead><tr><th>文件</th><th>工作表</th><th>识别为</th><th class="num">数据行数</th><th>大小</th></tr></thead>
<tbody>${rows}</tbody>
</table>
<form method="post" action="/runs/${run.id}/start" class="row">
  <input type="hidden" name="_csrf" value="${ctx.csrf}">
  <label>数据截至日期 <input type="date" name="asOf" value="${run.asOf ?? today}" required></label>
  <button type="submit" class="primary">开始检查</button>
  <a href="/" class="button">重新上传</a>
</form>
<p class="hint">数据截至日期用于计算年龄、帮扶是否在期等与时间有关的规则，一般填导出数据的日期。</p>
</div>`,
  ).text;
}

export function verifyUploadPage(ctx: PageContext, limits: UploadLimits, today: string, error?: string): string {
  return layout(
    { ...ctx, nav: 'verify' },
    '检验核查',
    html`${notice('error', error)}
<form method="post" action="/verify?_csrf=${encodeURIComponent(ctx.csrf)}" enctype="multipart/form-data" class="card upload" data-upload>
  <p>上传各村填好“核实结果”的整改台账，以及整改后重新导出的数据，系统会逐条判断问题是否已经整改。</p>
  <div class="two">
    <div class="drop" data-drop>
      <p class="big">① 填好的整改台账</p>
      <p><label class="button">选择台账<input type="file" name="corrections" multiple accept=".xlsx" data-files hidden></label></p>
      <ul class="chosen" data-chosen></ul>
    </div>
    <div class="drop" data-drop>
      <p class="big">② 重新导出的数据</p>
      <p><label class="button">选择数据文件<input type="file" name="files" multiple accept=".xlsx,.xls,.csv,.xlsm" data-files hidden></label></p>
      <ul class="chosen" data-chosen></ul>
    </div>
  </div>
  <p class="hint">最多 ${limits.maxFiles} 个文件，每个不超过 ${formatBytes(limits.maxFileBytes)}。</p>
  <label>数据截至日期 <input type="date" name="asOf" value=""></label>
  <p class="hint">一般留空：使用整改台账中记录的数据截止日期（检查时填写的日期）。今天是 ${today}。</p>
  <div class="progress hidden" data-upload-progress><div class="bar"><span></span></div><span class="label">正在上传…</span></div>
  <button type="submit" class="primary">上传并开始核查</button>
</form>`,
    { scripts: true },
  ).text;
}
