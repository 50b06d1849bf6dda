// 整改台账 written in worker threads (a province's run: many findings, many townships) are the
// workbooks one thread writes, part for part; the 户主 names reach the workers.
import { afterAll, describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import { writeCorrectionWorkbooks } from '../../src/outputs/workbook.js';
import { workbookWorkerScript } from '../../src/outputs/workbook-pool.js';
import { OutputSet } from '../../src/outputs/atomic.js';
import { finding, input, tempDir, removeTempDirs, village, xlsxParts } from './fixtures.js';

afterAll(removeTempDirs);

function manyTownships() {
  const findings = [];
  for (let t = 0; t < 5; t++) {
    for (let i = 0; i < 40; i++) {
      const f = finding({ rule: i % 2 ? 'BASE-01' : 'ID-03', household: `H${t}${i}`, name: `户员${i}`, village: `${i % 3}村`, field: 'idNumber', value: `v${i}` });
      findings.push({ ...f, region: { ...f.region, township: `${t}镇` } });
    }
  }
  const villages = [0, 1, 2, 3, 4].flatMap((t) => [0, 1, 2].map((v) => ({ ...village({ village: `${v}村`, households: 10 }), township: `${t}镇` })));
  return { ...input(findings, villages), headOf: (no: string) => (no.endsWith('7') ? `户主${no}` : undefined) };
}

describe('整改台账 in worker threads', () => {
  it('the compiled worker exists (npm test builds it first)', () => {
    expect(workbookWorkerScript(), 'dist/src/outputs/workbook-worker.js missing: run `npx tsc -p tsconfig.json` first').toBeDefined();
  });

  it('writes the same workbooks, part for part, as one thread', { timeout: 120_000 }, async () => {
    const one = await tempDir('wb-one');
    const two = await tempDir('wb-two');
    const pathsOne = await writeCorrectionWorkbooks(manyTownships(), one, 'township');
    const set = new OutputSet();
    const pathsTwo = await writeCorrectionWorkbooks(manyTownships(), two, 'township', set, { threads: 2 });
    await set.commit();
    expect(pathsTwo.map((p) => basename(p))).toEqual(pathsOne.map((p) => basename(p)));
    expect(pathsOne).toHaveLength(5);
    for (let i = 0; i < pathsOne.length; i++) {
      const a = await xlsxParts(pathsOne[i]!);
      const b = await xlsxParts(pathsTwo[i]!);
      expect([...b.keys()]).toEqual([...a.keys()]);
      for (const [name, xml] of a) expect(b.get(name), name).toBe(xml);
    }
    // the 户主 column carries the names headOf gave
    const sheets = [...(await xlsxParts(pathsTwo[0]!)).values()].join('');
    expect(sheets).toContain('户主H07');
  });
});
