// summary.json counts households under 防返贫监测 by category (SPEC §2: monitoring-era statuses are
// known values, summarised); a run without any keeps its summary as before (no `monitored` key).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/pipeline.js';
import { resolveConfig } from '../../src/config.js';
import { RULES } from '../../validators/index.js';

function csvRun(lines: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'qx-monitored-'));
  writeFileSync(join(dir, '监测户.csv'), '\ufeff' + lines.join('\n') + '\n');
  return runCheck({ paths: [dir], asOf: '2024-06-30', config: resolveConfig({}, RULES) });
}

describe('summary: monitored households by category', () => {
  it('counts each category per village and in the totals', async () => {
    const r = await csvRun([
      '户编号,县,乡镇,行政村,户主姓名,家庭人口数,户类型',
      'H1,隆回县,司门前镇,大坪村,张一,3,边缘易致贫户',
      'H2,隆回县,司门前镇,大坪村,张二,2,突发严重困难户',
      'H3,隆回县,司门前镇,大坪村,张三,4,边缘易致贫户',
      'H4,隆回县,司门前镇,大坪村,张四,4,已脱贫',
    ]);
    expect(r.summary.totals.monitored).toEqual({ 边缘易致贫户: 2, 突发严重困难户: 1 });
    const village = r.summary.villages.find((v) => v.village === '大坪村');
    expect(village?.households).toBe(4);
    expect(village?.monitored).toEqual({ 边缘易致贫户: 2, 突发严重困难户: 1 });
    expect(r.findings.filter((f) => f.rule === 'BASE-02')).toEqual([]);
  });
  it('leaves the key out when no household is monitored', async () => {
    const r = await csvRun(['户编号,县,乡镇,行政村,户主姓名,家庭人口数,户类型', 'H1,隆回县,司门前镇,大坪村,张一,3,已脱贫']);
    expect(r.summary.totals).not.toHaveProperty('monitored');
    expect(r.summary.villages[0]).not.toHaveProperty('monitored');
  });
});
