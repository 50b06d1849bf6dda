// The rows a county's across-county rules may need later, written to a temporary file while the
// county's indexes are still alive, so that nothing of a county stays in memory once it is checked.
// Rows go in batches; each batch starts with its rows' key hashes, so the reader skips (without
// deserialising) every batch that holds no key found in another county.
//
// Batch layout: u32 payload bytes · u32 hash count · f64 hashes (rows × rules, NaN where a row has
// no key for that rule) · payload (v8.serialize of the SpilledRow[]; rows of one batch share their
// SheetInfo objects as they did in memory).
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import type { NormalRow, Region } from '../model.js';

/** Rows per batch: small enough that a batch holding one wanted key costs little to read. */
const BATCH_ROWS = 1024;
const HEADER_BYTES = 8;

export interface SpilledRow {
  row: NormalRow<unknown>;
  /** the household the row names, as its county's indexes merged it (routing, summary, 台账's 户主) */
  household?: { householdNo: string; region: Region; headName?: string };
}

export class SpillWriter {
  private readonly fd: number;
  private rows: SpilledRow[] = [];
  private hashes: number[] = [];
  rowsWritten = 0;

  constructor(
    readonly path: string,
    /** hashes per row (one per across-county rule) */
    private readonly width: number,
  ) {
    this.fd = openSync(path, 'w');
  }

  add(row: SpilledRow, hashes: readonly number[]): void {
    this.rows.push(row);
    for (let i = 0; i < this.width; i++) this.hashes.push(hashes[i] ?? NaN);
    if (this.rows.length >= BATCH_ROWS) this.flush();
  }

  private flush(): void {
    if (this.rows.length === 0) return;
    const payload = serialize(this.rows);
    const hashes = Buffer.from(new Float64Array(this.hashes).buffer);
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt32LE(payload.length, 0);
    header.writeUInt32LE(this.hashes.length, 4);
    writeAll(this.fd, header);
    writeAll(this.fd, hashes);
    writeAll(this.fd, payload);
    this.rowsWritten += this.rows.length;
    this.rows = [];
    this.hashes = [];
  }

  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}

function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}

function readAll(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let off = 0;
  while (off < length) {
    const n = readSync(fd, buf, off, length - off, position + off);
    if (n === 0) throw new Error(`spill file ends early at byte ${position + off}`);
    off += n;
  }
  return buf;
}

/**
 * The spilled rows whose hash for rule `r` is in `wanted[r]`, in the order written, with the rules
 * that want each. Batches without a wanted hash are skipped unread.
 */
export function* readWanted(path: string, width: number, wanted: readonly ReadonlySet<number>[]): Iterable<{ row: SpilledRow; rules: number[] }> {
  const filters = wanted.map(lowBitsFilter);
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    let pos = 0;
    while (pos < size) {
      const header = readAll(fd, HEADER_BYTES, pos);
      const payloadBytes = header.readUInt32LE(0);
      const count = header.readUInt32LE(4);
      const raw = readAll(fd, count * 8, pos + HEADER_BYTES);
      const hashes = new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + count * 8));
      pos += HEADER_BYTES + count * 8;
      const picks = new Map<number, number[]>();
      for (let i = 0; i < count; i++) {
        const rule = i % width;
        const h = hashes[i]!;
        // NaN (a row without a key for the rule) reads as bit 0: the Set then says no
        if ((filters[rule]![(h & LOW_MASK) >>> 5]! & (1 << (h & 31))) !== 0 && wanted[rule]!.has(h)) {
          const at = (i - rule) / width;
          const list = picks.get(at);
          if (list) list.push(rule);
          else picks.set(at, [rule]);
        }
      }
      if (picks.size > 0) {
        const rows = deserialize(readAll(fd, payloadBytes, pos)) as SpilledRow[];
        for (const [at, rules] of [...picks].sort((x, y) => x[0] - y[0])) yield { row: rows[at]!, rules };
      }
      pos += payloadBytes;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The bits of the low 16 bits of a set's hashes. A county writes a hash for nearly every row and few
 * are wanted: one bit test tells most of them apart, the Set is asked only on a hit (a million Set
 * lookups of non-integer-sized numbers cost more than the rest of the reading).
 */
const LOW_MASK = 0xffff;
function lowBitsFilter(set: ReadonlySet<number>): Uint32Array {
  const bits = new Uint32Array((LOW_MASK + 1) >>> 5);
  for (const h of set) bits[(h & LOW_MASK) >>> 5]! |= 1 << (h & 31);
  return bits;
}
