import { describe, expect, it } from 'vitest';
import { runVisibleTo } from '../../src/store/runs.js';
import { applyScope, findingInScope, placeInScope, workbookInScope } from '../../src/server/jobs/scope.js';
import type { ResolvedFinding } from '../../src/model.js';
import type { VillageSummary } from '../../src/outputs/summary.js';
import { html, raw } from '../../src/server/html.js';

const township = { scopeLevel: 'township' as const, scopeName: '司门前镇', scopeCode: '430524106' };

describe('who sees a run', () => {
  it('the same township, or its county by code prefix; nobody else', () => {
    expect(runVisibleTo(township, { level: 'township', name: '司门前镇', code: '430524106' })).toBe(true);
    expect(runVisibleTo(township, { level: 'county', name: '隆回县', code: '430524' })).toBe(true);
    expect(runVisibleTo(township, { level: 'county', name: '邵东县', code: '430521' })).toBe(false);
    expect(runVisibleTo(township, { level: 'township', name: '石江镇', code: '430524107' })).toBe(false);
    // same name, different code (two townships of one name in different counties)
    expect(runVisibleTo(township, { level: 'township', name: '司门前镇', code: '430521106' })).toBe(false);
    // a township clerk does not see the county's own runs
    expect(runVisibleTo({ scopeLevel: 'county', scopeName: '隆回县', scopeCode: '430524' }, { level: 'township', name: '司门前镇', code: '430524106' })).toBe(false);
  });
});

describe('a clerk region applied to findings', () => {
  const f = (township: string | undefined, county = '隆回县') => ({ rule: 'ID-01', region: { county, township } }) as unknown as ResolvedFinding;
  const v = (township: string, households: number) => ({ county: '隆回县', township, village: '某村', households, people: households * 3 }) as VillageSummary;

  it('keeps the own township and findings with no township; counts the others', () => {
    const r = applyScope({ level: 'township', name: '司门前镇' }, [f('司门前镇'), f(undefined), f('石江镇'), f('石江镇'), f(' 司門前鎮 ')], [v('司门前镇', 30), v('石江镇', 12)]);
    expect(r.findings.length).toBe(3); // Traditional and spaced forms of the name are the same place
    expect(r.villages.map((x) => x.township)).toEqual(['司门前镇']);
    expect(r.outOfScope).toEqual([{ county: '隆回县', township: '石江镇', villages: 1, households: 12, people: 36, findings: 2 }]);
  });

  it('follows routing: a helper finding routed to the clerk township is kept, without its routes elsewhere', () => {
    const scope = { level: 'township' as const, name: '司门前镇' };
    const helper = { rule: 'HELPER-02', region: {}, routes: [{ county: '隆回县', township: '石江镇' }, { county: '隆回县', township: '司门前镇' }] } as unknown as ResolvedFinding;
    const fileOfOther = { rule: 'FILE-05', region: {}, routes: [{ county: '隆回县', township: '石江镇' }] } as unknown as ResolvedFinding;
    const unrouted = { rule: 'PROJ-01', region: {}, unrouted: '项目没有填写建设地点' } as unknown as ResolvedFinding;
    expect(findingInScope(scope, helper)).toBe(true);
    expect(findingInScope(scope, fileOfOther)).toBe(false);
    expect(findingInScope(scope, unrouted)).toBe(true);
    const r = applyScope(scope, [helper, fileOfOther, unrouted], []);
    expect(r.findings.length).toBe(2);
    expect(r.findings[0]!.routes).toEqual([{ county: '隆回县', township: '司门前镇' }]);
    expect(helper.routes!.length).toBe(2); // the original is not changed
    expect(r.outOfScope).toEqual([{ county: '隆回县', township: '石江镇', villages: 0, households: 0, people: 0, findings: 1 }]);
  });

  it('offers only the clerk region 台账 files', () => {
    const t = { level: 'township' as const, name: '司门前镇' };
    expect(workbookInScope(t, '整改台账_隆回县_司门前镇.xlsx')).toBe(true);
    expect(workbookInScope(t, '整改台账_司门前镇_2.xlsx')).toBe(true);
    expect(workbookInScope(t, '整改台账_未注明乡镇.xlsx')).toBe(true);
    expect(workbookInScope(t, '整改台账_隆回县_石江镇.xlsx')).toBe(false);
    const c = { level: 'county' as const, name: '隆回县' };
    expect(workbookInScope(c, '整改台账_隆回县_石江镇.xlsx')).toBe(true);
    expect(workbookInScope(c, '整改台账_邵东县_两市塘街道.xlsx')).toBe(false);
  });

  it('a county clerk keeps every township of the county', () => {
    expect(placeInScope({ level: 'county', name: '隆回县' }, '隆回县', '石江镇')).toBe(true);
    expect(placeInScope({ level: 'county', name: '隆回县' }, '邵东县', '两市塘街道')).toBe(false);
  });
});

describe('html template', () => {
  it('escapes interpolated text, not nested Html or raw()', () => {
    const name = '<script>alert("x")</script>&';
    expect(html`<p title="${name}">${name}</p>`.text).toBe('<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;</p>');
    expect(html`<ul>${['a<', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`.text).toBe('<ul><li>a&lt;</li><li>b</li></ul>');
    expect(html`${raw('<svg/>')}${null}${undefined}${false}${0}`.text).toBe('<svg/>0');
  });
});
