// Notes about a whole sheet (a column the export does not have): one per sheet and field. The
// sheet is the note's record: its place stands in for an entity key in the fingerprint.
import type { Loc } from '../../src/model.js';

export interface SheetGroup<T> {
  /** file and sheet, no row */
  at: Loc;
  /** fingerprint stand-in for the sheet (Finding.recordKey) */
  recordKey: string;
  items: T[];
}

/** Items grouped by the sheet they come from, in first-seen order. */
export function bySheet<T>(items: readonly T[], placeOf: (x: T) => Loc): SheetGroup<T>[] {
  const groups = new Map<string, SheetGroup<T>>();
  for (const x of items) {
    const p = placeOf(x);
    const key = `${p.file}\u001f${p.sheet ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      const at: Loc = { file: p.file };
      if (p.sheet !== undefined) at.sheet = p.sheet;
      groups.set(key, (g = { at, recordKey: `sheet:${key}`, items: [] }));
    }
    g.items.push(x);
  }
  return [...groups.values()];
}
