import { PutRecordBatchCommand, type _Record, type FirehoseClient } from '@aws-sdk/client-firehose';
import { resolveRetry, type RetryOptions, type RetryPolicy } from '../../../common/retry/retry-policy.js';
import { failedEntries, sendWithRetry, type RetryRound } from '../../../common/retry/send-with-retry.js';
import type { WarehouseTableKey } from '../../../contracts/index.js';
import type { ProjectionBatch, SaleSink } from '../ports.js';
import { warehouseRows } from '../warehouse-rows.js';

/** PutRecordBatch limits (Amazon Data Firehose quotas). */
export const PUT_RECORD_BATCH_MAX_RECORDS = 500;
export const PUT_RECORD_BATCH_MAX_BYTES = 4 * 1024 * 1024;
export const FIREHOSE_RECORD_MAX_BYTES = 1000 * 1024;
/**
 * Rows are packed into Firehose records of up to this many bytes (newline-delimited
 * JSON, several rows a record; Firehose writes records back to back, so the S3 file
 * stays one row a line for COPY). Firehose bills each record rounded up to 5 KB and
 * counts records against its records/s quota (1,000/s per stream in eu-west-2): one
 * row a record was the binding quota at the nightly peak (`npm run capacity`).
 */
export const FIREHOSE_RECORD_TARGET_BYTES = 5 * 1024;

/** The sink's retry defaults: six attempts, waits from 200 ms doubling up to 5 s (jittered). */
export const FIREHOSE_RETRY_DEFAULTS: RetryPolicy = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 5_000 };

/** One delivery stream per warehouse table, keyed as `WarehouseTables` is; each takes that table's rows. */
export type FirehoseDeliveryStreams = { readonly [K in WarehouseTableKey]: string };

/** A retry round of one delivery stream, as told to `onRetry`. */
export type FirehoseRetryRound = RetryRound & { readonly deliveryStream: string };

/** The sink's options; the retry policy (`maxAttempts` per record, first try included, and the backoff) is the shared one in common/retry. */
export interface FirehoseSinkOptions extends RetryOptions {
  readonly client: FirehoseClient;
  readonly deliveryStreams: FirehoseDeliveryStreams;
  /** Bytes a Firehose record may pack rows into; 0 sends one row a record. */
  readonly recordBytes?: number;
  /** Told about every retry round, for metrics and logs. */
  readonly onRetry?: (round: FirehoseRetryRound) => void;
}

/**
 * Firehose did not accept some rows within the retry budget. It names the stream
 * and counts, never row content: rows hold pseudonymous keys and branch data.
 */
export class FirehoseDeliveryError extends Error {
  constructor(
    readonly deliveryStream: string,
    readonly failedCount: number,
    readonly attempts: number,
    readonly lastErrorCode: string | undefined,
    options?: ErrorOptions,
  ) {
    super(
      `${failedCount} record(s) not accepted by delivery stream ${deliveryStream} after ${attempts} attempt(s) (last error: ${lastErrorCode ?? 'unknown'})`,
      options,
    );
    this.name = 'FirehoseDeliveryError';
  }
}

/**
 * Encodes warehouse rows as newline-terminated JSON, the shape Redshift `COPY …
 * JSON 'auto'` loads, packed into records of at most `recordBytes` (a row longer
 * than that travels alone; 0 sends one row a record). Rows keep their order.
 */
export function encodeRows(rows: readonly object[], recordBytes = FIREHOSE_RECORD_TARGET_BYTES): _Record[] {
  const records: _Record[] = [];
  let lines: Buffer[] = [];
  let bytes = 0;
  const flush = () => {
    if (lines.length > 0) records.push({ Data: Buffer.concat(lines, bytes) });
    lines = [];
    bytes = 0;
  };
  for (const row of rows) {
    const line = Buffer.from(`${JSON.stringify(row)}\n`);
    if (bytes + line.byteLength > recordBytes) flush();
    lines.push(line);
    bytes += line.byteLength;
  }
  flush();
  return records;
}

/** Splits records into PutRecordBatch calls within the record-count and payload limits. */
export function chunkRecords(records: readonly _Record[], deliveryStream = '(unnamed)'): _Record[][] {
  const calls: _Record[][] = [];
  let current: _Record[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = record.Data?.byteLength ?? 0;
    if (size > FIREHOSE_RECORD_MAX_BYTES) throw new FirehoseDeliveryError(deliveryStream, 1, 0, 'RecordTooLarge');
    // A record is at most 1,000 KiB, so the first of a call always fits its 4 MiB.
    if (current.length === PUT_RECORD_BATCH_MAX_RECORDS || bytes + size > PUT_RECORD_BATCH_MAX_BYTES) {
      calls.push(current);
      current = [];
      bytes = 0;
    }
    current.push(record);
    bytes += size;
  }
  if (current.length > 0) calls.push(current);
  return calls;
}

/**
 * The consumer's sink in AWS: each table's rows go to that table's Firehose delivery
 * stream (which COPYs them into a Redshift staging table). PutRecordBatch calls stay
 * within 500 records and 4 MiB; only the records Firehose reports as failed are sent
 * again, by the shared retry policy (common/retry: exponential backoff with full
 * jitter; throttling, HTTP 429/5xx and network errors retried, anything else not), for
 * a bounded number of attempts or until the deadline given; then a FirehoseDeliveryError
 * rejects the load, so the Lambda retries the record. Rows travel several to a record
 * (`FIREHOSE_RECORD_TARGET_BYTES`).
 * Firehose is at-least-once: the warehouse deduplicates on the primary key.
 */
export function createFirehoseSink(options: FirehoseSinkOptions): SaleSink {
  const retry = resolveRetry(options, FIREHOSE_RETRY_DEFAULTS);
  const streams = options.deliveryStreams;
  const { onRetry } = options;

  const sendCall = (deliveryStream: string, records: readonly _Record[]): Promise<void> =>
    sendWithRetry(
      records,
      async (pending) => {
        const response = await options.client.send(new PutRecordBatchCommand({ DeliveryStreamName: deliveryStream, Records: [...pending] }));
        return failedEntries(pending, response.RequestResponses ?? []);
      },
      {
        ...retry,
        onRetry: onRetry && ((round) => onRetry({ deliveryStream, ...round })),
        giveUp: ({ failedCount, attempts, lastErrorCode, cause }) =>
          new FirehoseDeliveryError(deliveryStream, failedCount, attempts, lastErrorCode, cause === undefined ? undefined : { cause }),
      },
    );

  async function deliver(deliveryStream: string, rows: readonly object[]): Promise<void> {
    for (const call of chunkRecords(encodeRows(rows, options.recordBytes), deliveryStream)) await sendCall(deliveryStream, call);
  }

  return {
    async load(batch: ProjectionBatch) {
      const rows = warehouseRows(batch);
      // The four streams are independent, so they are filled side by side; every
      // one is awaited before the first failure is reported, so nothing is left in flight.
      const tables = Object.keys(rows) as WarehouseTableKey[];
      const outcomes = await Promise.allSettled(tables.map((table) => deliver(streams[table], rows[table])));
      const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      if (failure) throw failure.reason;
    },
  };
}
