import { BatchExecuteStatementCommand, DescribeStatementCommand, ExecuteStatementCommand, GetStatementResultCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { LoaderConfigSchema, loadWarehouse } from './warehouse-load.js';

const s3 = mockClient(S3Client);
const redshift = mockClient(RedshiftDataClient);
const BUCKET = 'rows-bucket';
const COPY_ROLE = 'arn:aws:iam::111111111111:role/copy';
const NOW = new Date('2024-03-05T09:30:00Z');
const config = LoaderConfigSchema.parse({ WORKGROUP_NAME: 'supercafe-0000', DATABASE_NAME: 'supercafe', BUCKET_NAME: BUCKET, COPY_ROLE_ARN: COPY_ROLE, LOOKBACK_DAYS: '1' });

const SALES_FILE = 'rows/sales/2024/03/05/09/sales-1.gz';
const ITEMS_FILE = 'rows/sale_items/2024/03/05/09/items-1.gz';
const OLD_FILE = 'rows/sales/2024/03/05/08/sales-0.gz';

/** The warehouse bucket: files by key, and the loader's state object if any. */
function bucketHolds(files: Record<string, string>, state?: object) {
  s3.on(ListObjectsV2Command).callsFake((input: { Prefix: string }) => ({
    Contents: Object.entries(files)
      .filter(([key]) => key.startsWith(input.Prefix))
      .map(([key, modified]) => ({ Key: key, LastModified: new Date(modified) })),
  }));
  // The SDK's body stream, as far as the loader uses it.
  if (state) s3.on(GetObjectCommand, { Key: 'state/loader.json' }).resolves({ Body: { transformToString: async () => JSON.stringify(state) } as never });
  else s3.on(GetObjectCommand).rejects(Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey' }));
  s3.on(PutObjectCommand).resolves({});
}

/** The warehouse: the files it has loaded, which batches fail (by a statement they contain), and the merge lag it reports. */
function warehouseHasLoaded(loaded: string[], failWhen: (sqls: string[]) => boolean = () => false, lagSeconds: number | null = 845) {
  redshift.on(ExecuteStatementCommand).callsFake((input: { Sql: string }) => ({ Id: input.Sql.includes('merged_at') ? 'lag' : 'loaded' }));
  redshift.on(GetStatementResultCommand, { Id: 'loaded' }).resolves({ Records: loaded.map((file) => [{ stringValue: file }]) });
  redshift.on(GetStatementResultCommand, { Id: 'lag' }).resolves({ Records: [[lagSeconds === null ? { isNull: true } : { longValue: lagSeconds }]] });
  const outcomes = new Map<string, boolean>();
  let batch = 0;
  redshift.on(BatchExecuteStatementCommand).callsFake((input: { Sqls: string[] }) => {
    const id = `batch-${++batch}`;
    outcomes.set(id, failWhen(input.Sqls));
    return { Id: id };
  });
  redshift.on(DescribeStatementCommand).callsFake((input: { Id: string }) =>
    outcomes.get(input.Id) ? { Status: 'FAILED', Error: "ERROR: Load into table 'stage_sales' failed. Check 'sys_load_error_detail' system table for details." } : { Status: 'FINISHED' },
  );
}

const run = () => loadWarehouse({ s3: new S3Client({}), redshift: new RedshiftDataClient({}), config, now: () => NOW, runId: 'run-1', sleep: async () => undefined });
const batches = () => redshift.commandCalls(BatchExecuteStatementCommand).map((call) => call.args[0].input);
const puts = () => s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);

describe('Function: loadWarehouse', () => {
  beforeEach(() => {
    s3.reset();
    redshift.reset();
  });

  it('loads the new files of every table in one transaction, by manifest, as its IAM identity', async () => {
    // Prepare
    bucketHolds({ [SALES_FILE]: '2024-03-05T09:10:00Z', [ITEMS_FILE]: '2024-03-05T09:10:00Z', [OLD_FILE]: '2024-03-05T08:10:00Z' });
    warehouseHasLoaded([OLD_FILE]);

    // Act
    const outcome = await run();

    // Assess
    expect(outcome).toEqual({ loaded: 2, parked: 0, deferred: 0, parkedTotal: 0, reachedWarehouse: true, mergeLagSeconds: 845 });
    const [batch, ...more] = batches();
    expect(more).toEqual([]);
    expect(batch?.SecretArn).toBeUndefined();
    expect(batch).toMatchObject({ WorkgroupName: 'supercafe-0000', Database: 'supercafe', StatementName: 'supercafe-load-run-1', WithEvent: true });
    expect(batch?.Sqls?.[0]).toBe(
      `COPY stage_sales (event_id,branch,sold_at,business_date,total_pence,payment_method,card_brand,customer_key,item_count,source,source_ref,recorded_at,loaded_at,kind,refund_of) FROM 's3://${BUCKET}/manifests/run-1/sales.json' IAM_ROLE '${COPY_ROLE}' MANIFEST JSON 'auto' GZIP TIMEFORMAT 'auto' DATEFORMAT 'auto' COMPUPDATE OFF STATUPDATE OFF;`,
    );
    // The fold runs in the same transaction, after the COPYs and before the history.
    const sqls = batch?.Sqls ?? [];
    expect(sqls.findIndex((sql) => sql.startsWith('CREATE TEMP TABLE fold_verdicts'))).toBeGreaterThan(1);
    expect(sqls.findIndex((sql) => sql.startsWith('CREATE TEMP TABLE fold_verdicts'))).toBeLessThan(sqls.findIndex((sql) => sql.startsWith('INSERT INTO load_history')));
    expect(batch?.Sqls?.join('\n')).not.toContain(OLD_FILE);
    const manifest = puts().find((put) => put.Key === 'manifests/run-1/sales.json');
    expect(JSON.parse(String(manifest?.Body))).toEqual({ entries: [{ url: `s3://${BUCKET}/${SALES_FILE}`, mandatory: true }] });
    expect(JSON.parse(String(puts().find((put) => put.Key === 'state/loader.json')?.Body))).toEqual({ startedAt: NOW.toISOString(), deferred: 0 });
  });

  it('stamps every row it merges with the run’s instant, and reads back how long the oldest sale waited', async () => {
    // Prepare
    bucketHolds({ [SALES_FILE]: '2024-03-05T09:10:00Z' });
    warehouseHasLoaded([]);

    // Act
    const outcome = await run();

    // Assess: merged_at is the run's start, in the merge of sales; the lag query asks for exactly that stamp.
    const stamp = "CAST('2024-03-05 09:30:00.000+00' AS TIMESTAMPTZ)";
    const merge = batches()[0]?.Sqls?.find((sql) => sql.startsWith('INSERT INTO sales '));
    expect(merge).toContain('loaded_at, merged_at, kind, refund_of)');
    expect(merge).toContain(`staged.loaded_at, ${stamp}, staged.kind, staged.refund_of FROM (`);
    const lagQuery = redshift.commandCalls(ExecuteStatementCommand).map((call) => call.args[0].input.Sql).find((sql) => sql?.includes('merged_at'));
    expect(lagQuery).toBe(`SELECT DATEDIFF(second, MIN(loaded_at), MAX(merged_at)) AS lag_seconds FROM sales WHERE merged_at = ${stamp};`);
    expect(outcome.mergeLagSeconds).toBe(845);
  });

  it('unties from an erased customer, in the same transaction, the sales it merges', async () => {
    // Prepare: an erasure marker written by supercafe erase --aws.
    const key = 'c'.repeat(64);
    bucketHolds({ [SALES_FILE]: '2024-03-05T09:10:00Z', [`erasures/${key}/2024-03-01T00:00:00.000Z`]: '2024-03-01T00:00:00Z' });
    warehouseHasLoaded([]);

    // Act
    await run();

    // Assess
    const update = batches()[0]?.Sqls?.find((sql) => sql.startsWith('UPDATE sales'));
    expect(update).toBe(
      `UPDATE sales SET customer_key = NULL WHERE merged_at = CAST('2024-03-05 09:30:00.000+00' AS TIMESTAMPTZ) AND ((customer_key = '${key}' AND sold_at <= CAST('2024-03-01 00:00:00.000+00' AS TIMESTAMPTZ)));`,
    );
  });

  it('reports no lag when the run merged no sale', async () => {
    // Prepare
    bucketHolds({ [ITEMS_FILE]: '2024-03-05T09:10:00Z' });
    warehouseHasLoaded([], () => false, null);

    // Act
    const outcome = await run();

    // Assess
    expect(outcome.loaded).toBe(1);
    expect(outcome.mergeLagSeconds).toBeUndefined();
  });

  it('does not wake the warehouse when nothing arrived since the last run', async () => {
    // Prepare
    bucketHolds({ [OLD_FILE]: '2024-03-05T08:10:00Z' }, { startedAt: '2024-03-05T09:15:00Z', deferred: 0 });

    // Act
    const outcome = await run();

    // Assess
    expect(outcome.reachedWarehouse).toBe(false);
    expect(redshift.calls()).toHaveLength(0);
  });

  it('when the run fails, loads file by file and parks the one Redshift refuses, with its message', async () => {
    // Prepare
    bucketHolds({ [SALES_FILE]: '2024-03-05T09:10:00Z', [ITEMS_FILE]: '2024-03-05T09:10:00Z' });
    // The whole run fails, and so does any batch that loads the sales file.
    warehouseHasLoaded([], (sqls) => sqls.some((sql) => sql.includes('COPY stage_sales')));

    // Act
    const outcome = await run();

    // Assess
    expect(outcome).toMatchObject({ loaded: 1, parked: 1, parkedTotal: 1 });
    expect(batches()).toHaveLength(3);
    const marker = puts().find((put) => put.Key === `errors/${SALES_FILE}.json`);
    expect(JSON.parse(String(marker?.Body))).toMatchObject({ file: SALES_FILE, table: 'sales', runId: 'run-1', error: expect.stringContaining('sys_load_error_detail') as string });
  });

  it('skips parked files until they are re-driven', async () => {
    // Prepare
    bucketHolds({ [SALES_FILE]: '2024-03-05T09:10:00Z', [`errors/${SALES_FILE}.json`]: '2024-03-05T09:20:00Z' });
    warehouseHasLoaded([]);

    // Act
    const outcome = await run();

    // Assess
    expect(outcome).toMatchObject({ loaded: 0, parkedTotal: 1 });
    expect(batches()).toEqual([]);
  });

  it('refuses to start without its settings, naming the missing ones', () => {
    expect(LoaderConfigSchema.safeParse({ WORKGROUP_NAME: 'w' }).error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['BUCKET_NAME', 'COPY_ROLE_ARN', 'DATABASE_NAME']);
  });
});
