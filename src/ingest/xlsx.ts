// xlsx reader: workbook structure (sheet names, part paths) from the zip directory, cell values
// from exceljs's streaming reader fed with a re-ordered part stream (see zip.ts for why).
import ExcelJS from '../exceljs.js';
import type { RawCell } from './types.js';
import { ZipError, type ZipEntry, type ZipFile } from './zip.js';
import { LimitError } from './limits.js';
import { MERGE_SCAN_MAX, verticalMergesIn, type VerticalMerge } from './merges.js';

export { MERGE_SCAN_MAX, verticalMergesIn, type VerticalMerge } from './merges.js';

export interface SheetPart {
  name: string;
  entry: ZipEntry;
  hidden: boolean;
}

export interface WorkbookStructure {
  workbook: ZipEntry;
  workbookRels?: ZipEntry;
  styles?: ZipEntry;
  sharedStrings?: ZipEntry;
  sheets: SheetPart[];
  /** worksheets listed in workbook.xml whose part is missing from the zip */
  missingSheets: string[];
}

/**
 * Every part a reader inflates, in the order they are read (workbook, styles, shared strings,
 * sheets): the order PartMeter and checkZipParts count and check them in, so the same limit fires
 * first whichever reader reads the file.
 */
export function meteredParts(wb: WorkbookStructure): { entry: ZipEntry; label: string; sharedStrings?: boolean }[] {
  return [
    { entry: wb.workbook, label: '' },
    ...(wb.styles ? [{ entry: wb.styles, label: '' }] : []),
    ...(wb.sharedStrings ? [{ entry: wb.sharedStrings, label: '共享字符串表', sharedStrings: true }] : []),
    ...wb.sheets.map((s) => ({ entry: s.entry, label: `工作表「${s.name}」` })),
  ];
}

/** Physical row as a reader delivers it (1-based row number, 0-based cells). */
export interface SourceRow {
  row: number;
  cells: RawCell[];
  /** CSV: the record's text as written (for FILE-03) */
  raw?: string;
  /** CSV: the record could not be decoded cleanly */
  badEncoding?: boolean;
  /** CSV: a cell holds a NUL character */
  hasNul?: boolean;
}

/**
 * A sheet's rows as they come, several at a time: a reader hands on what one chunk of its input
 * gave (a CSV chunk's records, an XML chunk's rows), so the stages between it and the normaliser
 * pass an array on instead of a promise per row (~0.5 µs a row each).
 */
export type RowBatches = AsyncIterable<readonly SourceRow[]>;

export interface SourceSheet {
  name?: string;
  /** the rows in order, in batches; an empty batch may occur */
  batches: RowBatches;
  /** xlsx: merged ranges spanning several rows (filled down into data rows by sheet.ts) */
  merges?: readonly VerticalMerge[];
}

export function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e]!;
  });
}

function attrs(tag: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const a of tag.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) m.set(a[1]!, decodeXml(a[3] ?? a[4] ?? ''));
  return m;
}

/** `r:id` under whatever prefix the writer bound the relationships namespace to. */
function relId(a: Map<string, string>): string | undefined {
  for (const [k, v] of a) if (/^[\w.-]+:id$/.test(k)) return v;
  return undefined;
}

function resolvePath(baseDir: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : baseDir + target).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

interface Rel {
  id: string;
  type: string;
  target: string;
}

function parseRels(xml: string, baseDir: string): Rel[] {
  const rels: Rel[] = [];
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?Relationship\b([^>]*)>/g)) {
    const a = attrs(m[1]!);
    if (a.get('TargetMode') === 'External') continue;
    rels.push({ id: a.get('Id') ?? '', type: a.get('Type') ?? '', target: resolvePath(baseDir, a.get('Target') ?? '') });
  }
  return rels;
}

/** Reads the workbook's structure; throws ZipError when the zip holds no workbook. */
export async function readStructure(zip: ZipFile): Promise<WorkbookStructure> {
  let wbPath = 'xl/workbook.xml';
  const rootRels = zip.find('_rels/.rels');
  if (rootRels) {
    const rels = parseRels((await zip.read(rootRels)).toString('utf8'), '');
    const doc = rels.find((r) => /\/officeDocument$/.test(r.type));
    if (doc) wbPath = doc.target;
  }
  const workbook = zip.find(wbPath);
  if (!workbook) {
    if (zip.find('word/document.xml')) throw new ZipError('这是 Word 文档，不是 Excel 表格');
    if (zip.find('ppt/presentation.xml')) throw new ZipError('这是 PowerPoint 文件，不是 Excel 表格');
    if (zip.find('content.xml')) throw new ZipError('这是 WPS/OpenOffice 的 ODF 文件（.ods 等），不是 .xlsx');
    throw new ZipError('这是一个 zip 压缩包，但里面不是 Excel 工作簿');
  }
  const slash = wbPath.lastIndexOf('/');
  const dir = slash >= 0 ? wbPath.slice(0, slash + 1) : '';
  const relsPath = `${dir}_rels/${wbPath.slice(slash + 1)}.rels`;
  const workbookRels = zip.find(relsPath);
  const rels = workbookRels ? parseRels((await zip.read(workbookRels)).toString('utf8'), dir) : [];
  const byId = new Map(rels.map((r) => [r.id, r]));
  const byType = (t: string) => rels.find((r) => r.type.endsWith('/' + t));
  const wbXml = (await zip.read(workbook)).toString('utf8');
  const sheets: SheetPart[] = [];
  const missingSheets: string[] = [];
  for (const m of wbXml.matchAll(/<(?:[\w.-]+:)?sheet\b([^>]*)>/g)) {
    const a = attrs(m[1]!);
    const name = a.get('name') ?? '';
    const rel = byId.get(relId(a) ?? '');
    if (!rel) {
      missingSheets.push(name);
      continue;
    }
    if (!rel.type.endsWith('/worksheet')) continue; // chart sheets, dialog sheets: no cells
    const entry = zip.find(rel.target);
    if (!entry) {
      missingSheets.push(name);
      continue;
    }
    sheets.push({ name, entry, hidden: (a.get('state') ?? 'visible') !== 'visible' });
  }
  const ss = byType('sharedStrings');
  const st = byType('styles');
  return {
    workbook,
    ...(workbookRels ? { workbookRels } : {}),
    ...(ss && zip.find(ss.target) ? { sharedStrings: zip.find(ss.target)! } : {}),
    ...(st && zip.find(st.target) ? { styles: zip.find(st.target)! } : {}),
    sheets,
    missingSheets,
  };
}

const EMPTY_RELS = '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>';
const EMPTY_SST = '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>';

/** exceljs cell value → RawCell (numbers stay numbers, dates stay Date). */
export function toRawCell(v: unknown): RawCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isNaN(v) ? null : v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o['richText'])) return (o['richText'] as { text?: string }[]).map((r) => r.text ?? '').join('');
    if ('formula' in o || 'sharedFormula' in o) return 'result' in o ? toRawCell(o['result']) : null;
    if (typeof o['error'] === 'string') return o['error'];
    if ('text' in o) return toRawCell(o['text']);
    if ('result' in o) return toRawCell(o['result']);
  }
  return String(v);
}

/**
 * Sheets in workbook order, each with its rows streamed. A sheet's rows must be consumed before
 * the next sheet is taken (the parts come from one sequential stream).
 */
export async function* readXlsxSheets(
  zip: ZipFile,
  wb: WorkbookStructure,
  maxColumns?: number,
  checked?: ReadonlyMap<ZipEntry, { inflatedBytes: number; broken: boolean }>,
): AsyncGenerator<SourceSheet> {
  const parts: { entry?: ZipEntry; name: string; data?: Buffer }[] = [
    // empty rels: exceljs must not rename sheets from workbook.xml (we know the names)
    { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(EMPTY_RELS) },
    { name: 'xl/workbook.xml', entry: wb.workbook },
  ];
  if (wb.styles) parts.push({ name: 'xl/styles.xml', entry: wb.styles });
  parts.push(
    wb.sharedStrings
      ? { name: 'xl/sharedStrings.xml', entry: wb.sharedStrings }
      : { name: 'xl/sharedStrings.xml', data: Buffer.from(EMPTY_SST) },
  );
  wb.sheets.forEach((s, i) => parts.push({ name: `xl/worksheets/sheet${i + 1}.xml`, entry: s.entry }));
  const stream = await zip.streamEntries(parts, checked);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'ignore',
    // read by the Row patch in src/exceljs.ts: cells beyond it are never materialised
    ...(maxColumns !== undefined ? { maxColumns } : {}),
  } as ConstructorParameters<typeof ExcelJS.stream.xlsx.WorkbookReader>[1]);
  // merged ranges sit after the cells in a sheet's XML, too late for a streaming reader: find
  // them first, so a value merged down over several data rows (户编号 per household) reaches each row
  const merges = await Promise.all(wb.sheets.map((s) => scanVerticalMerges(zip, s.entry)));
  let i = 0;
  try {
    for await (const ws of reader) {
      const idx = i++;
      const part = wb.sheets[idx];
      if (!part) break;
      yield { name: part.name, batches: sheetRows(ws, part.name, maxColumns), merges: merges[idx] ?? [] };
      // the part broke part-way: its rows up to the break are read; the caller reports the sheet
      if (checked?.get(part.entry)?.broken) throw new ZipError('压缩数据已损坏');
    }
  } finally {
    stream.destroy();
  }
}

/** The merged ranges of a sheet that span more than one row (the `<mergeCells>` element). */
export async function scanVerticalMerges(zip: ZipFile, entry: ZipEntry): Promise<VerticalMerge[]> {
  if (entry.size > MERGE_SCAN_MAX) return [];
  let xml: Buffer;
  try {
    xml = await zip.read(entry, MERGE_SCAN_MAX);
  } catch {
    return []; // a broken part is reported when the cells are read
  }
  return verticalMergesIn(xml);
}

/** exceljs hands rows on one at a time: each is a batch of its own (the fallback reader only). */
async function* sheetRows(ws: AsyncIterable<ExcelJS.Row>, sheet: string, maxColumns?: number): AsyncGenerator<readonly SourceRow[]> {
  for await (const row of ws) {
    const beyond = (row as unknown as { qingxiBeyondColumn?: number }).qingxiBeyondColumn;
    if (beyond !== undefined && maxColumns !== undefined) {
      throw new LimitError('columnsPerRow', maxColumns, `工作表「${sheet}」第${row.number}行`, beyond);
    }
    const values = row.values as unknown[];
    const cells: RawCell[] = [];
    // exceljs values are 1-based and sparse
    for (let c = 1; c < values.length; c++) cells.push(toRawCell(values[c]));
    yield [{ row: row.number, cells }];
  }
}
