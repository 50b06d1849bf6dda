// ID texts as cross rules join on them, cheaply. The cross rules look at every member's and every
// helper row's number (a township: 200,000 of them, a province: millions); the normalisation and
// the damage test of lib/idcard.ts run several regular expressions each. This gives the same
// answer with a character scan for the usual case.
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
