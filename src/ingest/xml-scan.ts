// A small pull scanner over XML text that arrives in chunks: tags and the text between them, nothing
// else. Enough for the machine-written parts of an xlsx (sheets, shared strings, styles), several
// times faster than a full SAX parser because it builds no objects per event.
//
// A CDATA section is text: handed on escaped, so that the consumer's entity decoding gives back its
// characters as written (some generators write cell text as CDATA; exceljs, the fallback, drops it
// from shared strings). What it does not handle (DOCTYPE and other declarations) it refuses with
// LeanUnsupported, so the caller can fall back to the full reader (exceljs) for that file.

export class LeanUnsupported extends Error {
  constructor(what: string) {
    super(`lean xlsx reader: ${what}`);
    this.name = 'LeanUnsupported';
  }
}

export interface XmlHandler {
  /** `name` without namespace prefix; `attrs` is the raw attribute text. */
  open(name: string, attrs: string, selfClosing: boolean): void;
  close(name: string): void;
  /** raw text (entities not decoded); only called while `wantText` is true */
  text(raw: string): void;
  wantText: boolean;
  /**
   * A shortcut for a whole element at `buf[lt]` (a `<` opening a tag, not text): the index after
   * the element when it took it, its effects being those the events would have had; FAST_NO for
   * the events instead; FAST_MORE when the element runs past the end of `buf` (the chunk ends
   * there, unless the input is over, when the events take it).
   */
  fast?(buf: string, lt: number): number;
}

/** XmlHandler.fast did not take the element: its events follow. */
export const FAST_NO = -1;
/** XmlHandler.fast needs more text than the chunk has. */
export const FAST_MORE = -2;

/**
 * Scans the complete events of `buf`; returns the index of the first character not consumed
 * (the start of an unfinished tag or text run, kept for the next chunk).
 */
export function scanXml(buf: string, h: XmlHandler, final: boolean): number {
  let pos = 0;
  const n = buf.length;
  while (pos < n) {
    const lt = nextTag(buf, pos);
    if (lt < 0) {
      // text up to the end: delivered once its end is known (or the input is over)
      if (final) {
        if (h.wantText) h.text(buf.slice(pos));
        return n;
      }
      return pos;
    }
    if (lt > pos && h.wantText) h.text(buf.slice(pos, lt));
    if (h.fast !== undefined) {
      const after = h.fast(buf, lt);
      if (after >= 0) {
        pos = after;
        continue;
      }
      if (after === FAST_MORE && !final) return lt;
    }
    const c1 = buf.charCodeAt(lt + 1);
    if (c1 === 0x3f /* ? */) {
      const end = buf.indexOf('?>', lt + 2);
      if (end < 0) return final ? n : lt;
      pos = end + 2;
      continue;
    }
    if (c1 === 0x21 /* ! */) {
      if (buf.startsWith('<!--', lt)) {
        const end = buf.indexOf('-->', lt + 4);
        if (end < 0) return final ? n : lt;
        pos = end + 3;
        continue;
      }
      if (lt + 9 > n && !final) return lt;
      if (buf.startsWith('<![CDATA[', lt)) {
        const end = buf.indexOf(']]>', lt + 9);
        if (end < 0) return final ? n : lt;
        if (h.wantText && end > lt + 9) h.text(escapeText(buf.slice(lt + 9, end)));
        pos = end + 3;
        continue;
      }
      throw new LeanUnsupported('DOCTYPE or declaration');
    }
    const gt = tagEnd(buf, lt);
    if (gt < 0) return final ? n : lt;
    if (c1 === 0x2f /* / */) {
      // names are cut straight from the buffer (no intermediate strings: millions of tags)
      let a = lt + 2;
      let b = gt;
      while (a < b && isSpace(buf.charCodeAt(a))) a++;
      while (b > a && isSpace(buf.charCodeAt(b - 1))) b--;
      h.close(nameAt(buf, a, b));
      pos = gt + 1;
      continue;
    }
    const selfClosing = buf.charCodeAt(gt - 1) === 0x2f;
    const end = selfClosing ? gt - 1 : gt;
    let sp = lt + 1;
    while (sp < end && !isSpace(buf.charCodeAt(sp))) sp++;
    const name = nameAt(buf, lt + 1, sp);
    h.open(name, sp < end ? buf.slice(sp, end) : '', selfClosing);
    if (selfClosing) h.close(name);
    pos = gt + 1;
  }
  return n;
}

/** CDATA content as raw XML text: `&` and `<` escaped, so decodeEntities gives the content back. */
function escapeText(s: string): string {
  return s.indexOf('&') < 0 && s.indexOf('<') < 0 ? s : s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

function isSpace(ch: number): boolean {
  return ch === 0x20 || ch === 0x09 || ch === 0x0a || ch === 0x0d;
}

/** The local name (no namespace prefix) of the tag name buf[from, to). */
function nameAt(buf: string, from: number, to: number): string {
  let start = from;
  for (let i = from; i < to; i++) if (buf.charCodeAt(i) === 0x3a /* : */) start = i + 1;
  // the names of a sheet's cells, met millions of times, without a new string each
  const len = to - start;
  if (len === 1) {
    const ch = buf.charCodeAt(start);
    if (ch === 0x63) return 'c';
    if (ch === 0x76) return 'v';
    if (ch === 0x74) return 't';
    if (ch === 0x66) return 'f';
    if (ch === 0x72) return 'r';
  } else if (len === 2) {
    if (buf.charCodeAt(start) === 0x69 && buf.charCodeAt(start + 1) === 0x73) return 'is';
    if (buf.charCodeAt(start) === 0x73 && buf.charCodeAt(start + 1) === 0x69) return 'si';
  } else if (len === 3 && buf.startsWith('row', start)) return 'row';
  return buf.slice(start, to);
}

/**
 * The `>` that ends the tag starting at `lt` (a `>` inside a quoted attribute value does not), or
 * -1: one pass over the tag's char codes (a tag is a few characters; indexOf costs more per call).
 */
function tagEnd(buf: string, lt: number): number {
  const n = buf.length;
  let quote = 0;
  for (let i = lt + 1; i < n; i++) {
    const ch = buf.charCodeAt(i);
    if (quote === 0) {
      if (ch === 0x3e /* > */) return i;
      if (ch === 0x22 || ch === 0x27) quote = ch;
    } else if (ch === quote) quote = 0;
  }
  return -1;
}

/** Characters looked at one by one for the next `<` before indexOf takes over (text between tags is mostly short). */
const NEAR = 16;

/** The next `<` at or after `from`, or -1. */
function nextTag(buf: string, from: number): number {
  const stop = Math.min(buf.length, from + NEAR);
  for (let i = from; i < stop; i++) if (buf.charCodeAt(i) === 0x3c /* < */) return i;
  return stop < buf.length ? buf.indexOf('<', stop) : -1;
}

/** The value of one attribute in raw attribute text (entities decoded), or undefined. */
export function attr(attrs: string, name: string): string | undefined {
  let from = 0;
  for (;;) {
    const i = attrs.indexOf(name, from);
    if (i < 0) return undefined;
    from = i + name.length;
    const before = i === 0 ? 0x20 : attrs.charCodeAt(i - 1);
    // a whole attribute name (not the tail of another: `t` in `r:t`, `s` in `cs`)
    if (!(before === 0x20 || before === 0x09 || before === 0x0a || before === 0x0d)) continue;
    let j = from;
    while (attrs.charCodeAt(j) === 0x20) j++;
    if (attrs.charCodeAt(j) !== 0x3d /* = */) continue;
    j++;
    while (attrs.charCodeAt(j) === 0x20) j++;
    const q = attrs.charCodeAt(j);
    if (q !== 0x22 && q !== 0x27) continue;
    const end = attrs.indexOf(q === 0x22 ? '"' : "'", j + 1);
    if (end < 0) return undefined;
    const v = attrs.slice(j + 1, end);
    return v.indexOf('&') >= 0 ? decodeEntities(v) : v;
  }
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML character and predefined entity references; an unknown one is left as written. */
export function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return NAMED[e] ?? m;
  });
}
