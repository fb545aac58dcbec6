/**
 * Why the consumer could not process a Kinesis record this time. Each of these is
 * transient by nature: the record is reported as a batch item failure and the
 * stream delivers it again. (An event that can never be valid is not an error
 * here: it is quarantined and acknowledged.) Codes are stable: logs group by them.
 */
export const RecordFailureReason = {
  /** The customer-key pepper could not be fetched (Secrets Manager, the local pepper file). */
  PepperUnavailable: 'pepper_unavailable',
  /** The sink did not take the record's rows (Firehose, PostgreSQL). */
  SinkLoadFailed: 'sink_load_failed',
  /** Anything else (a bug): retried like the rest, and the log says so. */
  Unexpected: 'unexpected',
} as const;

export type RecordFailureReasonCode = (typeof RecordFailureReason)[keyof typeof RecordFailureReason];

/** The consumer's errors: each carries a reason code and where on the stream it happened, never record data. */
export class TransformError extends Error {
  constructor(
    readonly reason: RecordFailureReasonCode,
    readonly shardId: string,
    readonly sequenceNumber: string,
    options?: ErrorOptions,
  ) {
    super(`record ${shardId}:${sequenceNumber} not processed (${reason})`, options);
    this.name = 'TransformError';
  }
}

/** The pepper could not be fetched; `cause` keeps the fetch's error. */
export class PepperUnavailableError extends TransformError {
  constructor(shardId: string, sequenceNumber: string, options?: ErrorOptions) {
    super(RecordFailureReason.PepperUnavailable, shardId, sequenceNumber, options);
    this.name = 'PepperUnavailableError';
  }
}

/** The sink refused or failed the load; `cause` keeps the sink's error (FirehoseDeliveryError, a pg error). */
export class SinkLoadError extends TransformError {
  constructor(shardId: string, sequenceNumber: string, options?: ErrorOptions) {
    super(RecordFailureReason.SinkLoadFailed, shardId, sequenceNumber, options);
    this.name = 'SinkLoadError';
  }
}
