import { gzipSync } from 'node:zlib';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { BatchExecuteStatementCommand, DescribeStatementCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { encodeStreamRecord } from '../../contracts/index.js';
import { archiveLine } from '../../infra/aws/functions/raw-archive-format.js';
import { forgetSetOf, hourPrefixes, parseHour, putBatches, replayRawArchive } from '../../infra/aws/scripts/replay-raw.js';

const s3 = mockClient(S3Client);
const kinesis = mockClient(KinesisClient);
const redshift = mockClient(RedshiftDataClient);

const SALE = JSON.stringify({ type: 'TransactionRecorded', eventId: 'a'.repeat(32), data: { branch: 'Leeds', customerName: 'Ann Example' } });
const REJECTED = JSON.stringify({ type: 'RowRejected', eventId: 'b'.repeat(32) });
const ACCOUNT = JSON.stringify({ type: 'FileVersionIngested', eventId: 'c'.repeat(32), data: { file: 'uploads/leeds/x.csv' } });
const records = [encodeStreamRecord([SALE, REJECTED]), encodeStreamRecord([ACCOUNT], false)];
/** One archive object as Firehose writes it: framed lines, gzipped. */
const archiveObject = gzipSync(
  records.map((data, index) => archiveLine({ shardId: 'shardId-0', sequenceNumber: String(index), partitionKey: 'Leeds', arrivedAt: 0, data: Buffer.from(data).toString('base64') })).join(''),
);

describe('Script: replay-raw', () => {
  beforeEach(() => {
    s3.reset();
    kinesis.reset();
    redshift.reset();
    s3.on(ListObjectsV2Command).callsFake((input: { Prefix: string }) => ({ Contents: input.Prefix === 'raw/2024/03/05/09/' ? [{ Key: 'raw/2024/03/05/09/part-1.gz' }] : [] }));
    s3.on(GetObjectCommand).resolves({ Body: { transformToByteArray: async () => new Uint8Array(archiveObject) } as never });
    kinesis.on(PutRecordsCommand).callsFake((input: { Records: unknown[] }) => ({ FailedRecordCount: 0, Records: input.Records.map(() => ({ SequenceNumber: '1', ShardId: 'shardId-0' })) }));
    redshift.on(BatchExecuteStatementCommand).resolves({ Id: 'forget' });
    redshift.on(DescribeStatementCommand).resolves({ Status: 'FINISHED' });
  });

  it('lists the hour folders of the range', () => {
    expect(hourPrefixes(parseHour('2024-03-05T22'), parseHour('2024-03-06T01'))).toEqual(['raw/2024/03/05/22/', 'raw/2024/03/05/23/', 'raw/2024/03/06/00/', 'raw/2024/03/06/01/']);
    expect(() => hourPrefixes(parseHour('2024-03-06T01'), parseHour('2024-03-05T01'))).toThrow(/--from must not be after --to/);
    expect(() => parseHour('yesterday')).toThrow(/not an hour/);
  });

  it('puts every archived record back on the stream byte for byte, with its partition key', async () => {
    // Act
    const outcome = await replayRawArchive({ s3: new S3Client({}), kinesis: new KinesisClient({}), archiveBucket: 'raw-archive', streamName: 'sales-events', from: parseHour('2024-03-05T08'), to: parseHour('2024-03-05T10') });

    // Assess
    expect(outcome).toEqual({ objects: 1, records: 2, forgotten: undefined });
    const put = kinesis.commandCalls(PutRecordsCommand)[0]?.args[0].input;
    expect(put?.StreamName).toBe('sales-events');
    expect(put?.Records?.map((record) => Buffer.from(record.Data ?? new Uint8Array()).equals(records[put.Records!.indexOf(record)]!))).toEqual([true, true]);
    expect(put?.Records?.map((record) => record.PartitionKey)).toEqual(['Leeds', 'Leeds']);
    expect(redshift.calls()).toHaveLength(0);
  });

  it('with --forget, first drops the rows of those events and files, so they load again under the current rules', async () => {
    // Prepare
    const order: string[] = [];
    redshift.on(BatchExecuteStatementCommand).callsFake(() => (order.push('forget'), { Id: 'forget' }));
    kinesis.on(PutRecordsCommand).callsFake((input: { Records: unknown[] }) => (order.push('put'), { FailedRecordCount: 0, Records: input.Records.map(() => ({ SequenceNumber: '1' })) }));

    // Act
    const outcome = await replayRawArchive({
      s3: new S3Client({}),
      kinesis: new KinesisClient({}),
      redshift: new RedshiftDataClient({}),
      warehouse: { workgroupName: 'supercafe-0000', database: 'supercafe', secretArn: 'arn:aws:secretsmanager:eu-west-2:1:secret:admin' },
      archiveBucket: 'raw-archive',
      streamName: 'sales-events',
      from: parseHour('2024-03-05T09'),
      to: parseHour('2024-03-05T09'),
      forget: true,
      sleep: async () => undefined,
    });

    // Assess
    expect(outcome.forgotten).toEqual({ eventIds: ['a'.repeat(32), 'b'.repeat(32)], files: ['uploads/leeds/x.csv'] });
    const sqls = redshift.commandCalls(BatchExecuteStatementCommand)[0]?.args[0].input.Sqls ?? [];
    expect(sqls).toContain(`DELETE FROM sales WHERE event_id IN ('${'a'.repeat(32)}', '${'b'.repeat(32)}');`);
    expect(sqls).toContain("DELETE FROM ingest_files WHERE file IN ('uploads/leeds/x.csv');");
    // Forgotten before the events are put back.
    expect(order).toEqual(['forget', 'put']);
  });

  it('changes nothing in a dry run, and never says what an event held', async () => {
    // Prepare
    const lines: string[] = [];

    // Act
    await replayRawArchive({ s3: new S3Client({}), kinesis: new KinesisClient({}), archiveBucket: 'raw-archive', streamName: 's', from: parseHour('2024-03-05T09'), to: parseHour('2024-03-05T09'), dryRun: true, forget: true, log: (line) => lines.push(line) });

    // Assess
    expect(kinesis.calls()).toHaveLength(0);
    expect(lines.join('\n')).not.toMatch(/Ann|Example|Leeds/);
  });

  it('splits large replays within the PutRecords limits', () => {
    // Prepare
    const many = Array.from({ length: 1_201 }, (_, index) => ({ shardId: 's', sequenceNumber: String(index), partitionKey: 'Leeds', arrivedAt: 0, data: Buffer.from('x').toString('base64') }));

    // Act
    const batches = putBatches(many);

    // Assess
    expect(batches.map((batch) => batch.length)).toEqual([500, 500, 201]);
    expect(forgetSetOf([])).toEqual({ eventIds: [], files: [] });
  });
});
