// Outputs are written under temporary names in the output folder and renamed into place only when
// every one of them is complete (SPEC §4): a failed, killed or disk-full run leaves the previous
// complete outputs (or none), never a partial file under a final name. The temporary names start
// with a dot, so the input discovery (which skips hidden files) never reads them back. The one
// mechanism for every writer: check and verify (OutputSet), the nightly run and the ledger export
// (writeAtomically, staging folders), the web page's job folders (stagingDir + publishDir).
import { open, readdir, rename, rm, stat, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';

const TEMP_PREFIX = '.qingxi-tmp-';

/** A file-system failure while writing an output: a Chinese message naming the file (exit 3). */
export class OutputError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'OutputError';
  }
}

/** The output folder is unusable (a file, cannot be made, not writable): bad usage, exit 2. */
export class OutputDirError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'OutputDirError';
  }
}

const REASON_ZH: Record<string, string> = {
  ENOSPC: '磁盘空间不足',
  EDQUOT: '超出磁盘配额',
  EACCES: '没有写入权限',
  EPERM: '没有写入权限',
  EROFS: '所在磁盘是只读的',
  EIO: '磁盘读写出错',
  EMFILE: '同时打开的文件过多',
  ENFILE: '同时打开的文件过多',
  ENOENT: '文件夹不存在或已被删除',
  ENOTDIR: '路径中有同名文件挡住了文件夹',
  EISDIR: '同名的文件夹已存在',
  EEXIST: '同名文件已存在',
  EFBIG: '文件超过磁盘允许的大小',
  ENAMETOOLONG: '文件名过长',
};

export function fsReasonZh(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code && REASON_ZH[code]) return `${REASON_ZH[code]}（${code}）`;
  return code ? `系统错误 ${code}` : '未知错误';
}

function toOutputError(e: unknown, file: string): OutputError {
  if (e instanceof OutputError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return new OutputError(`写出结果文件失败：${file}：${fsReasonZh(e)}。此前的完整结果（如有）保持不变。`, file, code);
}

/** Whether a process runs (a leftover's owner): also when it is another user's (EPERM). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Checks the output folder before anything is read: it is a folder or can be made, and a file can
 * be created in it. Removes temporary files left by runs that were killed (their process is gone).
 */
export async function prepareOutputDir(dir: string): Promise<void> {
  let st;
  try {
    st = await stat(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new OutputDirError(`无法使用输出文件夹 ${dir}：${fsReasonZh(e)}。`);
  }
  if (st && !st.isDirectory()) throw new OutputDirError(`--out 指向的“${dir}”是一个文件，不是文件夹：请指定一个文件夹（不存在时会自动创建）。`);
  if (!st) {
    try {
      await mkdir(dir, { recursive: true });
    } catch (e) {
      throw new OutputDirError(`无法创建输出文件夹 ${dir}：${fsReasonZh(await realMkdirError(dir, e))}。`);
    }
  }
  const probe = join(dir, `${TEMP_PREFIX}${process.pid}-probe`);
  try {
    await writeFile(probe, '');
  } catch (e) {
    throw new OutputDirError(`输出文件夹 ${dir} 不能写入：${fsReasonZh(e)}。请换一个有写入权限的文件夹。`);
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
  await removeStaleTemps(dir);
}

/**
 * A recursive mkdir reports ENOENT for a read-only disk; making the first missing folder below the
 * nearest existing one gives the real reason (EROFS, EACCES, ENOTDIR …).
 */
async function realMkdirError(dir: string, first: unknown): Promise<unknown> {
  let child = resolve(dir);
  let parent = dirname(child);
  while (parent !== child) {
    const st = await stat(parent).catch(() => undefined);
    if (st) {
      try {
        await mkdir(child);
        await rm(child, { recursive: true, force: true });
        return first;
      } catch (e) {
        return e;
      }
    }
    child = parent;
    parent = dirname(parent);
  }
  return first;
}

/** Temporary files of earlier runs whose process no longer exists. */
async function removeStaleTemps(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const pid = Number(/^\.qingxi-tmp-(\d+)-/.exec(name)?.[1]);
    if (Number.isFinite(pid) && pid !== process.pid && !pidAlive(pid)) await rm(join(dir, name), { force: true }).catch(() => undefined);
  }
}

/** A temporary name of this module (a file or a staging folder), by its base name. */
export function isTempOutputName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX);
}

/**
 * Removes, recursively under dir, temporary files and staging folders of runs whose process is
 * gone (a killed run). Returns how many were removed.
 */
export async function removeLeftovers(dir: string): Promise<number> {
  let removed = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (isTempOutputName(e.name)) {
      const pid = Number(/^\.qingxi-tmp-(\d+)-/.exec(e.name)?.[1]);
      if (Number.isFinite(pid) && pidAlive(pid)) continue; // a live run's (this one's included)
      await rm(p, { recursive: true, force: true });
      removed++;
    } else if (e.isDirectory()) removed += await removeLeftovers(p);
  }
  return removed;
}

/** Removes every temporary file and staging folder directly in dir, whichever run made them. */
export async function removeTemps(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) if (isTempOutputName(name)) await rm(join(dir, name), { recursive: true, force: true }).catch(() => undefined);
}

/** Writes one file atomically: to a temporary name beside it, flushed, then renamed. */
export async function writeAtomically(finalPath: string, write: (tmpPath: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(finalPath), { recursive: true });
  const set = new OutputSet();
  try {
    await set.file(finalPath, write);
    await set.commit();
  } catch (e) {
    await set.abort();
    throw e;
  }
}

export function writeFileAtomically(finalPath: string, data: string | Uint8Array): Promise<void> {
  return writeAtomically(finalPath, (tmp) => writeFile(tmp, data));
}

let stagingSeq = 0;

/**
 * A fresh staging folder inside `parent` for a folder of outputs written piece by piece; publish
 * it with publishDir once complete (a killed run leaves it to removeLeftovers).
 */
export async function stagingDir(parent: string, label: string): Promise<string> {
  const dir = join(parent, `${TEMP_PREFIX}${process.pid}-${stagingSeq++}-${label}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Puts a complete staging folder in place of finalDir (an earlier finalDir is replaced). */
export async function publishDir(staged: string, finalDir: string): Promise<void> {
  await rm(finalDir, { recursive: true, force: true });
  await rename(staged, finalDir);
}

/**
 * The outputs of one run. Each file is written to a temporary name beside its final name; commit()
 * renames them all into place once every one is complete; abort() removes the temporaries.
 */
export class OutputSet {
  private readonly staged: { tmp: string; final: string }[] = [];
  private seq = 0;

  /** Writes one output through `write`, which receives the temporary path to write to. */
  async file(finalPath: string, write: (tmpPath: string) => Promise<void>): Promise<void> {
    const tmp = join(dirname(finalPath), `${TEMP_PREFIX}${process.pid}-${this.seq++}-${basename(finalPath)}`);
    this.staged.push({ tmp, final: finalPath });
    try {
      await write(tmp);
      // flushed to disk before the rename: a crash after it never exposes an empty file
      const fh = await open(tmp, 'r+');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    } catch (e) {
      throw toOutputError(e, finalPath);
    }
  }

  /** Writes a text output (UTF-8). */
  text(finalPath: string, content: string): Promise<void> {
    return this.file(finalPath, (tmp) => writeFile(tmp, content, 'utf8'));
  }

  /** Renames every staged file into place (each rename is atomic within the folder). */
  async commit(): Promise<void> {
    for (const s of this.staged) {
      try {
        await rename(s.tmp, s.final);
      } catch (e) {
        await this.abort();
        throw toOutputError(e, s.final);
      }
    }
    this.staged.length = 0;
  }

  /** Removes every temporary file not yet renamed (after a failure). */
  async abort(): Promise<void> {
    for (const s of this.staged) await rm(s.tmp, { force: true }).catch(() => undefined);
    this.staged.length = 0;
  }
}
