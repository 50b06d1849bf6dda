// System programs some tests spawn (Debian packages; .ci/run installs them). A missing program
// fails the test with a message naming the package: never a skip.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** program → the Debian package that provides it */
export const SYSTEM_PROGRAMS: Record<string, string> = {
  soffice: 'libreoffice-calc',
  pdfinfo: 'poppler-utils',
  pdftotext: 'poppler-utils',
  pdffonts: 'poppler-utils',
  pdftoppm: 'poppler-utils',
  chromium: 'chromium',
};

const checked = new Map<string, boolean>();

function present(program: string): boolean {
  let ok = checked.get(program);
  if (ok === undefined) {
    try {
      execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
      ok = true;
    } catch {
      ok = false;
    }
    checked.set(program, ok);
  }
  return ok;
}

export class MissingProgramError extends Error {}

/** Throws a clear error when the program is not installed. */
export function requireProgram(program: string): void {
  if (!present(program)) {
    const pkg = SYSTEM_PROGRAMS[program] ?? program;
    throw new MissingProgramError(`system program "${program}" is not installed: apt-get install -y ${pkg} (.ci/run installs it; see README "Tests")`);
  }
}

/** Run an installed program (checked first); resolves with its stdout. */
export async function runProgram(program: string, args: string[], opts: { timeout?: number } = {}): Promise<string> {
  requireProgram(program);
  const { stdout } = await run(program, args, { timeout: opts.timeout ?? 180_000, maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}
