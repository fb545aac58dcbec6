import { WarehouseTables } from '../../../contracts/index.js';
import { MANIFEST_PREFIX, PARKED_PREFIX, WAREHOUSE_TABLE_KEYS, rowsPrefix, type TableLoad, type WarehouseTableKey } from './warehouse-sql.js';

/**
 * What one load run takes on, decided from listings alone (pure: the S3 listing,
 * the loaded files and the clock are passed in). Firehose writes a table's files
 * under `rows/<table>/YYYY/MM/DD/HH/` by arrival time (UTC), so a run lists the
 * day folders of its lookback window, drops the files already loaded or parked,
 * and takes the oldest first, up to a cap; the rest wait for the next run.
 */

/** An object Firehose wrote. */
export interface ListedFile {
  readonly key: string;
  readonly lastModified: Date;
}

const DAY_MS = 86_400_000;

/** The day folders of a table for the `lookbackDays` up to and including `now`'s day (UTC). */
export function dayPrefixes(table: WarehouseTableKey, now: Date, lookbackDays: number): string[] {
  const base = rowsPrefix(WarehouseTables[table]);
  const prefixes: string[] = [];
  for (let back = Math.ceil(lookbackDays); back >= 0; back--) {
    const day = new Date(now.getTime() - back * DAY_MS).toISOString().slice(0, 10).replace(/-/g, '/');
    prefixes.push(`${base}${day}/`);
  }
  return prefixes;
}

/** The table a key under `rows/` belongs to, or undefined. */
export function tableOfKey(key: string): WarehouseTableKey | undefined {
  return WAREHOUSE_TABLE_KEYS.find((table) => key.startsWith(rowsPrefix(WarehouseTables[table])));
}

/** The marker that parks a file Redshift refused: `errors/<file key>.json`. */
export function parkedMarkerKey(fileKey: string): string {
  return `${PARKED_PREFIX}${fileKey}.json`;
}

/** The file a parking marker stands for, or undefined for another object. */
export function fileOfMarker(markerKey: string): string | undefined {
  if (!markerKey.startsWith(PARKED_PREFIX) || !markerKey.endsWith('.json')) return undefined;
  return markerKey.slice(PARKED_PREFIX.length, -'.json'.length);
}

/** The manifest URL of one table's files in one run. */
export function manifestKey(runId: string, table: WarehouseTableKey): string {
  return `${MANIFEST_PREFIX}${runId}/${WarehouseTables[table].name}.json`;
}

/** A COPY manifest naming exactly these files (`mandatory`: a missing file fails the COPY instead of loading less). */
export function manifestBody(bucket: string, keys: readonly string[]): string {
  return JSON.stringify({ entries: keys.map((key) => ({ url: `s3://${bucket}/${key}`, mandatory: true })) });
}

export interface RunPlanInput {
  readonly listed: ReadonlyMap<WarehouseTableKey, readonly ListedFile[]>;
  readonly loaded: ReadonlySet<string>;
  readonly parked: ReadonlySet<string>;
  /** The most files one run loads (one transaction); the rest are `deferred`. */
  readonly maxFiles: number;
}

export interface RunPlan {
  /** Per table, the files to load, oldest first (manifest URLs are filled in by the caller). */
  readonly files: ReadonlyMap<WarehouseTableKey, readonly string[]>;
  readonly total: number;
  /** New files left for a later run by the cap. */
  readonly deferred: number;
}

/** The files a run loads: listed, not loaded, not parked, oldest first, at most `maxFiles` across tables. */
export function planRun(input: RunPlanInput): RunPlan {
  const fresh = WAREHOUSE_TABLE_KEYS.flatMap((table) =>
    (input.listed.get(table) ?? []).filter((file) => !input.loaded.has(file.key) && !input.parked.has(file.key)).map((file) => ({ table, ...file })),
  ).sort((a, b) => a.lastModified.getTime() - b.lastModified.getTime() || a.key.localeCompare(b.key));
  const taken = fresh.slice(0, Math.max(0, input.maxFiles));
  const files = new Map<WarehouseTableKey, string[]>();
  for (const { table, key } of taken) files.set(table, [...(files.get(table) ?? []), key]);
  return { files, total: taken.length, deferred: fresh.length - taken.length };
}

/** The run's loads with their manifest URLs, in table order. */
export function tableLoads(plan: RunPlan, bucket: string, runId: string): TableLoad[] {
  return WAREHOUSE_TABLE_KEYS.flatMap((table) => {
    const files = plan.files.get(table) ?? [];
    return files.length === 0 ? [] : [{ table, files, manifestUrl: `s3://${bucket}/${manifestKey(runId, table)}` }];
  });
}

/** What a run leaves for the next (`state/loader.json` in the warehouse bucket). */
export interface LoaderState {
  /** When the last run that reached the warehouse started. */
  readonly startedAt: string;
  /** New files that run left for later (the cap): the next run must not skip the warehouse. */
  readonly deferred: number;
}

/**
 * Whether a run needs the warehouse at all: something arrived since the last run
 * that reached it (allowing `skewMs` for S3 timestamps), or that run left files
 * for later. Only a shortcut that spares an idle warehouse a wake-up (it bills
 * 60 s at least each time); with no state the run asks the warehouse.
 */
export function needsWarehouse(listed: ReadonlyMap<WarehouseTableKey, readonly ListedFile[]>, state: LoaderState | undefined, skewMs: number): boolean {
  const files = [...listed.values()].flat();
  if (state === undefined || state.deferred > 0) return files.length > 0;
  const since = Date.parse(state.startedAt) - skewMs;
  if (!Number.isFinite(since)) return files.length > 0;
  return files.some((file) => file.lastModified.getTime() >= since);
}
