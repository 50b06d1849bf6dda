// Runs of the web page: a check (export files → findings, 台账) or a verify (filled 台账 + fresh
// export → 核查 workbook). A run belongs to the region of the clerk who started it; its files live
// in <dataDir>/runs/<id>/.
import { randomBytes } from 'node:crypto';
import type { Db } from './db.js';
import type { ScopeLevel } from './users.js';

export type RunKind = 'check' | 'verify';
export type RunStatus = 'draft' | 'queued' | 'running' | 'done' | 'failed';

export const RUN_STATUS_ZH: Record<RunStatus, string> = {
  draft: '待开始',
  queued: '排队中',
  running: '检查中',
  done: '已完成',
  failed: '失败',
};

/** What the upload preview found in one file. */
export interface UploadedFile {
  name: string; // as uploaded (base name)
  stored: string; // file name on disk under inputs/
  bytes: number;
  role: 'export' | 'corrections';
  preview?: { readable: boolean; error?: string; sheets: { sheet?: string; tables: string[]; dataRows: number }[] };
}

export interface RunTotals {
  findings: number;
  error: number;
  suspect: number;
  info: number;
  households: number;
  people: number;
  villages: number;
  outOfScopeRows?: number;
  /** verify runs */
  fixed?: number;
  explained?: number;
  notFixed?: number;
  pending?: number;
  newFindings?: number;
}

export interface Run {
  id: string;
  kind: RunKind;
  userId: number;
  scopeLevel: ScopeLevel;
  scopeName: string;
  scopeCode: string | null;
  asOf: string | null;
  status: RunStatus;
  failure: string | null;
  files: UploadedFile[];
  totals: RunTotals | null;
  createdAt: string;
  finishedAt: string | null;
}

interface RunRow {
  id: string;
  kind: RunKind;
  user_id: number;
  scope_level: ScopeLevel;
  scope_name: string;
  scope_code: string | null;
  as_of: string | null;
  status: RunStatus;
  failure: string | null;
  files_json: string;
  totals_json: string | null;
  created_at: string;
  finished_at: string | null;
}

function toRun(r: RunRow): Run {
  return {
    id: r.id,
    kind: r.kind,
    userId: r.user_id,
    scopeLevel: r.scope_level,
    scopeName: r.scope_name,
    scopeCode: r.scope_code,
    asOf: r.as_of,
    status: r.status,
    failure: r.failure,
    files: JSON.parse(r.files_json) as UploadedFile[],
    totals: r.totals_json ? (JSON.parse(r.totals_json) as RunTotals) : null,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}

export class RunStore {
  constructor(private readonly db: Db) {}

  static newId(): string {
    return randomBytes(12).toString('hex');
  }

  create(r: { id: string; kind: RunKind; userId: number; scopeLevel: ScopeLevel; scopeName: string; scopeCode: string | null; asOf?: string; files: UploadedFile[] }): Run {
    this.db
      .prepare(
        `INSERT INTO runs (id, kind, user_id, scope_level, scope_name, scope_code, as_of, status, files_json, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?)`,
      )
      .run(r.id, r.kind, r.userId, r.scopeLevel, r.scopeName, r.scopeCode, r.asOf ?? null, JSON.stringify(r.files), new Date().toISOString());
    return this.get(r.id)!;
  }

  get(id: string): Run | undefined {
    const r = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    return r && toRun(r);
  }

  setQueued(id: string, asOf: string | null): void {
    this.db.prepare("UPDATE runs SET status = 'queued', as_of = ? WHERE id = ?").run(asOf, id);
  }

  setAsOf(id: string, asOf: string): void {
    this.db.prepare('UPDATE runs SET as_of = ? WHERE id = ?').run(asOf, id);
  }

  setRunning(id: string): void {
    this.db.prepare("UPDATE runs SET status = 'running' WHERE id = ?").run(id);
  }

  setDone(id: string, totals: RunTotals): void {
    this.db.prepare("UPDATE runs SET status = 'done', totals_json = ?, finished_at = ? WHERE id = ?").run(JSON.stringify(totals), new Date().toISOString(), id);
  }

  setFailed(id: string, reason: string): void {
    this.db.prepare("UPDATE runs SET status = 'failed', failure = ?, finished_at = ? WHERE id = ?").run(reason, new Date().toISOString(), id);
  }

  /** Runs a region's clerks may see: the region itself and, for a county, its townships (by code prefix). */
  listForScope(scope: { level: ScopeLevel; name: string; code: string | null }, limit = 200): Run[] {
    const rows = this.db.prepare('SELECT * FROM runs ORDER BY created_at DESC LIMIT ?').all(limit * 20) as RunRow[];
    return rows.map(toRun).filter((r) => runVisibleTo(r, scope)).slice(0, limit);
  }

  /** Runs left queued or running by a previous process (it stopped): they can never finish. */
  interrupted(): Run[] {
    return (this.db.prepare("SELECT * FROM runs WHERE status IN ('queued', 'running')").all() as RunRow[]).map(toRun);
  }

  olderThan(iso: string): Run[] {
    return (this.db.prepare('SELECT * FROM runs WHERE created_at < ?').all(iso) as RunRow[]).map(toRun);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM runs WHERE id = ?').run(id);
  }
}

/**
 * A run is visible to a clerk whose scope is the run's scope, or contains it: a county's code is
 * the first 6 digits of its townships' codes (GB/T 2260 + GB/T 10114). Without codes, names must match.
 */
export function runVisibleTo(run: Pick<Run, 'scopeLevel' | 'scopeName' | 'scopeCode'>, scope: { level: ScopeLevel; name: string; code: string | null }): boolean {
  if (run.scopeLevel === scope.level && run.scopeName === scope.name && (run.scopeCode ?? '') === (scope.code ?? '')) return true;
  if (scope.level === 'county' && run.scopeLevel === 'township' && scope.code && run.scopeCode) {
    return run.scopeCode.startsWith(scope.code);
  }
  return false;
}
