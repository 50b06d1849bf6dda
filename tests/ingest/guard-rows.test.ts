// guardRows judges the limits row by row on rows that come in batches: a row over a limit stops the
// sheet after every row before it, in its batch too, has been handed on (nothing read is lost).
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, Deadline, LimitError, guardRows, type Limits } from '../../src/ingest/limits.js';
import type { SourceRow } from '../../src/ingest/xlsx.js';

const row = (n: number, cells: (string | null)[] = ['a', 'b']): SourceRow => ({ row: n, cells });

async function* batchesOf(...batches: SourceRow[][]): AsyncGenerator<readonly SourceRow[]> {
  for (const b of batches) yield b;
}

/** The rows handed on (row numbers, batch by batch) and the error that stopped the sheet. */
async function run(limits: Partial<Limits>, ...batches: SourceRow[][]): Promise<{ got: number[][]; error?: LimitError }> {
  const got: number[][] = [];
  try {
    for await (const b of guardRows(batchesOf(...batches), { ...DEFAULT_LIMITS, ...limits }, new Deadline(60), '成员')) got.push(b.map((r) => r.row));
  } catch (e) {
    if (!(e instanceof LimitError)) throw e;
    return { got, error: e };
  }
  return { got };
}

describe('guardRows over batches', () => {
  it('hands every batch on whole when no row breaks a limit', async () => {
    const r = await run({}, [row(1), row(2)], [], [row(3)]);
    expect(r.got).toEqual([[1, 2], [], [3]]);
    expect(r.error).toBeUndefined();
  });

  it('a row with too many columns: the rows before it in its batch come first, then the error names it', async () => {
    const r = await run({ columnsPerRow: 3 }, [row(1)], [row(2), row(3, ['1', '2', '3', '4']), row(4)]);
    expect(r.got).toEqual([[1], [2]]);
    expect(r.error?.kind).toBe('columnsPerRow');
    expect(r.error?.message).toContain('第3行');
    expect(r.error?.message).toContain('工作表「成员」');
  });

  it('trailing empty cells are dropped before the columns are counted', async () => {
    const wide = row(2, ['1', '2', null, '', null]);
    const r = await run({ columnsPerRow: 2 }, [row(1), wide]);
    expect(r.error).toBeUndefined();
    expect(wide.cells).toEqual(['1', '2']);
  });

  it('rows per sheet are counted across batches', async () => {
    const r = await run({ rowsPerSheet: 3 }, [row(1), row(2)], [row(3), row(4), row(5)]);
    expect(r.got).toEqual([[1, 2], [3]]);
    expect(r.error?.kind).toBe('rowsPerSheet');
  });

  it('a cell over the cell limit as the first row of a batch: nothing of that batch is handed on', async () => {
    const r = await run({ bytesPerCell: 4 }, [row(1)], [row(2, ['12345']), row(3)]);
    expect(r.got).toEqual([[1]]);
    expect(r.error?.kind).toBe('bytesPerCell');
    expect(r.error?.message).toContain('第2行');
  });
});
