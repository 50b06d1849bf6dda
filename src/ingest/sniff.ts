// What a file is, decided from its bytes (never from its extension), and how a text file is
// encoded and delimited.
import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';
import iconv from 'iconv-lite';

export type Sniffed =
  | { kind: 'empty' }
  | { kind: 'zip' }
  | { kind: 'cfb' }
  | { kind: 'html' }
  | { kind: 'xml2003' }
  | { kind: 'pdf' }
  | { kind: 'text' }
  | { kind: 'binary' };

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];
const CFB = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(buf: Buffer, sig: number[]): boolean {
  return buf.length >= sig.length && sig.every((b, i) => buf[i] === b);
}

/** Characters of a text file's start searched for control characters. */
const CONTROL_SAMPLE = 65_536;
/**
 * Bytes decoded to find the delimiter: its 30 first lines, unless they are very long. The head
 * read is larger (1 MiB, for the encoding); decoding all of it for each file cost more than
 * reading a small file's rows.
 */
const DELIMITER_SAMPLE = 64 * 1024;

/** Classifies a file's first bytes. */
export function sniffBytes(head: Buffer): Sniffed {
  if (head.length === 0) return { kind: 'empty' };
  if (startsWith(head, ZIP) || startsWith(head, ZIP_EMPTY)) return { kind: 'zip' };
  if (startsWith(head, CFB)) return { kind: 'cfb' };
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return { kind: 'pdf' };
  const enc = detectEncoding(head);
  // the tests below look at 65,536 characters at most: that many bytes at two per character
  const text = decodeSample(head.subarray(0, enc.bomLength + 2 * CONTROL_SAMPLE), enc.encoding, enc.bomLength);
  const start = text.slice(0, 2000);
  if (/^\s*<\?xml[^>]*>[\s\S]*<(ss:)?workbook\b/i.test(start) || /<\?mso-application progid="Excel\.Sheet"/i.test(start)) return { kind: 'xml2003' };
  if (/^\s*<(!doctype\s+html|html|table|head|meta)\b/i.test(start)) return { kind: 'html' };
  // many NULs or control characters in what should be text: a binary file of some other kind; a
  // few NULs in a text export (a damaged or oddly written cell) are read, and reported by the reader
  let ctl = 0;
  const n = Math.min(text.length, CONTROL_SAMPLE);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12) ctl++;
  }
  if (n > 0 && ctl / n > 0.01) return { kind: 'binary' };
  return { kind: 'text' };
}

export async function readHead(path: string, bytes: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** What an OLE compound file (CFB) holds, from the stream names in its directory. */
export type CfbKind = 'encrypted-ooxml' | 'xls' | 'other';

const utf16 = (s: string) => Buffer.from(s, 'utf16le');
const CFB_NAMES: [Buffer, CfbKind][] = [
  [utf16('EncryptedPackage'), 'encrypted-ooxml'],
  [utf16('EncryptionInfo'), 'encrypted-ooxml'],
  [utf16('Workbook'), 'xls'],
  [utf16('Book\0'), 'xls'], // BIFF5 workbooks name their stream "Book"
];

/**
 * Looks for directory entries naming the streams of an encrypted OOXML package or a legacy
 * workbook. Directory entries are 128-byte records at 128-aligned offsets (the header is 512
 * bytes, sectors 512 or 4096), so a name is only accepted at such an offset.
 */
export async function sniffCfb(path: string): Promise<CfbKind> {
  const fh = await open(path, 'r');
  try {
    const chunk = 1 << 20;
    const buf = Buffer.alloc(chunk + 128);
    let pos = 0;
    let found: CfbKind = 'other';
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, chunk + 128, pos);
      if (bytesRead <= 0) break;
      const view = buf.subarray(0, bytesRead);
      for (const [name, kind] of CFB_NAMES) {
        let i = view.indexOf(name);
        while (i >= 0) {
          if ((pos + i) % 128 === 0) {
            if (kind === 'encrypted-ooxml') return kind; // an encrypted package wins over anything else
            found = kind;
            break;
          }
          i = view.indexOf(name, i + 1);
        }
      }
      if (bytesRead < chunk + 128) break;
      pos += chunk;
    }
    return found;
  } finally {
    await fh.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Text encodings

export interface EncodingGuess {
  /** iconv-lite name */
  encoding: 'utf8' | 'utf16le' | 'utf16be' | 'gb18030';
  bomLength: number;
  /** how a clerk would call it (accounting) */
  label: string;
}

/**
 * BOMs first; then UTF-16 without BOM (NUL in every other byte); then strict UTF-8 over the
 * sample (an incomplete sequence at the sample's end is not an error); otherwise GB18030, the
 * superset of GB2312 and GBK that Chinese Excel writes as "ANSI".
 */
export function detectEncoding(sample: Buffer): EncodingGuess {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf8', bomLength: 3, label: 'UTF-8 (BOM)' };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf16le', bomLength: 2, label: 'UTF-16LE' };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf16be', bomLength: 2, label: 'UTF-16BE' };
  const n = Math.min(sample.length, 4096) & ~1;
  if (n >= 4) {
    let evenNul = 0;
    let oddNul = 0;
    for (let i = 0; i < n; i += 2) {
      if (sample[i] === 0) evenNul++;
      if (sample[i + 1] === 0) oddNul++;
    }
    if (oddNul > n / 8 && evenNul === 0) return { encoding: 'utf16le', bomLength: 0, label: 'UTF-16LE' };
    if (evenNul > n / 8 && oddNul === 0) return { encoding: 'utf16be', bomLength: 0, label: 'UTF-16BE' };
  }
  return isUtf8Start(sample) ? { encoding: 'utf8', bomLength: 0, label: 'UTF-8' } : { encoding: 'gb18030', bomLength: 0, label: 'GB18030' };
}

/**
 * Is the sample valid UTF-8, allowing a character cut off by the sample's end? The body is checked
 * by node's isUtf8 (SIMD, ~20× faster than a TextDecoder over the 1 MiB head of every file); the
 * last, possibly incomplete character by a streaming TextDecoder, which accepts a truncated
 * sequence but not a wrong one.
 */
function isUtf8Start(sample: Buffer): boolean {
  let lead = sample.length - 1;
  while (lead >= 0 && lead > sample.length - 4 && (sample[lead]! & 0xc0) === 0x80) lead--;
  if (lead < 0) lead = 0;
  if (!isUtf8(sample.subarray(0, lead))) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(lead), { stream: true });
    return true;
  } catch {
    return false;
  }
}

function decodeSample(buf: Buffer, enc: EncodingGuess['encoding'], bom: number): string {
  const b = buf.subarray(bom);
  if (enc === 'utf8') return b.toString('utf8');
  if (enc === 'utf16le') return b.subarray(0, b.length & ~1).toString('utf16le');
  if (enc === 'utf16be') {
    const sw = Buffer.from(b.subarray(0, b.length & ~1));
    sw.swap16();
    return sw.toString('utf16le');
  }
  return iconv.decode(b, 'gb18030');
}

/**
 * Delimiter among comma, tab and semicolon: the one that splits the first lines (outside quotes)
 * into the same number of cells most often, then the one giving more cells.
 */
export function sniffDelimiter(text: string): ',' | '\t' | ';' {
  const lines: string[] = [];
  let cur = '';
  let inQuote = false;
  for (let i = 0; i < text.length && lines.length < 30; i++) {
    const ch = text[i]!;
    if (ch === '"') inQuote = !inQuote;
    if ((ch === '\n' || ch === '\r') && !inQuote) {
      if (cur.trim()) lines.push(cur);
      cur = '';
    } else if (!inQuote || ch === '"') cur += ch;
  }
  if (cur.trim() && lines.length < 30) lines.push(cur);
  let best: ',' | '\t' | ';' = ',';
  let bestScore = [-1, -1];
  for (const d of [',', '\t', ';'] as const) {
    const counts = lines.map((l) => l.split(d).length - 1).filter((c) => c > 0);
    if (counts.length === 0) continue;
    const freq = new Map<number, number>();
    for (const c of counts) freq.set(c, (freq.get(c) ?? 0) + 1);
    let mode = 0;
    let modeFreq = 0;
    for (const [c, f] of freq) if (f > modeFreq || (f === modeFreq && c > mode)) [mode, modeFreq] = [c, f];
    const score = [modeFreq, mode];
    if (score[0]! > bestScore[0]! || (score[0] === bestScore[0] && score[1]! > bestScore[1]!)) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

export function decodeForSniff(buf: Buffer, g: EncodingGuess): string {
  return decodeSample(buf.subarray(0, g.bomLength + DELIMITER_SAMPLE), g.encoding, g.bomLength);
}
