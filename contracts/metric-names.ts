/**
 * Metric names the handlers publish (Powertools Metrics, EMF to CloudWatch in AWS;
 * the local stack keeps the same names). Alarms and the operations dashboard refer
 * to these constants, never to string copies.
 */
export const METRICS_NAMESPACE = 'SuperCafe';

export const MetricName = {
  /** Ingest: data rows read from uploaded files. */
  RowsRead: 'RowsRead',
  /** Ingest and till API: TransactionRecorded events accepted by the stream. */
  EventsPublished: 'EventsPublished',
  /** Ingest and till API: rows or sales refused (dimension `reason` in logs only, to bound cardinality). */
  RowsRejected: 'RowsRejected',
  /** Ingest: whole files refused. */
  FilesRefused: 'FilesRefused',
  /** Ingest: files read to the end. */
  FilesIngested: 'FilesIngested',
  /** Consumer: sales handed to the sink. */
  SalesLoaded: 'SalesLoaded',
  /** Consumer: events quarantined (never valid, not retried). */
  EventsQuarantined: 'EventsQuarantined',
  /** Consumer: milliseconds from the producer's recordedAt to the sink accepting it. */
  EndToEndLagMs: 'EndToEndLagMs',
  /** Writer: PutRecords retry rounds (throttling, partial failures). */
  StreamRetries: 'StreamRetries',
  /** Consumer: records sent again to Firehose in PutRecordBatch retry rounds (throttling, partial failures). */
  DeliveryRetries: 'DeliveryRetries',
} as const;

export type MetricName = (typeof MetricName)[keyof typeof MetricName];

/** Service names, the Powertools `serviceName` of each function. */
export const ServiceName = {
  CsvIngest: 'csv-ingest',
  TillApi: 'till-api',
  SalesTransform: 'sales-transform',
} as const;
