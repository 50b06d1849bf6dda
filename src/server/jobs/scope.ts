// A clerk's region applied to a check's findings: findings of another township (or county) in the
// upload are out of scope — counted and named on the result page, left out of the clerk's 台账 and
// findings. Findings with no region at all (file structure, a project without 建设地点) stay: they
// come from the clerk's own files.
import type { ResolvedFinding } from '../../model.js';
import type { VillageSummary } from '../../outputs/summary.js';
import { regionOf } from '../../outputs/workbook.js';
import { normalizePlaceName } from '../../normalize/text.js';
import type { ScopeLevel } from '../../store/users.js';

export interface RegionScope {
  level: ScopeLevel;
  name: string;
}

export interface OutOfScopeRegion {
  county: string;
  township: string;
  villages: number;
  households: number;
  people: number;
  findings: number;
}

function keyOf(scope: RegionScope, county: string | undefined, township: string | undefined): string {
  return normalizePlaceName((scope.level === 'county' ? county : township) ?? '');
}

/** true when the place is the clerk's, or names no region at the clerk's level */
export function placeInScope(scope: RegionScope, county: string | undefined, township: string | undefined): boolean {
  const k = keyOf(scope, county, township);
  return k === '' || k === normalizePlaceName(scope.name);
}

export interface ScopedResult {
  findings: ResolvedFinding[];
  villages: VillageSummary[];
  outOfScope: OutOfScopeRegion[];
}

export function applyScope(scope: RegionScope, findings: readonly ResolvedFinding[], villages: readonly VillageSummary[]): ScopedResult {
  const out = new Map<string, OutOfScopeRegion>();
  const other = (county: string, township: string): OutOfScopeRegion => {
    const k = county + '\u001f' + township;
    let o = out.get(k);
    if (!o) out.set(k, (o = { county, township, villages: 0, households: 0, people: 0, findings: 0 }));
    return o;
  };
  const keptFindings: ResolvedFinding[] = [];
  for (const f of findings) {
    const r = regionOf(f);
    if (placeInScope(scope, r.county, r.township)) keptFindings.push(f);
    else other(r.county, r.township).findings++;
  }
  const keptVillages: VillageSummary[] = [];
  for (const v of villages) {
    if (placeInScope(scope, v.county, v.township)) keptVillages.push(v);
    else {
      const o = other(v.county ?? '', v.township ?? '');
      o.villages++;
      o.households += v.households;
      o.people += v.people;
    }
  }
  return { findings: keptFindings, villages: keptVillages, outOfScope: [...out.values()] };
}
