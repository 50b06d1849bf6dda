// A real `serve` on loopback (127.0.0.1, port 0) in a temporary data folder, and a small HTTP
// client with a cookie jar that reads CSRF tokens out of the pages like a browser would.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createServer, type Server } from '../../src/server/app.js';
import { defaultServeConfig, type ServeConfig } from '../../src/server/config.js';
import { hashPassword } from '../../src/store/users.js';

export const SAMPLES = join(import.meta.dirname, '..', '..', 'samples', 'township');

export interface Running {
  server: Server;
  base: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function startServer(overrides: Partial<ServeConfig> = {}, opts: { resetAdmin?: boolean } = {}): Promise<Running> {
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'qx-serve-'));
  const config = { ...defaultServeConfig(dataDir), host: '127.0.0.1', port: 0, ...overrides };
  const server = await createServer(config, pino({ level: 'silent' }), opts);
  const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
  return { server, base: address, dataDir, close: () => server.close() };
}

/** Creates a clerk directly in the store (the admin form is tested on its own). */
export async function addClerk(
  r: Running,
  username: string,
  password: string,
  scope: { level: 'county' | 'township'; name: string; code: string } = { level: 'township', name: '司门前镇', code: '430524106' },
): Promise<void> {
  r.server.ctx.users.create({
    username,
    displayName: `${scope.name}经办人`,
    role: 'clerk',
    scopeLevel: scope.level,
    scopeName: scope.name,
    scopeCode: scope.code,
    passwordHash: await hashPassword(password),
    mustChangePassword: false,
  });
}

export interface Reply {
  status: number;
  location: string | null;
  text: string;
  headers: Headers;
  body: Buffer;
}

export class Client {
  private readonly jar = new Map<string, string>();
  /** the CSRF token of the last page read */
  csrf = '';

  constructor(readonly base: string) {}

  private cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(method: string, path: string, body?: BodyInit, headers: Record<string, string> = {}): Promise<Reply> {
    const res = await fetch(this.base + path, { method, body, headers: { cookie: this.cookieHeader(), ...headers }, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const k = pair!.slice(0, i);
      const v = pair!.slice(i + 1);
      if (/expires=Thu, 01 Jan 1970/i.test(c) || v === '') this.jar.delete(k);
      else this.jar.set(k, v);
    }
    const buf = Buffer.from(await res.arrayBuffer());
    const text = buf.toString('utf8');
    const m = /name="_csrf" value="([^"]+)"/.exec(text) ?? /_csrf=([^"&]+)"/.exec(text);
    if (m) this.csrf = decodeURIComponent(m[1]!);
    return { status: res.status, location: res.headers.get('location'), text, headers: res.headers, body: buf };
  }

  get(path: string): Promise<Reply> {
    return this.request('GET', path);
  }

  /** Follows redirects (GET) like a browser. */
  async follow(r: Reply): Promise<Reply> {
    let cur = r;
    for (let i = 0; i < 5 && cur.location; i++) cur = await this.get(cur.location);
    return cur;
  }

  postForm(path: string, fields: Record<string, string>, withCsrf = true): Promise<Reply> {
    const p = new URLSearchParams(fields);
    if (withCsrf) p.set('_csrf', this.csrf);
    return this.request('POST', path, p.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
  }

  postFiles(path: string, files: { field: string; path: string; name?: string }[], fields: Record<string, string> = {}, withCsrf = true): Promise<Reply> {
    const fd = new FormData();
    for (const [k, v] of Object.entries(fields)) fd.set(k, v);
    for (const f of files) fd.append(f.field, new Blob([readFileSync(f.path)]), f.name ?? f.path.split('/').pop());
    const sep = path.includes('?') ? '&' : '?';
    return this.request('POST', withCsrf ? `${path}${sep}_csrf=${encodeURIComponent(this.csrf)}` : path, fd);
  }

  async login(username: string, password: string): Promise<Reply> {
    await this.get('/login');
    return this.postForm('/login', { username, password });
  }
}

export function sampleFiles(field = 'files'): { field: string; path: string }[] {
  return readdirSync(SAMPLES)
    .filter((n) => /\.(xlsx|xls|csv)$/.test(n))
    .map((n) => ({ field, path: join(SAMPLES, n) }));
}

/** Waits until the run is done or failed (polling the database, as the page would via events). */
export async function waitForRun(r: Running, id: string, timeoutMs = 90_000): Promise<string> {
  const t0 = Date.now();
  for (;;) {
    const run = r.server.ctx.runs.get(id);
    if (run && (run.status === 'done' || run.status === 'failed')) return run.status;
    if (Date.now() - t0 > timeoutMs) throw new Error(`run ${id} still ${run?.status} after ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 100));
  }
}
