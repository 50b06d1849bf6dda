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
        status TEXT NOT NULL CHECK (status IN ('draft', 'queued', 'running', 'done', 'failed')),
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
  {
    version: 3,
    name: 'nightly: finding ledger',
    // The provincial finding ledger (src/store/ledger.ts). ledger_undo holds the before-images of
    // the latest run's changes only, so re-running that date replaces it exactly (idempotent).
    up: `
      CREATE TABLE ledger_runs (
        run_date TEXT PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        units_json TEXT NOT NULL,
        missing_json TEXT NOT NULL,
        totals_json TEXT NOT NULL
      );
      CREATE TABLE ledger_findings (
        fingerprint TEXT PRIMARY KEY,
        rule TEXT NOT NULL,
        family TEXT NOT NULL,
        severity TEXT NOT NULL,
        title TEXT NOT NULL,
        message TEXT NOT NULL,
        unit TEXT NOT NULL,
        county TEXT NOT NULL,
        township TEXT NOT NULL,
        village TEXT NOT NULL,
        household_no TEXT NOT NULL,
        source TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'fixed', 'accepted', 'reopened')),
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        open_since TEXT NOT NULL,
        fixed_on TEXT,
        status_on TEXT NOT NULL
      );
      CREATE INDEX ledger_findings_status ON ledger_findings(status);
      CREATE INDEX ledger_findings_place ON ledger_findings(county, township);
      CREATE TABLE ledger_events (
        run_date TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('new', 'fixed', 'reopened', 'accepted', 'unaccepted')),
        status TEXT NOT NULL,
        PRIMARY KEY (fingerprint, run_date)
      ) WITHOUT ROWID;
      CREATE INDEX ledger_events_run ON ledger_events(run_date);
      CREATE TABLE ledger_undo (
        run_date TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        before_json TEXT,
        PRIMARY KEY (fingerprint)
      ) WITHOUT ROWID;
      CREATE TABLE ledger_townships (
        run_date TEXT NOT NULL,
        unit TEXT NOT NULL,
        county TEXT NOT NULL,
        township TEXT NOT NULL,
        present INTEGER NOT NULL,
        households INTEGER,
        people INTEGER,
        score INTEGER,
        open_error INTEGER NOT NULL,
        open_suspect INTEGER NOT NULL,
        open_info INTEGER NOT NULL,
        open_by_family_json TEXT NOT NULL,
        new_count INTEGER NOT NULL,
        fixed_count INTEGER NOT NULL,
        reopened_count INTEGER NOT NULL,
        accepted_count INTEGER NOT NULL,
        oldest_open_days INTEGER,
        PRIMARY KEY (run_date, unit, county, township)
      ) WITHOUT ROWID;
    `,
  },
];
