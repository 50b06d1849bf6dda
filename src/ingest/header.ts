// Header detection: find the header row (or two-row merged header) among a sheet's first rows,
// bind its columns to the fields of the logical tables it classifies as.
import type { TableKind } from '../model.js';
import { TABLES, classify } from '../schema/tables.js';
import { normalizeHeader } from '../normalize/text.js';
import type { ColumnBinding, RawCell } from './types.js';
import type { SourceRow } from './xlsx.js';

export interface AliasHit {
  table: TableKind;
  key: string;
  inverse: boolean;
  /** a generic header (开始时间, 姓名): its meaning comes from the table (see HeaderAlias.generic) */
  generic: boolean;
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
          const alias = typeof h === 'string' ? { text: h } : h;
          list.push({ table: spec.kind, key: f.key, inverse: alias.inverse === true, generic: alias.generic === true });
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
  /** a config override (HeaderOverride) shaped this reading */
  forced?: true;
}

export interface HeaderNotFound {
  ok: false;
  /** best-guess row (1-based), absent when the scanned rows were all blank */
  bestRow?: number;
  bestText: string;
  guessTable: TableKind;
  missingLabels: string[];
  /** how many non-region fields of guessTable the best row names (0: nothing looked like a header) */
  matched: number;
}

interface Candidate {
  rows: SourceRow[];
  columns: HeaderColumn[];
  hits: Map<number, readonly AliasHit[]>;
  tables: TableKind[];
  matched: number;
}

/**
 * Forced reading of a sheet (config `columns`: src/ingest/columns.ts matches an entry, index.ts passes it):
 * the hook where a user fixes what detection alone cannot read. Every part is optional; what is
 * not forced is detected.
 */
export interface HeaderOverride {
  /** the tables the sheet feeds (classification skipped) */
  tables?: TableKind[];
  /** 1-based header row numbers (one to three consecutive rows) */
  headerRows?: number[];
  /**
   * header text (as written, or normalised) or column letter (`C`) → field key (`idNumber`,
   * `startOn`): the column binds to that field in every forced/detected table that has it
   */
  bindings?: Record<string, string>;
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

/** Bare person headers whose owner (the household head, the helper, the row's own person) depends on the columns around them. */
const PERSON_KEYS = new Set(['headId', 'helperId', 'idNumber', 'headName', 'helperName', 'name']);

type Owner = 'head' | 'helper' | 'self';

/** What kind of name column a column is: the head's, the helper's, or the row's own person. */
function nameOwner(hits: readonly AliasHit[] | undefined): Owner | undefined {
  if (!hits) return undefined;
  if (hits.some((h) => !h.generic && h.key === 'headName')) return 'head';
  if (hits.some((h) => !h.generic && h.key === 'helperName')) return 'helper';
  if (hits.some((h) => h.key === 'name' || (h.generic && (h.key === 'helperName' || h.key === 'headName')))) return 'self';
  return undefined;
}

/**
 * A bare 证件号码 belongs to the person named in the nearest name column to its left (户主姓名 |
 * 证件号码 → the head's; 帮扶责任人 | 证件号码 → the helper's): its other meanings are dropped.
 */
function resolveOwners(columns: HeaderColumn[], hits: Map<number, readonly AliasHit[]>, selfAs?: Owner): void {
  // a sheet with the row's own person's name (姓名, 成员姓名) keeps its bare ID columns for that
  // person: 户主姓名 | 证件号码 | 姓名 is a member list whose 证件号码 is ambiguous, not the head's —
  // unless the caller knows whose the bare 姓名 is (`selfAs`: a pairing sheet's)
  if (!selfAs) for (const c of columns) if (nameOwner(hits.get(c.col)) === 'self') return;
  let owner: Owner | undefined;
  for (const c of columns) {
    const h = hits.get(c.col);
    if (!h) continue;
    let named = nameOwner(h);
    if (named === 'self' && selfAs) {
      named = selfAs;
      const keep = selfAs === 'head' ? 'headName' : 'helperName';
      const kept = h.filter((x) => !PERSON_KEYS.has(x.key) || x.key === keep);
      if (kept.length) hits.set(c.col, kept);
      else hits.delete(c.col);
    }
    const bareId = h.some((x) => x.generic && (x.key === 'headId' || x.key === 'helperId'));
    if (bareId && owner && owner !== 'self') {
      const keep = owner === 'head' ? 'headId' : 'helperId';
      const kept = h.filter((x) => !PERSON_KEYS.has(x.key) || x.key === keep);
      if (kept.length) hits.set(c.col, kept);
      else hits.delete(c.col);
    }
    if (named) owner = named;
  }
}

function specificHit(hits: Map<number, readonly AliasHit[]>, key: string): boolean {
  for (const list of hits.values()) if (list.some((x) => !x.generic && x.key === key)) return true;
  return false;
}

function evaluate(rows: SourceRow[], columns: HeaderColumn[]): Candidate {
  const raw = new Map<number, readonly AliasHit[]>();
  for (const c of columns) {
    const h = aliasHits(c.name);
    if (h) raw.set(c.col, h);
  }
  let hits = new Map(raw);
  resolveOwners(columns, hits);
  let tables = classifyHits(hits);
  // a pairing sheet naming the household by 户主姓名 and someone else by a bare 姓名: the bare
  // 姓名 (and the 证件号码 after it) is the helper's
  if (tables.includes('pairings') && specificHit(raw, 'headName') && !specificHit(raw, 'helperName')) {
    const again = new Map(raw);
    resolveOwners(columns, again, 'helper');
    const t = classifyHits(again);
    if (t.includes('pairings')) [hits, tables] = [again, t];
  }
  return { rows, columns, hits, tables, matched: hits.size };
}

function classifyHits(hits: Map<number, readonly AliasHit[]>): TableKind[] {
  const present = (t: TableKind, k: string) => {
    for (const list of hits.values()) if (list.some((x) => x.table === t && x.key === k)) return true;
    return false;
  };
  const specific = (t: TableKind, k: string) => {
    for (const list of hits.values()) if (list.some((x) => x.table === t && x.key === k && !x.generic)) return true;
    return false;
  };
  return classify(present, specific);
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
 * Header of two or three rows with merged group cells: per column the lowest cell that names
 * something (a cell merged down holds its text in the top row only). A group cell (merged across
 * columns, so only its first column holds the text) is carried right while the rows below it have
 * text, and joined to the lower cell when that makes a known header (帮扶责任人 + 姓名 →
 * 帮扶责任人姓名; 户主 + 证件号码 → 户主证件号码), nearest group first.
 */
function stackColumns(rows: SourceRow[]): HeaderColumn[] {
  const out: HeaderColumn[] = [];
  const width = Math.max(...rows.map((r) => r.cells.length));
  const groups: string[] = rows.map(() => '');
  for (let col = 0; col < width; col++) {
    const texts = rows.map((r) => cellText(r.cells[col]));
    // carry each row's group right while something below it at this column has text
    for (let i = 0; i < rows.length - 1; i++) {
      const below = texts.slice(i + 1).some(Boolean);
      if (texts[i]) groups[i] = texts[i]!;
      else if (!below) groups[i] = '';
    }
    let leafRow = -1;
    for (let i = rows.length - 1; i >= 0; i--) {
      if (texts[i]) {
        leafRow = i;
        break;
      }
    }
    if (leafRow < 0) continue;
    const leaf = texts[leafRow]!;
    let n = normalizeHeader(leaf);
    if (!n.name && n.unit && leafRow > 0) {
      // a units row under the header: `(元)` under 人均纯收入
      const upper = texts.slice(0, leafRow).reverse().find(Boolean) ?? groups[leafRow - 1] ?? '';
      const un = normalizeHeader(upper);
      out.push({ col, text: `${upper}${leaf}`, name: un.name, unit: n.unit });
      continue;
    }
    // groups above the leaf, nearest first (a cell of the column itself counts as its group too)
    const above: string[] = [];
    for (let i = leafRow - 1; i >= 0; i--) {
      const g = texts[i] || groups[i] || '';
      if (g && !above.includes(g)) above.push(g);
    }
    const text = above.length ? [...above].reverse().concat(leaf).join('/') : leaf;
    // a group's unit (`资金规模（万元）`) applies to the cells under it, and is not part of the joined name
    const groupNames = above.map((g) => normalizeHeader(g));
    const joins = [
      ...groupNames.map((g) => g.name + n.name),
      ...(groupNames.length === 2 ? [groupNames[1]!.name + groupNames[0]!.name + n.name] : []),
    ];
    const unit = n.unit ?? groupNames.find((g) => g.unit)?.unit;
    for (const j of joins) {
      const hits = aliasHits(j);
      if (hits && !hits.every((h) => h.generic)) {
        n = { name: j };
        break;
      }
    }
    out.push({ col, text, name: n.name, ...(unit ? { unit } : {}) });
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

/** The deepest header read: title/group rows above more than three header rows are titles. */
const MAX_HEADER_ROWS = 3;

/**
 * Finds the header among the first rows (blank rows included or not; row numbers matter).
 * `override` (config `columns`) forces the tables, the header rows and header → field bindings.
 */
export function detectHeader(rows: SourceRow[], override?: HeaderOverride): HeaderFound | HeaderNotFound {
  const nonBlank = rows.filter((r) => !isBlankRow(r.cells));
  if (override?.headerRows?.length) {
    const forced = nonBlank.filter((r) => override.headerRows!.includes(r.row));
    if (forced.length) {
      const cand = evaluate(forced, forced.length === 1 ? singleColumns(forced[0]!) : stackColumns(forced));
      const c = applyOverride(cand, override);
      if (c.tables.length) return bind(c, override);
    }
  }
  let best: Candidate | undefined;
  const singles = nonBlank.map((r) => evaluate([r], singleColumns(r)));
  const consecutive = (i: number, depth: number) => {
    for (let k = 1; k < depth; k++) {
      const r = nonBlank[i + k];
      if (!r || r.row !== nonBlank[i]!.row + k) return false;
    }
    return true;
  };
  singles.forEach((s, i) => {
    if (better(s, best)) best = s;
    let prev = s;
    for (let depth = 2; depth <= MAX_HEADER_ROWS && consecutive(i, depth); depth++) {
      const stack = nonBlank.slice(i, i + depth);
      const p = evaluate(stack, stackColumns(stack));
      const last = stack[depth - 1]!;
      const lastSingle = singles[i + depth - 1]!;
      // the lower row must add headers that neither part names on its own, or be a units row
      const lowerPart = depth === 2 ? lastSingle : evaluate(stack.slice(1), stackColumns(stack.slice(1)));
      const adds = p.matched > prev.matched && p.matched > lowerPart.matched;
      const units = isUnitsRow(last) && p.matched >= prev.matched && p.tables.length > 0;
      if (!((adds || units) && !(lastSingle.tables.length > 0 && p.tables.length === 0))) break;
      // a units row ties with the rows above: take it so the units row is not data
      if (better(p, best) || (units && !better(best!, p))) best = p;
      prev = p;
    }
  });
  if (override && best) best = applyOverride(best, override);
  if (!best || best.tables.length === 0) return notFound(nonBlank, singles);
  return bind(best, override);
}

/** Forced bindings and tables (config `columns`) replace what detection found for those columns. */
function applyOverride(c: Candidate, o: HeaderOverride): Candidate {
  const hits = new Map(c.hits);
  if (o.bindings) {
    const byHeader = new Map<string, string>();
    for (const [h, key] of Object.entries(o.bindings)) byHeader.set(/^[A-Z]{1,3}$/.test(h) ? h : normalizeHeader(h).name, key);
    for (const col of c.columns) {
      const key = byHeader.get(colLetter(col.col)) ?? byHeader.get(col.name) ?? byHeader.get(normalizeHeader(col.text).name);
      if (key === undefined) continue;
      const forced: AliasHit[] = [];
      for (const spec of Object.values(TABLES)) {
        if (spec.fields.some((f) => f.key === key)) forced.push({ table: spec.kind, key, inverse: false, generic: false });
      }
      if (forced.length) hits.set(col.col, forced);
      else hits.delete(col.col); // bound to nothing: `""` or an unknown key ignores the column
    }
  }
  const tables = o.tables?.length ? [...o.tables] : classifyHits(hits);
  return { ...c, hits, tables, matched: hits.size };
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
  let missingLabels = requiredLabels(guessTable, boundBy.get(guessTable) ?? new Set());
  if (missingLabels.length === 0) {
    // every required field has a column, yet the sheet is not that table: what it lacks is the
    // header that tells the table apart (SPEC §3.0)
    missingLabels = [TABLES[guessTable].distinctive];
  }
  return {
    ok: false,
    ...(row ? { bestRow: row.row } : {}),
    bestText: text.length > 200 ? text.slice(0, 200) + '…' : text,
    guessTable,
    missingLabels,
    matched: bestCount,
  };
}


function bind(c: Candidate, override?: HeaderOverride): HeaderFound {
  const bindings = new Map<TableKind, ColumnBinding[]>();
  const firstCol = new Map<string, HeaderColumn>(); // table:key → first column
  const dupByKey = new Map<string, DuplicateColumn>();
  const used = new Set<number>();
  for (const table of c.tables) bindings.set(table, []);
  // specific headers first; a generic one (开始时间, 姓名) binds only a field no specific header
  // named, and only when no table of the sheet claims its column by a specific header
  for (const pass of [false, true]) {
    for (const col of c.columns) {
      const hits = c.hits.get(col.col);
      if (!hits) continue;
      const claimed = c.tables.some((t) => hits.some((h) => h.table === t && !h.generic));
      for (const table of c.tables) {
        const hit = hits.find((h) => h.table === table);
        if (!hit || hit.generic !== pass) continue;
        if (hit.generic && claimed) continue;
        const id = `${table}:${hit.key}`;
        const first = firstCol.get(id);
        if (first) {
          if (hit.generic) continue; // a specific header already names the field
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
  }
  for (const list of bindings.values()) list.sort((a, b) => a.col - b.col);
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
    ...(override ? { forced: true } : {}),
  };
}

function labelOf(table: TableKind, key: string): string {
  const h = TABLES[table].fields.find((f) => f.key === key)!.headers[0]!;
  return typeof h === 'string' ? h : h.text;
}
