import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { silentLogger, type StructuredLogger } from '../../common/logging/structured-logger.js';
import { errorCodeOf } from '../../common/retry/retryable-errors.js';
import { MetricName, splitStreamRecord, type IngestFile, type QuarantineEntry, type SaleRecord, type SaleVoid } from '../../contracts/index.js';
import { createCoalescingSink } from './coalescing-sink.js';
import { PepperUnavailableError, RecordFailureReason, SinkLoadError, TransformError } from './errors.js';
import { emptyBatch, type SaleSink } from './ports.js';
import { projectEvent, projectUnreadableRecord, type Projection } from './project-event.js';

/** Where counts and lags go: Powertools Metrics in Lambda, the local metrics table on a laptop. */
export type RecordMetric = (name: MetricName, unit: 'Count' | 'Milliseconds', value: number) => void;

export interface SalesTransformDependencies {
  readonly sink: SaleSink;
  /** The customer-key pepper (fetched and cached by the caller). */
  readonly getPepper: () => Promise<string>;
  readonly clock?: () => Date;
  readonly recordMetric?: RecordMetric;
  /**
   * Told each quarantined event and each failed record, with its reason code and
   * stream position, never its data: Powertools Logger in Lambda, JSON lines locally.
   */
  readonly logger?: StructuredLogger;
  /**
   * How a record becomes projections ({@link projectRecord} unless told): the local
   * consumer passes one that reuses projections it made of a batch read ahead.
   */
  readonly projectRecord?: RecordProjector;
}

/** A Kinesis record to the projections of its events; pure but for `now`, the load time it stamps. */
export type RecordProjector = (record: KinesisStreamRecord, pepper: string, now: Date, position: StreamPosition) => Projection[];

/** Where a record sits on the stream: what logs and errors name instead of its data. */
export interface StreamPosition {
  readonly shardId: string;
  readonly sequenceNumber: string;
}

/** The shard from the record's event id (`shardId-000000000006:<sequence>`); Lambda always sets it. */
export function positionOf(record: KinesisStreamRecord): StreamPosition {
  // Stryker disable next-line StringLiteral: any text without a ':' names the shard 'shard'
  const eventId = record.eventID ?? '';
  const separator = eventId.indexOf(':');
  return { shardId: separator > 0 ? eventId.slice(0, separator) : 'shard', sequenceNumber: record.kinesis.sequenceNumber };
}

/** A record's share of the projection, filled event by event. */
export interface RecordBatch {
  readonly sales: SaleRecord[];
  readonly quarantine: QuarantineEntry[];
  readonly files: IngestFile[];
  readonly voids: SaleVoid[];
}

/**
 * Adds one event's projection to the record's batch. The switch is exhaustive: a
 * new kind of projection (a new event type) does not compile until it is placed.
 */
export function addProjection(batch: RecordBatch, projection: Projection, position: StreamPosition, logger: StructuredLogger): void {
  switch (projection.kind) {
    case 'sale':
      batch.sales.push(projection.record);
      return;
    case 'rejection':
      batch.quarantine.push(projection.entry);
      return;
    case 'quarantine': {
      const { entry } = projection;
      batch.quarantine.push(entry);
      logger.warn('event quarantined', { reason: entry.reason, field: entry.field, eventId: entry.eventId, source: entry.source, ...position });
      return;
    }
    case 'file':
      batch.files.push(projection.file);
      return;
    case 'void':
      batch.voids.push(projection.void);
      return;
    default: {
      const unhandled: never = projection;
      throw new Error(`unhandled projection ${JSON.stringify((unhandled as { kind?: unknown }).kind)}`);
    }
  }
}

/** The events of one record; a body that is not even gzip or text becomes one unreadable event. */
export function projectRecord(record: KinesisStreamRecord, pepper: string, now: Date, position: StreamPosition): Projection[] {
  const context = { pepper, now, position: `${position.shardId}:${position.sequenceNumber}` };
  let texts: string[];
  try {
    texts = splitStreamRecord(Buffer.from(record.kinesis.data, 'base64'));
  } catch {
    return [projectUnreadableRecord(record.kinesis.data, context)];
  }
  return texts.map((text) => projectEvent(text, context));
}

/**
 * The consumer's batch logic, shared by the Lambda handler and the local poller:
 * each Kinesis record (one or more events) is validated, redacted and normalised,
 * then loaded. Poison events are quarantined with their reason and acknowledged;
 * a transient failure (the pepper or the sink) fails that record alone, is logged
 * with its reason code and sequence number, and is reported as a batch item
 * failure so the stream retries it (partial batch response).
 */
export function createSalesTransform(dependencies: SalesTransformDependencies) {
  const sink = createCoalescingSink(dependencies.sink);
  const clock = dependencies.clock ?? (() => new Date());
  const recordMetric: RecordMetric = dependencies.recordMetric ?? (() => undefined);
  const logger = dependencies.logger ?? silentLogger;
  const project = dependencies.projectRecord ?? projectRecord;
  const processor = new BatchProcessor(EventType.KinesisDataStreams);

  const processRecord = async (record: KinesisStreamRecord, position: StreamPosition): Promise<void> => {
    const pepper = await dependencies.getPepper().catch((error: unknown) => {
      throw new PepperUnavailableError(position.shardId, position.sequenceNumber, { cause: error });
    });
    const batch: RecordBatch = emptyBatch();
    for (const projection of project(record, pepper, clock(), position)) addProjection(batch, projection, position, logger);
    await sink.load(batch).catch((error: unknown) => {
      throw new SinkLoadError(position.shardId, position.sequenceNumber, { cause: error });
    });
    const loadedAt = clock().getTime();
    if (batch.sales.length > 0) recordMetric(MetricName.SalesLoaded, 'Count', batch.sales.length);
    if (batch.quarantine.length > 0) recordMetric(MetricName.EventsQuarantined, 'Count', batch.quarantine.length);
    // One lag sample per record (its oldest sale): EMF keeps at most 100 values per metric.
    if (batch.sales.length > 0) {
      const oldest = Math.min(...batch.sales.map(({ sale }) => Date.parse(sale.recordedAt)));
      recordMetric(MetricName.EndToEndLagMs, 'Milliseconds', Math.max(0, loadedAt - oldest));
    }
  };

  const recordHandler = async (record: KinesisStreamRecord): Promise<void> => {
    const position = positionOf(record);
    try {
      await processRecord(record, position);
    } catch (error) {
      const reason = error instanceof TransformError ? error.reason : RecordFailureReason.Unexpected;
      const cause = error instanceof TransformError ? error.cause : error;
      logger.error('record failed; the stream will retry it', { reason, errorCode: errorCodeOf(cause), ...position });
      throw error;
    }
  };

  return (event: KinesisStreamEvent, context: Context): Promise<KinesisStreamBatchResponse> =>
    processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false });
}
