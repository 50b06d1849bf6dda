// TEMPORARY (issue 11 conversion): old-style rules (describe + untyped emit) wrapped into the new
// contract so that families convert one at a time. Deleted once every family uses defineRule.
import type { z } from 'zod';
import type { Family, Finding, NormalRow, PartialDate, RuleId, Severity, TableKind } from '../model.js';
import type { AnyRule } from './rule.js';
import type { Indexes } from './indexes.js';
import type { Template } from '../i18n/template.js';
import { genericMessage } from '../i18n/render.js';

export type Emit = (f: Finding) => void;

export interface LegacyCtx<P> {
  asOf: number;
  asOfDate: PartialDate & { m: number; d: number };
  params: P;
  povertyLine(year: number): number | undefined;
}

export interface Rule<P = Record<string, never>, I = Indexes> {
  id: RuleId;
  family: Family;
  severity: Severity;
  title: string;
  explain: string;
  params?: z.ZodType<P>;
  reads: TableKind[];
  row?(row: NormalRow, emit: Emit, ctx: LegacyCtx<P>): void;
  cross?(ix: I, emit: Emit, ctx: LegacyCtx<P>): void;
  describe?(f: Finding): string;
}
export type RuleCtx<P> = LegacyCtx<P>;

export function defineLegacyRule<P = Record<string, never>>(rule: Rule<P, Indexes>): AnyRule {
  const text: Template<unknown> = {
    kind: 'template',
    doc: '（由程序生成）',
    render: (f) => (rule.describe ? rule.describe(f as Finding) || genericMessage(rule.title, f as Finding) : genericMessage(rule.title, f as Finding)),
  };
  // every code renders through describe
  const messages = new Proxy({} as Record<string, Template<unknown>>, { get: () => text, has: () => true });
  const legacyCtx = (ctx: { asOf: { day: number; y: number; m: number; d: number }; params: P; povertyLine(y: number): number | undefined }): LegacyCtx<P> => ({
    asOf: ctx.asOf.day,
    asOfDate: { y: ctx.asOf.y, m: ctx.asOf.m, d: ctx.asOf.d },
    params: ctx.params,
    povertyLine: ctx.povertyLine,
  });
  const out: Record<string, unknown> = {
    id: rule.id,
    family: rule.family,
    severity: rule.severity,
    title: rule.title,
    explain: rule.explain,
    reads: rule.reads,
    messages,
    uses: [],
    examples: { valid: [], invalid: [] },
  };
  if (rule.params) out['params'] = rule.params;
  if (rule.row) out['row'] = (row: NormalRow, emit: Emit, ctx: never) => rule.row!(row, emit, legacyCtx(ctx));
  if (rule.cross) out['cross'] = (ix: Indexes, emit: Emit, ctx: never) => rule.cross!(ix, emit, legacyCtx(ctx));
  return out as unknown as AnyRule;
}
