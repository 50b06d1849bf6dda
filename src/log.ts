// JSON logs (pino) on stderr. ID numbers and phones never appear unmasked in a log line: every
// string that reaches the log (message and fields, nested) passes through maskSensitive.
import pino, { type Logger } from 'pino';

// 18-char IDs (17 digits + digit/X), 15-digit legacy IDs, 11-digit mainland mobiles; digits not
// part of a longer digit run.
const ID18 = /(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])/g;
const ID15 = /(?<![0-9A-Za-z])(\d{6})\d{6}(\d{3})(?![0-9A-Za-z])/g;
const MOBILE = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;
const LONG_DIGITS = /(?<!\d)(\d{4})\d{8,}(\d{2})(?!\d)/g; // damaged IDs (4.30524E+17 expanded …)
/**
 * Numbers written with separators or a country code: `150-4408-4320`, `150 4408 4320`,
 * `+8615044084320`, `+86 150 4408 4320`, `430522 19910516 8325`. A run of digits joined by single
 * spaces or hyphens, with an optional +86 / 0086 / 86 in front.
 */
const GROUPED = /(?<![0-9A-Za-z+])((?:\+|00)?86[ -]?)?(\d(?:[ -]?\d){9,20})([Xx])?(?![0-9A-Za-z])/g;
const FULL_WIDTH = /[０-９Ｘｘ]/;

/** Keeps the first `head` and last `tail` digits of `text`, separators as written, the rest `*`. */
function keepEnds(text: string, digits: number, head: number, tail: number): string {
  let i = 0;
  let out = '';
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') {
      out += i < head || i >= digits - tail ? ch : '*';
      i++;
    } else out += ch;
  }
  return out;
}

function maskGrouped(m: string, prefix: string | undefined, body: string, x: string | undefined): string {
  const digits = body.replace(/[ -]/g, '');
  const n = digits.length;
  const mobile = (d: string): boolean => d.length === 11 && /^1[3-9]/.test(d);
  if (prefix && mobile(digits)) return prefix + keepEnds(body, 11, 3, 4) + (x ?? '');
  if (!prefix && !x && n === 13 && digits.startsWith('86') && mobile(digits.slice(2))) return keepEnds(body, 13, 5, 4);
  if (prefix) return m; // a country code before something that is not a mobile: leave it
  if (x && n === 17) return keepEnds(body, 17, 6, 3) + x;
  if (!x && mobile(digits)) return keepEnds(body, 11, 3, 4);
  if (!x && n === 15) return keepEnds(body, 15, 6, 3);
  if (!x && n === 18) return keepEnds(body, 18, 6, 4);
  return m;
}

/**
 * The one masking function for every log line and every stderr line: `430524199001011234` →
 * `430524********1234`; `13812345678` → `138****5678`; also with separators, +86, full-width digits.
 */
export function maskSensitive(s: string): string {
  // full-width digits (４３０５…) are read as digits: the line shows them half-width
  if (FULL_WIDTH.test(s)) s = s.replace(/[０-９Ｘｘ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (!/\d{3}/.test(s)) return s;
  if (/\d[ -]\d|86/.test(s)) s = s.replace(GROUPED, maskGrouped);
  if (!/\d{11}/.test(s)) return s;
  return s
    .replace(ID18, (_m, a: string, b: string) => `${a}********${b}`)
    .replace(ID15, (_m, a: string, b: string) => `${a}******${b}`)
    .replace(MOBILE, (_m, a: string, b: string) => `${a}****${b}`)
    .replace(LONG_DIGITS, (m: string, a: string, b: string) => `${a}${'*'.repeat(m.length - 6)}${b}`);
}

function maskDeep(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return maskSensitive(v);
  if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) >= 1e10) return maskSensitive(String(v));
  if (depth > 6 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => maskDeep(x, depth + 1));
  if (v instanceof Error) return { message: maskSensitive(v.message), stack: v.stack ? maskSensitive(v.stack) : undefined };
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = maskDeep(x, depth + 1);
  return out;
}

/**
 * The last line of defence: every serialized log line is masked before it is written. Child-logger
 * bindings (a file name holding an ID number, say) are serialized once by pino and never pass
 * through `formatters.log`, so masking objects alone is not enough.
 */
function maskingStream(dest: pino.DestinationStream): pino.DestinationStream {
  return { write: (line: string) => dest.write(maskSensitive(line)) };
}

export function createLogger(opts: { level?: string; destination?: NodeJS.WritableStream | number } = {}): Logger {
  const dest = opts.destination ?? 2;
  return pino(
    {
      level: opts.level ?? process.env['QINGXI_LOG_LEVEL'] ?? 'info',
      base: { app: 'qingxi' },
      formatters: { log: (obj) => maskDeep(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => {
            if (typeof a === 'string') return maskSensitive(a);
            if (a instanceof Error) {
              const e = new Error(maskSensitive(a.message));
              e.name = a.name;
              e.stack = a.stack ? maskSensitive(a.stack) : undefined;
              return e;
            }
            return a;
          }) as Parameters<typeof method>;
          return method.apply(this, masked);
        },
      },
    },
    maskingStream(typeof dest === 'number' ? pino.destination({ fd: dest, sync: true }) : (dest as pino.DestinationStream)),
  );
}
