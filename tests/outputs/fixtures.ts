// Synthetic findings and helpers for the workbook / verify tests.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProgram } from '../helpers/programs.js';
import JSZip from 'jszip';
import type { Family, ResolvedFinding, Severity } from '../../src/model.js';
import type { WorkbookInput, VillageSummary } from '../../src/outputs/workbook.js';


export interface F {
  rule: string;
  household?: string;
  name?: string;
  id?: string;
  field?: string;
  value?: unknown;
  expected?: unknown;
  severity?: Severity;
  county?: string;
  township?: string;
  village?: string;
  message?: string;
  code?: string;
  helperId?: string;
  projectNo?: string;
}

const TITLES: Record<string, string> = {
  'ID-03': '校验码错误',
  'ID-06': '性别与证件号码不符',
  'BASE-01': '关键指标缺失',
  'BASE-04': '家庭人口数与成员数不符',
  'PAIR-01': '未结对帮扶',
  'HELPER-02': '帮扶责任人电话无效',
};

export function finding(p: F): ResolvedFinding {
  const family = p.rule.split('-')[0] as Family;
  const fp = createHash('sha1')
    .update([p.rule, p.code ?? '', p.household ?? '', p.name ?? '', p.id ?? '', p.helperId ?? '', p.field ?? ''].join('|'))
    .digest('hex')
    .slice(0, 20);
  return {
    rule: p.rule as ResolvedFinding['rule'],
    family,
    severity: p.severity ?? 'error',
    title: TITLES[p.rule] ?? '测试规则',
    message: p.message ?? `${TITLES[p.rule] ?? '问题'}：${p.name ?? p.household ?? ''}`,
    fingerprint: fp,
    table: p.helperId ? 'helpers' : 'members',
    region: { county: p.county ?? '测试县', township: p.township ?? '城关镇', village: p.village },
    householdNo: p.household,
    name: p.name,
    idNumber: p.id,
    helperId: p.helperId,
    projectNo: p.projectNo,
    field: p.field,
    value: p.value,
    expected: p.expected,
    at: { file: 'members.xlsx', sheet: 'Sheet1', row: 2 },
  };
}

export function village(v: Partial<VillageSummary> & { village: string }): VillageSummary {
  return {
    county: '测试县',
    township: '城关镇',
    households: 10,
    people: 30,
    householdsWithErrors: 0,
    findings: 0,
    errors: 0,
    suspects: 0,
    infos: 0,
    byFamily: {},
    score: 1000,
    ...v,
  } as VillageSummary;
}

export function input(findings: ResolvedFinding[], villages: VillageSummary[]): WorkbookInput {
  return {
    findings,
    villages,
    asOf: '2020-04-30',
    checkedAt: '2020-05-01T02:03:04.000Z',
    sources: ['城关镇成员.xlsx', '帮扶.csv'],
    rules: [
      { id: 'ID-03', family: 'ID', severity: 'error', title: '校验码错误', explain: '证件号码最后一位校验码不对。' },
      { id: 'BASE-01', family: 'BASE', severity: 'error', title: '关键指标缺失', explain: '关键指标没有填写。' },
    ],
    headOf: (no) => (no === 'H001' ? '张三' : undefined),
  };
}

const made: string[] = [];

/** A fresh temporary directory, removed by removeTempDirs() (kept when QINGXI_KEEP_TMP is set). */
export async function tempDir(prefix: string): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), `qingxi-${prefix}-`));
  made.push(d);
  return d;
}

export async function removeTempDirs(): Promise<void> {
  if (process.env['QINGXI_KEEP_TMP']) return;
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/**
 * The committed township sample checked (as-of 2020-04-30) and its 司门前镇 整改台账 written into a
 * fresh temporary folder: a real 台账 for the tests that fill it in or take it apart.
 */
export async function sampleTownshipWorkbook(prefix: string): Promise<{ dir: string; path: string }> {
  const { runCheck } = await import('../../src/pipeline.js');
  const { writeCorrectionWorkbooks } = await import('../../src/outputs/workbook.js');
  const { loadConfigFile } = await import('../../src/config.js');
  const { RULES } = await import('../../validators/index.js');
  const res = await runCheck({ paths: ['samples/township'], asOf: '2020-04-30', config: loadConfigFile(undefined, RULES) });
  const dir = await tempDir(prefix);
  const written = await writeCorrectionWorkbooks(
    { findings: res.findings, villages: [], asOf: '2020-04-30', checkedAt: '2020-05-01T00:00:00Z', sources: [], rules: [], headOf: () => undefined },
    dir,
    'township',
  );
  return { dir, path: written.find((p) => p.includes('司门前镇'))! };
}

/** The parts of an xlsx as text. */
export async function xlsxParts(path: string): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(await readFile(path));
  const out = new Map<string, string>();
  for (const name of Object.keys(zip.files)) {
    const f = zip.files[name]!;
    if (!f.dir) out.set(name.replace(/^\//, ''), await f.async('string'));
  }
  return out;
}

/** Sheet XML by sheet name (via workbook.xml and its rels). */
export async function sheetXml(path: string): Promise<Map<string, string>> {
  const parts = await xlsxParts(path);
  const wb = parts.get('xl/workbook.xml')!;
  const rels = parts.get('xl/_rels/workbook.xml.rels')!;
  const out = new Map<string, string>();
  for (const m of wb.matchAll(/<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"/g)) {
    const target = new RegExp(`Id="${m[2]}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="${m[2]}"`).exec(rels)!;
    const t = (target[1] ?? target[2]!).replace(/^\/?xl\//, '').replace(/^\//, '');
    out.set(m[1]!, parts.get('xl/' + t)!);
  }
  return out;
}

/** Convert with LibreOffice in its own profile dir; returns the output file path. Fails clearly when soffice is missing. */
export async function soffice(file: string, to: string, outDir: string): Promise<string> {
  const profile = await tempDir('lo-profile');
  await runProgram(
    'soffice',
    [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--convert-to', to, '--outdir', outDir, file],
    { timeout: 180_000 },
  );
  const base = file.split('/').pop()!.replace(/\.[^.]+$/, '');
  const ext = to.split(':')[0]!;
  const files = await readdir(outDir);
  const hit = files.find((f) => f === `${base}.${ext}`);
  if (!hit) throw new Error(`soffice produced nothing for ${file} → ${to}: ${files.join(', ')}`);
  return join(outDir, hit);
}
