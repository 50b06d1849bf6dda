// A clerk's region applied to a check's findings: findings of another township (or county) in the
// upload are out of scope — counted and named on the result page, left out of the clerk's 台账 and
// findings. A finding is the clerk's when its own place is, or when it is routed to the clerk's
// township (routing.ts: a helper's, project's or file's finding goes to every township it concerns).
// Findings concerning no township at all (unrouted) stay: they come from the clerk's own files.
import type { ResolvedFinding } from '../../model.js';
import type { VillageSummary } from '../../outputs/summary.js';
import { regionOf } from '../../outputs/workbook.js';
import { normalizePlaceName } from '../../normalize/text.js';
import { safeNamePart } from '../../outputs/xlsx-text.js';
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

function matches(scope: RegionScope, county: string | undefined, township: string | undefined): boolean {
  const k = keyOf(scope, county, township);
  return k !== '' && k === normalizePlaceName(scope.name);
}

/** The finding belongs to the clerk's region (own place or a route), or to no region at all. */
export function findingInScope(scope: RegionScope, f: ResolvedFinding): boolean {
  const r = regionOf(f);
  if (matches(scope, r.county, r.township)) return true;
  const routes = f.routes ?? [];
  if (routes.some((x) => matches(scope, x.county, x.township))) return true;
  return keyOf(scope, r.county, r.township) === '' && routes.every((x) => keyOf(scope, x.county, x.township) === '');
}

/**
 * The finding as the clerk's 台账 should carry it: routes to other regions dropped, so the writer
 * makes no workbook of another township from it.
 */
function withinScope(scope: RegionScope, f: ResolvedFinding): ResolvedFinding {
  if (!f.routes?.length) return f;
  const routes = f.routes.filter((x) => placeInScope(scope, x.county, x.township));
  return routes.length === f.routes.length ? f : { ...f, routes };
}

/**
 * Whether a 整改台账 file written from scoped findings is the clerk's: 整改台账_[县_]乡镇[_n].xlsx of the
 * clerk's township (county), or 整改台账_未注明乡镇. A finding of another township routed to the clerk's
 * still makes the writer open a workbook of its own township: that file is not the clerk's.
 */
export function workbookInScope(scope: RegionScope, fileName: string): boolean {
  const parts = fileName.replace(/\.xlsx$/i, '').replace(/_\d+$/, '').split('_');
  if (parts[0] !== '整改台账') return false;
  if (parts[1] === '未注明乡镇') return true;
  const want = normalizePlaceName(safeNamePart(scope.name));
  const names = parts.slice(1).map((p) => normalizePlaceName(p));
  return scope.level === 'township' ? names.at(-1) === want : names.length >= 2 && names[0] === want;
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
    if (findingInScope(scope, f)) {
      keptFindings.push(withinScope(scope, f));
      continue;
    }
    const r = regionOf(f);
    const place = r.township || r.county ? r : (f.routes ?? [])[0] ?? {};
    other(place.county ?? '', place.township ?? '').findings++;
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
