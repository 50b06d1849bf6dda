// The lean xlsx reader (default) and exceljs (the fallback) must give byte-identical findings and
// the same row accounting on every workbook we have: the committed samples, the ingest fixtures,
// freshly generated exports in every layout, and the samples re-saved by LibreOffice.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/pipeline.js';
import { loadConfig } from '../../src/config.js';
import { toRecord } from '../../src/outputs/findings.js';
import { generateSamples } from '../../src/samples/generate.js';
import type { XlsxReaderKind } from '../../src/ingest/index.js';
import { soffice, tempDir } from '../outputs/fixtures.js';

const SAMPLES = join(process.cwd(), 'samples/township');
const FIXTURES = join(process.cwd(), 'tests/fixtures/ingest');

async function check(dir: string, xlsxReader: XlsxReaderKind): Promise<{ jsonl: string; files: string }> {
  const result = await runCheck({ paths: [dir], asOf: '2020-04-30', config: await loadConfig(), xlsxReader });
  return {
    // exactly the lines findings.jsonl is made of
    jsonl: result.findings.map((f) => JSON.stringify(toRecord(f)) + '\n').join(''),
    files: JSON.stringify(result.files),
  };
}

async function expectSame(dir: string, minFindings: number): Promise<void> {
  const lean = await check(dir, 'lean');
  const exceljs = await check(dir, 'exceljs');
  expect(lean.jsonl.split('\n').length).toBeGreaterThan(minFindings);
  expect(lean.jsonl).toBe(exceljs.jsonl);
  expect(lean.files).toBe(exceljs.files);
}

describe('lean xlsx reader and exceljs give byte-identical findings', () => {
  it('on the committed samples (with the corrupt workbook)', { timeout: 120_000 }, async () => {
    await expectSame(SAMPLES, 40);
  });

  it('on the ingest fixtures', { timeout: 60_000 }, async () => {
    await expectSame(FIXTURES, 1);
  });

  it('on generated exports of every layout (several seeds)', { timeout: 300_000 }, async () => {
    for (const seed of [1, 2, 3, 4]) {
      const dir = await tempDir(`readers-gen-${seed}`);
      await generateSamples({ outDir: dir, households: 120, seed, formats: 'xlsx' });
      await expectSame(dir, 20);
    }
  });

  it('on the samples re-saved by LibreOffice', { timeout: 300_000 }, async () => {
    const dir = await tempDir('readers-lo');
    const resaved = join(dir, 'resaved');
    mkdirSync(resaved);
    for (const name of readdirSync(SAMPLES)) {
      if (name === 'truth.json' || name === '损坏文件.xlsx') continue;
      if (name.endsWith('.xlsx')) await soffice(join(SAMPLES, name), 'xlsx:Calc MS Excel 2007 XML', resaved);
      else copyFileSync(join(SAMPLES, name), join(resaved, name));
    }
    await expectSame(resaved, 40);
  });
});
