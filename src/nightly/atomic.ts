// Outputs appear under their final name only when complete: written to a temporary name in the
// same folder, then renamed (rename within a file system is atomic). A killed run leaves at most
// `*.tmp-<pid>` files, which the next run removes. (A shared src/outputs/atomic.ts is planned on
// main by another issue; this is the nightly's own small copy until then.)
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const TMP_MARK = '.tmp-';

/** The temporary name for a final path: same folder, so the rename stays on one file system. */
export function tempNameFor(finalPath: string): string {
  return join(dirname(finalPath), `.${basename(finalPath)}${TMP_MARK}${process.pid}`);
}

/** Runs `write(tmpPath)`, then renames the result to finalPath. On failure the temp file is removed. */
export async function writeAtomically(finalPath: string, write: (tmpPath: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(finalPath), { recursive: true });
  const tmp = tempNameFor(finalPath);
  try {
    await write(tmp);
    await rename(tmp, finalPath);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

export async function writeFileAtomically(finalPath: string, data: string | Uint8Array): Promise<void> {
  await writeAtomically(finalPath, (tmp) => writeFile(tmp, data));
}

/** Removes temporary files (and staging folders) a killed run left under dir, recursively. */
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
    if (e.name.includes(TMP_MARK)) {
      await rm(p, { recursive: true, force: true });
      removed++;
    } else if (e.isDirectory()) removed += await removeLeftovers(p);
  }
  return removed;
}
