// 历史, 帮助 (the rule catalogue), 账号管理 and the error pages.
import { html } from '../html.js';
import { layout, notice, formatTime, scopeLabel, type PageContext } from './layout.js';
import { RUN_STATUS_ZH, type Run } from '../../store/runs.js';
import type { User } from '../../store/users.js';
import { AUDIT_ACTION_ZH, type AuditEntry } from '../../store/audit.js';
import { FAMILY_ZH, SEVERITY_ZH, type Family, type Severity } from '../../model.js';

export function historyPage(ctx: PageContext, runs: Run[], retentionDays: number): string {
  return layout(
    { ...ctx, nav: 'history' },
    '历史',
    html`<div class="card">
<p class="hint">本地区的检查和核查记录。上传的文件和结果保存 ${retentionDays} 天，之后自动删除。</p>
<table class="grid" data-history>
<thead><tr><th>时间</th><th>类型</th><th>地区</th><th>数据截至</th><th>状态</th><th class="num">户数</th><th class="num">问题</th><th class="num">错误</th><th class="num">疑似</th><th></th></tr></thead>
<tbody>${runs.map(
      (r) =>
        html`<tr><td>${formatTime(r.createdAt)}</td><td>${r.kind === 'check' ? '数据检查' : '检验核查'}</td><td>${r.scopeName}</td><td>${r.asOf ?? '—'}</td><td>${RUN_STATUS_ZH[r.status]}</td>
<td class="num">${r.kind === 'check' ? r.totals?.households ?? '' : ''}</td><td class="num">${r.totals?.findings ?? ''}</td><td class="num">${r.kind === 'check' ? r.totals?.error ?? '' : ''}</td><td class="num">${r.kind === 'check' ? r.totals?.suspect ?? '' : ''}</td>
<td><a href="/runs/${r.id}">查看</a></td></tr>`,
    )}</tbody>
</table>
${runs.length === 0 ? html`<p>还没有记录。<a href="/">上传数据开始第一次检查</a>。</p>` : ''}
</div>`,
  ).text;
}

export interface RuleEntry {
  id: string;
  family: Family;
  severity: Severity;
  title: string;
  explain: string;
}

export function helpPage(ctx: PageContext, rules: RuleEntry[]): string {
  const families = [...new Set(rules.map((r) => r.family))];
  return layout(
    { ...ctx, nav: 'help' },
    '帮助',
    html`<div class="card">
<h2>怎么用</h2>
<ol>
<li>在“上传检查”页把本乡镇从系统导出的表格文件拖进来（可以一次多个），确认每个文件识别出的表格后，填写数据截至日期，点“开始检查”。</li>
<li>检查完成后查看各村得分和问题清单，下载《整改台账》，按村分发核实。</li>
<li>各村在台账的“核实结果”列选择“已修正”“数据无误”或“无法核实”；选“数据无误”的请在“备注”写明理由。</li>
<li>整改后在“检验核查”页上传填好的台账和重新导出的数据，系统判断每条问题是否已经整改。</li>
</ol>
<p>严重程度：<span class="sev error">错误</span> 必须改正；<span class="sev suspect">疑似</span> 需要入户核实；<span class="sev info">提示</span> 仅供参考。</p>
</div>
${families.map(
      (fam) => html`<section class="card" data-family="${fam}">
<h2>${FAMILY_ZH[fam]}</h2>
<table class="grid rules">
<thead><tr><th>规则</th><th>问题</th><th>默认严重程度</th><th>说明</th></tr></thead>
<tbody>${rules
        .filter((r) => r.family === fam)
        .map((r) => html`<tr id="${r.id}"><td>${r.id}</td><td>${r.title}</td><td><span class="sev ${r.severity}">${SEVERITY_ZH[r.severity]}</span></td><td class="explain">${r.explain}</td></tr>`)}</tbody>
</table>
</section>`,
    )}`,
  ).text;
}

export function adminPage(ctx: PageContext, users: User[], audit: AuditEntry[], message?: { kind: 'ok' | 'error'; text: string }): string {
  const levelZh = { county: '县', township: '乡镇' } as const;
  return layout(
    { ...ctx, nav: 'admin' },
    '账号管理',
    html`${message ? notice(message.kind, message.text) : ''}
<form method="post" action="/admin/users" class="card row wrap" data-create-user>
  <input type="hidden" name="_csrf" value="${ctx.csrf}">
  <h2 class="full">新建账号</h2>
  <label>登录账号<input name="username" required pattern="[A-Za-z0-9_.\\-]{3,32}" title="3 到 32 位字母、数字、下划线、点或横线"></label>
  <label>姓名<input name="displayName" required maxlength="40"></label>
  <label>管辖级别<select name="scopeLevel"><option value="township">乡镇</option><option value="county">县</option></select></label>
  <label>地区名称<input name="scopeName" required maxlength="40" placeholder="例如 司门前镇"></label>
  <label>行政区划代码<input name="scopeCode" required pattern="\\d{6}|\\d{9}|\\d{12}" title="县 6 位，乡镇 9 位或 12 位数字" placeholder="例如 430524106"></label>
  <button type="submit" class="primary">创建</button>
  <p class="hint full">创建后显示一次性密码，请转交本人；本人首次登录须修改密码。县级账号可以查看本县各乡镇（区划代码以本县代码开头）的记录。</p>
</form>
<section class="card">
<h2>账号</h2>
<table class="grid" data-users>
<thead><tr><th>账号</th><th>姓名</th><th>角色</th><th>管辖</th><th>区划代码</th><th>状态</th><th>操作</th></tr></thead>
<tbody>${users.map(
      (u) => html`<tr><td>${u.username}</td><td>${u.displayName}</td><td>${u.role === 'admin' ? '管理员' : '经办人'}</td><td>${u.scopeName ? `${u.scopeName}（${u.scopeLevel ? levelZh[u.scopeLevel] : ''}）` : '—'}</td><td>${u.scopeCode ?? '—'}</td>
<td>${u.disabled ? '已停用' : u.lockedUntil && new Date(u.lockedUntil) > new Date() ? `已锁定至 ${formatTime(u.lockedUntil)}` : '正常'}</td>
<td>${u.role === 'admin'
        ? ''
        : html`<form method="post" action="/admin/users/${u.id}/${u.disabled ? 'enable' : 'disable'}" class="inline"><input type="hidden" name="_csrf" value="${ctx.csrf}"><button type="submit">${u.disabled ? '启用' : '停用'}</button></form>
<form method="post" action="/admin/users/${u.id}/reset" class="inline"><input type="hidden" name="_csrf" value="${ctx.csrf}"><button type="submit">重置密码</button></form>`}</td></tr>`,
    )}</tbody>
</table>
</section>
<section class="card">
<h2>操作记录（最近 100 条）</h2>
<table class="grid">
<thead><tr><th>时间</th><th>账号</th><th>操作</th><th>说明</th><th>地址</th></tr></thead>
<tbody>${audit.slice(0, 100).map(
      (a) => html`<tr><td>${formatTime(a.at)}</td><td>${a.username ?? ''}</td><td>${AUDIT_ACTION_ZH[a.action] ?? a.action}</td><td>${a.detail ?? ''}</td><td>${a.address ?? ''}</td></tr>`,
    )}</tbody>
</table>
</section>`,
  ).text;
}

export function errorPage(ctx: PageContext, status: number, text: string): string {
  const title = status === 404 ? '找不到页面' : status === 403 ? '无法完成操作' : status === 413 ? '上传的文件太大' : status === 429 ? '操作太频繁' : '出错了';
  return layout(ctx, title, html`<div class="card">${notice('error', text)}<p><a href="/">返回首页</a></p></div>`).text;
}

export { scopeLabel };
