// Property tests: the committed sample files with random bytes changed, inserted, deleted or cut
// off. Whatever the damage: no uncaught exception, every physical row lands in exactly one bucket
// (and a CSV without quotes has exactly as many physical rows as lines), and the command exits 0–2.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../src/ingest/index.js';
import type { FileAccounting } from '../../src/ingest/types.js';
import { main } from '../../src/cli/main.js';
import { createLogger } from '../../src/log.js';

const tmp = mkdtempSync(join(tmpdir(), 'qingxi-mutate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const sample = (name: string) => readFileSync(join(process.cwd(), 'samples/township', name));

type Edit = { at: number; op: 'set' | 'insert' | 'delete' | 'cut'; byte: number; len: number };
const edit = fc.record({
  at: fc.nat(),
  op: fc.constantFrom<Edit['op']>('set', 'set', 'insert', 'delete', 'cut'),
  byte: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x0d, 0x0a, 0x22, 0x2c, 0x00, 0x3c)),
  len: fc.integer({ min: 1, max: 64 }),
});

function mutate(buf: Buffer, edits: Edit[]): Buffer {
  let b = Buffer.from(buf);
  for (const e of edits) {
    if (b.length === 0) break;
    const at = e.at % b.length;
    if (e.op === 'set') b[at] = e.byte;
    else if (e.op === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.alloc(e.len, e.byte), b.subarray(at)]);
    else if (e.op === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + e.len))]);
    else b = b.subarray(0, at);
  }
  return b;
}

let n = 0;
async function ingestBytes(name: string, bytes: Buffer): Promise<{ acc: FileAccounting; fileFindings: number }> {
  const p = join(tmp, `${n++}-${name}`);
  writeFileSync(p, bytes);
  let fileFindings = 0;
  const acc = await ingestFile(p, name, { row: () => undefined, finding: (f) => void (f.rule.startsWith('FILE-') && fileFindings++) });
  rmSync(p);
  return { acc, fileFindings };
}

function assertAccounted(acc: FileAccounting, fileFindings: number): void {
  for (const s of acc.sheets) {
    const b = s.buckets;
    expect(b.title + b.header + b.data + b.blank + b.footer + b.rejected + b.unrecognised).toBe(s.physicalRows);
    expect(s.rejected.length).toBe(b.rejected);
  }
  if (!acc.readable) expect(fileFindings).toBeGreaterThan(0);
}

/** Lines of a text without quotes, as a person counts them (CRLF, LF or CR each end one). */
function lineCount(text: string): number {
  const parts = text.split(/\r\n|\n|\r/);
  if (parts.length > 0 && parts.at(-1) === '') parts.pop();
  return parts.length;
}

describe('mutated CSV bytes', () => {
  const csv = sample('贫困户信息.csv');
  it('never throws, accounts for every row, and counts every line when there are no quotes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 6 }), async (edits) => {
        const bytes = mutate(csv, edits);
        const { acc, fileFindings } = await ingestBytes('贫困户信息.csv', bytes);
        assertAccounted(acc, fileFindings);
        const text = bytes.toString('utf8');
        if (acc.readable && acc.encoding?.toLowerCase().includes('utf') && !text.includes('"') && !/[^\x09\x0a\x0d\x20-\x7e\u00a0-\uffff]/.test(text) && !text.includes('\ufffd') && acc.sheets.length === 1) {
          expect(acc.sheets[0]!.physicalRows).toBe(lineCount(text.replace(/^\ufeff/, '')));
        }
      }),
      { numRuns: 80, seed: 20261130 },
    );
  });
});

describe('mutated xlsx bytes', () => {
  const xlsx = sample('帮扶责任人.xlsx');
  it('never throws and accounts for every row', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), async (edits) => {
        const { acc, fileFindings } = await ingestBytes('帮扶责任人.xlsx', mutate(xlsx, edits));
        assertAccounted(acc, fileFindings);
      }),
      { numRuns: 60, seed: 20261130 },
    );
  });
});

describe('the check command on mutated files', () => {
  const files = ['贫困户信息.csv', '结对帮扶.csv', '帮扶责任人.xlsx', '驻村帮扶.xlsx'].map((f) => [f, sample(f)] as const);
  const silent = createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) });
  it('exits 0–2 (never an internal error)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), fc.nat(), async (edits, k) => {
        const dir = mkdtempSync(join(tmp, 'run-'));
        const [name, bytes] = files[k % files.length]!;
        writeFileSync(join(dir, name), mutate(bytes, edits));
        const err: string[] = [];
        const code = await main(['check', dir, '--as-of', '2020-04-30', '--out', join(dir, 'out')], {
          stdout: () => undefined,
          stderr: (s) => void err.push(s),
          logger: silent,
          isTTY: false,
        });
        expect(code, err.join('')).toBeGreaterThanOrEqual(0);
        expect(code, err.join('')).toBeLessThanOrEqual(2);
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 16, seed: 20261130 },
    );
  });
});
