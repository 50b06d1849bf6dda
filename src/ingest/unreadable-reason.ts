// Why an .xlsx could not be opened, in Chinese: for the check's FILE-04 and for verify's message
// about a 整改台账. Our zip reader's errors are Chinese already; anything else comes from a library
// (zlib, exceljs's XML parser) in English, and the clerk gets a Chinese reason instead.
import { ZipError } from './zip.js';

export function unreadableReason(err: unknown): string {
  if (err instanceof ZipError) return err.message;
  const m = String((err as Error)?.message ?? err);
  if (/invalid signature|unexpected end|incorrect header|invalid (block|distance|code)|too many length|FILE_ENDED/i.test(m)) return '压缩数据已损坏';
  // anything else comes from the XML reader (e.g. cells without a cell reference, written by some
  // non-Excel programs, or tags that do not close)
  return '文件内部结构不规范（可能不是由 Excel/WPS 保存的）';
}
