import { Readable } from 'node:stream';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { S3Event } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { splitStreamRecord, type SalesStreamEvent } from '../../contracts/index.js';
import type * as Powertools from '../shared/powertools.js';

const s3 = mockClient(S3Client);
const kinesis = mockClient(KinesisClient);
const secrets = mockClient(SecretsManagerClient);

const ROWS = ['05/03/2024 09:00,Leeds,Ann Example,Large Latte - 2.45,2.45,CASH,', '05/03/2024 09:05,York,Bob Example,Large Latte - 2.45,2.45,CASH,'].join('\n');

const uploadEvent = (key: string, sequencer?: string): S3Event => ({ Records: [{ s3: { bucket: { name: 'raw' }, object: { key, sequencer } } }] }) as unknown as S3Event;

/** The version each event of the run carries (rows and the account alike). */
const versionsPublished = () =>
  new Set(
    published().map((event) => {
      if (event.type === 'FileVersionIngested') return event.data.version;
      return event.source.kind === 'file' ? event.source.version : undefined;
    }),
  );

/** The events the handler put on the stream. */
const published = (): SalesStreamEvent[] =>
  kinesis.commandCalls(PutRecordsCommand).flatMap((call) => (call.args[0].input.Records ?? []).flatMap((record) => splitStreamRecord(record.Data ?? new Uint8Array()).map((line) => JSON.parse(line) as SalesStreamEvent)));

describe('Handler: csv-ingest (S3 → stream)', () => {
  let handler: (event: S3Event) => Promise<void>;
  let powertools: typeof Powertools;
  /** The metrics the handler added, as [name, value] in order. */
  const metricsAdded = () => vi.mocked(powertools.metrics.addMetric).mock.calls.map(([name, , value]) => [name, value]);

  beforeAll(async () => {
    process.env.STREAM_NAME = 'sales-events';
    process.env.PEPPER_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-2:111111111111:secret:pepper';
    process.env.UPLOAD_PREFIX = 'uploads/';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    ({ handler } = await import('./handler.js'));
    powertools = await import('../shared/powertools.js');
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  beforeEach(() => {
    s3.reset();
    kinesis.reset();
    secrets.reset();
    s3.on(GetObjectCommand).callsFake(() => ({ Body: Readable.from([Buffer.from(ROWS)]) }));
    kinesis.on(PutRecordsCommand).callsFake((input: { Records: unknown[] }) => ({ FailedRecordCount: 0, Records: input.Records.map((_, index) => ({ SequenceNumber: String(index + 1), ShardId: 'shardId-0' })) }));
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'test-pepper' });
    for (const level of ['debug', 'info', 'warn', 'error'] as const) vi.spyOn(powertools.logger, level).mockImplementation(() => undefined);
    vi.spyOn(powertools.metrics, 'addMetric');
    vi.spyOn(powertools.metrics, 'publishStoredMetrics');
  });

  it("refuses, as branch_mismatch, a row under one branch's folder that names another", async () => {
    // Act
    await handler(uploadEvent('uploads/leeds/2024-03-05.csv'));

    // Assess
    const events = published();
    expect(events.filter((event) => event.type === 'TransactionRecorded').map((event) => event.type === 'TransactionRecorded' && event.data.branch)).toEqual(['Leeds']);
    expect(events.find((event) => event.type === 'RowRejected')).toMatchObject({ source: { kind: 'file', file: 'uploads/leeds/2024-03-05.csv', line: 2 }, data: { reason: 'branch_mismatch', field: 'branch' } });
  });

  it('takes every branch from a file outside any branch folder (an operator upload)', async () => {
    // Act
    await handler(uploadEvent('uploads/2024-03-05.csv'));

    // Assess
    expect(published().filter((event) => event.type === 'TransactionRecorded')).toHaveLength(2);
  });

  it("versions every row and the account with the upload's S3 sequencer, padded to compare as text", async () => {
    // Act
    await handler(uploadEvent('uploads/2024-03-05.csv', '0065E2C0D3A1B2C3D4'));

    // Assess
    expect(versionsPublished()).toEqual(new Set(['000000000000000065E2C0D3A1B2C3D4']));
  });

  it('gives a later upload of the same key the greater version, though its sequencer is shorter text', async () => {
    // Prepare: S3 numbered the re-upload later (a longer sequencer, greater once padded)
    await handler(uploadEvent('uploads/2024-03-05.csv', '0065E2C0D3A1B2C3D4'));
    const [first] = versionsPublished();
    kinesis.resetHistory();

    // Act
    await handler(uploadEvent('uploads/2024-03-05.csv', '010065E2C0D3A1B2C3D4'));

    // Assess
    const [second] = versionsPublished();
    expect(String(second) > String(first)).toBe(true);
  });

  it('falls back to the ingest instant for a record with no sequencer (a hand-made event)', async () => {
    // Act
    await handler(uploadEvent('uploads/2024-03-05.csv'));

    // Assess
    const [version] = versionsPublished();
    expect(String(version)).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('reads each record of the event under its URL-decoded key, and skips a folder marker or an empty object unread', async () => {
    // Prepare
    const event = {
      Records: [
        { s3: { bucket: { name: 'raw' }, object: { key: 'uploads/leeds/', size: 0 } } },
        { s3: { bucket: { name: 'raw' }, object: { key: 'uploads/leeds/empty.csv', size: 0 } } },
        { s3: { bucket: { name: 'raw' }, object: { key: 'uploads/leeds/day+one.csv', size: 200 } } },
        { s3: { bucket: { name: 'raw' }, object: { key: 'uploads/york/day%2B2.csv', size: 200 } } },
      ],
    } as unknown as S3Event;
    // Act
    await handler(event);
    // Assess
    expect(s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: 'raw', Key: 'uploads/leeds/day one.csv' },
      { Bucket: 'raw', Key: 'uploads/york/day+2.csv' },
    ]);
    const accounts = published().filter((each) => each.type === 'FileVersionIngested');
    expect(accounts.map((each) => each.type === 'FileVersionIngested' && [each.data.file, each.data.eventsPublished, each.data.rowsRejected])).toEqual([
      ['uploads/leeds/day one.csv', 1, 1],
      ['uploads/york/day+2.csv', 1, 1],
    ]);
  });

  it('logs and counts a refused file without failing the invocation, and reads the next record', async () => {
    // Prepare: the first object is gzip data, the second a branch file.
    s3.on(GetObjectCommand, { Key: 'uploads/a.csv' }).callsFake(() => ({ Body: Readable.from([Buffer.from([0x1f, 0x8b, 8, 0])]) }));
    const event = { Records: ['uploads/a.csv', 'uploads/b.csv'].map((key) => ({ s3: { bucket: { name: 'raw' }, object: { key, size: 10 } } })) } as unknown as S3Event;
    // Act
    await handler(event);
    // Assess
    const accounts = published().filter((each) => each.type === 'FileVersionIngested');
    expect(accounts.map((each) => each.type === 'FileVersionIngested' && [each.data.file, each.data.status, each.data.refusal])).toEqual([
      ['uploads/a.csv', 'refused', 'file_compressed'],
      ['uploads/b.csv', 'loaded', null],
    ]);
  });

  it('fails the invocation on an error that is not a refusal, for Lambda to retry', async () => {
    // Prepare: the stream rejects every write outright.
    kinesis.on(PutRecordsCommand).rejects(Object.assign(new Error('no such stream'), { name: 'ResourceNotFoundException' }));
    // Act / Assess
    await expect(handler(uploadEvent('uploads/2024-03-05.csv'))).rejects.toThrow();
  });
  it("logs each ingested file's account (not its receipt or rejections) and counts the file, its rows, events and rejections, then publishes the metrics", async () => {
    // Act
    await handler(uploadEvent('uploads/leeds/2024-03-05.csv', '0065E2C0D3A1B2C3D4'));

    // Assess
    expect(powertools.logger.info).toHaveBeenCalledTimes(1);
    const [message, account] = vi.mocked(powertools.logger.info).mock.calls[0] as [string, Record<string, unknown>];
    expect(message).toBe('file ingested');
    expect(account).toMatchObject({ file: 'uploads/leeds/2024-03-05.csv', version: '000000000000000065E2C0D3A1B2C3D4', status: 'loaded', refusal: null, rowsRead: 2, eventsPublished: 1, rowsRejected: 1 });
    expect(account).not.toHaveProperty('receipt');
    expect(account).not.toHaveProperty('rejections');
    expect(metricsAdded()).toEqual([
      ['FilesIngested', 1],
      ['RowsRead', 2],
      ['EventsPublished', 1],
      ['RowsRejected', 1],
    ]);
    expect(powertools.metrics.publishStoredMetrics).toHaveBeenCalledTimes(1);
    expect(powertools.logger.warn).not.toHaveBeenCalled();
  });

  it('warns, naming the file, when a record has no S3 sequencer and its version falls back to the ingest instant', async () => {
    // Act
    await handler(uploadEvent('uploads/2024-03-05.csv'));

    // Assess
    expect(powertools.logger.warn).toHaveBeenCalledTimes(1);
    expect(powertools.logger.warn).toHaveBeenCalledWith('no S3 sequencer: the version is the ingest instant', { file: 'uploads/2024-03-05.csv' });
  });

  it('logs a skipped folder marker at debug only, naming the key and why, with no metric', async () => {
    // Act
    await handler({ Records: [{ s3: { bucket: { name: 'raw' }, object: { key: 'uploads/leeds/', size: 0 } } }] } as unknown as S3Event);

    // Assess
    expect(powertools.logger.debug).toHaveBeenCalledTimes(1);
    const [message, fields] = vi.mocked(powertools.logger.debug).mock.calls[0] as [string, Record<string, unknown>];
    expect(message).toBe('not an upload, skipped');
    expect(fields).toEqual({ file: 'uploads/leeds/', placeholder: expect.any(String) as unknown });
    expect(fields.placeholder).not.toBe('');
    expect(powertools.logger.info).not.toHaveBeenCalled();
    expect(metricsAdded()).toEqual([]);
  });

  it('logs a refused file at error with its key, refusal and detail, and counts it as refused', async () => {
    // Prepare: the object is gzip data.
    s3.on(GetObjectCommand).callsFake(() => ({ Body: Readable.from([Buffer.from([0x1f, 0x8b, 8, 0])]) }));

    // Act
    await handler(uploadEvent('uploads/a.csv', '0065E2C0D3A1B2C3D4'));

    // Assess
    expect(powertools.logger.error).toHaveBeenCalledTimes(1);
    const [message, fields] = vi.mocked(powertools.logger.error).mock.calls[0] as [string, Record<string, unknown>];
    expect(message).toBe('file refused');
    expect(fields).toEqual({ file: 'uploads/a.csv', refusal: 'file_compressed', detail: expect.stringMatching(/\S/) as unknown });
    expect(metricsAdded()).toEqual([['FilesRefused', 1]]);
    expect(powertools.metrics.publishStoredMetrics).toHaveBeenCalledTimes(1);
  });

  it('logs each stream retry round at warn and counts the entries sent again', async () => {
    // Prepare: the stream throttles one write, then accepts it.
    kinesis
      .on(PutRecordsCommand)
      .callsFakeOnce((input: { Records: unknown[] }) => ({ FailedRecordCount: input.Records.length, Records: input.Records.map(() => ({ ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'slow down' })) }))
      .callsFake((input: { Records: unknown[] }) => ({ FailedRecordCount: 0, Records: input.Records.map((_, index) => ({ SequenceNumber: String(index + 1), ShardId: 'shardId-0' })) }));

    // Act
    await handler(uploadEvent('uploads/2024-03-05.csv', '0065E2C0D3A1B2C3D4'));

    // Assess
    expect(powertools.logger.warn).toHaveBeenCalledWith('stream retry', expect.objectContaining({ attempt: 1, errorCode: 'ProvisionedThroughputExceededException' }));
    const retried = vi.mocked(powertools.metrics.addMetric).mock.calls.filter(([name]) => name === 'StreamRetries');
    expect(retried).toHaveLength(1);
    expect(retried[0]?.[2]).toBeGreaterThan(0);
  });

  it('publishes the stored metrics even when the invocation fails', async () => {
    // Prepare
    kinesis.on(PutRecordsCommand).rejects(Object.assign(new Error('no such stream'), { name: 'ResourceNotFoundException' }));
    // Act / Assess
    await expect(handler(uploadEvent('uploads/2024-03-05.csv', '0065E2C0D3A1B2C3D4'))).rejects.toThrow();
    expect(powertools.metrics.publishStoredMetrics).toHaveBeenCalledTimes(1);
  });
});
