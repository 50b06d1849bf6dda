// The nightly's by-county outcome split back into its inbox units. Each unit is one county of
// checkCountiesAcross (src/bycounty/run.ts); a unit's findings are its county's own — what checking
// the folder alone gives, in the same order, so the ledger does not churn — without the ID-08s the
// across-county stage made again over every county, plus those across-county findings whose first
// place (in reading order) lies in the unit. Findings are not merged across units (a helper ID in
// two county folders stays one finding in each, as when each folder was checked alone).
import type { Config } from '../config.js';
import type { ResolvedFinding } from '../model.js';
import { RULES } from '../../validators/index.js';
import type { CheckedCounties } from '../bycounty/run.js';
import { TownshipSet, type CountyTownship } from '../bycounty/county-check.js';
import { RuleRunner, type RuleFailure } from '../engine/runner.js';
import { parseAsOf } from '../core/as-of.js';
import { buildSummary, type VillageSummary } from '../outputs/summary.js';
import { villageKey } from '../outputs/household-facts.js';
import type { FileAccounting } from '../ingest/types.js';
import type { StageTimings } from '../pipeline.js';
import type { UnitDelivery } from './delivery.js';

export interface UnitOutcome {
  /** the unit's findings, in the order its own check gives them */
  findings: ResolvedFinding[];
  /** how many across-county findings it owns or is shown */
  acrossCounties: number;
  /** summary.json's villages of the unit (households, people, score) */
  villages: VillageSummary[];
  files: FileAccounting[];
  /** the rules that failed in the unit's check */
  failures: RuleFailure[];
  /** its check broke off (worker out of memory …): its files are FILE-04, nothing else is known */
  brokeOff: boolean;
  /** rules whose findings cannot be judged fixed in this unit tonight (ledger-state.ts Presence) */
  unjudged: Set<string>;
  timings: StageTimings;
  delivery: UnitDelivery;
}

export class InboxUnits {
  private readonly owned: ResolvedFinding[][];
  private readonly elsewhere: ResolvedFinding[][];
  private readonly unjudgedAcross: Set<string>;

  constructor(
    private readonly checked: CheckedCounties,
    private readonly opts: { asOf: string; config: Config; accepted: ReadonlySet<string>; knownUnits: readonly string[] },
  ) {
    ({ owned: this.owned, elsewhere: this.elsewhere } = splitAcross(checked));
    this.unjudgedAcross = acrossUnjudged(checked, opts.knownUnits);
  }

  /** Rule failures of the across-county stage (they concern every unit). */
  get acrossFailures(): RuleFailure[] {
    return this.checked.across.failures;
  }

  /**
   * The townships unit i delivers workbooks to (its check's, and those of the across-county
   * findings it owns or is shown), known before any unit's findings are unpacked.
   */
  townships(i: number): CountyTownship[] {
    const out = new TownshipSet();
    for (const t of this.checked.outcomes[i]!.townships) out.add(t.county, t.township);
    for (const f of this.owned[i]!) out.addFinding(f);
    for (const f of this.elsewhere[i]!) for (const r of f.routes ?? []) out.add(r.county, r.township);
    return out.values();
  }

  /** Unit i (in the order given to checkCountiesAcross); unpacks its findings once. */
  unit(i: number): UnitOutcome {
    const { checked, opts } = this;
    const outcome = checked.outcomes[i]!;
    const own = checked.ownFindings(i);
    const mine = this.owned[i]!;
    // the across-county findings in their place, ordered and merged as the unit's own check would
    let findings = own.findings;
    if (mine.length > 0) {
      const merger = new RuleRunner(RULES, opts.config, parseAsOf(opts.asOf), { accepted: opts.accepted });
      merger.adopt(own.findings, []);
      merger.adopt(mine, []);
      findings = merger.findings();
    }
    // the villages as the unit's own summary.json gives them: household counts from its check,
    // the households its findings name from its check and from the across-county stage's rows
    const households = { ...outcome.households, villageOf: new Map(own.villageOf) };
    const heads = new Map(own.headNames);
    for (const [no, h] of checked.across.countyHouseholds[i] ?? []) {
      if (!households.villageOf.has(no)) households.villageOf.set(no, villageKey(h.region.county, h.region.township, h.region.village));
      if (h.headName !== undefined && !heads.has(no)) heads.set(no, h.headName);
    }
    const summary = buildSummary({ asOf: opts.asOf, files: outcome.files, findings, households, rules: RULES, failures: outcome.failures });
    const brokeOff = outcome.brokeOff === true;
    const unjudged = new Set([...outcome.failures.map((x) => x.rule), ...this.unjudgedAcross]);
    // a unit whose check broke off: none of its findings can be judged tonight
    if (brokeOff) for (const r of RULES) unjudged.add(r.id);
    const elsewhere = this.elsewhere[i]!;
    return {
      findings,
      acrossCounties: mine.length + elsewhere.length,
      villages: summary.villages,
      files: outcome.files,
      failures: outcome.failures,
      brokeOff,
      unjudged,
      timings: outcome.timings,
      delivery: {
        asOf: opts.asOf,
        findings,
        elsewhere,
        villages: summary.villages,
        sources: outcome.files.map((f) => f.file),
        headOf: (no) => heads.get(no) ?? checked.across.households.get(no)?.headName,
      },
    };
  }
}

/**
 * The across-county findings by unit: each is the unit's of its own place (its first row in
 * reading order), and every other unit whose rows share its key gets a copy routed only to those
 * rows' townships (its 整改台账 lists it; the ledger keeps the finding once, under its own unit).
 */
function splitAcross(checked: CheckedCounties): { owned: ResolvedFinding[][]; elsewhere: ResolvedFinding[][] } {
  const owned: ResolvedFinding[][] = checked.counties.map(() => []);
  const elsewhere: ResolvedFinding[][] = checked.counties.map(() => []);
  const unitOfFile = new Map<string, number>();
  checked.counties.forEach((c, i) => c.files.forEach((f) => unitOfFile.set(f, i)));
  for (const f of checked.across.findings) {
    const c = checked.across.counties.get(f);
    const own = c?.own ?? unitOfFile.get(f.at?.file ?? '') ?? 0;
    owned[own]!.push(f);
    if (!c) continue;
    for (const [other, townships] of c.places) if (other !== own) elsewhere[other]!.push({ ...f, routes: townships });
  }
  return { owned, elsewhere };
}

/**
 * Rules whose across-county findings cannot be judged fixed in any unit tonight: every
 * across-county rule when a county's check broke off or a county folder known to the ledger sent
 * nothing (a number shared with it would look fixed), and any rule that failed in the
 * across-county stage.
 */
function acrossUnjudged(checked: CheckedCounties, knownUnits: readonly string[]): Set<string> {
  const out = new Set(checked.across.failures.map((f) => f.rule));
  const here = new Set(checked.counties.map((c) => c.name));
  if (checked.outcomes.some((o) => o.brokeOff) || knownUnits.some((u) => !here.has(u))) {
    for (const r of RULES) if (r.acrossCounties) out.add(r.id);
  }
  return out;
}
