import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresSink } from '../../consumers/sales-transform/adapters/postgres-sink.js';
import type { SaleSink } from '../../consumers/sales-transform/ports.js';
import { createSalesTransform } from '../../consumers/sales-transform/process-batch.js';
import { ingestPaths } from '../../infra/local/stack/ingest-paths.js';
import { startKinesisPoller, type KinesisPoller } from '../../infra/local/consumer/kinesis-poller.js';
import { computeStats, standardFiles } from '../helpers/independent-stats.js';
import { SAMPLE_REAL, startTestStack, type TestStack } from '../helpers/local-stack.js';

describe('End to end: the consumer dies half way and a new one starts over', () => {
  let test: TestStack;
  const pollers: KinesisPoller[] = [];

  const startConsumer = (sink: SaleSink) =>
    startKinesisPoller({
      client: test.stack.stream.client,
      streamName: test.stack.stream.streamName,
      region: test.stack.stream.region,
      batchSize: 10,
      retryDelayMs: 50,
      handlerForShard: () => createSalesTransform({ sink, getPepper: async () => test.stack.pepper }),
    }).then((poller) => {
      pollers.push(poller);
      return poller;
    });

  beforeAll(async () => {
    // Small records and batches, so the first consumer dies with part of the data loaded.
    test = await startTestStack({ consumer: false, recordTargetBytes: 2048 });
  });
  afterAll(async () => {
    for (const poller of pollers) await poller.stop();
    await test?.stop();
  });

  it('loads every sale exactly once', async () => {
    // Prepare: every file published before any consumer runs
    const run = await ingestPaths(test.stack, [SAMPLE_REAL]);
    const expected = computeStats(standardFiles(SAMPLE_REAL));
    const postgres = createPostgresSink(test.stack.warehouse.pool);
    let loads = 0;
    let dead = false;
    // The first consumer dies after 5 loads: later loads fail as a crashed process would.
    const dying: SaleSink = {
      async load(batch) {
        if (dead || ++loads > 5) {
          dead = true;
          throw new Error('consumer killed');
        }
        await postgres.load(batch);
      },
    };

    // Act: first consumer runs until it dies, then a fresh one starts from the oldest record
    const first = await startConsumer(dying);
    await expect.poll(() => dead, { timeout: 30_000 }).toBe(true);
    await first.stop();
    const { rows: partial } = await test.stack.warehouse.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM sales');
    const second = await startConsumer(postgres);
    await second.waitFor(run.receipt);

    // Assess
    expect(partial[0]?.n).toBeGreaterThan(0);
    expect(partial[0]?.n).toBeLessThan(expected.rows);
    const { rows } = await test.stack.warehouse.pool.query<{ sales: number; revenue: number; items: number }>(
      'SELECT count(*)::int AS sales, sum(total_pence)::int AS revenue, (SELECT count(*)::int FROM sale_items) AS items FROM sales',
    );
    expect(rows[0]).toEqual({ sales: expected.rows, revenue: expected.revenuePence, items: expected.items });
  }, 120_000);
});
