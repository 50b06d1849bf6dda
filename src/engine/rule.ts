// The rule contract (in the spirit of ESLint's `meta.messages` and typescript-eslint's
// `createRule<Options, MessageIds>`): a rule declares the tables it reads (its `row` hook gets those
// tables' row types), its problem codes with their Chinese message templates (emit accepts only
// declared codes, with the params each template needs), its thresholds as a zod schema, the derived
// indexes its cross hook uses, and examples that run through the engine in the catalogue test.
import type { z } from 'zod';
import type { Family, Finding, RuleId, Severity, TableKind } from '../model.js';
import type { AsOf } from '../core/as-of.js';
import type { TableRow } from '../schema/rows.js';
import type { Template } from '../i18n/template.js';
import type { Indexes } from './indexes.js';
import type { DerivedIndex } from './derived.js';
import type { Example } from './examples.js';

/**
 * The message key of findings emitted without a problem code: their fingerprints keep no code
 * (as they always had), their text comes from `messages.default`.
 */
export const DEFAULT_CODE = 'default';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Messages = Record<string, Template<any>>;

/** The params a template needs. */
export type ParamsOf<T> = T extends Template<infer P> ? P : never;

type CodeField<C extends string> = C extends typeof DEFAULT_CODE ? { code?: undefined } : { code: C };
type ParamsField<P> = [P] extends [Record<string, never>] ? { params?: undefined } : {} extends P ? { params?: P } : { params: P };

/** What a rule hands to `emit` for code C: a finding without rule (the engine fills it), code and params typed. */
export type FindingFor<M extends Messages, C extends keyof M & string> = Omit<Finding, 'rule' | 'code' | 'params'> &
  CodeField<C> &
  ParamsField<ParamsOf<M[C]>>;

export type RuleEmit<M extends Messages> = <C extends keyof M & string = typeof DEFAULT_CODE>(f: FindingFor<M, C>) => void;

export interface RuleCtx<P> {
  asOf: AsOf;
  /** the rule's thresholds, from config, defaults from its schema */
  params: P;
  /** poverty line (yuan per person per year) for a year, from data/poverty-line.json or config */
  povertyLine(year: number): number | undefined;
}

export interface CrossCtx<P> extends RuleCtx<P> {
  /** a derived index the rule declared in `uses`, built once per run whoever asks first */
  use<T>(index: DerivedIndex<T>): T;
}

export interface AcrossCounties<T extends TableKind, P> {
  table: T;
  key(row: TableRow<T>, ctx: RuleCtx<P>): string | undefined;
}

export interface RuleSpec<T extends TableKind, M extends Messages, P> {
  id: RuleId;
  family: Family;
  severity: Severity;
  /** 简短中文标题 */
  title: string;
  /** 给村干部看的中文说明：查什么、到户核实什么 */
  explain: string;
  /** tables the rule reads; the runner skips the rule when none of them was read */
  reads: readonly T[];
  /** every problem code the rule emits, with its Chinese message template */
  messages: M;
  /** thresholds validated from config; defaults come from the schema's defaults */
  params?: z.ZodType<P>;
  /** derived indexes the cross hook uses (the engine builds each once per run) */
  uses?: readonly DerivedIndex<unknown>[];
  /** streaming check of one row of a table in `reads` */
  row?(row: TableRow<T>, emit: RuleEmit<M>, ctx: RuleCtx<P>): void;
  /** check over the indexes, after every file was read */
  cross?(ix: Indexes, emit: RuleEmit<M>, ctx: CrossCtx<P>): void;
  /**
   * For a run checked county by county (`qingxi check --by-county`, src/bycounty/): the key by
   * which the cross hook relates rows of `table` across counties. Rows whose key occurs in two
   * counties are checked together once every county is done, and the findings of that check replace
   * the counties' own findings on that key. A rule declaring it promises that its cross findings on
   * a key depend only on the rows of `table` with that key, in reading order, and that each such
   * finding carries the key as `groupKey`. Rules without it relate rows within a county only.
   */
  acrossCounties?: AcrossCounties<T, P>;
  /** rows that pass, and rows that fail with the codes they must produce (run by the catalogue test) */
  examples: { valid: readonly Example[]; invalid: readonly Example[] };
}

/** A rule as the engine holds it: its types erased to what the runner needs. */
export interface AnyRule {
  readonly id: RuleId;
  readonly family: Family;
  readonly severity: Severity;
  readonly title: string;
  readonly explain: string;
  readonly reads: readonly TableKind[];
  readonly messages: Messages;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly params?: z.ZodType<any>;
  readonly uses: readonly DerivedIndex<unknown>[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly row?: (row: any, emit: (f: Omit<Finding, 'rule'>) => void, ctx: RuleCtx<any>) => void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly cross?: (ix: Indexes, emit: (f: Omit<Finding, 'rule'>) => void, ctx: CrossCtx<any>) => void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly acrossCounties?: { readonly table: TableKind; key(row: any, ctx: RuleCtx<any>): string | undefined };
  readonly examples: { valid: readonly Example[]; invalid: readonly Example[] };
}

/** Defines a rule: the row type, codes and params are checked here, then erased for the engine. */
export function defineRule<T extends TableKind, M extends Messages, P = Record<string, never>>(spec: RuleSpec<T, M, P>): AnyRule {
  return { ...spec, uses: spec.uses ?? [] } as unknown as AnyRule;
}
