// A cell that breaks a parser (a defect of ours: parsers are written never to throw) costs its row,
// reported to the clerk as FILE-03 with a Chinese reason, not the file: the rows around it are read.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Finding, Loc, NormalRow } from '../../src/model.js';

// every row normaliser throws on a cell reading BOOM, as a parser defect would
vi.mock('../../src/normalize/row.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/normalize/row.js')>();
  return {
    ...real,
    makeRowNormalizer: (...args: Parameters<typeof real.makeRowNormalizer>) => {
      const norm = real.makeRowNormalizer(...args);
      return (cells: Parameters<typeof norm>[0], at: Loc) => {
        if (cells.includes('BOOM')) throw new RangeError('Invalid string length');
        return norm(cells, at);
      };
    },
  };
});

const { ingestFile } = await import('../../src/ingest/index.js');
const { runCheck } = await import('../../src/pipeline.js');
const { resolveConfig } = await import('../../src/config.js');
const { createLogger } = await import('../../src/log.js');
const { RULES } = await import('../../validators/index.js');

const dir = mkdtempSync(join(tmpdir(), 'qingxi-row-error-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a row whose cell breaks a parser', () => {
  it('is skipped and reported; every other row is read', async () => {
    const path = join(dir, '成员.csv');
    writeFileSync(
      path,
      ['户编号,姓名,证件号码,与户主关系', 'H1,张三,430524199001011238,户主', 'H2,BOOM,430524199001014578,户主', 'H3,王五,430524199001011238,户主'].join('\n') + '\n',
    );
    const rows: NormalRow[] = [];
    const findings: Finding[] = [];
    const errors: { err: unknown; at: Loc }[] = [];
    const acc = await ingestFile(path, '成员.csv', { row: (r) => rows.push(r), finding: (f) => findings.push(f), rowError: (err, at) => errors.push({ err, at }) });
    expect(acc.readable).toBe(true);
    expect(rows.filter((r) => r.table === 'members').map((r) => r.at.row)).toEqual([2, 4]);
    const sheet = acc.sheets[0]!;
    expect(sheet.buckets.data).toBe(2);
    expect(sheet.buckets.rejected).toBe(1);
    const f03 = findings.filter((f) => f.rule === 'FILE-03');
    expect(f03.map((f) => f.at.row)).toEqual([3]);
    expect(String(f03[0]!.params?.['reason'])).toContain('本行有单元格无法解读');
    expect(errors.map((e) => [e.at.row, (e.err as Error).message])).toEqual([[3, 'Invalid string length']]);
    expect(findings.some((f) => f.rule === 'FILE-04')).toBe(false);
  });

  it('a check reads the rest, reports the row, and logs row_failed (masked) for us', async () => {
    const folder = join(dir, 'check');
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, '成员.csv'),
      ['户编号,姓名,证件号码,与户主关系', 'H1,张三,430524199001011238,户主', 'H2,BOOM,430524199001014578,户主'].join('\n') + '\n',
    );
    const lines: string[] = [];
    const logger = createLogger({ destination: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }), level: 'info' });
    const res = await runCheck({ paths: [folder], asOf: '2020-04-30', config: resolveConfig({}, RULES), logger });
    expect(res.findings.filter((f) => f.rule === 'FILE-03').map((f) => f.at.row)).toEqual([3]);
    const failed = lines.map((l) => JSON.parse(l)).filter((l) => l.event === 'row_failed');
    expect(failed.map((l) => [l.file, l.row, String(l.err).split('\n')[0]])).toEqual([['成员.csv', 3, 'RangeError: Invalid string length']]);
  });
});
