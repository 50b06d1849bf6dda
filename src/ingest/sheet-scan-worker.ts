// Worker-thread entry: scans the sheet parts the main thread streams to it (sheet-scan-client.ts),
// several at once, each under its job number. Every chunk is answered with the rows it completed;
// a scanner's error ends its job with a description the main thread turns back into the error.
import { parentPort } from 'node:worker_threads';
import { SheetScanner, type SheetScanCtx } from './sheet-scan.js';
import { describeScanError, type ScanReply, type ScanRequest } from './sheet-scan-protocol.js';
import { BookCache } from './sheet-scan-protocol.js';

const port = parentPort;
if (!port) throw new Error('sheet-scan-worker.ts runs only as a worker thread');

const scanners = new Map<number, SheetScanner>();
const books = new BookCache<readonly (string | null)[]>();

port.on('message', (m: ScanRequest) => {
  const reply = (r: ScanReply) => port.postMessage(r);
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
