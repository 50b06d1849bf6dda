import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openDb, MigrationError, type Migration } from '../../src/store/db.js';
import { MIGRATIONS } from '../../src/store/migrations.js';

describe('openDb + migrations', () => {
  it('applies the project migrations once and records them', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'qx-db-')), 'state.sqlite');
    const db = openDb(file);
    const rows = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    db.close();
    // reopening applies nothing new
    const again = openDb(file);
    expect(migrate(again, MIGRATIONS)).toEqual([]);
    again.close();
  });

  it('runs a failing migration in a transaction: nothing of it stays, and it is not recorded', () => {
    const db = openDb(':memory:', { migrations: [] });
    const list: Migration[] = [
      { version: 1, name: 'a', up: 'CREATE TABLE a (x INTEGER)' },
      { version: 2, name: 'b', up: (d) => { d.exec('CREATE TABLE b (x INTEGER)'); throw new Error('boom'); } },
    ];
    expect(() => migrate(db, list)).toThrow('boom');
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toContain('a');
    expect(tables).not.toContain('b');
    expect((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version)).toEqual([1]);
    // appending a fixed version 2 later applies only it
    expect(migrate(db, [list[0]!, { version: 2, name: 'b', up: 'CREATE TABLE b (x INTEGER)' }])).toEqual([2]);
  });

  it('refuses a database that has a migration this program does not know, and an out-of-order list', () => {
    const db = openDb(':memory:', { migrations: [{ version: 1, name: 'a', up: 'SELECT 1' }, { version: 2, name: 'b', up: 'SELECT 1' }] });
    expect(() => migrate(db, [{ version: 1, name: 'a', up: 'SELECT 1' }])).toThrow(MigrationError);
    expect(() => migrate(db, [{ version: 2, name: 'b', up: 'SELECT 1' }, { version: 1, name: 'a', up: 'SELECT 1' }])).toThrow(MigrationError);
  });
});
