// Server-side sessions: the cookie carries a random id; the database keeps only its SHA-256, so a
// copied database file does not hand out live sessions.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './db.js';

const hashId = (id: string) => createHash('sha256').update(id).digest('hex');

export class SessionStore {
  constructor(private readonly db: Db) {}

  create(userId: number, ttlMs: number, now = new Date()): string {
    const id = randomBytes(32).toString('base64url');
    this.db
      .prepare('INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(hashId(id), userId, now.toISOString(), new Date(now.getTime() + ttlMs).toISOString());
    return id;
  }

  /** The user id of a live session, or undefined. */
  userOf(id: string, now = new Date()): number | undefined {
    const r = this.db.prepare('SELECT user_id, expires_at FROM sessions WHERE id = ?').get(hashId(id)) as
      | { user_id: number; expires_at: string }
      | undefined;
    if (!r) return undefined;
    if (new Date(r.expires_at).getTime() <= now.getTime()) {
      this.delete(id);
      return undefined;
    }
    return r.user_id;
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id = ?').run(hashId(id));
  }

  deleteForUser(userId: number): void {
    this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
  }

  purgeExpired(now = new Date()): void {
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now.toISOString());
  }
}
