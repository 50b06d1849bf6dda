// exceljs must always be loaded through src/exceljs.ts, which fixes multi-byte text split across
// chunks in its streaming reader. This test proves the fix on a real file and enforces the import.
import { readdirSync, readFileSync, statSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import ExcelJS from '../../src/exceljs.js';

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

describe('exceljs loading', () => {
  it('is imported only through src/exceljs.ts', () => {
    const offenders = ['src', 'validators', 'scripts', 'tests']
      .flatMap((d) => files(d))
      .filter((p) => !p.endsWith('src/exceljs.ts'))
      .filter((p) => /from\s+['"]exceljs['"]|require\(\s*['"]exceljs['"]\s*\)/.test(readFileSync(p, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('streams back every Chinese character of a large shared-strings table intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qingxi-exceljs-'));
    try {
      const path = join(dir, 'many.xlsx');
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('成员');
      const names: string[] = [];
      const chars = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
      for (let i = 0; i < 20000; i++) {
        const name = chars[i % chars.length]! + chars[(i * 7) % chars.length]! + chars[(i * 13) % chars.length]! + i;
        names.push(name);
        ws.addRow([name, '湖南省邵阳市隆回县司门前镇' + i]);
      }
      await wb.xlsx.writeFile(path);
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', worksheets: 'emit', styles: 'ignore', hyperlinks: 'ignore', entries: 'ignore' });
      const got: string[] = [];
      for await (const sheet of reader) for await (const row of sheet) got.push(String((row.values as unknown[])[1]));
      expect(got.filter((s) => s.includes('\ufffd'))).toEqual([]);
      expect(got).toEqual(names);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
