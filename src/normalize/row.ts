// Row normalisation per logical table. The zod schemas here are built from TABLES and describe
// the normalised shape of each table's `v` (field kinds → value schemas, dictionaries → enums);
// a sheet's column bindings are validated with zod once per sheet.
// The per-row hot path does not run zod: a sheet's bindings are compiled once into per-column
// parser closures (values.ts), and each row allocates one `v` object (plus `bad` only when a
// cell was unreadable). `rowSchema(table)` validates that shape in tests and, with
// QINGXI_CHECK_ROWS=1, on every row (a debugging aid: values outside it move to `bad`).
import { z } from 'zod';
import type { Loc, NormalRow, PartialDate, SheetInfo, TableKind } from '../model.js';
import type { ColumnBinding, RawCell, RowNormalizer } from '../core/cells.js';
import { TABLES, type FieldKind, type FieldSpec } from '../schema/tables.js';
import { DICTIONARIES, dictLookup, lookupMulti } from './dictionaries.js';
import { normalizePlaceName } from './text.js';
import { ColumnInterner, DatePool, FAST_KEY_LIMIT, StringPool, compactObject } from '../core/compact.js';
import {
  UNREADABLE,
  parseAmountWan,
  parseDate,
  parseDoc,
  parseIdValue,
  parseInteger,
  parseKey,
  parseNumber,
  parsePhone,
  parseText,
  parseYear,
  parseYesNo,
  rawText,
  type Parsed,
} from './values.js';

// ---------------------------------------------------------------------------------------------
// Normalised value schemas (zod): the contract between normalisation and the rules

export const partialDateSchema = z
  .object({
    y: z.int().min(1000).max(9999),
    m: z.int().min(1).max(12).optional(),
    d: z.int().min(1).max(31).optional(),
  })
  .strict()
  .refine((p) => p.d === undefined || p.m !== undefined, { message: '有日无月' });

export const idValueSchema = z
  .object({ raw: z.string(), text: z.string().min(1), numericCell: z.boolean(), scientific: z.boolean() })
  .strict();

const nonEmpty = z.string().min(1);

function valueSchema(f: FieldSpec): z.ZodType {
  const kind: FieldKind = f.kind;
  switch (kind) {
    case 'text':
    case 'key':
    case 'region':
    case 'url':
    case 'phone':
      return nonEmpty;
    case 'id':
      return idValueSchema;
    case 'date':
      return partialDateSchema;
    case 'year':
      return z.int().min(1900).max(2100);
    case 'int':
      return z.int();
    case 'number':
    case 'amountWan':
      return z.number().finite();
    case 'yesno':
      return z.boolean();
    case 'doc':
      return z.union([nonEmpty, z.literal(false)]);
    case 'dict':
      return z.enum(DICTIONARIES[f.dict!].values as [string, ...string[]]);
    case 'multi':
      return z.array(z.enum(DICTIONARIES[f.dict!].values as [string, ...string[]])).min(1);
  }
}

const schemaCache = new Map<TableKind, z.ZodObject>();

/** The normalised shape of a table's `v`: every field optional (absent = empty or no column). */
export function rowSchema(table: TableKind): z.ZodObject {
  let s = schemaCache.get(table);
  if (!s) {
    const shape: Record<string, z.ZodType> = {};
    for (const f of TABLES[table].fields) shape[f.key] = valueSchema(f).optional();
    s = z.object(shape).strict();
    schemaCache.set(table, s);
  }
  return s;
}

/** Schema of a whole NormalRow of a table: `v` as above, `bad` raw texts keyed by field. */
export function normalRowSchema(table: TableKind): z.ZodType {
  const keys = TABLES[table].fields.map((f) => f.key) as [string, ...string[]];
  return z.object({
    table: z.literal(table),
    at: z.object({ file: z.string(), sheet: z.string().optional(), row: z.int().positive().optional() }),
    sheet: z.any(),
    v: rowSchema(table),
    bad: z.partialRecord(z.enum(keys), z.string()).optional(),
  });
}

// ---------------------------------------------------------------------------------------------
// Per-binding parsers

export type CellParser = (cell: RawCell) => Parsed<unknown>;

/** String form of a cell for dictionary lookup (numeric codes like 1, 2, 02 included). */
function dictText(cell: RawCell): string | undefined {
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : undefined;
  return undefined;
}

const PLACEHOLDER = /^[\s\u3000]*(?:-|\/|--|—|——|－|／)?[\s\u3000]*$/;

function parserFor(f: FieldSpec, b: ColumnBinding | undefined): CellParser {
  switch (f.kind) {
    case 'text':
      return parseText;
    case 'key':
      return parseKey;
    case 'region':
      return parseRegion;
    case 'url':
      return parseText;
    case 'id':
      return parseIdValue;
    case 'phone':
      return parsePhone;
    case 'date':
      return parseDate;
    case 'year':
      return parseYear;
    case 'int':
      return b?.unit ? (c) => intWithUnit(c, b.unit) : parseInteger;
    case 'number': {
      const unit = b?.unit;
      return unit ? (c) => parseNumber(c, unit) : parseNumber;
    }
    case 'amountWan': {
      const unit = b?.unit;
      return (c) => parseAmountWan(c, unit);
    }
    case 'yesno':
      return b?.inverse ? (c) => parseYesNo(c, true) : parseYesNo;
    case 'doc':
      return parseDoc;
    case 'dict': {
      const inDict = dictLookup(f.dict!);
      return (c) => {
        const s = dictText(c);
        if (s === undefined) return UNREADABLE;
        if (PLACEHOLDER.test(s)) return undefined;
        return inDict(s) ?? UNREADABLE;
      };
    }
    case 'multi': {
      const dict = f.dict!;
      return (c) => {
        const s = dictText(c);
        if (s === undefined) return UNREADABLE;
        if (PLACEHOLDER.test(s)) return undefined;
        return lookupMulti(dict, s) ?? UNREADABLE;
      };
    }
  }
}

// Region names repeat on nearly every row: cache their normal form per raw text.
const regionCache = new Map<string, string>();

function parseRegion(c: RawCell): Parsed<string> {
  const s = parseText(c);
  if (s === undefined) return undefined;
  let r = regionCache.get(s);
  if (r === undefined) {
    r = normalizePlaceName(s);
    if (regionCache.size < 50_000) regionCache.set(s, r);
  }
  return r || undefined;
}

function intWithUnit(c: RawCell, unit: string | undefined): Parsed<number> {
  const n = parseNumber(c, unit);
  if (typeof n !== 'number') return n;
  return Number.isSafeInteger(n) ? n : UNREADABLE;
}

/**
 * The parser of one bound column (unit and inverse taken from the binding); undefined when the
 * table has no such field. Call once per column, then per cell.
 */
export function cellParser(table: TableKind, binding: Pick<ColumnBinding, 'key'> & Partial<ColumnBinding>): CellParser | undefined {
  const f = TABLES[table].fields.find((x) => x.key === binding.key);
  return f ? parserFor(f, binding as ColumnBinding) : undefined;
}

/** Parse one cell as a field of a table (tests, tooling; rows go through makeRowNormalizer). */
export function parseCell(table: TableKind, key: string, cell: RawCell, binding?: Partial<ColumnBinding>): Parsed<unknown> {
  const p = cellParser(table, { ...binding, key });
  if (!p) throw new Error(`unknown field ${table}.${key}`);
  if (cell === null || cell === undefined) return undefined;
  return p(cell);
}

// ---------------------------------------------------------------------------------------------
// The row normaliser

/** The ingest → normaliser contract, checked once per sheet (a violation is a programming error). */
export const columnBindingSchema = z.object({
  col: z.int().nonnegative(),
  table: z.enum(Object.keys(TABLES) as [TableKind, ...TableKind[]]),
  key: z.string().min(1),
  inverse: z.boolean().optional(),
  unit: z.string().optional(),
});

/** Bound columns a sheet may have for its rows to be built by RowShapes (one bit each). */
const MAX_SHAPED_SLOTS = 31;
/** Distinct sets of filled fields per sheet and table built by a literal of their own. */
const MAX_SHAPES = 256;

/**
 * Builds a row's `v` as one object literal per set of filled fields, instead of adding keys one
 * by one under computed names: every add was a megamorphic keyed store, and past ~16 keys the
 * object fell into V8's dictionary mode and had to be copied back (compactObject). A sheet's rows
 * fill few distinct sets of fields (empty cells recur by column), so the literals are few; the
 * keys come in the same order as before (the columns' order), with the same values.
 */
class RowShapes {
  private readonly made = new Map<number, (found: readonly unknown[]) => Record<string, unknown>>();

  constructor(private readonly keys: readonly string[]) {
    // field keys are the schema's identifiers; a literal with `__proto__` would set a prototype
    if (keys.some((k) => k === '__proto__')) throw new Error('RowShapes: __proto__ is not a field key');
  }

  /** The object of the fields whose bit is set in `present`; undefined when the cache is full. */
  make(present: number, found: readonly unknown[]): Record<string, unknown> | undefined {
    let build = this.made.get(present);
    if (build === undefined) {
      if (this.made.size >= MAX_SHAPES) return undefined;
      const props: string[] = [];
      for (let i = 0; i < this.keys.length; i++) if (present & (1 << i)) props.push(`${JSON.stringify(this.keys[i])}: found[${i}]`);
      // a literal per shape: generated code, but only from the schema's own field keys
      build = new Function('found', `return { ${props.join(', ')} };`) as (found: readonly unknown[]) => Record<string, unknown>;
      this.made.set(present, build);
    }
    return build(found);
  }
}

interface Slot {
  col: number;
  key: string;
  parse: CellParser;
}

// ---------------------------------------------------------------------------------------------
// Held rows, held small: every normalised row stays in memory until the cross rules run, so equal
// values read from different cells are made one value (src/core/compact.ts). Bounded and shared by
// every sheet of the process; values never change, only which copy a row holds.

/** Entries per field: a field's repeated texts (units, duties, 民族) are few. */
const POOL_PER_FIELD = 4096;
const stringPools = new Map<string, StringPool>();
/** Dates repeat (births, pairing starts): a century of days and months fits. */
const datePool = new DatePool(100_000);

/** Field kinds whose values are plain text worth sharing (regions and dictionaries already are). */
const INTERNED_KINDS = new Set<FieldKind>(['text', 'key', 'doc']);

function pooled(table: TableKind, f: FieldSpec, parse: CellParser): CellParser {
  if (f.kind === 'date') {
    return (c) => {
      const r = parse(c);
      return typeof r === 'object' ? datePool.share(r as PartialDate) : r;
    };
  }
  if (!INTERNED_KINDS.has(f.kind)) return parse;
  const name = `${table}.${f.key}`;
  let pool = stringPools.get(name);
  if (!pool) stringPools.set(name, (pool = new StringPool(POOL_PER_FIELD)));
  const column = new ColumnInterner(pool);
  return (c) => {
    const r = parse(c);
    return typeof r === 'string' ? column.intern(r) : r;
  };
}

/**
 * Compile a sheet's column bindings for one table into a RowNormalizer. Bindings of other tables
 * and unknown keys are ignored. When two columns bind the same key (FILE-02 reports that), the
 * first non-empty one wins. A cell never throws and never rejects the row: an unreadable cell's
 * raw text lands in `bad[key]`, and an empty cell leaves the key absent.
 */
export function makeRowNormalizer(table: TableKind, bindings: ColumnBinding[], sheet: SheetInfo): RowNormalizer {
  const parsed = z.array(columnBindingSchema).safeParse(bindings);
  if (!parsed.success) throw new Error(`makeRowNormalizer(${table}): invalid column bindings: ${parsed.error.message}`);
  const specs = new Map(TABLES[table].fields.map((f) => [f.key, f]));
  const slots: Slot[] = [];
  for (const b of bindings) {
    if (b.table !== table) continue;
    const f = specs.get(b.key);
    if (!f) continue;
    slots.push({ col: b.col, key: b.key, parse: pooled(table, f, parserFor(f, b)) });
  }
  const n = slots.length;
  const hasDuplicates = new Set(slots.map((s) => s.key)).size !== n;
  const check = process.env['QINGXI_CHECK_ROWS'] === '1' ? rowSchema(table) : undefined;
  // a layout without 户编号 links a member (or a household row) to its household by the head's ID
  // number: that number is then the household's key
  // a residency form with 是否第一书记 / 是否队长 columns instead of a role column
  const roleFromFlags =
    table === 'residencies' && !slots.some((s) => s.key === 'role') && slots.some((s) => s.key === 'isFirstSecretary' || s.key === 'isTeamLeader');
  const linkByHead =
    (table === 'members' || table === 'households') && !slots.some((s) => s.key === 'householdNo') && slots.some((s) => s.key === 'headId');

  const shapes = !hasDuplicates && n <= MAX_SHAPED_SLOTS ? new RowShapes(slots.map((s) => s.key)) : undefined;
  const found: unknown[] = new Array(n);

  return (cells: readonly RawCell[], at: Loc): NormalRow => {
    let v: Record<string, unknown> | undefined;
    let keys = 0;
    let present = 0;
    let bad: Record<string, string> | undefined;
    if (shapes) {
      for (let i = 0; i < n; i++) {
        const s = slots[i]!;
        const cell = cells[s.col];
        if (cell === null || cell === undefined || cell === '') continue;
        const r = s.parse(cell);
        if (r === undefined) continue;
        if (r === UNREADABLE) (bad ??= {})[s.key] = rawText(cell);
        else {
          found[i] = r;
          present |= 1 << i;
        }
      }
      v = shapes.make(present, found);
    }
    if (v === undefined) {
      v = {};
      for (let i = 0; i < n; i++) {
        const s = slots[i]!;
        if (shapes) {
          // a shape the cache had no room for: the values are already parsed
          if (present & (1 << i)) {
            v[s.key] = found[i];
            keys++;
          }
          continue;
        }
        const cell = cells[s.col];
        if (cell === null || cell === undefined || cell === '') continue;
        if (hasDuplicates && (s.key in v || (bad !== undefined && s.key in bad))) continue;
        const r = s.parse(cell);
        if (r === undefined) continue;
        if (r === UNREADABLE) (bad ??= {})[s.key] = rawText(cell);
        else {
          v[s.key] = r;
          keys++;
        }
      }
      // a wide row's `v` (a households sheet has ~30 columns) left V8's compact layout: copy it back
      if (keys + 2 > FAST_KEY_LIMIT) v = compactObject(v);
    }
    found.fill(undefined); // the parsed values are not kept alive by the next row's scratch
    if (roleFromFlags && v['role'] === undefined) {
      if (v['isFirstSecretary'] === true) v['role'] = '第一书记';
      else if (v['isTeamLeader'] === true) v['role'] = '工作队队长';
      else if (v['isFirstSecretary'] === false || v['isTeamLeader'] === false) v['role'] = '工作队员';
    }
    if (linkByHead && v['householdNo'] === undefined) {
      const head = v['headId'] as { text: string } | undefined;
      if (head?.text) v['householdNo'] = head.text;
      else if (v['relation'] === '户主' && (v['idNumber'] as { text?: string } | undefined)?.text) {
        // the head's own row often leaves 户主身份证号 empty: it is the row's own number
        v['householdNo'] = (v['idNumber'] as { text: string }).text;
      }
    }
    if (check) {
      // safety net: a value outside the schema moves to `bad` instead of reaching the rules
      const res = check.safeParse(v);
      if (!res.success) {
        for (const issue of res.error.issues) {
          const key = issue.path[0];
          if (typeof key !== 'string' || !(key in v)) continue;
          const slot = slots.find((x) => x.key === key);
          (bad ??= {})[key] = slot ? rawText(cells[slot.col]) : String(v[key]);
          delete v[key];
        }
      }
    }
    return bad === undefined ? { table, at, sheet, v } : { table, at, sheet, v, bad };
  };
}
