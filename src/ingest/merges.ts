// Merged ranges that span rows: a value merged down over data rows belongs to each of them. They
// are listed after a sheet's cells, so a reader finds them in the whole part's XML (or its chunks).

/** A merged range spanning several rows: its top-left value belongs to every row of it. */
export interface VerticalMerge {
  col: number; // 0-based, the range's first column
  top: number; // 1-based rows
  bottom: number;
}

/** Sheets larger than this (uncompressed) are not scanned: system exports that big do not merge. */
export const MERGE_SCAN_MAX = 32 * 1024 * 1024;

function colIndex(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** The vertical merged ranges listed in a whole sheet part's XML. */
export function verticalMergesIn(xml: Buffer): VerticalMerge[] {
  const at = xml.lastIndexOf('<mergeCells');
  if (at < 0) return [];
  const out: VerticalMerge[] = [];
  for (const m of xml.toString('latin1', at).matchAll(/<mergeCell\b[^>]*\bref\s*=\s*["']\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)["']/g)) {
    const top = Number(m[2]);
    const bottom = Number(m[4]);
    if (bottom > top) out.push({ col: colIndex(m[1]!), top, bottom });
  }
  return out;
}

const MERGE_TAG = '<mergeCells';

/**
 * verticalMergesIn over a part held as chunks, without joining them: the last `<mergeCells` is
 * found from the end (inside a chunk or across two), and only the chunks from there are joined.
 */
export function mergesInChunks(chunks: readonly Buffer[]): VerticalMerge[] {
  const k = MERGE_TAG.length - 1;
  for (let i = chunks.length - 1; i >= 0; i--) {
    const c = chunks[i]!;
    const next = chunks[i + 1];
    if (next) {
      // a tag cut between this chunk and the next
      const tail = c.subarray(Math.max(0, c.length - k));
      const at = Buffer.concat([tail, next.subarray(0, k)]).indexOf(MERGE_TAG);
      if (at >= 0 && at < tail.length) return verticalMergesIn(Buffer.concat([c.subarray(c.length - tail.length + at), ...chunks.slice(i + 1)]));
    }
    const at = c.lastIndexOf(MERGE_TAG);
    if (at >= 0) return verticalMergesIn(Buffer.concat([c.subarray(at), ...chunks.slice(i + 1)]));
  }
  return [];
}

/**
 * A part held whole until its merged ranges are known (they are listed after its cells): the
 * chunks `next` gives, up to the part's end (`whole`) or until more than MERGE_SCAN_MAX came (a
 * part larger than it declared: read on without merges), or until `stop` says the reader left.
 */
export async function holdWhole(next: () => Promise<Buffer | undefined>, stop: () => boolean = () => false): Promise<{ held: Buffer[]; whole: boolean }> {
  const held: Buffer[] = [];
  let bytes = 0;
  for (;;) {
    const chunk = await next();
    if (stop()) return { held, whole: false };
    if (!chunk) return { held, whole: true };
    held.push(chunk);
    bytes += chunk.length;
    if (bytes > MERGE_SCAN_MAX) return { held, whole: false };
  }
}
