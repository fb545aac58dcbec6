import { PutRecordsCommand, type KinesisClient, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
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

const RETRYABLE_CALL_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'KMSThrottlingException',
  'ThrottlingException',
  'InternalFailure',
  'ServiceUnavailable',
]);

export interface KinesisEventWriterOptions {
  readonly client: KinesisClient;
  readonly streamName: string;
  /** Attempts per entry before the write fails (first try included). */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Pack events into one record up to this much JSON; 0 sends one plain-JSON event per record. */
  readonly recordTargetBytes?: number;
  /** Chooses the shard: by default a branch's sales share one, keeping them in order. */
  readonly partitionKeyOf?: (event: SalesStreamEvent) => string;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Told about every retry round, for metrics and logs. */
  readonly onRetry?: (info: { attempt: number; failed: number; errorCode: string | undefined }) => void;
}

/** The default partition key: the branch for sales, the file or till for the rest. */
export function defaultPartitionKey(event: SalesStreamEvent): string {
  switch (event.type) {
    case 'TransactionRecorded':
      return event.data.branch.trim().slice(0, 256) || 'unknown';
    case 'RowRejected':
      return (event.source.kind === 'file' ? event.source.file : event.source.tillId).slice(-256);
    case 'FileIngested':
      return event.data.file.slice(-256);
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

function errorCodeOf(error: unknown): string {
  if (error && typeof error === 'object') {
    const named = error as { name?: string; code?: string };
    return named.name ?? named.code ?? 'Error';
  }
  return 'Error';
}

function isRetryableCallError(error: unknown): boolean {
  const code = errorCodeOf(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  const network = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'TimeoutError'];
  return RETRYABLE_CALL_ERRORS.has(code) || (status !== undefined && status >= 500) || network.includes(code) || network.includes((error as { code?: string })?.code ?? '');
}

/**
 * The shared Kinesis writer: PutRecords in batches within the service limits,
 * resending only the entries that failed, with exponential backoff and full
 * jitter, for a bounded number of attempts; then a StreamWriteError that says how
 * many entries were not accepted. An entry is never sent again once accepted.
 */
export function createKinesisEventWriter(options: KinesisEventWriterOptions): EventWriter {
  const maxAttempts = options.maxAttempts ?? 8;
  const baseDelayMs = options.baseDelayMs ?? 50;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const partitionKeyOf = options.partitionKeyOf ?? defaultPartitionKey;
  const targetBytes = options.recordTargetBytes ?? DEFAULT_RECORD_TARGET_BYTES;

  const backoff = (attempt: number) => sleep(Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt)));

  async function sendCall(entries: PutRecordsRequestEntry[], receipt: WriteReceipt): Promise<void> {
    let pending = entries;
    let lastErrorCode: string | undefined;
    for (let attempt = 1; ; attempt++) {
      let failed: PutRecordsRequestEntry[];
      try {
        const response = await options.client.send(new PutRecordsCommand({ StreamName: options.streamName, Records: pending }));
        const results = response.Records ?? [];
        if (results.length !== pending.length) throw new StreamWriteError(pending.length, attempt, 'ResponseLengthMismatch');
        failed = [];
        results.forEach((result, index) => {
          const entry = pending[index];
          if (result.ErrorCode) {
            if (entry) failed.push(entry);
          } else if (result.ShardId && result.SequenceNumber) {
            mergeReceipts(receipt, new Map([[result.ShardId, BigInt(result.SequenceNumber)]]));
          }
        });
        lastErrorCode = results.find((result) => result.ErrorCode)?.ErrorCode ?? lastErrorCode;
      } catch (error) {
        if (error instanceof StreamWriteError || !isRetryableCallError(error)) {
          throw error instanceof StreamWriteError ? error : new StreamWriteError(pending.length, attempt, errorCodeOf(error), { cause: error });
        }
        failed = pending;
        lastErrorCode = errorCodeOf(error);
      }
      if (failed.length === 0) return;
      if (attempt >= maxAttempts) throw new StreamWriteError(failed.length, attempt, lastErrorCode);
      options.onRetry?.({ attempt, failed: failed.length, errorCode: lastErrorCode });
      pending = failed;
      await backoff(attempt);
    }
  }

  return {
    async write(events) {
      const receipt: WriteReceipt = new Map();
      for (const call of chunkEntries(packRecords(events, partitionKeyOf, targetBytes))) await sendCall(call, receipt);
      return receipt;
    },
  };
}
