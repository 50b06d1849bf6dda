import type { Logger } from 'pino';

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  logger: Logger;
  /** stderr is a terminal: show a progress line */
  isTTY: boolean;
}

/** Today's date (local time of the machine) as YYYY-MM-DD: the default as-of date. */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function isValidIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() + 1 === Number(m[2]) && d.getUTCDate() === Number(m[3]);
}
