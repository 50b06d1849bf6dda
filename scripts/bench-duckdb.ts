// The relational checks of issue 15 in DuckDB (@duckdb/node-api, a dev dependency used by the bench
// only), over a generated province's CSV set (scripts/province-gen.ts): the same rows our cross
// rules read, loaded once, then the same duplicate, join and overlap checks in SQL. Counts come out
// in the units our findings use (one ID-08 per duplicated number, one PAIR-07 per helper, …) so the
// bench can check that both agree.
//
// Loaded columns: members' 县 / 户编号 / 证件号码, households' 户编号 / 家庭人口数, pairings' 户编号 /
// 帮扶责任人证件号码 / 帮扶开始时间 / 帮扶结束时间 (every value as text, dates cast in SQL: DuckDB's
// type detection would read ID numbers as numbers).
import { DuckDBInstance } from '@duckdb/node-api';
import { join } from 'node:path';
import { provinceLayout, type TableName } from './province-gen.js';

export const DUCKDB_CHECKS = ['ID-08', 'ID-08 cross-county', 'BASE-04', 'PAIR-01', 'PAIR-03', 'PAIR-07', 'PAIR-08', 'PAIR-09'] as const;
export type DuckdbCheck = (typeof DUCKDB_CHECKS)[number];

export interface DuckdbResult {
  /** rows loaded per table */
  rows: { members: number; households: number; pairings: number };
  loadMs: number;
  /** time of each check's query; `checksMs` is their sum */
  checkMs: Record<string, number>;
  checksMs: number;
  counts: Record<DuckdbCheck, number>;
  peakRssMiB: number;
  threads: number;
}

const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * `threads`: DuckDB's worker threads (2, the machine's cores; 1 to compare with our checks on one
 * core). `asOf` as YYYY-MM-DD; `maxHouseholdsPerHelper` and `pairGapDays` as our rules' defaults.
 */
export async function duckdbChecks(csvDir: string, threads = 2, asOf = '2020-04-30', maxHouseholdsPerHelper = 3, pairGapDays = 0): Promise<DuckdbResult> {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const conn = await instance.connect();
  const scalar = async (sql: string): Promise<number[]> => {
    const r = await conn.runAndReadAll(sql);
    return (r.getRows()[0] ?? []).map((v) => Number(v));
  };
  // the layout is known (the generator wrote it): no sniffing. With sniffing, DuckDB 1.5 took ~50 s
  // for two 100,000-row files with a title line (skip = 1) against 0.25 s without.
  const csv = (table: TableName, pick: Record<string, string>) => {
    const { headers, titleLines, file } = provinceLayout(table);
    const columns = `{${headers.map((_, k) => `'c${k}': 'VARCHAR'`).join(', ')}}`;
    const select = Object.entries(pick)
      .map(([as, h]) => {
        const k = headers.indexOf(h);
        if (k < 0) throw new Error(`${table} 没有列 ${h}`);
        return `c${k} AS ${as}`;
      })
      .join(', ');
    const glob = sqlText(join(csvDir, '*', `*${file}.csv`));
    return `SELECT ${select} FROM read_csv(${glob}, auto_detect = false, header = true, skip = ${titleLines}, delim = ',', quote = '"', escape = '"', columns = ${columns})`;
  };
  const asOfDate = `DATE ${sqlText(asOf)}`;

  const t0 = performance.now();
  await conn.run(`CREATE TABLE m AS ${csv('members', { county: '县', hh: '户编号', id: '证件号码' })}`);
  await conn.run(`CREATE TABLE h AS SELECT hh, TRY_CAST(size AS INTEGER) AS size FROM (${csv('households', { hh: '户编号', size: '家庭人口数' })})`);
  // an empty end means active through as-of (SPEC §3.0)
  await conn.run(
    `CREATE TABLE p AS SELECT hh, helper, TRY_CAST(s AS DATE) AS s, COALESCE(TRY_CAST(e AS DATE), ${asOfDate}) AS e ` +
      `FROM (${csv('pairings', { hh: '户编号', helper: '帮扶责任人证件号码', s: '帮扶开始时间', e: '帮扶结束时间' })})`,
  );
  const loadMs = performance.now() - t0;
  const [members = 0, households = 0, pairings = 0] = await scalar('SELECT (SELECT count(*) FROM m), (SELECT count(*) FROM h), (SELECT count(*) FROM p)');

  // every household a table names: the households table and the members' household numbers
  const known = '(SELECT hh FROM h WHERE hh IS NOT NULL UNION SELECT hh FROM m WHERE hh IS NOT NULL)';
  // the furthest end among the earlier rows of the same partition (sorted by start, then end)
  const far = (partition: string) => `max(e) OVER (PARTITION BY ${partition} ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)`;
  const checks: [string, string][] = [
    // duplicate: one number on two or more member rows; and how many of them span counties
    [
      'ID-08',
      `SELECT count(*), count(*) FILTER (WHERE counties > 1) FROM (SELECT id, count(DISTINCT county) AS counties FROM m WHERE id IS NOT NULL GROUP BY id HAVING count(*) > 1)`,
    ],
    // join members ↔ households: declared size against member rows
    ['BASE-04', `SELECT count(*) FROM h LEFT JOIN (SELECT hh, count(*) AS n FROM m GROUP BY hh) c USING (hh) WHERE h.size IS NOT NULL AND h.size <> coalesce(c.n, 0)`],
    // join households ↔ pairings: a household with no pairing at all
    ['PAIR-01', `SELECT count(*) FROM ${known} k WHERE NOT EXISTS (SELECT 1 FROM p WHERE p.hh = k.hh)`],
    // join pairings ↔ households: a pairing naming a household no table has
    ['PAIR-08', `SELECT count(*) FROM p WHERE p.hh IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${known} k WHERE k.hh = p.hh)`],
    // overlap: a household's pairings leave days uncovered (gaps of more than pairGapDays days)
    ['PAIR-03', `SELECT count(DISTINCT hh) FROM (SELECT hh, s, ${far('hh')} AS far FROM p WHERE s IS NOT NULL) WHERE s > far + ${pairGapDays + 1}`],
    // overlap: the same helper and household on overlapping intervals
    [
      'PAIR-09',
      `SELECT count(*) FROM (SELECT DISTINCT hh, helper FROM (SELECT hh, helper, s, ${far('hh, helper')} AS far FROM p WHERE s IS NOT NULL AND helper IS NOT NULL) WHERE s <= far)`,
    ],
    // overlap: a helper with maxHouseholdsPerHelper or more households at once (a pair's
    // overlapping rows merged first, so a row entered twice counts once)
    [
      'PAIR-07',
      `WITH o AS (SELECT helper, hh, s, e, ${far('helper, hh')} AS far FROM p WHERE s IS NOT NULL AND helper IS NOT NULL),
       i AS (SELECT helper, hh, s, e, sum(CASE WHEN far IS NULL OR s > far THEN 1 ELSE 0 END) OVER (PARTITION BY helper, hh ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS island FROM o),
       merged AS (SELECT helper, hh, min(s) AS s, max(e) AS e FROM i GROUP BY helper, hh, island),
       ev AS (SELECT helper, s AS d, 1 AS delta FROM merged UNION ALL SELECT helper, e + 1 AS d, -1 AS delta FROM merged),
       run AS (SELECT helper, sum(delta) OVER (PARTITION BY helper ORDER BY d, delta ROWS UNBOUNDED PRECEDING) AS c FROM ev)
       SELECT count(*) FROM (SELECT helper FROM run GROUP BY helper HAVING max(c) >= ${maxHouseholdsPerHelper})`,
    ],
  ];
  const checkMs: Record<string, number> = {};
  const counts = {} as Record<DuckdbCheck, number>;
  for (const [name, sql] of checks) {
    const t1 = performance.now();
    const [n = 0, cross] = await scalar(sql);
    checkMs[name] = Math.round(performance.now() - t1);
    counts[name as DuckdbCheck] = n;
    if (name === 'ID-08') counts['ID-08 cross-county'] = cross ?? 0;
  }
  conn.closeSync();
  instance.closeSync();
  return {
    rows: { members, households, pairings },
    loadMs: Math.round(loadMs),
    checkMs,
    checksMs: Object.values(checkMs).reduce((a, b) => a + b, 0),
    counts,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    threads,
  };
}
