// Message templates: a rule's Chinese text for one problem code, as data. A template is written as
// a tagged template literal whose holes are named pieces (`value`, `param('count')`, `when(…)`):
// the same template renders a finding's message and its documentation form for the catalogue
// (`{当前值}`, `[…]` for optional parts), so docs/rules.md and `qingxi rules --json` show exactly
// what a clerk will read.
import type { Finding, TableKind } from '../model.js';
import { displayValue } from '../core/values.js';
import { fieldLabel } from '../schema/tables.js';

/** What a template renders from: the finding with its params typed. */
export type MessageInput<P> = Omit<Finding, 'params'> & { params: P };

/** One hole of a template: renders a finding's part of the message, and documents itself. */
export interface Piece<P> {
  readonly doc: string;
  render(f: MessageInput<P>): string;
}

export type Hole<P> = Piece<P> | string;

/** A message template for one code; `P` is the shape of the params the code's findings carry. */
export interface Template<P> {
  readonly kind: 'template';
  /** the template with its holes named, for docs: 成员“{姓名}”的证件号码为空[（填写为“{当前值}”）] */
  readonly doc: string;
  render(f: MessageInput<P>): string;
}

function join<P>(strings: readonly string[], holes: readonly Hole<P>[], f: MessageInput<P> | undefined): string {
  let out = strings[0] ?? '';
  for (let i = 0; i < holes.length; i++) {
    const h = holes[i]!;
    out += typeof h === 'string' ? h : f ? h.render(f) : h.doc;
    out += strings[i + 1] ?? '';
  }
  return out;
}

/**
 * A template: msg<{ count: number }>`涉及${param('count')}户`. The type argument declares the
 * params every finding of the code carries (emit is checked against it).
 */
export function msg<P = Record<string, never>>(strings: TemplateStringsArray, ...holes: Hole<P>[]): Template<P> {
  const parts = [...strings];
  return {
    kind: 'template',
    doc: join(parts, holes, undefined),
    render: (f) => join(parts, holes, f),
  };
}

function piece<P>(doc: string, render: (f: MessageInput<P>) => string): Piece<P> {
  return { doc, render };
}

/** The finding's value (当前值), as displayed everywhere. */
export const value: Piece<any> = piece('{当前值}', (f) => displayValue(f.value));
/** The finding's expected value (参考值). */
export const expected: Piece<any> = piece('{参考值}', (f) => displayValue(f.expected));
/** The Chinese label of the finding's field, in its table (“证件号码”). */
export const field: Piece<any> = piece('{字段}', (f) => fieldLabel(f.table as TableKind | undefined, f.field ?? ''));
export const name: Piece<any> = piece('{姓名}', (f) => f.name ?? '');
export const householdNo: Piece<any> = piece('{户编号}', (f) => f.householdNo ?? '');
export const projectNo: Piece<any> = piece('{项目编号}', (f) => f.projectNo ?? '');
export const idNumber: Piece<any> = piece('{证件号码}', (f) => displayValue(f.idNumber));
export const helperId: Piece<any> = piece('{帮扶人证件号码}', (f) => displayValue(f.helperId));
export const village: Piece<any> = piece('{村}', (f) => f.village ?? f.region?.village ?? '');

/** A param, displayed (or formatted by `format`); `doc` names it in Chinese for the catalogue. */
export function param<P, K extends keyof P & string = keyof P & string>(key: K, doc?: string, format?: (v: P[K]) => string): Piece<P> {
  return piece(`{${doc ?? key}}`, (f) => {
    const v = (f.params as P | undefined)?.[key];
    return format ? format(v as P[K]) : displayValue(v);
  });
}

/** Text computed from the finding where a plain hole cannot say it; `doc` is what the catalogue shows. */
export function text<P>(doc: string, render: (f: MessageInput<P>) => string): Piece<P> {
  return piece(`{${doc}}`, render);
}

/** A part shown only when `test` holds (docs: `[…]`), else `otherwise` (docs: `[…|…]`). */
export function when<P>(test: Piece<P> | ((f: MessageInput<P>) => boolean), then: Template<P>, otherwise?: Template<P>): Piece<P> {
  const holds = typeof test === 'function' ? test : (f: MessageInput<P>) => test.render(f) !== '';
  return piece(otherwise ? `[${then.doc}|${otherwise.doc}]` : `[${then.doc}]`, (f) => (holds(f) ? then.render(f) : otherwise ? otherwise.render(f) : ''));
}

/**
 * One of several texts chosen by a param's value. `label` says in Chinese for the catalogue when each
 * case applies: either the param's name (docs: `[项目状态为“已完工”时：…；否则：…]`) or one condition
 * per case value (`{ birth: '号码中的出生日期不存在' }` → `[号码中的出生日期不存在时：…；否则：…]`), so
 * the catalogue never shows a raw value such as “birth”.
 */
export function select<P, K extends keyof P & string>(
  key: K,
  cases: Partial<Record<string, Template<P>>>,
  otherwise: Template<P>,
  label: string | Readonly<Record<string, string>> = key,
): Piece<P> {
  const when = (v: string) => (typeof label === 'string' ? `${label}为“${v}”` : (label[v] ?? `${key}为“${v}”`));
  const doc = [...Object.entries(cases).map(([v, t]) => `${when(v)}时：${t!.doc}`), `否则：${otherwise.doc}`].join('；');
  return piece(`[${doc}]`, (f) => {
    const v = (f.params as P | undefined)?.[key];
    const t = v === undefined ? undefined : cases[String(v)];
    return (t ?? otherwise).render(f);
  });
}
