// The member rows' ID numbers as the cross rules look them up: which numbers are on a member row,
// and which appear on more than one. Declared once as a derived index (`memberNumbers`): ID-08
// (duplicates), the head-number checks of ID-02..ID-05/ID-10 and PAIR-05 would each walk every member row
// and hash every number (a township: 200,000; a province county by county: millions) — once is
// enough. PAIR-05 scans the normalised texts instead of every row's ID value.
import type { Indexes } from '../../src/engine/indexes.js';
import { defineIndex } from '../../src/engine/derived.js';
import { normalizeIdText, upgrade15 } from './idcard.js';
import { TextRows } from './text-rows.js';

export interface MemberNumbers {
  /**
   * the numbers written on member rows, normalised (normalizeIdText): the number's text, else the
   * text of an unreadable ID cell → the position of the one row with it, -1 when more rows have it
   */
  rows: Pick<TextRows, 'get' | 'has'>;
  /** per member row (by position): its number as a key of `rows`; undefined for a row without one */
  texts: (string | undefined)[];
  /**
   * per member row (by position): 1 when another row may carry the same number — the same
   * normalised text, or a 15-digit number and its 18-digit form, or a 20/22-character 残疾人证
   * number and its 18-character head; most rows have a number of their own (0)
   */
  maybeShared: Uint8Array;
}

/**
 * The text each member row's number is known by here: its ID text, else the unreadable cell's —
 * the column IndexBuilder gathered; read from the rows when indexes were put together otherwise.
 */
function writtenNumbers(ix: Indexes): readonly (string | undefined)[] {
  if (ix.memberIdTexts.length === ix.members.length) return ix.memberIdTexts;
  return ix.members.map((m) => m.v.idNumber?.text || m.bad?.idNumber || undefined);
}

/**
 * The 18-character form a number may stand for besides itself: a 15-digit number upgraded, a
 * 20/22-character 残疾人证 number's first 18; undefined for any other text.
 */
function otherForm(t: string): string | undefined {
  if (t.length === 15 && /^\d{15}$/.test(t)) return upgrade15(t);
  if ((t.length === 20 || t.length === 22) && /^\d{17}[\dX]/.test(t)) return t.slice(0, 18);
  return undefined;
}

export const memberNumbers = defineIndex<MemberNumbers>('memberNumbers', (ix) => {
  const n = ix.members.length;
  const texts = new Array<string | undefined>(n);
  const rows = new TextRows(texts);
  const maybeShared = new Uint8Array(n);
  // the other forms of the few 15-digit and 20/22-character numbers, and the rows carrying them
  const otherForms = new Map<string, number[]>();
  const column = writtenNumbers(ix);
  for (let i = 0; i < n; i++) {
    const written = column[i];
    if (!written) continue;
    const t = normalizeIdText(written);
    texts[i] = t;
    // one lookup per row: the first row with a number is flagged when a second one comes
    const first = rows.add(i);
    if (first !== undefined) {
      if (first >= 0) maybeShared[first] = 1;
      maybeShared[i] = 1;
    }
    const other = otherForm(t);
    if (other !== undefined) {
      const list = otherForms.get(other);
      if (list) list.push(i);
      else otherForms.set(other, [i]);
    }
  }
  // a 15-digit (20/22-character) number shares with its 18-character form, or with another short form of it
  for (const [other, list] of otherForms) {
    const full = rows.get(other);
    if (list.length === 1 && full === undefined) continue;
    for (const i of list) maybeShared[i] = 1;
    if (full !== undefined && full >= 0) maybeShared[full] = 1;
  }
  return { rows, texts, maybeShared };
});
