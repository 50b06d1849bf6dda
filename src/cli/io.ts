// What every command shares: its output streams and logger, the config file, the as-of option.
import type { Logger } from 'pino';
import { loadConfigFile, type Config } from '../config.js';
import { localToday, tryParseAsOf } from '../core/as-of.js';
import { UsageError } from '../core/errors.js';
import { RULES } from '../../validators/index.js';

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  logger: Logger;
  /** stderr is a terminal: show a progress line */
  isTTY: boolean;
}

/** Today's date (local time of the machine) as YYYY-MM-DD: the default as-of date. */
export const today = localToday;

export function isValidIsoDate(s: string): boolean {
  return tryParseAsOf(s) !== undefined;
}

/** The config file of a command, or the defaults without one. A bad config throws ConfigError (a UsageError). */
export function commandConfig(path: string | undefined): Config {
  return loadConfigFile(path, RULES);
}

/** `--as-of`, else the config's asOf, else today; an invalid date is bad usage. */
export function asOfOption(value: string | undefined, config: Config): string {
  const asOf = value ?? config.asOf ?? today();
  if (!isValidIsoDate(asOf)) throw new UsageError(`--as-of 日期“${asOf}”无效，应为 YYYY-MM-DD，例如 2020-04-30。`);
  return asOf;
}
