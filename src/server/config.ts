// Settings of `qingxi serve`. Defaults suit one township office's laptop or a small county server.
import { join } from 'node:path';

export interface ServeConfig {
  /** state folder: SQLite file, uploads, outputs */
  dataDir: string;
  host: string;
  port: number;
  /** mark the session cookie Secure (set when served behind HTTPS) */
  secureCookies: boolean;
  /** behind a reverse proxy: take the client address from X-Forwarded-For (for limits and the audit log) */
  trustProxy: boolean;
  /** uploads and outputs are deleted after this many days */
  retentionDays: number;
  /** upload caps */
  maxFileBytes: number;
  maxFiles: number;
  /** checks run at once (worker threads); others wait in the queue */
  concurrentChecks: number;
  /** a check running longer is stopped and marked failed */
  checkTimeoutMs: number;
  sessionHours: number;
  /** wrong passwords in a row that lock an account, and for how long */
  maxFailedLogins: number;
  lockMinutes: number;
  /** login attempts per address per minute */
  loginAttemptsPerMinute: number;
}

export function defaultServeConfig(dataDir = join('reports', 'serve')): ServeConfig {
  return {
    dataDir,
    host: '127.0.0.1',
    port: 8080,
    secureCookies: false,
    trustProxy: false,
    retentionDays: 30,
    maxFileBytes: 50 * 1024 * 1024,
    maxFiles: 20,
    concurrentChecks: 2,
    checkTimeoutMs: 10 * 60 * 1000,
    sessionHours: 12,
    maxFailedLogins: 5,
    lockMinutes: 15,
    loginAttemptsPerMinute: 30,
  };
}
