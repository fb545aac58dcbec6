import { PutRecordsCommand, type KinesisClient, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { resolveRetry, type RetryOptions, type RetryPolicy } from '../../common/retry/retry-policy.js';
import { failedEntries, sendWithRetry, type RetryRound } from '../../common/retry/send-with-retry.js';
import { encodeStreamRecord, type SalesStreamEvent } from '../../contracts/index.js';
import { StreamWriteError } from './errors.js';
import { mergeReceipts, type EventWriter, type WriteReceipt } from './ports.js';

/** PutRecords limits (Kinesis Data Streams quotas). */
export const PUT_RECORDS_MAX_ENTRIES = 500;
export const PUT_RECORDS_MAX_BYTES = 5 * 1024 * 1024;
export const RECORD_MAX_BYTES = 1024 * 1024;
/**
 * Events are packed into one record up to this much JSON, then gzipped (~5:1).
 * Kinesis bills by the KiB (on-demand) or 25 KB unit (provisioned), so larger
 * records waste less; the consumer retries a record whole, which is safe because
 * loading is idempotent.
 */
export const DEFAULT_RECORD_TARGET_BYTES = 24 * 1024;

/** The writer's retry defaults: eight attempts, waits from 100 ms doubling up to 5 s (jittered). */
export const KINESIS_RETRY_DEFAULTS: RetryPolicy = { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 5_000 };

/**
 * The writer's options; the retry policy (`maxAttempts` per entry, first try
 * included, and the backoff) is the shared one in common/retry.
 */
export interface KinesisEventWriterOptions extends RetryOptions {
  readonly client: KinesisClient;
  readonly streamName: string;
  /** Pack events into one record up to this much JSON; 0 sends one plain-JSON event per record. */
  readonly recordTargetBytes?: number;
  /** Chooses the shard: by default a branch's sales share one, keeping them in order. */
  readonly partitionKeyOf?: (event: SalesStreamEvent) => string;
  /** Told about every retry round, for metrics and logs. */
  readonly onRetry?: (round: RetryRound) => void;
}

/**
 * The default partition key. A file's events share its key, so its rows and its
 * account (the version's commit) reach the consumer in order; a branch's till sales,
 * voids and refunds share the branch, so a void follows its sale. File and till
 * events of one branch may take different shards: the warehouse's fold counts them
 * once in either order (docs/corrections.md).
 */
export function defaultPartitionKey(event: SalesStreamEvent): string {
  const branch = (name: string) => name.trim().slice(0, 256) || 'unknown';
  switch (event.type) {
    case 'TransactionRecorded':
      return event.source.kind === 'file' ? event.source.file.slice(-256) : branch(event.data.branch);
    case 'RowRejected':
      return (event.source.kind === 'file' ? event.source.file : event.source.tillId).slice(-256);
    case 'FileVersionIngested':
      return event.data.file.slice(-256);
    case 'SaleVoided':
    case 'RefundRecorded':
      return branch(event.data.branch);
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** Packs events sharing a partition key into records of at most `targetBytes` of JSON (one event minimum), gzipped. */
export function packRecords(
  events: readonly SalesStreamEvent[],
  partitionKeyOf: (event: SalesStreamEvent) => string,
  targetBytes: number,
): PutRecordsRequestEntry[] {
  const open = new Map<string, { lines: string[]; bytes: number }>();
  const entries: PutRecordsRequestEntry[] = [];
  const flush = (key: string) => {
    const pending = open.get(key);
    if (!pending) return;
    entries.push({ PartitionKey: key, Data: encodeStreamRecord(pending.lines, targetBytes > 0) });
    open.delete(key);
  };
  for (const event of events) {
    const key = partitionKeyOf(event);
    const line = JSON.stringify(event);
    const bytes = Buffer.byteLength(line);
    if (bytes > RECORD_MAX_BYTES) throw new StreamWriteError(1, 0, 'RecordTooLarge');
    const pending = open.get(key);
    if (pending && pending.bytes + 1 + bytes > targetBytes) flush(key);
    const current = open.get(key);
    if (current) {
      current.lines.push(line);
      current.bytes += 1 + bytes;
    } else {
      open.set(key, { lines: [line], bytes });
    }
    if (targetBytes <= 0) flush(key);
  }
  for (const key of [...open.keys()]) flush(key);
  return entries;
}

/** Splits entries into PutRecords calls within the entry-count and payload limits. */
export function chunkEntries(entries: readonly PutRecordsRequestEntry[]): PutRecordsRequestEntry[][] {
  const calls: PutRecordsRequestEntry[][] = [];
  let current: PutRecordsRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = (entry.Data?.byteLength ?? 0) + Buffer.byteLength(entry.PartitionKey ?? '');
    if (current.length === PUT_RECORDS_MAX_ENTRIES || (current.length > 0 && bytes + size > PUT_RECORDS_MAX_BYTES)) {
      calls.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) calls.push(current);
  return calls;
}

/**
 * The shared Kinesis writer: PutRecords in batches within the service limits,
 * resending only the entries that failed, by the shared retry policy
 * (common/retry: exponential backoff with full jitter, throttling, HTTP 429/5xx and
 * network errors retried, anything else not), for a bounded number of attempts;
 * then a StreamWriteError that says how many entries were not accepted and the
 * last error code. An entry is never sent again once accepted.
 */
export function createKinesisEventWriter(options: KinesisEventWriterOptions): EventWriter {
  const retry = resolveRetry(options, KINESIS_RETRY_DEFAULTS);
  const partitionKeyOf = options.partitionKeyOf ?? defaultPartitionKey;
  const targetBytes = options.recordTargetBytes ?? DEFAULT_RECORD_TARGET_BYTES;

  async function sendCall(entries: PutRecordsRequestEntry[], receipt: WriteReceipt): Promise<void> {
    await sendWithRetry(
      entries,
      async (pending) => {
        const response = await options.client.send(new PutRecordsCommand({ StreamName: options.streamName, Records: [...pending] }));
        const results = response.Records ?? [];
        const failed = failedEntries(pending, results);
        for (const result of results) {
          if (!result.ErrorCode && result.ShardId && result.SequenceNumber) mergeReceipts(receipt, new Map([[result.ShardId, BigInt(result.SequenceNumber)]]));
        }
        return failed;
      },
      {
        ...retry,
        onRetry: options.onRetry,
        giveUp: ({ failedCount, attempts, lastErrorCode, cause }) => new StreamWriteError(failedCount, attempts, lastErrorCode, cause === undefined ? undefined : { cause }),
      },
    );
  }

  return {
    async write(events) {
      const receipt: WriteReceipt = new Map();
      for (const call of chunkEntries(packRecords(events, partitionKeyOf, targetBytes))) await sendCall(call, receipt);
      return receipt;
    },
  };
}
