import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataDirAt, type DataDir } from '../../infra/local/stack/data-dir.js';
import { startLocalStack, type LocalStack } from '../../infra/local/stack/embedded-stack.js';
import { ingestPaths, type IngestRun } from '../../infra/local/stack/ingest-paths.js';
import type { KinesisPoller } from '../../infra/local/consumer/kinesis-poller.js';
import { startLocalConsumer } from '../../infra/local/consumer/local-consumer.js';
import { computeStats, standardFiles } from '../helpers/independent-stats.js';
import { SAMPLE_REAL, startTestStack, type TestStack } from '../helpers/local-stack.js';

const expected = computeStats(standardFiles(SAMPLE_REAL));

async function figures(stack: LocalStack) {
  const { rows } = await stack.warehouse.pool.query<{ sales: number; revenue: number; items: number }>(
    'SELECT count(*)::int AS sales, coalesce(sum(total_pence), 0)::int AS revenue, (SELECT count(*)::int FROM sale_items) AS items FROM sales',
  );
  return rows[0];
}

/** Lines the consumer has archived: one per record loaded, so a re-read shows here. */
async function archivedLines(dir: DataDir): Promise<number> {
  let lines = 0;
  for (const name of await readdir(dir.archive).catch(() => [] as string[])) lines += (await readFile(join(dir.archive, name), 'utf8')).split('\n').filter(Boolean).length;
  return lines;
}

describe('The local stack restarted: unloaded events survive, loaded ones are cleared', () => {
  let root: string;
  let dir: DataDir;
  let stack: LocalStack | undefined;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'supercafe-restart-'));
    dir = dataDirAt(join(root, 'state'));
    process.env.SUPERCAFE_PEPPER ??= 'test-pepper-not-secret';
  });
  afterAll(async () => {
    await stack?.stop();
    await rm(root, { recursive: true, force: true });
  });

  let run: IngestRun;
  it('keeps published events on disk through a restart, and the next consumer loads them', async () => {
    // Prepare: events published, then the whole stack stopped before any consumer ran
    stack = await startLocalStack({ dataDir: dir, consumer: false });
    run = await ingestPaths(stack, [SAMPLE_REAL]);
    await stack.stop();

    // Act
    stack = await startLocalStack({ dataDir: dir });
    await stack.waitFor(run.receipt);

    // Assess
    expect(await figures(stack)).toEqual({ sales: expected.rows, revenue: expected.revenuePence, items: expected.items });
  }, 120_000);

  it('removes the raw events at a clean stop once every one is loaded, and starts on a fresh stream', async () => {
    // Prepare
    const archived = await archivedLines(dir);

    // Act
    await stack?.stop();
    const streamKept = await stat(dir.stream).then(() => true, () => false);
    stack = await startLocalStack({ dataDir: dir });
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    // Assess: no names or cards left on disk in the stream, nothing loaded again, figures unchanged
    expect(streamKept).toBe(false);
    expect(await archivedLines(dir)).toBe(archived);
    expect(await figures(stack)).toEqual({ sales: expected.rows, revenue: expected.revenuePence, items: expected.items });
  }, 120_000);
});

describe('A consumer restarted on the same stream resumes from its saved checkpoints', () => {
  let test: TestStack;
  const pollers: KinesisPoller[] = [];
  const consumer = () =>
    startLocalConsumer({
      client: test.stack.stream.client,
      streamName: test.stack.stream.streamName,
      region: test.stack.stream.region,
      pool: test.stack.warehouse.pool,
      pepper: test.stack.pepper,
      archiveDir: test.stack.dataDir.archive,
      deadLettersDir: test.stack.dataDir.deadLetters,
      metrics: test.stack.metrics,
      log: () => undefined,
    }).then((poller) => (pollers.push(poller), poller));
  beforeAll(async () => {
    test = await startTestStack({ consumer: false });
  });
  afterAll(async () => {
    for (const poller of pollers) await poller.stop();
    await test?.stop();
  });

  it('reads nothing again', async () => {
    // Prepare: one consumer loads everything, then stops
    const run = await ingestPaths(test.stack, [SAMPLE_REAL]);
    const first = await consumer();
    await first.waitFor(run.receipt);
    await first.stop();
    const archived = await archivedLines(test.stack.dataDir);

    // Act
    const second = await consumer();
    await second.waitFor(run.receipt);
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    // Assess
    expect(await archivedLines(test.stack.dataDir)).toBe(archived);
    const { rows } = await test.stack.warehouse.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM stream_checkpoints');
    expect(rows[0]?.n).toBeGreaterThan(0);
    expect(await figures(test.stack)).toEqual({ sales: expected.rows, revenue: expected.revenuePence, items: expected.items });
  }, 120_000);
});
