// The 户主 name of a household for the 台账's 户主 column: the 户主's own member row, else the name the
// household rows give.
import type { Indexes } from '../engine/indexes.js';

export function headNameLookup(indexes: Pick<Indexes, 'households'>): (householdNo: string) => string | undefined {
  const names = new Map<string, string>();
  for (const h of indexes.households.values()) {
    const head = h.members.find((m) => m.v.relation === '户主');
    const name = head?.v.name ?? h.v.headName;
    if (name) names.set(h.householdNo, name);
  }
  return (householdNo) => names.get(householdNo);
}
