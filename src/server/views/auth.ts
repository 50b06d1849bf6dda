// 登录 and 修改密码 pages.
import { html } from '../html.js';
import { layout, notice, type PageContext } from './layout.js';

export function loginPage(ctx: PageContext, error?: string, username = ''): string {
  return layout(
    ctx,
    '登录',
    html`<form method="post" action="/login" class="card narrow">
  <input type="hidden" name="_csrf" value="${ctx.csrf}">
  ${notice('error', error)}
  <label>账号<input name="username" autocomplete="username" required value="${username}"></label>
  <label>密码<input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit" class="primary">登录</button>
  <p class="hint">账号由县或乡镇的管理员创建；忘记密码请联系管理员重置。</p>
</form>`,
  ).text;
}

export function passwordPage(ctx: PageContext, forced: boolean, error?: string, done?: boolean): string {
  return layout(
    { ...ctx, nav: 'password' },
    '修改密码',
    html`<form method="post" action="/password" class="card narrow">
  <input type="hidden" name="_csrf" value="${ctx.csrf}">
  ${forced ? notice('info', '首次登录或密码被重置后，须先设置自己的新密码。') : ''}
  ${notice('error', error)}
  ${done ? notice('ok', '密码已修改。') : ''}
  <label>当前密码<input name="current" type="password" autocomplete="current-password" required></label>
  <label>新密码<input name="next" type="password" autocomplete="new-password" required minlength="8"></label>
  <label>再输一次新密码<input name="again" type="password" autocomplete="new-password" required minlength="8"></label>
  <p class="hint">至少 8 位，须同时包含字母和数字。</p>
  <button type="submit" class="primary">保存新密码</button>
</form>`,
  ).text;
}
