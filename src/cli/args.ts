// Command-line options, parsed with Chinese messages (node's parseArgs speaks English): an unknown
// option names the nearest known one ("未知选项 --fial-on，您是不是要输入 --fail-on？").
import { UsageError } from '../core/errors.js';
import { nearest } from '../i18n/suggest.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
}

export type OptionValues = Record<string, string | boolean | undefined>;

/** The message for an option nobody knows, with the nearest known one. */
export function unknownOptionMessage(arg: string, known: Iterable<string>): string {
  const hint = nearest(arg.replace(/=.*$/, ''), known);
  return `未知选项 ${arg.replace(/=.*$/, '')}${hint ? `，您是不是要输入 ${hint}？` : ''}`;
}

/**
 * A command's options: as parseOptions, a mistake said as `参数错误：…` followed by the command's usage.
 */
export function parseCommandLine(
  argv: readonly string[],
  spec: Record<string, OptionSpec>,
  usage: string,
): { values: OptionValues; positionals: string[] } {
  try {
    return parseOptions(argv, spec);
  } catch (e) {
    throw e instanceof UsageError ? new UsageError(`参数错误：${e.message}`, { usage }) : e;
  }
}

/** A string option's value (a flag given where a value was expected is absent). */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * A whole-number option within [min, max] (`--threads 4`); undefined when absent. Anything else
 * (0, a negative or fractional number, text, a number past max) is a UsageError naming the option,
 * its allowed range, what it means and the value given.
 */
export function integerOption(values: OptionValues, name: string, range: { min: number; max: number; meaning: string }): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  const n = /^\s*\+?\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw new UsageError(`--${name} 应为 ${range.min} 到 ${range.max} 之间的整数（${range.meaning}），而不是“${raw}”。`);
  }
  return n;
}

/**
 * `--name value`, `--name=value`, `-x value`, `--flag`; `--` ends the options. A value may be a
 * negative number (`--threads -1` is refused by the option's own check, not as a missing value). Throws UsageError
 * (Chinese) on an unknown option, a missing value or a value given to a flag.
 */
export function parseOptions(argv: readonly string[], spec: Record<string, OptionSpec>): { values: OptionValues; positionals: string[] } {
  const values: OptionValues = {};
  const positionals: string[] = [];
  const byShort = new Map(Object.entries(spec).filter(([, o]) => o.short).map(([n, o]) => ['-' + o.short!, n]));
  const known = Object.keys(spec).map((n) => '--' + n);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const name = flag.startsWith('--') ? flag.slice(2) : byShort.get(flag);
    const o = name !== undefined ? spec[name] : undefined;
    if (!o || name === undefined) throw new UsageError(unknownOptionMessage(arg, known));
    if (o.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`选项 ${flag} 不需要值（写 ${flag} 即可）`);
      values[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('-') && value.length > 1 && !/^-\d/.test(value))) throw new UsageError(`选项 ${flag} 后面缺少值`);
    values[name] = value;
  }
  return { values, positionals };
}
