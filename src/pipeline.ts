// The check pipeline: discover files → ingest concurrently → replay each file's rows in path order
// into the row rules and the indexes → cross rules → findings + summary. Output never depends on
// the order in which files finish reading.
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { Finding, NormalRow, ResolvedFinding } from './model.js';
import type { Config } from './config.js';
import type { FileAccounting } from './ingest/types.js';
import { ingestFile } from './ingest/index.js';
import { IndexBuilder, type Indexes } from './engine/indexes.js';
import { RuleRunner, type AcceptedException, type RuleFailure } from './engine/runner.js';
import { RULES } from '../validators/index.js';
import { buildSummary, type Summary } from './outputs/summary.js';
import { routeFindings } from './outputs/routing.js';

export const INPUT_EXTENSIONS = ['.xlsx', '.xlsm', '.xls', '.csv'];

export interface Progress {
  filesDone: number;
  filesTotal: number;
  rowsRead: number;
}

export interface CheckOptions {
  paths: string[];
  asOf: string;
  config: Config;
  accepted?: ReadonlyMap<string, AcceptedException> | ReadonlySet<string>;
  /** files read at once (default 2: the machines have two cores) */
  concurrency?: number;
  onProgress?: (p: Progress) => void;
  logger?: Logger;
  /** prepended to every file's display name (the nightly names files by their county folder) */
  displayPrefix?: string;
}

export interface StageTimings {
  discoverMs: number;
  ingestMs: number; // reading + normalising + row rules (they interleave)
  crossMs: number;
  summaryMs: number;
}

export interface CheckResult {
  asOf: string;
  findings: ResolvedFinding[];
  files: FileAccounting[];
  indexes: Indexes;
  summary: Summary;
  failures: RuleFailure[];
  timings: StageTimings;
  /** true when not a single data row could be read from any input (exit code 2) */
  nothingRead: boolean;
}

export interface InputFile {
  abs: string;
  display: string; // name used in findings: relative to the folder given, '/' separated
}

function isInputName(name: string): boolean {
  if (name.startsWith('~$') || name.startsWith('.')) return false; // Office lock files, hidden files
  const lower = name.toLowerCase();
  return INPUT_EXTENSIONS.some((e) => lower.endsWith(e));
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!e.name.startsWith('.') && e.name !== 'node_modules') await walk(p, out);
    } else if (e.isFile() && isInputName(e.name)) out.push(p);
  }
}

/** Files to read, sorted, with display names. A missing path is a usage error (thrown). */
export async function discoverFiles(paths: string[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  const many = paths.length > 1;
  for (const p of paths) {
    const abs = resolve(p);
    let st;
    try {
      st = await stat(abs);
    } catch {
      throw new UsageError(`找不到输入：${p}`);
    }
    if (st.isDirectory()) {
      const files: string[] = [];
      await walk(abs, files);
      const prefix = many ? basename(abs) + '/' : '';
      for (const f of files) out.push({ abs: f, display: prefix + relative(abs, f).split(sep).join('/') });
    } else {
      out.push({ abs, display: many ? relative(dirname(abs), abs) : basename(abs) });
    }
  }
  out.sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
  // the same file given twice is read once
  return out.filter((f, i) => i === 0 || f.abs !== out[i - 1]!.abs);
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

interface Buffered {
  events: (NormalRow | Finding)[];
  accounting?: FileAccounting;
}

function isRow(e: NormalRow | Finding): e is NormalRow {
  return (e as NormalRow).sheet !== undefined && (e as NormalRow).v !== undefined;
}

export async function runCheck(opts: CheckOptions): Promise<CheckResult> {
  const t0 = Date.now();
  const files = await discoverFiles(opts.paths);
  if (opts.displayPrefix) for (const f of files) f.display = opts.displayPrefix + f.display;
  const t1 = Date.now();
  const runner = new RuleRunner(RULES, opts.config, opts.asOf, { accepted: opts.accepted });
  const builder = new IndexBuilder();
  const limit = pLimit(Math.max(1, opts.concurrency ?? 2));
  const buffers: (Buffered | undefined)[] = files.map(() => undefined);
  const accounting: FileAccounting[] = [];
  let next = 0; // next file index to replay
  let filesDone = 0;
  let rowsRead = 0;
  const progressRows = new Map<number, number>();
  const report = () =>
    opts.onProgress?.({ filesDone, filesTotal: files.length, rowsRead: rowsRead + sum(progressRows.values()) });

  // Replay finished files strictly in path order, so indexes and findings are deterministic.
  const drain = () => {
    while (next < files.length && buffers[next]?.accounting) {
      const b = buffers[next]!;
      for (const e of b.events) {
        if (isRow(e)) {
          runner.row(e);
          builder.add(e);
        } else runner.emit(e);
      }
      accounting.push(b.accounting!);
      buffers[next] = undefined; // release the buffer
      next++;
    }
  };

  await Promise.all(
    files.map((f, i) =>
      limit(async () => {
        const buf: Buffered = { events: [] };
        buffers[i] = buf;
        const log = opts.logger?.child({ file: f.display });
        log?.debug({ event: 'file_start' }, 'reading file');
        let acc: FileAccounting;
        try {
          acc = await ingestFile(f.abs, f.display, {
            row: (r) => buf.events.push(r),
            finding: (x) => buf.events.push(x),
            progress: (n) => {
              progressRows.set(i, n);
              report();
            },
          });
        } catch (e) {
          // ingest promises never to throw on a user's file; if it does, the file is reported, not lost
          log?.error({ event: 'ingest_failed', err: (e as Error).message }, 'ingest failed');
          buf.events.push({
            rule: 'FILE-04',
            at: { file: f.display },
            params: { message: `文件“${f.display}”读取时发生内部错误，未能检查，请联系技术支持。` },
          });
          acc = { file: f.display, format: 'unknown', readable: false, error: '内部错误', sheets: [] };
        }
        buf.accounting = acc;
        progressRows.delete(i);
        rowsRead += acc.sheets.reduce((s, x) => s + x.physicalRows, 0);
        filesDone++;
        log?.info(
          { event: 'file_done', readable: acc.readable, sheets: acc.sheets.length, rows: acc.sheets.reduce((s, x) => s + x.buckets.data, 0) },
          'file read',
        );
        report();
        drain();
      }),
    ),
  );
  drain();
  const t2 = Date.now();
  const ix = builder.finish();
  runner.cross(ix);
  // which 整改台账 each finding goes to (a helper's findings: every township of the households paired with the helper)
  const findings = routeFindings(runner.findings(), ix);
  const t3 = Date.now();
  const timings: StageTimings = { discoverMs: t1 - t0, ingestMs: t2 - t1, crossMs: t3 - t2, summaryMs: 0 };
  const summary = buildSummary({ asOf: opts.asOf, files: accounting, findings, indexes: ix, rules: RULES, failures: runner.failures });
  timings.summaryMs = Date.now() - t3;
  summary.timings = { ...timings };
  for (const fail of runner.failures) opts.logger?.error({ event: 'rule_failed', rule: fail.rule, stage: fail.stage, err: fail.error }, 'rule failed');
  const dataRows = accounting.reduce((s, a) => s + a.sheets.reduce((t, x) => t + x.buckets.data, 0), 0);
  return {
    asOf: opts.asOf,
    findings,
    files: accounting,
    indexes: ix,
    summary,
    failures: runner.failures,
    timings,
    nothingRead: dataRows === 0,
  };
}

function sum(it: Iterable<number>): number {
  let s = 0;
  for (const x of it) s += x;
  return s;
}
