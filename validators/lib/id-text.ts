// ID texts as cross rules join on them, cheaply. The cross rules look at every member's and every
// helper row's number (a township: 200,000 of them, a province: millions); the normalisation and
// the damage test of lib/idcard.ts run several regular expressions each. These give the same
// answers with a character scan for the usual case, and compute the rest once per distinct text.
import type { IdValue } from '../../src/model.js';
import { normalizeIdText } from './idcard.js';

/**
 * Printable ASCII other than `x`: normalizeIdText would change nothing (it only widens full-width
 * forms U+FF01–FF5E, drops white space — none of it in 0x21–0x7E — and upper-cases `x`).
 */
function isNormalIdText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c === 0x78) return false;
  }
  return true;
}

/** normalizeIdText(text), without its three regex passes when the text is normal already. */
export function normalIdText(text: string): string {
  return isNormalIdText(text) ? text : normalizeIdText(text);
}

/**
 * A function of an ID value remembered per distinct text. Only for functions that read nothing of
 * the value but its text and the two damage marks (numericCell, scientific): values with a mark
 * (rare) are not remembered, so the text alone is the key. One memo per run, never module-wide.
 */
export function perIdText<T>(fn: (id: IdValue) => T): (id: IdValue) => T {
  const seen = new Map<string, T>();
  return (id) => {
    if (id.numericCell || id.scientific || !id.text) return fn(id);
    const hit = seen.get(id.text);
    if (hit !== undefined || seen.has(id.text)) return hit as T;
    const out = fn(id);
    seen.set(id.text, out);
    return out;
  };
}
