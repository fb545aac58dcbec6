import { describe, expect, it } from 'vitest';
import { quarantineEntryFactory, ingestFileFactory, saleRecordFactory } from '../../test/helpers/factories.js';
import { createCoalescingSink } from './coalescing-sink.js';
import type { ProjectionBatch, SaleSink } from './ports.js';

const batchOf = (index: number): ProjectionBatch => ({
  sales: [saleRecordFactory(index, 1)],
  quarantine: [quarantineEntryFactory({ eventId: index.toString(16).padStart(32, 'f') })],
  files: [ingestFileFactory({ file: `file-${index}.csv` })],
  voids: [],
});
const idsOf = (batch: ProjectionBatch) => batch.sales.map(({ sale }) => Number.parseInt(sale.eventId, 16));

function innerSink(fails: (batch: ProjectionBatch) => Error | undefined = () => undefined): SaleSink & { loads: ProjectionBatch[] } {
  const loads: ProjectionBatch[] = [];
  return {
    loads,
    async load(batch) {
      loads.push(batch);
      const error = fails(batch);
      if (error) throw error;
    },
  };
}

describe('Function: createCoalescingSink', () => {
  it('merges loads made together into one bulk load, table by table, in call order', async () => {
    // Prepare
    const inner = innerSink();
    const sink = createCoalescingSink(inner);

    // Act
    await Promise.all([sink.load(batchOf(1)), sink.load(batchOf(2)), sink.load(batchOf(3))]);

    // Assess
    expect(inner.loads).toHaveLength(1);
    expect(inner.loads[0]).toEqual({
      sales: [1, 2, 3].map((index) => saleRecordFactory(index, 1)),
      quarantine: [1, 2, 3].map((index) => quarantineEntryFactory({ eventId: index.toString(16).padStart(32, 'f') })),
      files: [1, 2, 3].map((index) => ingestFileFactory({ file: `file-${index}.csv` })),
      voids: [],
    });
  });

  it('loads nothing more once the merged load is done (no empty load after it)', async () => {
    // Prepare
    const inner = innerSink();
    const sink = createCoalescingSink(inner);

    // Act: three loads, then a turn of the event loop for any drain still scheduled
    await Promise.all([sink.load(batchOf(1)), sink.load(batchOf(2)), sink.load(batchOf(3))]);
    await new Promise((resolve) => setImmediate(resolve));

    // Assess
    expect(inner.loads.map(idsOf)).toEqual([[1, 2, 3]]);
  });

  it('does not hold a later load back for an earlier one', async () => {
    // Prepare
    const inner = innerSink();
    const sink = createCoalescingSink(inner);

    // Act
    await sink.load(batchOf(1));
    await sink.load(batchOf(2));

    // Assess
    expect(inner.loads.map(idsOf)).toEqual([[1], [2]]);
  });

  it('when the bulk load fails, retries each part alone and fails only the parts that fail again', async () => {
    // Prepare
    const refused = new Error('sale 2 refused');
    const inner = innerSink((batch) => (idsOf(batch).includes(2) ? refused : undefined));
    const sink = createCoalescingSink(inner);

    // Act
    const outcomes = await Promise.allSettled([sink.load(batchOf(1)), sink.load(batchOf(2)), sink.load(batchOf(3))]);

    // Assess
    expect(outcomes).toEqual([{ status: 'fulfilled', value: undefined }, { status: 'rejected', reason: refused }, { status: 'fulfilled', value: undefined }]);
    expect(inner.loads.map(idsOf)).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('fails a load made alone with its own error, without loading it twice', async () => {
    // Prepare
    const refused = new Error('warehouse down');
    const inner = innerSink(() => refused);
    const sink = createCoalescingSink(inner);

    // Act
    const outcome = sink.load(batchOf(1));

    // Assess
    await expect(outcome).rejects.toBe(refused);
    expect(inner.loads).toHaveLength(1);
  });
});
