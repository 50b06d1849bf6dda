// Nightly benchmark: `npm run bench -- --nightly [memberRows] [--counties N] [--keep] [--json]`.
//
// Builds a synthetic province of about `memberRows` member rows (default 1,000,000) in N county
// folders (default 50): one township set is generated with `qingxi samples`' generator (CSV), then
// copied into every county folder with the county name, household numbers and project numbers
// made unique per county (so findings do not collapse onto shared fingerprints), and valid ID
// numbers made the county's own (else every person would be registered in every county: the
// nightly relates ID numbers across county folders). Then runs
// `qingxi nightly` as a child process twice — night 1 over every county, night 2 with one county
// folder missing and one county's households partly removed — and reports wall time, peak RSS
// (/usr/bin/time -v), ledger size and the ledger's counts after each night.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { generateSamples } from '../src/samples/generate.js';
import { checkDigit } from '../validators/lib/idcard.js';

const HERE = dirname(fileURLToPath(import.meta.url)); // dist/scripts
const ROOT = resolve(HERE, '../..');
const CLI = join(ROOT, 'bin/qingxi.js');
const TIME = '/usr/bin/time';
// members per household the generator produces (measured over 50 × 5,970 households: 976,900 ÷ 298,500 = 3.27);
// a little under it so the province reaches the member rows asked for
const MEMBERS_PER_HOUSEHOLD = 3.25;

export interface NightRun {
  date: string;
  wallSeconds: number;
  peakRssMiB: number | null;
  exitCode: number;
  ledgerBytes: number;
  status: Record<string, number | string | null>;
  done: Record<string, unknown> | null;
}

export interface NightlyBench {
  memberRowsTarget: number;
  counties: number;
  files: number;
  inputBytes: number;
  generateSeconds: number;
  nights: NightRun[];
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string; seconds: number }> {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const out: Buffer[] = [];
    let errTail: string[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => {
      errTail.push(b.toString('utf8'));
      if (errTail.length > 400) errTail = errTail.slice(-200);
    });
    child.on('error', rej);
    child.on('close', (code) => res({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: errTail.join(''), seconds: (performance.now() - t0) / 1000 }));
  });
}

type Encoding = 'utf8' | 'utf8bom' | 'gbk';
function decode(buf: Buffer): { text: string; enc: Encoding } {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { text: buf.subarray(3).toString('utf8'), enc: 'utf8bom' };
  const utf = buf.toString('utf8');
  return utf.includes('\ufffd') ? { text: iconv.decode(buf, 'gb18030'), enc: 'gbk' } : { text: utf, enc: 'utf8' };
}
function encode(text: string, enc: Encoding): Buffer {
  if (enc === 'gbk') return iconv.encode(text, 'gb18030');
  const b = Buffer.from(text, 'utf8');
  return enc === 'utf8bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]) : b;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Copies the generated township into county folder i with its own names and keys. */
function copyCounty(base: string, inbox: string, i: number): { files: number; bytes: number } {
  const county = `第${pad(i + 1, 2)}县`;
  const dir = join(inbox, county);
  mkdirSync(dir, { recursive: true });
  let files = 0;
  let bytes = 0;
  for (const name of readdirSync(base)) {
    if (!name.endsWith('.csv')) continue;
    const { text, enc } = decode(readFileSync(join(base, name)));
    const renamed = text
      .replaceAll('隆回县', county)
      .replaceAll('430524106', `43${pad(i, 2)}24106`)
      .replaceAll('XM430524', `XM43${pad(i, 2)}24`)
      .replace(/(?<![\d０-９XxＸｘ])[\d０-９]{15}(?:[\d０-９]{2}[\d０-９XxＸｘ](?:[\d０-９]{2}){0,2})?(?![\d０-９XxＸｘ])/g, (id) => countyOwnId(id, i));
    const buf = encode(renamed, enc);
    writeFileSync(join(dir, name), buf);
    files++;
    bytes += buf.length;
  }
  return { files, bytes };
}

/**
 * An ID number as county i's own person: the two sequence digits before the gender digit shifted
 * by i (the generator gives most people sequence 00 and a birth day of their own), the check
 * character recomputed; written as it was (full-width digits stay full-width, a 15-digit legacy
 * number stays 15 digits, a 残疾人证 number keeps its suffix). A number with a planted wrong check character is left as generated, so
 * its defect stays what it was: those few are shared by every county.
 */
export function countyOwnId(id: string, i: number): string {
  if (i === 0) return id;
  const wide = /[０-９Ｘｘ]/.test(id);
  const ascii = wide ? id.replace(/[０-９Ｘｘ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)) : id;
  let out: string;
  if (ascii.length === 15) {
    out = ascii.slice(0, 12) + pad((Number(ascii.slice(12, 14)) + i) % 100, 2) + ascii.slice(14);
  } else {
    if (checkDigit(ascii.slice(0, 17)) !== ascii[17]!.toUpperCase()) return id;
    const first17 = ascii.slice(0, 14) + pad((Number(ascii.slice(14, 16)) + i) % 100, 2) + ascii[16];
    // a 残疾人证 number: the ID number, then category and grade
    out = first17 + checkDigit(first17) + ascii.slice(18);
    if (ascii[17] === 'x') out = out.toLowerCase();
  }
  return wide ? out.replace(/[0-9Xx]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)) : out;
}

async function night(inbox: string, out: string, date: string): Promise<NightRun> {
  const db = join(out, 'ledger.sqlite');
  const args = [CLI, 'nightly', '--inbox', inbox, '--out', out, '--db', db, '--as-of', date];
  const timed = existsSync(TIME);
  const r = timed ? await run(TIME, ['-v', process.execPath, ...args], { QINGXI_LOG_LEVEL: 'info' }) : await run(process.execPath, args, { QINGXI_LOG_LEVEL: 'info' });
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  let done: Record<string, unknown> | null = null;
  for (const line of r.stderr.split('\n')) {
    if (line.includes('"nightly_done"')) done = JSON.parse(line) as Record<string, unknown>;
  }
  const st = await run(process.execPath, [CLI, 'ledger', 'status', '--json', '--db', db]);
  const ledgerBytes = ['', '-wal'].reduce((s, suf) => s + (existsSync(db + suf) ? statSync(db + suf).size : 0), 0);
  if (r.code !== 0) console.error(r.stderr.slice(-3000));
  return {
    date,
    wallSeconds: r.seconds,
    peakRssMiB: m ? Math.round(Number(m[1]) / 1024) : typeof done?.['peakRssMiB'] === 'number' ? (done['peakRssMiB'] as number) : null,
    exitCode: r.code,
    ledgerBytes,
    status: st.code === 0 ? (JSON.parse(st.stdout) as Record<string, number>) : { error: st.stderr },
    done,
  };
}

export async function benchNightly(argv: string[]): Promise<NightlyBench> {
  let memberRows = 1_000_000;
  let counties = 50;
  let keep = false;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const s = argv[i]!;
    if (s === '--counties') counties = Number(argv[++i]);
    else if (s === '--keep') keep = true;
    else if (s === '--json') json = true;
    else if (/^\d[\d_]*$/.test(s)) memberRows = Number(s.replace(/_/g, ''));
    else throw new Error(`未知参数：${s}（用法：npm run bench -- --nightly [成员行数] [--counties N] [--keep] [--json]）`);
  }
  if (!(counties >= 2)) throw new Error('--counties 至少为 2');
  const log = json ? () => {} : (s: string) => console.log(s);
  const households = Math.max(100, Math.round(memberRows / MEMBERS_PER_HOUSEHOLD / counties));
  const tmp = await mkdtemp(join(tmpdir(), 'qingxi-bench-nightly-'));
  try {
    log(`夜间批处理基准：${counties} 个县，每县 ${households.toLocaleString('en-US')} 户（约 ${memberRows.toLocaleString('en-US')} 行成员），临时目录 ${tmp}`);
    const t0 = performance.now();
    const base = join(tmp, 'base');
    await generateSamples({ outDir: base, households, seed: 1, formats: 'csv' });
    const inbox = join(tmp, 'inbox');
    let files = 0;
    let inputBytes = 0;
    for (let i = 0; i < counties; i++) {
      const c = copyCounty(base, inbox, i);
      files += c.files;
      inputBytes += c.bytes;
    }
    const generateSeconds = (performance.now() - t0) / 1000;
    log(`  生成：${generateSeconds.toFixed(1)} s，${files} 个文件，${(inputBytes / 2 ** 20).toFixed(1)} MiB`);
    const out = join(tmp, 'out');
    const nights: NightRun[] = [];
    const show = (n: NightRun) =>
      log(
        `  ${n.date}：退出码 ${n.exitCode}，${n.done?.['units'] ?? '—'} 个县，${n.done?.['households'] ?? '—'} 户 ${n.done?.['people'] ?? '—'} 人，台账 ${n.done?.['workbooks'] ?? '—'} 本，用时 ${n.wallSeconds.toFixed(1)} s，峰值内存 ${n.peakRssMiB ?? '—'} MiB，账本 ${(n.ledgerBytes / 2 ** 20).toFixed(1)} MiB；` +
          `账本状态 ${JSON.stringify(n.status)}`,
      );
    nights.push(await night(inbox, out, '2020-05-01'));
    show(nights[0]!);
    // night 2: the last county sends nothing, the first loses a third of its member files
    rmSync(join(inbox, `第${pad(counties, 2)}县`), { recursive: true, force: true });
    const first = join(inbox, '第01县');
    const members = readdirSync(first).filter((n) => n.startsWith('成员信息')).sort();
    for (const n of members.slice(0, Math.ceil(members.length / 3))) rmSync(join(first, n));
    nights.push(await night(inbox, out, '2020-05-02'));
    show(nights[1]!);
    const result: NightlyBench = { memberRowsTarget: memberRows, counties, files, inputBytes, generateSeconds, nights };
    if (json) console.log(JSON.stringify(result));
    return result;
  } finally {
    if (keep) log(`保留临时目录 ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}
