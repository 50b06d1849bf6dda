// `qingxi inspect PATH… [--config FILE] [--json]`: per file and sheet, how check reads it, and a
// config `columns` entry to paste when detection needs help.
import { TABLE_ZH } from '../model.js';
import { discoverFiles } from '../pipeline.js';
import { UsageError } from '../core/errors.js';
import { inspectFile, type InspectFile, type InspectSheet } from '../ingest/inspect.js';
import { parseCommandLine, stringOption } from './args.js';
import { commandConfig, type CliIo } from './io.js';

export const INSPECT_USAGE = `用法：qingxi inspect 路径… [--config 配置文件] [--json]
逐个文件、工作表显示：识别出的表、表头行、每个表头对应的字段、未识别的表头及最相近的字段，
以及可粘贴到配置文件 columns 中的片段（表头识别不了时用它指定）。`;

export async function inspectCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(
    argv,
    { config: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    INSPECT_USAGE,
  );
  if (values['help']) {
    io.stdout(INSPECT_USAGE + '\n');
    return 0;
  }
  if (positionals.length === 0) throw new UsageError(`缺少输入路径。`, { usage: INSPECT_USAGE });
  const config = commandConfig(stringOption(values, 'config'));
  const files = await discoverFiles(positionals);
  if (files.length === 0) throw new UsageError('没有找到可读取的文件（.xlsx/.xls/.et/.csv）。');
  const reports: InspectFile[] = [];
  for (const f of files) reports.push(await inspectFile(f.abs, f.display, { limits: config.limits, columns: config.columns }));
  if (values['json']) io.stdout(JSON.stringify({ files: reports }, null, 2) + '\n');
  else io.stdout(reports.map(renderFile).join('\n') + '\n');
  return reports.some((r) => r.sheets.some((s) => s.recognised)) ? 0 : 2;
}

const tables = (ts: readonly string[]) => ts.map((t) => `${TABLE_ZH[t as keyof typeof TABLE_ZH]}（${t}）`).join('、');

/** A header written over several lines, shown on one. */
const oneLine = (t: string) => t.replace(/\s*\n\s*/g, ' ');

function renderSheet(s: InspectSheet): string {
  const out: string[] = [];
  const name = s.sheet !== undefined ? `工作表「${s.sheet}」` : '（CSV）';
  const origin = s.origin === 'forced' ? `，按配置 columns 第${s.columnsEntry}项指定` : '';
  if (s.recognised) {
    out.push(`  ${name}：识别为 ${tables(s.tables)}${origin}；表头在第${s.headerRows.join('、')}行；数据 ${s.dataRows} 行`);
  } else {
    out.push(`  ${name}：未识别${origin}${s.guessTable ? `；最像 ${tables([s.guessTable])}` : ''}${s.headerRows.length ? `，可作表头的是第${s.headerRows.join('、')}行` : ''}`);
    if (s.detectedRow !== undefined) out.push(`    （按表头词语最接近的是第${s.detectedRow}行，但该行像数据，故以第${s.headerRows.join('、')}行作表头）`);
    if (s.missingRequired.length) out.push(`    缺少：${s.missingRequired.join('、')}`);
  }
  if (s.bindings.length) {
    // one line per column, in column order; a column feeding two tables names both
    out.push('    表头 → 字段：');
    const byCol = new Map<string, { header: string; to: string[] }>();
    for (const b of s.bindings) {
      const line = byCol.get(b.col) ?? { header: b.header, to: [] };
      line.to.push(`${TABLE_ZH[b.table]}.${b.field}`);
      byCol.set(b.col, line);
    }
    const order = [...byCol.keys()].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
    for (const col of order) out.push(`      ${col}「${oneLine(byCol.get(col)!.header)}」→ ${byCol.get(col)!.to.join('、')}`);
  }
  if (s.unbound.length) {
    out.push('    未识别的表头：');
    for (const u of s.unbound) {
      const near = u.nearest.map((n) => `${TABLE_ZH[n.table]}.${n.field}（像“${n.header}”）`).join('、');
      out.push(`      ${u.col}「${oneLine(u.header)}」${near ? `：最相近 ${near}` : '：没有相近的字段'}`);
    }
  }
  if (s.recognised && s.missingRequired.length) out.push(`    缺少必填列：${s.missingRequired.join('、')}`);
  if (s.dialects) for (const [field, d] of Object.entries(s.dialects)) out.push(`    ${field} 代码：${d.dialect}（${d.reason}）`);
  for (const m of s.messages) out.push(`    提示：${m}`);
  if (!s.recognised || s.unbound.length || s.missingRequired.length) {
    out.push('    可粘贴到配置文件 "columns": [ … ] 中（核对每个字段后使用）：');
    for (const line of JSON.stringify(s.snippet, null, 2).split('\n')) out.push(`      ${line}`);
  }
  return out.join('\n');
}

function renderFile(f: InspectFile): string {
  const head = `文件「${f.file}」（${f.format}）`;
  if (!f.readable && f.sheets.length === 0) return [head + '：无法读取', ...f.messages.map((m) => `  ${m}`)].join('\n');
  return [head, ...f.sheets.map(renderSheet), ...f.messages.map((m) => `  ${m}`)].join('\n');
}
