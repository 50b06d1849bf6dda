import type { AnyRule } from '../src/engine/rule.js';

export const pairingRules: AnyRule[] = [];
