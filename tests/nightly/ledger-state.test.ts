// The ledger's state machine on hand-made nights: every transition, and the rule that a finding
// whose county or township sent nothing tonight is never fixed.
import { describe, expect, it } from 'vitest';
import { blockSparkline } from '../../src/nightly/report-write.js';
import { applyNight, scopeChecked, townshipKey, type LedgerFinding, type Observation, type Presence } from '../../src/nightly/ledger-state.js';

const obs = (fp: string, over: Partial<Observation> = {}): Observation => ({
  fingerprint: fp, rule: 'ID-03', family: 'ID', severity: 'error', title: '校验码错误', message: 'm', unit: '甲县',
  county: '甲县', township: '一镇', village: '村', householdNo: 'H' + fp, source: '甲县/一镇', ...over,
});
const present = (units: string[], townships: [string, string, string][], folders: string[] = []): Presence => ({
  units: new Set(units), townships: new Set(townships.map((t) => townshipKey(...t))), folders: new Set(folders),
});
const state = (rows: LedgerFinding[]) => new Map(rows.map((r) => [r.fingerprint, r]));
const row = (fp: string, status: LedgerFinding['status'], over: Partial<LedgerFinding> = {}): LedgerFinding => ({
  ...obs(fp), status, firstSeen: '2020-05-01', lastSeen: '2020-05-01', openSince: '2020-05-01', fixedOn: status === 'fixed' ? '2020-05-02' : null, statusOn: '2020-05-01', ...over,
});
const all = present(['甲县'], [['甲县', '甲县', '一镇']], ['甲县/一镇']);

describe('applyNight', () => {
  it('a first sighting is new and open', () => {
    const r = applyNight(new Map(), [obs('a')], all, new Set(), '2020-05-01');
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]!.event).toBe('new');
    expect(r.changes[0]!.after).toMatchObject({ status: 'open', firstSeen: '2020-05-01', lastSeen: '2020-05-01', openSince: '2020-05-01' });
  });

  it('seen again: last seen moves, no event', () => {
    const r = applyNight(state([row('a', 'open')]), [obs('a', { severity: 'suspect' })], all, new Set(), '2020-05-02');
    expect(r.changes[0]!.event).toBeUndefined();
    expect(r.changes[0]!.after).toMatchObject({ status: 'open', lastSeen: '2020-05-02', firstSeen: '2020-05-01', severity: 'suspect' });
  });

  it('gone from a checked township: fixed (销号); back again: reopened; gone again: fixed', () => {
    const r1 = applyNight(state([row('a', 'open')]), [], all, new Set(), '2020-05-02');
    expect(r1.changes[0]).toMatchObject({ event: 'fixed', after: { status: 'fixed', fixedOn: '2020-05-02', lastSeen: '2020-05-01' } });
    const r2 = applyNight(state([r1.changes[0]!.after]), [obs('a')], all, new Set(), '2020-05-03');
    expect(r2.changes[0]).toMatchObject({ event: 'reopened', after: { status: 'reopened', openSince: '2020-05-03', fixedOn: null } });
    const r3 = applyNight(state([r2.changes[0]!.after]), [], all, new Set(), '2020-05-04');
    expect(r3.changes[0]).toMatchObject({ event: 'fixed', after: { status: 'fixed', fixedOn: '2020-05-04' } });
  });

  it('a missing county or township keeps its findings open, never fixed', () => {
    const prev = state([row('a', 'open'), row('b', 'reopened', { township: '二镇', source: '甲县/二镇' }), row('c', 'open', { unit: '乙县', county: '乙县' })]);
    const r = applyNight(prev, [], present(['甲县'], [['甲县', '甲县', '一镇']], ['甲县/一镇']), new Set(), '2020-05-02');
    expect(r.changes.map((c) => [c.fingerprint, c.event])).toEqual([['a', 'fixed']]);
    expect(r.keptOpenMissing.map((f) => f.fingerprint).sort()).toEqual(['b', 'c']);
  });

  it('a finding naming no township is judged by the folder its file came from', () => {
    const f = { unit: '甲县', county: '甲县', township: '', source: '甲县/二镇' };
    expect(scopeChecked(f, present(['甲县'], [], ['甲县/一镇']))).toBe(false);
    expect(scopeChecked(f, present(['甲县'], [], ['甲县/二镇']))).toBe(true);
    expect(scopeChecked({ ...f, source: '' }, present(['甲县'], [], []))).toBe(true);
    expect(scopeChecked(f, present([], [], ['甲县/二镇']))).toBe(false);
  });

  it('accepted: from open when seen; stays accepted while seen; fixed when gone; back to open when the exception is withdrawn', () => {
    const acc = new Set(['a']);
    const r1 = applyNight(state([row('a', 'open')]), [obs('a')], all, acc, '2020-05-02');
    expect(r1.changes[0]).toMatchObject({ event: 'accepted', after: { status: 'accepted' } });
    const r2 = applyNight(state([r1.changes[0]!.after]), [obs('a')], all, acc, '2020-05-03');
    expect(r2.changes[0]!.event).toBeUndefined();
    expect(r2.changes[0]!.after.status).toBe('accepted');
    const r3 = applyNight(state([r2.changes[0]!.after]), [obs('a')], all, new Set(), '2020-05-04');
    expect(r3.changes[0]).toMatchObject({ event: 'unaccepted', after: { status: 'open', openSince: '2020-05-04' } });
    const r4 = applyNight(state([r2.changes[0]!.after]), [], all, acc, '2020-05-04');
    expect(r4.changes[0]).toMatchObject({ event: 'fixed', after: { status: 'fixed' } });
  });

  it('a rule that crashed in a county tonight fixes none of its findings there', () => {
    const prev = state([row('a', 'open'), row('b', 'open', { rule: 'ID-05' })]);
    const p = { ...all, failedRules: new Map([['甲县', new Set(['ID-03'])]]) };
    const r = applyNight(prev, [], p, new Set(), '2020-05-02');
    expect(r.changes.map((c) => [c.fingerprint, c.event])).toEqual([['b', 'fixed']]);
    expect(r.keptOpenMissing.map((f) => f.fingerprint)).toEqual(['a']);
  });

  it('a fingerprint reported twice in one night counts once', () => {
    const r = applyNight(new Map(), [obs('a'), obs('a', { unit: '乙县' })], all, new Set(), '2020-05-01');
    expect(r.changes).toHaveLength(1);
  });
});

describe('blockSparkline', () => {
  it('scales between the row minimum and maximum; a night without data is a gap', () => {
    expect(blockSparkline([10, 12, 14])).toBe('▁▅█');
    expect(blockSparkline([5, 5])).toBe('▄▄');
    expect(blockSparkline([3, null, 7])).toBe('▁ █');
    expect(blockSparkline([])).toBe('');
  });
});
