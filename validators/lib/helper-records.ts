// The helper records the HELPER rules share: every helper and resident cadre, from whichever table
// names them (the helpers sheet, helper columns on pairing rows, the residency list), keyed by the
// normalised ID number. Declared once as a derived index (`helperRecords`); the engine builds it
// once per run for whichever HELPER rule asks first.
import type { IdValue, NormalRow } from '../../src/model.js';
import type { Indexes } from '../../src/engine/indexes.js';
import { defineIndex } from '../../src/engine/derived.js';
import type { HelperRow, PairingRow, ResidencyRow } from '../../src/schema/rows.js';
import { isDamagedId, normalizeIdText } from './idcard.js';

interface SourceBase {
  id?: IdValue;
  name?: string;
  /** phone as parsed, else the raw text of an unreadable phone cell */
  phone?: string;
  /** the sheet had a phone column for this row's table */
  phoneColumn: boolean;
  /** the sheet had unit-level and rank columns (HELPER-04/05 apply) */
  rankColumns: boolean;
}

/** One row naming a helper, by the table it comes from. */
export type HelperSource =
  | (SourceBase & { kind: 'helper'; row: HelperRow })
  | (SourceBase & { kind: 'pairing'; row: PairingRow })
  | (SourceBase & { kind: 'residency'; row: ResidencyRow });

export type SourceKind = HelperSource['kind'];

export interface HelperRecord {
  /** normalised ID text (the key); for a damaged ID, the text plus the name or the row */
  key: string;
  sources: HelperSource[];
  /**
   * signatures of the sources kept, once there are more than a few (fewer are compared one by
   * one): a repeated row (one per pairing line) adds nothing new
   */
  seen?: Set<string>;
}

export interface HelperRecords {
  byId: Map<string, HelperRecord>;
  /** rows whose ID number is empty */
  noId: HelperSource[];
}

/** The row's sheet had a column for `key` in the row's table. */
export function sheetHas(row: Pick<NormalRow, 'table' | 'sheet'>, key: string): boolean {
  return row.sheet.fields[row.table]?.has(key) ?? false;
}

/** A name as compared: without spaces (王 五 = 王五). */
export function nameKey(s: string): string {
  return s.replace(/[\s\u3000]+/g, '');
}

/** What a source says about its helper; two sources with the same signature are redundant. */
function signature(src: HelperSource): string {
  const v = src.kind === 'helper' ? src.row.v : undefined;
  return [src.kind, src.name ?? '', src.phone ?? '', +src.phoneColumn, +src.rankColumns, v?.unit ?? '', v?.unitLevel ?? '', v?.rank ?? '', badKeys(src)].join('\u001f');
}

function badKeys(src: HelperSource): string {
  return src.row.bad ? Object.keys(src.row.bad).sort().join(',') : '';
}

/**
 * The two sources have the same signature, told without building it: a helper is named on each of
 * their pairing rows, and nearly all of those repeat the first (tens of thousands per township).
 */
function saysTheSame(a: HelperSource, b: HelperSource): boolean {
  if (a.kind !== b.kind || (a.name ?? '') !== (b.name ?? '') || (a.phone ?? '') !== (b.phone ?? '')) return false;
  if (a.phoneColumn !== b.phoneColumn || a.rankColumns !== b.rankColumns) return false;
  const va = a.kind === 'helper' ? a.row.v : undefined;
  const vb = b.kind === 'helper' ? b.row.v : undefined;
  if ((va?.unit ?? '') !== (vb?.unit ?? '') || (va?.unitLevel ?? '') !== (vb?.unitLevel ?? '') || (va?.rank ?? '') !== (vb?.rank ?? '')) return false;
  return a.row.bad || b.row.bad ? badKeys(a) === badKeys(b) : true;
}

/** Kept sources compared one by one up to this many; past it, by a set of their signatures. */
const FEW_SOURCES = 8;

/** The helper records of a run (built once per run by the engine, for the rules that declare it). */
export const helperRecords = defineIndex<HelperRecords>('helperRecords', (ix) => buildHelperRecords(ix));

export function buildHelperRecords(ix: Indexes): HelperRecords {
  const byId = new Map<string, HelperRecord>();
  const noId: HelperSource[] = [];
  const add = (src: HelperSource): void => {
    const id = src.id;
    let key = id?.text ? normalizeIdText(id.text) : '';
    if (!key) {
      noId.push(src);
      return;
    }
    let rec = byId.get(key);
    // A spreadsheet-damaged number (4.30524E+17, …000) is shared by many people, so it is never a
    // join key on its own: one record per (damaged text, name), or per row when there is no name.
    // A number without damage marks whose text has a record already (a helper's next pairing row)
    // is not damaged: without the marks, damage depends on the text alone — no test needed.
    const knownUndamaged = rec !== undefined && !id!.numericCell && !id!.scientific;
    if (!knownUndamaged && isDamagedId(id!)) {
      const at = src.row.at;
      key += '\u0000' + (src.name ? 'n:' + nameKey(src.name) : `r:${at.file}|${at.sheet ?? ''}|${at.row ?? ''}`);
      rec = byId.get(key);
    }
    if (!rec) {
      byId.set(key, { key, sources: [src] });
      return;
    }
    if (!rec.seen) {
      if (rec.sources.some((kept) => saysTheSame(kept, src))) return;
      rec.sources.push(src);
      if (rec.sources.length > FEW_SOURCES) rec.seen = new Set(rec.sources.map(signature));
      return;
    }
    const sig = signature(src);
    if (rec.seen.has(sig)) return;
    rec.seen.add(sig);
    rec.sources.push(src);
  };
  // every source built with the same fields in the same order (absent ones undefined): the
  // comparisons above then see one object layout, not one per combination of present fields
  const source = <K extends SourceKind>(kind: K, row: Extract<HelperSource, { kind: K }>['row'], said: Omit<SourceBase, never>): HelperSource =>
    ({ row, kind, id: said.id, name: said.name, phone: said.phone, phoneColumn: said.phoneColumn, rankColumns: said.rankColumns }) as HelperSource;
  // the sheet's columns, worked out once per sheet (rows of one sheet come together)
  let lastSheet: object | undefined;
  let phoneColumn = false;
  let rankColumns = false;
  const columnsOf = (r: HelperRow | ResidencyRow): void => {
    if (r.sheet === lastSheet) return;
    lastSheet = r.sheet;
    phoneColumn = sheetHas(r, 'phone');
    rankColumns = sheetHas(r, 'unitLevel') && sheetHas(r, 'rank');
  };
  for (const r of ix.helpers) {
    columnsOf(r);
    add(source('helper', r, { id: r.v.helperId, name: r.v.helperName || undefined, phone: (r.v.phone ?? r.bad?.phone) || undefined, phoneColumn, rankColumns }));
  }
  for (const r of ix.pairings) {
    add(source('pairing', r, { id: r.v.helperId, name: r.v.helperName || undefined, phone: undefined, phoneColumn: false, rankColumns: false }));
  }
  lastSheet = undefined;
  for (const r of ix.residencies) {
    columnsOf(r);
    add(source('residency', r, { id: r.v.idNumber, name: r.v.name || undefined, phone: (r.v.phone ?? r.bad?.phone) || undefined, phoneColumn, rankColumns: false }));
  }
  return { byId, noId };
}
