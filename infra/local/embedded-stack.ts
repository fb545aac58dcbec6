import { appendFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MetricName } from '../../contracts/index.js';
import { createPostgresSink } from '../../consumers/sales-transform/adapters/postgres-sink.js';
import { createSalesTransform } from '../../consumers/sales-transform/process-batch.js';
import { createKinesisEventWriter } from '../../producers/shared/kinesis-event-writer.js';
import type { EventWriter, WriteReceipt } from '../../producers/shared/ports.js';
import { dataDirAt, loadPepper, type DataDir } from './data-dir.js';
import { createArchivingSink } from './event-archive.js';
import { startKinesisPoller, type KinesisPoller } from './kinesis-poller.js';
import { createLocalMetrics, type LocalMetrics } from './local-metrics.js';
import { openLocalStream, type LocalStream } from './local-stream.js';
import { openWarehouse, type Warehouse } from './warehouse.js';

export interface LocalStackOptions {
  readonly dataDir?: DataDir;
  /** Use this PostgreSQL instead of the embedded one. */
  readonly databaseUrl?: string;
  /** Use this Kinesis endpoint instead of an in-process kinesalite. */
  readonly kinesisEndpoint?: string;
  readonly streamName?: string;
  readonly shardCount?: number;
  /** Run the consumer in this process (default true). */
  readonly consumer?: boolean;
  readonly recordTargetBytes?: number;
  readonly log?: (line: string) => void;
}

/** The whole pipeline on one machine, wired with the same handlers as in AWS. */
export interface LocalStack {
  readonly dataDir: DataDir;
  readonly warehouse: Warehouse;
  readonly stream: LocalStream;
  readonly writer: EventWriter;
  readonly pepper: string;
  readonly metrics: LocalMetrics;
  readonly poller: KinesisPoller | undefined;
  /** Resolves when the consumer has processed everything in the receipt. */
  waitFor(receipt: WriteReceipt, signal?: AbortSignal): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the embedded stack: PostgreSQL (embedded or `databaseUrl`), kinesalite
 * (or `kinesisEndpoint`), the shared Kinesis writer, and the consumer handler fed by
 * a poller. State lives in the data folder, so a restart carries on where it stopped.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const dataDir = options.dataDir ?? dataDirAt();
  const log = options.log ?? (() => undefined);
  await mkdir(dataDir.root, { recursive: true });
  const pepper = await loadPepper(dataDir);
  const warehouse = await openWarehouse({ databaseUrl: options.databaseUrl, dataPath: dataDir.postgres, log });
  let stream: LocalStream | undefined;
  try {
    stream = await openLocalStream({ endpoint: options.kinesisEndpoint, streamName: options.streamName, shardCount: options.shardCount });
  } catch (error) {
    await warehouse.stop();
    throw error;
  }
  const metrics = createLocalMetrics(warehouse.pool);
  const writer = createKinesisEventWriter({
    client: stream.client,
    streamName: stream.streamName,
    recordTargetBytes: options.recordTargetBytes,
    onRetry: ({ failed }) => metrics.record(MetricName.StreamRetries, failed),
  });
  const sink = createArchivingSink(createPostgresSink(warehouse.pool), dataDir.archive);
  const poller =
    options.consumer === false
      ? undefined
      : await startKinesisPoller({
          client: stream.client,
          streamName: stream.streamName,
          region: stream.region,
          handlerForShard: () =>
            createSalesTransform({ sink, getPepper: async () => pepper, recordMetric: (name, _unit, value) => metrics.record(name, value) }),
          onError: (error, shardId) => log(`consumer ${shardId}: ${error instanceof Error ? error.message : String(error)}`),
          // The local on-failure destination: positions only, as Lambda's destination sends.
          onDeadLetter: (letter) => {
            log(`consumer ${letter.shardId}: record ${letter.sequenceNumber} given up after ${letter.attempts} attempts (dead-letters/)`);
            void mkdir(dataDir.deadLetters, { recursive: true })
              .then(() => appendFile(join(dataDir.deadLetters, `${new Date().toISOString().slice(0, 10)}.ndjson`), `${JSON.stringify(letter)}\n`))
              .catch(() => undefined);
          },
        });
  await writeFile(dataDir.stackFile, JSON.stringify({ pid: process.pid, databaseUrl: warehouse.url, kinesisEndpoint: stream.endpoint, streamName: stream.streamName }, null, 2));

  return {
    dataDir,
    warehouse,
    stream,
    writer,
    pepper,
    metrics,
    poller,
    waitFor(receipt, signal) {
      if (!poller) return Promise.reject(new Error('no consumer runs in this process'));
      return poller.waitFor(receipt, signal);
    },
    async stop() {
      await poller?.stop();
      await metrics.stop();
      await stream?.stop();
      await warehouse.stop();
      await rm(dataDir.stackFile, { force: true });
    },
  };
}
