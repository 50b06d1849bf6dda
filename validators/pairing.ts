// PAIR — 结对关系 (SPEC §3 PAIR-01..PAIR-09): the family's rules, in catalogue order. Each idea has
// its own file under validators/pairing/ (household coverage, village coverage, dates, a helper who
// is also a registered member, a helper's load, the records themselves); the pairing index they
// share is a derived index (validators/lib/pairing-index.ts), the interval semantics are in
// validators/lib/intervals.ts.
import type { AnyRule } from '../src/engine/rule.js';
import { PAIR_01, PAIR_03 } from './pairing/household-coverage.js';
import { PAIR_02, PAIR_06 } from './pairing/dates.js';
import { PAIR_04 } from './pairing/village-coverage.js';
import { PAIR_05 } from './pairing/helper-is-member.js';
import { PAIR_07 } from './pairing/helper-load.js';
import { PAIR_08, PAIR_09 } from './pairing/records.js';

export const pairingRules: AnyRule[] = [PAIR_01, PAIR_02, PAIR_03, PAIR_04, PAIR_05, PAIR_06, PAIR_07, PAIR_08, PAIR_09];

/** exported for tests, benchmarks and callers that want a single rule */
export { PAIR_01, PAIR_02, PAIR_03, PAIR_04, PAIR_05, PAIR_06, PAIR_07, PAIR_08, PAIR_09 };
