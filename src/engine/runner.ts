// Runs the rules: row hooks per normalised row (streaming), cross hooks over the indexes at the
// end. Knows nothing about any specific rule. Resolves each finding's severity (config), message
// (src/i18n) and fingerprint, and keeps a rule's failure from taking the run down with it.
import type { Finding, NormalRow, ResolvedFinding, RuleCtx, TableKind } from '../model.js';
import type { Config } from '../config.js';
import type { AnyRule } from './rule.js';
import type { Indexes } from './indexes.js';
import { fingerprint } from './fingerprint.js';
import { renderMessage } from '../i18n/render.js';
import { epochDay } from '../core/values.js';

export interface RuleFailure {
  rule: string;
  stage: 'row' | 'cross';
  error: string;
  at?: string;
}

export interface AcceptedException {
  rule?: string;
  remark?: string;
  acceptedOn?: string;
}

export interface RunnerOptions {
  /** fingerprints accepted as 数据无误 in an earlier 检验核查: reported as info */
  accepted?: ReadonlyMap<string, AcceptedException> | ReadonlySet<string>;
}

function parseAsOf(asOf: string): { y: number; m: number; d: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(asOf);
  if (!m) throw new Error(`invalid as-of date ${asOf}`);
  return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
}

export class RuleRunner {
  private readonly active: AnyRule[];
  private readonly rowRules = new Map<TableKind, AnyRule[]>();
  private readonly ctxs = new Map<string, RuleCtx<unknown>>();
  private readonly out: ResolvedFinding[] = [];
  readonly failures: RuleFailure[] = [];
  private readonly ruleOrder = new Map<string, number>();
  private readonly byId = new Map<string, AnyRule>();

  constructor(
    rules: readonly AnyRule[],
    private readonly config: Config,
    readonly asOf: string,
    private readonly opts: RunnerOptions = {},
  ) {
    const date = parseAsOf(asOf);
    const asOfDay = epochDay(date.y, date.m, date.d);
    const line = config.povertyLine;
    rules.forEach((r, i) => {
      this.ruleOrder.set(r.id, i);
      this.byId.set(r.id, r);
    });
    this.active = rules.filter((r) => config.rules.get(r.id)?.enabled !== false);
    for (const r of this.active) {
      this.ctxs.set(r.id, {
        asOf: asOfDay,
        asOfDate: date,
        params: config.rules.get(r.id)?.params ?? {},
        povertyLine: (year: number) => line[year],
      });
      if (r.row) {
        for (const t of r.reads) {
          const list = this.rowRules.get(t) ?? [];
          list.push(r);
          this.rowRules.set(t, list);
        }
      }
    }
  }

  /** Collects findings of rules that are not run by the runner (FILE findings from ingest). */
  emit = (f: Finding): void => {
    const rule = this.byId.get(f.rule);
    if (!rule) throw new Error(`finding for unknown rule ${f.rule}`);
    if (this.config.rules.get(rule.id)?.enabled === false) return;
    this.resolve(rule, f);
  };

  private resolve(rule: AnyRule, f: Finding): void {
    const fp = fingerprint(f);
    let severity = this.config.rules.get(rule.id)?.severity ?? f.severity ?? rule.severity;
    const accepted = this.opts.accepted;
    let params = f.params;
    if (accepted && accepted.has(fp)) {
      severity = 'info';
      params = { ...(params ?? {}), accepted: true };
    }
    const resolved: ResolvedFinding = {
      ...f,
      params,
      severity,
      family: rule.family,
      title: rule.title,
      message: '',
      fingerprint: fp,
    };
    resolved.message = renderMessage(rule, resolved) + (params?.['accepted'] ? '（已在核查中说明为数据无误）' : '');
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
    for (const f of failures) if (this.failures.length < 1000) this.failures.push(f);
  }

  /** Run the row hooks of every rule reading this row's table. */
  row(row: NormalRow): void {
    const list = this.rowRules.get(row.table);
    if (!list) return;
    for (const rule of list) {
      const ctx = this.ctxs.get(rule.id)!;
      try {
        rule.row!(row, (f) => this.resolve(rule, f), ctx as RuleCtx<never>);
      } catch (e) {
        if (this.failures.length < 1000)
          this.failures.push({
            rule: rule.id,
            stage: 'row',
            error: (e as Error).stack ?? String(e),
            at: `${row.at.file}${row.at.sheet ? ' / ' + row.at.sheet : ''} / ${row.at.row ?? ''}`,
          });
      }
    }
  }

  /** Run the cross-record hooks over the finished indexes. */
  cross(ix: Indexes): void {
    for (const rule of this.active) {
      if (!rule.cross) continue;
      if (rule.reads.length > 0 && !rule.reads.some((t) => ix.tables.has(t))) continue;
      const ctx = this.ctxs.get(rule.id)!;
      try {
        rule.cross(ix, (f) => this.resolve(rule, f), ctx as RuleCtx<never>);
      } catch (e) {
        this.failures.push({ rule: rule.id, stage: 'cross', error: (e as Error).stack ?? String(e) });
      }
    }
  }

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

export function placeText(f: Finding): string {
  if (!f.at) return '';
  return [f.at.file, f.at.sheet, f.at.row !== undefined ? `第${f.at.row}行` : undefined].filter(Boolean).join(' / ');
}
