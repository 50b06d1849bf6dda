// Every schema change of the SQLite file, in order. APPEND ONLY: never edit or reorder an entry
// that has shipped — add a new one with the next version number. `up` is SQL or a function that
// receives the open database (both run inside a transaction, see db.ts).
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  up: string | ((db: Database.Database) => void);
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'serve: users and sessions',
    up: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'clerk')),
        scope_level TEXT CHECK (scope_level IN ('county', 'township')),
        scope_name TEXT,
        scope_code TEXT,
        password_hash TEXT NOT NULL,
        must_change_password INTEGER NOT NULL DEFAULT 1,
        disabled INTEGER NOT NULL DEFAULT 0,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        created_at TEXT NOT NULL
      );
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX sessions_user ON sessions(user_id);
    `,
  },
  {
    version: 2,
    name: 'serve: runs and audit log',
    up: `
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('check', 'verify')),
        user_id INTEGER NOT NULL REFERENCES users(id),
        scope_level TEXT NOT NULL,
        scope_name TEXT NOT NULL,
        scope_code TEXT,
        as_of TEXT,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
        failure TEXT,
        files_json TEXT NOT NULL,
        totals_json TEXT,
        created_at TEXT NOT NULL,
        finished_at TEXT
      );
      CREATE INDEX runs_scope ON runs(scope_level, scope_name, created_at);
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id INTEGER,
        username TEXT,
        action TEXT NOT NULL,
        run_id TEXT,
        detail TEXT,
        address TEXT
      );
      CREATE INDEX audit_at ON audit_log(at);
    `,
  },
];
