// What makes a rule complete enough to ship (like ESLint's rule-file check and Biome's tested doc
// examples): an explanation, a template for every code, and valid and invalid examples that run
// through the engine and produce exactly what they claim. The catalogue test asserts that no rule
// has a problem; the problems are engineers' text (English), naming the rule and the example.
import type { AnyRule } from '../engine/rule.js';
import type { Example } from '../engine/examples.js';
import { DEFAULT_CODE } from '../engine/rule.js';
import { codesOf, runExample } from './run-example.js';

const CHINESE = /[\u4e00-\u9fff]/;
/** problem codes are identifiers kept in fingerprints (`missing`, `not-file`, `ID-10:scientific`): no spaces */
const CODE = /^\S+$/;

function declared(rule: AnyRule, code: string): boolean {
  return Object.prototype.hasOwnProperty.call(rule.messages, code);
}

/** What is wrong with a rule's explanation and messages (no example run). */
export function declarationProblems(rule: AnyRule): string[] {
  const out: string[] = [];
  const id = rule.id;
  if (!CHINESE.test(rule.title)) out.push(`${id}: the title is not Chinese text`);
  if (rule.explain.trim().length < 20 || !CHINESE.test(rule.explain)) out.push(`${id}: no explanation (explain must tell a clerk, in Chinese, what is checked and what to verify)`);
  const codes = Object.keys(rule.messages);
  if (codes.length === 0) out.push(`${id}: declares no problem code (messages is empty)`);
  for (const code of codes) {
    const t = rule.messages[code];
    if (code !== DEFAULT_CODE && !CODE.test(code)) out.push(`${id}: code "${code}" is empty or holds white space`);
    if (!t || t.kind !== 'template' || typeof t.render !== 'function') out.push(`${id}: code "${code}" has no message template (build it with msg\`…\`)`);
    else if (!CHINESE.test(t.doc)) out.push(`${id}: the template of code "${code}" is empty or not Chinese: "${t.doc}"`);
  }
  return out;
}

function label(rule: AnyRule, kind: 'valid' | 'invalid', e: Example, i: number): string {
  return `${rule.id} ${kind} example ${i + 1} (${e.note})`;
}

/** What is wrong with one example, once run through the engine. */
async function exampleProblems(rule: AnyRule, kind: 'valid' | 'invalid', e: Example, i: number): Promise<string[]> {
  const out: string[] = [];
  const name = label(rule, kind, e, i);
  if (!CHINESE.test(e.note)) out.push(`${name}: the note must say in Chinese what the example shows`);
  const run = await runExample(rule, e);
  for (const f of run.failures) out.push(`${name}: rule failure at stage ${f.stage}${f.at ? ` (${f.at})` : ''}: ${f.error.split('\n')[0]}`);
  const produced = codesOf(run.findings);
  if (kind === 'valid') {
    if (e.codes?.length) out.push(`${name}: a valid example lists codes ${e.codes.join(', ')}`);
    if (run.findings.length > 0) out.push(`${name}: produced findings ${produced.join(', ')} (${run.findings.map((f) => f.message).join(' / ')})`);
    return out;
  }
  const expected = [...new Set(e.codes ?? [])].sort();
  if (expected.length === 0) out.push(`${name}: an invalid example must list the codes it produces`);
  for (const c of expected) if (!declared(rule, c)) out.push(`${name}: lists code "${c}", which the rule does not declare`);
  if (expected.join(',') !== produced.join(',')) {
    const hint = rule.reads.length === 0 && !e.file ? ' (the rule reads no table: its findings come from ingest, so its example needs a file, not rows)' : '';
    out.push(`${name}: produced codes [${produced.join(', ')}], the example lists [${expected.join(', ')}]${hint}`);
  }
  return out;
}

/** Everything that keeps a rule from being complete; empty when it is. */
export async function ruleProblems(rule: AnyRule): Promise<string[]> {
  const out = declarationProblems(rule);
  const { valid, invalid } = rule.examples;
  if (valid.length === 0) out.push(`${rule.id}: no valid example (rows the rule accepts)`);
  if (invalid.length === 0) out.push(`${rule.id}: no invalid example (rows with the codes the rule reports on them)`);
  for (const [i, e] of valid.entries()) out.push(...(await exampleProblems(rule, 'valid', e, i)));
  for (const [i, e] of invalid.entries()) out.push(...(await exampleProblems(rule, 'invalid', e, i)));
  return out;
}
