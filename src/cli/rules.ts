// `qingxi rules`: the rule catalogue (src/catalogue): id, family, severity, Chinese title, thresholds
// and problem codes with their message templates; --explain adds explanations, --json the whole
// catalogue (examples with the messages they produce, thresholds as JSON Schema).
import { parseCommandLine } from './args.js';
import { UsageError } from '../core/errors.js';
import { RULES } from '../../validators/index.js';
import { FAMILY_ZH, SEVERITY_ZH } from '../model.js';
import { buildCatalogue } from '../catalogue/build.js';
import { thresholdLine, thresholdTexts } from '../catalogue/thresholds.js';
import type { CliIo } from './io.js';

export const RULES_USAGE = `用法：qingxi rules [--explain] [--json]
列出全部检查规则：编号、类别、默认严重程度、标题、可调参数（配置文件 rules.<编号>）和问题代码及提示模板。
  --explain   同时显示每条规则的说明和改正方法
  --json      以 JSON 输出完整目录（含说明、参数的 JSON Schema、示例及其产生的提示）
  --help, -h  显示本说明
提示模板中 {…} 按实际数据填入，[…] 视情况出现。`;

export async function rulesCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, { json: { type: 'boolean' }, explain: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, RULES_USAGE);
  if (parsed.positionals.length > 0) throw new UsageError(`参数错误：rules 不需要路径参数：${parsed.positionals.join(' ')}`, { usage: RULES_USAGE });
  const values = parsed.values as { json?: boolean; explain?: boolean; help?: boolean };
  if (values.help) {
    io.stdout(RULES_USAGE + '\n');
    return 0;
  }
  const catalogue = await buildCatalogue(RULES);
  if (values.json) {
    io.stdout(JSON.stringify(catalogue, null, 2) + '\n');
    return 0;
  }
  const lines = ['规则编号\t类别\t默认严重程度\t标题'];
  for (const r of catalogue) {
    lines.push(`${r.id}\t${FAMILY_ZH[r.family]}\t${SEVERITY_ZH[r.severity]}\t${r.title}`);
    if (values.explain) lines.push(`\t${r.explain.replace(/\n/g, '\n\t')}`);
    const thresholds = thresholdTexts(r.thresholds);
    if (thresholds.length > 0) lines.push(`\t可调参数：${thresholds.map(thresholdLine).join('；')}`);
    for (const c of r.codes) lines.push(`\t问题代码 ${c.code}：${c.template}`);
  }
  lines.push(`共 ${catalogue.length} 条规则。加 --explain 显示说明，--json 输出 JSON；各规则的示例见 docs/rules.md。`);
  io.stdout(lines.join('\n') + '\n');
  return 0;
}
