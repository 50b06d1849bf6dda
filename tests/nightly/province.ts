// Synthetic provinces for the nightly tests: townships made with `qingxi samples`' generator (CSV
// format), renamed per township, laid out as INBOX/<县>/<乡镇>/…, and mutated between nights by
// editing records (parsed and written back as CSV in the file's own encoding).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { generateSamples, type Truth } from '../../src/samples/generate.js';

export interface TownshipSpec {
  county: string;
  township: string;
  /** replaces the generator's township code 106 in household numbers */
  code: string;
  seed: number;
  /** replaces the mobile prefix 139 of generated phones, so helpers of different townships never share a number */
  phonePrefix?: string;
}

type Encoding = 'utf8' | 'utf8bom' | 'gbk';

function decode(buf: Buffer): { text: string; enc: Encoding } {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { text: buf.subarray(3).toString('utf8'), enc: 'utf8bom' };
  const utf = buf.toString('utf8');
  if (!utf.includes('\ufffd')) return { text: utf, enc: 'utf8' };
  return { text: iconv.decode(buf, 'gb18030'), enc: 'gbk' };
}

function encode(text: string, enc: Encoding): Buffer {
  if (enc === 'gbk') return iconv.encode(text, 'gb18030');
  const b = Buffer.from(text, 'utf8');
  return enc === 'utf8bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]) : b;
}

/** Writes one township's export files (and truth.json) into dir. */
export async function makeTownship(cacheDir: string, dir: string, t: TownshipSpec): Promise<Truth> {
  const src = join(cacheDir, `seed-${t.seed}`);
  if (!existsSync(join(src, 'truth.json'))) await generateSamples({ outDir: src, households: 100, seed: t.seed, formats: 'csv' });
  mkdirSync(dir, { recursive: true });
  const rename = (s: string) => {
    const r = s.replaceAll('隆回县', t.county).replaceAll('司门前镇', t.township).replaceAll('430524106', '430524' + t.code).replaceAll('XM430524', 'XM430524' + t.code);
    if (!t.phonePrefix) return r;
    return r
      .replace(/(?<![\d.])1[3-9]\d(\d{8})(?!\d)/g, `${t.phonePrefix}$1`)
      .replace(/(?<![\d.])0739(\d{7})(?!\d)/g, `0${t.phonePrefix}$1`);
  };
  for (const name of readdirSync(src)) {
    if (!name.endsWith('.csv') && name !== 'truth.json') continue;
    const { text, enc } = decode(readFileSync(join(src, name)));
    writeFileSync(join(dir, name), name.endsWith('.csv') ? encode(rename(text), enc) : rename(text));
  }
  return JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth;
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rewrites every CSV record of a file through `edit` (records as string arrays). */
export function editCsv(path: string, edit: (records: string[][]) => string[][]): void {
  const { text, enc } = decode(readFileSync(path));
  const records = parse(text, { relax_column_count: true, skip_empty_lines: false }) as string[][];
  const out = edit(records).map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
  writeFileSync(path, encode(out, enc));
}

/** Removes every record naming the household (members, households, pairings, beneficiaries). */
export function removeHousehold(dir: string, householdNo: string): number {
  let removed = 0;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.csv'))) {
    editCsv(join(dir, name), (rs) => rs.filter((r) => (r.includes(householdNo) ? (removed++, false) : true)));
  }
  return removed;
}

/** Blanks the 姓名 of the first member row of a household (an ID-09 the clerk must fix). */
export function blankMemberName(dir: string, householdNo: string): void {
  let done = false;
  for (const name of readdirSync(dir).filter((n) => n.startsWith('成员信息'))) {
    editCsv(join(dir, name), (rs) => {
      const hi = rs.findIndex((r) => r.some((c) => c.replace(/\s/g, '') === '姓名' || c.replace(/\s/g, '') === '成员姓名'));
      if (hi < 0) return rs;
      const col = rs[hi]!.findIndex((c) => c.replace(/\s/g, '') === '姓名' || c.replace(/\s/g, '') === '成员姓名');
      return rs.map((r, i) => {
        if (done || i <= hi || !r.includes(householdNo)) return r;
        done = true;
        return r.map((c, j) => (j === col ? '' : c));
      });
    });
  }
  if (!done) throw new Error(`household ${householdNo} not found in member files`);
}

export { cpSync };
