// Upload preview: which table each sheet of an uploaded file holds and how many data rows it has,
// shown before the check starts (ingest's own header detection, rows only counted).
import { ingestFile } from '../../ingest/index.js';
import { TABLE_ZH } from '../../model.js';
import type { UploadedFile } from '../../store/runs.js';

export async function previewFile(absPath: string, name: string): Promise<NonNullable<UploadedFile['preview']>> {
  try {
    const acc = await ingestFile(absPath, name, { row: () => {}, finding: () => {} });
    return {
      readable: acc.readable,
      error: acc.error,
      sheets: acc.sheets.map((s) => ({ sheet: s.sheet, tables: s.tables.map((t) => TABLE_ZH[t]), dataRows: s.buckets.data })),
    };
  } catch {
    return { readable: false, error: '文件无法读取', sheets: [] };
  }
}
