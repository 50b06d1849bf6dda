// Worker-thread entry of the reader worker (reader-client.ts): scans the xlsx sheet parts the main
// thread streams to it, and parses whole CSV files, several jobs at once, each under its number.
// A sheet chunk is answered with the rows it completed; a CSV file is sent as batches of records,
// at most a few ahead of what the main thread took. An error ends its job with a description the
// main thread turns back into the error the in-thread reader throws.
import { parentPort } from 'node:worker_threads';
import { SheetScanner, type SheetScanCtx } from './sheet-scan.js';
import { BookCache, describeScanError, type CsvRecord, type ScanReply, type ScanRequest } from './reader-protocol.js';
import { csvRows, type CsvRow } from './csv.js';

const port = parentPort;
if (!port) throw new Error('reader-worker.ts runs only as a worker thread');

/** CSV records per message. */
const CSV_BATCH = 1000;
/** Batches a CSV job may send before the main thread has taken one. */
const CSV_AHEAD = 4;

const reply = (r: ScanReply) => port.postMessage(r);
const scanners = new Map<number, SheetScanner>();
const books = new BookCache<readonly (string | null)[]>();
const csvJobs = new Map<number, { credit: number; dropped: boolean; wake?: () => void }>();

port.on('message', (m: ScanRequest) => {
  if (m.kind === 'csv') {
    void parseCsv(m);
    return;
  }
  if (m.kind === 'credit' || m.kind === 'drop') {
    const c = csvJobs.get(m.job);
    if (c) {
      if (m.kind === 'credit') c.credit++;
      else c.dropped = true;
      c.wake?.();
      return;
    }
  }
  try {
    if (m.kind === 'start') {
      const shared = m.shared ?? books.get(m.book);
      if (m.shared) books.put(m.book, m.shared);
      if (!shared) throw new Error(`shared strings of book ${m.book} not held`);
      const ctx: SheetScanCtx = { ...m.ctx, shared };
      scanners.set(m.job, new SheetScanner(ctx));
      return;
    }
    const scanner = scanners.get(m.job);
    if (!scanner) return;
    if (m.kind === 'chunk') reply({ job: m.job, rows: scanner.write(m.chunk), done: scanner.done });
    else if (m.kind === 'end') {
      scanners.delete(m.job);
      reply({ job: m.job, rows: scanner.end(), done: true, ended: true });
    } else scanners.delete(m.job);
  } catch (e) {
    scanners.delete(m.job);
    reply({ job: m.job, error: describeScanError(e) });
  }
});

/** Parses a CSV file with the in-thread reader (csv.ts), its records sent in batches as credit allows. */
async function parseCsv(m: Extract<ScanRequest, { kind: 'csv' }>): Promise<void> {
  const job = { credit: CSV_AHEAD, dropped: false } as { credit: number; dropped: boolean; wake?: () => void };
  csvJobs.set(m.job, job);
  let batch: CsvRecord[] = [];
  const send = async (last: boolean) => {
    reply({ job: m.job, records: batch, last });
    batch = [];
    job.credit--;
    while (job.credit <= 0 && !job.dropped) await new Promise<void>((r) => (job.wake = r));
    job.wake = undefined;
  };
  try {
    for await (const r of csvRows(m.path, m.encoding, m.delimiter, m.limits)) {
      if (job.dropped) return;
      const row = r as CsvRow;
      batch.push([row.row, row.cells, row.badEncoding, row.hasNul === true]);
      if (batch.length >= CSV_BATCH) await send(false);
    }
    if (!job.dropped) reply({ job: m.job, records: batch, last: true });
  } catch (e) {
    // the records before the error first, as the in-thread reader yields them before it throws
    if (!job.dropped) {
      if (batch.length) reply({ job: m.job, records: batch, last: false });
      reply({ job: m.job, error: describeScanError(e) });
    }
  } finally {
    csvJobs.delete(m.job);
  }
}
