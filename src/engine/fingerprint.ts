// Fingerprints: stable across runs for the same problem on the same entity (rule + sub-problem +
// entity key + field), independent of row order and of how the records are split over files.
import { createHash } from 'node:crypto';
import type { Finding } from '../model.js';
import { isIdValue } from '../core/values.js';

function idText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (isIdValue(v)) return v.text;
  return String(v);
}

/** The entity key of a finding (SPEC §3.0), as one string. */
export function entityKey(f: Finding): string {
  if (f.groupKey !== undefined) return ['group', f.groupKey].join('\u001f');
  if (f.rule.startsWith('FILE-')) {
    // structural findings are about a place in a file
    return ['file', f.at?.file ?? '', f.at?.sheet ?? '', f.at?.row ?? ''].join('\u001f');
  }
  return [
    'hh',
    f.householdNo ?? '',
    'nm',
    f.name ?? '',
    'id',
    idText(f.idNumber),
    'hp',
    idText(f.helperId),
    'pj',
    f.projectNo ?? '',
    'vl',
    // village names repeat across townships (新村): the village key carries its county and township
    f.village ? [f.region?.county ?? '', f.region?.township ?? '', f.village].join('/') : '',
    // only present on a record that lacks its key: keys of every other finding are unchanged
    ...(f.recordKey !== undefined ? ['rk', f.recordKey] : []),
  ].join('\u001f');
}

export function fingerprint(f: Finding): string {
  const h = createHash('sha1');
  h.update([f.rule, f.code ?? '', entityKey(f), f.field ?? ''].join('\u001e'));
  return h.digest('hex').slice(0, 20);
}
