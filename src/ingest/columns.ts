// Config `columns`: the user's way to read a layout that header detection alone cannot (SPEC §6).
// An entry matches files and sheets by name pattern and forces the sheet's tables, header row(s)
// and header → field bindings; what it does not force is still detected. Also the vocabulary
// helpers shared by config validation and `qingxi inspect`: resolving a field the user names
// (key, snake_case key or a Chinese header) and the nearest known fields of an unknown header.
import type { TableKind } from '../model.js';
import { TABLE_ZH } from '../model.js';
import { normalizeHeader } from '../normalize/text.js';
import { TABLES } from '../schema/tables.js';
import type { RelationDialect } from '../core/cells.js';
import { pinyinInitials } from './initials.js';
import type { SheetOverride } from './sheet.js';

export const TABLE_KINDS = Object.keys(TABLES) as TableKind[];

/** A validated `columns` entry (config.ts builds these). */
export interface ColumnsEntry {
  /** position in the config's list, for messages (1-based) */
  index: number;
  file?: string;
  sheet?: string;
  tables?: TableKind[];
  headerRows?: number[];
  /** header text as written, or a column letter → field key (camelCase); '' ignores the column */
  fields?: Record<string, string>;
  /** the code list 与户主关系 is written in (otherwise decided from the column's values) */
  relationCodes?: RelationDialect;
}

/** Where a sheet's reading came from, recorded in summary.json. */
export interface ColumnsMatch {
  entry: ColumnsEntry;
  override: SheetOverride;
}

/** Glob on names: `*` any run of characters, `?` one; case-insensitive; whole name. */
export function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function fileMatches(pattern: string, file: string): boolean {
  // a path copied from Windows Explorer uses backslashes; display names use '/'
  const re = globToRegExp(pattern.replace(/\\/g, '/'));
  const base = file.split('/').pop() ?? file;
  return re.test(file) || re.test(base);
}

/**
 * The first entry matching this file and sheet (a CSV has no sheet: an entry naming a sheet
 * matches it only with the pattern `*`). Entries are tried in config order.
 */
export function matchColumns(entries: readonly ColumnsEntry[] | undefined, file: string, sheet: string | undefined): ColumnsMatch | undefined {
  for (const entry of entries ?? []) {
    if (entry.file !== undefined && !fileMatches(entry.file, file)) continue;
    if (entry.sheet !== undefined && !globToRegExp(entry.sheet).test(sheet ?? '')) continue;
    const override: SheetOverride = {
      ...(entry.tables ? { tables: entry.tables } : {}),
      ...(entry.headerRows ? { headerRows: entry.headerRows } : {}),
      ...(entry.fields ? { bindings: entry.fields } : {}),
      ...(entry.relationCodes ? { dialects: { relation: entry.relationCodes } } : {}),
    };
    return { entry, override };
  }
  return undefined;
}

/** A table named by its key (members) or its Chinese name (家庭成员). */
export function resolveTable(name: string): TableKind | undefined {
  const t = name.trim();
  if ((TABLE_KINDS as string[]).includes(t)) return t as TableKind;
  for (const k of TABLE_KINDS) if (TABLE_ZH[k] === t) return k;
  return undefined;
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** Every field key of the given tables (all tables when none given). */
function fieldKeys(tables: readonly TableKind[] | undefined): Set<string> {
  const out = new Set<string>();
  for (const t of tables?.length ? tables : TABLE_KINDS) for (const f of TABLES[t].fields) out.add(f.key);
  return out;
}

/**
 * The field a user names in `fields`: a key (`idNumber`), its snake_case form (`id_number`, as in
 * the SPEC and summary.json) or one of the field's Chinese headers (`证件号码`).
 */
export function resolveField(name: string, tables?: readonly TableKind[]): string | undefined {
  const keys = fieldKeys(tables);
  const t = name.trim();
  if (keys.has(t)) return t;
  if (keys.has(camel(t))) return camel(t);
  const norm = normalizeHeader(t).name;
  for (const tk of tables?.length ? tables : TABLE_KINDS) {
    for (const f of TABLES[tk].fields) {
      for (const h of f.headers) if (normalizeHeader(typeof h === 'string' ? h : h.text).name === norm) return f.key;
    }
  }
  return undefined;
}

export function levenshtein(a: string, b: string): number {
  const A = [...a];
  const B = [...b];
  let prev = Array.from({ length: B.length + 1 }, (_, i) => i);
  for (let i = 1; i <= A.length; i++) {
    const cur = [i];
    for (let j = 1; j <= B.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (A[i - 1] === B[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[B.length]!;
}

export interface NearField {
  table: TableKind;
  key: string;
  /** the known header it resembles */
  header: string;
  /** 0..1, higher is closer */
  score: number;
}

/** Similarity of two normalised headers: edit distance and shared characters, both relative. */
function similarity(a: string, b: string): number {
  if (!a || !b) return 0;
  const d = levenshtein(a.toLowerCase(), b.toLowerCase());
  const edit = 1 - d / Math.max([...a].length, [...b].length);
  const setB = new Set(b.toLowerCase());
  const shared = [...new Set(a.toLowerCase())].filter((c) => setB.has(c)).length;
  const overlap = shared / Math.max(new Set(a).size, setB.size);
  return Math.max(edit, overlap * 0.9);
}

/** Latin letters against a Chinese header's pinyin initials: the same (sfzh = 身份证号) or a prefix of them. */
function initialsSimilarity(latin: string, chinese: string): number {
  if (latin.length < 2) return 0;
  const ini = pinyinInitials(chinese);
  if (ini === latin) return 0.95;
  if (ini.startsWith(latin) && latin.length >= 3) return 0.5 + (0.4 * latin.length) / ini.length;
  return 0;
}

/** A coded header against a snake_case key: an abbreviation (hh_no ⊂ household_no) or a near spelling. */
function keySimilarity(a: string, key: string): number {
  if (!/^[a-z0-9_]+$/.test(a)) return 0;
  let i = 0;
  for (const ch of key) if (ch === a[i]) i++;
  if (i === a.length && a.length >= 2 && a[0] === key[0]) return 0.6 + (0.4 * a.length) / key.length;
  return 1 - levenshtein(a, key) / Math.max(a.length, key.length);
}

/**
 * The known fields whose headers look most like a header nobody recognised (at most `limit`,
 * one per table and field, best first, only those sharing something with it).
 */
export function nearestFields(header: string, limit = 3, tables?: readonly TableKind[]): NearField[] {
  const name = normalizeHeader(header).name;
  // a header of Latin letters may abbreviate a Chinese header by its pinyin initials (sfzh)
  const latin = /^[a-z][a-z0-9_ -]*$/i.test(header.trim()) ? header.trim().toLowerCase().replace(/[^a-z]/g, '') : '';
  const best = new Map<string, NearField>();
  for (const t of tables?.length ? tables : TABLE_KINDS) {
    for (const f of TABLES[t].fields) {
      // an English-coded export (hh_no, id_number) is compared with the field's key too
      const snake = f.key.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
      for (const h of [...f.headers, snake]) {
        const text = typeof h === 'string' ? h : h.text;
        const score =
          h === snake
            ? keySimilarity(header.trim().toLowerCase(), snake)
            : Math.max(similarity(name, normalizeHeader(text).name), initialsSimilarity(latin, normalizeHeader(text).name));
        if (score < 0.34) continue;
        const id = `${t}.${f.key}`;
        const cur = best.get(id);
        if (!cur || score > cur.score) best.set(id, { table: t, key: f.key, header: text, score: Math.round(score * 100) / 100 });
      }
    }
  }
  return [...best.values()].sort((a, b) => b.score - a.score || a.table.localeCompare(b.table)).slice(0, limit);
}

/** Nearest field keys for a key the user mistyped (config validation). */
export function nearestKeys(name: string, tables?: readonly TableKind[], limit = 3): string[] {
  const scored = [...fieldKeys(tables)].map((k) => ({ k, d: levenshtein(camel(name.trim()).toLowerCase(), k.toLowerCase()) }));
  const byHeader = nearestFields(name, limit, tables).map((n) => n.key);
  const byKey = scored
    .filter((s) => s.d <= Math.max(2, Math.floor(s.k.length / 3)))
    .sort((a, b) => a.d - b.d)
    .map((s) => s.k);
  return [...new Set([...byKey, ...byHeader])].slice(0, limit);
}
