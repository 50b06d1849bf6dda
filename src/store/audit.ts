// Audit log: who uploaded, downloaded and verified what, from which address.
import type { Db } from './db.js';

export type AuditAction = 'login' | 'login_failed' | 'logout' | 'upload' | 'check_start' | 'download' | 'verify' | 'user_create' | 'user_disable' | 'user_enable' | 'password_change' | 'password_reset' | 'retention_delete';

export const AUDIT_ACTION_ZH: Record<AuditAction, string> = {
  login: '登录',
  login_failed: '登录失败',
  logout: '退出',
  upload: '上传',
  check_start: '开始检查',
  download: '下载',
  verify: '检验核查',
  user_create: '创建账号',
  user_disable: '停用账号',
  user_enable: '启用账号',
  password_change: '修改密码',
  password_reset: '重置密码',
  retention_delete: '到期删除',
};

export interface AuditEntry {
  id: number;
  at: string;
  userId: number | null;
  username: string | null;
  action: AuditAction;
  runId: string | null;
  detail: string | null;
  address: string | null;
}

export class AuditLog {
  constructor(private readonly db: Db) {}

  record(e: { userId?: number; username?: string; action: AuditAction; runId?: string; detail?: string; address?: string }): void {
    this.db
      .prepare('INSERT INTO audit_log (at, user_id, username, action, run_id, detail, address) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(new Date().toISOString(), e.userId ?? null, e.username ?? null, e.action, e.runId ?? null, e.detail ?? null, e.address ?? null);
  }

  recent(limit = 200): AuditEntry[] {
    const rows = this.db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(limit) as {
      id: number;
      at: string;
      user_id: number | null;
      username: string | null;
      action: AuditAction;
      run_id: string | null;
      detail: string | null;
      address: string | null;
    }[];
    return rows.map((r) => ({ id: r.id, at: r.at, userId: r.user_id, username: r.username, action: r.action, runId: r.run_id, detail: r.detail, address: r.address }));
  }
}
