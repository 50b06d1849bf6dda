import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import type { HelperRow, MemberRow } from '../../src/schema/rows.js';
import { buildStoredZip } from '../../src/ingest/zip.js';
import { FIXTURES, findingsOf, ingest, msg, rowsOf, writeTmp, writeXlsx } from './helpers.js';

const MEMBER_HEADER = ['户编号', '姓名', '证件号码', '与户主关系', '性别'];

describe('xlsx written by exceljs', () => {
  test('title rows, unknown columns, footer and trailing blank rows, numeric ID cells', async () => {
    const p = await writeXlsx({
      成员: [
        ['XX镇建档立卡贫困人口信息表'],
        ['导出时间:2020-03-01'],
        ['序号', '户编号', '姓名', '证件号码', '与户主关系', '性别', '出生日期', '备用1', '备用2'],
        [1, 'H001', '张三', 430524199001011234, '户主', '男', new Date(Date.UTC(1990, 0, 1)), 'x', null],
        [2, 'H001', '合计', '43052419920101124X', '之女', '女', '1992-01-01', null, 'y'],
        [],
        [3, 'H002', '王五', { formula: '"1101011980"&"01011237"', result: '110101198001011237' }, { richText: [{ text: '户' }, { text: '主' }] }, 1, 19800101],
        ['合计', null, '3人'],
        ['制表人：赵六', null, null, '审核人：钱七'],
        ['注：本表由系统导出'],
        [],
        [null, null, null, null, null, null, null, null, null],
        [],
      ],
    });
    const c = await ingest(p, '某镇/成员.xlsx');
    const s = c.acc.sheets[0]!;
    expect(c.acc.format).toBe('xlsx');
    expect(s.sheet).toBe('成员');
    expect(s.headerRows).toEqual([3]);
    expect(s.buckets).toMatchObject({ title: 2, header: 1, data: 3, footer: 3, rejected: 0, unrecognised: 0 });
    // row 6 is absent from the XML but still a physical row
    expect(s.physicalRows).toBe(10);
    expect(s.buckets.blank).toBe(1);
    const members = rowsOf(c, 'members') as MemberRow[];
    expect(members.map((r) => r.at.row)).toEqual([4, 5, 7]);
    expect(members[0]!.at).toEqual({ file: '某镇/成员.xlsx', sheet: '成员', row: 4 });
    // the ID typed as a number arrives as a numeric cell (digits already lost by Excel)
    expect(members[0]!.v.idNumber).toMatchObject({ numericCell: true });
    expect(members[0]!.v.birthDate).toEqual({ y: 1990, m: 1, d: 1 });
    // a member whose name happens to be 合计 is data: the row has a household number and an ID
    expect(members[1]!.v.name).toBe('合计');
    // formula → its result, rich text → joined text, code 1 → 男
    expect(members[2]!.v.idNumber).toMatchObject({ text: '110101198001011237', numericCell: false });
    expect(members[2]!.v.relation).toBe('户主');
    expect(members[2]!.v.gender).toBe('男');
    // unknown columns reported once, structural 序号 not at all
    const f05 = findingsOf(c, 'FILE-05');
    expect(f05).toHaveLength(1);
    expect(s.unknownColumns).toEqual(['H「备用1」', 'I「备用2」']);
    expect(msg(f05[0]!)).toContain('工作表「成员」');
    expect(msg(f05[0]!)).toContain('H「备用1」');
    expect(findingsOf(c, 'FILE-02')).toHaveLength(0);
    expect(c.progress.at(-1)).toBe(10);
  });

  test('headers with spaces, line breaks, full-width brackets, units and Traditional characters; any column order', async () => {
    const p = await writeXlsx({
      Sheet1: [
        ['與戶主關係', ' 證件號碼 ', '家庭人均\n纯收入（元）', '姓  名', '户 编 号', '务工时间（月）', '是否危房'],
        ['户主', '43052419900101123X', 5000, '张三', 'H001', 6, '是'],
      ],
    });
    const c = await ingest(p);
    const s = c.acc.sheets[0]!;
    expect(s.tables).toEqual(['members', 'households']);
    expect(findingsOf(c, 'FILE-05')).toHaveLength(0);
    const m = rowsOf(c, 'members')[0]!;
    expect(m.v).toMatchObject({ relation: '户主', name: '张三', householdNo: 'H001', workMonths: 6 });
    const h = rowsOf(c, 'households')[0]!;
    // 是否危房 = 是 is the inverse of housing_ok
    expect(h.v).toMatchObject({ householdNo: 'H001', incomePerCapita: 5000, housingOk: false });
    expect(m.sheet.fields.members?.has('workMonths')).toBe(true);
    expect(m.sheet.fields.households?.has('housingOk')).toBe(true);
    expect(m.sheet).toBe(h.sheet); // one SheetInfo per sheet
  });

  test('two-row header with merged group cells', async () => {
    const p = await writeXlsx(
      {
        贫困户: [
          ['XX村贫困户收入情况表'],
          ['户编号', '户主姓名', '收入情况', null, null, '三保障', null, null],
          [null, null, '工资性收入', '转移性收入', '人均纯收入（元）', '义务教育有保障', '基本医疗有保障', '住房安全有保障'],
          ['H001', '张三', 3000, 1200, 2100, '是', '否', '是'],
          ['H002', '李四', 0, 4500, 4500, '是', '是', '是'],
        ],
      },
      { merges: { 贫困户: ['A1:H1', 'A2:A3', 'B2:B3', 'C2:E2', 'F2:H2'] } },
    );
    const c = await ingest(p);
    const s = c.acc.sheets[0]!;
    expect(s.headerRows).toEqual([2, 3]);
    expect(s.tables).toEqual(['households']);
    expect(s.buckets).toMatchObject({ title: 1, header: 2, data: 2 });
    const rows = rowsOf(c, 'households');
    expect(rows[0]!.v).toMatchObject({ householdNo: 'H001', headName: '张三', incomeWage: 3000, incomeTransfer: 1200, incomePerCapita: 2100, educationOk: true, medicalOk: false });
    expect(findingsOf(c, 'FILE-05')).toHaveLength(0);
  });

  test('a group cell above generic headers makes them specific (帮扶责任人 / 姓名)', async () => {
    const p = await writeXlsx({
      结对: [
        ['户编号', '户主姓名', '帮扶责任人', null, null, '帮扶开始时间'],
        [null, null, '姓名', '证件号码', '帮扶单位', null],
        ['H001', '张三', '赵六', '110101198001011237', '县农业局', '2016-03-01'],
      ],
    });
    const c = await ingest(p);
    expect(c.acc.sheets[0]!.tables).toEqual(['pairings', 'helpers']);
    const pair = rowsOf(c, 'pairings')[0]!;
    expect(pair.v).toMatchObject({ householdNo: 'H001', helperName: '赵六', startOn: { y: 2016, m: 3, d: 1 } });
    expect(pair.v['helperId']).toMatchObject({ text: '110101198001011237' });
    const helper = rowsOf(c, 'helpers')[0] as HelperRow;
    expect(helper.viaPairing).toBe(true);
    expect(helper.v).toMatchObject({ helperName: '赵六', unit: '县农业局' });
  });

  test('multi-sheet workbook: different tables per sheet, FILE-01/FILE-02, empty sheet', async () => {
    const p = await writeXlsx({
      成员: [MEMBER_HEADER, ['H001', '张三', '43052419900101123X', '户主', '男']],
      项目库: [
        ['项目编号', '项目名称', '项目类别', '总投资（万元）', '项目状态'],
        ['P01', '村道硬化', '基础设施', 120, '已完工'],
      ],
      受益户: [
        ['项目编号', '户编号', '受益类型'],
        ['P01', 'H001', '直接受益'],
      ],
      驻村: [
        ['行政村', '姓名', '证件号码', '身份', '驻村开始时间'],
        ['红旗村', '孙八', '110101198501011232', '第一书记', '2018-01-01'],
      ],
      说明: [['本文件由系统导出，请勿修改'], ['联系人：李四']],
      重复列: [
        ['户编号', '姓名', '证件号码', '与户主关系', '身份证号码', '户编号'],
        ['H009', '周九', '110101199001011233', '户主', '110101199001019999', 'H999'],
      ],
      缺列: [
        ['户编号', '姓名', '与户主关系'],
        ['H010', '吴十', '户主'],
      ],
      空表: [],
    });
    const c = await ingest(p, 'book.xlsx');
    const byName = Object.fromEntries(c.acc.sheets.map((s) => [s.sheet, s]));
    expect(c.acc.sheets.map((s) => s.sheet)).toEqual(['成员', '项目库', '受益户', '驻村', '说明', '重复列', '缺列', '空表']);
    expect(byName['成员']!.tables).toEqual(['members']);
    expect(byName['项目库']!.tables).toEqual(['projects']);
    expect(byName['受益户']!.tables).toEqual(['beneficiaries']);
    expect(byName['驻村']!.tables).toEqual(['residencies']);
    expect(rowsOf(c, 'projects')[0]!.v).toMatchObject({ projectNo: 'P01', projectType: '基础设施', totalAmount: 120 });
    expect(rowsOf(c, 'beneficiaries')[0]!.v).toMatchObject({ projectNo: 'P01', householdNo: 'H001' });
    expect(rowsOf(c, 'residencies')[0]!.v).toMatchObject({ village: '红旗村', role: '第一书记' });

    // no header: FILE-01, rows unrecognised, nothing read
    const f01 = findingsOf(c, 'FILE-01');
    expect(f01).toHaveLength(1);
    expect(f01[0]!.at).toMatchObject({ file: 'book.xlsx', sheet: '说明' });
    expect(msg(f01[0]!)).toContain('工作表「说明」');
    expect(msg(f01[0]!)).toContain('2 行未读取');
    expect(byName['说明']!.buckets.unrecognised).toBe(2);
    expect(byName['说明']!.missingRequired.length).toBeGreaterThan(0);
    expect(byName['说明']!.headerGuess).toMatchObject({ row: 1, text: '本文件由系统导出，请勿修改' });
    expect(byName['说明']!.tables).toEqual([]);

    // duplicate: the first column is read, the letters are named
    const dup = findingsOf(c, 'FILE-02').filter((f) => f.at?.sheet === '重复列');
    expect(dup).toHaveLength(2);
    const dupMsgs = dup.map(msg).join('\n');
    expect(dupMsgs).toMatch(/C「证件号码」、E「身份证号码」/);
    expect(dupMsgs).toMatch(/A「户编号」、F「户编号」/);
    const m9 = (rowsOf(c, 'members') as MemberRow[]).find((r) => r.at.sheet === '重复列')!;
    expect(m9.v.householdNo).toBe('H009');
    expect(m9.v.idNumber?.text).toBe('110101199001011233');

    // missing required column: reported with its Chinese header, the rest is still read
    const miss = findingsOf(c, 'FILE-02').filter((f) => f.at?.sheet === '缺列');
    expect(miss).toHaveLength(1);
    expect(miss[0]!.table).toBe('members');
    expect(msg(miss[0]!)).toContain('「证件号码」');
    expect(byName['缺列']!.missingRequired).toEqual(['证件号码']);
    const m10 = (rowsOf(c, 'members') as MemberRow[]).find((r) => r.at.sheet === '缺列')!;
    expect(m10.v).toMatchObject({ householdNo: 'H010', name: '吴十' });
    expect(m10.sheet.fields.members?.has('idNumber')).toBe(false);

    // an empty sheet is accounted, not reported
    expect(byName['空表']!.physicalRows).toBe(0);
    expect(c.findings.filter((f) => f.at?.sheet === '空表')).toHaveLength(0);
  });

  test('户编号 and 户主姓名 merged down over a household\'s member rows reach every member row', async () => {
    const ExcelJS = (await import('../../src/exceljs.js')).default;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('成员');
    ws.addRows([
      ['户编号', '姓名', '证件号码', '与户主关系', '家庭人口数'],
      ['H001', '张三', '11010519491231002X', '户主', 3],
      [null, '李四', '440524188001010014', '配偶', null],
      [null, '张小', '110105201001010015', '之子', null],
      ['H002', '王五', '110101198001011237', '户主', 1],
    ]);
    ws.mergeCells('A2:A4');
    ws.mergeCells('E2:E4');
    const p = writeTmp('merged.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    const c = await ingest(p);
    const members = rowsOf(c, 'members') as MemberRow[];
    expect(members.map((m) => [m.v.name, m.v.householdNo])).toEqual([
      ['张三', 'H001'],
      ['李四', 'H001'],
      ['张小', 'H001'],
      ['王五', 'H002'],
    ]);
    expect(c.acc.sheets[0]!.buckets).toMatchObject({ header: 1, data: 4 });
  });

  test('a totals row carrying counts in the 户编号 column is a footer; a member named 合计 with an ID is data', async () => {
    const p = await writeXlsx({
      成员: [
        ['户编号', '姓名', '证件号码', '与户主关系'],
        ['H001', '张三', '11010519491231002X', '户主'],
        ['H002', '合计', '440524188001010014', '户主'],
        ['合计', 2, '2人', null],
        ['总计：', 30, 94, null],
      ],
    });
    const c = await ingest(p);
    const s = c.acc.sheets[0]!;
    expect(s.buckets).toMatchObject({ header: 1, data: 2, footer: 2 });
    expect((rowsOf(c, 'members') as MemberRow[]).map((r) => r.v.name)).toEqual(['张三', '合计']);
  });

  test('a header repeated further down is not data; footers in Traditional characters are footers', async () => {
    const c = await ingest(
      await writeXlsx({
        S: [
          MEMBER_HEADER,
          ['H001', '张三', '43052419900101123X', '户主', '男'],
          MEMBER_HEADER,
          ['H002', '李四', '110101198001011237', '户主', '女'],
          ['總計：2人'],
          ['製表人：王五', null, '審核人：趙六'],
          ['说明', null, '43052419920101124X', '之女', '女'], // an ID makes it data, whatever the first cell says
        ],
      }),
    );
    const s = c.acc.sheets[0]!;
    expect(s.headerRows).toEqual([1]);
    expect(s.buckets).toMatchObject({ header: 2, data: 3, footer: 2 });
    expect(rowsOf(c, 'members').map((r) => r.at.row)).toEqual([2, 4, 7]);
  });

  test('a sheet feeding members and households emits the member row right before its households row', async () => {
    const rows: (string | number)[][] = [['户编号', '姓名', '证件号码', '与户主关系', '贫困户属性', '脱贫标志', '家庭人口数']];
    for (let i = 0; i < 50; i++) rows.push([`H${Math.floor(i / 3)}`, `人${i}`, `43052419900101${String(1000 + i)}`, i % 3 ? '之子' : '户主', '一般贫困户', '未脱贫', 3]);
    const c = await ingest(await writeXlsx({ 户: rows }));
    expect(c.acc.sheets[0]!.tables).toEqual(['members', 'households']);
    expect(c.rows).toHaveLength(100);
    for (let i = 0; i < c.rows.length; i += 2) {
      expect(c.rows[i]!.table).toBe('members');
      expect(c.rows[i + 1]!.table).toBe('households');
      expect(c.rows[i + 1]!.at.row).toBe(c.rows[i]!.at.row);
    }
  });
});

describe('xlsx written by other programs (hand-made fixture)', () => {
  test('sheets before sharedStrings/styles/workbook.xml, inline strings, non-standard part names', async () => {
    const c = await ingest(join(FIXTURES, 'late-parts.xlsx'), 'late-parts.xlsx');
    // workbook order and names from workbook.xml, not zip order or part names
    expect(c.acc.sheets.map((s) => s.sheet)).toEqual(['户成员 & 信息', '结对帮扶', '空表']);
    const [m, p, e] = c.acc.sheets;
    expect(m!.tables).toEqual(['members', 'households']);
    expect(m!.headerRows).toEqual([3]);
    expect(m!.buckets).toEqual({ title: 1, header: 1, instruction: 0, data: 3, blank: 3, footer: 2, rejected: 0, unrecognised: 0 });
    const members = rowsOf(c, 'members') as MemberRow[];
    expect(members.map((r) => [r.at.sheet, r.at.row, r.v.name])).toEqual([
      ['户成员 & 信息', 4, '張三'], // names are kept as written (Traditional)
      ['户成员 & 信息', 5, '李四'], // shared rich text joined
      ['户成员 & 信息', 7, '王五'],
    ]);
    expect(members[0]!.v.idNumber).toMatchObject({ numericCell: true });
    expect(members[0]!.v.birthDate).toEqual({ y: 1990, m: 1, d: 1 }); // date style from styles.xml after the sheet
    expect(members[1]!.v.idNumber?.text).toBe('43052419900101123X');
    expect(members[2]!.v.idNumber?.text).toBe('110101198001011237'); // formula result (t="str")
    expect(members[2]!.bad?.birthDate).toBe('#N/A'); // error value → its text
    const hh = rowsOf(c, 'households');
    expect(hh.map((r) => r.v['incomePerCapita'])).toEqual([3500, 3500, 4000]);
    expect(m!.unknownColumns).toEqual(['G「說明欄」']);
    expect(p!.tables).toEqual(['pairings', 'helpers']);
    expect((rowsOf(c, 'helpers') as HelperRow[]).every((r) => r.viaPairing === true && r.at.sheet === '结对帮扶')).toBe(true);
    expect(rowsOf(c, 'pairings')[1]!.v['endOn']).toEqual({ y: 2018, m: 12, d: 31 });
    expect(e!.physicalRows).toBe(0);
    expect(findingsOf(c, 'FILE-01')).toHaveLength(0);
  });

  test('a sheet using the last Excel row (1,048,576) counts the absent rows as blank', async () => {
    const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const inl = (r: string, t: string) => `<c r="${r}" t="inlineStr"><is><t>${t}</t></is></c>`;
    const sheet = `<worksheet ${NS}><sheetData><row r="1">${inl('A1', '户编号')}${inl('B1', '姓名')}${inl('C1', '证件号码')}${inl('D1', '与户主关系')}</row><row r="1048576">${inl('A1048576', 'H001')}${inl('B1048576', '张三')}${inl('C1048576', '43052419900101123X')}${inl('D1048576', '户主')}</row></sheetData></worksheet>`;
    const zip = buildStoredZip([
      { name: 'xl/worksheets/sheet1.xml', data: sheet },
      {
        name: 'xl/workbook.xml',
        data: `<workbook ${NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="大表" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      },
      {
        name: 'xl/_rels/workbook.xml.rels',
        data: '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
      },
    ]);
    const c = await ingest(writeTmp('big.xlsx', zip));
    const s = c.acc.sheets[0]!;
    expect(s.sheet).toBe('大表');
    expect(s.physicalRows).toBe(1_048_576);
    expect(s.buckets).toMatchObject({ header: 1, data: 1, blank: 1_048_574 });
    expect(rowsOf(c, 'members')[0]!.at.row).toBe(1_048_576);
  });

  test('1904 date system declared in a workbook.xml stored after the sheet', async () => {
    const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const inl = (r: string, t: string) => `<c r="${r}" t="inlineStr"><is><t>${t}</t></is></c>`;
    const sheet = `<worksheet ${NS}><sheetData><row r="1">${inl('A1', '户编号')}${inl('B1', '姓名')}${inl('C1', '证件号码')}${inl('D1', '与户主关系')}${inl('E1', '出生日期')}</row><row r="2">${inl('A2', 'H001')}${inl('B2', '张三')}${inl('C2', '43052419900101123X')}${inl('D2', '户主')}<c r="E2" s="1"><v>31412</v></c></row></sheetData></worksheet>`;
    const styles = `<styleSheet ${NS}><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>`;
    const zip = buildStoredZip([
      { name: 'xl/worksheets/sheet1.xml', data: sheet },
      { name: 'xl/styles.xml', data: styles },
      {
        name: 'xl/workbook.xml',
        data: `<workbook ${NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr date1904="1"/><sheets><sheet name="Mac" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      },
      {
        name: 'xl/_rels/workbook.xml.rels',
        data: '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
      },
    ]);
    const c = await ingest(writeTmp('mac.xlsx', zip));
    expect(c.acc.sheets[0]!.sheet).toBe('Mac');
    expect((rowsOf(c, 'members')[0] as MemberRow).v.birthDate).toEqual({ y: 1990, m: 1, d: 1 });
  });
});
