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

/** Hashes present in two or more of the lists (each list distinct within itself). */
export function sharedHashes(lists: readonly Float64Array[]): Set<number> {
  let total = 0;
  for (const l of lists) total += l.length;
  const all = new Float64Array(total);
  let at = 0;
  for (const l of lists) {
    all.set(l, at);
    at += l.length;
  }
  all.sort();
  const shared = new Set<number>();
  for (let i = 1; i < all.length; i++) if (all[i] === all[i - 1]) shared.add(all[i]!);
  return shared;
}
