// The pull scanner under the lean xlsx reader: the events of a document built from known pieces
// (tags with attributes whose quoted values hold `>`, prefixed names, self-closing tags, text) come
// back exactly, however the text is cut into chunks (an unfinished tag or text waits for the next).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scanXml, type XmlHandler } from '../../src/ingest/xml-scan.js';
import { SheetScanner } from '../../src/ingest/sheet-scan.js';

type Event = ['open', string, string, boolean] | ['close', string] | ['text', string];

/** The events of `doc` fed in the chunks `cuts` gives (text runs split by a cut joined again). */
function events(doc: string, cuts: number[]): Event[] {
  const out: Event[] = [];
  const h: XmlHandler = {
    wantText: true,
    open: (name, attrs, self) => out.push(['open', name, attrs, self]),
    close: (name) => out.push(['close', name]),
    text: (raw) => {
      const last = out[out.length - 1];
      if (last?.[0] === 'text') last[1] += raw;
      else out.push(['text', raw]);
    },
  };
  let rest = '';
  let at = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < doc.length)].sort((a, b) => a - b).concat(doc.length)) {
    const buf = rest + doc.slice(at, cut);
    at = cut;
    const final = cut === doc.length;
    const used = scanXml(buf, h, final);
    rest = buf.slice(used);
  }
  return out;
}

/** `s` without the sequence that ends a CDATA section (removing one may join another). */
const withoutEnd = (s: string): string => (s.includes(']]>') ? withoutEnd(s.replaceAll(']]>', '')) : s);

const name = fc.constantFrom('c', 'v', 'row', 'sheetData', 'x:c', 'is', 't', 'r', 'si', 'mergeCell');
const value = fc.array(fc.constantFrom('A', '1', '>', ' ', '/', '=', '&amp;', 'x'), { maxLength: 6 }).map((a) => a.join(''));
const attribute = fc.tuple(fc.constantFrom('r', 's', 't', 'x:r', 'ref'), value, fc.constantFrom('"', "'")).map(([k, v, q]) => ` ${k}=${q}${v.replaceAll(q, '')}${q}`);
const piece = fc.oneof(
  fc.tuple(name, fc.array(attribute, { maxLength: 3 }), fc.boolean()).map(([n, as, self]) => ({ kind: 'open' as const, n, attrs: as.join(''), self })),
  name.map((n) => ({ kind: 'close' as const, n })),
  fc.array(fc.constantFrom('a', '1', ' ', '中', '>', '&lt;'), { minLength: 1, maxLength: 5 }).map((a) => ({ kind: 'text' as const, t: a.join('') })),
  // CDATA: characters that are markup elsewhere, taken as written
  fc.array(fc.constantFrom('a', '中', '<', '>', '&', '&amp;', ']', ']]', '<c>', '"', ' '), { maxLength: 6 }).map((a) => ({ kind: 'cdata' as const, t: withoutEnd(a.join('')) })),
);

/** CDATA content as the scanner hands it on: raw text whose entities decode to the content. */
const escaped = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

describe('scanXml', () => {
  it('gives each tag, text run and CDATA section of a document once, cut anywhere', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 25 }), fc.array(fc.nat(400), { maxLength: 6 }), (pieces, cuts) => {
        let doc = '';
        const expected: Event[] = [];
        for (const p of pieces) {
          if (p.kind === 'cdata') {
            doc += `<![CDATA[${p.t}]]>`;
            if (p.t === '') continue;
            const last = expected[expected.length - 1];
            if (last?.[0] === 'text') last[1] += escaped(p.t);
            else expected.push(['text', escaped(p.t)]);
          } else if (p.kind === 'text') {
            doc += p.t;
            const last = expected[expected.length - 1];
            if (last?.[0] === 'text') last[1] += p.t;
            else expected.push(['text', p.t]);
          } else if (p.kind === 'close') {
            doc += `</${p.n}>`;
            expected.push(['close', p.n.replace(/^.*:/, '')]);
          } else {
            doc += `<${p.n}${p.attrs}${p.self ? '/' : ''}>`;
            const local = p.n.replace(/^.*:/, '');
            expected.push(['open', local, p.attrs, p.self]);
            if (p.self) expected.push(['close', local]);
          }
        }
        expect(events(doc, cuts)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('a `>` inside a quoted attribute value does not end the tag', () => {
    expect(events(`<c a="x>y" r='B>2'>1</c>`, [])).toEqual([
      ['open', 'c', ` a="x>y" r='B>2'`, false],
      ['text', '1'],
      ['close', 'c'],
    ]);
    // the tag is unfinished until its real end: the rest waits for the next chunk
    expect(events(`<c a="x>y" r="A1">2</c>`, [6, 9])).toEqual([
      ['open', 'c', ` a="x>y" r="A1"`, false],
      ['text', '2'],
      ['close', 'c'],
    ]);
  });
});

describe('SheetScanner over bytes cut anywhere (ASCII chunks copied, the rest decoded)', () => {
  const ctx = { shared: ['共享', 'x'], formats: [], date1904: false, maxColumns: 100, name: 'S' };
  const cell = fc.oneof(
    fc.array(fc.constantFrom('a', '1', '中', '文', '𠀋', ' ', '&amp;'), { minLength: 1, maxLength: 6 }).map((a) => `<c t="inlineStr"><is><t>${a.join('')}</t></is></c>`),
    fc.constantFrom('<c t="s"><v>0</v></c>', '<c t="s"><v>1</v></c>', '<c><v>42</v></c>', '<c t="str"><v>é</v></c>'),
  );
  const sheet = fc
    .tuple(fc.boolean(), fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }), fc.boolean())
    .map(([bom, rows, broken]) => {
      const body = rows.map((cells, i) => `<row r="${i + 1}">${cells.join('')}</row>`).join('');
      const xml = `<?xml version="1.0" encoding="UTF-8"?><worksheet><sheetData>${body}</sheetData></worksheet>`;
      const bytes = Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(xml, 'utf8')]);
      if (!broken) return bytes;
      // a damaged part: a lone lead byte of a 3-byte character before ASCII text (read as U+FFFD)
      const at = bytes.indexOf('<t>');
      return at < 0 ? bytes : Buffer.concat([bytes.subarray(0, at + 3), Buffer.from([0xe4]), Buffer.from('ok'), bytes.subarray(at + 3)]);
    });
  const scan = (bytes: Buffer, cuts: number[]) => {
    const s = new SheetScanner(ctx);
    const rows = [];
    let at = 0;
    for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b).concat(bytes.length)) {
      rows.push(...s.write(new Uint8Array(bytes.subarray(at, cut))));
      at = cut;
    }
    rows.push(...s.end());
    return rows;
  };
  it('gives the rows of the whole part read at once', () => {
    fc.assert(
      fc.property(sheet, fc.array(fc.nat(), { maxLength: 12 }), (bytes, cuts) => {
        const whole = scan(bytes, []);
        expect(whole.length).toBeGreaterThan(0);
        expect(scan(bytes, cuts)).toEqual(whole);
        // and the text is what the XML says: no BOM; a replacement character only for the damaged byte
        const texts = whole.flatMap((r) => r.cells.filter((c): c is string => typeof c === 'string'));
        for (const t of texts) expect(t).not.toMatch(/\uFEFF/);
        const damaged = bytes.includes(Buffer.from([0xe4, 0x6f, 0x6b]));
        expect(texts.some((t) => t.includes('\uFFFDok'))).toBe(damaged);
        if (!damaged) for (const t of texts) expect(t).not.toMatch(/\uFFFD/);
      }),
      { numRuns: 1500 },
    );
  });
});
