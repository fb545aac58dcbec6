import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { resolveRetry, type RetryOptions, type RetryPolicy } from '../../common/retry/retry-policy.js';
import { failedEntries, sendWithRetry, type RetryRound } from '../../common/retry/send-with-retry.js';
import { encodeStreamRecord, type SalesStreamEvent } from '../../contracts/index.js';
import { ProducerError, StreamWriteError } from './errors.js';
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
      throw new ProducerError(`no partition key for an event of type ${String((unhandled as { type?: unknown }).type)}`);
    }
  }
}

/** One record of a PutRecords call, as the writer builds it. */
export interface StreamRecordEntry {
  readonly PartitionKey: string;
  readonly Data: Uint8Array;
}

/**
 * Packs events sharing a partition key into records of at most `targetBytes` of
 * JSON (one event minimum; the events joined by newlines), gzipped; with
 * `targetBytes` 0, one plain-JSON event per record, in the order given. A key's
 * events keep their order; records are listed in the order each was opened.
 * Throws StreamWriteError `RecordTooLarge` for an event whose JSON and partition
 * key pass 1 MiB together: Kinesis's record limit counts both
 * (PutRecords, API reference), and the event must fit a record of its own.
 */
export function packRecords(events: readonly SalesStreamEvent[], partitionKeyOf: (event: SalesStreamEvent) => string, targetBytes: number): StreamRecordEntry[] {
  const open = new Map<string, { lines: string[]; bytes: number }>();
  const entries: StreamRecordEntry[] = [];
  for (const event of events) {
    const key = partitionKeyOf(event);
    const line = JSON.stringify(event);
    const bytes = Buffer.byteLength(line);
    if (bytes + Buffer.byteLength(key) > RECORD_MAX_BYTES) throw new StreamWriteError(1, 0, 'RecordTooLarge');
    if (targetBytes <= 0) {
      entries.push({ PartitionKey: key, Data: encodeStreamRecord([line], false) });
      continue;
    }
    const pending = open.get(key);
    if (pending && pending.bytes + 1 + bytes <= targetBytes) {
      pending.lines.push(line);
      pending.bytes += 1 + bytes;
      continue;
    }
    if (pending) {
      entries.push({ PartitionKey: key, Data: encodeStreamRecord(pending.lines) });
      open.delete(key);
    }
    open.set(key, { lines: [line], bytes });
  }
  for (const [key, pending] of open) entries.push({ PartitionKey: key, Data: encodeStreamRecord(pending.lines) });
  return entries;
}

/** Splits entries into PutRecords calls within the entry-count and payload (data and partition keys) limits, keeping their order. */
export function chunkEntries(entries: readonly StreamRecordEntry[]): StreamRecordEntry[][] {
  const calls: StreamRecordEntry[][] = [];
  let current: StreamRecordEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entry.Data.byteLength + Buffer.byteLength(entry.PartitionKey);
    // An entry alone over the payload limit still gets a call (Kinesis refuses it, by name), never an empty one.
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

  async function sendCall(entries: StreamRecordEntry[], receipt: WriteReceipt): Promise<void> {
    await sendWithRetry(
      entries,
      async (pending) => {
        const response = await options.client.send(new PutRecordsCommand({ StreamName: options.streamName, Records: [...pending] }));
        const results = response.Records ?? [];
        const failed = failedEntries(pending, results);
        // An accepted record has a shard and a sequence number, a failed one an ErrorCode and neither.
        for (const { ShardId, SequenceNumber } of results) {
          // Stryker disable next-line LogicalOperator: Kinesis gives ShardId and SequenceNumber together or not at all
          if (ShardId && SequenceNumber) mergeReceipts(receipt, new Map([[ShardId, BigInt(SequenceNumber)]]));
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
