// Builders for normalised rows in rule tests: what ingest + normalise would produce (the same
// builders rules use for their examples, src/engine/examples.ts).
import { createRowBuilder, idValue, partialDate, type RowOpts } from '../../src/engine/examples.js';

export type { RowOpts };

/** A normalised row of `table` with values `v`. Each call gets a new row number unless `at.row` is given. */
export const row = createRowBuilder();
export const id = idValue;
export const pd = partialDate;
