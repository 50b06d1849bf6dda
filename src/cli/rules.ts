// `qingxi rules`: the rule catalogue (id, family, severity, Chinese title; --json adds explanations).
import { parseCommandLine } from './args.js';
import { UsageError } from '../core/errors.js';
import { RULES } from '../../validators/index.js';
import { FAMILY_ZH, SEVERITY_ZH } from '../model.js';
import type { CliIo } from './io.js';

export const RULES_USAGE = `用法：qingxi rules [--explain] [--json]
列出全部检查规则：编号、类别、默认严重程度、标题。
  --explain   同时显示每条规则的说明和改正方法
  --json      以 JSON 输出（含说明）
  --help, -h  显示本说明`;

export async function rulesCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, { json: { type: 'boolean' }, explain: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, RULES_USAGE);
  if (parsed.positionals.length > 0) throw new UsageError(`参数错误：rules 不需要路径参数：${parsed.positionals.join(' ')}`, { usage: RULES_USAGE });
  const values = parsed.values as { json?: boolean; explain?: boolean; help?: boolean };
  if (values.help) {
    io.stdout(RULES_USAGE + '\n');
    return 0;
  }
  if (values.json) {
    io.stdout(
      JSON.stringify(
        RULES.map((r) => ({ id: r.id, family: r.family, severity: r.severity, title: r.title, explain: r.explain })),
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  const lines = ['规则编号\t类别\t默认严重程度\t标题'];
  for (const r of RULES) {
    lines.push(`${r.id}\t${FAMILY_ZH[r.family]}\t${SEVERITY_ZH[r.severity]}\t${r.title}`);
    if (values.explain) lines.push(`\t${r.explain.replace(/\n/g, '\n\t')}`);
  }
  lines.push(`共 ${RULES.length} 条规则。加 --explain 显示说明，--json 输出 JSON。`);
  io.stdout(lines.join('\n') + '\n');
  return 0;
}
