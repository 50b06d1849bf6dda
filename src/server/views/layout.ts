// The page frame: title, navigation by role, the signed-in clerk's name and region, 退出.
import { html, type Html } from '../html.js';
import type { User } from '../../store/users.js';

export interface PageContext {
  user?: User;
  csrf: string;
  /** current section, highlighted in the navigation */
  nav?: 'upload' | 'history' | 'verify' | 'help' | 'admin' | 'password';
}

const SCOPE_ZH = { county: '县', township: '乡镇' } as const;

export function scopeLabel(u: Pick<User, 'scopeLevel' | 'scopeName'>): string {
  return u.scopeName ? `${u.scopeName}（${u.scopeLevel ? SCOPE_ZH[u.scopeLevel] : ''}）` : '';
}

export function layout(ctx: PageContext, title: string, body: Html, opts: { scripts?: boolean; refreshSeconds?: number } = {}): Html {
  const u = ctx.user;
  const item = (key: NonNullable<PageContext['nav']>, href: string, label: string) =>
    html`<a href="${href}" class="${ctx.nav === key ? 'active' : ''}">${label}</a>`;
  const nav = !u || u.mustChangePassword
    ? html``
    : u.role === 'admin'
      ? html`${item('admin', '/admin', '账号管理')}${item('help', '/help', '帮助')}`
      : html`${item('upload', '/', '上传检查')}${item('history', '/history', '历史')}${item('verify', '/verify', '检验核查')}${item('help', '/help', '帮助')}`;
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · 扶贫数据清洗</title>
<link rel="stylesheet" href="/static/app.css">
${opts.refreshSeconds ? html`<noscript><meta http-equiv="refresh" content="${opts.refreshSeconds}"></noscript>` : ''}
</head>
<body>
<header class="top">
  <div class="brand">扶贫数据清洗</div>
  <nav>${nav}</nav>
  ${u
    ? html`<div class="who"><span>${u.displayName}${u.scopeName ? html` · ${scopeLabel(u)}` : ''}</span>
    <a href="/password">修改密码</a>
    <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${ctx.csrf}"><button type="submit" class="link">退出</button></form></div>`
    : ''}
</header>
<main>
<h1>${title}</h1>
${body}
</main>
${opts.scripts ? html`<script src="/static/app.js"></script>` : ''}
</body>
</html>`;
}

export function notice(kind: 'error' | 'info' | 'ok', text: string | Html | undefined): Html {
  return text ? html`<div class="notice ${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${text}</div>` : html``;
}

/** Dates and times on pages: Beijing time, 2026-11-30 14:05. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const bj = new Date(d.getTime() + 8 * 3600_000);
  return bj.toISOString().slice(0, 16).replace('T', ' ');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} 字节`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} 千字节`;
  return `${(n / 1024 / 1024).toFixed(1)} 兆字节`;
}
