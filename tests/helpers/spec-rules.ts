// Every rule id of SPEC §3 (the catalogue: 53 rules in seven families), in SPEC order.
const FAMILIES: readonly [string, number][] = [
  ['ID', 10],
  ['BASE', 13],
  ['PAIR', 9],
  ['HELPER', 7],
  ['PROJ', 4],
  ['BENE', 5],
  ['FILE', 5],
];

export const SPEC_RULE_IDS: readonly string[] = FAMILIES.flatMap(([prefix, n]) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(2, '0')}`),
);
