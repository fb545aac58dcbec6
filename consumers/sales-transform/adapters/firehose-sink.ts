import { PutRecordBatchCommand, type _Record, type FirehoseClient } from '@aws-sdk/client-firehose';
import type { ProjectionBatch, SaleSink } from '../ports.js';
import { ingestFileRow, quarantineRow, saleItemRow, saleRow, type WarehouseRow } from '../warehouse-rows.js';

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

/** Call-level errors worth another try: throttling, service trouble, the network. */
const RETRYABLE_CALL_ERRORS = new Set([
  'ServiceUnavailableException',
  'ThrottlingException',
  'LimitExceededException',
  'InternalFailure',
  'InternalServerError',
  'RequestTimeout',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
]);

/** One delivery stream per warehouse table; each takes that table's rows. */
export interface FirehoseDeliveryStreams {
  readonly sales: string;
  readonly saleItems: string;
  readonly quarantine: string;
  readonly ingestFiles: string;
}

export interface FirehoseSinkOptions {
  readonly client: FirehoseClient;
  readonly deliveryStreams: FirehoseDeliveryStreams;
  /**
   * When to stop retrying (ms since the epoch), read at each retry: the consumer
   * passes its invocation's deadline, less a margin to report the records to retry,
   * so a throttled burst is retried for as long as the invocation may run, not a
   * fixed count; the event source mapping then retries the batch until the records
   * reach their maximum age. Undefined: `maxAttempts` bounds the retries.
   */
  readonly deadline?: () => number | undefined;
  /** Attempts per record before the load fails (first try included) when there is no deadline. */
  readonly maxAttempts?: number;
  /** Bytes a Firehose record may pack rows into; 0 sends one row a record. */
  readonly recordBytes?: number;
  readonly now?: () => number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Told about every retry round, for metrics and logs. */
  readonly onRetry?: (info: { deliveryStream: string; attempt: number; failed: number; errorCode: string | undefined }) => void;
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
 * than that travels alone). Rows keep their order.
 */
export function encodeRows(rows: readonly WarehouseRow[], recordBytes = FIREHOSE_RECORD_TARGET_BYTES): _Record[] {
  const records: _Record[] = [];
  let lines: Buffer[] = [];
  let bytes = 0;
  const flush = () => {
    if (lines.length > 0) records.push({ Data: Buffer.concat(lines, bytes) });
    lines = [];
    bytes = 0;
  };
  for (const row of rows) {
    const line = Buffer.from(`${JSON.stringify(row)}\n`, 'utf8');
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
    if (current.length === PUT_RECORD_BATCH_MAX_RECORDS || (current.length > 0 && bytes + size > PUT_RECORD_BATCH_MAX_BYTES)) {
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

function errorCodeOf(error: unknown): string {
  if (error && typeof error === 'object') {
    const named = error as { name?: string; code?: string };
    return named.code && RETRYABLE_CALL_ERRORS.has(named.code) ? named.code : (named.name ?? named.code ?? 'Error');
  }
  return 'Error';
}

function isRetryableCallError(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return RETRYABLE_CALL_ERRORS.has(errorCodeOf(error)) || (status !== undefined && (status >= 500 || status === 429));
}

/**
 * The consumer's sink in AWS: each table's rows go to that table's Firehose delivery
 * stream (S3, which the loader COPYs into Redshift), several rows a record
 * (`FIREHOSE_RECORD_TARGET_BYTES`). PutRecordBatch calls stay within 500 records and
 * 4 MiB; only the records Firehose reports as failed are sent again, after
 * exponential backoff with full jitter, until the deadline (or, without one, for a
 * bounded number of attempts); then a FirehoseDeliveryError rejects the load, so the
 * Lambda retries the batch. Firehose is at-least-once: the merge deduplicates on the
 * primary key.
 */
export function createFirehoseSink(options: FirehoseSinkOptions): SaleSink {
  const maxAttempts = options.maxAttempts ?? 6;
  const baseDelayMs = options.baseDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const recordBytes = options.recordBytes ?? FIREHOSE_RECORD_TARGET_BYTES;
  const streams = options.deliveryStreams;

  const delayAfter = (attempt: number) => Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt));
  /** Out of budget: past the deadline once the next wait is over, or, without a deadline, out of attempts. */
  const exhausted = (attempt: number, delayMs: number) => {
    const deadline = options.deadline?.();
    return deadline === undefined ? attempt >= maxAttempts : now() + delayMs >= deadline;
  };

  async function sendCall(deliveryStream: string, records: _Record[]): Promise<void> {
    let pending = records;
    let lastErrorCode: string | undefined;
    for (let attempt = 1; ; attempt++) {
      let failed: _Record[];
      try {
        const response = await options.client.send(new PutRecordBatchCommand({ DeliveryStreamName: deliveryStream, Records: pending }));
        const results = response.RequestResponses ?? [];
        if (results.length !== pending.length) throw new FirehoseDeliveryError(deliveryStream, pending.length, attempt, 'ResponseLengthMismatch');
        failed = pending.filter((_, index) => Boolean(results[index]?.ErrorCode));
        lastErrorCode = results.find((result) => result.ErrorCode)?.ErrorCode ?? lastErrorCode;
      } catch (error) {
        if (error instanceof FirehoseDeliveryError) throw error;
        if (!isRetryableCallError(error)) throw new FirehoseDeliveryError(deliveryStream, pending.length, attempt, errorCodeOf(error), { cause: error });
        failed = pending;
        lastErrorCode = errorCodeOf(error);
      }
      if (failed.length === 0) return;
      const delayMs = delayAfter(attempt);
      if (exhausted(attempt, delayMs)) throw new FirehoseDeliveryError(deliveryStream, failed.length, attempt, lastErrorCode);
      options.onRetry?.({ deliveryStream, attempt, failed: failed.length, errorCode: lastErrorCode });
      pending = failed;
      await sleep(delayMs);
    }
  }

  async function deliver(deliveryStream: string, rows: readonly WarehouseRow[]): Promise<void> {
    for (const call of chunkRecords(encodeRows(rows, recordBytes), deliveryStream)) await sendCall(deliveryStream, call);
  }

  return {
    async load(batch: ProjectionBatch) {
      // The four streams are independent, so they are filled side by side; every
      // one is awaited before the first failure is reported, so nothing is left in flight.
      const outcomes = await Promise.allSettled([
        deliver(streams.sales, batch.sales.map(({ sale }) => saleRow(sale))),
        deliver(streams.saleItems, batch.sales.flatMap(({ items }) => items.map(saleItemRow))),
        deliver(streams.quarantine, batch.quarantine.map(quarantineRow)),
        deliver(streams.ingestFiles, batch.files.map(ingestFileRow)),
      ]);
      const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      if (failure) throw failure.reason;
    },
  };
}
