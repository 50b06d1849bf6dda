// `qingxi inspect` as a user runs it (compiled bin): what check would read, unbound headers with
// their nearest fields, and a columns snippet that — pasted into a config — makes check read it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runQingxi } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'qingxi-inspect-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const qingxi = (args: string[]) => runQingxi(args, { timeoutMs: 120_000 });

interface Report {
  files: {
    file: string;
    sheets: {
      sheet?: string;
      recognised: boolean;
      origin: string;
      tables: string[];
      guessTable?: string;
      headerRows: number[];
      bindings: { col: string; header: string; table: string; field: string }[];
      unbound: { col: string; header: string; nearest: { field: string }[] }[];
      messages: string[];
      snippet: { file: string; table: string; headerRows: number; fields: Record<string, string> };
    }[];
  }[];
}

describe('qingxi inspect', () => {
  it('a recognised sample: every header → field binding, in Chinese and as JSON', () => {
    const text = qingxi(['inspect', 'samples/township/帮扶责任人.xlsx']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('工作表「帮扶责任人」：识别为 帮扶责任人（helpers）');
    expect(text.stdout).toContain('C「证件号码」→ 帮扶责任人.helper_id');
    const json = JSON.parse(qingxi(['inspect', 'samples/township/帮扶责任人.xlsx', '--json']).stdout) as Report;
    const s = json.files[0]!.sheets[0]!;
    expect(s.recognised).toBe(true);
    expect(s.origin).toBe('detected');
    expect(s.bindings.find((b) => b.col === 'C')).toEqual({ col: 'C', header: '证件号码', table: 'helpers', field: 'helper_id' });
  });

  it('an unreadable layout: nearest fields, the closest table, and a snippet that makes check read it', () => {
    const dir = join(tmp, 'coded');
    spawnSync('mkdir', ['-p', dir]);
    writeFileSync(join(dir, '导出.csv'), 'hh_no,xm,sfzh,yhzgx,备注说明\nH001,张三,43052419700101123X,户主,\nH001,李四,430524197202021240,配偶,\n');
    const r = qingxi(['inspect', dir, '--json']);
    expect(r.code).toBe(2); // nothing recognised
    const s = (JSON.parse(r.stdout) as Report).files[0]!.sheets[0]!;
    expect(s.recognised).toBe(false);
    expect(s.guessTable).toBe('members');
    expect(s.headerRows).toEqual([1]); // the coded header row, not the data row that contains 户主
    expect(s.unbound.map((u) => u.header)).toEqual(['hh_no', 'xm', 'sfzh', 'yhzgx', '备注说明']);
    // nearest fields: an abbreviated key (hh_no), pinyin initials (xm 姓名, sfzh 身份证号, yhzgx 与户主关系)
    expect(s.unbound.slice(0, 4).map((u) => u.nearest[0]!.field)).toEqual(['household_no', 'name', 'id_number', 'relation']);
    // the same facts as check's FILE-01
    expect(s.messages.join('')).toMatch(/家庭成员[\s\S]*缺少/);

    // the snippet lists every header; one with no near field is left empty (binds nothing)
    expect(s.snippet).toEqual({
      file: '导出.csv',
      table: 'members',
      headerRows: 1,
      fields: { hh_no: 'household_no', xm: 'name', sfzh: 'id_number', yhzgx: 'relation', 备注说明: '' },
    });
    // pasted as it is
    const entry = s.snippet;
    const cfg = join(tmp, 'config.json');
    writeFileSync(cfg, JSON.stringify({ columns: [entry] }));
    const again = JSON.parse(qingxi(['inspect', dir, '--json', '--config', cfg]).stdout) as Report;
    const t = again.files[0]!.sheets[0]!;
    expect(t.recognised).toBe(true);
    expect(t.origin).toBe('forced');
    expect(t.bindings.map((b) => `${b.header}→${b.field}`)).toEqual(['hh_no→household_no', 'xm→name', 'sfzh→id_number', 'yhzgx→relation']);

    const out = join(tmp, 'out');
    const check = qingxi(['check', dir, '--config', cfg, '--as-of', '2020-04-30', '--out', out]);
    expect(check.code).toBe(0);
    const findings = readFileSync(join(out, 'findings.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { rule: string });
    expect(findings.map((f) => f.rule)).not.toContain('FILE-01');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.inputs[0].sheets[0].origin).toBe('forced');
    expect(summary.inputs[0].sheets[0].bindings).toHaveLength(4);
  });

  it('a forced header row that is not there is pointed out', () => {
    const dir = join(tmp, 'far');
    spawnSync('mkdir', ['-p', dir]);
    writeFileSync(join(dir, '成员.csv'), '户编号,姓名,证件号码,与户主关系\nH001,张三,43052419700101123X,户主\n');
    const cfg = join(tmp, 'far.json');
    writeFileSync(cfg, JSON.stringify({ columns: [{ file: '成员.csv', headerRows: 40 }] }));
    const r = qingxi(['inspect', dir, '--config', cfg]);
    expect(r.stdout).toContain('配置 columns 第1项指定表头在第40行，但该行为空或不在表格前部');
    expect(r.stdout).toContain('实际按第1行读取');
  });

  it('a bad config is refused with exit code 2 and a Chinese message', () => {
    const cfg = join(tmp, 'bad.json');
    writeFileSync(cfg, JSON.stringify({ columns: [{ file: 'x', fields: { a: 'xingming' } }] }));
    const r = qingxi(['inspect', 'samples/township/帮扶责任人.xlsx', '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('配置文件有误：columns[0]');
  });
});
