import { gunzipSync, gzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { scrubRawRecord, scrubSaleRowsText } from '../../../consumers/erasure/scrub.js';
import { suppressionList, type Erasure, type SuppressionList } from '../../../consumers/erasure/suppression.js';
import { WarehouseTables } from '../../../contracts/index.js';
import { RAW_ARCHIVE_PREFIX } from '../constructs/raw-archive-bucket.js';
import { archiveLine, parseArchiveLines } from '../functions/raw-archive-format.js';
import { execute, query, type DataApiTarget, type WaitOptions } from '../../../common/redshift-data/data-api.js';
import { ERASURES_PREFIX, erasureMarkerKey, erasureOfMarker, erasureStatements, rowsPrefix, sqlString } from '../warehouse/warehouse-sql.js';

/**
 * Erasure in the deployed pipeline, given the customer keys (computed with the
 * pepper by the caller). In order, so a run stopped half way is finished by running
 * it again:
 *
 * 1. the erasure markers (`erasures/<key>/<instant>` in the warehouse bucket): from
 *    then on every load run unties what it merges for those keys;
 * 2. the warehouse: the covered sales lose their `customer_key` (as the admin,
 *    through the Data API); figures stay;
 * 3. the clean rows Firehose delivered (`rows/sales/…`, the rebuild source): the
 *    files holding a covered sale are rewritten without its key;
 * 4. the raw event archive (`raw/…`, names and card numbers, kept
 *    `rawArchiveRetentionDays`): the objects holding a covered sale are rewritten
 *    with its name and card number gone, so a raw replay loads it anonymous.
 *
 * Every step honours the whole list (earlier erasures too). Counts only are
 * returned; nothing logs what a file said.
 */

export interface AwsErasureTarget {
  readonly s3: S3Client;
  readonly redshift: RedshiftDataClient;
  /** The workgroup and database, signed in as the admin (`AdminSecretArn`). */
  readonly warehouse: DataApiTarget;
  readonly warehouseBucket: string;
  readonly rawArchiveBucket: string;
  readonly pepper: string;
  readonly wait?: WaitOptions;
}

export interface AwsErasureReport {
  readonly keys: readonly string[];
  readonly warehouseSales: number;
  readonly rowFiles: number;
  readonly rowSales: number;
  readonly rawObjects: number;
  readonly rawEvents: number;
}

async function listAll(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

async function readGzip(s3: S3Client, bucket: string, key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? new Uint8Array());
  return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
}

/** The erasures recorded in the warehouse bucket (the suppression list the loader honours). */
export async function recordedErasures(s3: S3Client, warehouseBucket: string): Promise<Erasure[]> {
  return (await listAll(s3, warehouseBucket, ERASURES_PREFIX)).map(erasureOfMarker).filter((erasure): erasure is Erasure => erasure !== undefined);
}

/**
 * Erases the given keys everywhere AWS keeps them (see above).
 *
 * @param dryRun count what would change; write nothing
 */
export async function eraseCustomersInAws(target: AwsErasureTarget, keys: readonly string[], erasedAt: Date, dryRun = false): Promise<AwsErasureReport> {
  const { s3, redshift } = target;
  const fresh: Erasure[] = keys.map((customerKey) => ({ customerKey, erasedAt: erasedAt.toISOString() }));
  const list: SuppressionList = suppressionList([...(await recordedErasures(s3, target.warehouseBucket)), ...fresh]);
  const all = [...list.values()];

  // 1. Markers first: the loader honours them from its next run.
  if (!dryRun) {
    for (const erasure of fresh) await s3.send(new PutObjectCommand({ Bucket: target.warehouseBucket, Key: erasureMarkerKey(erasure), Body: '' }));
  }

  // 2. The warehouse.
  let warehouseSales = 0;
  if (dryRun) {
    const conditions = all.map(({ customerKey, erasedAt: at }) => `(customer_key = ${sqlString(customerKey)} AND sold_at <= CAST(${sqlString(at)} AS TIMESTAMPTZ))`).join(' OR ');
    const [row] = await query(redshift, target.warehouse, `SELECT COUNT(*) FROM ${WarehouseTables.sales.name} WHERE ${conditions};`, target.wait);
    warehouseSales = Number(row?.[0] ?? 0);
  } else {
    for (const statement of erasureStatements(all)) warehouseSales += Math.max(0, await execute(redshift, target.warehouse, statement, { ...target.wait, statementName: 'supercafe-erase' }));
  }

  // 3. The clean rows of sales (the rebuild source).
  let rowFiles = 0;
  let rowSales = 0;
  for (const key of await listAll(s3, target.warehouseBucket, rowsPrefix(WarehouseTables.sales))) {
    const { value, changed } = scrubSaleRowsText(await readGzip(s3, target.warehouseBucket, key), list);
    if (changed === 0) continue;
    rowFiles++;
    rowSales += changed;
    if (!dryRun) await s3.send(new PutObjectCommand({ Bucket: target.warehouseBucket, Key: key, Body: gzipSync(value) }));
  }

  // 4. The raw event archive.
  let rawObjects = 0;
  let rawEvents = 0;
  for (const key of await listAll(s3, target.rawArchiveBucket, RAW_ARCHIVE_PREFIX)) {
    let changedHere = 0;
    const records = parseArchiveLines(await readGzip(s3, target.rawArchiveBucket, key)).map((record) => {
      const { value, changed } = scrubRawRecord(Buffer.from(record.data, 'base64'), target.pepper, list);
      changedHere += changed;
      return changed === 0 ? record : { ...record, data: value.toString('base64') };
    });
    if (changedHere === 0) continue;
    rawObjects++;
    rawEvents += changedHere;
    if (!dryRun) await s3.send(new PutObjectCommand({ Bucket: target.rawArchiveBucket, Key: key, Body: gzipSync(records.map(archiveLine).join('')) }));
  }

  return { keys, warehouseSales, rowFiles, rowSales, rawObjects, rawEvents };
}
