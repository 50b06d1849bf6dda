// `qingxi rules`: the rule catalogue (id, family, severity, Chinese title; --json adds explanations).
import { parseArgs } from 'node:util';
import { RULES } from '../../validators/index.js';
import { FAMILY_ZH, SEVERITY_ZH } from '../model.js';
import type { CliIo } from './io.js';

export async function rulesCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, explain: { type: 'boolean' } }, strict: true });
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
