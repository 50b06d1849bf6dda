// Config `columns`: a layout header detection alone cannot read (an English-coded export, headers
// 字段1/字段2…) gets FILE-01 without config and correct findings with it; Chinese validation errors.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config.js';
import { runCheck } from '../../src/pipeline.js';
import { RULES } from '../../validators/index.js';
import { matchColumns } from '../../src/ingest/columns.js';
import { tmpDir } from '../ingest/helpers.js';

/** An 18-digit ID with its GB 11643 check digit. */
function withCheck(id17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const s = [...id17].reduce((a, c, i) => a + Number(c) * w[i]!, 0);
  return id17 + '10X98765432'[s % 11]!;
}
const HEAD = withCheck('43052419700101123');
const WIFE = withCheck('43052419720202124');
const BAD = '430524199001011230'; // planted: check digit wrong unless it happens to be right
const badIsBad = withCheck(BAD.slice(0, 17)) !== BAD;

function codedExport(): string {
  const dir = tmpDir();
  writeFileSync(
    join(dir, '成员导出.csv'),
    ['hh_no,xm,sfzh,yhzgx,xb', `H001,张三,${HEAD},户主,男`, `H001,李四,${WIFE},配偶,女`, `H002,王五,${BAD},户主,男`].join('\n') + '\n',
  );
  return dir;
}

const COLUMNS = {
  columns: [
    {
      file: '*成员导出*.csv',
      table: 'members',
      headerRows: 1,
      fields: { hh_no: 'household_no', xm: '姓名', sfzh: 'id_number', yhzgx: 'relation', xb: 'gender' },
    },
  ],
};

describe('config columns on an English-coded export', () => {
  it('without config: FILE-01 only, nothing read; with config: the sheet is read and the planted defect found', async () => {
    expect(badIsBad).toBe(true);
    const dir = codedExport();
    const plain = await runCheck({ paths: [dir], asOf: '2020-04-30', config: resolveConfig({}, RULES) });
    expect(plain.findings.map((f) => f.rule)).toEqual(['FILE-01']);
    expect(plain.nothingRead).toBe(true);
    expect(plain.findings[0]!.message).toContain('qingxi inspect');

    const forced = await runCheck({ paths: [dir], asOf: '2020-04-30', config: resolveConfig(COLUMNS, RULES) });
    expect(forced.nothingRead).toBe(false);
    const rules = forced.findings.map((f) => f.rule);
    expect(rules).not.toContain('FILE-01');
    expect(rules).not.toContain('FILE-02');
    expect(rules).not.toContain('FILE-05');
    const id03 = forced.findings.filter((f) => f.rule === 'ID-03');
    expect(id03).toHaveLength(1);
    expect(JSON.stringify(id03[0])).toContain(BAD);
    // clean rows give no error: no BASE-03 (one head each), no ID finding on the two valid numbers
    expect(forced.findings.filter((f) => f.severity === 'error' && f.rule !== 'ID-03')).toEqual([]);
    // summary.json: the sheet's bindings and where they came from
    const sheet = forced.summary.inputs[0]!.sheets[0]!;
    expect(sheet.origin).toBe('forced');
    expect(sheet.columnsEntry).toBe(1);
    expect(sheet.tables).toEqual(['members']);
    expect(sheet.bindings).toEqual([
      { col: 'A', header: 'hh_no', table: 'members', field: 'household_no' },
      { col: 'B', header: 'xm', table: 'members', field: 'name' },
      { col: 'C', header: 'sfzh', table: 'members', field: 'id_number' },
      { col: 'D', header: 'yhzgx', table: 'members', field: 'relation' },
      { col: 'E', header: 'xb', table: 'members', field: 'gender' },
    ]);
    expect(plain.summary.inputs[0]!.sheets[0]!.origin).toBe('detected');
  });

  it('headers 字段1/字段2… bound by column letter under a title row, in a sheet matched by name', async () => {
    const ExcelJS = (await import('../../src/exceljs.js')).default;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.addRow(['某系统导出']);
    ws.addRow(['字段1', '字段2', '字段3', '字段4']);
    ws.addRow(['H001', '张三', HEAD, '户主']);
    ws.addRow(['H001', '李四', WIFE, '配偶']);
    const dir = tmpDir();
    await wb.xlsx.writeFile(join(dir, '导出数据.xlsx'));
    const config = resolveConfig(
      { columns: [{ file: '*.xlsx', sheet: 'sheet1', headerRows: [2], fields: { A: 'householdNo', B: 'name', C: 'idNumber', D: 'relation' } }] },
      RULES,
    );
    const r = await runCheck({ paths: [dir], asOf: '2020-04-30', config });
    const s = r.summary.inputs[0]!.sheets[0]!;
    expect(s.tables).toContain('members');
    expect(s.headerRows).toEqual([2]);
    expect(s.buckets.data).toBe(2);
    expect(s.buckets.title).toBe(1);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('an empty field value ignores the column', () => {
  it('a column detection binds is dropped when the config maps it to ""', async () => {
    const dir = tmpDir();
    writeFileSync(join(dir, '成员.csv'), ['户编号,姓名,证件号码,与户主关系,性别', `H001,张三,${HEAD},户主,女`].join('\n') + '\n');
    const plain = await runCheck({ paths: [dir], asOf: '2020-04-30', config: resolveConfig({}, RULES) });
    expect(plain.findings.map((f) => f.rule)).toContain('ID-06'); // 性别 disagrees with the ID
    const cfg = resolveConfig({ columns: [{ file: '成员.csv', fields: { 性别: '' } }] }, RULES);
    const r = await runCheck({ paths: [dir], asOf: '2020-04-30', config: cfg });
    expect(r.findings.map((f) => f.rule)).not.toContain('ID-06');
    expect(r.summary.inputs[0]!.sheets[0]!.bindings!.map((b) => b.header)).not.toContain('性别');
  });
});

describe('config columns forces the 与户主关系 code list', () => {
  it('recorded in summary.json as forced; without it the column decides', async () => {
    const dir = tmpDir();
    writeFileSync(
      join(dir, '成员.csv'),
      ['户编号,姓名,证件号码,与户主关系', `H001,张三,${HEAD},01`, `H001,李四,${WIFE},02`].join('\n') + '\n',
    );
    const auto = await runCheck({ paths: [dir], asOf: '2020-04-30', config: resolveConfig({}, RULES) });
    const autoDialect = auto.summary.inputs[0]!.sheets[0]!.dialects?.['relation'];
    expect(autoDialect?.forced).toBeUndefined();
    const forcedTo = autoDialect?.dialect === 'national' ? 'gbt4761' : 'national';
    const forced = await runCheck({
      paths: [dir],
      asOf: '2020-04-30',
      config: resolveConfig({ columns: [{ file: '成员.csv', relationCodes: forcedTo }] }, RULES),
    });
    const s = forced.summary.inputs[0]!.sheets[0]!;
    expect(s.dialects?.['relation']).toMatchObject({ dialect: forcedTo, forced: true });
    expect(s.origin).toBe('forced');
  });
});

describe('matching entries by file and sheet name', () => {
  const cfg = resolveConfig(
    {
      columns: [
        { file: '*结对*.xlsx', sheet: 'Sheet?', table: 'pairings' },
        { file: '乡镇/*.csv', table: '家庭成员' },
      ],
    },
    RULES,
  );
  it('globs on the file name or its path; sheet names case-insensitive; first entry wins', () => {
    expect(matchColumns(cfg.columns, '某镇结对帮扶.xlsx', 'Sheet1')?.entry.index).toBe(1);
    expect(matchColumns(cfg.columns, 'a/b/2020结对.XLSX', 'sheet2')?.entry.index).toBe(1);
    expect(matchColumns(cfg.columns, '某镇结对帮扶.xlsx', '汇总')).toBeUndefined();
    expect(matchColumns(cfg.columns, '乡镇/成员.csv', undefined)?.override.tables).toEqual(['members']);
    expect(matchColumns(cfg.columns, '成员.csv', undefined)).toBeUndefined();
    const win = resolveConfig({ columns: [{ file: '乡镇\\*.csv', table: 'members' }] }, RULES);
    expect(matchColumns(win.columns, '乡镇/成员.csv', undefined)?.entry.index).toBe(1);
  });
});

describe('validation errors are Chinese and name the entry and key', () => {
  const err = (columns: unknown) => {
    try {
      resolveConfig({ columns }, RULES);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error('no error');
  };
  it('unknown field → nearest suggestion', () => {
    const m = err([{ file: 'a.xlsx', fields: { sfz: 'id_numbr' } }]);
    expect(m).toContain('columns[0]');
    expect(m).toContain('「sfz」');
    expect(m).toContain('id_numbr');
    expect(m).toMatch(/是不是 id_number/);
  });
  it('unknown table, non-consecutive header rows, unknown key, nothing forced, bad code list', () => {
    expect(err([{ table: '结对' }])).toMatch(/columns\[0\]\.table: 不认识的表“结对”.*pairings（结对帮扶）/);
    expect(err([{ headerRows: [1, 3] }])).toContain('应为连续的行');
    expect(err([{ table: 'members', colums: {} }])).toContain('不认识的配置项“colums”');
    expect(err([{ file: 'x.xlsx' }])).toContain('至少要指定');
    expect(err([{ relationCodes: 'abc' }])).toMatch(/national[\s\S]*gbt4761/);
    expect(err([{ headerRows: [1, 2, 3, 4] }])).toMatch(/columns\.0\.headerRows[:：] ?.*1–3 个连续行号/);
  });
  it('limits.xlsMaxBytes: default 50 MB, overridable, validated', () => {
    expect(resolveConfig({}, RULES).limits.xlsMaxBytes).toBe(50 * 1024 * 1024);
    expect(resolveConfig({ limits: { xlsMaxBytes: 1000 } }, RULES).limits.xlsMaxBytes).toBe(1000);
    expect(() => resolveConfig({ limits: { xlsMaxBytes: -1 } }, RULES)).toThrow(/limits\.xlsMaxBytes：\.xls 等旧格式文件字节数上限应为正整数/);
  });
});
