// The command line as a user runs it: the compiled bin (npm test builds first), exit codes,
// outputs, and logs that never carry an unmasked ID number or phone.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQingxi } from '../helpers/cli.js';
import { SPEC_RULE_IDS } from '../helpers/spec-rules.js';

const tmp = mkdtempSync(join(tmpdir(), 'qingxi-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const qingxi = (args: string[], env: Record<string, string> = {}) => runQingxi(args, { logLevel: 'debug', env });

const ALL_IDS = SPEC_RULE_IDS;

describe('qingxi rules', () => {
  it('lists every rule id of the SPEC with a Chinese title', () => {
    const r = qingxi(['rules', '--json']);
    expect(r.code).toBe(0);
    const rules = JSON.parse(r.stdout) as { id: string; title: string; explain: string }[];
    expect(rules.map((x) => x.id).sort()).toEqual([...ALL_IDS].sort());
    for (const x of rules) {
      expect(x.title, x.id).toMatch(/[\u4e00-\u9fff]/);
      expect(x.explain.length, x.id).toBeGreaterThan(10);
    }
  });

  it('--json carries codes with templates, thresholds as JSON Schema with defaults, and examples with their messages', () => {
    const r = qingxi(['rules', '--json']);
    type Entry = {
      id: string;
      reads: string[];
      codes: { code: string; template: string }[];
      thresholds: { properties: Record<string, { default?: unknown }> } | null;
      examples: { valid: { note: string; findings: unknown[] }[]; invalid: { note: string; codes: string[]; findings: { code: string; message: string }[] }[] };
    };
    const rules = JSON.parse(r.stdout) as Entry[];
    const proj03 = rules.find((x) => x.id === 'PROJ-03')!;
    expect(proj03.reads).toEqual(['projects']);
    expect(proj03.codes).toContainEqual({ code: 'url_missing', template: '{项目}未填写公示公告网址' });
    expect(proj03.thresholds).toBeNull();
    expect(proj03.examples.valid[0]!.findings).toEqual([]);
    const invalid = proj03.examples.invalid[0]!;
    expect(invalid.findings.map((f) => f.code).sort()).toEqual([...invalid.codes].sort());
    expect(invalid.findings.map((f) => f.message)).toContain('项目P2019001（村道硬化）的公示公告网址“www.example.gov.cn/gs/1.html”缺少“http://”或“https://”，应为http://www.example.gov.cn/gs/1.html');
    const pair07 = rules.find((x) => x.id === 'PAIR-07')!;
    expect(pair07.thresholds!.properties['maxHouseholdsPerHelper']!.default).toBe(3);
    expect(pair07.thresholds!.properties['perRank']!.default).toEqual({});
  });

  it('shows thresholds and problem codes with their templates in Chinese', () => {
    const r = qingxi(['rules']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PAIR-07\t结对关系\t错误\t一人帮扶户数过多\n\t可调参数：maxHouseholdsPerHelper（整数，大于 0；默认 3）；perRank（键值表，每项的值为整数，大于 0；默认 {}）\n');
    expect(r.stdout).toContain('\t问题代码 notice_amount_missing：{项目}未填写公示资金数额\n');
    expect(r.stdout).toContain('共 53 条规则');
  });
});

describe('qingxi check on the committed samples', () => {
  const out = join(tmp, 'demo');
  let run: ReturnType<typeof qingxi>;
  beforeAll(() => {
    run = qingxi(['check', 'samples/township', '--as-of', '2020-04-30', '--out', out]);
  });

  it('exits 0 and prints a Chinese summary', () => {
    expect(run.stderr.split('\n').filter((l) => l.startsWith('{') && l.includes('"level":50'))).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('检查完成');
    expect(run.stdout).toMatch(/发现问题 \d+ 条/);
  });

  it('writes findings.jsonl with the SPEC fields and unique fingerprints', () => {
    const lines = readFileSync(join(out, 'findings.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(50);
    const recs = lines.map((l) => JSON.parse(l));
    for (const k of ['rule', 'family', 'severity', 'title', 'message', 'table', 'file', 'sheet', 'row', 'county', 'township', 'village', 'household_no', 'id_number', 'helper_id', 'project_no', 'field', 'value', 'expected', 'related', 'fingerprint'])
      expect(recs[0]).toHaveProperty(k);
    expect(new Set(recs.map((r) => r.fingerprint)).size).toBe(recs.length);
  });

  it('accounts for every physical row of every sheet in exactly one bucket', () => {
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.inputs.length).toBeGreaterThan(3);
    for (const f of s.inputs) {
      for (const sh of f.sheets) {
        const b = sh.buckets;
        const total = b.title + b.header + b.instruction + b.data + b.blank + b.footer + b.rejected + b.unrecognised;
        expect(total, `${f.file} ${sh.sheet}`).toBe(sh.physicalRows);
      }
    }
    expect(s.villages.length).toBeGreaterThan(1);
    for (const v of s.villages) expect(v.score).toBeGreaterThanOrEqual(0);
  });

  it('writes at least one 整改台账 workbook', () => {
    expect(readdirSync(out).filter((f) => f.startsWith('整改台账') && f.endsWith('.xlsx')).length).toBeGreaterThan(0);
  });

  it('never logs an unmasked ID number or mobile phone', () => {
    const logLines = run.stderr.split('\n').filter((l) => l.trim().startsWith('{'));
    expect(logLines.length).toBeGreaterThan(3);
    for (const l of logLines) {
      expect(l).not.toMatch(/(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/);
      expect(l).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
      expect(l).not.toMatch(/(?<!\d)\d{15}(?!\d)/);
    }
  });

  it('gives identical findings whatever the concurrency', () => {
    const out1 = join(tmp, 'c1');
    const r = qingxi(['check', 'samples/township', '--as-of', '2020-04-30', '--out', out1, '--concurrency', '1']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(out1, 'findings.jsonl'), 'utf8')).toBe(readFileSync(join(out, 'findings.jsonl'), 'utf8'));
  });
});

describe('exit codes', () => {
  it('1 when --fail-on error matches', () => {
    const r = qingxi(['check', 'samples/township', '--as-of', '2020-04-30', '--out', join(tmp, 'f'), '--fail-on', 'error']);
    expect(r.code).toBe(1);
  });

  it('2 on bad usage, a missing input, a bad date or a bad config', () => {
    expect(qingxi(['check']).code).toBe(2);
    expect(qingxi(['check', 'no/such/dir', '--out', join(tmp, 'x')]).code).toBe(2);
    expect(qingxi(['check', 'samples/township', '--out', join(tmp, 'x'), '--as-of', '2020-02-30']).code).toBe(2);
    const cfg = join(tmp, 'bad.json');
    writeFileSync(cfg, JSON.stringify({ rules: { 'PAIR-07': { maxHouseholdsPerHelper: 'three' } } }));
    const r = qingxi(['check', 'samples/township', '--out', join(tmp, 'x'), '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('配置文件有误');
    expect(qingxi(['frobnicate']).code).toBe(2);
  });

  it('2 when nothing at all could be read, with FILE-04 findings written', () => {
    const dir = join(tmp, 'junk');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'broken.xlsx'), 'PK\u0003\u0004 this is not a zip');
    writeFileSync(join(dir, 'empty.csv'), '');
    const out = join(tmp, 'junk-out');
    const r = qingxi(['check', dir, '--out', out, '--as-of', '2020-04-30']);
    expect(r.code).toBe(2);
    const recs = readFileSync(join(out, 'findings.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(recs.filter((x) => x.rule === 'FILE-04').map((x) => x.file).sort()).toEqual(['broken.xlsx', 'empty.csv']);
    for (const x of recs) expect(x.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('0 when one file is unreadable but others are read', () => {
    const dir = join(tmp, 'mixed');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'broken.xlsx'), 'not a workbook at all');
    writeFileSync(
      join(dir, 'members.csv'),
      '\ufeff县,乡镇,村,户编号,姓名,证件号码,与户主关系,性别\n某县,某镇,某村,H001,张三,11010519491231002X,户主,女\n',
    );
    const out = join(tmp, 'mixed-out');
    const r = qingxi(['check', dir, '--out', out, '--as-of', '2020-04-30']);
    expect(r.code).toBe(0);
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
  });
});
