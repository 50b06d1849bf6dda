// deliverTownshipWorkbooks on its own: each township's 整改台账 goes to that township's folder,
// told by the workbook's own bucket, not by reading its file name back (a township whose name ends
// in _<digits> looks like the writer's second workbook of another township).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deliverTownshipWorkbooks } from '../../src/nightly/delivery.js';
import { SharedTownships } from '../../src/nightly/shared-townships.js';
import { finding, input, removeTempDirs, tempDir, village } from '../outputs/fixtures.js';

afterAll(removeTempDirs);

const LH = '隆回县';

describe('deliverTownshipWorkbooks', () => {
  it('a township named like 一镇_3 gets its own folder, not 一镇\'s', async () => {
    const dateDir = await tempDir('deliver-a');
    const staging = join(await tempDir('deliver-b'), 'staging');
    const a = finding({ rule: 'BASE-01', household: 'H001', county: LH, township: '一镇', village: '甲村' });
    const b = finding({ rule: 'BASE-01', household: 'H002', county: LH, township: '一镇_3', village: '乙村' });
    const out = await deliverTownshipWorkbooks({
      unit: {
        asOf: '2020-04-30',
        findings: [a, b],
        elsewhere: [],
        villages: [village({ county: LH, township: '一镇', village: '甲村' }), village({ county: LH, township: '一镇_3', village: '乙村' })],
        sources: ['a.csv'],
        headOf: () => undefined,
      },
      fallbackCounty: LH,
      dateDir,
      stagingDir: staging,
      checkedAt: '2020-05-01T02:00:00.000Z',
      rules: input([], []).rules,
      shared: new SharedTownships(join(staging, '..', 'shared'), []),
    });
    expect(out.map((w) => [w.township, w.rel]).sort()).toEqual([
      ['一镇', `${LH}/一镇/整改台账_${LH}_一镇.xlsx`],
      ['一镇_3', `${LH}/一镇_3/整改台账_${LH}_一镇_3.xlsx`],
    ]);
    expect(readdirSync(join(dateDir, LH)).sort()).toEqual(['一镇', '一镇_3']);
  });
});
