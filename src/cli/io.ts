import type { Logger } from 'pino';
import { ConfigError, loadConfigFile, type Config } from '../config.js';
import { RULES } from '../../validators/index.js';

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

/**
 * The config file of a command (or the defaults without one); a bad config is said in Chinese on
 * stderr and gives undefined, which the command turns into exit 2.
 */
export function loadConfigOrSay(path: string | undefined, io: Pick<CliIo, 'stderr'>): Config | undefined {
  try {
    return loadConfigFile(path, RULES);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr(e.message + '\n');
      return undefined;
    }
    throw e;
  }
}
