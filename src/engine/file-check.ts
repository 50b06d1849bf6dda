// Checking one file on its own: ingest, normalise and the row rules, with the findings resolved by
// a runner of its own. What it returns is plain data (structured-clone safe), so it can run in a
// worker thread (file-worker.ts) as well as in the main thread, and the main thread merges the
// results in path order: the same sequence of findings as one runner fed file after file.
import type { Finding, Loc, NormalRow, ResolvedFinding } from '../model.js';
import type { Config } from '../config.js';
import type { FileAccounting } from '../ingest/types.js';
import { ingestFile, type XlsxReaderKind } from '../ingest/index.js';
import { DEFAULT_LIMITS } from '../ingest/limits.js';
import { parseAsOf } from '../core/as-of.js';
import { RuleRunner, type AcceptedException, type RuleFailure } from './runner.js';
import { RULES } from '../../validators/index.js';

export interface FileJob {
  abs: string;
  display: string;
  asOf: string;
  config: Config;
  accepted?: ReadonlyMap<string, AcceptedException> | ReadonlySet<string>;
  xlsxReader: XlsxReaderKind;
}

export interface FileChecked {
  accounting: FileAccounting;
  /** the normalised rows, in file order (for the indexes of the cross rules) */
  rows: NormalRow[];
  /** FILE findings and row-rule findings, resolved, in the order one runner would have made them */
  findings: ResolvedFinding[];
  failures: RuleFailure[];
  /** rows skipped because a cell broke a parser (the first ROW_ERRORS_KEPT), for the log */
  rowErrors?: { at: Loc; error: string }[];
}

const ROW_ERRORS_KEPT = 20;

/**
 * In a worker, rows are handed on in batches as they stream (`batches.send`), so the main thread
 * takes them in while the file is still being read; the result then holds only the last batch.
 */
export interface RowBatches {
  send(rows: NormalRow[]): void;
  /** the file is skipped as a whole: forget the batches sent */
  discard(): void;
}

// small enough that the committed samples send several batches (tests/integration/threads.test.ts)
const BATCH_ROWS = 256;

export async function checkFile(job: FileJob, progress?: (rows: number) => void, batches?: RowBatches): Promise<FileChecked> {
  const runner = new RuleRunner(RULES, job.config, parseAsOf(job.asOf), { accepted: job.accepted });
  let rows: NormalRow[] = [];
  const rowErrors: { at: Loc; error: string }[] = [];
  const accounting = await ingestFile(
    job.abs,
    job.display,
    {
      row: (r) => {
        runner.row(r);
        rows.push(r);
        if (batches && rows.length >= BATCH_ROWS) {
          batches.send(rows);
          rows = [];
        }
      },
      finding: (f: Finding) => runner.emit(f),
      rowError: (err, at) => {
        if (rowErrors.length < ROW_ERRORS_KEPT) rowErrors.push({ at, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      },
      ...(progress ? { progress } : {}),
      discard: () => {
        rows = [];
        runner.discard();
        batches?.discard();
      },
    },
    { limits: job.config.limits ?? DEFAULT_LIMITS, xlsxReader: job.xlsxReader, columns: job.config.columns },
  );
  return { accounting, rows, findings: runner.resolved(), failures: runner.failures, ...(rowErrors.length ? { rowErrors } : {}) };
}
