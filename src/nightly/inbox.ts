// The nightly inbox: every county office drops its export files into its own folder under the
// inbox (`INBOX/<县>/…`, any depth below). One top-level folder is one check unit: its files are
// checked together as one county of a by-county run (cross rules — ID-08, pairings, helpers — see
// the whole county; ID numbers are also compared across units), two units at a time, so memory is
// bounded by two counties instead of the province. Files lying directly in the inbox root form one
// more unit of their own.
//
// Accepted exceptions (检验核查 数据无误 with a 备注) arrive as `accepted*.json` files anywhere in
// the inbox (what `qingxi verify` writes), plus an optional `--accepted FILE`.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { INPUT_EXTENSIONS } from '../pipeline.js';

/** Name of the unit formed by files lying directly in the inbox root. */
export const ROOT_UNIT = '（收件箱根目录）';

export interface InboxUnit {
  /** top-level folder name (the county's delivery), or ROOT_UNIT */
  name: string;
  /** absolute paths of the input files, sorted */
  files: string[];
  /** folder to pass to the check (the unit's folder; the root unit passes files) */
  dir: string;
}

export interface Inbox {
  units: InboxUnit[];
  acceptedFiles: string[];
}

function isInput(name: string): boolean {
  if (name.startsWith('~$') || name.startsWith('.')) return false;
  const lower = name.toLowerCase();
  return INPUT_EXTENSIONS.some((e) => lower.endsWith(e));
}

function isAccepted(name: string): boolean {
  return /^accepted.*\.json$/i.test(name);
}

async function walk(dir: string, inputs: string[], accepted: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, inputs, accepted);
    else if (e.isFile() && isInput(e.name)) inputs.push(p);
    else if (e.isFile() && isAccepted(e.name)) accepted.push(p);
  }
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Scans the inbox. Throws when the inbox is not a readable folder. */
export async function scanInbox(inbox: string): Promise<Inbox> {
  const st = await stat(inbox);
  if (!st.isDirectory()) throw new Error('not a directory');
  const units: InboxUnit[] = [];
  const acceptedFiles: string[] = [];
  const rootFiles: string[] = [];
  for (const e of await readdir(inbox, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = join(inbox, e.name);
    if (e.isDirectory()) {
      const files: string[] = [];
      await walk(p, files, acceptedFiles);
      files.sort(byName);
      // an empty folder is not a delivery: its county is reported as missing input
      if (files.length > 0) units.push({ name: e.name, files, dir: p });
    } else if (e.isFile() && isInput(e.name)) rootFiles.push(p);
    else if (e.isFile() && isAccepted(e.name)) acceptedFiles.push(p);
  }
  units.sort((a, b) => byName(a.name, b.name));
  if (rootFiles.length > 0) units.push({ name: ROOT_UNIT, files: rootFiles.sort(byName), dir: inbox });
  return { units, acceptedFiles: acceptedFiles.sort(byName) };
}
