import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresSink } from '../../consumers/sales-transform/adapters/postgres-sink.js';
import { createSalesTransform } from '../../consumers/sales-transform/process-batch.js';
import { startLocalStack, type LocalStack } from '../../infra/local/stack/embedded-stack.js';
import { dataDirAt } from '../../infra/local/stack/data-dir.js';
import { generateLargeFile } from '../../tools/generator/generate-sales.js';
import { ingestPaths } from '../../infra/local/stack/ingest-paths.js';
import { toKinesisEvent } from '../../infra/local/consumer/kinesis-poller.js';
import { loadCatalogue } from '../../tools/catalogue/branch-profiles.js';
import { computeStats, standardFiles, type IndependentStats } from '../helpers/independent-stats.js';
import { injectKinesisFaults } from '../helpers/kinesis-faults.js';
import { SAMPLE_REAL, startTestStack } from '../helpers/local-stack.js';
import { standardCorpusDirs } from '../helpers/standard-corpus.js';

const CLI = join(import.meta.dirname, '..', '..', 'bin', 'supercafe.js');
const sampleFigures = computeStats(standardFiles(SAMPLE_REAL));

/** The figures a clean run must reproduce, over all sales or one source file's. */
async function figures(stack: LocalStack, sourceRef?: string) {
  const { rows } = await stack.warehouse.pool.query<{ sales: number; revenue: number; items: number; distinct_ids: number }>(
    `SELECT count(*)::int AS sales, coalesce(sum(total_pence), 0)::int AS revenue,
            (SELECT count(*)::int FROM sale_items i JOIN sales s USING (event_id) WHERE $1::text IS NULL OR s.source_ref = $1) AS items,
            count(DISTINCT event_id)::int AS distinct_ids
     FROM sales WHERE $1::text IS NULL OR source_ref = $1`,
    [sourceRef ?? null],
  );
  return rows[0];
}

const clean = (stats: IndependentStats) => ({ sales: stats.rows, revenue: stats.revenuePence, items: stats.items, distinct_ids: stats.rows });

async function salesCount(stack: LocalStack, sourceRef?: string): Promise<number> {
  return (await figures(stack, sourceRef))?.sales ?? 0;
}

/** Runs the CLI as a separate process against the given stack's stream and warehouse. */
function cli(stack: LocalStack, dataDir: string, args: string[]): ChildProcess {
  return spawn(process.execPath, [CLI, '--data-dir', dataDir, '--kinesis-endpoint', stack.stream.endpoint, '--database-url', stack.warehouse.url, ...args], {
    env: { ...process.env, SUPERCAFE_PEPPER: stack.pepper },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

describe('Faults: nothing lost, nothing counted twice', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('survives Kinesis throttling and partial PutRecords failures', async () => {
    // Prepare: small records so a batch has many entries to fail
    const test = await startTestStack({ recordTargetBytes: 2048 });
    cleanups.push(() => test.stop());
    const faults = injectKinesisFaults(test.stack.stream.client, { entryFailureRate: 0.2, callThrottleRate: 0.1 });

    // Act
    await test.ingest([SAMPLE_REAL]);

    // Assess
    expect(faults.entriesFailed).toBeGreaterThan(10);
    expect(faults.callsThrottled).toBeGreaterThan(0);
    expect(await figures(test.stack)).toEqual(clean(sampleFigures));
  }, 120_000);

  it('loads the same Kinesis batch delivered twice once', async () => {
    // Prepare: events on the stream, no consumer yet
    const test = await startTestStack({ consumer: false });
    cleanups.push(() => test.stop());
    await ingestPaths(test.stack, [SAMPLE_REAL]);
    const { client, streamName, region } = test.stack.stream;
    const transform = createSalesTransform({ sink: createPostgresSink(test.stack.warehouse.pool), getPepper: async () => test.stack.pepper });
    const shards = (await client.send(new ListShardsCommand({ StreamName: streamName }))).Shards ?? [];

    // Act: every shard's records handed to the consumer twice
    for (const shard of shards) {
      const iterator = await client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
      const records = (await client.send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator, Limit: 10_000 }))).Records ?? [];
      const event = toKinesisEvent(records, shard.ShardId ?? '', `arn:aws:kinesis:${region}:0:stream/${streamName}`, region);
      for (let delivery = 0; delivery < 2; delivery++) {
        const response = await transform(event, {} as never);
        expect(response.batchItemFailures).toEqual([]);
      }
    }

    // Assess
    expect(await figures(test.stack)).toEqual(clean(sampleFigures));
  }, 120_000);

  it('carries on after the warehouse is stopped for 30 seconds', async () => {
    // Prepare
    const test = await startTestStack();
    cleanups.push(() => test.stop());
    const server = test.stack.warehouse.server;
    if (!server) throw new Error('needs the embedded warehouse');

    // Act: publish, take the warehouse away mid-load, bring it back
    const run = await ingestPaths(test.stack, [SAMPLE_REAL]);
    await server.stop();
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    await server.start();
    await test.stack.waitFor(run.receipt);

    // Assess
    expect(await figures(test.stack)).toEqual(clean(sampleFigures));
  }, 180_000);

  it("restarts the stack's own consumer process after a SIGKILL mid-load, loading every sale once", async () => {
    // Prepare: the default stack, its consumer in a child process
    const logs: string[] = [];
    const test = await startTestStack({ log: (line) => logs.push(line) });
    cleanups.push(() => test.stop());
    const corpus = await standardCorpusDirs(test.root);
    const expected = computeStats(standardFiles(...corpus));
    const firstPid = test.stack.consumerPid;
    if (firstPid === undefined) throw new Error('the consumer should run in its own process');

    // Act: publish, kill the consumer part way through loading
    const run = await ingestPaths(test.stack, corpus);
    await expect.poll(() => salesCount(test.stack), { timeout: 60_000, interval: 20 }).toBeGreaterThan(1_000);
    process.kill(firstPid, 'SIGKILL');
    await test.stack.waitFor(run.receipt);

    // Assess
    expect(test.stack.consumerPid).not.toBe(firstPid);
    expect(logs.some((line) => line.includes('starting it again'))).toBe(true);
    expect(await figures(test.stack)).toEqual(clean(expected));
  }, 180_000);

  describe('with separate processes', () => {
    let stack: LocalStack;
    let root: string;
    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'supercafe-faults-'));
      process.env.SUPERCAFE_PEPPER ??= 'test-pepper-not-secret';
      stack = await startLocalStack({ dataDir: dataDirAt(join(root, 'stack')), consumer: false });
    });
    afterAll(async () => {
      await stack?.stop();
      await rm(root, { recursive: true, force: true });
    });

    it('loads every sale exactly once when the consumer is SIGKILLed mid-batch and restarted', async () => {
      // Prepare: about 50,000 sales waiting on the stream
      const corpus = await standardCorpusDirs(root);
      const expected = computeStats(standardFiles(...corpus));
      await stack.warehouse.pool.query('TRUNCATE sales, sale_items, quarantine, ingest_files');
      await ingestPaths(stack, corpus);

      // Act: kill the consumer process part way, then start another
      const first = cli(stack, join(root, 'consumer-1'), ['consume']);
      await expect.poll(() => salesCount(stack), { timeout: 60_000, interval: 50 }).toBeGreaterThan(2_000);
      first.kill('SIGKILL');
      await exited(first);
      const partial = await salesCount(stack);
      const second = cli(stack, join(root, 'consumer-2'), ['consume']);
      cleanups.push(async () => {
        second.kill('SIGTERM');
        await exited(second);
      });
      await expect.poll(() => salesCount(stack), { timeout: 120_000, interval: 250 }).toBe(expected.rows);

      // Assess
      expect(partial).toBeLessThan(expected.rows);
      expect(await figures(stack)).toEqual(clean(expected));
    }, 240_000);

    it('loads a file once when its ingest is killed half way and the upload is retried', async () => {
      // Prepare: a generated file large enough to kill mid-way
      const file = join(root, 'big-upload.csv');
      await generateLargeFile({ catalogue: loadCatalogue([SAMPLE_REAL]), rows: 60_000, path: file });
      const expected = computeStats([file]);
      await stack.warehouse.pool.query('TRUNCATE sales, sale_items, quarantine, ingest_files');
      const consumer = cli(stack, join(root, 'consumer-3'), ['consume']);
      cleanups.push(async () => {
        consumer.kill('SIGTERM');
        await exited(consumer);
      });

      // Act: the first upload's ingest dies part way through the file
      // (The stream still holds the previous test's sales: count this file's only.)
      const killed = cli(stack, join(root, 'publisher-1'), ['publish', file]);
      await expect.poll(() => salesCount(stack, file), { timeout: 60_000, interval: 50 }).toBeGreaterThan(0);
      killed.kill('SIGKILL');
      await exited(killed);
      const partial = await salesCount(stack, file);
      const retried = cli(stack, join(root, 'publisher-2'), ['publish', file]);
      expect(await exited(retried)).toBe(0);
      await expect.poll(() => salesCount(stack, file), { timeout: 120_000, interval: 250 }).toBe(expected.rows);

      // Assess
      expect(partial).toBeLessThan(expected.rows);
      expect(await figures(stack, file)).toEqual(clean(expected));
    }, 240_000);
  });
});
