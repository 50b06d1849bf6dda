// Which 台账 a finding goes to (src/outputs/routing.ts), on hand-built indexes.
import { describe, expect, it } from 'vitest';
import { emptyIndexes, type HouseholdRec, type Indexes } from '../../src/engine/indexes.js';
import { Router } from '../../src/outputs/routing.js';
import type { ResolvedFinding } from '../../src/model.js';

const idv = (text: string) => ({ raw: text, text, numericCell: false, scientific: false });
const at = (file: string, row: number, sheet?: string) => ({ file, row, ...(sheet ? { sheet } : {}) });

function indexes(): Indexes {
  const ix = emptyIndexes();
  const hh = (no: string, township: string, village: string) =>
    ix.households.set(no, { householdNo: no, region: { county: '测试县', township, village }, at: at('成员.xlsx', 2, '一村'), householdRows: [], members: [] } as unknown as HouseholdRec);
  hh('H1', '城关镇', '一村');
  hh('H2', '河口乡', '二村');
  ix.pairings.push(
    { table: 'pairings', at: at('结对.csv', 2), v: { householdNo: 'H1', helperId: idv('HELPER1') } } as never,
    { table: 'pairings', at: at('结对.csv', 3), v: { householdNo: 'H2', helperId: idv('HELPER1') } } as never,
    { table: 'pairings', at: at('结对.csv', 4), v: { householdNo: 'H9', helperId: idv('HELPER2') } } as never,
    { table: 'pairings', at: at('结对.csv', 5), v: { householdNo: 'H1', helperId: idv('HELPER2') } } as never,
  );
  ix.helpers.push({ table: 'helpers', at: at('帮扶责任人.xlsx', 2, 'Sheet1'), v: { helperId: idv('HELPER1') } } as never);
  ix.projects.push({ table: 'projects', at: at('项目.xlsx', 2, '项目库'), v: { projectNo: 'P1' } } as never);
  ix.beneficiaries.push({ table: 'beneficiaries', at: at('项目.xlsx', 2, '受益户'), v: { projectNo: 'P1', householdNo: 'H2' } } as never);
  return ix;
}

const f = (x: Partial<ResolvedFinding>): ResolvedFinding => ({ rule: 'HELPER-02', family: 'HELPER', severity: 'error', title: '', message: '', fingerprint: 'x', ...x }) as ResolvedFinding;
const townships = (r: { routes: { township?: string }[] }) => r.routes.map((x) => x.township).sort();

describe('routing', () => {
  const router = new Router(indexes());
  it('a helper\'s finding goes to the townships of every household paired with the helper', () => {
    expect(townships(router.route(f({ helperId: 'HELPER1' })))).toEqual(['城关镇', '河口乡']);
    expect(router.route(f({ rule: 'PAIR-07', helperId: 'HELPER1', related: ['H1', 'H2'] })).routes.map((r) => r.village).sort()).toEqual(['一村', '二村']);
  });
  it('a project without a place goes to its beneficiaries\' townships; a FILE finding to its file\'s', () => {
    expect(townships(router.route(f({ rule: 'PROJ-01', projectNo: 'P1' })))).toEqual(['河口乡']);
    expect(townships(router.route(f({ rule: 'FILE-05', at: at('项目.xlsx', 1, '项目库') })))).toEqual(['河口乡']);
    expect(townships(router.route(f({ rule: 'FILE-03', at: at('结对.csv', 9) })))).toEqual(['城关镇', '河口乡']);
  });
  it('a helper paired with nobody goes to the townships of the export (file and sheet) listing it', () => {
    expect(townships(router.route(f({ helperId: 'LONELY', at: at('帮扶责任人.xlsx', 3, 'Sheet1') })))).toEqual(['城关镇', '河口乡']);
  });
  it('a pairing naming an unknown household goes to its helper\'s townships', () => {
    expect(townships(router.route(f({ rule: 'PAIR-08', householdNo: 'H9', helperId: 'HELPER2' })))).toEqual(['城关镇']);
  });
  it('a finding with its own township keeps it; one concerning no township says why', () => {
    expect(router.route(f({ rule: 'ID-03', householdNo: 'H1', region: { county: '测试县', township: '城关镇', village: '一村' } }))).toEqual({ routes: [] });
    const none = router.route(f({ helperId: 'NOBODY' }));
    expect(none.routes).toEqual([]);
    expect(none.unrouted).toContain('没有结对有乡镇信息的户');
    expect(router.route(f({ rule: 'FILE-04', at: at('坏.xlsx', 1) })).unrouted).toContain('文件无法读取');
  });
});
