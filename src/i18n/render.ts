// The one place where a finding becomes Chinese text: the rule's template for the finding's code.
// A template that throws, or a code the rule never declared, is a rule bug: it is reported as a
// rule failure (exit 3) and the finding keeps a generic message, so nothing is lost.
import type { Finding } from '../model.js';
import type { AnyRule } from '../engine/rule.js';
import { DEFAULT_CODE } from '../engine/rule.js';
import { fieldLabel } from '../schema/tables.js';
import { displayValue } from '../core/values.js';
import type { MessageInput } from './template.js';

export type Rendered = { text: string; error?: undefined } | { text: string; error: string };

/** Title, field and value, expected: the text of a finding whose template failed. */
export function genericMessage(title: string, f: Finding): string {
  const parts: string[] = [title];
  if (f.field) {
    const label = fieldLabel(f.table, f.field);
    const v = displayValue(f.value);
    parts.push(v ? `${label}为“${v}”` : `${label}为空`);
  }
  const e = displayValue(f.expected);
  if (e) parts.push(`应为“${e}”`);
  return parts.join('：');
}

export function renderMessage(rule: AnyRule, f: Finding): Rendered {
  const code = f.code ?? DEFAULT_CODE;
  const template = Object.prototype.hasOwnProperty.call(rule.messages, code) ? rule.messages[code] : undefined;
  if (!template) return { text: genericMessage(rule.title, f), error: `no message template for code "${code}"` };
  try {
    return { text: template.render(withParams(f)) };
  } catch (e) {
    return { text: genericMessage(rule.title, f), error: `message template for code "${code}" failed: ${(e as Error).message}` };
  }
}

/**
 * The finding as a template reads it: `params` always an object. A finding that has params is
 * passed as it is; templates only read it. The copy for one without is made by Object.assign and
 * an assignment: V8 (Node 20) builds a spread-and-extend literal (`{ ...f, params }`) at
 * microseconds each, and a province renders millions of messages.
 */
function withParams(f: Finding): MessageInput<Record<string, unknown>> {
  if (f.params !== undefined && f.params !== null) return f as MessageInput<Record<string, unknown>>;
  const input = Object.assign({}, f) as MessageInput<Record<string, unknown>>;
  input.params = {};
  return input;
}
