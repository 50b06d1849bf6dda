// `npm run bench -- --zip`: our zip layer against yauzl on the same xlsx. Both inflate every part
// of a generated 1,000,000-row workbook; ours also checks CRCs and scans for over-long text runs
// (src/ingest/limits.ts checkZipParts), yauzl validates declared entry sizes. Three rounds each,
// alternating, in one process (the machine is shared: compare within a round).
import { existsSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { memberRows, writeXlsx } from './hostile-corpus.js';
import { ZipFile } from '../src/ingest/zip.js';
import { checkZipParts, Deadline, DEFAULT_LIMITS } from '../src/ingest/limits.js';

async function ours(path: string, size: number): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  const zip = await ZipFile.open(path, size);
  const parts = [...zip.entries.values()].map((e) => ({ entry: e, label: e.name }));
  const unbounded = { ...DEFAULT_LIMITS, inflateRatio: 1e9, inflatedBytesPerPart: 4e9, inflatedBytesPerFile: 4e9 };
  const m = await checkZipParts(zip, parts, unbounded, new Deadline(600));
  await zip.close();
  let bytes = 0;
  for (const v of m.values()) bytes += v.inflatedBytes;
  return { ms: performance.now() - t0, bytes };
}

function theirs(path: string): Promise<{ ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let bytes = 0;
    yauzl.open(path, { lazyEntries: true, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      zip.on('entry', (e: yauzl.Entry) =>
        zip.openReadStream(e, (e2, s) => {
          if (e2 || !s) return reject(e2);
          s.on('data', (c: Buffer) => (bytes += c.length));
          s.on('end', () => zip.readEntry());
        }),
      );
      zip.on('end', () => resolve({ ms: performance.now() - t0, bytes }));
      zip.readEntry();
    });
  });
}

export async function benchZip(log: (s: string) => void): Promise<void> {
  const path = join(tmpdir(), `qingxi-bench-zip-${process.pid}.xlsx`);
  try {
    if (!existsSync(path)) await writeXlsx(path, () => memberRows(1_000_000, () => [[5, '备注说明文字']]));
    const size = statSync(path).size;
    for (let i = 0; i < 3; i++) {
      const a = await ours(path, size);
      const b = await theirs(path);
      log(
        `xlsx ${(size / 1048576).toFixed(1)} MiB → ${(a.bytes / 1048576).toFixed(0)} MiB inflated: ` +
          `ours ${a.ms.toFixed(0)} ms (CRC + text-run scan), yauzl ${b.ms.toFixed(0)} ms (${(b.bytes / 1048576).toFixed(0)} MiB)`,
      );
    }
  } finally {
    rmSync(path, { force: true });
  }
}
