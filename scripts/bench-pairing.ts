// Benchmark of the PAIR cross rules at province scale: n synthetic pairing rows (default 1 M) in
// memory, with their households, through PAIR-01, -03, -06, -07, -08 and -09 (the interval sweeps
// and joins). Run: `node dist/scripts/bench-pairing.js [n]`.
import { pathToFileURL } from 'node:url';
import type { IdValue, NormalRow, SheetInfo } from '../src/model.js';
import type { CrossCtx } from '../src/engine/rule.js';
import { DerivedIndexes } from '../src/engine/derived.js';
import { parseAsOf } from '../src/core/as-of.js';
import type { HouseholdRow, PairingRow } from '../src/schema/rows.js';
import { IndexBuilder } from '../src/engine/indexes.js';
import { epochDay } from '../src/core/values.js';
import { PAIR_01, PAIR_03, PAIR_06, PAIR_07, PAIR_08, PAIR_09 } from '../validators/pairing.js';
import { pairingIndex } from '../validators/lib/pairing-index.js';
import { Rng } from '../src/samples/prng.js';

export interface BenchResult {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMiB: number;
  /** resident set size once the synthetic rows and the engine's indexes were built */
  rssBeforeRulesMiB?: number;
  /** CPU time of the rules (user + system; the machines are shared, wall time drifts) */
  cpuSeconds?: number;
  findings?: Record<string, number>;
  millisPerRule?: Record<string, number>;
}

/** Seeded, reproducible random numbers in [0, 1) (the sample generator's mulberry32). */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

/** A flat string, as a reader decoding bytes would produce (not a concatenation tree). */
function flat(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

function ymd(day: number): { y: number; m: number; d: number } {
  const t = new Date(day * 86_400_000);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

export async function benchPairing(n = 1_000_000): Promise<BenchResult> {
  const r = rng(2020);
  const asOf = epochDay(2020, 4, 30);
  const first = epochDay(2014, 1, 1);
  const pairingSheet: SheetInfo = {
    file: 'bench/结对帮扶.xlsx',
    sheet: 'Sheet1',
    tables: ['pairings'],
    fields: { pairings: new Set(['county', 'township', 'village', 'householdNo', 'helperId', 'helperName', 'startOn', 'endOn']) },
  };
  const householdSheet: SheetInfo = {
    file: 'bench/贫困户.xlsx',
    sheet: 'Sheet1',
    tables: ['households'],
    fields: { households: new Set(['village', 'householdNo', 'status', 'identifiedOn']) },
  };

  // households with 1–4 consecutive pairings each (some gaps, some overlaps); ~2.5 pairings per
  // household, ~4 households per helper so that some helpers exceed the cap
  const builder = new IndexBuilder();
  const helperCount = Math.max(1, Math.floor(n / 4));
  const helpers: IdValue[] = [];
  for (let h = 0; h < helperCount; h++) {
    const text = flat('43052419' + String(h).padStart(10, '0'));
    helpers.push({ raw: text, text, numericCell: false, scientific: false });
  }
  let made = 0;
  let hh = 0;
  let line = 2;
  while (made < n) {
    const householdNo = flat('4305240010' + String(hh).padStart(8, '0'));
    const village = flat('村' + (hh % 5000));
    const identified = first + Math.floor(r() * 700);
    const idd = ymd(identified);
    const hrow: HouseholdRow = {
      table: 'households',
      at: { file: householdSheet.file, sheet: householdSheet.sheet, row: hh + 2 },
      sheet: householdSheet,
      v: { village, householdNo, status: r() < 0.3 ? '未脱贫' : '已脱贫', identifiedOn: r() < 0.5 ? { y: idd.y } : idd },
    };
    builder.add(hrow as unknown as NormalRow);
    const k = Math.min(n - made, 1 + Math.floor(r() * 4));
    let start = identified + Math.floor(r() * 60) - 10;
    for (let j = 0; j < k; j++) {
      const len = 150 + Math.floor(r() * 900);
      const last = j === k - 1 && r() < 0.6;
      const end = start + len;
      const helper = helpers[Math.floor(r() * helperCount)]!;
      const sd = ymd(start);
      const v: PairingRow['v'] = { village, householdNo, helperId: helper, helperName: '帮扶人', startOn: sd };
      if (!last && end < asOf) v.endOn = ymd(end);
      const prow: PairingRow = { table: 'pairings', at: { file: pairingSheet.file, sheet: pairingSheet.sheet, row: line++ }, sheet: pairingSheet, v };
      builder.add(prow as unknown as NormalRow);
      made++;
      if (made < n && r() < 0.02) {
        // a row entered twice (PAIR-09)
        const dup: PairingRow = { ...prow, at: { ...prow.at, row: line++ } };
        builder.add(dup as unknown as NormalRow);
        made++;
      }
      // next pairing: usually the day after, sometimes a gap, sometimes an overlap
      const jitter = r();
      start = end + 1 + (jitter < 0.1 ? 20 + Math.floor(r() * 60) : jitter < 0.15 ? -30 : 0);
      if (!v.endOn) break;
    }
    hh++;
  }
  const ix = builder.finish();
  const asOfParsed = parseAsOf('2020-04-30');
  // derived indexes shared by the rules, as the runner would hold them for one run
  const derived = new DerivedIndexes(ix, asOfParsed);

  const counts: Record<string, number> = {};
  const timings: Record<string, number> = {};
  const rules = [PAIR_01, PAIR_03, PAIR_06, PAIR_07, PAIR_08, PAIR_09];
  const rssBefore = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  // the shared pairing index (interned keys, typed arrays): a derived index, built once per run and
  // handed to every rule that declares it — timed on its own, as the runner would build it first
  derived.get(pairingIndex);
  timings['index'] = Math.round(Number(process.hrtime.bigint() - t0) / 1e6);
  for (const rule of rules) {
    const declared = new Set<unknown>(rule.uses);
    const ctx: CrossCtx<unknown> = {
      asOf: asOfParsed,
      params: rule.params ? rule.params.parse({}) : {},
      povertyLine: () => undefined,
      use: (index) => {
        if (!declared.has(index)) throw new Error(`${rule.id} uses ${index.name} without declaring it`);
        return derived.get(index);
      },
    };
    let c = 0;
    const t1 = process.hrtime.bigint();
    rule.cross!(ix, () => void c++, ctx);
    counts[rule.id] = c;
    timings[rule.id] = Math.round(Number(process.hrtime.bigint() - t1) / 1e6);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  return {
    rows: ix.pairings.length,
    seconds: Math.round(seconds * 1000) / 1000,
    rowsPerSecond: Math.round(ix.pairings.length / seconds),
    peakRssMiB,
    rssBeforeRulesMiB: Math.round(rssBefore / 1048576),
    cpuSeconds: Math.round((cpu.user + cpu.system) / 1000) / 1000,
    findings: counts,
    millisPerRule: timings,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = process.argv[2] ? Number(process.argv[2]) : undefined;
  benchPairing(n).then(
    (res) => console.log(JSON.stringify(res, null, 2)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
