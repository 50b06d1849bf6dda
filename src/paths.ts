// Locate files shipped with the package (data/), from source (vitest) and from dist/ alike.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The folder holding the project's package.json. */
export function projectRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'data'))) return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('qingxi: cannot locate the package root (package.json + data/)');
    dir = up;
  }
}

export function dataPath(name: string): string {
  return join(projectRoot(), 'data', name);
}
