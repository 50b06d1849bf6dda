import type { Rule } from '../model.js';
import type { Indexes } from './indexes.js';

/** A rule of any parameter shape, over the engine's indexes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = Rule<any, Indexes>;

/** Define a rule with its parameter type inferred (keeps rule files free of casts). */
export function defineRule<P = Record<string, never>>(rule: Rule<P, Indexes>): AnyRule {
  return rule as AnyRule;
}
