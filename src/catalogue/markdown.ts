// docs/rules.md: the rule catalogue in Chinese for clerks and engineers, generated from the
// catalogue (scripts/rules-doc.ts writes it, a test checks the committed file is up to date).
import { SEVERITY_ZH, TABLE_ZH, type Family } from '../model.js';
import { EXAMPLE_AS_OF } from './run-example.js';
import type { CatalogueExample, CatalogueRule } from './build.js';
import { thresholdTexts } from './thresholds.js';

/** The command that regenerates docs/rules.md (named by the file's header and by the test). */
export const DOCS_COMMAND = 'npm run docs';

/** Text as Markdown shows it literally (templates keep their `[…]` and `{…}`). */
function md(text: string): string {
  return text.replace(/[\\`*_<>~]/g, (c) => '\\' + c);
}

function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function findingLines(e: CatalogueExample, indent: string): string[] {
  const lines = e.findings.map((f) => `${indent}- 〔${SEVERITY_ZH[f.severity]}〕${f.code !== undefined ? `${code(f.code)}：` : ''}${md(f.message)}`);
  for (const failure of e.failures) lines.push(`${indent}- 规则运行出错：${md(failure)}`);
  return lines;
}

function exampleLines(r: CatalogueRule): string[] {
  const { valid, invalid } = r.examples;
  if (valid.length === 0 && invalid.length === 0) return ['示例：暂无。'];
  const context = (e: CatalogueExample) => (e.file !== undefined ? `（文件 ${code(e.file)}）` : '') + (e.asOf !== EXAMPLE_AS_OF ? `（核查基准日 ${e.asOf}）` : '');
  const lines = ['示例：', ''];
  for (const e of valid) {
    lines.push(`- 通过：${md(e.note)}${context(e)}`);
    lines.push(...findingLines(e, '  '));
  }
  for (const e of invalid) {
    lines.push(`- 不通过：${md(e.note)}${context(e)}，应报 ${(e.codes ?? []).map(code).join('、') || '（未列出问题代码）'}：`);
    lines.push(...findingLines(e, '  '));
  }
  return lines;
}

function ruleSection(r: CatalogueRule): string[] {
  const thresholds = thresholdTexts(r.thresholds);
  const lines = [
    `### ${r.id} ${md(r.title)}`,
    '',
    `- 默认严重程度：${SEVERITY_ZH[r.severity]}`,
    `- 读取的表：${r.reads.length > 0 ? r.reads.map((t) => `${TABLE_ZH[t]}（${code(t)}）`).join('、') : '无（读取文件时直接发现）'}`,
  ];
  if (thresholds.length === 0) lines.push('- 可调参数：无');
  else {
    lines.push(`- 可调参数（配置文件 ${code(`rules.${r.id}`)}）：`);
    for (const t of thresholds) {
      lines.push(`  - ${code(t.key)}${t.description ? ` ${md(t.description)}` : ''}：${md(t.kind)}${t.default !== undefined ? `；默认 ${code(t.default)}` : ''}`);
    }
  }
  lines.push('', md(r.explain), '');
  if (r.codes.length === 0) lines.push('问题代码：本规则未声明问题代码。');
  else {
    lines.push('问题代码与提示模板：', '');
    for (const c of r.codes) lines.push(`- ${code(c.code)}：${md(c.template)}`);
  }
  lines.push('', ...exampleLines(r), '');
  return lines;
}

/** The whole of docs/rules.md for a catalogue. */
export function rulesMarkdown(catalogue: readonly CatalogueRule[]): string {
  const families = new Map<Family, CatalogueRule[]>();
  for (const r of catalogue) {
    const list = families.get(r.family) ?? [];
    list.push(r);
    families.set(r.family, list);
  }
  const lines = [
    '# 检查规则说明',
    '',
    `> 本文件由 ${code(DOCS_COMMAND)}（scripts/rules-doc.ts）根据规则定义生成，请勿手工修改；规则有改动时重新运行该命令。`,
    '> 同样的内容可用 `qingxi rules`（`--explain` 加说明，`--json` 输出完整目录）查看。',
    '',
    `共 ${catalogue.length} 条规则，分为 ${families.size} 类。每条规则列出默认严重程度、读取的表、可在配置文件 ${code('rules.<规则编号>')} 中调整的参数及默认值、说明、每个问题代码的提示模板，以及示例和系统对示例给出的提示。`,
    '',
    `提示模板的读法：${code('{…}')} 处按实际数据填入（如 {当前值}、{字段}），${code('[…]')} 内的部分视情况出现，${code('[甲|乙]')} 表示二者取一。示例的核查基准日为 ${EXAMPLE_AS_OF}（另有注明的除外）。`,
    '',
  ];
  for (const [family, rules] of families) {
    lines.push(`- ${md(rules[0]!.familyName)}（${family}）：${rules.map((r) => `${r.id} ${md(r.title)}`).join('；')}`);
  }
  lines.push('');
  for (const [family, rules] of families) {
    lines.push(`## ${md(rules[0]!.familyName)}（${family}，${rules.length} 条）`, '');
    for (const r of rules) lines.push(...ruleSection(r));
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}
