import { gunzipSync, gzipSync } from 'node:zlib';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeStatementCommand, ExecuteStatementCommand, GetStatementResultCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { erasureKeys } from '../../../consumers/erasure/erasure-keys.js';
import { encodeStreamRecord, splitStreamRecord } from '../../../contracts/index.js';
import { rawSale, transactionRecorded } from '../../../test/helpers/factories.js';
import { archiveLine, parseArchiveLines } from '../functions/raw-archive-format.js';
import { eraseInAws } from './aws-erasure-run.js';

const s3 = mockClient(S3Client);
const redshift = mockClient(RedshiftDataClient);
const secrets = mockClient(SecretsManagerClient);
const cloudFormation = mockClient(CloudFormationClient);

const PEPPER = 'test-pepper-not-secret';
const CUSTOMER = { name: 'Test Customer', cards: ['4111111111111111'] };
const [KEY] = erasureKeys(PEPPER, CUSTOMER) as [string];
const ERASED_AT = new Date('2024-05-01T12:00:00.000Z');
const ROWS = 'rows-bucket';
const RAW = 'raw-archive-bucket';

const saleRow = (key: string | null, soldAt = '2024-04-30T09:00:00.000Z') => JSON.stringify({ event_id: 'e', sold_at: soldAt, customer_key: key, total_pence: 520 });
const rawObject = () => {
  const events = [transactionRecorded(rawSale({ timestamp: '2024-04-30 10:00' }), 'a'.repeat(32)), transactionRecorded(rawSale({ customerName: 'Someone Else', timestamp: '2024-04-30 10:00' }), 'b'.repeat(32))];
  const record = encodeStreamRecord(events.map((event) => JSON.stringify(event)));
  return gzipSync(archiveLine({ shardId: 'shardId-000000000000', sequenceNumber: '1', partitionKey: 'p', arrivedAt: 0, data: record.toString('base64') }));
};

/** The deployed data stack, the buckets' objects, and a warehouse that changed 2 rows per UPDATE. */
function deployed(objects: Record<string, Record<string, Buffer>>): void {
  cloudFormation.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'SuperCafeData',
        CreationTime: new Date(),
        StackStatus: 'UPDATE_COMPLETE',
        Outputs: Object.entries({
          PepperSecretArn: 'arn:aws:secretsmanager:eu-west-2:1:secret:pepper',
          WorkgroupName: 'supercafe-0000',
          DatabaseName: 'supercafe',
          AdminSecretArn: 'arn:aws:secretsmanager:eu-west-2:1:secret:admin',
          WarehouseBucketName: ROWS,
          RawArchiveBucketName: RAW,
        }).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  });
  secrets.on(GetSecretValueCommand).resolves({ SecretString: PEPPER });
  s3.on(ListObjectsV2Command).callsFake((input: { Bucket: string; Prefix: string }) => ({
    Contents: Object.keys(objects[input.Bucket] ?? {})
      .filter((key) => key.startsWith(input.Prefix))
      .map((Key) => ({ Key })),
  }));
  // The SDK's body stream, as far as the adapter uses it.
  s3.on(GetObjectCommand).callsFake((input: { Bucket: string; Key: string }) => ({ Body: { transformToByteArray: async () => new Uint8Array(objects[input.Bucket]![input.Key]!) } as never }));
  s3.on(PutObjectCommand).resolves({});
  redshift.on(ExecuteStatementCommand).resolves({ Id: 'st' });
  redshift.on(DescribeStatementCommand).resolves({ Status: 'FINISHED', ResultRows: 2 });
  redshift.on(GetStatementResultCommand).resolves({ Records: [[{ longValue: 2 }]] });
}

const run = (dryRun = false) =>
  eraseInAws({ aws: true, region: 'eu-west-2', dryRun }, async (pepper) => erasureKeys(pepper, CUSTOMER), ERASED_AT, {
    cloudFormation: new CloudFormationClient({}),
    secrets: new SecretsManagerClient({}),
    s3: new S3Client({}),
    redshift: new RedshiftDataClient({}),
  });
const puts = () => s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);

describe('Adapter: eraseInAws', () => {
  beforeEach(() => {
    for (const client of [s3, redshift, secrets, cloudFormation]) client.reset();
  });

  it('records the erasure, unties the sales in the warehouse as the admin, and rewrites only the rows and raw objects that held the customer', async () => {
    // Prepare
    deployed({
      [ROWS]: {
        'rows/sales/2024/04/30/09/a.gz': gzipSync(`${saleRow(KEY)}\n${saleRow(null)}\n`),
        'rows/sales/2024/04/30/10/b.gz': gzipSync(`${saleRow('f'.repeat(64))}\n`),
        'rows/sale_items/2024/04/30/09/c.gz': gzipSync('{}\n'),
      },
      [RAW]: { 'raw/2024/04/30/09/r.gz': rawObject() },
    });

    // Act
    const report = await run();

    // Assess
    expect(report).toEqual({ keys: [KEY], warehouseSales: 2, rowFiles: 1, rowSales: 1, rawObjects: 1, rawEvents: 1 });
    const marker = puts().find((put) => put.Key?.startsWith('erasures/'));
    expect(marker).toMatchObject({ Bucket: ROWS, Key: `erasures/${KEY}/2024-05-01T12:00:00.000Z` });
    const update = redshift.commandCalls(ExecuteStatementCommand)[0]?.args[0].input;
    expect(update).toMatchObject({ WorkgroupName: 'supercafe-0000', Database: 'supercafe', SecretArn: 'arn:aws:secretsmanager:eu-west-2:1:secret:admin' });
    expect(update?.Sql).toBe(`UPDATE sales SET customer_key = NULL WHERE ((customer_key = '${KEY}' AND sold_at <= CAST('2024-05-01 12:00:00.000+00' AS TIMESTAMPTZ)));`);
    // Rows: the one file that held the key, rewritten gzipped without it.
    const rows = puts().filter((put) => put.Bucket === ROWS && put.Key?.startsWith('rows/'));
    expect(rows.map((put) => put.Key)).toEqual(['rows/sales/2024/04/30/09/a.gz']);
    expect(gunzipSync(rows[0]!.Body as Buffer).toString()).toBe(`${saleRow(null)}\n${saleRow(null)}\n`);
    // Raw archive: the customer's event lost name and card; the other kept theirs.
    const raw = puts().filter((put) => put.Bucket === RAW);
    expect(raw.map((put) => put.Key)).toEqual(['raw/2024/04/30/09/r.gz']);
    const [record] = parseArchiveLines(gunzipSync(raw[0]!.Body as Buffer).toString());
    const events = splitStreamRecord(Buffer.from(record!.data, 'base64')).map((text) => JSON.parse(text) as { data: { customerName: string | null } });
    expect(events.map((event) => event.data.customerName)).toEqual([null, 'Someone Else']);
    expect(record!.data).not.toContain(Buffer.from('4111111111111111').toString('base64'));
  });

  it('counts and changes nothing in a dry run', async () => {
    // Prepare
    deployed({ [ROWS]: { 'rows/sales/2024/04/30/09/a.gz': gzipSync(`${saleRow(KEY)}\n`) }, [RAW]: {} });

    // Act
    const report = await run(true);

    // Assess
    expect(report).toMatchObject({ warehouseSales: 2, rowFiles: 1, rowSales: 1 });
    expect(puts()).toEqual([]);
    expect(redshift.commandCalls(ExecuteStatementCommand).map((call) => call.args[0].input.Sql)).toEqual([expect.stringMatching(/^SELECT COUNT\(\*\) FROM sales WHERE/)]);
  });

  it('honours earlier erasures recorded in the bucket as well', async () => {
    // Prepare
    const earlier = 'e'.repeat(64);
    deployed({ [ROWS]: { [`erasures/${earlier}/2024-01-01T00:00:00.000Z`]: Buffer.from('') }, [RAW]: {} });

    // Act
    await run();

    // Assess
    expect(redshift.commandCalls(ExecuteStatementCommand)[0]?.args[0].input.Sql).toContain(`customer_key = '${earlier}'`);
  });

  it('says which role to assume when the pepper is refused', async () => {
    // Prepare
    deployed({ [ROWS]: {}, [RAW]: {} });
    secrets.on(GetSecretValueCommand).rejects(Object.assign(new Error('not authorized to perform: secretsmanager:GetSecretValue'), { name: 'AccessDeniedException' }));

    // Act / Assess
    await expect(run()).rejects.toThrow(/reading the pepper: access denied .*ErasureRoleArn/);
  });
});
