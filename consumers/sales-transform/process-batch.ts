import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { MetricName, splitStreamRecord } from '../../contracts/index.js';
import { createCoalescingSink } from './coalescing-sink.js';
import type { ProjectionBatch, SaleSink } from './ports.js';
import { projectEvent } from './project-event.js';

/** Where counts and lags go: Powertools Metrics in Lambda, the local metrics table on a laptop. */
export type RecordMetric = (name: MetricName, unit: 'Count' | 'Milliseconds', value: number) => void;

export interface SalesTransformDependencies {
  readonly sink: SaleSink;
  /** The customer-key pepper (fetched and cached by the caller). */
  readonly getPepper: () => Promise<string>;
  readonly clock?: () => Date;
  readonly recordMetric?: RecordMetric;
}

/**
 * The consumer's batch logic, shared by the Lambda handler and the local poller:
 * each Kinesis record (one or more events) is validated, redacted and normalised,
 * then loaded; poison events go to quarantine and succeed, sink failures fail the
 * record so the stream retries it (partial batch response).
 */
export function createSalesTransform(dependencies: SalesTransformDependencies) {
  const sink = createCoalescingSink(dependencies.sink);
  const clock = dependencies.clock ?? (() => new Date());
  const recordMetric: RecordMetric = dependencies.recordMetric ?? (() => undefined);
  const processor = new BatchProcessor(EventType.KinesisDataStreams);

  const recordHandler = async (record: KinesisStreamRecord): Promise<void> => {
    const pepper = await dependencies.getPepper();
    const now = clock();
    const position = `${record.eventID ?? 'shard'}:${record.kinesis.sequenceNumber}`;
    const batch: { sales: ProjectionBatch['sales'][number][]; quarantine: ProjectionBatch['quarantine'][number][]; files: ProjectionBatch['files'][number][] } = {
      sales: [],
      quarantine: [],
      files: [],
    };
    for (const text of splitStreamRecord(Buffer.from(record.kinesis.data, 'base64'))) {
      const projection = projectEvent(text, { pepper, now, position });
      if (projection.kind === 'sale') batch.sales.push(projection.record);
      else if (projection.kind === 'quarantine') batch.quarantine.push(projection.entry);
      else batch.files.push(projection.file);
    }
    await sink.load(batch);
    const loadedAt = clock().getTime();
    if (batch.sales.length > 0) recordMetric(MetricName.SalesLoaded, 'Count', batch.sales.length);
    if (batch.quarantine.length > 0) recordMetric(MetricName.EventsQuarantined, 'Count', batch.quarantine.length);
    // One lag sample per record (its oldest sale): EMF keeps at most 100 values per metric.
    const oldest = Math.min(...batch.sales.map(({ sale }) => Date.parse(sale.recordedAt)));
    if (batch.sales.length > 0) recordMetric(MetricName.EndToEndLagMs, 'Milliseconds', Math.max(0, loadedAt - oldest));
  };

  return (event: KinesisStreamEvent, context: Context): Promise<KinesisStreamBatchResponse> =>
    processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false });
}
