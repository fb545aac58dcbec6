import { FirehoseClient, PutRecordBatchCommand, ServiceUnavailableException, ResourceNotFoundException } from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { IngestFile, QuarantineEntry, SaleRecord } from '../../../contracts/index.js';
import { saleRecordFactory } from '../../../test/helpers/factories.js';
import type { ProjectionBatch } from '../ports.js';
import { FIREHOSE_RECORD_TARGET_BYTES, FIREHOSE_RETRY_DEFAULTS, FirehoseDeliveryError, PUT_RECORD_BATCH_MAX_RECORDS, chunkRecords, createFirehoseSink, encodeRows } from './firehose-sink.js';

const firehose = mockClient(FirehoseClient);
const streams = { sales: 'sc-sales', saleItems: 'sc-sale-items', quarantine: 'sc-quarantine', ingestFiles: 'sc-ingest-files', saleSources: 'sc-sale-sources', tillSales: 'sc-till-sales', fileVersions: 'sc-file-versions' };

const saleRecord = saleRecordFactory;

const quarantineEntry: QuarantineEntry = {
  eventId: 'f'.repeat(32),
  source: 'file',
  sourceRef: 'uploads/leeds/leeds_27-08-2021_09-00-00.csv',
  line: 12,
  reason: 'total_mismatch',
  field: 'total',
  recordedAt: '2021-08-27T21:00:00.000Z',
};

const ingestFile: IngestFile = {
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
};

function batchOf(sales: SaleRecord[], quarantine: QuarantineEntry[] = [], files: IngestFile[] = []): ProjectionBatch {
  return { sales, quarantine, files, voids: [] };
}

function rowsOf(data: Uint8Array | undefined): Record<string, unknown>[] {
  const text = Buffer.from(data ?? new Uint8Array()).toString('utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The one row of a record that carries one. */
function decode(data: Uint8Array | undefined): Record<string, unknown> {
  const rows = rowsOf(data);
  expect(rows).toHaveLength(1);
  return rows[0] as Record<string, unknown>;
}

const noSleep = async () => undefined;

describe('Function: createFirehoseSink', () => {
  beforeEach(() => {
    firehose.reset();
    // Streams a test does not set up take every record (the fold's tables, say).
    firehose.on(PutRecordBatchCommand).callsFake((input: { Records: unknown[] }) => ({ FailedPutCount: 0, RequestResponses: input.Records.map(() => ({ RecordId: 'ok' })) }));
  });

  it('sends each table to its own delivery stream as newline-terminated JSON rows', async () => {
    // Prepare
    firehose.on(PutRecordBatchCommand).callsFake((input: { Records: unknown[] }) => ({
      FailedPutCount: 0,
      RequestResponses: input.Records.map((_, index) => ({ RecordId: `r${index}` })),
    }));
    const sink = createFirehoseSink({ client: new FirehoseClient({}), recordBytes: 0, deliveryStreams: streams, sleep: noSleep });

    // Act
    await sink.load(batchOf([saleRecord(1, 3)], [quarantineEntry], [ingestFile]));

    // Assess
    const calls = firehose.commandCalls(PutRecordBatchCommand);
    const byStream = new Map(calls.map((call) => [call.args[0].input.DeliveryStreamName, call.args[0].input.Records ?? []]));
    // Every table with rows: a file row has a source, no till sale here.
    expect([...byStream.keys()].sort()).toEqual(Object.values(streams).filter((name) => name !== 'sc-till-sales').sort());
    expect(byStream.get('sc-sales')).toHaveLength(1);
    expect(decode(byStream.get('sc-sales')?.[0]?.Data)).toMatchObject({ event_id: '1'.padStart(32, '0'), total_pence: 690, customer_key: 'e'.repeat(64) });
    expect(byStream.get('sc-sale-items')?.map((record) => decode(record.Data).line_no)).toEqual([1, 2, 3]);
    expect(decode(byStream.get('sc-quarantine')?.[0]?.Data)).toMatchObject({ reason: 'total_mismatch', line: 12 });
    expect(decode(byStream.get('sc-ingest-files')?.[0]?.Data)).toMatchObject({ rows_read: 382, status: 'loaded' });
  });

  it('makes no call for an empty batch', async () => {
    // Prepare
    const sink = createFirehoseSink({ client: new FirehoseClient({}), deliveryStreams: streams });

    // Act
    await sink.load(batchOf([]));

    // Assess
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(0);
  });

  it('keeps every call within 500 records', async () => {
    // Prepare
    firehose.on(PutRecordBatchCommand).callsFake((input: { Records: unknown[] }) => ({
      FailedPutCount: 0,
      RequestResponses: input.Records.map(() => ({ RecordId: 'ok' })),
    }));
    const sink = createFirehoseSink({ client: new FirehoseClient({}), recordBytes: 0, deliveryStreams: streams });
    const sales = Array.from({ length: 1_201 }, (_, index) => saleRecord(index + 1, 1));

    // Act
    await sink.load(batchOf(sales));

    // Assess
    const salesCalls = firehose.commandCalls(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sales' });
    expect(salesCalls.map((call) => call.args[0].input.Records?.length)).toEqual([500, 500, 201]);
  });

  it('resends only the records that failed in a partial failure', async () => {
    // Prepare
    firehose
      .on(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sales' })
      .resolvesOnce({
        FailedPutCount: 2,
        RequestResponses: [
          { RecordId: 'a' },
          { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' },
          { RecordId: 'c' },
          { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' },
        ],
      })
      .resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'b' }, { RecordId: 'd' }] });
    firehose.on(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sale-items' }).callsFake((input: { Records: unknown[] }) => ({
      FailedPutCount: 0,
      RequestResponses: input.Records.map(() => ({ RecordId: 'ok' })),
    }));
    const retries: number[] = [];
    const sink = createFirehoseSink({
      client: new FirehoseClient({}),
      recordBytes: 0,
      deliveryStreams: streams,
      sleep: noSleep,
      onRetry: ({ failed }) => retries.push(failed),
    });

    // Act
    await sink.load(batchOf([1, 2, 3, 4].map((index) => saleRecord(index, 1))));

    // Assess
    const salesCalls = firehose.commandCalls(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sales' });
    expect(salesCalls).toHaveLength(2);
    const resent = salesCalls[1]?.args[0].input.Records?.map((record) => decode(record.Data).event_id);
    expect(resent).toEqual([2, 4].map((index) => index.toString(16).padStart(32, '0')));
    expect(retries).toEqual([2]);
  });

  it('backs off with jitter and retries the whole call when throttled', async () => {
    // Prepare
    const throttled = new ServiceUnavailableException({ message: 'Slow down.', $metadata: { httpStatusCode: 503 } });
    firehose
      .on(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sales' })
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'a' }] });
    firehose.on(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sale-items' }).resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'i' }] });
    const delays: number[] = [];
    const sink = createFirehoseSink({
      client: new FirehoseClient({}),
      deliveryStreams: streams,
      baseDelayMs: 100,
      random: () => 0.5,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });

    // Act
    await sink.load(batchOf([saleRecord(7, 1)]));

    // Assess
    expect(firehose.commandCalls(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sales' })).toHaveLength(3);
    expect(delays).toEqual([100, 200]);
  });

  it('gives up after the bounded attempts with an error naming the stream and count', async () => {
    // Prepare
    firehose.on(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sales' }).resolves({
      FailedPutCount: 1,
      RequestResponses: [{ ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' }],
    });
    firehose.on(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sale-items' }).resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'i' }] });
    const sink = createFirehoseSink({ client: new FirehoseClient({}), deliveryStreams: streams, maxAttempts: 3, sleep: noSleep });

    // Act
    const outcome = sink.load(batchOf([saleRecord(9, 1)]));

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(FirehoseDeliveryError);
    await expect(outcome).rejects.toMatchObject({ deliveryStream: 'sc-sales', failedCount: 1, attempts: 3, lastErrorCode: 'ServiceUnavailableException' });
    expect(firehose.commandCalls(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sales' })).toHaveLength(3);
  });

  it('retries a throttled stream until the deadline, not a count, then names what was not accepted', async () => {
    // Prepare: always throttled; a clock that the waits move; a deadline 20 s away.
    firehose.on(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sales' }).resolves({
      FailedPutCount: 1,
      RequestResponses: [{ ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' }],
    });
    firehose.on(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sale-items' }).resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'i' }] });
    let clock = 1_000_000;
    const sink = createFirehoseSink({
      client: new FirehoseClient({}),
      deliveryStreams: streams,
      deadline: () => 1_000_000 + 20_000,
      now: () => clock,
      baseDelayMs: 100,
      maxDelayMs: 2_000,
      random: () => 0.999,
      sleep: async (ms) => {
        clock += ms;
      },
    });

    // Act
    const outcome = sink.load(batchOf([saleRecord(9, 1)]));

    // Assess: waits of 199, 399, 799, 1599, then 1998 each, until the next would end past the deadline.
    await expect(outcome).rejects.toMatchObject({ name: 'FirehoseDeliveryError', deliveryStream: 'sc-sales', failedCount: 1, lastErrorCode: 'ServiceUnavailableException' });
    const attempts = firehose.commandCalls(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sales' }).length;
    expect(attempts).toBe(13);
    expect(clock).toBeLessThan(1_000_000 + 20_000);
    expect(clock + 1_998).toBeGreaterThanOrEqual(1_000_000 + 20_000);
  });

  it('fails at once on an error that retrying cannot fix', async () => {
    // Prepare
    firehose.on(PutRecordBatchCommand).rejects(new ResourceNotFoundException({ message: 'Firehose sc-sales not found', $metadata: {} }));
    const sink = createFirehoseSink({ client: new FirehoseClient({}), deliveryStreams: streams, sleep: noSleep });

    // Act
    const outcome = sink.load(batchOf([saleRecord(3, 1)]));

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'FirehoseDeliveryError', attempts: 1, lastErrorCode: 'ResourceNotFoundException' });
    expect(firehose.commandCalls(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sales' })).toHaveLength(1);
  });
  it('retries a call refused with HTTP 429, as the Kinesis writer does (one shared policy)', async () => {
    // Prepare
    firehose
      .on(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sales' })
      .rejectsOnce(Object.assign(new Error('Too Many Requests'), { name: 'UnknownError', $metadata: { httpStatusCode: 429 } }))
      .resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'a' }] });
    firehose.on(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sale-items' }).resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'i' }] });
    const rounds: unknown[] = [];
    const sink = createFirehoseSink({ client: new FirehoseClient({}), deliveryStreams: streams, random: () => 0.5, sleep: noSleep, onRetry: (round) => rounds.push(round) });

    // Act
    await sink.load(batchOf([saleRecord(5, 1)]));

    // Assess
    expect(firehose.commandCalls(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sales' })).toHaveLength(2);
    expect(rounds).toEqual([{ deliveryStream: 'sc-sales', attempt: 1, failed: 1, errorCode: 'UnknownError', delayMs: 100 }]);
  });

  it('does not retry a record refused with a code that cannot pass', async () => {
    // Prepare
    firehose.on(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sales' }).resolves({
      FailedPutCount: 1,
      RequestResponses: [{ ErrorCode: 'InvalidArgumentException', ErrorMessage: 'bad record' }],
    });
    firehose.on(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sale-items' }).resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'i' }] });
    const delays: number[] = [];
    const sink = createFirehoseSink({ client: new FirehoseClient({}), deliveryStreams: streams, sleep: async (ms) => void delays.push(ms) });

    // Act
    const outcome = sink.load(batchOf([saleRecord(6, 1)]));

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'FirehoseDeliveryError', deliveryStream: 'sc-sales', failedCount: 1, attempts: 1, lastErrorCode: 'InvalidArgumentException' });
    expect(firehose.commandCalls(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sales' })).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('keeps the thrown error as the cause and makes 6 attempts by default', async () => {
    // Prepare
    const throttled = new ServiceUnavailableException({ message: 'Slow down.', $metadata: { httpStatusCode: 503 } });
    firehose.on(PutRecordBatchCommand).rejects(throttled);
    const sink = createFirehoseSink({ client: new FirehoseClient({}), deliveryStreams: streams, sleep: noSleep });

    // Act
    const error = await sink.load(batchOf([], [quarantineEntry])).catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toMatchObject({ name: 'FirehoseDeliveryError', deliveryStream: 'sc-quarantine', failedCount: 1, attempts: 6, lastErrorCode: 'ServiceUnavailableException' });
    expect(firehose.commandCalls(PutRecordBatchCommand, { DeliveryStreamName: 'sc-quarantine' })).toHaveLength(6);
    expect(FIREHOSE_RETRY_DEFAULTS).toEqual({ maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 5_000 });
  });

  it('refuses a response with another number of results than records sent, without retrying', async () => {
    // Prepare
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [] });
    const sink = createFirehoseSink({ client: new FirehoseClient({}), deliveryStreams: streams, sleep: noSleep });

    // Act
    const outcome = sink.load(batchOf([], [quarantineEntry]));

    // Assess
    await expect(outcome).rejects.toMatchObject({ deliveryStream: 'sc-quarantine', attempts: 1, lastErrorCode: 'ResponseLengthMismatchError' });
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(1);
  });
});

describe('Function: encodeRows', () => {
  const row = (index: number, padding = 0) => ({ event_id: index.toString(16).padStart(32, '0'), product: 'x'.repeat(padding) });

  it(`packs rows into records of at most ${FIREHOSE_RECORD_TARGET_BYTES} bytes, one row a line, in order`, () => {
    // Prepare: 100 rows of about 100 bytes.
    const rows = Array.from({ length: 100 }, (_, index) => row(index, 40));

    // Act
    const records = encodeRows(rows);

    // Assess
    expect(records.length).toBeGreaterThan(1);
    expect(records.length).toBeLessThan(5);
    for (const record of records) expect(record.Data?.byteLength).toBeLessThanOrEqual(FIREHOSE_RECORD_TARGET_BYTES);
    expect(records.flatMap((record) => rowsOf(record.Data))).toEqual(rows);
  });

  it('sends a row longer than the target in a record of its own, and one row a record when told 0', () => {
    // Act
    const records = encodeRows([row(1), row(2, 6_000), row(3)]);
    // Assess
    expect(records.map((record) => rowsOf(record.Data).map((decoded) => decoded.event_id))).toEqual([[row(1).event_id], [row(2).event_id], [row(3).event_id]]);
    expect(encodeRows([row(1), row(2)], 0)).toHaveLength(2);
  });
});

describe('Function: chunkRecords', () => {
  it('splits on the 4 MiB payload limit before the record limit', () => {
    // Prepare
    const record = { Data: new Uint8Array(900 * 1024) };

    // Act
    const calls = chunkRecords(Array.from({ length: 10 }, () => record));

    // Assess
    expect(calls.map((call) => call.length)).toEqual([4, 4, 2]);
    expect(calls.every((call) => call.length <= PUT_RECORD_BATCH_MAX_RECORDS)).toBe(true);
  });

  it('refuses a record larger than Firehose accepts', () => {
    // Prepare
    const record = { Data: new Uint8Array(1001 * 1024) };

    // Act
    const act = () => chunkRecords([record]);

    // Assess
    expect(act).toThrow(FirehoseDeliveryError);
  });
});

describe('Firehose limits, at their edges', () => {
  const KIB = 1024;

  it('fills a record to exactly its target before starting the next', () => {
    // Prepare: two lines of 100 bytes (with their newlines) and a target of 200
    const row = (index: number) => ({ id: index, pad: 'x'.repeat(100 - JSON.stringify({ id: index, pad: '' }).length - 1) });
    // Act
    const records = encodeRows([row(1), row(2), row(3)], 200);
    // Assess
    expect(records.map((record) => record.Data?.byteLength)).toEqual([200, 100]);
  });

  it('accepts a record of exactly 1,000 KiB and refuses one a byte larger, naming the stream or "(unnamed)"', () => {
    expect(chunkRecords([{ Data: new Uint8Array(1000 * KIB) }])).toHaveLength(1);
    const tooLarge = [{ Data: new Uint8Array(1000 * KIB + 1) }];
    expect(() => chunkRecords(tooLarge, 'sc-sales')).toThrow(new FirehoseDeliveryError('sc-sales', 1, 0, 'RecordTooLarge'));
    expect(() => chunkRecords(tooLarge)).toThrow('1 record(s) not accepted by delivery stream (unnamed) after 0 attempt(s) (last error: RecordTooLarge)');
  });

  it('puts exactly 4 MiB in one call, and a byte more in two', () => {
    // Prepare: four records of 1,000 KiB and one of the rest of 4 MiB (4,194,304 bytes)
    const full = Array.from({ length: 4 }, () => ({ Data: new Uint8Array(1000 * KIB) }));
    const rest = 4_194_304 - 4 * 1000 * KIB;
    // Act / Assess
    expect(chunkRecords([...full, { Data: new Uint8Array(rest) }]).map((call) => call.length)).toEqual([5]);
    expect(chunkRecords([...full, { Data: new Uint8Array(rest + 1) }]).map((call) => call.length)).toEqual([4, 1]);
  });

  it('counts a record without data as empty', () => {
    expect(chunkRecords([{ Data: undefined }, { Data: new Uint8Array(1) }])).toEqual([[{ Data: undefined }, { Data: new Uint8Array(1) }]]);
  });

  it('says "unknown" when the last attempt had no error code, and keeps a cause only when there was one', () => {
    // Act
    const plain = new FirehoseDeliveryError('sc-sales', 2, 6, undefined);
    // Assess
    expect(plain.message).toBe('2 record(s) not accepted by delivery stream sc-sales after 6 attempt(s) (last error: unknown)');
    expect(plain.name).toBe('FirehoseDeliveryError');
  });
});

describe('Function: createFirehoseSink, giving up', () => {
  it('gives up on a refused record with no cause attached (nothing was thrown)', async () => {
    // Prepare: a record refused with a code that cannot pass
    firehose.reset();
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 1, RequestResponses: [{ ErrorCode: 'InvalidArgumentException', ErrorMessage: 'bad record' }] });
    const sink = createFirehoseSink({ client: new FirehoseClient({}), deliveryStreams: streams, sleep: noSleep });
    // Act
    const error = await sink.load(batchOf([], [quarantineEntry])).catch((thrown: unknown) => thrown as Error);
    // Assess
    expect(error).toBeInstanceOf(FirehoseDeliveryError);
    expect('cause' in (error as Error)).toBe(false);
  });

  it('refuses a response that lists no results, as one with another number of results than records sent', async () => {
    // Prepare
    firehose.reset();
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0 });
    const sink = createFirehoseSink({ client: new FirehoseClient({}), deliveryStreams: streams, sleep: noSleep });
    // Act / Assess
    await expect(sink.load(batchOf([], [quarantineEntry]))).rejects.toMatchObject({ deliveryStream: 'sc-quarantine', attempts: 1, lastErrorCode: 'ResponseLengthMismatchError' });
  });

  it('keeps the error it gave up on as the cause', async () => {
    // Prepare
    firehose.reset();
    const missing = new ResourceNotFoundException({ message: 'no such stream', $metadata: {} });
    firehose.on(PutRecordBatchCommand).rejects(missing);
    const sink = createFirehoseSink({ client: new FirehoseClient({}), deliveryStreams: streams, sleep: noSleep });
    // Act
    const error = await sink.load(batchOf([], [quarantineEntry])).catch((thrown: unknown) => thrown as Error);
    // Assess
    expect(error).toBeInstanceOf(FirehoseDeliveryError);
    expect((error as Error).cause).toBe(missing);
  });
});
