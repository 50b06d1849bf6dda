// A 53-bit hash of a key (a number a Float64Array holds exactly), for telling which keys occur in
// more than one county without holding the keys: 10 million keys are 80 MB. Two keys may share a
// hash (about 1 in 2^53 per pair): that only brings a few more rows into the across-county check,
// which groups them by their real key again.

/** Two 32-bit multiply-xorshift lanes over the UTF-16 code units, mixed, joined to 53 bits. */
export function keyHash(key: string): number {
  let a = 0x9e3779b9 ^ key.length;
  let b = 0x85ebca6b;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  a ^= a >>> 16;
  a = Math.imul(a, 0x7feb352d);
  a ^= a >>> 15;
  b ^= b >>> 16;
  b = Math.imul(b, 0x846ca68b);
  b ^= b >>> 16;
  return (b & 0x1fffff) * 0x100000000 + (a >>> 0);
}

/** The distinct hashes of one county, sorted. */
export function distinctSorted(hashes: Float64Array): Float64Array {
  const sorted = hashes.slice().sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i]!;
  return sorted.slice(0, n);
}

/**
 * Hashes present in two or more of the lists, each sorted ascending and distinct within itself (as
 * distinctSorted gives them); the set is filled in ascending order. The lists are merged pairwise,
 * a hash met on both sides of a merge being shared: a province's counties hold millions of hashes,
 * and these merges (log2 of the counties passes over them) take a fraction of the time of sorting
 * them all together again. tests/core/fast-paths.test.ts compares it with that sort.
 */
export function sharedHashes(lists: readonly Float64Array[]): Set<number> {
  const found: number[] = [];
  let level: Float64Array[] = [...lists];
  while (level.length > 1) {
    const next: Float64Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(mergeDistinct(level[i]!, level[i + 1]!, found));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  // a hash of three or more lists is met in more than one merge
  const sorted = Float64Array.from(found).sort();
  const shared = new Set<number>();
  for (const h of sorted) shared.add(h);
  return shared;
}

/** Two sorted distinct lists as one; a hash in both goes to `found` and once into the result. */
function mergeDistinct(a: Float64Array, b: Float64Array, found: number[]): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x < y) {
      out[n++] = x;
      i++;
    } else if (y < x) {
      out[n++] = y;
      j++;
    } else {
      out[n++] = x;
      found.push(x);
      i++;
      j++;
    }
  }
  while (i < a.length) out[n++] = a[i++]!;
  while (j < b.length) out[n++] = b[j++]!;
  return out.subarray(0, n);
}
