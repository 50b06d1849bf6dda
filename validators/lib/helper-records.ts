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
  /** signatures of the sources kept: a repeated row (one per pairing line) adds nothing new */
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
  const bad = src.row.bad ? Object.keys(src.row.bad).sort().join(',') : '';
  return [src.kind, src.name ?? '', src.phone ?? '', +src.phoneColumn, +src.rankColumns, v?.unit ?? '', v?.unitLevel ?? '', v?.rank ?? '', bad].join('\u001f');
}

/** The helper records of a run (built once per run by the engine, for the rules that declare it). */
export const helperRecords = defineIndex<HelperRecords>('helperRecords', (ix) => buildHelperRecords(ix));

export function buildHelperRecords(ix: Indexes): HelperRecords {
  const byId = new Map<string, HelperRecord>();
  const noId: HelperSource[] = [];
  const add = (src: HelperSource): void => {
    let key = src.id?.text ? normalizeIdText(src.id.text) : '';
    if (!key) {
      noId.push(src);
      return;
    }
    // A spreadsheet-damaged number (4.30524E+17, …000) is shared by many people, so it is never a
    // join key on its own: one record per (damaged text, name), or per row when there is no name.
    if (isDamagedId(src.id!)) {
      const at = src.row.at;
      key += '\u0000' + (src.name ? 'n:' + nameKey(src.name) : `r:${at.file}|${at.sheet ?? ''}|${at.row ?? ''}`);
    }
    const rec = byId.get(key);
    if (!rec) {
      byId.set(key, { key, sources: [src] });
      return;
    }
    if (!rec.seen) rec.seen = new Set([signature(rec.sources[0]!)]);
    const sig = signature(src);
    if (rec.seen.has(sig)) return;
    rec.seen.add(sig);
    rec.sources.push(src);
  };
  for (const r of ix.helpers) {
    const src: HelperSource = {
      row: r,
      kind: 'helper',
      phoneColumn: sheetHas(r, 'phone'),
      rankColumns: sheetHas(r, 'unitLevel') && sheetHas(r, 'rank'),
    };
    if (r.v.helperId) src.id = r.v.helperId;
    if (r.v.helperName) src.name = r.v.helperName;
    const phone = r.v.phone ?? r.bad?.phone;
    if (phone) src.phone = phone;
    add(src);
  }
  for (const r of ix.pairings) {
    const src: HelperSource = { row: r, kind: 'pairing', phoneColumn: false, rankColumns: false };
    if (r.v.helperId) src.id = r.v.helperId;
    if (r.v.helperName) src.name = r.v.helperName;
    add(src);
  }
  for (const r of ix.residencies) {
    const src: HelperSource = { row: r, kind: 'residency', phoneColumn: sheetHas(r, 'phone'), rankColumns: false };
    if (r.v.idNumber) src.id = r.v.idNumber;
    if (r.v.name) src.name = r.v.name;
    const phone = r.v.phone ?? r.bad?.phone;
    if (phone) src.phone = phone;
    add(src);
  }
  return { byId, noId };
}
