// Pinyin initials of Chinese header text (身份证号 → sfzh), for suggesting fields for the headers
// of database exports that abbreviate column names that way (xm, sfzh, yhzgx). Suggestions only:
// nothing binds by initials without the user confirming it in config `columns`.
//
// GB2312's level-1 characters (0xB0A1–0xD7F9, the 3,755 common ones) are ordered by pinyin, so an
// initial is the last boundary at or below a character's GBK code. Rarer characters (level 2, not
// in that order) give '?', which matches nothing; a polyphonic character takes one reading.
import iconv from 'iconv-lite';

const BOUNDARIES: readonly [string, number][] = [
  ['a', 0xb0a1], ['b', 0xb0c5], ['c', 0xb2c1], ['d', 0xb4ee], ['e', 0xb6ea], ['f', 0xb7a2],
  ['g', 0xb8c1], ['h', 0xb9fe], ['j', 0xbbf7], ['k', 0xbfa6], ['l', 0xc0ac], ['m', 0xc2e8],
  ['n', 0xc4c3], ['o', 0xc5b6], ['p', 0xc5be], ['q', 0xc6da], ['r', 0xc8bb], ['s', 0xc8f6],
  ['t', 0xcbfa], ['w', 0xcdda], ['x', 0xcef4], ['y', 0xd1b9], ['z', 0xd4d1],
];
const LEVEL1_END = 0xd7f9;

function initialOf(ch: string): string {
  if (/[a-z0-9]/i.test(ch)) return ch.toLowerCase();
  const b = iconv.encode(ch, 'gbk');
  if (b.length !== 2) return '';
  const code = b[0]! * 256 + b[1]!;
  if (code < BOUNDARIES[0]![1] || code > LEVEL1_END) return '?';
  let out = '?';
  for (const [letter, start] of BOUNDARIES) if (code >= start) out = letter;
  return out;
}

/** 与户主关系 → yhzgx; characters outside the common set give '?'; other symbols are dropped. */
export function pinyinInitials(text: string): string {
  let out = '';
  for (const ch of text) out += initialOf(ch);
  return out;
}
