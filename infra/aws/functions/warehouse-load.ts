import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { WarehouseTables } from '../../../contracts/index.js';
import {
  dayPrefixes,
  fileOfMarker,
  manifestBody,
  manifestKey,
  needsWarehouse,
  parkedMarkerKey,
  planRun,
  tableLoads,
  type ListedFile,
  type LoaderState,
} from '../warehouse/load-plan.js';
import {
  ERASURES_PREFIX,
  PARKED_PREFIX,
  WAREHOUSE_TABLE_KEYS,
  erasureOfMarker,
  loadStatements,
  loadedFilesQuery,
  mergeLagQuery,
  type ErasedKey,
  type WarehouseTableKey,
} from '../warehouse/warehouse-sql.js';
import { LOADER_METRIC, LOADER_SERVICE } from './constants.js';
import { WarehouseStatementError, query, runTransaction, type DataApiTarget, type WaitOptions } from '../../../common/redshift-data/data-api.js';

/**
 * The warehouse loader, run on a schedule. It signs in to the private workgroup as
 * its own IAM role, which Redshift maps (principal tag `RedshiftDbRoles`) to the
 * `warehouse_loader` database role: it may COPY into staging with the namespace's
 * one COPY role, merge, and record what it loaded, nothing more. Each run:
 *
 * 1. lists the files Firehose wrote in the lookback window, and the parked ones;
 * 2. if nothing arrived since the last run, stops without waking the warehouse;
 * 3. asks `load_history` which files are loaded, writes one manifest per table,
 *    and runs COPY + merge + history as one transaction;
 * 4. if that fails, loads the files one by one, and parks each file Redshift still
 *    refuses under `errors/` (with Redshift's message), so one bad file never
 *    stalls a table. The re-drive script puts parked files back;
 * 5. honours erasures: the sales it merges that an erasure covers (markers under
 *    `erasures/`, written by `supercafe erase --aws`) are untied from their customer
 *    in the same transaction, so a re-driven or replayed file cannot bring one back;
 * 6. reads how far the final tables trail the consumer: the merge stamps every row
 *    it adds with the run's instant (`merged_at`), and the oldest sale's wait from
 *    `loaded_at` to it is the run's merge lag (a metric, alarmed).
 *
 * A crash between the commit and the next run loads nothing twice in effect: the
 * merge is idempotent on each table's key.
 */

/** The function's configuration, checked at start: a missing setting fails loudly, naming itself. */
export const LoaderConfigSchema = z.object({
  WORKGROUP_NAME: z.string().min(1),
  DATABASE_NAME: z.string().min(1),
  BUCKET_NAME: z.string().min(3),
  COPY_ROLE_ARN: z.string().startsWith('arn:'),
  LOOKBACK_DAYS: z.coerce.number().int().min(1).max(30).default(7),
  MAX_FILES_PER_RUN: z.coerce.number().int().min(1).max(5_000).default(500),
  /** Per-file retries after a failed run; the rest wait for the next run. */
  MAX_FILES_ONE_BY_ONE: z.coerce.number().int().min(1).max(500).default(25),
});

export type LoaderConfig = z.output<typeof LoaderConfigSchema>;

const STATE_KEY = 'state/loader.json';
/** S3 LastModified and the Lambda clock may disagree a little; a file this close to the last run counts as new. */
const CLOCK_SKEW_MS = 10 * 60_000;

export interface LoaderDependencies extends WaitOptions {
  readonly s3: S3Client;
  readonly redshift: RedshiftDataClient;
  readonly config: LoaderConfig;
  readonly now: () => Date;
  readonly runId: string;
}

export interface LoadOutcome {
  readonly loaded: number;
  readonly parked: number;
  readonly deferred: number;
  /** Markers under `errors/` after the run: files waiting for a re-drive. */
  readonly parkedTotal: number;
  /** False when the run did not need the warehouse (nothing new). */
  readonly reachedWarehouse: boolean;
  /** Seconds the oldest sale merged this run waited after the consumer wrote it; undefined when no sale was merged. */
  readonly mergeLagSeconds?: number;
}

async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<ListedFile[]> {
  const files: ListedFile[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const item of page.Contents ?? []) if (item.Key && item.LastModified) files.push({ key: item.Key, lastModified: item.LastModified });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return files;
}

async function readState(s3: S3Client, bucket: string): Promise<LoaderState | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: STATE_KEY }));
    return JSON.parse((await object.Body?.transformToString()) ?? '') as LoaderState;
  } catch {
    // No state yet (or unreadable): ask the warehouse.
    return undefined;
  }
}

async function putJson(s3: S3Client, bucket: string, key: string, body: string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
}

/** Redshift's message, truncated: a COPY failure names the table and points at sys_load_error_detail; the rows hold no personal data. */
function safeDetail(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 500);
}

/** One run of the loader. */
export async function loadWarehouse(deps: LoaderDependencies): Promise<LoadOutcome> {
  const { s3, redshift, config, runId } = deps;
  const bucket = config.BUCKET_NAME;
  const target: DataApiTarget = { workgroupName: config.WORKGROUP_NAME, database: config.DATABASE_NAME };
  const startedAt = deps.now();

  const listed = new Map<WarehouseTableKey, ListedFile[]>();
  for (const table of WAREHOUSE_TABLE_KEYS) {
    const files: ListedFile[] = [];
    for (const prefix of dayPrefixes(table, startedAt, config.LOOKBACK_DAYS)) files.push(...(await listKeys(s3, bucket, prefix)));
    listed.set(table, files);
  }
  const markers = await listKeys(s3, bucket, PARKED_PREFIX);
  const parked = new Set(markers.map((marker) => fileOfMarker(marker.key)).filter((key): key is string => key !== undefined));

  if (!needsWarehouse(listed, await readState(s3, bucket), CLOCK_SKEW_MS)) {
    return { loaded: 0, parked: 0, deferred: 0, parkedTotal: parked.size, reachedWarehouse: false };
  }

  const erasures = (await listKeys(s3, bucket, ERASURES_PREFIX)).map((marker) => erasureOfMarker(marker.key)).filter((erasure): erasure is ErasedKey => erasure !== undefined);
  const loaded = new Set((await query(redshift, target, loadedFilesQuery(config.LOOKBACK_DAYS + 1), deps)).map(([file]) => String(file)));
  const plan = planRun({ listed, loaded, parked, maxFiles: config.MAX_FILES_PER_RUN });
  const loads = tableLoads(plan, bucket, runId);
  for (const load of loads) await putJson(s3, bucket, manifestKey(runId, load.table), manifestBody(bucket, load.files));

  let loadedCount = 0;
  let parkedCount = 0;
  let deferred = plan.deferred;
  try {
    await runTransaction(redshift, target, loadStatements(loads, config.COPY_ROLE_ARN, runId, startedAt, erasures), { ...deps, statementName: `supercafe-load-${runId}`, withEvent: true });
    loadedCount = plan.total;
  } catch (error) {
    if (!(error instanceof WarehouseStatementError)) throw error;
    // One file (or one table's schema) is at fault: find it, park it, load the rest.
    const singles = loads.flatMap((load) => load.files.map((file) => ({ table: load.table, file })));
    deferred += Math.max(0, singles.length - config.MAX_FILES_ONE_BY_ONE);
    for (const [index, { table, file }] of singles.slice(0, config.MAX_FILES_ONE_BY_ONE).entries()) {
      const singleRun = `${runId}-${index}`;
      await putJson(s3, bucket, manifestKey(singleRun, table), manifestBody(bucket, [file]));
      const single = [{ table, files: [file], manifestUrl: `s3://${bucket}/${manifestKey(singleRun, table)}` }];
      try {
        await runTransaction(redshift, target, loadStatements(single, config.COPY_ROLE_ARN, singleRun, startedAt, erasures), { ...deps, statementName: `supercafe-load-${singleRun}` });
        loadedCount++;
      } catch (fileError) {
        if (!(fileError instanceof WarehouseStatementError)) throw fileError;
        parkedCount++;
        await putJson(
          s3,
          bucket,
          parkedMarkerKey(file),
          JSON.stringify({ file, table: WarehouseTables[table].name, runId, parkedAt: deps.now().toISOString(), error: safeDetail(fileError) }),
        );
      }
    }
  }
  const state: LoaderState = { startedAt: startedAt.toISOString(), deferred };
  await putJson(s3, bucket, STATE_KEY, JSON.stringify(state));
  // The warehouse is awake (and billed its minute) anyway: one more small query.
  const [lag] = loadedCount > 0 ? ((await query(redshift, target, mergeLagQuery(startedAt), deps))[0] ?? []) : [];
  const mergeLagSeconds = typeof lag === 'number' ? lag : typeof lag === 'string' && lag !== '' ? Number(lag) : undefined;
  return { loaded: loadedCount, parked: parkedCount, deferred, parkedTotal: parked.size + parkedCount, reachedWarehouse: true, mergeLagSeconds };
}

const logger = new Logger({ serviceName: LOADER_SERVICE });
const metrics = new Metrics({ serviceName: LOADER_SERVICE });
const clients = { s3: new S3Client({}), redshift: new RedshiftDataClient({}) };
const config = LoaderConfigSchema.safeParse(process.env);

/** Scheduled entry point (EventBridge Scheduler, every load interval). */
export async function handler(_event: unknown, context?: { awsRequestId?: string }): Promise<LoadOutcome> {
  if (!config.success) throw new Error(`warehouse loader misconfigured: ${config.error.issues.map((issue) => issue.path.join('.')).join(', ')}`);
  const runId = `${new Date().toISOString().replace(/[-:.]/g, '')}-${(context?.awsRequestId ?? 'local').slice(0, 8)}`;
  try {
    const outcome = await loadWarehouse({ ...clients, config: config.data, now: () => new Date(), runId });
    metrics.addMetric(LOADER_METRIC.FilesLoaded, MetricUnit.Count, outcome.loaded);
    metrics.addMetric(LOADER_METRIC.FilesParked, MetricUnit.Count, outcome.parked);
    metrics.addMetric(LOADER_METRIC.FilesWaitingRedrive, MetricUnit.Count, outcome.parkedTotal);
    metrics.addMetric(LOADER_METRIC.FilesDeferred, MetricUnit.Count, outcome.deferred);
    if (outcome.mergeLagSeconds !== undefined) metrics.addMetric(LOADER_METRIC.MergeLagSeconds, MetricUnit.Seconds, outcome.mergeLagSeconds);
    // Published only by a run that finished: its absence is the alarm that the loader is not running.
    metrics.addMetric(LOADER_METRIC.RunsCompleted, MetricUnit.Count, 1);
    logger.info('load run', { runId, ...outcome });
    return outcome;
  } finally {
    metrics.publishStoredMetrics();
  }
}
