// Texts → the row that carries each, for a column of texts known up front (the member rows' ID
// numbers): an open-addressing hash table over typed arrays, sized once from the number of rows.
// A JS Map of a county's (or a province's) numbers grows by rehashing every entry a dozen times and
// keeps its entries on the collected heap; this table is allocated once, off that heap, and hashes a
// text with a few multiplications. tests/core/fast-paths.test.ts compares it with a Map.

/** 32-bit FNV-1a over the UTF-16 code units. */
function hashText(t: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 0x01000193);
  return h;
}

export class TextRows {
  /** per slot: 1 + the first row with the slot's text; 0 for an empty slot */
  private readonly firstRow: Int32Array;
  /** per slot: the text's hash (compared before the texts themselves) */
  private readonly hashes: Int32Array;
  /** per slot: 1 when a second row carries the text */
  private readonly several: Uint8Array;
  private readonly mask: number;

  /**
   * @param texts per row: its text, undefined for a row without one; read, never copied (the table
   *   finds a slot's text as `texts[row]`); `add` must be given `texts[row]`
   */
  constructor(
    private readonly texts: readonly (string | undefined)[],
    rows = texts.length,
  ) {
    // at most half full: short probe runs
    let capacity = 16;
    while (capacity < rows * 2) capacity *= 2;
    this.firstRow = new Int32Array(capacity);
    this.hashes = new Int32Array(capacity);
    this.several = new Uint8Array(capacity);
    this.mask = capacity - 1;
  }

  /** The slot of `t`, or the empty slot where it would go. */
  private slot(t: string, h: number): number {
    const { firstRow, hashes, texts, mask } = this;
    let s = h & mask;
    for (;;) {
      const r = firstRow[s]!;
      if (r === 0 || (hashes[s] === h && texts[r - 1] === t)) return s;
      s = (s + 1) & mask;
    }
  }

  /**
   * Records that `row` carries `texts[row]`: returns undefined when no row had it before, else what
   * `get` gave before this row (the first row, or -1 when several had it already).
   */
  add(row: number): number | undefined {
    const t = this.texts[row]!;
    const h = hashText(t);
    const s = this.slot(t, h);
    const r = this.firstRow[s]!;
    if (r === 0) {
      this.firstRow[s] = row + 1;
      this.hashes[s] = h;
      return undefined;
    }
    const before = this.several[s] ? -1 : r - 1;
    this.several[s] = 1;
    return before;
  }

  /** The position of the one row with this text, -1 when several rows have it, undefined when none. */
  get(t: string): number | undefined {
    const s = this.slot(t, hashText(t));
    const r = this.firstRow[s]!;
    if (r === 0) return undefined;
    return this.several[s] ? -1 : r - 1;
  }

  has(t: string): boolean {
    return this.firstRow[this.slot(t, hashText(t))] !== 0;
  }
}
