// A province end to end (issue 15): `npm run bench -- --province [--members N[,N…]] [--format csv|xlsx|both]
// [--counties N] [--pairings N] [--projects N] [--heap-mib M] [--time-cap-min T] [--floor-counties K]
// [--no-duckdb] [--keep] [--json] [--json-out FILE]`.
//
// For each size: generates the province (scripts/province-gen.ts), measures the bare reader floors
// over the first K counties' files (csv-parse, exceljs streaming, our lean reader; each in its own
// child), runs `qingxi check` over the whole province as a guarded child (heap capped with
// --max-old-space-size, a wall-time cap, under /usr/bin/time -v: a run that dies of memory or is
// stopped is reported with how far it got, not thrown), runs the relational checks in DuckDB over
// the same CSV rows (scripts/bench-duckdb.ts) and compares its counts with ours and with what the
// generator planted. With several sizes (`--members 200000,1000000`) it ends with a scale table.
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { childJson, type FloorResult } from './bench.js';
import type { DuckdbCheck, DuckdbResult } from './bench-duckdb.js';
import { DUCKDB_CHECKS } from './bench-duckdb.js';
import type { CrossProfile } from '../src/engine/runner.js';
import { generateProvince, type ProvinceFormat, type ProvinceResult } from './province-gen.js';

const AS_OF = '2020-04-30';
/** The repository root, from dist/scripts (the bench) or scripts (tests). */
function repoRoot(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'package.json')) && dirname(d) !== d) d = dirname(d);
  return d;
}
const CLI = join(repoRoot(), 'bin/qingxi.js');
const TIME = '/usr/bin/time';

export interface ProvinceArgs {
  members: number[];
  formats: ProvinceFormat[];
  counties?: number;
  pairings?: number;
  projects?: number;
  heapMiB: number;
  timeCapMinutes: number;
  floorCounties: number;
  duckdb: boolean;
  keep: boolean;
  json: boolean;
  /** also write the JSON (all sizes so far) to this file after each size */
  jsonOut?: string;
  /** `qingxi check --by-county` (default), or the whole folder at once (`--whole`) */
  byCounty: boolean;
  /**
   * the relational checks compared on one core as well (default): the CSV set checked again one
   * county at a time (`--threads 1`) and DuckDB run with one thread; `--no-one-core` skips both
   */
  oneCore: boolean;
}

const USAGE =
  '用法：npm run bench -- --province [--members N[,N…]] [--format csv|xlsx|both] [--counties N] [--pairings N] [--projects N] ' +
  '[--heap-mib M] [--time-cap-min T] [--floor-counties K] [--whole] [--no-duckdb] [--no-one-core] [--keep] [--json] [--json-out FILE]';

export function parseProvinceArgs(argv: string[]): ProvinceArgs {
  const a: ProvinceArgs = { members: [10_000_000], formats: ['csv', 'xlsx'], heapMiB: 6144, timeCapMinutes: 40, floorCounties: 3, duckdb: true, keep: false, json: false, byCounty: true, oneCore: true };
  const num = (s: string | undefined, what: string): number => {
    const n = Number((s ?? '').replace(/_/g, ''));
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${what}应为正数：${s ?? '（缺失）'}（${USAGE}）`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const s = argv[i]!;
    if (s === '--members') a.members = (argv[++i] ?? '').split(',').map((x) => Math.round(num(x, '成员行数')));
    else if (s === '--format') {
      const f = argv[++i];
      if (f === 'both') a.formats = ['csv', 'xlsx'];
      else if (f === 'csv' || f === 'xlsx') a.formats = [f];
      else throw new Error(`--format 应为 csv、xlsx 或 both：${f ?? '（缺失）'}`);
    } else if (s === '--counties') a.counties = Math.round(num(argv[++i], '县的个数'));
    else if (s === '--pairings') a.pairings = Math.round(num(argv[++i], '结对行数'));
    else if (s === '--projects') a.projects = Math.round(num(argv[++i], '项目数'));
    else if (s === '--heap-mib') a.heapMiB = Math.round(num(argv[++i], '堆上限'));
    else if (s === '--time-cap-min') a.timeCapMinutes = num(argv[++i], '时间上限');
    else if (s === '--floor-counties') a.floorCounties = Math.round(num(argv[++i], '下限测量的县数'));
    else if (s === '--no-duckdb') a.duckdb = false;
    else if (s === '--no-one-core') a.oneCore = false;
    else if (s === '--whole') a.byCounty = false;
    else if (s === '--keep') a.keep = true;
    else if (s === '--json') a.json = true;
    else if (s === '--json-out') a.jsonOut = argv[++i];
    else throw new Error(`未知参数：${s}（${USAGE}）`);
  }
  return a;
}

// ---------------------------------------------------------------------------------------------
// the guarded check

export type CheckStatus = 'ok' | 'oom' | 'killed' | 'timeout' | 'failed';

export interface GuardedCheck {
  format: ProvinceFormat;
  /** checked with --by-county, or the whole folder at once */
  byCounty: boolean;
  /** counties checked at once (`--threads`), when not the CLI's default */
  threads?: number;
  status: CheckStatus;
  /** the reason in a line, when not ok */
  detail?: string;
  exitCode: number | null;
  wallSeconds: number;
  peakRssMiB: number | null;
  heapMiB: number;
  /** files read so far and their data rows (from the CLI's `file_done` log lines) */
  filesDone: number;
  filesTotal: number;
  rowsRead: number;
  /** RSS of the check when its last file was read (/proc), MiB */
  rssAtLastFileMiB: number | null;
  /** highest RSS seen by sampling /proc every 2 s (the figure left when time(1) is killed with the check) */
  rssSampledMaxMiB: number | null;
  /** complete run only: summary.json figures */
  dataRows?: number;
  rowsPerSecond?: number;
  timings?: Record<string, number>;
  /** summary.json crossProfile (by-county: the counties' summed) */
  crossProfile?: CrossProfile;
  ruleCounts?: Record<string, number>;
  /** rules that failed inside the check (its `rule_failed` log lines: rule, stage, error) */
  ruleFailures?: string[];
  /** ID-08 findings whose places lie in two or more counties (from findings.jsonl) */
  id08CrossCounty?: number;
  findings?: number;
}

function rssOfChildOf(pid: number): number | null {
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    const target = kids.length > 0 ? Number(kids[0]) : pid;
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${target}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** `qingxi check DIR` with a heap cap and a time cap; never throws for the check's own failure. */
export async function guardedCheck(
  format: ProvinceFormat,
  dir: string,
  outDir: string,
  filesTotal: number,
  opts: { heapMiB: number; timeCapMs: number; log: (s: string) => void; byCounty?: boolean; threads?: number },
): Promise<GuardedCheck> {
  const timed = existsSync(TIME);
  const byCounty = opts.byCounty ?? false;
  const threads = byCounty ? opts.threads : undefined;
  const nodeArgs = [
    `--max-old-space-size=${opts.heapMiB}`,
    CLI,
    'check',
    dir,
    '--out',
    outDir,
    '--as-of',
    AS_OF,
    ...(byCounty ? ['--by-county'] : []),
    ...(threads !== undefined ? ['--threads', String(threads)] : []),
  ];
  const t0 = performance.now();
  // its own process group, so the time cap stops time(1) and node together
  const child = timed
    ? spawn(TIME, ['-v', process.execPath, ...nodeArgs], { stdio: ['ignore', 'ignore', 'pipe'], detached: true })
    : spawn(process.execPath, nodeArgs, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let filesDone = 0;
  let rowsRead = 0;
  let rssAtLastFileMiB: number | null = null;
  const tail: string[] = [];
  const ruleFailures: string[] = [];
  let timedOut = false;
  const lines = createInterface({ input: child.stderr! });
  lines.on('line', (line) => {
    // a whole-folder run logs each file; a run county by county each county (files and data rows)
    const county = line.includes('"event":"county_done"');
    if (line.includes('"event":"file_done"') || county) {
      filesDone += county ? Number(/"files":(\d+)/.exec(line)?.[1] ?? 0) : 1;
      const m = /"rows":(\d+)/.exec(line);
      if (m) rowsRead += Number(m[1]);
      rssAtLastFileMiB = rssOfChildOf(child.pid!);
      if (county || filesDone % 50 === 0) opts.log(`    已读 ${filesDone}/${filesTotal} 个文件，${rowsRead.toLocaleString('en-US')} 行，${((performance.now() - t0) / 1000).toFixed(0)} s，内存 ${rssAtLastFileMiB ?? '—'} MiB`);
      return;
    }
    if (line.includes('"event":"rule_failed"')) {
      try {
        const e = JSON.parse(line) as { rule?: string; stage?: string; err?: string };
        ruleFailures.push(`${e.rule}（${e.stage}）：${String(e.err).slice(0, 200)}`);
      } catch {
        ruleFailures.push(line.slice(0, 300));
      }
      return;
    }
    // time(1)'s report, V8's fatal messages and the CLI's error lines
    tail.push(line);
    if (tail.length > 120) tail.shift();
  });
  let rssSampledMaxMiB: number | null = null;
  const sampler = setInterval(() => {
    const r = rssOfChildOf(child.pid!);
    if (r !== null && (rssSampledMaxMiB === null || r > rssSampledMaxMiB)) rssSampledMaxMiB = r;
  }, 2000);
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, opts.timeCapMs);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((res) => child.on('close', (c, s) => res([c, s])));
  clearTimeout(timer);
  clearInterval(sampler);
  const wallSeconds = (performance.now() - t0) / 1000;
  const text = tail.join('\n');
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
  const termSignal = /Command terminated by signal (\d+)/.exec(text);
  const exitStatus = /Exit status: (\d+)/.exec(text);
  const exitCode = exitStatus ? Number(exitStatus[1]) : code;
  const base: GuardedCheck = {
    format,
    byCounty,
    ...(threads !== undefined ? { threads } : {}),
    status: 'ok',
    exitCode,
    wallSeconds,
    peakRssMiB: rss ? Math.round(Number(rss[1]) / 1024) : null,
    heapMiB: opts.heapMiB,
    filesDone,
    filesTotal,
    rowsRead,
    rssAtLastFileMiB,
    rssSampledMaxMiB,
    ...(ruleFailures.length ? { ruleFailures } : {}),
  };
  const where = filesDone < filesTotal ? `读取中（已读 ${filesDone}/${filesTotal} 个文件）` : '全部文件读完之后（交叉规则或输出阶段）';
  if (timedOut) return { ...base, status: 'timeout', detail: `超过时间上限 ${(opts.timeCapMs / 60000).toFixed(0)} 分钟，已终止；${where}` };
  if (/heap out of memory|Allocation failed|FATAL ERROR: .*[Hh]eap/.test(text))
    return { ...base, status: 'oom', detail: `堆内存超过 --max-old-space-size=${opts.heapMiB}；${where}` };
  if (termSignal || signal) return { ...base, status: 'killed', detail: `进程被信号 ${termSignal?.[1] ?? signal} 终止（可能是系统内存不足）；${where}` };
  const summaryPath = join(outDir, 'summary.json');
  if (!existsSync(summaryPath)) {
    return { ...base, status: 'failed', detail: `退出码 ${exitCode}：${text.split('\n').filter((l) => !/^\s/.test(l)).slice(-3).join(' | ').slice(0, 400)}` };
  }
  // exit 3 with outputs written: rules failed inside the check, the figures still stand
  if (exitCode !== 0 && exitCode !== 1) {
    base.status = 'failed';
    base.detail = `退出码 ${exitCode}，输出已写出；${ruleFailures.length ? `规则运行失败：${ruleFailures.join('；')}` : '见日志'}`;
  }
  const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as {
    totals: { dataRows: number; findings: number };
    timings?: Record<string, number>;
    crossProfile?: CrossProfile;
    rules: { rule: string; error: number; suspect: number; info: number }[];
  };
  const ruleCounts: Record<string, number> = {};
  for (const r of summary.rules) ruleCounts[r.rule] = r.error + r.suspect + r.info;
  return {
    ...base,
    dataRows: summary.totals.dataRows,
    rowsPerSecond: summary.totals.dataRows / wallSeconds,
    ...(summary.timings ? { timings: summary.timings } : {}),
    ...(summary.crossProfile ? { crossProfile: summary.crossProfile } : {}),
    ruleCounts,
    id08CrossCounty: await countCrossCountyId08(join(outDir, 'findings.jsonl')),
    findings: summary.totals.findings,
  };
}

/** Our rules behind DuckDB's queries (scripts/bench-duckdb.ts DUCKDB_CHECKS, cross-county ID-08 included). */
export const SAME_CHECK_RULES = ['ID-08', 'BASE-04', 'PAIR-01', 'PAIR-03', 'PAIR-07', 'PAIR-08', 'PAIR-09'] as const;

/**
 * Milliseconds our cross stage spent on the checks DuckDB also runs: those rules' hooks (their
 * findings made and resolved), every derived index they use, directly or through another index,
 * each once, and `acrossMs` (a by-county run's across-county checks, which serve ID-08).
 */
export function sameChecksMs(profile: CrossProfile, acrossMs = 0): number {
  let ms = acrossMs;
  const indexes = new Set<string>();
  const visit = (name: string) => {
    if (indexes.has(name)) return;
    indexes.add(name);
    for (const u of profile.indexes[name]?.uses ?? []) visit(u);
  };
  for (const id of SAME_CHECK_RULES) {
    const r = profile.rules[id];
    if (!r) continue;
    ms += r.ms;
    for (const u of r.uses) visit(u);
  }
  for (const name of indexes) ms += profile.indexes[name]?.ms ?? 0;
  return ms;
}

/** ID-08 findings whose message names two or more counties (`涉及N户、M个县`). */
async function countCrossCountyId08(path: string): Promise<number> {
  let n = 0;
  const lines = createInterface({ input: createReadStream(path, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of lines) if (line.startsWith('{"rule":"ID-08"') && /、\d+个县）/.test(line)) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------
// one size

export interface AgreementRow {
  check: DuckdbCheck;
  planted: number;
  ours: Partial<Record<ProvinceFormat, number>>;
  duckdb: number | null;
  agree: boolean;
  /** false when no check of ours finished: only DuckDB was compared with the planted count */
  compared: boolean;
}

export interface ProvinceRun {
  members: number;
  load: string;
  province: ProvinceResult;
  floors: { counties: number; csv?: FloorResult; xlsx?: FloorResult; xlsxLean?: FloorResult };
  checks: GuardedCheck[];
  ratios: Record<string, number | null>;
  duckdb?: DuckdbResult | { error: string };
  /**
   * our cross stage (summary.json crossMs, all cross rules) ÷ DuckDB's checks (the 7 queries); and
   * only the rules DuckDB runs with the derived indexes they need (sameChecksMs). Both sum the
   * counties' times, measured while two counties were checked at once (each county's clock runs on
   * while the other county, the collector and the workbook threads share the two cores), against
   * DuckDB's wall time with two threads: see `oneCore` for the like-for-like figure.
   */
  crossVsDuckdb?: Partial<
    Record<
      ProvinceFormat,
      { crossMs: number; duckdbChecksMs: number; duckdbLoadMs: number; ratio: number; ratioWithLoad: number; sameChecksMs?: number; sameChecksRatio?: number }
    >
  > & { oneCore?: OneCoreComparison };
  /** DuckDB with one thread (the one-core comparison) */
  duckdbOneThread?: DuckdbResult | { error: string };
  /** the CSV set checked again one county at a time (`--threads 1`): the one-core comparison's run */
  oneCoreCheck?: GuardedCheck;
  agreement: AgreementRow[];
  agreementOk: boolean;
}

/**
 * The relational checks on one core each: our 7 rules, their derived indexes and the across-county
 * checks, counties checked one after another (nothing else running beside them), against DuckDB's
 * 7 queries with one thread. Same rows, same checks, same core count.
 */
export interface OneCoreComparison {
  sameChecksMs: number;
  duckdbChecksMs: number;
  ratio: number;
  /** the one-core run found the same counts as the two-county run, for every check DuckDB runs */
  countsAgree: boolean;
}

/** Ours ÷ DuckDB's, two decimals; undefined when the one-core run has no profile (it did not finish). */
export function oneCoreComparison(oneCore: GuardedCheck, twoCounties: GuardedCheck | undefined, duck: DuckdbResult): OneCoreComparison | undefined {
  const t = oneCore.timings;
  if (!oneCore.crossProfile || !t) return undefined;
  const same = sameChecksMs(oneCore.crossProfile, t['acrossCountiesMs'] ?? 0);
  const countsAgree = SAME_CHECK_RULES.every((id) => (oneCore.ruleCounts?.[id] ?? 0) === (twoCounties?.ruleCounts?.[id] ?? 0));
  return { sameChecksMs: Math.round(same), duckdbChecksMs: duck.checksMs, ratio: Math.round((same / Math.max(1, duck.checksMs)) * 100) / 100, countsAgree };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/** Compares what the generator planted, what our check found per format and what DuckDB counted. */
export function agreement(expected: ProvinceResult['expected'], checks: GuardedCheck[], duck: DuckdbResult | undefined): AgreementRow[] {
  return DUCKDB_CHECKS.map((check) => {
    const ours: Partial<Record<ProvinceFormat, number>> = {};
    for (const c of checks) {
      if (!c.ruleCounts) continue; // a run that finished (rule failures included) has its counts
      ours[c.format] = check === 'ID-08 cross-county' ? (c.id08CrossCounty ?? 0) : (c.ruleCounts[check] ?? 0);
    }
    const planted = expected[check];
    const duckdb = duck ? duck.counts[check] : null;
    const agree = Object.values(ours).every((n) => n === planted) && (duckdb === null || duckdb === planted);
    return { check, planted, ours, duckdb, agree, compared: Object.keys(ours).length > 0 };
  });
}

async function runSize(members: number, args: ProvinceArgs, tmp: string, log: (s: string) => void): Promise<ProvinceRun> {
  const dir = join(tmp, `m${members}`);
  // DuckDB reads the CSV set: it is written even when only xlsx is checked
  const genFormats: ProvinceFormat[] = args.duckdb && !args.formats.includes('csv') ? ['csv', ...args.formats] : args.formats;
  log(`省级基准：${fmt(members)} 行成员，负载 ${load()}，目录 ${dir}`);
  const province = await generateProvince(
    {
      outDir: dir,
      members,
      formats: genFormats,
      ...(args.counties ? { counties: args.counties } : {}),
      ...(args.pairings ? { pairings: args.pairings } : {}),
      ...(args.projects ? { projects: args.projects } : {}),
    },
    log,
  );
  log(
    `  生成：${province.counties} 个县，数据行 ${fmt(province.dataRows)}（成员 ${fmt(province.rows.members)}，户 ${fmt(province.rows.households)}，` +
      `结对 ${fmt(province.rows.pairings)}，帮扶人 ${fmt(province.rows.helpers)}，项目 ${fmt(province.rows.projects)}，受益户 ${fmt(province.rows.beneficiaries)}）`,
  );
  for (const [f, w] of Object.entries(province.written)) log(`  ${f}：${w.files} 个文件，${(w.bytes / 1048576).toFixed(0)} MiB，${w.seconds.toFixed(1)} s`);

  // floors over the first K counties (the same files the check reads first)
  const floorDirs = (format: ProvinceFormat) => {
    const root = province.written[format]!.dir;
    return readdirSync(root).sort().slice(0, args.floorCounties).map((d) => join(root, d));
  };
  const floors: ProvinceRun['floors'] = { counties: Math.min(args.floorCounties, province.counties) };
  if (args.formats.includes('csv')) floors.csv = await childJson<FloorResult>(['--floor', 'csv', ...floorDirs('csv')]);
  if (args.formats.includes('xlsx')) {
    floors.xlsx = await childJson<FloorResult>(['--floor', 'xlsx', ...floorDirs('xlsx')]);
    floors.xlsxLean = await childJson<FloorResult>(['--floor', 'lean', ...floorDirs('xlsx')]);
  }
  log(`  裸读取下限（前 ${floors.counties} 个县的文件，单独子进程）：`);
  for (const f of [floors.csv, floors.xlsx, floors.xlsxLean]) {
    if (f) log(`    ${f.reader.padEnd(14)} ${fmt(f.rows)} 行，${f.seconds.toFixed(1)} s，${fmt(f.rowsPerSecond)} 行/秒，峰值内存 ${f.peakRssMiB} MiB`);
  }

  const checks: GuardedCheck[] = [];
  for (const format of args.formats) {
    log(`  qingxi check${args.byCounty ? ' --by-county' : ''}（${format}，--max-old-space-size=${args.heapMiB}，时间上限 ${args.timeCapMinutes} 分钟，负载 ${load()}）：`);
    const c = await guardedCheck(format, province.written[format]!.dir, join(dir, `out-${format}`), province.written[format]!.files, {
      heapMiB: args.heapMiB,
      timeCapMs: args.timeCapMinutes * 60_000,
      log,
      byCounty: args.byCounty,
    });
    checks.push(c);
    const floor = format === 'csv' ? floors.csv : floors.xlsx;
    if (c.status !== 'ok' && c.detail) log(`    ${c.status === 'failed' && c.dataRows !== undefined ? '有错误' : '未完成'}（${c.status}）：${c.detail}`);
    if (c.dataRows !== undefined) {
      const t = c.timings ?? {};
      log(
        `    完成：数据行 ${fmt(c.dataRows!)}，用时 ${c.wallSeconds.toFixed(1)} s，${fmt(c.rowsPerSecond!)} 行/秒` +
          (floor ? `（下限的 ${((c.rowsPerSecond! / floor.rowsPerSecond) * 100).toFixed(0)}%）` : '') +
          `，峰值内存 ${c.peakRssMiB ?? '—'} MiB，问题 ${fmt(c.findings ?? 0)} 条`,
      );
      log(
        `    各阶段：${Object.entries(t)
          .filter(([k]) => k.endsWith('Ms'))
          .map(([k, ms]) => `${k.slice(0, -2)} ${(ms / 1000).toFixed(1)} s`)
          .join('，')}`,
      );
    } else {
      log(
        `    用时 ${c.wallSeconds.toFixed(1)} s，已读 ${fmt(c.rowsRead)} 行，峰值内存 ${c.peakRssMiB ?? '—'} MiB` +
          `（读完最后一个文件时 ${c.rssAtLastFileMiB ?? '—'} MiB，每 2 秒采样的最高值 ${c.rssSampledMaxMiB ?? '—'} MiB）`,
      );
    }
  }

  const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? null : Math.round((a / b) * 1000) / 1000);
  const csvRun = checks.find((c) => c.format === 'csv' && c.rowsPerSecond !== undefined);
  const xlsxRun = checks.find((c) => c.format === 'xlsx' && c.rowsPerSecond !== undefined);
  const ratios = {
    csvCheckVsCsvParse: ratio(csvRun?.rowsPerSecond, floors.csv?.rowsPerSecond),
    xlsxCheckVsExceljs: ratio(xlsxRun?.rowsPerSecond, floors.xlsx?.rowsPerSecond),
    xlsxCheckVsLeanFloor: ratio(xlsxRun?.rowsPerSecond, floors.xlsxLean?.rowsPerSecond),
    leanFloorVsExceljs: ratio(floors.xlsxLean?.rowsPerSecond, floors.xlsx?.rowsPerSecond),
  };
  log(`  比值：csv 检查/csv-parse ${ratios.csvCheckVsCsvParse ?? '—'}，xlsx 检查/exceljs ${ratios.xlsxCheckVsExceljs ?? '—'}，xlsx 检查/精简读取器 ${ratios.xlsxCheckVsLeanFloor ?? '—'}`);

  let duckdb: ProvinceRun['duckdb'];
  const crossVsDuckdb: ProvinceRun['crossVsDuckdb'] = {};
  if (args.duckdb) {
    try {
      log(`  DuckDB（同一批 CSV 行，负载 ${load()}）：`);
      duckdb = await childJson<DuckdbResult>(['--duckdb-child', province.written.csv!.dir]);
      log(
        `    载入 ${fmt(duckdb.rows.members)} 成员 / ${fmt(duckdb.rows.households)} 户 / ${fmt(duckdb.rows.pairings)} 结对：${(duckdb.loadMs / 1000).toFixed(1)} s；` +
          `检查 ${(duckdb.checksMs / 1000).toFixed(2)} s（${Object.entries(duckdb.checkMs)
            .map(([k, ms]) => `${k} ${ms} ms`)
            .join('，')}），峰值内存 ${duckdb.peakRssMiB} MiB`,
      );
      for (const c of checks) {
        // county by county, the cross rules run inside each county's check (summed over the
        // counties: time on either core) plus the across-county stage
        const crossMs = c.timings?.['crossMs'] === undefined ? undefined : c.timings['crossMs'] + (c.timings['countiesCrossMs'] ?? 0);
        if (crossMs === undefined) continue;
        // by county: the across-county checks themselves (acrossCountiesMs), not the merging of
        // every rule's findings that follows them in the same stage (crossMs); an older summary
        // without that figure counts the whole stage
        const acrossMs = c.timings?.['countiesCrossMs'] === undefined ? 0 : (c.timings['acrossCountiesMs'] ?? c.timings['crossMs'] ?? 0);
        const same = c.crossProfile ? sameChecksMs(c.crossProfile, acrossMs) : undefined;
        const r = {
          crossMs,
          duckdbChecksMs: duckdb.checksMs,
          duckdbLoadMs: duckdb.loadMs,
          ratio: Math.round((crossMs / Math.max(1, duckdb.checksMs)) * 100) / 100,
          ratioWithLoad: Math.round((crossMs / Math.max(1, duckdb.checksMs + duckdb.loadMs)) * 100) / 100,
          ...(same !== undefined ? { sameChecksMs: Math.round(same), sameChecksRatio: Math.round((same / Math.max(1, duckdb.checksMs)) * 100) / 100 } : {}),
        };
        crossVsDuckdb[c.format] = r;
        log(`    ${c.format} 交叉规则阶段 ${(crossMs / 1000).toFixed(1)} s（全部交叉规则）÷ DuckDB 同类检查 ${(duckdb.checksMs / 1000).toFixed(2)} s = ${r.ratio}×（含载入：${r.ratioWithLoad}×）`);
        if (r.sameChecksMs !== undefined) log(`    ${c.format} 仅同样的 ${SAME_CHECK_RULES.length} 条规则及其派生索引 ${(r.sameChecksMs / 1000).toFixed(2)} s = ${r.sameChecksRatio}×`);
      }
    } catch (e) {
      duckdb = { error: (e as Error).message };
      log(`    DuckDB 失败：${duckdb.error}`);
    }
  }
  let duckdbOneThread: ProvinceRun['duckdbOneThread'];
  let oneCoreCheck: GuardedCheck | undefined;
  const csvTwo = checks.find((c) => c.format === 'csv');
  if (args.duckdb && args.oneCore && args.byCounty && csvTwo?.crossProfile) {
    // like for like: both on one core, nothing else running beside them
    log(`  单核对比（负载 ${load()}）：qingxi check --by-county --threads 1（csv，逐县检查）与单线程 DuckDB：`);
    oneCoreCheck = await guardedCheck('csv', province.written.csv!.dir, join(dir, 'out-csv-one-core'), province.written.csv!.files, {
      heapMiB: args.heapMiB,
      timeCapMs: args.timeCapMinutes * 60_000,
      log,
      byCounty: true,
      threads: 1,
    });
    try {
      duckdbOneThread = await childJson<DuckdbResult>(['--duckdb-child', province.written.csv!.dir, '1']);
      const cmp = oneCoreComparison(oneCoreCheck, csvTwo, duckdbOneThread);
      if (cmp) {
        crossVsDuckdb.oneCore = cmp;
        log(
          `    同样的 ${SAME_CHECK_RULES.length} 条规则及其派生索引（单核，逐县）${(cmp.sameChecksMs / 1000).toFixed(2)} s ÷ 单线程 DuckDB ${(cmp.duckdbChecksMs / 1000).toFixed(2)} s = ${cmp.ratio}×` +
            `；检查用时 ${oneCoreCheck.wallSeconds.toFixed(1)} s；计数${cmp.countsAgree ? '与两县同时检查一致' : '与两县同时检查不一致'}`,
        );
      } else log(`    单核检查未完成（${oneCoreCheck.status}）：${oneCoreCheck.detail ?? ''}`);
    } catch (e) {
      duckdbOneThread = { error: (e as Error).message };
      log(`    单线程 DuckDB 失败：${duckdbOneThread.error}`);
    }
  }
  const duck = duckdb && !('error' in duckdb) ? duckdb : undefined;
  const rows = agreement(province.expected, checks, duck);
  log('  计数核对（预埋 / 本程序 / DuckDB）：');
  for (const r of rows) {
    const ours = Object.entries(r.ours)
      .map(([f, n]) => `${f} ${fmt(n)}`)
      .join('，');
    log(`    ${!r.agree ? '不一致' : r.compared ? '一致' : '仅 DuckDB 一致（本程序未完成）'}  ${r.check.padEnd(18)} 预埋 ${fmt(r.planted)}；本程序 ${ours || '—'}；DuckDB ${r.duckdb === null ? '—' : fmt(r.duckdb)}`);
  }
  // the one-core run checks the same rows: a count it disagrees on fails the bench as well
  const agreementOk = rows.every((r) => r.agree) && crossVsDuckdb.oneCore?.countsAgree !== false;
  return {
    members,
    load: load(),
    province,
    floors,
    checks,
    ratios,
    ...(duckdb ? { duckdb } : {}),
    crossVsDuckdb,
    ...(duckdbOneThread ? { duckdbOneThread } : {}),
    ...(oneCoreCheck ? { oneCoreCheck } : {}),
    agreement: rows,
    agreementOk,
  };
}

export async function benchProvince(argv: string[]): Promise<ProvinceRun[]> {
  const args = parseProvinceArgs(argv);
  const log = args.json ? () => {} : (s: string) => console.log(s);
  const tmp = await mkdtemp(join(tmpdir(), 'qingxi-province-'));
  const runs: ProvinceRun[] = [];
  try {
    for (const m of args.members) {
      const run = await runSize(m, args, tmp, log);
      runs.push(run);
      if (args.jsonOut) writeFileSync(args.jsonOut, JSON.stringify({ asOf: AS_OF, runs }, null, 1));
      // each size's files go before the next is generated (10 M members ≈ 4 GB of CSV + xlsx)
      if (!args.keep) rmSync(join(tmp, `m${m}`), { recursive: true, force: true });
    }
    if (runs.length > 1) {
      log('规模（每个规模一行）：');
      log('  成员 | 格式 | 数据行 | 结果 | 用时 s | 行/秒 | 峰值内存 MiB | 读取 s | 交叉 s | 输出 s');
      for (const r of runs) {
        for (const c of r.checks) {
          const t = c.timings ?? {};
          const s = (k: string) => (t[k] === undefined ? '—' : (t[k]! / 1000).toFixed(1));
          log(
            `  ${fmt(r.members)} | ${c.format} | ${fmt(c.dataRows ?? c.rowsRead)} | ${c.status} | ${c.wallSeconds.toFixed(1)} | ${c.rowsPerSecond ? fmt(c.rowsPerSecond) : '—'} | ` +
              `${c.peakRssMiB ?? '—'} | ${s('ingestMs')} | ${s('crossMs')} | ${s('outputsMs')}`,
          );
        }
      }
    }
    if (args.json) console.log(JSON.stringify({ asOf: AS_OF, runs }));
    if (runs.some((r) => !r.agreementOk)) process.exitCode = 1;
  } finally {
    if (args.keep) log(`保留临时目录 ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
  return runs;
}
