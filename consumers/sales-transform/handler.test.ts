import { FirehoseClient, PutRecordBatchCommand, type PutRecordBatchCommandInput } from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { kinesisEventFactory, kinesisRecordFactory, lambdaContextFactory, rawSale, transactionRecorded } from '../../test/helpers/factories.js';

vi.mock('@aws-lambda-powertools/parameters/secrets', () => ({ getSecret: vi.fn(async () => 'pepper-for-tests') }));

const firehose = mockClient(FirehoseClient);
const ENVIRONMENT = process.env;
const CONFIGURED = {
  PEPPER_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:111111111111:secret:supercafe/pepper-AbCdEf',
  SALES_DELIVERY_STREAM: 'sc-sales',
  SALE_ITEMS_DELIVERY_STREAM: 'sc-sale-items',
  QUARANTINE_DELIVERY_STREAM: 'sc-quarantine',
  INGEST_FILES_DELIVERY_STREAM: 'sc-ingest-files',
  SALE_SOURCES_DELIVERY_STREAM: 'sc-sale-sources',
  TILL_SALES_DELIVERY_STREAM: 'sc-till-sales',
  FILE_VERSIONS_DELIVERY_STREAM: 'sc-file-versions',
  POWERTOOLS_SERVICE_NAME: 'sales-transform',
  // Powertools Logger writes to the global console in dev mode, where a test can read it.
  POWERTOOLS_DEV: 'true',
  POWERTOOLS_METRICS_DISABLED: 'true',
};

/** The handler module, loaded afresh under the given environment (it reads its configuration at load, as at a cold start). */
async function loadHandler(environment: Record<string, string>) {
  vi.resetModules();
  process.env = { ...ENVIRONMENT, ...environment };
  return (await import('./handler.js')).handler;
}

/** Every JSON log line Powertools Logger printed at the given levels (Metrics' own plain-text warnings aside). */
function logLines(...spies: { mock: { calls: unknown[][] } }[]): Record<string, unknown>[] {
  return spies.flatMap((spy) =>
    spy.mock.calls.map((args) => String(args[0])).filter((text) => text.startsWith('{')).map((text) => JSON.parse(text) as Record<string, unknown>),
  );
}

describe('Handler: sales-transform', () => {
  beforeEach(() => {
    firehose.reset();
    vi.restoreAllMocks();
    // Streams a test does not set up take every record (the fold's tables, say).
    firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => ({ FailedPutCount: 0, RequestResponses: (input.Records ?? []).map(() => ({ RecordId: 'ok' })) }));
  });
  afterAll(() => {
    process.env = ENVIRONMENT;
  });

  it('refuses to start without its delivery streams, naming what is missing', async () => {
    // Prepare
    const { SALE_ITEMS_DELIVERY_STREAM: _items, QUARANTINE_DELIVERY_STREAM: _quarantine, ...partial } = CONFIGURED;

    // Act
    const loading = loadHandler({ ...partial, SALE_ITEMS_DELIVERY_STREAM: '', QUARANTINE_DELIVERY_STREAM: undefined as unknown as string });

    // Assess
    await expect(loading).rejects.toThrow(
      'sales-transform: invalid configuration: SALE_ITEMS_DELIVERY_STREAM is set but empty; QUARANTINE_DELIVERY_STREAM is not set',
    );
  });

  it('loads each table through its delivery stream, counting and logging a retry round', async () => {
    // Prepare
    firehose
      .on(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sales' })
      .rejectsOnce(Object.assign(new Error('Slow down.'), { name: 'ServiceUnavailableException' }))
      .resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'a' }] });
    firehose.on(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sale-items' }).callsFake((input: PutRecordBatchCommandInput) => ({
      FailedPutCount: 0,
      RequestResponses: (input.Records ?? []).map(() => ({ RecordId: 'i' })),
    }));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const handler = await loadHandler(CONFIGURED);
    const record = kinesisRecordFactory([transactionRecorded()]);

    // Act
    const response = await handler(kinesisEventFactory(record), lambdaContextFactory());

    // Assess
    expect(response).toStrictEqual({ batchItemFailures: [] });
    expect(firehose.commandCalls(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sales' })).toHaveLength(2);
    // Both basket lines packed into one Firehose record, one JSON row a line.
    const itemRecords = firehose.commandCalls(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sale-items' })[0]?.args[0].input.Records ?? [];
    expect(itemRecords).toHaveLength(1);
    expect(Buffer.from(itemRecords[0]?.Data ?? new Uint8Array()).toString('utf8').trimEnd().split('\n')).toHaveLength(2);
    expect(logLines(warn)).toEqual([
      expect.objectContaining({ level: 'WARN', message: 'delivery retry', service: 'sales-transform', deliveryStream: 'sc-sales', attempt: 1, failed: 1, errorCode: 'ServiceUnavailableException' }),
    ]);
  });

  it('logs each failed record with its reason and sequence number, never its data', async () => {
    // Prepare: Firehose refuses for good (not retryable)
    firehose.on(PutRecordBatchCommand).rejects(Object.assign(new Error('Firehose sc-sales not found'), { name: 'ResourceNotFoundException' }));
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const handler = await loadHandler(CONFIGURED);
    const record = kinesisRecordFactory([transactionRecorded(rawSale({ customerName: 'Ada Lovelace', cardNumber: '5555444433332222' }))], { sequenceNumber: '777' });

    // Act
    const response = await handler(kinesisEventFactory(record), lambdaContextFactory());

    // Assess
    expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: '777' }] });
    const lines = logLines(error, warn);
    expect(lines).toEqual([
      expect.objectContaining({ level: 'ERROR', message: 'record failed; the stream will retry it', reason: 'sink_load_failed', errorCode: 'FirehoseDeliveryError', sequenceNumber: '777', shardId: 'shardId-000000000000' }),
      expect.objectContaining({ level: 'WARN', message: 'records to retry', count: 1, records: 1 }),
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/Lovelace|5555444433332222/);
  });

  it('counts loaded sales and retry rounds as metrics, and publishes them once per invocation', async () => {
    // Prepare: one throttled round on the sales stream
    firehose
      .on(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sales' })
      .rejectsOnce(Object.assign(new Error('Slow down.'), { name: 'ServiceUnavailableException' }))
      .resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'a' }] });
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const handler = await loadHandler(CONFIGURED);
    const { metrics } = await import('../shared/powertools.js');
    const added = vi.spyOn(metrics, 'addMetric');
    const published = vi.spyOn(metrics, 'publishStoredMetrics');

    // Act
    await handler(kinesisEventFactory(kinesisRecordFactory([transactionRecorded()])), lambdaContextFactory());

    // Assess
    expect(added.mock.calls).toEqual(expect.arrayContaining([['DeliveryRetries', 'Count', 1], ['SalesLoaded', 'Count', 1]]));
    expect(published).toHaveBeenCalledTimes(1);
  });

  it('stops retrying Firehose at the invocation’s deadline less 10 s, and still publishes its metrics', async () => {
    // Prepare: always throttled; 10 s left, all of it the margin kept for the report
    firehose.on(PutRecordBatchCommand).rejects(Object.assign(new Error('Slow down.'), { name: 'ServiceUnavailableException' }));
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const handler = await loadHandler(CONFIGURED);
    const { metrics } = await import('../shared/powertools.js');
    const published = vi.spyOn(metrics, 'publishStoredMetrics');
    const record = kinesisRecordFactory([transactionRecorded()], { sequenceNumber: '888' });

    // Act
    const response = await handler(kinesisEventFactory(record), { ...lambdaContextFactory(), getRemainingTimeInMillis: () => 10_000 });

    // Assess: one attempt per stream, no retry, the record left to the stream
    expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: '888' }] });
    expect(firehose.commandCalls(PutRecordBatchCommand, { DeliveryStreamName: 'sc-sales' })).toHaveLength(1);
    expect(published).toHaveBeenCalledTimes(1);
  });

  it('publishes its metrics even when the invocation throws', async () => {
    // Prepare: an event Lambda would never send (no list of records), which the batch processor refuses
    const handler = await loadHandler(CONFIGURED);
    const { metrics } = await import('../shared/powertools.js');
    const published = vi.spyOn(metrics, 'publishStoredMetrics');
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);

    // Act
    const outcome = handler({ Records: null } as unknown as Parameters<typeof handler>[0], lambdaContextFactory());

    // Assess
    await expect(outcome).rejects.toThrow();
    expect(published).toHaveBeenCalledTimes(1);
  });
});

