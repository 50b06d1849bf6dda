// The hostile corpus: inputs an attacker or a careless user might upload, generated (no binaries
// are committed). Each case is a folder of files plus what a correct run must show. Small cases run
// in CI (tests/hostile/corpus.test.ts); all of them run in `npm run bench -- --hostile` with time
// and peak RSS per case (docs/benchmarks.md).
//
// Small cases meet the same code paths as the big ones through a config with tighter limits
// (`limits.json` beside the files), so CI stays quick.
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { crc32, createDeflateRaw } from 'node:zlib';
import iconv from 'iconv-lite';
import { checkChar } from '../src/samples/idcard.js';

export interface CaseResult {
  code: number | null;
  stderr: string;
  findings: { rule: string; code: string | null; message: string; name: string | null; related: string[]; file: string | null }[];
  summary: { totals: { dataRows: number; people: number; files: number; filesUnreadable: number; rejectedRows: number } };
}

export interface HostileCase {
  name: string;
  /** runs in CI */
  small: boolean;
  what: string;
  /** config file in the case folder (tighter limits for a small variant) */
  config?: string;
  /** the input folder (the case folder's `in`) */
  input: string;
  /** problems with a result, empty when it is right */
  judge(r: CaseResult): string[];
}

/** The repository root (from scripts/ or dist/scripts/). */
function repoRoot(): string {
  let d = import.meta.dirname;
  while (!existsSync(join(d, 'package.json')) && dirname(d) !== d) d = dirname(d);
  return d;
}

const HEADER = ['户编号', '姓名', '证件号码', '与户主关系', '性别'];

/** A valid 18-digit ID number for person n (synthetic: region 430524, born 1960–1999). */
export function idOf(n: number): string {
  const y = 1960 + (n % 40);
  const m = 1 + (Math.floor(n / 40) % 12);
  const d = 1 + (Math.floor(n / 480) % 28);
  const seq = String(100 + (n % 900)).padStart(3, '0');
  const first = `430524${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${seq}`;
  return first + checkChar(first);
}

function memberLine(i: number, over: Partial<Record<'no' | 'name' | 'id' | 'rel' | 'sex', string>> = {}): string[] {
  const id = over.id ?? idOf(i);
  const male = Number(id[16]) % 2 === 1;
  return [over.no ?? `H${String(i).padStart(6, '0')}`, over.name ?? '张三', id, over.rel ?? '户主', over.sex ?? (male ? '男' : '女')];
}

const csvLine = (cells: string[]): string => cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');

/** A small valid members CSV: the file that must still be read beside a hostile one. */
function goodFile(dir: string, rows = 20): void {
  const lines = [HEADER.join(',')];
  for (let i = 0; i < rows; i++) lines.push(csvLine(memberLine(900_000 + i)));
  writeFileSync(join(dir, '正常文件.csv'), lines.join('\r\n') + '\r\n');
}

// ---------------------------------------------------------------------------------------------
// a streaming xlsx writer: parts deflated as they are generated, sizes patched into the headers

export type Part = { name: string; body: () => Iterable<string> | AsyncIterable<string>; declaredSize?: number };

/** Writes a zip of `parts` in the order given, each deflated (level 6 unless told) as its body is generated. */
export async function writeXlsxStream(path: string, parts: Part[], level = 6): Promise<void> {
  const fd = openSync(path, 'w');
  let pos = 0;
  const write = (b: Buffer): void => {
    writeSync(fd, b, 0, b.length, pos);
    pos += b.length;
  };
  const central: Buffer[] = [];
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const localAt = pos;
    const lh = Buffer.alloc(30 + name.length);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(0x800, 6);
    lh.writeUInt16LE(8, 8);
    lh.writeUInt16LE(name.length, 26);
    name.copy(lh, 30);
    write(lh);
    let crc = 0;
    let size = 0;
    let csize = 0;
    const deflate = createDeflateRaw({ level });
    const done = new Promise<void>((res, rej) => {
      deflate.on('data', (c: Buffer) => {
        csize += c.length;
        write(c);
      });
      deflate.on('end', res);
      deflate.on('error', rej);
    });
    let pending: string[] = [];
    let pendingLen = 0;
    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      const b = Buffer.from(pending.join(''), 'utf8');
      pending = [];
      pendingLen = 0;
      crc = crc32(b, crc);
      size += b.length;
      if (!deflate.write(b)) await new Promise((r) => deflate.once('drain', r));
    };
    for await (const s of p.body() as AsyncIterable<string>) {
      pending.push(s);
      pendingLen += s.length;
      if (pendingLen > 1 << 20) await flush();
    }
    await flush();
    deflate.end();
    await done;
    // patch crc and sizes into the local header
    const patch = Buffer.alloc(12);
    patch.writeUInt32LE(crc >>> 0, 0);
    patch.writeUInt32LE(csize, 4);
    patch.writeUInt32LE(p.declaredSize ?? size, 8);
    writeSync(fd, patch, 0, 12, localAt + 14);
    const ch = Buffer.alloc(46 + name.length);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0x800, 8);
    ch.writeUInt16LE(8, 10);
    ch.writeUInt32LE(crc >>> 0, 16);
    ch.writeUInt32LE(csize, 20);
    ch.writeUInt32LE(p.declaredSize ?? size, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(localAt, 42);
    name.copy(ch, 46);
    central.push(ch);
  }
  const cd = Buffer.concat(central);
  const cdAt = pos;
  write(cd);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(central.length, 8);
  eocd.writeUInt16LE(central.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(cdAt, 16);
  write(eocd);
  closeSync(fd);
}

const xmlEsc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function colName(n: number): string {
  let s = '';
  for (n++; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** One sheet of inline strings: rows from `rows` (cells by column index). */
export async function writeXlsx(
  path: string,
  rows: () => Iterable<[number, string][]>,
  opts: { declaredSheetSize?: number; noRefs?: boolean; sharedStrings?: () => Iterable<string> } = {},
): Promise<void> {
  const sst = opts.sharedStrings;
  const parts: Part[] = [
    {
      name: '[Content_Types].xml',
      body: () => [
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
      ],
    },
    {
      name: '_rels/.rels',
      body: () => [
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
      ],
    },
    {
      name: 'xl/workbook.xml',
      body: () => [
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
          '<sheets><sheet name="成员" sheetId="1" r:id="rId1"/></sheets></workbook>',
      ],
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      body: () => [
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
          (sst ? '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' : '') +
          '</Relationships>',
      ],
    },
    ...(sst
      ? [
          {
            name: 'xl/sharedStrings.xml',
            body: function* () {
              yield '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">';
              for (const t of sst()) yield `<si><t>${xmlEsc(t)}</t></si>`;
              yield '</sst>';
            },
          },
        ]
      : []),
    {
      name: 'xl/worksheets/sheet1.xml',
      ...(opts.declaredSheetSize !== undefined ? { declaredSize: opts.declaredSheetSize } : {}),
      body: function* () {
        yield '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
        let r = 0;
        for (const cells of rows()) {
          r++;
          // without references (they are optional) identical rows are identical bytes: a real bomb
          let x = opts.noRefs ? '<row>' : `<row r="${r}">`;
          for (const [c, v] of cells) x += `<c${opts.noRefs ? '' : ` r="${colName(c)}${r}"`} t="inlineStr"><is><t>${xmlEsc(v)}</t></is></c>`;
          yield x + '</row>';
        }
        yield '</sheetData></worksheet>';
      },
    },
  ];
  await writeXlsxStream(path, parts);
}

export function* memberRows(n: number, extra?: (i: number) => [number, string][]): Iterable<[number, string][]> {
  yield HEADER.map((h, c) => [c, h] as [number, string]);
  for (let i = 0; i < n; i++) {
    const cells = memberLine(i).map((v, c) => [c, v] as [number, string]);
    yield extra ? [...cells, ...extra(i)] : cells;
  }
}

// ---------------------------------------------------------------------------------------------
// judging helpers

/** The arguments of `qingxi check` for a case. */
export function caseArgs(c: HostileCase, out: string): string[] {
  return ['check', c.input, '--as-of', '2020-04-30', '--out', out, ...(c.config ? ['--config', c.config] : [])];
}

/** A finished run's outputs (empty when it wrote none). */
export function readCaseResult(out: string, code: number | null, stderr: string): CaseResult {
  let findings: CaseResult['findings'] = [];
  let summary: CaseResult['summary'] = { totals: { dataRows: -1, people: -1, files: -1, filesUnreadable: -1, rejectedRows: -1 } };
  try {
    findings = readFileSync(join(out, 'findings.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as CaseResult['findings'][number]);
    summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as CaseResult['summary'];
  } catch {
    // no outputs: the judge sees no rows and no findings
  }
  return { code, stderr, findings, summary };
}

const has = (r: CaseResult, rule: string, text?: string | RegExp): boolean =>
  r.findings.some((f) => f.rule === rule && (text === undefined || (typeof text === 'string' ? f.message.includes(text) : text.test(f.message))));

function expectLimit(r: CaseResult, limitZh: string, goodRows: number): string[] {
  const out: string[] = [];
  if (r.code === null || r.code > 2) out.push(`exit ${r.code}`);
  if (!has(r, 'FILE-04', limitZh)) out.push(`no FILE-04 naming “${limitZh}”: ${r.findings.filter((f) => f.rule === 'FILE-04').map((f) => f.message).join(' | ')}`);
  if (r.summary.totals.dataRows !== goodRows) out.push(`data rows ${r.summary.totals.dataRows}, want ${goodRows} (only the good file)`);
  return out;
}

function expectRows(r: CaseResult, rows: number, noRule?: string): string[] {
  const out: string[] = [];
  if (r.code === null || r.code > 1) out.push(`exit ${r.code}: ${r.stderr.slice(0, 300)}`);
  if (r.summary.totals.dataRows !== rows) out.push(`data rows ${r.summary.totals.dataRows}, want ${rows}`);
  if (noRule && r.findings.some((f) => f.rule === noRule)) out.push(`unexpected ${noRule}: ${r.findings.find((f) => f.rule === noRule)!.message}`);
  return out;
}

// ---------------------------------------------------------------------------------------------

/** Writes the corpus under `root`; `which`: 'small' (CI) or 'all' (bench). */
export async function writeHostileCorpus(root: string, which: 'small' | 'all', only?: readonly string[]): Promise<HostileCase[]> {
  const cases: HostileCase[] = [];
  const make = (name: string): { dir: string; input: string } => {
    const dir = join(root, name);
    const input = join(dir, 'in');
    mkdirSync(input, { recursive: true });
    return { dir, input };
  };
  /** A members CSV of n rows (four to a household), written 10,000 lines at a time. */
  const writeMembersCsv = (path: string, n: number): void => {
    const fd = openSync(path, 'w');
    writeSync(fd, HEADER.join(',') + '\n');
    for (let i = 0; i < n; i += 10_000) {
      const lines: string[] = [];
      for (let k = i; k < Math.min(n, i + 10_000); k++) lines.push(csvLine(memberLine(k, { no: `H${String(Math.floor(k / 4)).padStart(6, '0')}`, rel: k % 4 === 0 ? '户主' : '之子' })));
      writeSync(fd, lines.join('\n') + '\n');
    }
    closeSync(fd);
  };
  const limitsConfig = (dir: string, limits: Record<string, number>): string => {
    const p = join(dir, 'limits.json');
    writeFileSync(p, JSON.stringify({ limits }));
    return p;
  };
  // cases are named where they are written; `only` picks by name (the generator skips the others)
  const want = (small: boolean, name: string): boolean => (which === 'all' || small) && (!only || only.includes(name));

  // 1. one ID number on every row: one ID-08 finding, linear cost
  for (const [name, n, small] of [
    ['dup-id-2k', 2000, true],
    ['dup-id-50k', 50_000, false],
  ] as const) {
    if (!want(small, name)) continue;
    const { input } = make(name);
    const same = idOf(7);
    const lines = [HEADER.join(',')];
    for (let i = 0; i < n; i++) lines.push(csvLine(memberLine(i, { id: same, sex: '男' })));
    writeFileSync(join(input, '成员.csv'), lines.join('\n') + '\n');
    cases.push({
      name,
      small,
      what: `${n} member rows, one ID number`,
      input,
      judge: (r) => {
        const out = expectRows(r, n);
        const f = r.findings.filter((x) => x.rule === 'ID-08');
        if (f.length !== 1) out.push(`${f.length} ID-08 findings, want 1`);
        else if (f[0]!.related.length !== n - 1) out.push(`ID-08 related ${f[0]!.related.length}, want ${n - 1}`);
        else if (f[0]!.message.length > 600) out.push(`ID-08 message ${f[0]!.message.length} chars`);
        return out;
      },
    });
  }

  // 1b. other repeated keys: one household with thousands of 配偶, one pair on thousands of
  // overlapping rows (PAIR-09), thousands of helpers sharing one phone (HELPER-03)
  for (const [name, n, small] of [
    ['repeated-keys-2k', 2000, true],
    ['repeated-keys-50k', 50_000, false],
  ] as const) {
    if (!want(small, name)) continue;
    const { input } = make(name);
    const members = [HEADER.join(',')];
    for (let i = 0; i < n; i++) members.push(csvLine(memberLine(i, { no: 'H000001', rel: i === 0 ? '户主' : '配偶', sex: '男', id: idOf(2 * i + 1) })));
    writeFileSync(join(input, '成员.csv'), members.join('\n') + '\n');
    const pairs = ['户编号,帮扶责任人证件号码,帮扶责任人姓名,帮扶单位,联系电话,帮扶开始时间,帮扶结束时间'];
    for (let i = 0; i < n; i++) {
      const helper = i < n / 2 ? idOf(1_000_001) : idOf(2_000_000 + i);
      pairs.push(csvLine(['H000001', helper, '帮扶人', '县农业局', '13800000000', `2016-0${1 + (i % 9)}-01`, '']));
    }
    writeFileSync(join(input, '结对帮扶.csv'), pairs.join('\n') + '\n');
    cases.push({
      name,
      small,
      what: `${n} 配偶 in one household, ${n / 2} rows of one pair, ${n / 2} helpers sharing a phone`,
      input,
      judge: (r) => {
        const out: string[] = [];
        if (r.code === null || r.code > 1) out.push(`exit ${r.code}`);
        const h03 = r.findings.filter((f) => f.rule === 'HELPER-03');
        if (h03.length < n / 2) out.push(`HELPER-03 ${h03.length}, want ≥ ${n / 2}`);
        if (h03.some((f) => f.related.length > 20)) out.push('a HELPER-03 lists more than 20 others');
        if (r.findings.filter((f) => f.rule === 'PAIR-09').length !== 1) out.push(`PAIR-09 ${r.findings.filter((f) => f.rule === 'PAIR-09').length}, want 1`);
        if (r.findings.filter((f) => f.rule === 'BASE-12').length !== n - 1) out.push(`BASE-12 ${r.findings.filter((f) => f.rule === 'BASE-12').length}, want ${n - 1}`);
        return out;
      },
    });
  }

  // 2. identical rows that inflate far beyond the upload (ratio / inflated size)
  for (const [name, rows, small] of [
    ['inflate-ratio-small', 60_000, true],
    ['inflate-7mb-to-gb', 5_000_000, false],
  ] as const) {
    if (!want(small, name)) continue;
    const { dir, input } = make(name);
    const row: [number, string][] = memberLine(1).map((v, c) => [c, v]);
    const pad: [number, string] = [5, '备注'.repeat(40)];
    await writeXlsx(
      join(input, '炸弹.xlsx'),
      function* () {
        yield HEADER.map((h, c) => [c, h] as [number, string]);
        for (let i = 0; i < rows; i++) yield [...row, pad];
      },
      { noRefs: true },
    );
    goodFile(input);
    cases.push({
      name,
      small,
      what: `${rows.toLocaleString()} identical rows deflated`,
      input,
      ...(small ? { config: limitsConfig(dir, { inflatedBytesPerFile: 16 * 1024 * 1024 }) } : {}),
      judge: (r) => {
        const out = expectLimit(r, '', 20);
        if (!has(r, 'FILE-04', /解压后|压缩比/)) out.push('FILE-04 does not name an inflate limit');
        return out;
      },
    });
  }

  // 3. a directory that under-declares the sheet's size
  for (const [name, rows, small] of [
    ['underdeclared-small', 60_000, true],
    ['underdeclared-big', 1_500_000, false],
  ] as const) {
    if (!want(small, name)) continue;
    const { dir, input } = make(name);
    await writeXlsx(join(input, '少报大小.xlsx'), () => memberRows(rows, () => [[5, '备注'.repeat(50)]]), { declaredSheetSize: 1000 });
    goodFile(input);
    cases.push({
      name,
      small,
      what: `sheet declared as 1,000 bytes, ${rows.toLocaleString()} rows`,
      input,
      ...(small ? { config: limitsConfig(dir, { inflatedBytesPerPart: 8 * 1024 * 1024 }) } : { config: limitsConfig(dir, { inflatedBytesPerPart: 256 * 1024 * 1024 }) }),
      judge: (r) => expectLimit(r, '单个部件解压后大小', 20),
    });
  }

  // 4. a value in column XFD on every row
  for (const [name, rows, small] of [
    ['column-xfd-small', 3000, true],
    ['column-xfd-5mb', 60_000, false],
  ] as const) {
    if (!want(small, name)) continue;
    const { input } = make(name);
    await writeXlsx(join(input, '远处一列.xlsx'), () => memberRows(rows, () => [[16383, 'x']]));
    goodFile(input);
    cases.push({ name, small, what: `${rows} rows with a cell in XFD`, input, judge: (r) => expectLimit(r, '每行列数', 20) });
  }

  // 5. one huge cell: xlsx and CSV
  for (const [name, bytes, small] of [
    ['huge-cell-xlsx-1mb', 1 << 20, true],
    ['huge-cell-xlsx-50mb', 50 << 20, false],
  ] as const) {
    if (!want(small, name)) continue;
    const { input } = make(name);
    await writeXlsx(join(input, '大单元格.xlsx'), function* () {
      yield HEADER.map((h, c) => [c, h] as [number, string]);
      yield memberLine(1).map((v, c) => [c, c === 1 ? 'A'.repeat(bytes) : v] as [number, string]);
    });
    goodFile(input);
    cases.push({ name, small, what: `one cell of ${bytes >> 20} MiB`, input, judge: (r) => expectLimit(r, '单元格内容长度', 20) });
  }
  for (const [name, bytes, small] of [
    ['huge-cell-csv-1mb', 1 << 20, true],
    ['huge-cell-csv-150mb', 150 << 20, false],
  ] as const) {
    if (!want(small, name)) continue;
    const { input } = make(name);
    const fd = openSync(join(input, '大单元格.csv'), 'w');
    writeSync(fd, HEADER.join(',') + '\n' + memberLine(1).slice(0, 1).join(',') + ',"');
    const chunk = Buffer.alloc(1 << 20, 'A');
    for (let i = 0; i < bytes >> 20; i++) writeSync(fd, chunk);
    writeSync(fd, '",' + memberLine(1).slice(2).join(',') + '\n');
    closeSync(fd);
    goodFile(input);
    cases.push({ name, small, what: `one CSV cell of ${bytes >> 20} MiB`, input, judge: (r) => expectLimit(r, '单元格内容长度', 20) });
  }

  // 5b. a line of nothing but delimiters: a record of millions of cells before any row check
  for (const [name, bytes, small] of [
    ['csv-commas-1mb', 1 << 20, true],
    ['csv-commas-50mb', 50 << 20, false],
  ] as const) {
    if (!want(small, name)) continue;
    const { input } = make(name);
    const fd = openSync(join(input, '逗号.csv'), 'w');
    writeSync(fd, HEADER.join(',') + '\n');
    const chunk = Buffer.alloc(1 << 20, ',');
    for (let i = 0; i < bytes >> 20; i++) writeSync(fd, chunk);
    writeSync(fd, '\n');
    closeSync(fd);
    goodFile(input);
    cases.push({ name, small, what: `one line of ${bytes >> 20} MiB of commas (was: 2.3 GB RSS at 50 MiB)`, input, judge: (r) => expectLimit(r, '每行列数', 20) });
  }

  // 6. line endings
  if (want(true, 'line-endings-appended')) {
    const { input } = make('line-endings-appended');
    const crlf = [HEADER.join(',')];
    for (let i = 0; i < 50; i++) crlf.push(csvLine(memberLine(i)));
    const lf: string[] = [];
    for (let i = 50; i < 80; i++) lf.push(csvLine(memberLine(i)));
    writeFileSync(join(input, '追加.csv'), crlf.join('\r\n') + '\r\n' + lf.join('\n') + '\n');
    cases.push({ name: 'line-endings-appended', small: true, what: 'CRLF file with LF rows appended', input, judge: (r) => expectRows(r, 80, 'FILE-03') });
  }
  if (want(true, 'line-endings-mixed')) {
    const { input } = make('line-endings-mixed');
    const ends = ['\r\n', '\n', '\r'];
    let text = HEADER.join(',') + '\r';
    for (let i = 0; i < 90; i++) {
      const cells = memberLine(i, i % 10 === 3 ? { name: '张\r\n三' } : {});
      text += csvLine(cells) + ends[i % 3];
    }
    writeFileSync(join(input, '混合.csv'), text);
    cases.push({
      name: 'line-endings-mixed',
      small: true,
      what: 'CRLF, LF and CR mixed, quoted cells spanning lines',
      input,
      judge: (r) => {
        const out = expectRows(r, 90, 'FILE-03');
        // the names with a line break inside quotes are read as one cell (ID-09 for the break)
        if (r.findings.filter((f) => f.rule === 'ID-09').length !== 9) out.push(`ID-09 ${r.findings.filter((f) => f.rule === 'ID-09').length}, want 9`);
        return out;
      },
    });
  }

  // 7. NUL bytes, UTF-16, formula-leading values, right-to-left and emoji text, duplicate headers
  if (want(true, 'nul-bytes')) {
    const { input } = make('nul-bytes');
    const lines = [HEADER.join(',')];
    for (let i = 0; i < 30; i++) lines.push(csvLine(memberLine(i, i === 4 ? { name: '李\u0000四' } : {})));
    writeFileSync(join(input, '空字符.csv'), lines.join('\n') + '\n');
    cases.push({
      name: 'nul-bytes',
      small: true,
      what: 'a NUL inside a name',
      input,
      judge: (r) => {
        const out = expectRows(r, 30);
        if (!r.findings.some((f) => f.rule === 'ID-09' && (f.name ?? '').includes('\u0000'))) out.push('the name with a NUL is not ID-09');
        if (!has(r, 'FILE-03', '空字符')) out.push('no note that the file holds NUL bytes');
        return out;
      },
    });
  }
  if (want(true, 'huge-exponents')) {
    // an exponent typed into key, ID and phone cells: expanded, 1E999999999 was a billion zeros
    // (a RangeError that lost the whole file, or a gigabyte string per cell)
    const { input } = make('huge-exponents');
    const lines = [[...HEADER, '联系电话'].join(',')];
    for (let i = 0; i < 20; i++) {
      const cells = memberLine(i, i === 3 ? { id: '1E999999999' } : i === 5 ? { no: '4.3E99999999' } : {});
      lines.push(csvLine([...cells, i === 7 ? '1.38E99999999' : '13800000000']));
    }
    writeFileSync(join(input, '科学计数.csv'), lines.join('\n') + '\n');
    cases.push({
      name: 'huge-exponents',
      small: true,
      what: 'ID, household number and phone cells written with a huge exponent',
      input,
      judge: (r) => {
        const out = expectRows(r, 20, 'FILE-04');
        if (!r.findings.some((f) => f.rule === 'ID-10' && f.code === 'scientific')) out.push('the ID number in scientific notation is not ID-10');
        return out;
      },
    });
  }
  if (want(true, 'utf16')) {
    const { input } = make('utf16');
    const lines = [HEADER.join('\t')];
    for (let i = 0; i < 25; i++) lines.push(memberLine(i).join('\t'));
    writeFileSync(join(input, '导出-utf16le.csv'), Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(lines.join('\r\n') + '\r\n', 'utf16le')]));
    writeFileSync(join(input, '导出-utf16be.csv'), Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(lines.join('\r\n') + '\r\n', 'utf16be')]));
    cases.push({ name: 'utf16', small: true, what: 'UTF-16 LE and BE with BOM, tab-separated', input, judge: (r) => expectRows(r, 50, 'FILE-03') });
  }
  if (want(true, 'formula-and-scripts')) {
    const { input } = make('formula-and-scripts');
    const names = ['=1+1', '+8613800000000', '-2+3', '@SUM(A1)', '=HYPERLINK("http://x","点我")', 'محمد', '\u202e张三', '王五😀', '李\u200b四', '赵六'];
    const lines = [HEADER.join(',')];
    names.forEach((n, i) => lines.push(csvLine(memberLine(i, { name: n }))));
    writeFileSync(join(input, '公式与文字方向.csv'), lines.join('\n') + '\n');
    cases.push({
      name: 'formula-and-scripts',
      small: true,
      what: 'formula-leading values, right-to-left and emoji names',
      input,
      judge: (r) => {
        const out = expectRows(r, names.length);
        const bad = new Set(r.findings.filter((f) => f.rule === 'ID-09').map((f) => f.name));
        for (const n of names.slice(0, 9)) if (!bad.has(n)) out.push(`name ${JSON.stringify(n)} is not ID-09`);
        if (bad.has('赵六')) out.push('a clean name is ID-09');
        return out;
      },
    });
  }
  if (want(true, 'duplicate-headers')) {
    const { input } = make('duplicate-headers');
    const lines = [[...HEADER, '姓名'].join(',')];
    for (let i = 0; i < 10; i++) lines.push(csvLine([...memberLine(i), '别名']));
    writeFileSync(join(input, '重复表头.csv'), lines.join('\n') + '\n');
    cases.push({
      name: 'duplicate-headers',
      small: true,
      what: '姓名 twice',
      input,
      judge: (r) => {
        const out = expectRows(r, 10);
        if (!has(r, 'FILE-02')) out.push('no FILE-02 for the duplicated header');
        return out;
      },
    });
  }

  // 8. truncated and encrypted workbooks
  if (want(true, 'truncated-and-encrypted')) {
    const { input } = make('truncated-and-encrypted');
    const whole = join(input, '完整.xlsx.tmp');
    await writeXlsx(whole, () => memberRows(200));
    const buf = readFileSync(whole);
    rmSync(whole);
    writeFileSync(join(input, '截断.xlsx'), buf.subarray(0, Math.floor(buf.length / 2)));
    // the password-protected fixture the ingest tests use (an OLE file with EncryptionInfo)
    copyFileSync(join(repoRoot(), 'tests/fixtures/ingest/password.xlsx'), join(input, '加密.xlsx'));
    goodFile(input);
    cases.push({
      name: 'truncated-and-encrypted',
      small: true,
      what: 'an xlsx cut in half and a password-protected one',
      input,
      judge: (r) => {
        const out: string[] = [];
        if (r.code === null || r.code > 1) out.push(`exit ${r.code}`);
        if (!has(r, 'FILE-04', '截断.xlsx')) out.push('no FILE-04 for the truncated file');
        if (!has(r, 'FILE-04', '密码')) out.push('no FILE-04 naming the password');
        if (r.summary.totals.dataRows !== 20) out.push(`data rows ${r.summary.totals.dataRows}, want 20`);
        return out;
      },
    });
  }

  // 8a. a file that takes longer to read than secondsPerFile allows (1 s here)
  if (want(true, 'time-limit')) {
    const { dir, input } = make('time-limit');
    // more rows than any machine reads in the one second allowed (the check reads ~100,000 rows a
    // second; 200,000 rows once fitted in a second on a quiet machine): the limit must trip
    writeMembersCsv(join(input, '成员.csv'), 1_000_000);
    goodFile(input);
    cases.push({
      name: 'time-limit',
      small: true,
      what: '1,000,000 rows with secondsPerFile 1 (rowsPerSheet raised so that time is the limit met)',
      input,
      config: limitsConfig(dir, { secondsPerFile: 1, rowsPerSheet: 2_000_000 }),
      judge: (r) => expectLimit(r, '读取时间', 20),
    });
  }

  // 8b. a members CSV just under the default rows-per-sheet limit: what the largest accepted sheet costs
  if (want(false, 'rows-at-limit')) {
    const { input } = make('rows-at-limit');
    writeMembersCsv(join(input, '成员.csv'), 249_999);
    cases.push({ name: 'rows-at-limit', small: false, what: '249,999 member rows in one CSV (just under rowsPerSheet)', input, judge: (r) => expectRows(r, 249_999) });
  }

  // 8c. a shared-strings table of 3,500,000 distinct texts (~185 MB of XML) (exceljs caches it whole before any row)
  // 8d. the same texts beyond inflatedBytesSharedStrings (limit lowered to 64 MiB here)
  if (want(false, 'shared-strings-over-limit')) {
    const { dir, input } = make('shared-strings-over-limit');
    await writeXlsx(
      join(input, '共享字符串.xlsx'),
      function* () {
        yield HEADER.map((h, c) => [c, h] as [number, string]);
        for (let i = 0; i < 1000; i++) yield memberLine(i).map((v, c) => [c, v] as [number, string]);
      },
      { sharedStrings: function* () { for (let i = 0; i < 5_000_000; i++) yield `村民备注第${i}条说明文字`; } },
    );
    goodFile(input);
    cases.push({
      name: 'shared-strings-over-limit',
      small: false,
      what: '5,000,000 distinct shared strings, inflatedBytesSharedStrings 64 MiB',
      input,
      config: limitsConfig(dir, { inflatedBytesSharedStrings: 64 * 1024 * 1024 }),
      judge: (r) => expectLimit(r, '共享字符串表解压后大小', 20),
    });
  }
  if (want(false, 'shared-strings-large')) {
    const { input } = make('shared-strings-large');
    const n = 3_500_000;
    await writeXlsx(
      join(input, '共享字符串.xlsx'),
      function* () {
        yield HEADER.map((h, c) => [c, h] as [number, string]);
        for (let i = 0; i < 1000; i++) yield memberLine(i).map((v, c) => [c, v] as [number, string]);
      },
      { sharedStrings: function* () { for (let i = 0; i < n; i++) yield `村民备注第${i}条说明文字`; } },
    );
    goodFile(input);
    cases.push({
      name: 'shared-strings-large',
      small: false,
      what: '3,500,000 distinct shared strings (just under inflatedBytesSharedStrings), 1,000 rows',
      input,
      judge: (r) => {
        const out: string[] = [];
        if (r.code === null || r.code > 1) out.push(`exit ${r.code}`);
        if (r.summary.totals.dataRows !== 1020) out.push(`data rows ${r.summary.totals.dataRows}, want 1020`);
        return out;
      },
    });
  }

  // 9. a full sheet: 1,048,576 rows
  if (want(false, 'million-rows')) {
    const { input } = make('million-rows');
    await writeXlsx(join(input, '满表.xlsx'), () => memberRows(1_048_575));
    goodFile(input);
    cases.push({ name: 'million-rows', small: false, what: '1,048,576-row sheet', input, judge: (r) => expectLimit(r, '每张工作表行数', 20) });
  }
  return cases;
}
