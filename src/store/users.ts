// Accounts of the web page: an administrator, and clerks scoped to a county or a township (name +
// region code). Passwords are scrypt hashes (node:crypto); wrong passwords are counted per account
// and lock it for a while.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Db } from './db.js';

export type Role = 'admin' | 'clerk';
export type ScopeLevel = 'county' | 'township';

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  scopeLevel: ScopeLevel | null;
  scopeName: string | null;
  scopeCode: string | null;
  mustChangePassword: boolean;
  disabled: boolean;
  failedLogins: number;
  lockedUntil: string | null;
  createdAt: string;
}

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  scope_level: ScopeLevel | null;
  scope_name: string | null;
  scope_code: string | null;
  password_hash: string;
  must_change_password: number;
  disabled: number;
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
}

function toUser(r: UserRow): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    scopeLevel: r.scope_level,
    scopeName: r.scope_name,
    scopeCode: r.scope_code,
    mustChangePassword: r.must_change_password === 1,
    disabled: r.disabled === 1,
    failedLogins: r.failed_logins,
    lockedUntil: r.locked_until,
    createdAt: r.created_at,
  };
}

// ---------------------------------------------------------------------------------------------
// Password hashes: scrypt$N$r$p$salt$key (base64). Async, so a login never blocks other requests.

const SCRYPT = { N: 16384, r: 8, p: 1, keyLen: 64 };

function scrypt(password: string, salt: Buffer, keyLen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password, salt, keyLen, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keyLen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, key] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const got = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** A password a person can type: 12 characters without look-alikes (0/O, 1/l/I). */
export function generatePassword(length = 12): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(length);
  let s = '';
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return s;
}

/** Chinese reason why a new password is not acceptable, or undefined. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < 8) return '新密码至少 8 位。';
  if (password.length > 128) return '新密码不能超过 128 位。';
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return '新密码须同时包含字母和数字。';
  return undefined;
}

// ---------------------------------------------------------------------------------------------

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  scopeLevel?: ScopeLevel;
  scopeName?: string;
  scopeCode?: string;
  passwordHash: string;
  mustChangePassword?: boolean;
}

export class UserStore {
  constructor(private readonly db: Db) {}

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }

  byId(id: number): User | undefined {
    const r = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return r && toUser(r);
  }

  byUsername(username: string): (User & { passwordHash: string }) | undefined {
    const r = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
    return r && { ...toUser(r), passwordHash: r.password_hash };
  }

  list(): User[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY role, scope_code, username').all() as UserRow[]).map(toUser);
  }

  create(u: NewUser): User {
    const info = this.db
      .prepare(
        `INSERT INTO users (username, display_name, role, scope_level, scope_name, scope_code, password_hash, must_change_password, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        u.username,
        u.displayName,
        u.role,
        u.scopeLevel ?? null,
        u.scopeName ?? null,
        u.scopeCode ?? null,
        u.passwordHash,
        u.mustChangePassword === false ? 0 : 1,
        new Date().toISOString(),
      );
    return this.byId(Number(info.lastInsertRowid))!;
  }

  setPassword(id: number, passwordHash: string, mustChange: boolean): void {
    this.db
      .prepare('UPDATE users SET password_hash = ?, must_change_password = ?, failed_logins = 0, locked_until = NULL WHERE id = ?')
      .run(passwordHash, mustChange ? 1 : 0, id);
  }

  setDisabled(id: number, disabled: boolean): void {
    this.db.prepare('UPDATE users SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, id);
  }

  /** Counts a wrong password; at `max` in a row the account is locked until now + lockMs. Returns true when now locked. */
  recordFailure(id: number, max: number, lockMs: number, now = new Date()): boolean {
    const u = this.byId(id);
    if (!u) return false;
    const failed = u.failedLogins + 1;
    const lock = failed >= max ? new Date(now.getTime() + lockMs).toISOString() : null;
    this.db.prepare('UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?').run(lock ? 0 : failed, lock, id);
    return lock !== null;
  }

  recordSuccess(id: number): void {
    this.db.prepare('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?').run(id);
  }

  unlock(id: number): void {
    this.recordSuccess(id);
  }
}

export function isLocked(u: Pick<User, 'lockedUntil'>, now = new Date()): boolean {
  return u.lockedUntil !== null && new Date(u.lockedUntil).getTime() > now.getTime();
}
