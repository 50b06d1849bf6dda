// Header detection: find the header row (or two-row merged header) among a sheet's first rows,
// bind its columns to the fields of the logical tables it classifies as.
import type { TableKind } from '../model.js';
import { TABLES, classify } from '../schema/tables.js';
import { normalizeHeader } from '../normalize/text.js';
import type { ColumnBinding, RawCell } from './types.js';
import type { SourceRow } from './xlsx.js';

interface AliasHit {
  table: TableKind;
  key: string;
  inverse: boolean;
}

/** normalised alias → every (table, field) it names; built once, read-only afterwards */
const ALIASES: ReadonlyMap<string, readonly AliasHit[]> = (() => {
  const m = new Map<string, AliasHit[]>();
  for (const spec of Object.values(TABLES)) {
    for (const f of spec.fields) {
      for (const h of f.headers) {
        const text = typeof h === 'string' ? h : h.text;
        const name = normalizeHeader(text).name;
        const list = m.get(name) ?? [];
        if (!list.some((x) => x.table === spec.kind && x.key === f.key)) {
          list.push({ table: spec.kind, key: f.key, inverse: typeof h !== 'string' && h.inverse === true });
        }
        m.set(name, list);
      }
    }
  }
  return m;
})();

/** Columns that are structure, not data: never reported as unknown. */
const STRUCTURAL = new Set(['序号', '编号序号', '行号']);

export function colLetter(col: number): string {
  let s = '';
  let n = col + 1;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function cellText(c: RawCell | undefined): string {
  if (c === null || c === undefined) return '';
  if (c instanceof Date) return c.toISOString().slice(0, 10);
  return String(c).trim();
}

export function isBlankRow(cells: readonly RawCell[]): boolean {
  for (const c of cells) if (cellText(c) !== '') return false;
  return true;
}

export interface HeaderColumn {
  col: number;
  /** header as written (two-row: `upper/lower`) */
  text: string;
  name: string;
  unit?: string;
}

export interface DuplicateColumn {
  label: string;
  cols: HeaderColumn[];
}

export interface MissingRequired {
  table: TableKind;
  labels: string[];
}

export interface HeaderFound {
  ok: true;
  headerRows: number[];
  columns: HeaderColumn[];
  tables: TableKind[];
  bindings: Map<TableKind, ColumnBinding[]>;
  unknown: HeaderColumn[];
  duplicates: DuplicateColumn[];
  missing: MissingRequired[];
  /** cells in the header record(s): CSV records with values beyond it are rejected */
  width: number;
}

export interface HeaderNotFound {
  ok: false;
  /** best-guess row (1-based), absent when the scanned rows were all blank */
  bestRow?: number;
  bestText: string;
  guessTable: TableKind;
  missingLabels: string[];
}

interface Candidate {
  rows: SourceRow[];
  columns: HeaderColumn[];
  hits: Map<number, readonly AliasHit[]>;
  tables: TableKind[];
  matched: number;
}

/** A trailing bracketed hint: 身份证号码(18位), 性别(男/女), 出生日期(格式:1990-01-01), 【必填】 */
const TRAILING_HINT = /[(\[【][^()\[\]【】]*[)\]】]$/;

/**
 * Aliases of a normalised header. Templates often add a bracketed hint after the name; when the
 * whole text is not an alias (县(市、区) is one), the hint is dropped and the name tried again.
 */
export function aliasHits(name: string): readonly AliasHit[] | undefined {
  let n = name;
  for (let i = 0; i < 3; i++) {
    const h = ALIASES.get(n);
    if (h) return h;
    const stripped = n.replace(TRAILING_HINT, '');
    if (stripped === n || stripped === '') return undefined;
    n = stripped;
  }
  return ALIASES.get(n);
}

function evaluate(rows: SourceRow[], columns: HeaderColumn[]): Candidate {
  const hits = new Map<number, readonly AliasHit[]>();
  for (const c of columns) {
    const h = aliasHits(c.name);
    if (h) hits.set(c.col, h);
  }
  const present = (t: TableKind, k: string) => {
    for (const list of hits.values()) if (list.some((x) => x.table === t && x.key === k)) return true;
    return false;
  };
  return { rows, columns, hits, tables: classify(present), matched: hits.size };
}

function singleColumns(r: SourceRow): HeaderColumn[] {
  const out: HeaderColumn[] = [];
  r.cells.forEach((c, col) => {
    const text = cellText(c);
    if (!text) return;
    const n = normalizeHeader(text);
    out.push({ col, text, name: n.name, ...(n.unit ? { unit: n.unit } : {}) });
  });
  return out;
}

/**
 * Two-row header: per column the lower cell when it names something, else the upper one. A group
 * cell (merged across columns, so only its first column holds the text) is carried right and
 * prefixed to the lower cell when that makes a known header (帮扶责任人 + 姓名 → 帮扶责任人姓名).
 */
function pairColumns(upper: SourceRow, lower: SourceRow): HeaderColumn[] {
  const out: HeaderColumn[] = [];
  const width = Math.max(upper.cells.length, lower.cells.length);
  let group = '';
  for (let col = 0; col < width; col++) {
    const u = cellText(upper.cells[col]);
    const l = cellText(lower.cells[col]);
    if (u) group = u;
    else if (!l) group = '';
    if (!l && !u) continue;
    if (!l) {
      const n = normalizeHeader(u);
      out.push({ col, text: u, name: n.name, ...(n.unit ? { unit: n.unit } : {}) });
      continue;
    }
    let n = normalizeHeader(l);
    let text = l;
    if (!n.name && n.unit && u) {
      // a units row under the header: `(元)` under 人均纯收入
      const un = normalizeHeader(u);
      out.push({ col, text: `${u}${l}`, name: un.name, unit: n.unit });
      continue;
    }
    if (group) {
      // the more specific joined name wins (户主 + 姓名 → 户主姓名, not the member's 姓名)
      const joined = normalizeHeader(group + l);
      if (aliasHits(joined.name)) {
        n = joined;
        text = `${group}/${l}`;
      }
    }
    out.push({ col, text: text === l && u ? `${u}/${l}` : text, name: n.name, ...(n.unit ? { unit: n.unit } : {}) });
  }
  return out;
}

/** Every non-empty cell is a bare unit: `(元)`, `（万元）`. */
function isUnitsRow(r: SourceRow): boolean {
  let any = false;
  for (const c of r.cells) {
    const t = cellText(c);
    if (!t) continue;
    const n = normalizeHeader(t);
    if (n.name || !n.unit) return false;
    any = true;
  }
  return any;
}

function better(a: Candidate, b: Candidate | undefined): boolean {
  if (!b) return true;
  const ca = a.tables.length > 0 ? 1 : 0;
  const cb = b.tables.length > 0 ? 1 : 0;
  if (ca !== cb) return ca > cb;
  return a.matched > b.matched;
}

export function requiredLabels(table: TableKind, bound: ReadonlySet<string>): string[] {
  const spec = TABLES[table];
  const label = (key: string) => {
    const f = spec.fields.find((x) => x.key === key)!;
    const h = f.headers[0]!;
    return typeof h === 'string' ? h : h.text;
  };
  const out: string[] = [];
  for (const f of spec.fields) if (f.required && !bound.has(f.key)) out.push(label(f.key));
  if (spec.requiredAnyOf && !spec.requiredAnyOf.some((alt) => alt.every((k) => bound.has(k)))) {
    out.push(spec.requiredAnyOf.map((alt) => alt.map(label).join('+')).join('或'));
  }
  return out;
}

/** Finds the header among the first rows (blank rows included or not; row numbers matter). */
export function detectHeader(rows: SourceRow[]): HeaderFound | HeaderNotFound {
  const nonBlank = rows.filter((r) => !isBlankRow(r.cells));
  let best: Candidate | undefined;
  const singles = nonBlank.map((r) => evaluate([r], singleColumns(r)));
  singles.forEach((s, i) => {
    if (better(s, best)) best = s;
    const next = nonBlank[i + 1];
    if (next && next.row === s.rows[0]!.row + 1) {
      const p = evaluate([s.rows[0]!, next], pairColumns(s.rows[0]!, next));
      const nextSingle = singles[i + 1]!;
      // the lower row must add headers that neither row names on its own, or be a units row
      const adds = p.matched > s.matched && p.matched > nextSingle.matched;
      const units = isUnitsRow(next) && p.matched >= s.matched && p.tables.length > 0;
      if ((adds || units) && !(nextSingle.tables.length > 0 && p.tables.length === 0)) {
        // a units row ties with the row above: take the pair so the units row is not data
        if (better(p, best) || (units && !better(best!, p))) best = p;
      }
    }
  });
  if (!best || best.tables.length === 0) return notFound(nonBlank, singles);
  return bind(best);
}

function notFound(nonBlank: SourceRow[], singles: Candidate[]): HeaderNotFound {
  let guess: Candidate | undefined;
  for (const s of singles) if (!guess || s.matched > guess.matched) guess = s;
  // the table the guessed row looks most like
  let guessTable: TableKind = 'members';
  let bestCount = 0;
  const boundBy = new Map<TableKind, Set<string>>();
  if (guess) {
    for (const list of guess.hits.values()) {
      for (const h of list) {
        const set = boundBy.get(h.table) ?? new Set<string>();
        set.add(h.key);
        boundBy.set(h.table, set);
      }
    }
    for (const [t, set] of boundBy) {
      const signal = [...set].filter((k) => !['province', 'city', 'county', 'township', 'village'].includes(k)).length;
      if (signal > bestCount) [guessTable, bestCount] = [t, signal];
    }
  }
  const row = guess?.rows[0] ?? nonBlank[0];
  const text = row ? row.cells.map(cellText).filter(Boolean).join(' | ') : '';
  return {
    ok: false,
    ...(row ? { bestRow: row.row } : {}),
    bestText: text.length > 200 ? text.slice(0, 200) + '…' : text,
    guessTable,
    missingLabels: requiredLabels(guessTable, boundBy.get(guessTable) ?? new Set()),
  };
}

function bind(c: Candidate): HeaderFound {
  const bindings = new Map<TableKind, ColumnBinding[]>();
  const firstCol = new Map<string, HeaderColumn>(); // table:key → first column
  const dupByKey = new Map<string, DuplicateColumn>();
  const used = new Set<number>();
  for (const table of c.tables) bindings.set(table, []);
  for (const col of c.columns) {
    const hits = c.hits.get(col.col);
    if (!hits) continue;
    for (const table of c.tables) {
      const hit = hits.find((h) => h.table === table);
      if (!hit) continue;
      const id = `${table}:${hit.key}`;
      const first = firstCol.get(id);
      if (first) {
        // same field named twice: the first column wins, the clerk is told which ones
        const d = dupByKey.get(hit.key + '@' + first.col) ?? { label: labelOf(table, hit.key), cols: [first] };
        if (!d.cols.includes(col)) d.cols.push(col);
        dupByKey.set(hit.key + '@' + first.col, d);
        used.add(col.col);
        continue;
      }
      firstCol.set(id, col);
      used.add(col.col);
      bindings.get(table)!.push({
        col: col.col,
        table,
        key: hit.key,
        ...(hit.inverse ? { inverse: true } : {}),
        ...(col.unit ? { unit: col.unit } : {}),
      });
    }
  }
  const unknown = c.columns.filter((x) => !used.has(x.col) && !STRUCTURAL.has(x.name));
  const missing: MissingRequired[] = [];
  for (const table of c.tables) {
    const labels = requiredLabels(table, new Set(bindings.get(table)!.map((b) => b.key)));
    if (labels.length) missing.push({ table, labels });
  }
  return {
    ok: true,
    headerRows: c.rows.map((r) => r.row),
    columns: c.columns,
    tables: c.tables,
    bindings,
    unknown,
    duplicates: [...dupByKey.values()],
    missing,
    width: Math.max(...c.rows.map((r) => r.cells.length)),
  };
}

function labelOf(table: TableKind, key: string): string {
  const h = TABLES[table].fields.find((f) => f.key === key)!.headers[0]!;
  return typeof h === 'string' ? h : h.text;
}
