// Minimal zip access for xlsx: read the central directory (random access on the file), inflate
// small parts (workbook.xml, rels) and build a re-ordered stream of local entries for exceljs.
//
// Why: exceljs's streaming reader walks the zip in storage order. Files from other programs may
// store sharedStrings.xml, styles.xml or workbook.xml after the sheets, which makes exceljs spool
// sheets to temp files, lose date formats or crash on sheet names; sheet parts not named
// xl/worksheets/sheetN.xml are silently skipped. Feeding it the parts it needs first, under the
// names it expects, fixes all of these without touching its cell parsing.
import { open, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import { createInflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  /** offset of the compressed data (resolved lazily from the local header) */
  dataOffset?: number;
}

export class ZipError extends Error {}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * What ends a stream of entries (streamEntries): an end-of-central-directory record without a
 * comment, then a few bytes more. exceljs's unzip (unzipper 0.10) reads the record that follows an
 * entry with `pull(n)`, which succeeds only while more than n bytes are buffered or the stream is
 * still open: a stream that ended right after its last entry failed with FILE_ENDED whenever the
 * end came first (every time after a stored sheet, now and then after a deflated one), and the
 * last sheet was reported broken. The record ends the parse; the bytes after it are never read.
 */
const STREAM_END = (() => {
  const b = Buffer.alloc(22 + 8);
  b.writeUInt32LE(0x06054b50, 0);
  return b;
})();

export class ZipFile {
  private constructor(
    private readonly fh: FileHandle,
    readonly path: string,
    readonly entries: Map<string, ZipEntry>,
  ) {}

  /** Opens a zip and reads its central directory; throws ZipError when it is not a usable zip. */
  static async open(path: string, fileSize: number): Promise<ZipFile> {
    const fh = await open(path, 'r');
    try {
      const tailLen = Math.min(fileSize, 65_557);
      const tail = Buffer.alloc(tailLen);
      await fh.read(tail, 0, tailLen, fileSize - tailLen);
      let eocd = -1;
      for (let i = tailLen - 22; i >= 0; i--) {
        if (tail.readUInt32LE(i) === 0x06054b50) {
          eocd = i;
          break;
        }
      }
      if (eocd < 0) throw new ZipError('找不到文件目录（文件不完整或已损坏）');
      const count = tail.readUInt16LE(eocd + 10);
      const cdSize = tail.readUInt32LE(eocd + 12);
      const cdOffset = tail.readUInt32LE(eocd + 16);
      if (cdOffset === 0xffffffff || count === 0xffff) throw new ZipError('zip64 格式的文件过大，无法读取');
      if (cdOffset + cdSize > fileSize) throw new ZipError('文件目录超出文件末尾（文件不完整或已损坏）');
      const cd = Buffer.alloc(cdSize);
      await fh.read(cd, 0, cdSize, cdOffset);
      const entries = new Map<string, ZipEntry>();
      let p = 0;
      for (let i = 0; i < count; i++) {
        if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw new ZipError('文件目录已损坏');
        const flags = cd.readUInt16LE(p + 8);
        const nameLen = cd.readUInt16LE(p + 28);
        const extraLen = cd.readUInt16LE(p + 30);
        const commentLen = cd.readUInt16LE(p + 32);
        const e: ZipEntry = {
          flags,
          method: cd.readUInt16LE(p + 10),
          crc: cd.readUInt32LE(p + 16),
          compressedSize: cd.readUInt32LE(p + 20),
          size: cd.readUInt32LE(p + 24),
          localOffset: cd.readUInt32LE(p + 42),
          name: cd.toString('utf8', p + 46, p + 46 + nameLen),
        };
        entries.set(e.name.replace(/^\/+/, ''), e);
        p += 46 + nameLen + extraLen + commentLen;
      }
      return new ZipFile(fh, path, entries);
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.fh.close();
  }

  /** Case-insensitive lookup (some writers vary the case of part names). */
  find(name: string): ZipEntry | undefined {
    const n = name.replace(/^\/+/, '');
    const exact = this.entries.get(n);
    if (exact) return exact;
    const lower = n.toLowerCase();
    for (const [k, e] of this.entries) if (k.toLowerCase() === lower) return e;
    return undefined;
  }

  checkReadable(e: ZipEntry): void {
    if (e.flags & 1) throw new ZipError('文件内容已加密');
    if (e.method !== 0 && e.method !== 8) throw new ZipError(`不支持的压缩方式（${e.method}）`);
    if (e.size === 0xffffffff || e.compressedSize === 0xffffffff) throw new ZipError('zip64 格式的部件过大，无法读取');
  }

  private async dataOffset(e: ZipEntry): Promise<number> {
    if (e.dataOffset !== undefined) return e.dataOffset;
    const h = Buffer.alloc(30);
    const { bytesRead } = await this.fh.read(h, 0, 30, e.localOffset);
    if (bytesRead < 30 || h.readUInt32LE(0) !== 0x04034b50) throw new ZipError(`zip 部件 ${e.name} 已损坏`);
    e.dataOffset = e.localOffset + 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
    return e.dataOffset;
  }

  /** Where a part's compressed data lies in the file ([start, end) byte offsets). */
  async dataRange(e: ZipEntry): Promise<{ start: number; end: number }> {
    const start = await this.dataOffset(e);
    return { start, end: start + e.compressedSize };
  }

  /**
   * Whole content of a (small) part. The output is capped as it inflates, not only by the size the
   * directory declares: an under-declared part must not inflate without bound.
   */
  async read(e: ZipEntry, maxSize = 64 * 1024 * 1024): Promise<Buffer> {
    this.checkReadable(e);
    if (e.size > maxSize || (e.method === 0 && e.compressedSize > maxSize)) throw new ZipError(`zip 部件 ${e.name} 过大`);
    const off = await this.dataOffset(e);
    const raw = Buffer.alloc(e.compressedSize);
    await this.fh.read(raw, 0, e.compressedSize, off);
    try {
      return e.method === 8 ? inflateRawSync(raw, { maxOutputLength: maxSize }) : raw;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new ZipError(`zip 部件 ${e.name} 过大`);
      throw new ZipError(`zip 部件 ${e.name} 无法解压（文件已损坏）`);
    }
  }

  /**
   * A stream of local-file records, in the given order and under the given names, the way a
   * sequential zip reader expects them. Sizes and CRC come from the central directory, so
   * data-descriptor entries are rewritten as plain ones.
   */
  async streamEntries(parts: { entry?: ZipEntry; name: string; data?: Buffer }[], inflated?: ReadonlyMap<ZipEntry, { inflatedBytes: number }>): Promise<Readable> {
    const plan: { header: Buffer; data?: Buffer; start?: number; end?: number; inflate?: number }[] = [];
    for (const p of parts) {
      if (p.data) {
        plan.push({ header: localHeader(p.name, 0, crc32(p.data), p.data.length, p.data.length), data: p.data });
      } else if (p.entry) {
        const e = p.entry;
        this.checkReadable(e);
        const off = await this.dataOffset(e);
        const known = inflated?.get(e);
        if (e.method === 8 && known) {
          // inflated here, handed on stored, exactly as many bytes as were counted (and capped)
          // when the part was checked: a part that breaks part-way ends where it broke
          plan.push({ header: localHeader(p.name, 0, e.crc, known.inflatedBytes, known.inflatedBytes), start: off, end: off + e.compressedSize, inflate: known.inflatedBytes });
        } else {
          plan.push({ header: localHeader(p.name, e.method, e.crc, e.compressedSize, e.size), start: off, end: off + e.compressedSize });
        }
      }
    }
    const out = new PassThrough();
    const path = this.path;
    void (async () => {
      try {
        for (const item of plan) {
          if (!out.write(item.header)) await onceDrain(out);
          if (item.data) {
            if (!out.write(item.data)) await onceDrain(out);
          } else if (item.inflate !== undefined) {
            let left = item.inflate;
            if (left > 0 && item.end! > item.start!) {
              const rs = createReadStream(path, { start: item.start, end: item.end! - 1, highWaterMark: 256 * 1024 });
              const inf = rs.pipe(createInflateRaw());
              rs.on('error', (e) => inf.destroy(e));
              try {
                for await (const chunk of inf as AsyncIterable<Buffer>) {
                  const piece = chunk.length > left ? chunk.subarray(0, left) : chunk;
                  left -= piece.length;
                  if (!out.write(piece)) await onceDrain(out);
                  if (left === 0) break;
                }
              } catch {
                // the break the check found: the bytes before it are all that is handed on
              } finally {
                rs.destroy();
                inf.destroy();
              }
            }
            // never fewer bytes than the header promised (the reader would take the next header as data)
            if (left > 0) out.write(Buffer.alloc(left, 0x20));
          } else if (item.end! > item.start!) {
            const rs = createReadStream(path, { start: item.start, end: item.end! - 1, highWaterMark: 256 * 1024 });
            for await (const chunk of rs) if (!out.write(chunk)) await onceDrain(out);
          }
        }
        out.end(STREAM_END);
      } catch (err) {
        out.destroy(err as Error);
      }
    })();
    return out;
  }
}

function onceDrain(s: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      s.off('drain', done);
      s.off('close', done);
      resolve();
    };
    s.once('drain', done);
    s.once('close', done);
  });
}

function localHeader(name: string, method: number, crc: number, csize: number, size: number): Buffer {
  const n = Buffer.from(name, 'utf8');
  const h = Buffer.alloc(30 + n.length);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(0x800, 6); // UTF-8 names, no data descriptor
  h.writeUInt16LE(method, 8);
  h.writeUInt16LE(0, 10);
  h.writeUInt16LE(0x21, 12);
  h.writeUInt32LE(crc >>> 0, 14);
  h.writeUInt32LE(csize, 18);
  h.writeUInt32LE(size, 22);
  h.writeUInt16LE(n.length, 26);
  h.writeUInt16LE(0, 28);
  n.copy(h, 30);
  return h;
}

/** Small zip writer for tests and fixtures: parts in exactly the order given, stored or deflated. */
export function buildStoredZip(parts: { name: string; data: Buffer | string; deflate?: boolean; mangle?: (compressed: Buffer) => Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const data = typeof p.data === 'string' ? Buffer.from(p.data, 'utf8') : p.data;
    const crc = crc32(data);
    let stored = p.deflate ? deflateRawSync(data) : data;
    if (p.mangle) stored = p.mangle(stored);
    const method = p.deflate ? 8 : 0;
    const lh = localHeader(p.name, method, crc, stored.length, data.length);
    const n = Buffer.from(p.name, 'utf8');
    const ch = Buffer.alloc(46 + n.length);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0x800, 8);
    ch.writeUInt16LE(method, 10);
    ch.writeUInt16LE(0x21, 14);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(stored.length, 20);
    ch.writeUInt32LE(data.length, 24);
    ch.writeUInt16LE(n.length, 28);
    ch.writeUInt32LE(offset, 42);
    n.copy(ch, 46);
    locals.push(lh, stored);
    centrals.push(ch);
    offset += lh.length + stored.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(parts.length, 8);
  eocd.writeUInt16LE(parts.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}
