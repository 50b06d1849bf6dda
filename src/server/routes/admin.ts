// 账号管理: the administrator creates clerk accounts scoped to a county or a township, disables,
// enables and resets them; sees the audit log.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { generatePassword, hashPassword, type ScopeLevel } from '../../store/users.js';
import { audit, notFound, pageCtx, sendPage, type ServerContext } from '../context.js';
import { adminPage } from '../views/misc.js';

function requireAdmin(req: FastifyRequest, reply: FastifyReply): boolean {
  if (!req.user) {
    void reply.redirect('/login');
    return false;
  }
  return req.user.role === 'admin';
}

export function adminRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const page = (req: FastifyRequest, reply: FastifyReply, message?: { kind: 'ok' | 'error'; text: string }, status = 200) =>
    sendPage(reply, adminPage(pageCtx(req, reply), ctx.users.list(), ctx.audit.recent(100), message), status);

  app.get('/admin', async (req, reply) => {
    if (!requireAdmin(req, reply)) return reply.sent ? reply : notFound(req, reply);
    return page(req, reply);
  });

  app.post('/admin/users', { preHandler: app.csrfProtection }, async (req, reply) => {
    if (!requireAdmin(req, reply)) return reply.sent ? reply : notFound(req, reply);
    const b = (req.body ?? {}) as Record<string, string | undefined>;
    const username = String(b['username'] ?? '').trim();
    const displayName = String(b['displayName'] ?? '').trim();
    const scopeLevel = b['scopeLevel'] === 'county' ? 'county' : b['scopeLevel'] === 'township' ? 'township' : undefined;
    const scopeName = String(b['scopeName'] ?? '').trim();
    const scopeCode = String(b['scopeCode'] ?? '').trim();
    const problem = !/^[A-Za-z0-9_.-]{3,32}$/.test(username)
      ? '登录账号须为 3 到 32 位字母、数字、下划线、点或横线。'
      : !displayName || displayName.length > 40
        ? '请填写姓名（不超过 40 字）。'
        : !scopeLevel
          ? '请选择管辖级别。'
          : !scopeName || scopeName.length > 40
            ? '请填写地区名称。'
            : scopeLevel === 'county' && !/^\d{6}$/.test(scopeCode)
              ? '县的行政区划代码为 6 位数字。'
              : scopeLevel === 'township' && !/^(\d{9}|\d{12})$/.test(scopeCode)
                ? '乡镇的行政区划代码为 9 位或 12 位数字。'
                : ctx.users.byUsername(username)
                  ? `登录账号“${username}”已存在。`
                  : undefined;
    if (problem) return page(req, reply, { kind: 'error', text: problem }, 400);
    const password = generatePassword();
    ctx.users.create({
      username,
      displayName,
      role: 'clerk',
      scopeLevel: scopeLevel as ScopeLevel,
      scopeName,
      scopeCode,
      passwordHash: await hashPassword(password),
      mustChangePassword: true,
    });
    audit(ctx, req, 'user_create', undefined, `${username}（${scopeName}）`);
    return page(req, reply, { kind: 'ok', text: `已创建账号 ${username}，一次性密码：${password}（只显示这一次，请转交本人，首次登录须修改）。` });
  });

  app.post<{ Params: { id: string; action: string } }>('/admin/users/:id/:action', { preHandler: app.csrfProtection }, async (req, reply) => {
    if (!requireAdmin(req, reply)) return reply.sent ? reply : notFound(req, reply);
    const u = ctx.users.byId(Number(req.params.id));
    if (!u || u.role === 'admin') return notFound(req, reply);
    switch (req.params.action) {
      case 'disable':
        ctx.users.setDisabled(u.id, true);
        ctx.sessions.deleteForUser(u.id);
        audit(ctx, req, 'user_disable', undefined, u.username);
        return page(req, reply, { kind: 'ok', text: `已停用账号 ${u.username}。` });
      case 'enable':
        ctx.users.setDisabled(u.id, false);
        audit(ctx, req, 'user_enable', undefined, u.username);
        return page(req, reply, { kind: 'ok', text: `已启用账号 ${u.username}。` });
      case 'reset': {
        const password = generatePassword();
        ctx.users.setPassword(u.id, await hashPassword(password), true);
        ctx.sessions.deleteForUser(u.id);
        audit(ctx, req, 'password_reset', undefined, u.username);
        return page(req, reply, { kind: 'ok', text: `已重置 ${u.username} 的密码（同时解除锁定），一次性密码：${password}（只显示这一次）。` });
      }
      default:
        return notFound(req, reply);
    }
  });
}
