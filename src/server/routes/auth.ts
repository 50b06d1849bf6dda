// 登录, 退出, 修改密码. Wrong passwords are counted per account (lock after maxFailedLogins) and
// login attempts are rate-limited per address.
import type { FastifyInstance } from 'fastify';
import { hashPassword, isLocked, passwordProblem, verifyPassword } from '../../store/users.js';
import { audit, pageCtx, sendPage, SESSION_COOKIE, type ServerContext } from '../context.js';
import { loginPage, passwordPage } from '../views/auth.js';

// compared against when the account does not exist, so both cases take the same time
let dummyHash: Promise<string> | undefined;

export function authRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const cfg = ctx.config;

  app.get('/login', async (req, reply) => {
    if (req.user) return reply.redirect('/');
    return sendPage(reply, loginPage(pageCtx(req, reply)));
  });

  app.post(
    '/login',
    {
      preHandler: app.csrfProtection,
      config: { rateLimit: { max: cfg.loginAttemptsPerMinute, timeWindow: 60_000 } },
    },
    async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, string | undefined>;
      const username = String(body['username'] ?? '').trim().slice(0, 64);
      const password = String(body['password'] ?? '');
      const fail = (msg: string, status = 401) => sendPage(reply, loginPage(pageCtx(req, reply), msg, username), status);
      const u = username ? ctx.users.byUsername(username) : undefined;
      if (!u) {
        await verifyPassword(password, await (dummyHash ??= hashPassword('no-such-user')));
        ctx.audit.record({ action: 'login_failed', username, detail: '账号不存在', address: req.ip });
        return fail('账号或密码不正确。');
      }
      if (u.disabled) {
        ctx.audit.record({ userId: u.id, username, action: 'login_failed', detail: '账号已停用', address: req.ip });
        return fail('账号已停用，请联系管理员。', 403);
      }
      if (isLocked(u)) {
        ctx.audit.record({ userId: u.id, username, action: 'login_failed', detail: '账号锁定中', address: req.ip });
        return fail(`连续输错密码次数过多，账号已锁定，请 ${cfg.lockMinutes} 分钟后再试或联系管理员解锁。`, 423);
      }
      if (!(await verifyPassword(password, u.passwordHash))) {
        const locked = ctx.users.recordFailure(u.id, cfg.maxFailedLogins, cfg.lockMinutes * 60_000);
        ctx.audit.record({ userId: u.id, username, action: 'login_failed', detail: locked ? '密码错误，账号已锁定' : '密码错误', address: req.ip });
        if (locked) return fail(`连续输错密码 ${cfg.maxFailedLogins} 次，账号已锁定 ${cfg.lockMinutes} 分钟。`, 423);
        const left = cfg.maxFailedLogins - (u.failedLogins + 1);
        return fail(`账号或密码不正确。再输错 ${left} 次，账号将被锁定。`);
      }
      ctx.users.recordSuccess(u.id);
      const sid = ctx.sessions.create(u.id, cfg.sessionHours * 3600_000);
      reply.setCookie(SESSION_COOKIE, sid, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: cfg.secureCookies,
        maxAge: cfg.sessionHours * 3600,
      });
      ctx.audit.record({ userId: u.id, username, action: 'login', address: req.ip });
      return reply.redirect(u.mustChangePassword ? '/password' : u.role === 'admin' ? '/admin' : '/', 303);
    },
  );

  app.post('/logout', { preHandler: app.csrfProtection }, async (req, reply) => {
    if (req.sessionId) ctx.sessions.delete(req.sessionId);
    if (req.user) audit(ctx, req, 'logout');
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  });

  app.get('/password', async (req, reply) => {
    if (!req.user) return reply.redirect('/login');
    return sendPage(reply, passwordPage(pageCtx(req, reply), req.user.mustChangePassword));
  });

  app.post('/password', { preHandler: app.csrfProtection }, async (req, reply) => {
    const u = req.user;
    if (!u) return reply.redirect('/login', 303);
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const current = String(body['current'] ?? '');
    const next = String(body['next'] ?? '');
    const again = String(body['again'] ?? '');
    const fail = (msg: string) => sendPage(reply, passwordPage(pageCtx(req, reply), u.mustChangePassword, msg), 400);
    const full = ctx.users.byUsername(u.username)!;
    if (!(await verifyPassword(current, full.passwordHash))) return fail('当前密码不正确。');
    if (next !== again) return fail('两次输入的新密码不一致。');
    const problem = passwordProblem(next);
    if (problem) return fail(problem);
    if (next === current) return fail('新密码不能与当前密码相同。');
    ctx.users.setPassword(u.id, await hashPassword(next), false);
    // other sessions of the account (another browser, a shared computer) end with the old password
    ctx.sessions.deleteForUser(u.id);
    const sid = ctx.sessions.create(u.id, cfg.sessionHours * 3600_000);
    reply.setCookie(SESSION_COOKIE, sid, { path: '/', httpOnly: true, sameSite: 'strict', secure: cfg.secureCookies, maxAge: cfg.sessionHours * 3600 });
    audit(ctx, req, 'password_change');
    return reply.redirect(u.role === 'admin' ? '/admin' : '/', 303);
  });
}
