// The explicit list of rules, in catalogue order (SPEC §3). No discovery magic: adding a rule
// means adding it to its family file, which is listed here.
import type { AnyRule } from '../src/engine/rule.js';
import { identityRules } from './identity.js';
import { basicInfoRules } from './basic-info.js';
import { pairingRules } from './pairing.js';
import { helperRules } from './helper.js';
import { projectRules } from './project.js';
import { beneficiaryRules } from './beneficiary.js';
import { fileRules } from './file.js';

export const RULES: readonly AnyRule[] = [
  ...identityRules,
  ...basicInfoRules,
  ...pairingRules,
  ...helperRules,
  ...projectRules,
  ...beneficiaryRules,
  ...fileRules,
];

export function ruleById(id: string): AnyRule | undefined {
  return RULES.find((r) => r.id === id);
}
