import { mkdir, rm, writeFile } from 'node:fs/promises';
import { MetricName } from '../../../contracts/index.js';
import { createKinesisEventWriter } from '../../../producers/shared/kinesis-event-writer.js';
import type { EventWriter, WriteReceipt } from '../../../producers/shared/ports.js';
import { erasuresPath } from '../erasure/local-erasure.js';
import { dataDirAt, loadPepper, type DataDir } from './data-dir.js';
import { startConsumerProcess, type ConsumerProcess } from '../consumer/consumer-process.js';
import type { KinesisPoller } from '../consumer/kinesis-poller.js';
import { startLocalConsumer } from '../consumer/local-consumer.js';
import { createLocalMetrics, type LocalMetrics } from '../consumer/local-metrics.js';
import { isStreamDrained, openLocalStream, type LocalStream } from '../emulators/local-stream.js';
import { openWarehouse, type Warehouse } from '../emulators/warehouse.js';

export interface LocalStackOptions {
  readonly dataDir?: DataDir;
  /** Use this PostgreSQL instead of the embedded one. */
  readonly databaseUrl?: string;
  /** Use this Kinesis endpoint instead of the stack's own kinesalite (a child process). */
  readonly kinesisEndpoint?: string;
  readonly streamName?: string;
  readonly shardCount?: number;
  /**
   * Where the consumer runs: in its own process (default: its own core and heap, as
   * its own Lambda in AWS), in this process (tests that reach into it), or nowhere.
   */
  readonly consumer?: 'process' | 'in-process' | false;
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
  /** The consumer's process id when it runs in its own process. */
  readonly consumerPid: number | undefined;
  /** Resolves when the consumer has processed everything in the receipt. */
  waitFor(receipt: WriteReceipt, signal?: AbortSignal): Promise<void>;
  stop(): Promise<void>;
}

/** Settles every start-up step, then either gives their values or stops those that started and throws the first failure. */
async function allStarted<T extends readonly unknown[]>(steps: { readonly [K in keyof T]: { started: Promise<T[K]>; stop: (value: T[K]) => Promise<unknown> } }): Promise<T> {
  const settled = await Promise.allSettled(steps.map((step) => step.started));
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (!failed) return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
  // Stopped in reverse order of start: the consumer, then the stream, then the warehouse.
  for (let index = settled.length - 1; index >= 0; index--) {
    const result = settled[index];
    if (result?.status === 'fulfilled') await steps[index]?.stop(result.value as never).catch(() => undefined);
  }
  throw failed.reason;
}

/**
 * Starts the embedded stack: PostgreSQL (embedded or `databaseUrl`), kinesalite
 * (or `kinesisEndpoint`), the shared Kinesis writer, and the consumer handler fed by
 * a poller. State lives in the data folder, so a restart carries on where it stopped.
 * The three start at once: the consumer process loads its code while the warehouse
 * and the stream come up, and starts polling once both are there.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const dataDir = options.dataDir ?? dataDirAt();
  const log = options.log ?? (() => undefined);
  await mkdir(dataDir.root, { recursive: true });
  const pepper = await loadPepper(dataDir);
  const warehouseStarting = openWarehouse({ databaseUrl: options.databaseUrl, dataPath: dataDir.postgres, log });
  const streamStarting = openLocalStream({ endpoint: options.kinesisEndpoint, streamName: options.streamName, shardCount: options.shardCount, storagePath: dataDir.stream });
  const consumerMode = options.consumer ?? 'process';
  const consumerProcessStarting =
    consumerMode === 'process'
      ? startConsumerProcess(
          Promise.all([warehouseStarting, streamStarting]).then(([warehouse, stream]) => ({
            kinesisEndpoint: stream.endpoint,
            streamName: stream.streamName,
            region: stream.region,
            databaseUrl: warehouse.url,
            pepper,
            archiveDir: dataDir.archive,
            deadLettersDir: dataDir.deadLetters,
            erasuresFile: erasuresPath(dataDir),
          })),
          log,
        )
      : Promise.resolve(undefined);
  const [warehouse, stream, consumerProcess] = await allStarted<[Warehouse, LocalStream, ConsumerProcess | undefined]>([
    { started: warehouseStarting, stop: (started) => started.stop() },
    { started: streamStarting, stop: (started) => started.stop() },
    { started: consumerProcessStarting, stop: async (started) => started?.stop() },
  ]);
  const metrics = createLocalMetrics(warehouse.pool);
  const writer = createKinesisEventWriter({
    client: stream.client,
    streamName: stream.streamName,
    recordTargetBytes: options.recordTargetBytes,
    onRetry: ({ failed }) => metrics.record(MetricName.StreamRetries, failed),
  });
  let consumer: ConsumerProcess | KinesisPoller | undefined = consumerProcess;
  if (consumerMode === 'in-process') {
    try {
      consumer = await startLocalConsumer({
        client: stream.client,
        streamName: stream.streamName,
        region: stream.region,
        pool: warehouse.pool,
        pepper,
        archiveDir: dataDir.archive,
        deadLettersDir: dataDir.deadLetters,
        erasuresFile: erasuresPath(dataDir),
        metrics,
        log,
      });
    } catch (error) {
      await metrics.stop();
      await stream.stop();
      await warehouse.stop();
      throw error;
    }
  }
  await writeFile(dataDir.stackFile, JSON.stringify({ pid: process.pid, databaseUrl: warehouse.url, kinesisEndpoint: stream.endpoint, streamName: stream.streamName }, null, 2));

  return {
    dataDir,
    warehouse,
    stream,
    writer,
    pepper,
    metrics,
    get consumerPid() {
      return consumerProcess?.pid;
    },
    waitFor(receipt, signal) {
      if (!consumer) return Promise.reject(new Error('no consumer runs with this stack'));
      return consumer.waitFor(receipt, signal);
    },
    async stop() {
      // Every step runs even when one fails (Ctrl-C reaches PostgreSQL too, which may be gone).
      const errors: unknown[] = [];
      const step = async (action: () => Promise<unknown>) => {
        try {
          await action();
        } catch (error) {
          errors.push(error);
        }
      };
      await step(async () => consumer?.stop());
      // The stream holds raw events (names, card numbers). Once this stack's consumer
      // has loaded every one, nothing needs them (the archive keeps the clean records):
      // a clean stop removes them, and a stop with events pending keeps them for the next run.
      let drained = false;
      if (options.kinesisEndpoint === undefined && consumer !== undefined) {
        await step(async () => (drained = await isStreamDrained(stream.client, stream.streamName, consumer.checkpoints())));
      }
      await step(() => metrics.stop());
      await step(() => stream.stop());
      if (drained) await step(() => rm(dataDir.stream, { recursive: true, force: true }));
      await step(() => warehouse.stop());
      await step(() => rm(dataDir.stackFile, { force: true }));
      if (errors.length > 0) throw errors[0];
    },
  };
}
