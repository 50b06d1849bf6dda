// The one place where a finding becomes Chinese text for a clerk. A rule may supply its own
// `describe(finding)`; otherwise the message is built from the title, field, value and expectation.
import type { Finding, Rule } from '../model.js';
import { fieldLabel } from '../schema/tables.js';
import { displayValue } from '../core/values.js';

export function renderMessage(rule: Rule<any, any>, f: Finding): string {
  if (rule.describe) {
    try {
      const s = rule.describe(f);
      if (s) return s;
    } catch {
      // fall through to the generic message: a message bug must not lose the finding
    }
  }
  const parts: string[] = [rule.title];
  if (f.field) {
    const label = fieldLabel(f.table, f.field);
    const v = displayValue(f.value);
    parts.push(v ? `${label}为“${v}”` : `${label}为空`);
  }
  const e = displayValue(f.expected);
  if (e) parts.push(`应为“${e}”`);
  return parts.join('：');
}
