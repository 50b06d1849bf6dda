// Fingerprints: stable across runs for the same problem on the same entity (rule + sub-problem +
// entity key + field), independent of row order and of how the records are split over files.
import * as crypto from 'node:crypto';
import type { Finding } from '../model.js';
import { isIdValue } from '../core/values.js';

function idText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (isIdValue(v)) return v.text;
  return String(v);
}

// Fields are joined by U+001F, the parts of the fingerprint's input by U+001E. Built by
// concatenation: a finding is fingerprinted once, but a province makes millions of them.
const US = '\u001f';

/** The entity key of a finding (SPEC §3.0), as one string. */
export function entityKey(f: Finding): string {
  if (f.groupKey !== undefined) return `group${US}${f.groupKey ?? ''}`;
  if (f.rule.startsWith('FILE-')) {
    // structural findings are about a place in a file
    return `file${US}${f.at?.file ?? ''}${US}${f.at?.sheet ?? ''}${US}${f.at?.row ?? ''}`;
  }
  // village names repeat across townships (新村): the village key carries its county and township
  const village = f.village ? `${f.region?.county ?? ''}/${f.region?.township ?? ''}/${f.village}` : '';
  const key =
    `hh${US}${f.householdNo ?? ''}${US}nm${US}${f.name ?? ''}${US}id${US}${idText(f.idNumber)}${US}hp${US}${idText(f.helperId)}` +
    `${US}pj${US}${f.projectNo ?? ''}${US}vl${US}${village}`;
  // only present on a record that lacks its key: keys of every other finding are unchanged
  return f.recordKey !== undefined ? `${key}${US}rk${US}${f.recordKey ?? ''}` : key;
}

/** SHA-1 in hex: the one-shot crypto.hash where this Node has it (20.12+), else a Hash object. */
const sha1Hex: (text: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (text) => (crypto as unknown as { hash(alg: string, data: string, enc: 'hex'): string }).hash('sha1', text, 'hex')
    : (text) => crypto.createHash('sha1').update(text).digest('hex');

export function fingerprint(f: Finding): string {
  return sha1Hex(`${f.rule}\u001e${f.code ?? ''}\u001e${entityKey(f)}\u001e${f.field ?? ''}`).slice(0, 20);
}
