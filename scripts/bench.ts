// End-to-end benchmark: `npm run bench -- [memberRows] [--keep] [--json] [--pairing N]`;
// `npm run bench -- --hostile [--small] [--json]` runs the hostile corpus (scripts/bench-hostile.ts);
// `npm run bench -- --zip` compares our zip layer with yauzl (scripts/bench-zip.ts);
// `npm run bench -- --province [--members N] [--format csv|xlsx|both]` checks a generated province
// of ~100 county folders and compares the relational checks with DuckDB (scripts/bench-province.ts).
//
// Generates one synthetic export set twice (all xlsx, all csv) with `qingxi samples`' generator,
// runs `node bin/qingxi.js check DIR --out TMP --as-of 2020-04-30` on each as a child process and
// measures wall time and the child's peak RSS (/usr/bin/time -v when present, else the
// `peakRssMiB` the CLI writes into summary.json). In the same run it times the bare floors over the
// same files — csv-parse alone (records as arrays), exceljs's streaming WorkbookReader alone and our
// lean xlsx reader alone — each in its own child process, runs the xlsx check a second time with
// exceljs as its reader, and prints our throughput as ratios of the floors measured in this run. Both
// checks run once more with every rule but the FILE ones switched off (`rulesOffRuns`): what reading,
// finding headers, normalising and indexing cost on their own, the floor of our own path. Finally the
// PAIR cross rules at province scale (scripts/bench-pairing.ts, default 1 M pairings).
import { spawn } from 'node:child_process';
import { closeSync, createReadStream, existsSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import ExcelJS from '../src/exceljs.js';
import { generateSamples } from '../src/samples/generate.js';
import { benchPairing } from './bench-pairing.js';
import { benchHostile } from './bench-hostile.js';
import { benchZip } from './bench-zip.js';
import type { WorkbookBench } from './workbook-bench.js';
import { ZipFile } from '../src/ingest/zip.js';
import { readStructure } from '../src/ingest/xlsx.js';
import { readXlsxSheetsLean } from '../src/ingest/xlsx-lean.js';
import { RULES } from '../validators/index.js';

const AS_OF = '2020-04-30';
/** members per household in the generated township (measured: 3.3–3.5) */
const MEMBERS_PER_HOUSEHOLD = 3.35;
const HERE = dirname(fileURLToPath(import.meta.url)); // dist/scripts
const ROOT = resolve(HERE, '../..');
const CLI = join(ROOT, 'bin/qingxi.js');
const TIME = '/usr/bin/time';

export interface RunResult {
  format: 'xlsx' | 'csv';
  /** every rule but the FILE ones switched off (rulesOffConfig): reading, headers, normalising, indexes */
  rulesOff?: boolean;
  /** xlsx: which reader the check used (lean is the default; exceljs is the fallback) */
  reader?: 'lean' | 'exceljs';
  /** the reader worker scanned large xlsx sheets beside the check (false: QINGXI_SCAN_WORKER=off) */
  readerWorker: boolean;
  files: number;
  bytes: number;
  dataRows: number;
  people: number;
  wallSeconds: number;
  rowsPerSecond: number;
  peakRssMiB: number | null;
  /** stage times in ms as the CLI reports them in summary.json */
  stages: Record<string, number>;
  exitCode: number;
}

export interface FloorResult {
  reader: 'csv-parse' | 'exceljs-stream' | 'lean-xlsx';
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMiB: number;
}

// ---------------------------------------------------------------------------------------------
// floors (run inside a child: `bench.js --floor csv|xlsx DIR`)

/** The files with an extension directly in a folder, or in each of several folders (a province's counties). */
function listFiles(dirs: string | string[], ext: string): string[] {
  return (typeof dirs === 'string' ? [dirs] : dirs).flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith(ext))
      .sort()
      .map((f) => join(dir, f)),
  );
}

/** csv-parse alone, records as arrays; GBK files decoded with iconv-lite first (as the pipeline does). */
export async function csvFloor(dir: string | string[]): Promise<FloorResult> {
  const t0 = performance.now();
  let rows = 0;
  for (const file of listFiles(dir, '.csv')) {
    const gbk = !isUtf8(readHead(file, 64 * 1024));
    const src = createReadStream(file);
    // Without the length tracking, csv-parse builds an error object for every record whose length
    // differs from the first (a one-cell title line): that would measure error construction, not
    // parsing. The pipeline does the same (src/ingest/csv.ts).
    const parser = parse({
      bom: true,
      relax_column_count: true,
      skip_empty_lines: false,
      on_record: (record: string[]) => {
        state.expectedRecordLength = record.length;
        return record;
      },
    });
    const state = (parser as unknown as { state: { expectedRecordLength?: number } }).state;
    (gbk ? src.pipe(iconv.decodeStream('gbk')) : src).pipe(parser);
    // 'readable' + read() rather than for-await: the floor should not pay for async iteration
    await new Promise<void>((res, rej) => {
      parser.on('readable', () => {
        while (parser.read() !== null) rows++;
      });
      parser.on('end', () => res());
      parser.on('error', rej);
    });
  }
  const seconds = (performance.now() - t0) / 1000;
  return { reader: 'csv-parse', rows, seconds, rowsPerSecond: rows / seconds, peakRssMiB: peakRss() };
}

function readHead(file: string, n: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

function isUtf8(buf: Buffer): boolean {
  try {
    // a multi-byte sequence cut at the end of the sample is fine
    new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, Math.max(0, buf.length - 4)));
    return true;
  } catch {
    return false;
  }
}

/** exceljs's streaming WorkbookReader alone: every row of every sheet of every readable .xlsx. */
export async function xlsxFloor(dir: string | string[]): Promise<FloorResult> {
  const t0 = performance.now();
  let rows = 0;
  for (const file of listFiles(dir, '.xlsx')) {
    try {
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
        worksheets: 'emit',
        sharedStrings: 'cache',
        hyperlinks: 'ignore',
        styles: 'cache',
        entries: 'ignore',
      });
      for await (const ws of reader) {
        for await (const row of ws as unknown as AsyncIterable<ExcelJS.Row>) {
          void row;
          rows++;
        }
      }
    } catch {
      // the planted corrupt workbook (FILE-04)
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  return { reader: 'exceljs-stream', rows, seconds, rowsPerSecond: rows / seconds, peakRssMiB: peakRss() };
}

/** Our lean xlsx reader alone (src/ingest/xlsx-lean.ts): every row of every sheet, no checks. */
export async function leanXlsxFloor(dir: string | string[]): Promise<FloorResult> {
  const t0 = performance.now();
  let rows = 0;
  for (const file of listFiles(dir, '.xlsx')) {
    let zip: ZipFile | undefined;
    try {
      zip = await ZipFile.open(file, statSync(file).size);
      const wb = await readStructure(zip);
      for await (const sheet of readXlsxSheetsLean(zip, wb)) {
        for await (const batch of sheet.batches) rows += batch.length;
      }
    } catch {
      // the planted corrupt workbook (FILE-04)
    } finally {
      await zip?.close();
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  return { reader: 'lean-xlsx', rows, seconds, rowsPerSecond: rows / seconds, peakRssMiB: peakRss() };
}

function peakRss(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

// ---------------------------------------------------------------------------------------------
// child processes

interface ChildOut {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

function run(cmd: string, args: string[], env?: Record<string, string>): Promise<ChildOut> {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env: { ...process.env, ...env } } : {}) });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    // the CLI logs JSON lines on stderr: keep only the tail (time -v prints its report last)
    child.stderr.on('data', (b: Buffer) => {
      err.push(b);
      if (err.length > 64) err.splice(0, err.length - 64);
    });
    child.on('error', rej);
    child.on('close', (code) =>
      res({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        seconds: (performance.now() - t0) / 1000,
      }),
    );
  });
}

/** Run node with args, under /usr/bin/time -v when present; the child's peak RSS in MiB if known. */
async function runNode(args: string[], env?: Record<string, string>): Promise<ChildOut & { peakRssMiB: number | null }> {
  const timed = existsSync(TIME);
  const r = timed ? await run(TIME, ['-v', process.execPath, ...args], env) : await run(process.execPath, args, env);
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  return { ...r, peakRssMiB: m ? Math.round(Number(m[1]) / 1024) : null };
}

/** Run this script (or, with `script`, args[0]) in a child process and parse its last JSON line. */
export async function childJson<T>(args: string[], script = false): Promise<T> {
  const r = await run(process.execPath, script ? args : [fileURLToPath(import.meta.url), ...args]);
  if (r.code !== 0) throw new Error(`子进程失败（${args.join(' ')}）：${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
}

function dirBytes(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const f of readdirSync(dir)) {
    if (f === 'truth.json') continue;
    files++;
    bytes += statSync(join(dir, f)).size;
  }
  return { files, bytes };
}

/**
 * A config that switches off every rule except the FILE ones (which ingest emits while it reads):
 * a check with it reads, finds headers, normalises and builds the indexes, and runs no rule.
 */
export function rulesOffConfig(): { rules: Record<string, { enabled: false }> } {
  const rules: Record<string, { enabled: false }> = {};
  for (const r of RULES) if (r.family !== 'FILE') rules[r.id] = { enabled: false };
  return { rules };
}

export async function runCheck(
  format: 'xlsx' | 'csv',
  dir: string,
  outDir: string,
  reader: 'lean' | 'exceljs' = 'lean',
  readerWorker = true,
  config?: string,
): Promise<RunResult> {
  const env = { ...(reader === 'exceljs' ? { QINGXI_XLSX_READER: 'exceljs' } : {}), ...(readerWorker ? {} : { QINGXI_SCAN_WORKER: 'off' }) };
  const r = await runNode([CLI, 'check', dir, '--out', outDir, '--as-of', AS_OF, ...(config ? ['--config', config] : [])], Object.keys(env).length ? env : undefined);
  if (r.code !== 0 && r.code !== 1) throw new Error(`qingxi check 退出码 ${r.code}：${r.stderr.slice(-2000)}`);
  const summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')) as {
    totals?: { dataRows?: number; people?: number };
    timings?: Record<string, unknown> & { stages?: Record<string, number>; peakRssMiB?: number };
  };
  const t = summary.timings ?? {};
  const stages: Record<string, number> = {};
  if (t.stages) Object.assign(stages, t.stages);
  for (const [k, v] of Object.entries(t)) if (k.endsWith('Ms') && typeof v === 'number') stages[k.slice(0, -2)] = v;
  const dataRows = summary.totals?.dataRows ?? 0;
  return {
    format,
    ...(config ? { rulesOff: true } : {}),
    ...(format === 'xlsx' ? { reader } : {}),
    readerWorker,
    ...dirBytes(dir),
    dataRows,
    people: summary.totals?.people ?? 0,
    wallSeconds: r.seconds,
    rowsPerSecond: dataRows / r.seconds,
    peakRssMiB: r.peakRssMiB ?? (typeof t.peakRssMiB === 'number' ? t.peakRssMiB : null),
    stages,
    exitCode: r.code,
  };
}

// ---------------------------------------------------------------------------------------------
// report

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (n: number | null) => (n === null ? '—' : `${n} MiB`);

function printRun(r: RunResult, floor: FloorResult | undefined): void {
  const ratio = floor ? ` = 下限的 ${((r.rowsPerSecond / floor.rowsPerSecond) * 100).toFixed(0)}%` : '';
  console.log(
    `  ${r.format.padEnd(5)} ${String(r.files).padStart(3)} 个文件 ${(r.bytes / 1048576).toFixed(1)} MiB，数据行 ${fmt(r.dataRows)}（成员 ${fmt(r.people)}），` +
      `用时 ${r.wallSeconds.toFixed(1)} s，${fmt(r.rowsPerSecond)} 行/秒${ratio}，峰值内存 ${mib(r.peakRssMiB)}`,
  );
  const stageLine = Object.entries(r.stages)
    .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s${ms > 0 && /ingest|row|cross/i.test(k) ? `（${fmt(r.dataRows / (ms / 1000))} 行/秒）` : ''}`)
    .join('，');
  if (stageLine) console.log(`        各阶段：${stageLine}`);
}

interface Args {
  memberRows: number;
  keep: boolean;
  json: boolean;
  pairing: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { memberRows: 200_000, keep: false, json: false, pairing: 1_000_000 };
  for (let i = 0; i < argv.length; i++) {
    const s = argv[i]!;
    if (s === '--keep') a.keep = true;
    else if (s === '--json') a.json = true;
    else if (s === '--pairing') a.pairing = Number(argv[++i]);
    else if (/^\d[\d_]*$/.test(s)) a.memberRows = Number(s.replace(/_/g, ''));
    else throw new Error(`未知参数：${s}（用法：npm run bench -- [成员行数] [--keep] [--json] [--pairing N]）`);
  }
  if (!(a.memberRows >= 400)) throw new Error('成员行数至少为 400');
  return a;
}

export async function main(argv: string[]): Promise<void> {
  // child modes
  if (argv[0] === '--floor') {
    const dirs = argv.slice(2);
    const r = argv[1] === 'csv' ? await csvFloor(dirs) : argv[1] === 'lean' ? await leanXlsxFloor(dirs) : await xlsxFloor(dirs);
    console.log(JSON.stringify(r));
    return;
  }
  if (argv[0] === '--nightly') {
    // the provincial nightly at scale (scripts/bench-nightly.ts)
    const { benchNightly } = await import('./bench-nightly.js');
    await benchNightly(argv.slice(1));
    return;
  }
  if (argv[0] === '--web') {
    // the clerks' web page under load (scripts/bench-web.ts)
    const { benchWeb } = await import('./bench-web.js');
    await benchWeb(argv.slice(1));
    return;
  }
  if (argv[0] === '--province') {
    // a generated province of ~100 counties end to end (scripts/bench-province.ts)
    const { benchProvince } = await import('./bench-province.js');
    await benchProvince(argv.slice(1));
    return;
  }
  if (argv[0] === '--duckdb-child') {
    // the relational checks in DuckDB over a generated province's CSV set (scripts/bench-duckdb.ts)
    const { duckdbChecks } = await import('./bench-duckdb.js');
    console.log(JSON.stringify(await duckdbChecks(argv[1]!, argv[2] === undefined ? 2 : Number(argv[2]))));
    return;
  }
  if (argv[0] === '--pairing-child') {
    console.log(JSON.stringify(await benchPairing(Number(argv[1]))));
    return;
  }

  if (argv.includes('--zip')) {
    await benchZip((s) => console.log(s));
    return;
  }
  if (argv.includes('--hostile')) {
    const json = argv.includes('--json');
    const only = argv.flatMap((a, i) => (a === '--case' && argv[i + 1] ? [argv[i + 1]!] : []));
    const rows = await benchHostile(CLI, { small: argv.includes('--small'), ...(only.length ? { only } : {}), log: json ? () => {} : (s) => console.log(s) });
    if (json) console.log(JSON.stringify(rows, null, 2));
    if (rows.some((r) => !r.ok)) process.exitCode = 1;
    return;
  }
  const args = parseArgs(argv);
  const households = Math.max(100, Math.round(args.memberRows / MEMBERS_PER_HOUSEHOLD));
  const tmp = await mkdtemp(join(tmpdir(), 'qingxi-bench-'));
  const log = args.json ? () => {} : (s: string) => console.log(s);
  try {
    log(`基准测试：约 ${fmt(args.memberRows)} 行成员（${fmt(households)} 户），数据截至 ${AS_OF}，临时目录 ${tmp}`);
    const gen: Record<string, number> = {};
    for (const format of ['xlsx', 'csv'] as const) {
      const t0 = performance.now();
      await generateSamples({ outDir: join(tmp, format), households, seed: 1, formats: format });
      gen[format] = (performance.now() - t0) / 1000;
      log(`  生成 ${format}：${gen[format]!.toFixed(1)} s`);
    }
    const floors = {
      csv: await childJson<FloorResult>(['--floor', 'csv', join(tmp, 'csv')]),
      xlsx: await childJson<FloorResult>(['--floor', 'xlsx', join(tmp, 'xlsx')]),
      xlsxLean: await childJson<FloorResult>(['--floor', 'lean', join(tmp, 'xlsx')]),
    };
    log('裸读取下限（同一批文件，单独子进程）：');
    for (const f of [floors.csv, floors.xlsx, floors.xlsxLean]) {
      log(`  ${f.reader.padEnd(14)} ${fmt(f.rows)} 行，${f.seconds.toFixed(1)} s，${fmt(f.rowsPerSecond)} 行/秒，峰值内存 ${f.peakRssMiB} MiB`);
    }
    const runs: RunResult[] = [];
    let exceljsRun: RunResult | undefined;
    let cliError: string | undefined;
    if (!existsSync(join(ROOT, 'dist/src/cli/main.js'))) cliError = '未找到 dist/src/cli/main.js（先运行 npm run build）';
    else {
      log('qingxi check（子进程）：');
      for (const format of ['xlsx', 'csv'] as const) {
        try {
          const r = await runCheck(format, join(tmp, format), join(tmp, `out-${format}`));
          runs.push(r);
          if (!args.json) printRun(r, floors[format]);
        } catch (e) {
          cliError = (e as Error).message;
          log(`  ${format}：失败：${cliError}`);
        }
      }
      // the same xlsx check with exceljs as the reader: what the lean reader gains, in one run
      try {
        exceljsRun = await runCheck('xlsx', join(tmp, 'xlsx'), join(tmp, 'out-xlsx-exceljs'), 'exceljs');
        if (!args.json) {
          log('  （xlsx 改用 exceljs 读取：）');
          printRun(exceljsRun, floors.xlsx);
        }
      } catch (e) {
        log(`  xlsx（exceljs）：失败：${(e as Error).message}`);
      }
    }
    // the xlsx check with every sheet scanned in the check's own thread: what the reader worker gains
    const oneThreadRuns: RunResult[] = [];
    if (!cliError) {
      for (const format of ['xlsx'] as const) {
        try {
          const r = await runCheck(format, join(tmp, format), join(tmp, `out-${format}-one-thread`), 'lean', false);
          oneThreadRuns.push(r);
          if (!args.json) {
            log(`  （${format} 不用读取线程：）`);
            printRun(r, floors[format]);
          }
        } catch (e) {
          log(`  ${format}（不用读取线程）：失败：${(e as Error).message}`);
        }
      }
    }
    // every rule switched off: our own floor (reading, headers, normalising, indexes, outputs)
    const rulesOffRuns: RunResult[] = [];
    if (!cliError) {
      const config = join(tmp, 'rules-off.json');
      writeFileSync(config, JSON.stringify(rulesOffConfig()));
      for (const format of ['xlsx', 'csv'] as const) {
        try {
          const r = await runCheck(format, join(tmp, format), join(tmp, `out-${format}-rules-off`), 'lean', true, config);
          rulesOffRuns.push(r);
          if (!args.json) {
            log(`  （${format} 关闭全部检查规则，只读取、识别表头、规范化、建索引：）`);
            printRun(r, floors[format]);
          }
        } catch (e) {
          log(`  ${format}（关闭规则）：失败：${(e as Error).message}`);
        }
      }
    }
    const csvRun = runs.find((r) => r.format === 'csv');
    const xlsxRun = runs.find((r) => r.format === 'xlsx');
    const ratio = (a: number | undefined, b: number) => (a === undefined ? null : Math.round((a / b) * 1000) / 1000);
    // throughputs of one run divided by the floors the same run measured
    const ratios = {
      csvCheckVsCsvParse: ratio(csvRun?.rowsPerSecond, floors.csv.rowsPerSecond),
      xlsxCheckVsExceljs: ratio(xlsxRun?.rowsPerSecond, floors.xlsx.rowsPerSecond),
      xlsxCheckVsLeanFloor: ratio(xlsxRun?.rowsPerSecond, floors.xlsxLean.rowsPerSecond),
      leanFloorVsExceljs: ratio(floors.xlsxLean.rowsPerSecond, floors.xlsx.rowsPerSecond),
      xlsxCheckExceljsReaderVsExceljs: ratio(exceljsRun?.rowsPerSecond, floors.xlsx.rowsPerSecond),
      xlsxCheckOneThreadVsExceljs: ratio(oneThreadRuns.find((r) => r.format === 'xlsx')?.rowsPerSecond, floors.xlsx.rowsPerSecond),
      xlsxRulesOffVsExceljs: ratio(rulesOffRuns.find((r) => r.format === 'xlsx')?.rowsPerSecond, floors.xlsx.rowsPerSecond),
      csvRulesOffVsCsvParse: ratio(rulesOffRuns.find((r) => r.format === 'csv')?.rowsPerSecond, floors.csv.rowsPerSecond),
    };
    log(
      `比值（同一次运行）：csv 检查/csv-parse ${ratios.csvCheckVsCsvParse}，xlsx 检查/exceljs ${ratios.xlsxCheckVsExceljs}，` +
        `xlsx 检查/精简读取器 ${ratios.xlsxCheckVsLeanFloor}，精简读取器/exceljs ${ratios.leanFloorVsExceljs}，xlsx 检查（exceljs 读取）/exceljs ${ratios.xlsxCheckExceljsReaderVsExceljs}，` +
        `xlsx 不用读取线程 ${ratios.xlsxCheckOneThreadVsExceljs}，关闭规则：xlsx/exceljs ${ratios.xlsxRulesOffVsExceljs}、csv/csv-parse ${ratios.csvRulesOffVsCsvParse}`,
    );
    let pairing: Awaited<ReturnType<typeof benchPairing>> | { error: string };
    try {
      pairing = await childJson<Awaited<ReturnType<typeof benchPairing>>>(['--pairing-child', String(args.pairing)]);
      log(`结对规则（PAIR-01/03/06/07/08/09，${fmt(pairing.rows)} 条结对）：${pairing.seconds.toFixed(1)} s，${fmt(pairing.rowsPerSecond)} 行/秒，峰值内存 ${pairing.peakRssMiB} MiB`);
    } catch (e) {
      pairing = { error: (e as Error).message };
      log(`结对规则基准失败：${pairing.error}`);
    }
    // 整改台账 writer alone: one township workbook with 100,000 findings (target: peak RSS < 500 MB)
    let workbook: WorkbookBench | { error: string };
    try {
      const wbScript = fileURLToPath(new URL('./workbook-bench.js', import.meta.url));
      workbook = await childJson<WorkbookBench>([wbScript, '100000', join(tmp, 'wb')], true);
      log(`整改台账写出（${fmt(workbook.findings)} 条问题）：${(workbook.ms / 1000).toFixed(1)} s，峰值内存 ${workbook.peakRssMiB} MiB（写出前 ${workbook.rssBeforeMiB} MiB）`);
    } catch (e) {
      workbook = { error: (e as Error).message };
      log(`整改台账写出基准失败：${workbook.error}`);
    }
    if (args.json) {
      console.log(JSON.stringify({ memberRows: args.memberRows, households, asOf: AS_OF, generateSeconds: gen, floors, runs, exceljsRun, oneThreadRuns, rulesOffRuns, ratios, cliError, pairing, workbook }));
    }
  } finally {
    if (args.keep) log(`保留临时目录 ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(`基准测试失败：${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  });
}
