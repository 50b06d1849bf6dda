// Runs the rules: row hooks per normalised row (streaming), cross hooks over the indexes at the
// end. Knows nothing about any specific rule. Resolves each finding's severity (settings), message
// (the rule's template for the code, src/i18n/render.ts) and fingerprint, and keeps a rule's failure
// — a hook that throws, an undeclared code, a template that fails — from taking the run down.
import type { Finding, NormalRow, ResolvedFinding, RuleId, TableKind } from '../model.js';
import type { RuleSettings } from '../config.js';
import type { AsOf } from '../core/as-of.js';
import type { AnyRule, CrossCtx, RuleCtx } from './rule.js';
import type { Indexes } from './indexes.js';
import { DerivedIndexes, type DerivedIndex } from './derived.js';
import { fingerprint } from './fingerprint.js';
import { renderMessage } from '../i18n/render.js';
import { placeText } from '../core/place.js';

export interface RuleFailure {
  rule: string;
  stage: 'row' | 'cross' | 'message';
  error: string;
  at?: string;
}

export interface AcceptedException {
  rule?: string;
  remark?: string;
  acceptedOn?: string;
}

/** The rule settings of a run, resolved from config (src/config.ts). */
export interface RunSettings {
  readonly rules: ReadonlyMap<RuleId, RuleSettings>;
  /** poverty line (yuan per person per year) by year */
  readonly povertyLine: Readonly<Record<number, number>>;
}

export interface RunnerOptions {
  /** fingerprints accepted as 数据无误 in an earlier 检验核查: reported as info */
  accepted?: ReadonlyMap<string, AcceptedException> | ReadonlySet<string>;
}

/** The context a rule's hooks get in a run: as-of date, its thresholds, the poverty line. */
export function ruleContext(rule: AnyRule, settings: RunSettings, asOf: AsOf): RuleCtx<unknown> {
  const line = settings.povertyLine;
  return {
    asOf,
    params: settings.rules.get(rule.id)?.params ?? {},
    povertyLine: (year: number) => line[year],
  };
}

interface RowHook {
  rule: AnyRule;
  ctx: RuleCtx<unknown>;
  emit: (f: Omit<Finding, 'rule'> & { rule?: Finding['rule'] }) => void;
}

/**
 * Milliseconds of a cross stage by rule (its hook, findings included, without derived-index builds)
 * and by derived index (its build, without the indexes it used), each with what it used. The bench
 * sums the rules DuckDB also runs and the indexes they need (scripts/bench-province.ts).
 */
export interface CrossProfile {
  rules: Record<string, { ms: number; uses: string[] }>;
  indexes: Record<string, { ms: number; uses: string[] }>;
}

/** Failures kept per run: a rule failing on every row must not fill the memory with stacks. */
const MAX_FAILURES = 1000;

export class RuleRunner {
  private readonly active: AnyRule[];
  /** per table, the row hooks reading it, each with its context and emitter made once (not per row) */
  private readonly rowHooks = new Map<TableKind, RowHook[]>();
  private readonly ctxs = new Map<string, RuleCtx<unknown>>();
  private readonly out: ResolvedFinding[] = [];
  readonly failures: RuleFailure[] = [];
  private readonly ruleOrder = new Map<string, number>();
  private readonly byId = new Map<string, AnyRule>();

  constructor(
    rules: readonly AnyRule[],
    private readonly settings: RunSettings,
    readonly asOf: AsOf,
    private readonly opts: RunnerOptions = {},
  ) {
    rules.forEach((r, i) => {
      this.ruleOrder.set(r.id, i);
      this.byId.set(r.id, r);
    });
    this.active = rules.filter((r) => settings.rules.get(r.id)?.enabled !== false);
    for (const r of this.active) {
      this.ctxs.set(r.id, ruleContext(r, settings, asOf));
      if (r.row) {
        const hook: RowHook = { rule: r, ctx: this.ctxs.get(r.id)!, emit: (f) => this.resolve(r, f) };
        for (const t of r.reads) {
          const list = this.rowHooks.get(t) ?? [];
          list.push(hook);
          this.rowHooks.set(t, list);
        }
      }
    }
  }

  /** Collects findings of rules that are not run by the runner (FILE findings from ingest). */
  emit = (f: Finding): void => {
    const rule = this.byId.get(f.rule);
    if (!rule) throw new Error(`finding for unknown rule ${f.rule}`);
    if (this.settings.rules.get(rule.id)?.enabled === false) return;
    this.resolve(rule, f);
  };

  private fail(failure: RuleFailure): void {
    if (this.failures.length < MAX_FAILURES) this.failures.push(failure);
  }

  private resolve(rule: AnyRule, input: Omit<Finding, 'rule'> & { rule?: Finding['rule'] }): void {
    // One object, its keys in the order findings.jsonl has always had them: the input's, then
    // these. Copied with Object.assign and filled in by assignment: V8 (Node 20) takes an object
    // literal spreading the input and adding keys at ~10 µs a finding, this at well under one, and a
    // province makes millions.
    const resolved = Object.assign({}, input) as ResolvedFinding;
    resolved.rule = rule.id;
    resolved.params = input.params;
    resolved.severity = this.settings.rules.get(rule.id)?.severity ?? input.severity ?? rule.severity;
    resolved.family = rule.family;
    resolved.title = rule.title;
    resolved.message = '';
    resolved.fingerprint = '';
    const fp = fingerprint(resolved);
    resolved.fingerprint = fp;
    const accepted = this.opts.accepted;
    if (accepted && accepted.has(fp)) {
      resolved.severity = 'info';
      resolved.params = { ...(input.params ?? {}), accepted: true };
    }
    const params = resolved.params;
    // a template reads `params` as an object: a finding without params (most of a province's) gets
    // an empty one while its message is rendered, and has none again after; renderMessage would
    // otherwise copy the whole finding to give it one
    if (params === undefined || params === null) resolved.params = {};
    const rendered = renderMessage(rule, resolved);
    resolved.params = params;
    if (rendered.error !== undefined) this.fail({ rule: rule.id, stage: 'message', error: rendered.error, at: placeText(resolved) || undefined });
    resolved.message = rendered.text + (params?.['accepted'] ? '（已在核查中说明为数据无误）' : '');
    this.out.push(resolved);
  }

  /** Findings resolved so far, in the order they were made (file-check.ts hands them on). */
  resolved(): ResolvedFinding[] {
    return this.out;
  }

  /** Forgets every finding and failure so far (a file skipped as a whole). */
  discard(): void {
    this.out.length = 0;
    this.failures.length = 0;
  }

  /** Takes findings another runner resolved (a file checked in a worker), after its own. */
  adopt(findings: readonly ResolvedFinding[], failures: readonly RuleFailure[]): void {
    for (const f of findings) this.out.push(f);
    for (const f of failures) this.fail(f);
  }

  /** Run the row hooks of every rule reading this row's table. */
  row(row: NormalRow): void {
    const list = this.rowHooks.get(row.table);
    if (!list) return;
    for (const { rule, ctx, emit } of list) {
      try {
        rule.row!(row, emit, ctx);
      } catch (e) {
        this.fail({ rule: rule.id, stage: 'row', error: (e as Error).stack ?? String(e), at: placeText({ at: row.at }) });
      }
    }
  }

  /** Run the cross-record hooks over the finished indexes. */
  cross(ix: Indexes): void {
    const derived = new DerivedIndexes(ix, this.asOf);
    const profile: CrossProfile = { rules: {}, indexes: {} };
    for (const rule of this.active) {
      if (!rule.cross) continue;
      if (rule.reads.length > 0 && !rule.reads.some((t) => ix.tables.has(t))) continue;
      const declared = new Set<DerivedIndex<unknown>>(rule.uses);
      const used: string[] = [];
      const ctx: CrossCtx<unknown> = {
        ...this.ctxs.get(rule.id)!,
        use: <T>(index: DerivedIndex<T>): T => {
          if (!declared.has(index as DerivedIndex<unknown>)) throw new Error(`rule ${rule.id} uses derived index ${index.name} without declaring it in \`uses\``);
          if (!used.includes(index.name)) used.push(index.name);
          return derived.get(index);
        },
      };
      const t0 = performance.now();
      const buildsBefore = derived.buildMs;
      try {
        rule.cross(ix, (f) => this.resolve(rule, f), ctx);
      } catch (e) {
        this.fail({ rule: rule.id, stage: 'cross', error: (e as Error).stack ?? String(e) });
      }
      // the rule's own time: the derived indexes it had built are counted apart, once
      profile.rules[rule.id] = { ms: performance.now() - t0 - (derived.buildMs - buildsBefore), uses: used };
    }
    for (const [name, b] of derived.builds) profile.indexes[name] = { ms: b.ms, uses: [...new Set(b.uses)] };
    this.crossProfile = profile;
  }

  /** Where the last cross stage spent its time, by rule and by derived index (see CrossProfile). */
  crossProfile: CrossProfile = { rules: {}, indexes: {} };

  /**
   * The findings, in a total order that does not depend on the order files finished reading:
   * by place (file, sheet, row), then rule catalogue order, then fingerprint. Findings with the same
   * fingerprint are the same problem on the same entity: kept once, the other places in `related`.
   */
  findings(): ResolvedFinding[] {
    const order = this.ruleOrder;
    const sorted = [...this.out].sort((a, b) => {
      const fa = a.at?.file ?? '\uffff';
      const fb = b.at?.file ?? '\uffff';
      if (fa !== fb) return fa < fb ? -1 : 1;
      const sa = a.at?.sheet ?? '';
      const sb = b.at?.sheet ?? '';
      if (sa !== sb) return sa < sb ? -1 : 1;
      const ra = a.at?.row ?? 0;
      const rb = b.at?.row ?? 0;
      if (ra !== rb) return ra - rb;
      const oa = order.get(a.rule) ?? 999;
      const ob = order.get(b.rule) ?? 999;
      if (oa !== ob) return oa - ob;
      return a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0;
    });
    const seen = new Map<string, ResolvedFinding>();
    // the places already in a kept finding's `related`, built only for findings that get merged into
    const places = new Map<string, Set<string>>();
    const result: ResolvedFinding[] = [];
    for (const f of sorted) {
      const first = seen.get(f.fingerprint);
      if (!first) {
        seen.set(f.fingerprint, f);
        result.push(f);
        continue;
      }
      const place = placeText(f);
      if (place) {
        const rel = (first.related ??= []);
        let set = places.get(f.fingerprint);
        if (!set) places.set(f.fingerprint, (set = new Set(rel)));
        if (!set.has(place)) {
          set.add(place);
          rel.push(place);
        }
      }
    }
    return result;
  }
}
