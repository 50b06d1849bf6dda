// Worker-thread entry of the reader worker (reader-client.ts): scans the xlsx sheet parts the main
// thread streams to it, several at once, each under its job number. Every chunk is answered with
// the rows it completed; a scanner's error ends its job with a description the main thread turns
// back into the error the in-thread scanner throws.
import { parentPort } from 'node:worker_threads';
import { SheetScanner, type SheetScanCtx } from './sheet-scan.js';
import { BookCache, describeScanError, type ScanReply, type ScanRequest } from './reader-protocol.js';

const port = parentPort;
if (!port) throw new Error('reader-worker.ts runs only as a worker thread');

const reply = (r: ScanReply) => port.postMessage(r);
const scanners = new Map<number, SheetScanner>();
const books = new BookCache<readonly (string | null)[]>();

port.on('message', (m: ScanRequest) => {
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
