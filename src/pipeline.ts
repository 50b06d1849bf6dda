// The check pipeline: discover files → ingest concurrently → replay each file's rows in path order
// into the row rules and the indexes → cross rules → findings + summary. Output never depends on
// the order in which files finish reading.
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { ResolvedFinding } from './model.js';
import type { Config } from './config.js';
import type { FileAccounting } from './ingest/types.js';
import type { XlsxReaderKind } from './ingest/index.js';
import { DEFAULT_LIMITS, LimitError, raceDeadline } from './ingest/limits.js';
import { checkFile, type FileChecked, type FileJob } from './engine/file-check.js';
import { FilePool, workerScript } from './engine/file-pool.js';
import { IndexBuilder, type Indexes } from './engine/indexes.js';
import { RuleRunner, type AcceptedException, type CrossProfile, type RuleFailure } from './engine/runner.js';
import { RULES } from '../validators/index.js';
import { parseAsOf } from './core/as-of.js';
import { UsageError } from './core/errors.js';
import { buildSummary, type Summary } from './outputs/summary.js';
import { routeFindings } from './outputs/routing.js';
import { householdFacts } from './outputs/household-facts.js';
import { headNameLookup } from './outputs/head-names.js';
import { isOwnWorkbook } from './outputs/own.js';

/** How long after a file's secondsPerFile the watchdog abandons a reader that stalled. */
const WATCHDOG_GRACE_MS = 10_000;

export const INPUT_EXTENSIONS = ['.xlsx', '.xlsm', '.xls', '.et', '.csv'];

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
  /**
   * xlsx cells read by the lean reader (default) or exceljs; the environment variable
   * QINGXI_XLSX_READER=exceljs selects exceljs for a CLI run (comparisons, benchmarks)
   */
  xlsxReader?: XlsxReaderKind;
  /**
   * worker threads checking files (default 0: all in this thread; 2 uses both cores); the
   * environment variable QINGXI_THREADS sets the default for a CLI run
   */
  threads?: number;
}

export interface StageTimings {
  discoverMs: number;
  ingestMs: number; // reading + normalising + row rules (they interleave)
  crossMs: number;
  summaryMs: number;
}

/** What a check gives its outputs, however it ran (runCheck here, or county by county: src/bycounty/). */
export interface CheckOutcome {
  asOf: string;
  findings: ResolvedFinding[];
  files: FileAccounting[];
  summary: Summary;
  failures: RuleFailure[];
  timings: StageTimings;
  /** true when not a single data row could be read from any input (exit code 2) */
  nothingRead: boolean;
  /** input files recognised as qingxi's own output workbooks, not read (display names) */
  skippedOwnOutputs: string[];
  /** the 户主 name of a household (the 台账's 户主 column) */
  headOf(householdNo: string): string | undefined;
  /** where the cross stage spent its time (a by-county run: the counties' summed) */
  crossProfile?: CrossProfile;
}

export interface CheckResult extends CheckOutcome {
  indexes: Indexes;
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

export async function runCheck(opts: CheckOptions): Promise<CheckResult> {
  const t0 = Date.now();
  const found = await discoverFiles(opts.paths);
  if (opts.displayPrefix) for (const f of found) f.display = opts.displayPrefix + f.display;
  // the tool never reads what it wrote (a 整改台账 left in the input folder by an earlier run)
  // (a few at a time: a province's inbox holds thousands of files, each peek opens one)
  const peek = pLimit(8);
  const own = await Promise.all(found.map((f) => (/\.xls[xm]$/i.test(f.abs) ? peek(() => isOwnWorkbook(f.abs)) : Promise.resolve(false))));
  const files = found.filter((_, i) => !own[i]);
  const skippedOwnOutputs = found.filter((_, i) => own[i]).map((f) => f.display);
  if (skippedOwnOutputs.length > 0) opts.logger?.info({ event: 'own_outputs_skipped', files: skippedOwnOutputs.length }, 'own outputs skipped');
  const t1 = Date.now();
  const asOf = parseAsOf(opts.asOf);
  const runner = new RuleRunner(RULES, opts.config, asOf, { accepted: opts.accepted });
  const builder = new IndexBuilder();
  const limit = pLimit(Math.max(1, opts.concurrency ?? 2));
  const xlsxReader: XlsxReaderKind = opts.xlsxReader ?? (process.env['QINGXI_XLSX_READER'] === 'exceljs' ? 'exceljs' : 'lean');
  const buffers: (FileChecked | undefined)[] = files.map(() => undefined);
  const accounting: FileAccounting[] = [];
  let next = 0; // next file index to replay
  let filesDone = 0;
  let rowsRead = 0;
  const progressRows = new Map<number, number>();
  const report = () =>
    opts.onProgress?.({ filesDone, filesTotal: files.length, rowsRead: rowsRead + sum(progressRows.values()) });

  // Merge finished files strictly in path order, so indexes and findings are deterministic (and the
  // same whether files were checked in worker threads or here).
  const drain = () => {
    while (next < files.length && buffers[next]) {
      const b = buffers[next]!;
      runner.adopt(b.findings, b.failures);
      for (const r of b.rows) builder.add(r);
      accounting.push(b.accounting);
      buffers[next] = undefined; // release the rows
      next++;
    }
  };

  // both cores: files read, normalised and row-checked in worker threads. Off by default: measured
  // at 200,000 members it is no faster (every normalised row is cloned back to this thread, which
  // then does as much work as it saved) and peaks higher (docs/benchmarks.md runs 6–7);
  // it pays once only compact cross-rule columns cross (docs/architecture.md "Scale")
  const threads = Math.min(files.length, opts.threads ?? (process.env['QINGXI_THREADS'] !== undefined ? Number(process.env['QINGXI_THREADS']) : 0));
  const script = threads > 1 ? workerScript() : undefined;
  const pool = script ? new FilePool(script, threads) : undefined;
  try {
    await Promise.all(
      files.map((f, i) =>
        limit(async () => {
          const log = opts.logger?.child({ file: f.display });
          log?.debug({ event: 'file_start' }, 'reading file');
          const job: FileJob = { abs: f.abs, display: f.display, asOf: opts.asOf, config: opts.config, xlsxReader, ...(opts.accepted ? { accepted: opts.accepted } : {}) };
          // once the watchdog gave up on the file, whatever its reader still sends is dropped
          let live = true;
          const progress = (n: number) => {
            if (!live) return;
            progressRows.set(i, n);
            report();
          };
          const limits = opts.config.limits ?? DEFAULT_LIMITS;
          const abandon = new AbortController();
          let res: FileChecked;
          try {
            res = await raceDeadline(
              pool ? pool.check(job, progress, abandon.signal) : checkFile(job, progress),
              // the in-stream checks fire first for a file that is slow but moving
              limits.secondsPerFile * 1000 + WATCHDOG_GRACE_MS,
              () => {
                live = false;
                abandon.abort(); // a worker stuck on the file is replaced
                const e = new LimitError('secondsPerFile', limits.secondsPerFile, '');
                log?.error({ event: 'file_stalled' }, 'file reading stalled: abandoned');
                const single = new RuleRunner(RULES, opts.config, asOf, { accepted: opts.accepted });
                single.emit({ rule: 'FILE-04', code: 'limit', at: { file: f.display }, params: { limit: e.kind, value: e.limit, reason: `${e.message}${e.advice}` } });
                return { accounting: { file: f.display, format: 'unknown', readable: false, error: e.message, sheets: [] }, rows: [], findings: single.resolved(), failures: [] };
              },
            );
          } catch (e) {
            // ingest promises never to throw on a user's file; if it does, the file is reported, not lost
            log?.error({ event: 'ingest_failed', err: (e as Error).message }, 'ingest failed');
            const fallback = new RuleRunner(RULES, opts.config, asOf, { accepted: opts.accepted });
            fallback.emit({ rule: 'FILE-04', at: { file: f.display } });
            res = { accounting: { file: f.display, format: 'unknown', readable: false, error: '内部错误', sheets: [] }, rows: [], findings: fallback.resolved(), failures: [] };
          }
          const acc = res.accounting;
          for (const r of res.rowErrors ?? []) log?.error({ event: 'row_failed', sheet: r.at.sheet, row: r.at.row, err: r.error }, 'a row broke a cell parser: skipped and reported');
          buffers[i] = res;
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
  } finally {
    await pool?.close();
  }
  drain();
  const t2 = Date.now();
  const ix = builder.finish();
  runner.cross(ix);
  // which 整改台账 each finding goes to (a helper's findings: every township of the households paired with the helper)
  const findings = routeFindings(runner.findings(), ix);
  const t3 = Date.now();
  const timings: StageTimings = { discoverMs: t1 - t0, ingestMs: t2 - t1, crossMs: t3 - t2, summaryMs: 0 };
  const summary = buildSummary({ asOf: opts.asOf, files: accounting, findings, households: householdFacts(ix), rules: RULES, failures: runner.failures });
  timings.summaryMs = Date.now() - t3;
  summary.timings = { ...timings };
  summary.crossProfile = runner.crossProfile;
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
    skippedOwnOutputs,
    headOf: lazyHeadOf(ix),
    crossProfile: runner.crossProfile,
  };
}

/** headNameLookup, built on first use (most runs' callers never ask). */
function lazyHeadOf(ix: Indexes): (householdNo: string) => string | undefined {
  let lookup: ((no: string) => string | undefined) | undefined;
  return (no) => (lookup ??= headNameLookup(ix))(no);
}

function sum(it: Iterable<number>): number {
  let s = 0;
  for (const x of it) s += x;
  return s;
}
