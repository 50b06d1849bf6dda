// The bench's rules-off runs (scripts/bench.ts) time our own floor: a check that reads, finds
// headers, normalises and indexes, and runs no rule but the FILE ones ingest emits while reading.
import { describe, expect, it } from 'vitest';
import { rulesOffConfig } from '../../scripts/bench.js';
import { resolveConfig } from '../../src/config.js';
import { runCheck } from '../../src/pipeline.js';
import { RULES } from '../../validators/index.js';

describe('bench: the rules-off config', () => {
  it('is a valid config that switches off every rule but the FILE ones', () => {
    const config = resolveConfig(rulesOffConfig(), RULES);
    for (const r of RULES) expect(config.rules.get(r.id)?.enabled, r.id).toBe(r.family === 'FILE');
  });

  it('leaves only FILE findings on the bundled township, which has findings of every family', { timeout: 60_000 }, async () => {
    const paths = ['samples/township'];
    const asOf = '2020-04-30';
    const all = await runCheck({ paths, asOf, config: resolveConfig({}, RULES) });
    const off = await runCheck({ paths, asOf, config: resolveConfig(rulesOffConfig(), RULES) });
    const families = (fs: typeof all.findings) => new Set(fs.map((f) => f.rule.split('-')[0]));
    expect([...families(all.findings)].sort()).toEqual(['BASE', 'BENE', 'FILE', 'HELPER', 'ID', 'PAIR', 'PROJ']);
    expect([...families(off.findings)]).toEqual(['FILE']);
    // the same rows are read either way
    expect(off.summary.totals).toMatchObject({ dataRows: all.summary.totals.dataRows, people: all.summary.totals.people });
    expect(off.findings.map((f) => f.fingerprint)).toEqual(all.findings.filter((f) => f.rule.startsWith('FILE-')).map((f) => f.fingerprint));
  });
});
