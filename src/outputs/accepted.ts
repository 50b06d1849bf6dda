// Accepted exceptions (已说明): findings a clerk confirmed as 数据无误 with a 备注 in a 检验核查.
// `qingxi verify` writes them to accepted.json; `qingxi check --accepted FILE` reads them and the
// engine reports those fingerprints as info from then on.
//
// File format (JSON, UTF-8):
// { "version": 1, "entries": [ { "fingerprint", "rule", "remark", "acceptedOn",
//   "village"?, "household_no"?, "verifier"?, "source"? } ] }
// A bare array of entries is accepted as well.
import { readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import { fsReasonZh, type OutputSet } from './atomic.js';
import { dirname } from 'node:path';
import { UsageError } from '../core/errors.js';
import { z } from 'zod';
import { ISO_DATE_TEXT } from '../core/as-of.js';
import { jsonSyntaxError } from '../core/json-syntax.js';

export interface AcceptedEntry {
  fingerprint: string;
  rule: string;
  remark: string;
  acceptedOn: string; // YYYY-MM-DD
  village?: string;
  household_no?: string;
  verifier?: string;
  /** the 整改台账 file the explanation came from */
  source?: string;
}

export interface AcceptedInfo {
  rule: string;
  remark: string;
  acceptedOn: string;
}

/** An accepted.json that cannot be used (Chinese message): bad input, exit 2. */
export class AcceptedFileError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'AcceptedFileError';
  }
}

const Entry = z.object({
  fingerprint: z.string().regex(/^[0-9a-f]{8,64}$/i, '指纹应为十六进制字符串'),
  rule: z.string().min(1, '缺少规则编号'),
  remark: z.string(),
  acceptedOn: z.string().regex(ISO_DATE_TEXT, '日期格式应为 YYYY-MM-DD'),
  village: z.string().optional(),
  household_no: z.string().optional(),
  verifier: z.string().optional(),
  source: z.string().optional(),
});

const FileShape = z.union([
  z.object({ version: z.literal(1).optional(), entries: z.array(Entry) }),
  z.array(Entry),
]);

function entriesOf(text: string, path: string): AcceptedEntry[] {
  let json: unknown;
  const body = text.replace(/^\ufeff/, '');
  try {
    json = JSON.parse(body);
  } catch (e) {
    throw new AcceptedFileError(`已说明例外文件“${path}”不是合法的 JSON：${jsonSyntaxError(body, e as Error)}`);
  }
  const parsed = FileShape.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.map(String).join('.') : '';
    throw new AcceptedFileError(
      `已说明例外文件“${path}”格式不对${where ? `（位置 ${where}）` : ''}：${issue?.message ?? '未知错误'}。` +
        '应为 qingxi verify 生成的 accepted.json。',
    );
  }
  const list = Array.isArray(parsed.data) ? parsed.data : parsed.data.entries;
  return list.map((e) => stripUndefined(e));
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Why a file could not be read, in Chinese (the system's own text is English). */
function readReasonZh(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return '文件不存在';
  if (code === 'EACCES' || code === 'EPERM') return `没有读取权限（${code}）`;
  if (code === 'EISDIR') return '这是一个文件夹，不是文件';
  return fsReasonZh(e);
}

async function readEntries(path: string, missingOk: boolean): Promise<AcceptedEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if (missingOk && (e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new AcceptedFileError(`无法读取已说明例外文件“${path}”：${readReasonZh(e)}`);
  }
  return entriesOf(text, path);
}

/** Accepted exceptions by fingerprint. Throws AcceptedFileError (Chinese message) on a bad file. */
export async function loadAccepted(path: string): Promise<Map<string, AcceptedInfo>> {
  const map = new Map<string, AcceptedInfo>();
  for (const e of await readEntries(path, false)) map.set(e.fingerprint, { rule: e.rule, remark: e.remark, acceptedOn: e.acceptedOn });
  return map;
}

/** All entries of a file (for merging and display). */
export async function loadAcceptedEntries(path: string): Promise<AcceptedEntry[]> {
  return readEntries(path, false);
}

/**
 * Write accepted exceptions, merged with the file when it exists: an entry for a fingerprint
 * already there replaces it (the newer explanation wins); entries are kept sorted by fingerprint
 * so the file diffs cleanly. Written to a temporary file first, then renamed (with `outputs`: staged
 * in that set, renamed by its commit).
 */
export async function writeAccepted(path: string, entries: Iterable<AcceptedEntry>, outputs?: OutputSet): Promise<AcceptedEntry[]> {
  const merged = new Map<string, AcceptedEntry>();
  for (const e of await readEntries(path, true)) merged.set(e.fingerprint, e);
  for (const e of entries) merged.set(e.fingerprint, stripUndefined({ ...e }));
  const list = [...merged.values()].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  if (outputs) {
    // staged with the run's other outputs, renamed into place together
    await outputs.text(path, JSON.stringify({ version: 1, entries: list }, null, 2) + '\n');
    return list;
  }
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify({ version: 1, entries: list }, null, 2) + '\n', 'utf8');
  await rename(tmp, path);
  return list;
}
