// Rows as they cross from the reader worker to the main thread: typed arrays (moved, not copied)
// and the few texts that are not shared strings. The worker's scanner writes each cell straight in
// (RowPacker: no row objects there); a shared string travels as its index and becomes the main
// thread's own copy of that string again, so a village name or 户主 in every row is one string
// there, not one per row (a structured clone of row objects copied each, and cost the main thread
// its deserialising and collecting).
import type { RawCell } from './types.js';
import type { SourceRow } from './xlsx.js';
import type { RowSink } from './sheet-scan.js';

/** Rows packed: per row its number and cell count, per cell a kind and a number. */
export interface PackedRows {
  rowNos: Float64Array;
  widths: Uint32Array;
  kinds: Uint8Array;
  /** per cell: the shared string's index, the number, a date's milliseconds; 0 otherwise */
  nums: Float64Array;
  /** the other texts, in cell order */
  texts: string[];
}

const EMPTY = 0;
const SHARED = 1;
const TEXT = 2;
const NUMBER = 3;
const TRUE = 4;
const FALSE = 5;
const DATE = 6;

/** A typed array that grows by doubling. */
class Grown<A extends Float64Array | Uint32Array | Uint8Array> {
  length = 0;
  constructor(
    public data: A,
    private readonly make: (n: number) => A,
  ) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  /** the values pushed, as an array of their own; the next ones start over */
  cut(): A {
    const out = this.data.slice(0, this.length) as A;
    this.length = 0;
    return out;
  }
}

/** Packs rows as the scanner completes them (a RowSink). */
export class RowPacker implements RowSink<PackedRows> {
  // the current row, by column: a later cell of a lower column overwrites, as in ObjectRows
  private rowKinds: number[] = [];
  private rowNums: number[] = [];
  private rowTexts: (string | undefined)[] = [];
  private readonly rowNos = new Grown(new Float64Array(256), (n) => new Float64Array(n));
  private readonly widths = new Grown(new Uint32Array(256), (n) => new Uint32Array(n));
  private readonly kinds = new Grown(new Uint8Array(4096), (n) => new Uint8Array(n));
  private readonly nums = new Grown(new Float64Array(4096), (n) => new Float64Array(n));
  private texts: string[] = [];

  start(): void {
    this.rowKinds.length = 0;
    this.rowNums.length = 0;
    this.rowTexts.length = 0;
  }

  cell(col: number, v: RawCell, sharedAt: number): void {
    const { rowKinds, rowNums, rowTexts } = this;
    while (rowKinds.length < col) {
      rowKinds.push(EMPTY);
      rowNums.push(0);
      rowTexts.push(undefined);
    }
    let kind = EMPTY;
    let num = 0;
    let text: string | undefined;
    if (sharedAt >= 0) {
      kind = SHARED;
      num = sharedAt;
    } else if (typeof v === 'string') {
      kind = TEXT;
      text = v;
    } else if (typeof v === 'number') {
      kind = NUMBER;
      num = v;
    } else if (typeof v === 'boolean') kind = v ? TRUE : FALSE;
    else if (v instanceof Date) {
      kind = DATE;
      num = v.getTime();
    }
    rowKinds[col] = kind;
    rowNums[col] = num;
    rowTexts[col] = text;
  }

  end(rowNo: number): void {
    const { rowKinds, rowNums, rowTexts } = this;
    this.rowNos.push(rowNo);
    this.widths.push(rowKinds.length);
    for (let c = 0; c < rowKinds.length; c++) {
      const kind = rowKinds[c]!;
      this.kinds.push(kind);
      this.nums.push(rowNums[c]!);
      if (kind === TEXT) this.texts.push(rowTexts[c]!);
    }
  }

  take(): PackedRows {
    const texts = this.texts;
    this.texts = [];
    return { rowNos: this.rowNos.cut(), widths: this.widths.cut(), kinds: this.kinds.cut(), nums: this.nums.cut(), texts };
  }
}

/** How many rows an answer holds. */
export const packedCount = (p: PackedRows): number => p.rowNos.length;

/** The buffers a packed answer moves (postMessage's transfer list). */
export function packedBuffers(p: PackedRows): ArrayBuffer[] {
  return [p.rowNos.buffer, p.widths.buffer, p.kinds.buffer, p.nums.buffer] as ArrayBuffer[];
}

/** The rows, each cell as the scanner read it; shared strings taken from this thread's table. */
export function unpackRows(p: PackedRows, shared: readonly (string | null)[]): SourceRow[] {
  const { rowNos, widths, kinds, nums, texts } = p;
  // arrays grown by push stay packed (the normaliser reads every cell of them)
  const rows: SourceRow[] = [];
  let k = 0;
  let t = 0;
  for (let i = 0; i < rowNos.length; i++) {
    const end = k + widths[i]!;
    const cells: RawCell[] = [];
    for (; k < end; k++) {
      switch (kinds[k]) {
        case SHARED:
          cells.push(shared[nums[k]!]!);
          break;
        case TEXT:
          cells.push(texts[t++]!);
          break;
        case NUMBER:
          cells.push(nums[k]!);
          break;
        case TRUE:
          cells.push(true);
          break;
        case FALSE:
          cells.push(false);
          break;
        case DATE:
          cells.push(new Date(nums[k]!));
          break;
        default:
          cells.push(null);
      }
    }
    rows.push({ row: rowNos[i]!, cells });
  }
  return rows;
}
