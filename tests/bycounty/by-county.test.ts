// A province folder checked county by county (--by-county) gives the findings, summary, file
// accounting and 户主 names of checking the whole folder at once, byte for byte, when the counties'
// data relate only through ID numbers (as a province's county exports do): a person in two counties
// is one ID-08 finding over all places, the county's own finding on that number replaced (and routed
// to the other county's townships too, for their 整改台账).
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck, type CheckOutcome } from '../../src/pipeline.js';
import { runCheckByCounty, countiesOf } from '../../src/bycounty/run.js';
import { checkCounty } from '../../src/bycounty/county-check.js';
import { countyWorkerScript } from '../../src/bycounty/county-pool.js';
import { loadConfigFile } from '../../src/config.js';
import { RULES } from '../../validators/index.js';
import { toRecord } from '../../src/outputs/findings.js';
import { UsageError } from '../../src/core/errors.js';
import { generateProvince } from '../../scripts/province-gen.js';

const tmp = mkdtempSync(join(tmpdir(), 'qingxi-bycounty-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const province = await generateProvince({ outDir: join(tmp, 'p'), members: 6000, counties: 3, formats: ['csv'] });
const dir = province.written.csv!.dir;
// folder names whose whole-folder reading order is not their name order: '长沙-乙/…' sorts before
// '长沙/…' ('-' < '/'), while the name '长沙' sorts before '长沙-乙'
renameSync(join(dir, '001-芙蓉区'), join(dir, '长沙'));
renameSync(join(dir, '002-天心区'), join(dir, '长沙-乙'));
const membersFile = (county: string, name: string) => join(dir, county, `${name}成员信息.csv`);
const firstMember = (file: string) => readFileSync(file, 'utf8').split('\r\n')[2]!.split(',');
const header = readFileSync(membersFile('长沙', '芙蓉区'), 'utf8').split('\r\n')[1]!;
// X: the first person of 长沙, registered again in 长沙 (another household) and in 003-岳麓区
const x = firstMember(membersFile('长沙', '芙蓉区'))[5]!;
const row = (county: string, township: string, village: string, householdNo: string, name: string, id: string) =>
  `${county},${township},${village},${householdNo},${name},${id},男,${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)},户主,汉族,初中,非在校生,健康,普通劳动力,无,0,是,是,\r\n`;
appendFileSync(membersFile('长沙', '芙蓉区'), row('芙蓉区', '安乐镇', '红岭村', '43010299990001', '李四', x));
appendFileSync(membersFile('003-岳麓区', '岳麓区'), row('岳麓区', '安乐镇', '红岭村', '43010499990001', '李四', x));

const config = loadConfigFile(undefined, RULES);
const opts = { paths: [dir], asOf: '2020-04-30', config };

function shape(r: CheckOutcome) {
  return {
    jsonl: r.findings.map((f) => JSON.stringify(toRecord(f)) + '\n').join(''),
    files: JSON.stringify(r.files),
    summary: JSON.stringify({ ...r.summary, timings: undefined, crossProfile: undefined, generatedAt: undefined }),
    heads: JSON.stringify([...new Set(r.findings.map((f) => f.householdNo ?? ''))].map((no) => [no, r.headOf(no) ?? null])),
  };
}

const whole = await runCheck(opts);
const wholeShape = shape(whole);

describe('check --by-county', () => {
  it('takes the counties in the order a whole-folder run reads their files', async () => {
    const counties = await countiesOf(dir);
    expect(counties.map((c) => c.name)).toEqual(['003-岳麓区', '长沙-乙', '长沙']);
    expect(counties.map((c) => c.files.length)).toEqual([8, 8, 8]);
  });

  it('the compiled county worker exists (npm test builds it first)', () => {
    expect(countyWorkerScript(), 'dist/src/bycounty/county-worker.js missing: run `npx tsc -p tsconfig.json` first').toBeDefined();
  });

  it.each([1, 2])('gives the whole-folder findings, summary and 户主 names byte for byte (threads %i)', { timeout: 300_000 }, async (threads) => {
    const byCounty = shape(await runCheckByCounty({ ...opts, threads }));
    expect(wholeShape.jsonl.split('\n').length).toBeGreaterThan(1000);
    expect(byCounty.jsonl).toBe(wholeShape.jsonl);
    expect(byCounty.files).toBe(wholeShape.files);
    expect(byCounty.summary).toBe(wholeShape.summary);
    expect(byCounty.heads).toBe(wholeShape.heads);
  });

  it('reports a person in two counties once, over every place (the county finding on the number replaced)', async () => {
    const r = await runCheckByCounty({ ...opts, threads: 1 });
    const onX = r.findings.filter((f) => f.rule === 'ID-08' && f.groupKey === x);
    expect(onX).toHaveLength(1);
    expect(onX[0]!.params).toMatchObject({ count: 3, households: 3, counties: 2 });
    // the first place in reading order ('0' sorts before '长'); the two in 长沙 in `related`
    expect(onX[0]!.at?.file).toBe('003-岳麓区/岳麓区成员信息.csv');
    expect(onX[0]!.related).toHaveLength(2);
    expect(onX[0]!.related!.every((p) => p.startsWith('长沙/芙蓉区成员信息.csv'))).toBe(true);
    // its 整改台账 rows: its own township's, and those of the other county's townships it lies in
    expect(onX[0]!.region?.county).toBe('岳麓区');
    expect(onX[0]!.routes?.length).toBeGreaterThanOrEqual(1);
    expect(onX[0]!.routes!.every((r) => r.county === '芙蓉区' && r.township)).toBe(true);
    expect(onX[0]!.routes!.some((r) => r.township === '安乐镇')).toBe(true);
    expect(r.summary.timings?.['rowsReadBack']).toBeGreaterThanOrEqual(3);
  });

  it('checks the files lying directly in the folder as one more unit, their ID numbers still compared with every county', async () => {
    // Y: the first person of 长沙-乙, also in a loose file. Z: in two loose files, one of which sorts
    // before every county ('-' < '3'), the other after. (Checked as their own unit, the loose files
    // have no pairing table: a whole-folder run would also report their households as not paired —
    // why they come last in this test file.)
    const y = firstMember(membersFile('长沙-乙', '天心区'))[5]!;
    const z = firstMember(membersFile('长沙', '芙蓉区'))[5]!.slice(0, 17) + '0';
    writeFileSync(join(dir, '零散成员.csv'), `${header}\r\n${row('天心区', '安乐镇', '红岭村', '43010399990002', '王五', y)}${row('天心区', '安乐镇', '红岭村', '43010399990003', '赵六', z)}`);
    writeFileSync(join(dir, '00-零散成员.csv'), `${header}\r\n${row('天心区', '安乐镇', '红岭村', '43010399990004', '钱七', z)}`);
    const counties = await countiesOf(dir);
    expect(counties.map((c) => c.name)).toEqual(['', '003-岳麓区', '长沙-乙', '长沙']);
    expect(counties[0]!.files).toEqual(['00-零散成员.csv', '零散成员.csv']);
    const r = await runCheckByCounty({ ...opts, threads: 1 });
    const onY = r.findings.filter((f) => f.rule === 'ID-08' && f.groupKey === y);
    expect(onY).toHaveLength(1);
    expect(onY[0]!.at?.file).toBe('长沙-乙/天心区成员信息.csv');
    expect(onY[0]!.related).toEqual(['零散成员.csv / 第2行 / 户编号 43010399990002 / 王五']);
    // Z is read first in 00-零散成员.csv, then in 零散成员.csv (same unit, but 长沙-乙 and 长沙 lie between)
    const onZ = r.findings.filter((f) => f.rule === 'ID-08' && f.groupKey === z);
    expect(onZ.map((f) => [f.at?.file, f.related])).toEqual([['00-零散成员.csv', ['零散成员.csv / 第3行 / 户编号 43010399990003 / 赵六']]]);
    // files listed in reading order
    const names = r.files.map((f) => f.file);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('零散成员.csv');
  });

  it('reports the files of a county whose check broke off, and keeps the other counties', async () => {
    const r = await runCheckByCounty({ ...opts, threads: 1 }, async (job, progress) => {
      if (job.displayPrefix === '长沙-乙/') throw new Error('worker out of memory');
      return checkCounty(job, progress);
    });
    const broken = r.files.filter((f) => f.file.startsWith('长沙-乙/'));
    expect(broken).toHaveLength(8);
    expect(broken.every((f) => !f.readable && f.error!.includes('内存不足'))).toBe(true);
    const file04 = r.findings.filter((f) => f.rule === 'FILE-04' && f.at?.file.startsWith('长沙-乙/'));
    expect(file04).toHaveLength(8);
    expect(file04[0]!.message).toContain('内部错误');
    expect(r.findings.some((f) => f.at?.file.startsWith('长沙/'))).toBe(true);
    expect(r.nothingRead).toBe(false);
  });

  it('removes the spill folders of killed runs, and its own when done, never a live run\'s', async () => {
    let dead = 4_000_000;
    const isAlive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'EPERM';
      }
    };
    while (isAlive(dead)) dead++;
    const stale = join(tmpdir(), `qingxi-bycounty-${dead}-stale`);
    const live = join(tmpdir(), `qingxi-bycounty-${process.ppid}-live`);
    mkdirSync(stale, { recursive: true });
    writeFileSync(join(stale, 'county-0.spill'), 'x');
    mkdirSync(live, { recursive: true });
    // this process's own folders only: other test files run --by-county at the same time
    const own = `qingxi-bycounty-${process.pid}-`;
    const before = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith(own)));
    await runCheckByCounty({ ...opts, threads: 1 });
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    rmSync(live, { recursive: true, force: true });
    const after = readdirSync(tmpdir()).filter((n) => n.startsWith(own) && !before.has(n));
    expect(after).toEqual([]);
  });

  it('needs one folder', async () => {
    await expect(runCheckByCounty({ ...opts, paths: [membersFile('长沙', '芙蓉区')] })).rejects.toThrow(UsageError);
    await expect(runCheckByCounty({ ...opts, paths: [dir, dir] })).rejects.toThrow(/只需要一个文件夹/);
  });
});
