// The 检验核查 result workbook: 说明 (what was checked, notes), 汇总 (per village: completion rate,
// score before and after), 未完成 (rows still open), 新发现问题 (fresh findings no workbook row
// names), 核查明细 (every row with its judgement). Streaming writer; every cell a value.
import ExcelJS from '../exceljs.js';
import type { ResolvedFinding } from '../model.js';
import { displayValue } from '../core/values.js';
import { newWorkbookWriter, printFindingCells, relatedText, SEVERITY_FILL, sourceText } from './workbook.js';
import { writePrintSheet, type PrintColumn, type PrintRow } from './print-layout.js';
import type { JudgedRow, Judgement, VillageVerification } from './verify.js';
import { rowHeightFor, textCell, wrappedLines } from './xlsx-text.js';

export interface VerifyWorkbookInput {
  asOf: string;
  checkedAt: string;
  corrections: string[]; // workbook file names
  sources: string[]; // fresh export files
  rows: JudgedRow[];
  villages: VillageVerification[];
  newFindings: ResolvedFinding[];
  notes: string[];
  headOf?: (householdNo: string) => string | undefined;
}

const FONT = { name: '宋体', size: 10 };
const THIN = { style: 'thin' as const, color: { argb: 'FFBFBFBF' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const fill = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });
const S_HEADER: Partial<ExcelJS.Style> = { font: { ...FONT, bold: true }, fill: fill('FFD9D9D9'), border: BORDER, alignment: { vertical: 'middle', horizontal: 'center', wrapText: true } };
const S_CELL: Partial<ExcelJS.Style> = { font: FONT, border: BORDER, alignment: { vertical: 'top', wrapText: true } };
const S_PCT: Partial<ExcelJS.Style> = { ...S_CELL, numFmt: '0.0%' };
const S_LABEL: Partial<ExcelJS.Style> = { font: { ...FONT, bold: true }, alignment: { vertical: 'top' } };
const S_PLAIN: Partial<ExcelJS.Style> = { font: FONT, alignment: { vertical: 'top', wrapText: true } };
const S_TITLE: Partial<ExcelJS.Style> = { font: { ...FONT, size: 14, bold: true } };
export const JUDGEMENT_HEADER = '核查结论';
const JUDGEMENT_FILL: Record<Judgement, string> = { 已整改: 'FFC6EFCE', 已说明: 'FFDDEBF7', 未整改: SEVERITY_FILL.error, 待核实: SEVERITY_FILL.suspect };
const PAGE: Partial<ExcelJS.PageSetup> = {
  paperSize: 9,
  orientation: 'landscape',
  fitToPage: true,
  fitToWidth: 1,
  fitToHeight: 0,
  printTitlesRow: '1:1',
  margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
};

type Cell = string | number | null;

function table(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  cols: { header: string; width: number }[],
  rows: Iterable<{ cells: Cell[]; styles?: (Partial<ExcelJS.Style> | undefined)[] }>,
): void {
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }],
    pageSetup: PAGE,
  });
  ws.columns = cols.map((c) => ({ width: c.width }));
  const head = ws.getRow(1);
  cols.forEach((c, i) => {
    head.getCell(i + 1).value = textCell(c.header);
    head.getCell(i + 1).style = S_HEADER;
  });
  head.commit();
  let n = 1;
  for (const r of rows) {
    const row = ws.addRow(r.cells.map((c) => (typeof c === 'string' ? textCell(c) : c)));
    let lines = 1;
    for (let i = 0; i < cols.length; i++) {
      row.getCell(i + 1).style = r.styles?.[i] ?? S_CELL;
      const v = r.cells[i];
      if (typeof v === 'string') lines = Math.max(lines, wrappedLines(v, cols[i]!.width));
    }
    const h = rowHeightFor(lines);
    if (h) row.height = h;
    row.commit();
    n++;
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: n, column: cols.length } };
  ws.commit();
}

// 未完成 and 核查明细 are laid out for A4 (print-layout.ts): several facts stacked in a cell, so
// the rows print at 10.5 pt instead of the 3 pt of a 21-column sheet fitted to the page width.
const ROW_COLS: PrintColumn[] = [
  { header: '台账 / 序号', width: 9 },
  { header: '村 / 户编号 / 户主', width: 15 },
  { header: '姓名 / 证件号码', width: 18 },
  { header: '问题', width: 20 },
  { header: '核实情况', width: 14 },
  { header: JUDGEMENT_HEADER, width: 7, center: true },
  // an 18-digit ID (新导出中的值) on one line
  { header: '说明', width: 17 },
  { header: '来源 / 相关位置', width: 12 },
];

/** 新发现问题: the finding laid out as on the 台账's 打印清单, without the clerk's columns. */
const NEW_COLS: PrintColumn[] = [
  { header: '序号', width: 4, center: true },
  { header: '村 / 户编号 / 户主', width: 15 },
  { header: '姓名 / 证件号码', width: 18 },
  { header: '问题', width: 35 },
  { header: '当前值 → 参考值', width: 20 },
  { header: '来源 / 相关位置', width: 20 },
];

function explain(j: JudgedRow): string {
  const base =
    j.judgement === '已整改'
      ? '新导出的数据中已没有这个问题'
      : j.judgement === '已说明'
        ? '核实为数据无误并已说明，以后的检查只作提示'
        : j.judgement === '未整改'
          ? '填了“已修正”，但新导出的数据中问题仍在，请检查是否已在系统中改正并重新导出'
          : j.row.result === '数据无误'
            ? '填了“数据无误”但备注为空，请写明依据'
            : j.row.result === '无法核实'
              ? '暂时无法核实，问题仍在'
              : j.row.rawResult
                ? `核实结果“${j.row.rawResult}”不是下拉框中的选项，问题仍在`
                : '未填写核实结果，问题仍在';
  return j.matchedBy === 'entity' ? base + '（台账缺少指纹列，按规则和户编号、证件号码对应）' : base;
}

function judgedRowCells(j: JudgedRow): PrintRow {
  const r = j.row;
  const source = r.source || (j.fresh ? sourceText(j.fresh) : '');
  const related = r.related || (j.fresh ? relatedText(j.fresh) : '');
  const fresh = j.fresh && j.fresh.value !== undefined ? displayValue(j.fresh.value) : '';
  const cells: PrintRow['cells'] = [
    [r.file, r.seq !== undefined ? `第${r.seq}条` : ''].filter(Boolean).join('\n'),
    [r.village, r.householdNo, r.head ? `户主 ${r.head}` : ''].filter(Boolean).join('\n'),
    [r.name, r.idNumber].filter(Boolean).join('\n'),
    [r.ruleText || r.rule, r.message ?? '', r.value ? `台账中的值：\n${r.value}` : ''].filter(Boolean).join('\n'),
    [
      r.rawResult ?? (r.result || '（未填写）'),
      r.corrected ? `修正为：\n${r.corrected}` : '',
      [r.verifier, r.verifiedOn].filter(Boolean).join(' '),
      r.remark ? `备注：${r.remark}` : '',
    ].filter(Boolean).join('\n'),
    j.judgement,
    explain(j) + (fresh ? `\n新导出中的值：\n${fresh}` : ''),
    [source, related ? `相关：${related}` : ''].filter(Boolean).join('\n'),
  ];
  const fills: PrintRow['fills'] = [];
  fills[5] = JUDGEMENT_FILL[j.judgement];
  return { cells, fills };
}

export async function writeVerifyWorkbook(path: string, input: VerifyWorkbookInput): Promise<void> {
  const wb = newWorkbookWriter(path, input.checkedAt);
  const counts: Record<Judgement, number> = { 已整改: 0, 未整改: 0, 已说明: 0, 待核实: 0 };
  for (const j of input.rows) counts[j.judgement]++;

  // 说明
  {
    const ws = wb.addWorksheet('说明', { views: [{ showGridLines: false }], pageSetup: { ...PAGE, printTitlesRow: undefined } });
    ws.columns = [{ width: 16 }, { width: 100 }];
    let r = 0;
    const line = (label: string, text: string, style = S_PLAIN) => {
      const row = ws.getRow(++r);
      row.getCell(1).value = textCell(label);
      row.getCell(1).style = S_LABEL;
      row.getCell(2).value = textCell(text);
      row.getCell(2).style = style;
        const h = rowHeightFor(wrappedLines(text, 100));
      if (h) row.height = h;
      row.commit();
    };
    const t = ws.getRow(++r);
    t.getCell(1).value = textCell('检验核查结果');
    t.getCell(1).style = S_TITLE;
    t.commit();
    r++;
    line('数据截止日期', input.asOf);
    line('核查时间', new Date(input.checkedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) + '（北京时间）');
    line('整改台账', input.corrections.join('\n'));
    line('新导出数据', input.sources.join('\n') || '（无）');
    const total = input.rows.length;
    const done = counts['已整改'] + counts['已说明'];
    line(
      '核查结果',
      `台账共 ${total} 条：已整改 ${counts['已整改']} 条，已说明 ${counts['已说明']} 条，未整改 ${counts['未整改']} 条，待核实 ${counts['待核实']} 条；` +
        `完成率 ${total ? ((done / total) * 100).toFixed(1) : '100.0'}%。新发现问题 ${input.newFindings.length} 条（台账中没有的问题，见“新发现问题”）。`,
    );
    line('结论含义', '已整改：新数据中问题已消失；未整改：填了“已修正”但问题仍在；已说明：填了“数据无误”并写了备注，以后的检查只作提示；待核实：其余仍存在的问题（无法核实、未填写、数据无误但没有备注）。');
    line('完成率', '完成率 =（已整改 + 已说明）÷ 台账问题数。整改前得分取自台账的“汇总”，整改后得分按新导出的数据计算（已说明的问题不再扣分）。');
    for (const n of input.notes) line('注意', n);
    ws.commit();
  }

  // 汇总
  table(
    wb,
    '汇总',
    [
      { header: '县', width: 12 },
      { header: '乡镇', width: 12 },
      { header: '村', width: 12 },
      { header: '台账问题数', width: 10 },
      { header: '已整改', width: 9.5 },
      { header: '已说明', width: 9.5 },
      { header: '未整改', width: 9.5 },
      { header: '待核实', width: 9.5 },
      { header: '完成率', width: 9.5 },
      { header: '整改前得分', width: 10 },
      { header: '整改后得分', width: 10 },
      { header: '新发现问题数', width: 12 },
    ],
    input.villages.map((v) => ({
      cells: [v.county, v.township, v.village || '（未关联到村）', v.findings, v.fixed, v.explained, v.notFixed, v.pending, v.completionRate, v.scoreBefore, v.scoreAfter, v.newFindings],
      styles: [undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, S_PCT],
    })),
  );

  const title = `检验核查结果（数据截至 ${input.asOf}）`;
  // 未完成: the rows still open
  await writePrintSheet(wb, '未完成', ROW_COLS, (function* () {
    for (const j of input.rows) if (j.judgement === '未整改' || j.judgement === '待核实') yield judgedRowCells(j);
  })(), { title: '未完成 ' + title, autoFilter: true });

  // 新发现问题
  await writePrintSheet(
    wb,
    '新发现问题',
    NEW_COLS,
    (function* (): Generator<PrintRow> {
      let n = 0;
      for (const f of input.newFindings) yield { cells: printFindingCells(++n, f, input.headOf?.(f.householdNo ?? '') ?? '') };
    })(),
    { title: '新发现问题 ' + title, autoFilter: true },
  );

  // 核查明细: every row
  await writePrintSheet(wb, '核查明细', ROW_COLS, (function* () {
    for (const j of input.rows) yield judgedRowCells(j);
  })(), { title: '核查明细 ' + title, autoFilter: true });

  await wb.commit();
}

