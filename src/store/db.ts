// The SQLite file behind `serve` (and the provincial ledger): open it, then bring its schema up to
// date with the ordered migrations of migrations.ts. Each migration runs in its own transaction and
// is recorded in `schema_migrations`, so a half-applied migration never stays behind.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations.js';

export type Db = Database.Database;

export interface OpenDbOptions {
  /** migrations to apply (default: the project's list); tests may pass their own */
  migrations?: readonly Migration[];
  readonly?: boolean;
}

/** Opens (creating if needed) the database file and applies every pending migration. ':memory:' works too. */
export function openDb(file: string, opts: OpenDbOptions = {}): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { readonly: opts.readonly ?? false });
  if (!opts.readonly) {
    // WAL lets the page handlers read while a worker's results are being written
    if (file !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, opts.migrations ?? MIGRATIONS);
  }
  return db;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** Applies the migrations not yet recorded, in version order. Returns the versions applied. */
export function migrate(db: Db, migrations: readonly Migration[]): number[] {
  checkOrder(migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const done = new Map<number, string>();
  for (const r of db.prepare('SELECT version, name FROM schema_migrations').all() as { version: number; name: string }[]) {
    done.set(r.version, r.name);
  }
  const known = new Set(migrations.map((m) => m.version));
  for (const v of done.keys()) {
    // a database written by a newer program: refuse rather than guess at its schema
    if (!known.has(v)) throw new MigrationError(`database has migration ${v} (${done.get(v)}) that this program does not know`);
  }
  const applied: number[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations) {
    if (done.has(m.version)) {
      if (done.get(m.version) !== m.name) {
        throw new MigrationError(`migration ${m.version} is recorded as "${done.get(m.version)}" but the program calls it "${m.name}"`);
      }
      continue;
    }
    db.transaction(() => {
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
      record.run(m.version, m.name, new Date().toISOString());
    })();
    applied.push(m.version);
  }
  return applied;
}

function checkOrder(migrations: readonly Migration[]): void {
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version <= migrations[i - 1]!.version) {
      throw new MigrationError(`migrations out of order at version ${migrations[i]!.version}`);
    }
  }
}

export type { Migration };
