import { gunzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { splitStreamRecord } from '../../../contracts/index.js';
import { RAW_ARCHIVE_PREFIX } from '../constructs/raw-archive-bucket.js';
import { parseArchiveLines, type ArchivedRecord } from '../functions/raw-archive-format.js';
import { BATCH_STATEMENT_LIMIT, forgetStatements } from '../warehouse/warehouse-sql.js';
import { runTransaction } from '../../../common/redshift-data/data-api.js';
import { StackOutput } from '../stack-outputs.js';
import { readOutputs } from './stack-outputs.js';

/**
 * Replays the raw event archive (docs/aws.md, "Replay the raw archive"): every
 * Kinesis record the stream carried in a time range, put back on the stream as it
 * was, so the deployed consumer applies its current rules to old events. With
 * `--forget`, the warehouse first drops the rows of those events (as the admin,
 * through the Data API), so they load again under the new rules instead of being
 * skipped as already there; without it, only events the warehouse never loaded
 * (quarantined before, say) change anything. Run it as the replay role (the raw
 * archive holds names and card numbers; only that role path may read it). It
 * prints counts, never event content.
 *
 *   npx tsx infra/aws/scripts/replay-raw.ts --stack SuperCafeData --from 2024-03-01T00 --to 2024-03-07T23 [--forget] [--dry-run]
 */

const HOUR_MS = 3_600_000;
/** PutRecords limits: 500 entries, 5 MiB. */
const PUT_RECORDS_MAX_ENTRIES = 500;
const PUT_RECORDS_MAX_BYTES = 5 * 1024 * 1024;

/** The archive's hour folders from `from` to `to` (inclusive, UTC): `raw/YYYY/MM/DD/HH/`. */
export function hourPrefixes(from: Date, to: Date): string[] {
  if (!(from.getTime() <= to.getTime())) throw new Error('--from must not be after --to');
  const prefixes: string[] = [];
  for (let at = Math.floor(from.getTime() / HOUR_MS) * HOUR_MS; at <= to.getTime(); at += HOUR_MS) {
    prefixes.push(`${RAW_ARCHIVE_PREFIX}${new Date(at).toISOString().slice(0, 13).replace(/[-T]/g, '/')}/`);
  }
  return prefixes;
}

/** `2024-03-05T09` (an hour, UTC) or any ISO instant, as a Date. */
export function parseHour(text: string): Date {
  const date = new Date(/^\d{4}-\d{2}-\d{2}T\d{2}$/.test(text) ? `${text}:00:00Z` : text);
  if (Number.isNaN(date.getTime())) throw new Error(`not an hour: ${text} (expected e.g. 2024-03-05T09)`);
  return date;
}

/** What a replay would make the warehouse forget: the ids of its events, and the files they account for. */
export interface ForgetSet {
  readonly eventIds: string[];
  readonly files: string[];
}

/** The event ids and file names in these archived records (decoded as the consumer decodes them). */
export function forgetSetOf(records: readonly ArchivedRecord[]): ForgetSet {
  const eventIds = new Set<string>();
  const files = new Set<string>();
  for (const record of records) {
    for (const line of splitStreamRecord(Buffer.from(record.data, 'base64'))) {
      const event = JSON.parse(line) as { type?: string; eventId?: string; data?: { file?: string } };
      if ((event.type === 'FileVersionIngested' || event.type === 'FileIngested') && typeof event.data?.file === 'string') files.add(event.data.file);
      else if (typeof event.eventId === 'string') eventIds.add(event.eventId);
    }
  }
  return { eventIds: [...eventIds], files: [...files] };
}

/** The archived records as PutRecords batches within the API's limits, each record as Kinesis delivered it. */
export function putBatches(records: readonly ArchivedRecord[]): PutRecordsRequestEntry[][] {
  const batches: PutRecordsRequestEntry[][] = [];
  let current: PutRecordsRequestEntry[] = [];
  let bytes = 0;
  for (const record of records) {
    const data = Buffer.from(record.data, 'base64');
    const size = data.byteLength + Buffer.byteLength(record.partitionKey);
    if (current.length === PUT_RECORDS_MAX_ENTRIES || (current.length > 0 && bytes + size > PUT_RECORDS_MAX_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push({ Data: data, PartitionKey: record.partitionKey || 'replay' });
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export interface ReplayOptions {
  readonly s3: S3Client;
  readonly kinesis: KinesisClient;
  readonly redshift?: RedshiftDataClient;
  readonly archiveBucket: string;
  readonly streamName: string;
  readonly from: Date;
  readonly to: Date;
  /** Where `--forget` runs its DELETEs (the admin secret: an operator action). */
  readonly warehouse?: { readonly workgroupName: string; readonly database: string; readonly secretArn: string };
  readonly forget?: boolean;
  readonly dryRun?: boolean;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (line: string) => void;
}

export interface ReplayOutcome {
  readonly objects: number;
  readonly records: number;
  readonly forgotten: ForgetSet | undefined;
}

async function archivedRecords(s3: S3Client, bucket: string, prefixes: readonly string[]): Promise<{ objects: number; records: ArchivedRecord[] }> {
  const records: ArchivedRecord[] = [];
  let objects = 0;
  for (const prefix of prefixes) {
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      for (const item of page.Contents ?? []) {
        if (!item.Key) continue;
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: item.Key }));
        const body = Buffer.from(await object.Body!.transformToByteArray());
        records.push(...parseArchiveLines(gunzipSync(body).toString('utf8')));
        objects++;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
  return { objects, records };
}

/** Puts one batch, retrying the entries Kinesis refused (throttling) with a growing pause. */
async function putAll(kinesis: KinesisClient, streamName: string, entries: PutRecordsRequestEntry[], sleep: (ms: number) => Promise<void>): Promise<void> {
  let pending = entries;
  for (let attempt = 1; pending.length > 0; attempt++) {
    const result = await kinesis.send(new PutRecordsCommand({ StreamName: streamName, Records: pending }));
    pending = pending.filter((_, index) => result.Records?.[index]?.ErrorCode !== undefined);
    if (pending.length === 0) return;
    if (attempt >= 8) throw new Error(`${pending.length} record(s) not accepted by the stream after ${attempt} attempts`);
    await sleep(Math.min(200 * 2 ** attempt, 10_000));
  }
}

/** Reads the archive for the range, optionally makes the warehouse forget those events, and republishes them. */
export async function replayRawArchive(options: ReplayOptions): Promise<ReplayOutcome> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const { objects, records } = await archivedRecords(options.s3, options.archiveBucket, hourPrefixes(options.from, options.to));
  options.log?.(`${objects} archive object(s), ${records.length} Kinesis record(s) in range`);
  const forgotten = options.forget ? forgetSetOf(records) : undefined;
  if (options.dryRun) return { objects, records: records.length, forgotten };
  if (forgotten) {
    if (!options.redshift || !options.warehouse) throw new Error('--forget needs the warehouse (workgroup, database, admin secret)');
    const statements = forgetStatements(forgotten.eventIds, forgotten.files);
    for (let start = 0; start < statements.length; start += BATCH_STATEMENT_LIMIT) {
      await runTransaction(options.redshift, options.warehouse, statements.slice(start, start + BATCH_STATEMENT_LIMIT), { statementName: 'supercafe-replay-forget', sleep });
    }
    options.log?.(`warehouse forgot ${forgotten.eventIds.length} event(s) and ${forgotten.files.length} file account(s)`);
  }
  for (const batch of putBatches(records)) await putAll(options.kinesis, options.streamName, batch, sleep);
  options.log?.(`republished ${records.length} record(s) to ${options.streamName}; the consumer loads them with its current rules`);
  return { objects, records: records.length, forgotten };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      stack: { type: 'string', default: 'SuperCafeData' },
      region: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      forget: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('set --region or AWS_REGION');
  if (!values.from || !values.to) throw new Error('set --from and --to (hours, UTC, e.g. 2024-03-05T09)');
  const outputs = await readOutputs(new CloudFormationClient({ region }), values.stack, [
    StackOutput.RawArchiveBucketName,
    StackOutput.StreamName,
    StackOutput.WorkgroupName,
    StackOutput.DatabaseName,
    StackOutput.AdminSecretArn,
  ]);
  await replayRawArchive({
    s3: new S3Client({ region }),
    kinesis: new KinesisClient({ region }),
    redshift: new RedshiftDataClient({ region }),
    archiveBucket: outputs[StackOutput.RawArchiveBucketName],
    streamName: outputs[StackOutput.StreamName],
    warehouse: { workgroupName: outputs[StackOutput.WorkgroupName], database: outputs[StackOutput.DatabaseName], secretArn: outputs[StackOutput.AdminSecretArn] },
    from: parseHour(values.from),
    to: parseHour(values.to),
    forget: values.forget,
    dryRun: values['dry-run'],
    log: (line) => console.log(line),
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
