// JSON logs (pino) on stderr. ID numbers and phones never appear unmasked in a log line: every
// string that reaches the log (message and fields, nested) passes through maskSensitive.
import pino, { type Logger } from 'pino';

// 18-char IDs (17 digits + digit/X), 15-digit legacy IDs, 11-digit mainland mobiles; digits not
// part of a longer digit run.
const ID18 = /(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])/g;
const ID15 = /(?<![0-9A-Za-z])(\d{6})\d{6}(\d{3})(?![0-9A-Za-z])/g;
const MOBILE = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;
const LONG_DIGITS = /(?<!\d)(\d{4})\d{8,}(\d{2})(?!\d)/g; // damaged IDs (4.30524E+17 expanded …)

/** `430524199001011234` → `430524********1234`; `13812345678` → `138****5678`. */
export function maskSensitive(s: string): string {
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
