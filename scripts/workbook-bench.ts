// Memory and time of writing one 整改台账 with many findings (for the bench). Run compiled:
//   node dist/scripts/workbook-bench.js [findings=100000] [outDir]
// Prints one JSON line: findings, ms, bytes written, RSS before writing, peak RSS while writing.
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResolvedFinding, Severity } from '../src/model.js';
import { writeCorrectionWorkbooks } from '../src/outputs/workbook.js';
import type { VillageSummary } from '../src/outputs/summary.js';

export interface WorkbookBench {
  findings: number;
  workbooks: number;
  ms: number;
  bytes: number;
  rssBeforeMiB: number;
  peakRssMiB: number;
  peakHeapMiB: number;
}

/** Synthetic findings of one township: 30 villages, 4 findings per household on average. */
export function syntheticFindings(n: number): ResolvedFinding[] {
  const out: ResolvedFinding[] = [];
  const sev: Severity[] = ['error', 'error', 'suspect', 'info'];
  for (let i = 0; i < n; i++) {
    const hh = Math.floor(i / 4);
    const v = hh % 30;
    const id = `43052419${String(60 + (i % 40)).padStart(2, '0')}0101${String(i % 10000).padStart(4, '0')}`;
    out.push({
      rule: i % 2 ? 'ID-03' : 'BASE-01',
      family: i % 2 ? 'ID' : 'BASE',
      severity: sev[i % 4]!,
      title: i % 2 ? '校验码错误' : '关键指标缺失',
      message: `证件号码“${id}”校验位错误：按前17位计算，最后一位应为“${i % 10}”，号码中可能有录错的数字，请对照身份证原件核对（第 ${i} 条）`,
      fingerprint: (i * 2654435761 >>> 0).toString(16).padStart(8, '0') + String(i).padStart(12, '0'),
      table: 'members',
      region: { county: '测试县', township: '城关镇', village: `第${v + 1}村` },
      householdNo: `4305240010${String(hh).padStart(8, '0')}`,
      name: `成员${i}`,
      idNumber: id,
      field: i % 2 ? 'idNumber' : 'mainCause',
      value: id,
      expected: id.slice(0, 17) + (i % 10),
      at: { file: '成员.xlsx', sheet: 'Sheet1', row: i + 2 },
    });
  }
  return out;
}

export async function benchCorrectionWorkbook(n: number, outDir?: string): Promise<WorkbookBench> {
  const dir = outDir ?? (await mkdtemp(join(tmpdir(), 'qingxi-wbbench-')));
  const findings = syntheticFindings(n);
  const villages: VillageSummary[] = Array.from({ length: 30 }, (_, v) => ({
    county: '测试县',
    township: '城关镇',
    village: `第${v + 1}村`,
    households: Math.ceil(n / 4 / 30),
    people: Math.ceil(n / 30),
    householdsWithErrors: 0,
    findings: 0,
    errors: 0,
    suspects: 0,
    infos: 0,
    byFamily: {},
    score: 0,
  }));
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  let peakHeap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > peakRss) peakRss = m.rss;
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
  }, 25);
  const t0 = Date.now();
  const paths = await writeCorrectionWorkbooks(
    { findings, villages, asOf: '2020-04-30', checkedAt: new Date().toISOString(), sources: ['成员.xlsx'], rules: [], headOf: () => '户主' },
    dir,
    'township',
  );
  const ms = Date.now() - t0;
  clearInterval(timer);
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  let bytes = 0;
  for (const p of paths) bytes += (await stat(p)).size;
  const MiB = 1024 * 1024;
  return {
    findings: n,
    workbooks: paths.length,
    ms,
    bytes,
    rssBeforeMiB: Math.round(rssBefore / MiB),
    peakRssMiB: Math.round(peakRss / MiB),
    peakHeapMiB: Math.round(peakHeap / MiB),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.argv[2] ?? 100_000);
  benchCorrectionWorkbook(n, process.argv[3]).then(
    (r) => console.log(JSON.stringify({ ...r, maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) })),
    (e) => {
      console.error(e);
      process.exit(3);
    },
  );
}
