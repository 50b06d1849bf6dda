// Worker threads writing 整改台账 workbooks (workbook-worker.ts): a province's run writes a thousand
// township workbooks with millions of findings, and exceljs's writer is CPU work that both cores
// can share. A workbook's bucket goes over with the 户主 names of its households (a function does
// not cross threads).
import type { Bucket, WorkbookInput } from './workbook.js';
import { JobWorkers, compiledWorker } from '../engine/workers.js';

export const workbookWorkerScript = (): string | undefined => compiledWorker(import.meta.url, 'workbook-worker');

export interface WorkbookJob {
  path: string;
  bucket: Bucket;
  meta: Omit<WorkbookInput, 'findings' | 'headOf'>;
  heads: [string, string][];
}

export class WorkbookPool {
  private readonly workers: JobWorkers<WorkbookJob, true>;

  constructor(script: string) {
    this.workers = new JobWorkers(script);
  }

  write(path: string, bucket: Bucket, input: Omit<WorkbookInput, 'findings'>): Promise<void> {
    const heads: [string, string][] = [];
    if (input.headOf) {
      const seen = new Set<string>();
      for (const f of bucket.findings) {
        const no = f.householdNo;
        if (!no || seen.has(no)) continue;
        seen.add(no);
        const name = input.headOf(no);
        if (name !== undefined) heads.push([no, name]);
      }
    }
    // the run's findings are not sent: the bucket holds the workbook's own
    const { headOf: _headOf, findings: _findings, routedOnly: _routedOnly, ...meta } = input as WorkbookInput;
    return this.workers.run({ path, bucket, meta, heads }).then(() => undefined);
  }

  close(): Promise<void> {
    return this.workers.close();
  }
}
