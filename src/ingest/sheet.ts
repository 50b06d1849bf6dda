// One sheet (or one CSV): buffer the first rows, find the header, then stream every physical row
// into exactly one bucket, data rows through the row normalisers of every table the sheet feeds.
import type { Finding, Loc, NormalRow, SheetInfo, TableKind } from '../model.js';
import { normalizeText } from '../normalize/text.js';
import { makeRowNormalizer } from '../normalize/row.js';
import type { HelperRow } from '../schema/rows.js';
import { fieldSpec } from '../schema/tables.js';
import { cellText, colLetter, detectHeader, isBlankRow, type HeaderFound, type HeaderOverride } from './header.js';
import { applyRelationDialect, decideRelationDialect, relationCode, type CodeObservation, type RelationDialect } from '../normalize/dialect.js';
import { isInstructionRow } from './instruction.js';
import type { IngestSink, RawCell, RowBuckets, RowNormalizer, SheetAccounting } from './types.js';
import type { SourceRow, SourceSheet, VerticalMerge } from './xlsx.js';

/** Non-blank rows looked at for the header; blank and physical rows are capped separately. */
const HEADER_SCAN_ROWS = 30;
const HEADER_SCAN_PHYSICAL = 2000;
const PROGRESS_EVERY = 2000;
const RAW_MAX = 500;

/** Shared per file: where findings go, progress. */
export interface FileCtx {
  file: string;
  sink: IngestSink;
  physicalRows: number;
  lastProgress: number;
}

/**
 * Footer cells: totals, signatures, notes. Totals may carry text after the word (合计：123户);
 * the others must be the whole cell or be followed by a colon or space (制表人：张三).
 */
const FOOTER_TOTAL = /^(合计|总计|小计|共计|累计|总合计)/;
const FOOTER_LABEL =
  /^(制表人|制表|填表人|填报人|审核人|审核|审批人|负责人|单位负责人|分管领导|主管领导|经办人|统计人|联系人|制表日期|填表日期|填报日期|审核日期|打印日期|打印时间|导出时间|制表时间|填报单位|制表单位|填表说明|填报说明|填写说明|金额单位|单位|注|备注|说明|附注)(\s|:|$)/;

// first characters of the footer words (Simplified and Traditional): a cheap pre-filter, since
// every key cell of every data row passes through here
const FOOTER_START = /^[\d.、\s]*[合总總小共累制製填审審负負单單分主经經统統联聯打导導附注註备備说說]/;

function isFooterText(s: string): boolean {
  if (!s || !FOOTER_START.test(s)) return false;
  const t = normalizeText(s).replace(/^[\d.、\s]*(?=[^\d])/, '');
  return FOOTER_TOTAL.test(t) || FOOTER_LABEL.test(t);
}

/** Fields whose value makes a row a data row, never a footer. */
const KEY_FIELDS = new Set(['householdNo', 'idNumber', 'helperId', 'headId', 'projectNo']);
/** Key fields holding ID numbers: a real one has at least 15 characters. */
const ID_KEY_FIELDS = new Set(['idNumber', 'helperId', 'headId']);

function emptyBuckets(): RowBuckets {
  return { title: 0, header: 0, instruction: 0, data: 0, blank: 0, footer: 0, rejected: 0, unrecognised: 0 };
}

export interface SheetResult {
  acc: SheetAccounting;
  /** the reader failed part-way: rows up to here are read and accounted */
  error?: unknown;
}

/**
 * What a user forced for a sheet (config `columns`; src/ingest/index.ts looks the entry up by file
 * and sheet name and passes it here): the header reading (tables, header rows, header → field
 * bindings, see HeaderOverride in header.ts) and code dialects of coded columns.
 */
export interface SheetOverride extends HeaderOverride {
  dialects?: { relation?: RelationDialect };
}

export async function ingestSheet(ctx: FileCtx, src: SourceSheet, csv: boolean, override?: SheetOverride): Promise<SheetResult> {
  const sheet = src.name;
  const acc: SheetAccounting = {
    file: ctx.file,
    ...(sheet !== undefined ? { sheet } : {}),
    tables: [],
    headerRows: [],
    physicalRows: 0,
    buckets: emptyBuckets(),
    rejected: [],
    unknownColumns: [],
    missingRequired: [],
  };
  // built per data row: plain literals, no spreads
  const file = ctx.file;
  const at = (row?: number): Loc =>
    row === undefined ? (sheet !== undefined ? { file, sheet } : { file }) : sheet !== undefined ? { file, sheet, row } : { file, row };
  const finding = (f: Finding) => ctx.sink.finding(f);

  let lastRow = 0;
  let nonBlankSeen = 0;
  let buffer: SourceRow[] | null = [];
  let proc: ((r: SourceRow) => void) | null = null;

  const count = (n: number) => {
    acc.physicalRows += n;
    ctx.physicalRows += n;
    if (ctx.physicalRows - ctx.lastProgress >= PROGRESS_EVERY) {
      ctx.lastProgress = ctx.physicalRows;
      ctx.sink.progress?.(ctx.physicalRows);
    }
  };

  const start = () => {
    const rows = buffer ?? [];
    buffer = null;
    const h = detectHeader(rows, override);
    if (!h.ok) {
      proc = (r) => {
        if (isBlankRow(r.cells)) acc.buckets.blank++;
        else acc.buckets.unrecognised++;
      };
      if (nonBlankSeen > 0 || rows.some((r) => !isBlankRow(r.cells))) {
        // emitted once the sheet is done, with the number of rows left unread
        pendingFile01 = h;
        acc.missingRequired = h.missingLabels;
        if (h.bestRow !== undefined) {
          // the guessed row's cells by column: `qingxi inspect` shows them and suggests fields
          const cells = (rows.find((r) => r.row === h.bestRow)?.cells ?? [])
            .map((c, i) => ({ col: colLetter(i), text: cellText(c) }))
            .filter((c) => c.text !== '');
          const first = rows.find((r) => !isBlankRow(r.cells));
          const firstRow =
            first && first.row !== h.bestRow
              ? { row: first.row, cells: first.cells.map((c, i) => ({ col: colLetter(i), text: cellText(c) })).filter((c) => c.text !== '') }
              : undefined;
          acc.headerGuess = { row: h.bestRow, text: h.bestText, cells, table: h.guessTable, ...(firstRow ? { firstRow } : {}) };
        }
      }
    } else {
      proc = makeProcessor(h);
    }
    for (const r of rows) proc(r);
  };
  let pendingFile01: Exclude<ReturnType<typeof detectHeader>, HeaderFound> | null = null;
  let relationColumn:
    | { col: number; forced: RelationDialect | undefined; coded: { row: NormalRow; code: string }[]; obs: CodeObservation[] }
    | undefined;
  const held: NormalRow[] = [];
  /** decide the 与户主关系 dialect from the whole column, relabel the coded cells, release the rows */
  const releaseHeld = () => {
    if (!relationColumn) return;
    const rc = relationColumn;
    if (rc.coded.length) {
      const d = rc.forced ? { dialect: rc.forced, reason: '配置指定' } : decideRelationDialect(rc.obs);
      acc.dialects = { relation: { dialect: d.dialect, reason: d.reason, ...(rc.forced ? { forced: true } : {}) } };
      applyRelationDialect(rc.coded, d.dialect);
    }
    for (const r of held) ctx.sink.row(r);
    held.length = 0;
    relationColumn = undefined;
  };

  const makeProcessor = (h: HeaderFound): ((r: SourceRow) => void) => {
    acc.tables = h.tables;
    acc.headerRows = h.headerRows;
    acc.unknownColumns = h.unknown.map((c) => `${colLetter(c.col)}「${c.text}」`);
    acc.missingRequired = [...new Set(h.missing.flatMap((m) => m.labels))];
    const headerLoc = at(h.headerRows[0]);
    for (const d of h.duplicates) {
      finding({
        rule: 'FILE-02',
        code: 'duplicate',
        at: headerLoc,
        value: d.cols.map((c) => c.text).join('、'),
        params: {
          kind: 'duplicate',
          columns: d.cols.map((c) => colLetter(c.col)),
          headers: d.cols.map((c) => c.text),
          label: d.label,
        },
      });
    }
    // a pairing sheet's helper columns lacking the helper's ID: the pairing's FILE-02 says it once
    const pairingMissing = new Set(h.missing.find((m) => m.table === 'pairings')?.labels ?? []);
    for (const m of h.missing) {
      if (m.table === 'helpers' && h.tables.includes('pairings') && m.labels.every((l) => pairingMissing.has(l))) continue;
      finding({
        rule: 'FILE-02',
        code: 'missing',
        table: m.table,
        at: headerLoc,
        value: m.labels.join('、'),
        params: {
          kind: 'missing',
          table: m.table,
          missing: m.labels,
        },
      });
    }
    if (h.unknown.length) {
      finding({
        rule: 'FILE-05',
        at: headerLoc,
        value: h.unknown.map((c) => c.text).join('、'),
        params: { columns: h.unknown.map((c) => colLetter(c.col)), headers: h.unknown.map((c) => c.text) },
      });
    }

    // emission order: SheetInfo.tables order, but members before households (index builder)
    const order: TableKind[] = [...h.tables];
    const mi = order.indexOf('members');
    const hi = order.indexOf('households');
    if (mi > hi && hi >= 0) {
      order.splice(mi, 1);
      order.splice(order.indexOf('households'), 0, 'members');
    }
    const headerText = new Map(h.columns.map((c) => [c.col, c.text]));
    const fields: SheetInfo['fields'] = {};
    for (const t of h.tables) {
      const keys = new Set(h.bindings.get(t)!.map((b) => b.key));
      // a role worked out from 是否第一书记 / 是否队长 (src/normalize/row.ts) has its column
      if (t === 'residencies' && (keys.has('isFirstSecretary') || keys.has('isTeamLeader'))) keys.add('role');
      fields[t] = keys;
    }
    const info: SheetInfo = { file: ctx.file, ...(sheet !== undefined ? { sheet } : {}), tables: h.tables, fields };
    const normalizers: [TableKind, RowNormalizer][] = order.map((t) => [t, makeRowNormalizer(t, h.bindings.get(t)!, info)]);
    const made: (NormalRow | undefined)[] = new Array(normalizers.length).fill(undefined);
    acc.bindings = h.tables.flatMap((t) =>
      h.bindings.get(t)!.map((b) => ({ col: colLetter(b.col), header: headerText.get(b.col) ?? '', table: t, field: b.key })),
    );
    // 与户主关系 written as codes: the dialect is decided from the whole column at the end of the
    // sheet, so member rows wait there (the pipeline holds a file's rows until it is read anyway)
    const relationCol = h.tables.includes('members') ? h.bindings.get('members')!.find((b) => b.key === 'relation')?.col : undefined;
    if (relationCol !== undefined) relationColumn = { col: relationCol, forced: override?.dialects?.relation, coded: [], obs: [] };
    const viaPairing = h.tables.includes('pairings') && h.tables.includes('helpers');

    const keyCols = [...new Set(h.tables.flatMap((t) => h.bindings.get(t)!.filter((b) => KEY_FIELDS.has(b.key)).map((b) => b.col)))];
    const boundCols = [...new Set(h.tables.flatMap((t) => h.bindings.get(t)!.map((b) => b.col)))];
    const firstHeader = h.headerRows[0]!;
    const lastHeader = h.headerRows[h.headerRows.length - 1]!;

    // columns of required fields: a CSV record that stops before one of them lost its cells
    const requiredCols = [...new Set(h.tables.flatMap((t) => h.bindings.get(t)!.filter((b) => fieldSpec(t, b.key)?.required).map((b) => b.col)))];
    const lastRequired = requiredCols.length ? Math.max(...requiredCols) : -1;
    const idCols = [...new Set(h.tables.flatMap((t) => h.bindings.get(t)!.filter((b) => ID_KEY_FIELDS.has(b.key)).map((b) => b.col)))];
    const isFooter = (cells: readonly RawCell[]): boolean => {
      // a totals row starts with 合计/总计… and carries counts, often in the 户编号 column
      // (合计 | 30 | 94人); it is a footer unless it holds a real ID number
      const first = cells.find((c) => cellText(c) !== '');
      if (typeof first === 'string' && FOOTER_START.test(first) && FOOTER_TOTAL.test(normalizeText(first).replace(/^[\d.、\s]*(?=[^\d])/, ''))) {
        if (idCols.every((c) => cellText(cells[c]).replace(/\s/g, '').length < 15)) return true;
      }
      // a row with a household number or an ID number (that is not itself footer text) is data
      for (const c of keyCols) {
        const t = cellText(cells[c]);
        if (t && !isFooterText(t)) return false;
      }
      for (const c of cells) if (typeof c === 'string' && isFooterText(c)) return true;
      return false;
    };
    // a header repeated further down (page headers of some exports)
    const isRepeatedHeader = (cells: readonly RawCell[]): boolean =>
      boundCols.length >= 2 && boundCols.every((c) => cellText(cells[c]) === headerText.get(c));

    const reject = (r: SourceRow, reason: string) => {
      acc.buckets.rejected++;
      const raw = (r.raw ?? r.cells.map(cellText).join(',')).slice(0, RAW_MAX);
      acc.rejected.push({ row: r.row, reason, raw });
      finding({
        rule: 'FILE-03',
        at: at(r.row),
        value: raw,
        params: { reason, raw },
      });
    };

    const fillMerged = mergeFiller((src.merges ?? []).filter((m) => m.top > lastHeader));
    return (r) => {
      if (r.row < firstHeader) {
        if (isBlankRow(r.cells)) acc.buckets.blank++;
        else acc.buckets.title++;
        return;
      }
      if (r.row <= lastHeader) {
        acc.buckets.header++;
        return;
      }
      fillMerged(r);
      if (isBlankRow(r.cells)) {
        acc.buckets.blank++;
        return;
      }
      if (csv) {
        if (r.badEncoding) {
          reject(r, '含有无法识别的字符（文件编码损坏或混用了不同编码）');
          return;
        }
        let extra = 0;
        for (let c = h.width; c < r.cells.length; c++) if (cellText(r.cells[c]) !== '') extra++;
        if (extra > 0) {
          const nonEmpty = r.cells.filter((c) => cellText(c) !== '').length;
          reject(r, `本行有 ${r.cells.length} 个单元格（非空 ${nonEmpty} 个），超出表头的 ${h.width} 列，无法确定各值属于哪一列（多半是内容里有未加引号的分隔符）`);
          return;
        }
        // fewer cells than the header is fine when only trailing optional cells were dropped (some
        // tools trim empty trailing fields); a record that stops before a required column is broken
        if (r.cells.length <= lastRequired) {
          reject(r, `本行只有 ${r.cells.length} 个单元格，少于表头的 ${h.width} 列（缺少“${headerText.get(lastRequired) ?? colLetter(lastRequired)}”等列），无法确定各值属于哪一列`);
          return;
        }
      }
      if (isFooter(r.cells)) {
        acc.buckets.footer++;
        return;
      }
      if (isRepeatedHeader(r.cells)) {
        acc.buckets.header++;
        return;
      }
      // an import template's instruction or example rows sit between the header and the data
      if (acc.buckets.data === 0 && isInstructionRow(r.cells, idCols)) {
        acc.buckets.instruction++;
        return;
      }
      const loc = at(r.row);
      // every table's row is made before any is handed on: a cell that breaks a parser (a defect of
      // ours, never the clerk's) costs this row, reported, not the rest of the file
      try {
        for (let i = 0; i < normalizers.length; i++) made[i] = normalizers[i]![1](r.cells, loc);
      } catch (err) {
        made.fill(undefined);
        ctx.sink.rowError?.(err, loc);
        reject(r, '本行有单元格无法解读（内容异常，例如极长的数字），已跳过本行，请核对本行各单元格');
        return;
      }
      acc.buckets.data++;
      for (let i = 0; i < normalizers.length; i++) {
        const t = normalizers[i]![0];
        const row = made[i]!;
        made[i] = undefined;
        if (t === 'helpers' && viaPairing) (row as HelperRow).viaPairing = true;
        if (relationColumn) {
          if (t === 'members') {
            const code = relationCode(r.cells[relationColumn.col]);
            if (code !== undefined) {
              const m = row as NormalRow<{ householdNo?: string }>;
              relationColumn.coded.push({ row: m, code });
              relationColumn.obs.push({ household: m.v.householdNo, code });
            }
          }
          held.push(row);
        } else ctx.sink.row(row);
      }
    };
  };

  let error: unknown;
  try {
    for await (const batch of src.batches) {
      for (const raw of batch) {
        let r = raw;
        // rows without (or with out-of-order) numbers: take the next one
        if (!Number.isFinite(r.row) || r.row <= lastRow) r = { ...r, row: lastRow + 1 };
        const gap = r.row - lastRow - 1;
        if (gap > 0) {
          // rows absent from the file are blank physical rows
          acc.buckets.blank += gap;
          count(gap);
        }
        lastRow = r.row;
        count(1);
        if (buffer) {
          buffer.push(r);
          if (!isBlankRow(r.cells)) nonBlankSeen++;
          if (nonBlankSeen >= HEADER_SCAN_ROWS || buffer.length >= HEADER_SCAN_PHYSICAL) start();
          continue;
        }
        proc!(r);
      }
    }
  } catch (err) {
    error = err;
  } finally {
    if (buffer) start();
    releaseHeld();
    if (pendingFile01) {
      const h: Exclude<ReturnType<typeof detectHeader>, HeaderFound> = pendingFile01;
      finding({
        rule: 'FILE-01',
        at: at(h.bestRow),
        value: h.bestText,
        params: { bestRow: h.bestRow, guessTable: h.guessTable, missing: h.missingLabels, matchedColumns: h.matched, rows: acc.buckets.unrecognised },
      });
    }
  }
  return error === undefined ? { acc } : { acc, error };
}

function isEmptyRaw(c: RawCell | undefined): boolean {
  return c === null || c === undefined || (typeof c === 'string' && c.trim() === '');
}

/**
 * A value merged down over several data rows (户编号, 户主姓名, 家庭人口数 per household, a very
 * common hand-kept layout) belongs to every row of the range; the file stores it in the top one.
 */
function mergeFiller(merges: readonly VerticalMerge[]): (r: SourceRow) => void {
  if (merges.length === 0) return () => {};
  const startsAt = new Map<number, VerticalMerge[]>();
  for (const m of merges) {
    const list = startsAt.get(m.top);
    if (list) list.push(m);
    else startsAt.set(m.top, [m]);
  }
  const active = new Map<number, { value: RawCell; bottom: number }>(); // column → value, last row
  return (r) => {
    for (const [col, f] of active) {
      if (r.row > f.bottom) active.delete(col);
      else if (isEmptyRaw(r.cells[col])) {
        while (r.cells.length <= col) r.cells.push(null);
        r.cells[col] = f.value;
      }
    }
    for (const m of startsAt.get(r.row) ?? []) {
      if (!isEmptyRaw(r.cells[m.col])) active.set(m.col, { value: r.cells[m.col]!, bottom: m.bottom });
    }
  };
}
