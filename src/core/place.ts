// "file / sheet / 第N行": where a finding or a row sits, as a person reads it (related places,
// failure reports, 来源 columns).
import type { Loc } from '../model.js';

export function placeText(f: { at?: Loc }): string {
  const at = f.at;
  if (!at) return '';
  return [at.file, at.sheet, at.row !== undefined ? `第${at.row}行` : undefined].filter(Boolean).join(' / ');
}
