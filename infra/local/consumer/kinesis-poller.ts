import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type GetRecordsCommandOutput, type KinesisClient, type _Record } from '@aws-sdk/client-kinesis';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import type { WriteReceipt } from '../../../producers/shared/ports.js';
import { CheckpointTracker } from './checkpoint-tracker.js';

export type KinesisBatchHandler = (event: KinesisStreamEvent, context: Context) => Promise<KinesisStreamBatchResponse>;

export interface KinesisPollerOptions {
  readonly client: KinesisClient;
  readonly streamName: string;
  readonly region: string;
  /** A handler per shard: Lambda runs one invocation per shard at a time, and so do we. */
  readonly handlerForShard: (shardId: string) => KinesisBatchHandler;
  readonly batchSize?: number;
  readonly idleMs?: number;
  readonly retryDelayMs?: number;
  /**
   * Attempts at a failing record before it is given up as a dead letter (Lambda's
   * `retryAttempts` + on-failure destination): no poison pill blocks a shard forever.
   */
  readonly maxRetries?: number;
  /** Told about a record given up on: its position only, as Lambda's on-failure destination is. */
  readonly onDeadLetter?: (letter: DeadLetter) => void;
  readonly onBatch?: (info: { shardId: string; records: number; failures: number; millisBehind: number }) => void;
  /** Told each time a shard's checkpoint moves (a consumer in another process reports progress with it). */
  readonly onCheckpoint?: (shardId: string, sequence: bigint) => void;
  /**
   * Keeps checkpoints across restarts, as Lambda's event source mapping does for a
   * function; without one, a new poller starts at the oldest record (loading is
   * idempotent either way, this only saves the re-reading).
   */
  readonly checkpointStore?: CheckpointStore;
  readonly onError?: (error: unknown, shardId: string) => void;
  /**
   * Handed each shard's next batch as soon as it is read ahead, while the current
   * one is still being handled: a consumer can do that batch's CPU work while the
   * current load waits on the warehouse. The batch is handed to the shard's
   * handler afterwards all the same, or read again if the current one fails.
   */
  readonly onReadAhead?: (shardId: string, event: KinesisStreamEvent) => void;
}

/** Where a record that kept failing sat on the stream (never its data, which holds personal data). */
export interface DeadLetter {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly approximateArrival: string | null;
  readonly attempts: number;
}

/**
 * Saved checkpoints, by shard key: `<stream>/<shard id>/<shard's first sequence
 * number>`, so a stream deleted and made again never resumes from the old one's.
 */
export interface CheckpointStore {
  load(shardKeys: readonly string[]): Promise<ReadonlyMap<string, bigint>>;
  save(shardKey: string, sequence: bigint): Promise<void>;
}

export interface KinesisPoller {
  /** Resolves once every shard's checkpoint has passed the receipt's sequence numbers. */
  waitFor(receipt: WriteReceipt, signal?: AbortSignal): Promise<void>;
  /** The last sequence number fully processed, per shard. */
  checkpoints(): ReadonlyMap<string, bigint>;
  stop(): Promise<void>;
}

/** Waits `ms`, or less when `signal` aborts first (a stop does not wait out a pause). */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

function lambdaContext(streamName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'sales-transform-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:sales-transform-local`,
    memoryLimitInMB: '512',
    awsRequestId: `local-${streamName}-${Date.now()}`,
    logGroupName: '/local/sales-transform',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Kinesis records as Lambda's event source mapping hands them to a function. */
export function toKinesisEvent(records: readonly _Record[], shardId: string, streamArn: string, region: string): KinesisStreamEvent {
  return {
    Records: records.map((record) => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: record.PartitionKey ?? '',
        sequenceNumber: record.SequenceNumber ?? '',
        data: Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
        approximateArrivalTimestamp: (record.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${shardId}:${record.SequenceNumber ?? ''}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/local',
      awsRegion: region,
      eventSourceARN: streamArn,
    })),
  };
}

/**
 * The local stand-in for Lambda's Kinesis event source mapping: one loop per shard
 * reads records, hands the handler a real Kinesis-shaped event, and honours the
 * partial batch response as Lambda does: it checkpoints up to the first failed
 * record and reads again from there after a pause, so nothing is skipped.
 */
export async function startKinesisPoller(options: KinesisPollerOptions): Promise<KinesisPoller> {
  const { client, streamName } = options;
  // Lambda's default batch size; each record may hold ~50 packed events.
  const batchSize = options.batchSize ?? 100;
  const idleMs = options.idleMs ?? 100;
  const retryDelayMs = options.retryDelayMs ?? 500;
  const maxRetries = options.maxRetries ?? 10;
  const streamArn = `arn:aws:kinesis:${options.region}:000000000000:stream/${streamName}`;
  const tracker = new CheckpointTracker();
  let running = true;
  const stopped = new AbortController();

  const shards = (await client.send(new ListShardsCommand({ StreamName: streamName }))).Shards ?? [];
  const shardKeys = new Map(shards.map((shard) => [shard.ShardId ?? '', `${streamName}/${shard.ShardId ?? ''}/${shard.SequenceNumberRange?.StartingSequenceNumber ?? ''}`]));

  const iteratorFrom = async (shardId: string): Promise<string | undefined> => {
    const checkpoint = tracker.get(shardId);
    const response = await client.send(
      new GetShardIteratorCommand(
        checkpoint === undefined
          ? { StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }
          : { StreamName: streamName, ShardId: shardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: checkpoint.toString() },
      ),
    );
    return response.ShardIterator;
  };

  const advance = (shardId: string, sequence: bigint) => {
    tracker.advance(shardId, sequence);
    options.onCheckpoint?.(shardId, sequence);
  };

  const store = options.checkpointStore;
  if (store) {
    const saved = await store.load([...shardKeys.values()]).catch((error: unknown) => {
      options.onError?.(error, 'checkpoints');
      return new Map<string, bigint>();
    });
    for (const [shardId, key] of shardKeys) {
      const sequence = saved.get(key);
      if (sequence !== undefined) advance(shardId, sequence);
    }
  }
  /** Moves the checkpoint and saves it; a failed save costs only re-reading after a restart. */
  const checkpoint = async (shardId: string, sequence: bigint) => {
    advance(shardId, sequence);
    await store?.save(shardKeys.get(shardId) ?? shardId, sequence).catch((error: unknown) => options.onError?.(error, shardId));
  };

  const pollShard = async (shardId: string) => {
    const handler = options.handlerForShard(shardId);
    let iterator: string | undefined;
    let failing: { sequence: string; attempts: number } | undefined;
    // The next batch, fetched while this one is handled; dropped when a batch fails (the retry starts at the checkpoint).
    let readAhead: Promise<GetRecordsCommandOutput> | undefined;
    const getRecords = (shardIterator: string) => client.send(new GetRecordsCommand({ ShardIterator: shardIterator, Limit: batchSize }));
    while (running) {
      try {
        iterator ??= await iteratorFrom(shardId);
        if (!iterator) return;
        const fetched = readAhead ?? getRecords(iterator);
        readAhead = undefined;
        const response = await fetched;
        const records = response.Records ?? [];
        if (records.length === 0) {
          iterator = response.NextShardIterator;
          await sleep(idleMs, stopped.signal);
          continue;
        }
        if (response.NextShardIterator && running) {
          const ahead = getRecords(response.NextShardIterator);
          ahead
            .then((next) => {
              if (next.Records?.length) options.onReadAhead?.(shardId, toKinesisEvent(next.Records, shardId, streamArn, options.region));
            })
            // A failed read is awaited next turn, or dropped; a read-ahead hook that throws only loses its head start.
            .catch(() => undefined);
          readAhead = ahead;
        }
        const result = await handler(toKinesisEvent(records, shardId, streamArn, options.region), lambdaContext(streamName));
        const failed = new Set(result.batchItemFailures.map((failure) => failure.itemIdentifier));
        const firstFailed = records.findIndex((record) => failed.has(record.SequenceNumber ?? ''));
        options.onBatch?.({ shardId, records: records.length, failures: failed.size, millisBehind: response.MillisBehindLatest ?? 0 });
        let done = firstFailed < 0 ? records : records.slice(0, firstFailed);
        const poison = firstFailed < 0 ? undefined : records[firstFailed];
        if (poison) {
          const sequence = poison.SequenceNumber ?? '';
          failing = failing?.sequence === sequence ? { sequence, attempts: failing.attempts + 1 } : { sequence, attempts: 1 };
          if (failing.attempts > maxRetries) {
            options.onDeadLetter?.({
              shardId,
              sequenceNumber: sequence,
              partitionKey: poison.PartitionKey ?? '',
              approximateArrival: poison.ApproximateArrivalTimestamp?.toISOString() ?? null,
              attempts: failing.attempts,
            });
            done = records.slice(0, firstFailed + 1);
            failing = undefined;
          }
        } else {
          failing = undefined;
        }
        const last = done.at(-1)?.SequenceNumber;
        if (last) await checkpoint(shardId, BigInt(last));
        if (firstFailed < 0) {
          iterator = response.NextShardIterator;
        } else {
          // As Lambda does with ReportBatchItemFailures: retry from the first failure.
          iterator = undefined;
          readAhead = undefined;
          // Exponential backoff (capped at 30 s) rides out an outage of the warehouse
          // before a record's attempts run out: ~2.5 minutes for ten attempts.
          if (failing) await sleep(Math.min(30_000, retryDelayMs * 2 ** (failing.attempts - 1)), stopped.signal);
        }
      } catch (error) {
        options.onError?.(error, shardId);
        iterator = undefined;
        readAhead = undefined;
        await sleep(retryDelayMs, stopped.signal);
      }
    }
  };

  const loops = shards.map((shard) => pollShard(shard.ShardId ?? ''));

  return {
    waitFor: (receipt, signal) => tracker.waitFor(receipt, signal),
    checkpoints: () => tracker.snapshot(),
    async stop() {
      running = false;
      stopped.abort();
      await Promise.allSettled(loops);
    },
  };
}
