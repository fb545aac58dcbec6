import type { Context, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { encodeStreamRecord, type IngestFile, type QuarantineEntry, type RawSale, type SaleRecord, type SalesStreamEvent } from '../../contracts/index.js';

/**
 * Test data factories, in the manner of Powertools' batch tests
 * (packages/batch/tests/helpers/factories.ts): each returns a valid object, and a
 * test overrides only what it is about. Names and card numbers are invented.
 */

/** A valid raw sale as a file producer writes it; override any field. */
export function rawSale(overrides: Partial<RawSale> = {}): RawSale {
  return {
    timestamp: '2021-08-25 09:00',
    branch: 'Chesterfield',
    customerName: 'Test Customer',
    items: [
      { size: 'Large', name: 'Latte', price: '2.45' },
      { size: 'Regular', name: 'Flavoured iced latte - Hazelnut', price: '2.75' },
    ],
    total: '5.20',
    paymentMethod: 'CARD',
    cardNumber: '4111111111111111',
    cardBrand: null,
    ...overrides,
  };
}

/** The version the factories' file events are of (an ingest start instant, as locally). */
export const FILE_VERSION = '2021-08-25T21:00:00.000Z';

/** A TransactionRecorded event around a raw sale. */
export function transactionRecorded(data: RawSale = rawSale(), eventId = 'a'.repeat(32)): SalesStreamEvent {
  return {
    type: 'TransactionRecorded',
    schemaVersion: 3,
    eventId,
    recordedAt: '2021-08-25T09:00:05.000Z',
    occurredAt: '2021-08-25T08:00:00.000Z',
    source: { kind: 'file', file: 'chesterfield.csv', version: FILE_VERSION, line: 1 },
    data,
  };
}

/** A RowRejected event: the producer refused line 7 of a file. */
export function rowRejected(eventId = 'b'.repeat(32), reason: 'total_invalid' | 'payment_unknown' = 'total_invalid'): SalesStreamEvent {
  return {
    type: 'RowRejected',
    schemaVersion: 3,
    eventId,
    recordedAt: '2021-08-25T21:00:00.000Z',
    source: { kind: 'file', file: 'chesterfield.csv', version: FILE_VERSION, line: 7 },
    data: { reason, field: 'total' },
  };
}

/** A FileVersionIngested event: the account of a file version read to the end. */
export function fileIngested(eventId = 'c'.repeat(32)): SalesStreamEvent {
  return {
    type: 'FileVersionIngested',
    schemaVersion: 3,
    eventId,
    recordedAt: '2021-08-25T21:00:02.000Z',
    data: {
      file: 'chesterfield.csv',
      version: FILE_VERSION,
      branch: 'Chesterfield',
      businessDate: '2021-08-25',
      layout: 'standard',
      rowsRead: 2,
      eventsPublished: 1,
      rowsRejected: 1,
      linesSkipped: 0,
      startedAt: '2021-08-25T21:00:00.000Z',
      finishedAt: '2021-08-25T21:00:02.000Z',
      status: 'loaded',
      refusal: null,
    },
  };
}

let nextSequence = 0;

/**
 * A Kinesis record as Lambda delivers it. `body` is the events (packed and gzipped
 * as the shared writer sends several) or raw bytes/text for a damaged record. The
 * sequence number is deterministic (a counter) unless given, so a test can name
 * the exact `batchItemFailures` it expects.
 */
export function kinesisRecordFactory(
  body: readonly SalesStreamEvent[] | Buffer | string,
  options: { readonly sequenceNumber?: string; readonly shardId?: string } = {},
): KinesisStreamRecord {
  const sequenceNumber = options.sequenceNumber ?? `4959${String(++nextSequence).padStart(52, '0')}`;
  const shardId = options.shardId ?? 'shardId-000000000000';
  const data =
    typeof body === 'string' || Buffer.isBuffer(body)
      ? Buffer.from(body).toString('base64')
      : encodeStreamRecord(body.map((event) => JSON.stringify(event)), body.length > 1).toString('base64');
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: 'Chesterfield',
      sequenceNumber,
      data,
      approximateArrivalTimestamp: 1629925205.987,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${shardId}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/sales-transform',
    awsRegion: 'eu-west-2',
    eventSourceARN: 'arn:aws:kinesis:eu-west-2:123456789012:stream/sales-events',
  };
}

/** A Kinesis event of the given records. */
export const kinesisEventFactory = (...records: KinesisStreamRecord[]): KinesisStreamEvent => ({ Records: records });

/** A Lambda context for handlers that read it (Powertools adds it to logs). */
export function lambdaContextFactory(): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'sales-transform',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-2:123456789012:function:sales-transform',
    memoryLimitInMB: '512',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: '/aws/lambda/sales-transform',
    logStreamName: '2021/08/25/[$LATEST]abcdef',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** A clean sale with `itemCount` basket lines, as the sinks take it. */
export function saleRecordFactory(index: number, itemCount = 2): SaleRecord {
  const eventId = index.toString(16).padStart(32, '0');
  return {
    sale: {
      eventId,
      kind: 'sale',
      refundOf: null,
      branch: 'Leeds',
      soldAt: '2021-08-27T08:03:00.000Z',
      businessDate: '2021-08-27',
      totalPence: 230 * itemCount,
      paymentMethod: 'CARD',
      cardBrand: 'visa',
      customerKey: 'e'.repeat(64),
      itemCount,
      source: 'file',
      sourceRef: 'uploads/leeds/leeds_27-08-2021_09-00-00.csv',
      recordedAt: '2021-08-27T21:00:00.000Z',
      loadedAt: '2021-08-27T21:00:01.000Z',
    },
    items: Array.from({ length: itemCount }, (_, line) => ({
      eventId,
      lineNo: line + 1,
      size: 'Regular' as const,
      product: 'Chai latte',
      flavour: null,
      pricePence: 230,
    })),
    // Every factory sale its own match key: none of them is a till sale's file row.
    origin: { kind: 'file', file: 'uploads/leeds/leeds_27-08-2021_09-00-00.csv', version: FILE_VERSION, line: index + 1, matchKey: eventId },
  };
}

/** A quarantine entry: line 12 of a file, refused for its total. */
export function quarantineEntryFactory(overrides: Partial<QuarantineEntry> = {}): QuarantineEntry {
  return {
    eventId: 'f'.repeat(32),
    source: 'file',
    sourceRef: 'uploads/leeds/leeds_27-08-2021_09-00-00.csv',
    line: 12,
    reason: 'total_mismatch',
    field: 'total',
    recordedAt: '2021-08-27T21:00:00.000Z',
    ...overrides,
  };
}

/** A file's account, read to the end with one row rejected. */
export function ingestFileFactory(overrides: Partial<IngestFile> = {}): IngestFile {
  return {
    file: 'uploads/leeds/leeds_27-08-2021_09-00-00.csv',
    branch: 'Leeds',
    businessDate: '2021-08-27',
    layout: 'standard',
    rowsRead: 382,
    eventsPublished: 381,
    rowsRejected: 1,
    linesSkipped: 0,
    status: 'loaded',
    refusal: null,
    startedAt: '2021-08-27T21:00:00.000Z',
    finishedAt: '2021-08-27T21:00:02.000Z',
    ...overrides,
  };
}
