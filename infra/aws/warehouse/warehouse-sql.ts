import {
  MIGRATIONS_TABLE,
  WarehouseTables,
  columnSql,
  createTableSql,
  loadedColumns,
  type MigrationChange,
  type TableDefinition,
  type WarehouseMigration,
} from '../../../contracts/index.js';
import {
  FOLD_WRITES,
  countedInserts,
  currentVersionStatement,
  dropFoldTables,
  foldHeadsStatement,
  ingestFilesStatements,
  pruneStatement,
  removals,
  tillSalesStatements,
  verdictStatement,
} from './fold-sql.js';
import { insertNewRows, keyMatch, stagingTableName } from './staging.js';

export { stagingTableName };

/**
 * The Redshift SQL the AWS deployment runs, generated from the table definitions in
 * `contracts/` so a column is never spelled twice.
 *
 * Firehose delivers each table's rows to S3 (gzipped JSON lines under
 * `rows/<table>/`), never to Redshift itself. The loader (`functions/warehouse-load.ts`)
 * signs in as the `warehouse_loader` database role and, in one transaction per run,
 * COPYs the new files into staging tables (`stage_<table>`, no keys: they hold
 * duplicates by design), merges them into the final tables idempotently, records
 * the files in `load_history` and empties staging. Firehose and the loader are
 * at-least-once; the merge makes the effect exactly-once. The rules are the local
 * Postgres sink's: an event's row is written once (first wins, like
 * `ON CONFLICT DO NOTHING`), and the fold of docs/corrections.md (file versions,
 * voids, live and file counted once) runs in the same transaction, set-based over
 * what the run staged (`fold-sql.ts`).
 *
 * A new warehouse table needs its definition in `contracts/warehouse-tables.ts`
 * (with `since`), a key in `WAREHOUSE_TABLE_KEYS` and a `MERGE_POLICIES` entry;
 * migrations, delivery streams, COPY, merge, grants and the consumer's environment
 * all follow from those.
 */

/** The warehouse tables by their key in `WarehouseTables`. */
export type WarehouseTableKey = keyof typeof WarehouseTables;

/** How staged rows reach the final table. A new kind is a new case in `mergeTableStatements` and `mergePrivileges`. */
export type MergePolicy =
  /** Events are immutable facts: keep the row already loaded; among staged duplicates keep the earliest by `orderBy`. */
  | { readonly kind: 'first-wins'; readonly orderBy?: string }
  /** A later run replaces an earlier one: the row with the greatest `versionColumn` wins. */
  | { readonly kind: 'latest-wins'; readonly versionColumn: string }
  /** First wins, and only while the fold counts the sale (`fold_verdicts`); the fold removes what stops counting. */
  | { readonly kind: 'counted' }
  /** One row per key filled in by facts arriving in any order: each column keeps the first value known. */
  | { readonly kind: 'fill' }
  /** The account of each file's current version (from `file_versions`), replaced when the fold moves the head. */
  | { readonly kind: 'head-account' };

/** The merge rule of each table (the local Postgres sink follows the same rules). */
export const MERGE_POLICIES: { readonly [key in WarehouseTableKey]: MergePolicy } = {
  sales: { kind: 'counted' },
  saleItems: { kind: 'counted' },
  quarantine: { kind: 'first-wins', orderBy: 'recorded_at' },
  ingestFiles: { kind: 'head-account' },
  // The fold's memory (docs/corrections.md): memberships and accounts are facts; a till sale and its void fill one row.
  saleSources: { kind: 'first-wins', orderBy: 'version' },
  tillSales: { kind: 'fill' },
  fileVersions: { kind: 'first-wins', orderBy: 'version' },
};

/** The tables whose rows the fold reads or decides (a run that loads none of them, only quarantine, skips the fold). */
const FOLD_KEYS: readonly WarehouseTableKey[] = ['sales', 'saleItems', 'ingestFiles', 'saleSources', 'tillSales', 'fileVersions'];

/** The order tables are loaded, merged and listed in: parents before children. */
export const WAREHOUSE_TABLE_KEYS: readonly WarehouseTableKey[] = ['sales', 'saleItems', 'quarantine', 'ingestFiles', 'saleSources', 'tillSales', 'fileVersions'];

/** The database role dashboards (and the reconciliation check) read through: SELECT on the final tables. */
export const DASHBOARD_READER_ROLE = 'dashboard_reader';
/** The database role the loader signs in with: COPY into staging, merge, nothing else. */
export const LOADER_ROLE = 'warehouse_loader';
/** Where the loader records the files it has loaded (not a contract table: the loader's own bookkeeping). */
export const LOAD_HISTORY_TABLE = 'load_history';

/** Where Firehose writes a table's rows (warehouse bucket): what the loader COPYs, and the replay source. */
export function rowsPrefix(table: TableDefinition): string {
  return `rows/${table.name}/`;
}

/** Where the loader parks a file Redshift refused, as `errors/<file key>.json` (warehouse bucket); the re-drive script reads these. */
export const PARKED_PREFIX = 'errors/';

/** Where Firehose writes records it could not deliver to S3 itself (warehouse bucket). */
export function deliveryErrorPrefix(table: TableDefinition): string {
  return `delivery-errors/${table.name}/`;
}

/** Where the loader writes the COPY manifests of a run (warehouse bucket). */
export const MANIFEST_PREFIX = 'manifests/';

/** The column list of the COPY (the JSON keys of the rows, in table order); stamped columns are the merge's to set. */
export function copyColumns(table: TableDefinition): string {
  return loadedColumns(table)
    .map((column) => column.name)
    .join(',');
}

/** What the merge stamps `merged_at` (and any stamped column) with: the run's instant, or the statement's time. */
export function mergeStampSql(at?: Date): string {
  return at ? `CAST(${sqlString(at.toISOString().replace('T', ' ').replace('Z', '+00'))} AS TIMESTAMPTZ)` : 'GETDATE()';
}

/**
 * COPY options for the rows the Firehose sink sends: newline-delimited JSON whose
 * keys are the column names, GZIP-compressed by Firehose, ISO-8601 timestamps.
 * Statistics and compression analysis are skipped because these are small, frequent
 * loads into staging tables that are emptied every run.
 */
export function copyOptions(): string {
  return "JSON 'auto' GZIP TIMEFORMAT 'auto' DATEFORMAT 'auto' COMPUPDATE OFF STATUPDATE OFF";
}

/** A SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

// ── Schema: bookkeeping tables, migrations, grants ─────────────────────────

/** The migrations table and the loader's history, created before any migration runs. */
export function bookkeepingStatements(): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (version INTEGER NOT NULL, description VARCHAR(1024) NOT NULL, fingerprint VARCHAR(16) NOT NULL, applied_at TIMESTAMP NOT NULL);`,
    `CREATE TABLE IF NOT EXISTS ${LOAD_HISTORY_TABLE} (file VARCHAR(1024) NOT NULL, table_name VARCHAR(128) NOT NULL, run_id VARCHAR(64) NOT NULL, loaded_at TIMESTAMP NOT NULL) SORTKEY (loaded_at);`,
  ];
}

function changeStatements(change: MigrationChange): string[] {
  switch (change.kind) {
    case 'createTable':
      return [createTableSql(change.table, 'redshift'), createTableSql(change.table, 'redshift', stagingTableName(change.table), { primaryKey: false })];
    case 'addColumn': {
      // One column per ALTER TABLE in Redshift; the staging table gets it too, or the COPY would fail.
      const column = columnSql(change.column, 'redshift');
      return [`ALTER TABLE ${change.table.name} ADD COLUMN ${column};`, `ALTER TABLE ${stagingTableName(change.table)} ADD COLUMN ${column};`];
    }
    default: {
      const unhandled: never = change;
      return unhandled;
    }
  }
}

/** One migration in Redshift: its changes, then its record in the migrations table (the runner sends them as one transaction). */
export function redshiftMigrationStatements(migration: WarehouseMigration): string[] {
  return [
    ...migration.changes.flatMap(changeStatements),
    `INSERT INTO ${MIGRATIONS_TABLE} (version, description, fingerprint, applied_at) VALUES (${migration.version}, ${sqlString(migration.description.slice(0, 1024))}, ${sqlString(migration.fingerprint)}, GETDATE());`,
  ];
}

type Privilege = 'SELECT' | 'INSERT' | 'DELETE' | 'UPDATE';

/** What the loader needs on a final table to merge into it: a new merge kind decides here what it may do. */
export function mergePrivileges(policy: MergePolicy): readonly Privilege[] {
  switch (policy.kind) {
    case 'first-wins':
      return ['SELECT', 'INSERT'];
    case 'latest-wins':
    case 'counted':
    case 'head-account':
      return ['SELECT', 'INSERT', 'DELETE'];
    case 'fill':
      return ['SELECT', 'INSERT', 'UPDATE'];
    default: {
      const unhandled: never = policy;
      return unhandled;
    }
  }
}

/** What the loader may do on a table: its merge policy's needs and the fold's own writes. */
export function loaderPrivileges(key: WarehouseTableKey): string {
  const wanted = new Set<Privilege>([...mergePrivileges(MERGE_POLICIES[key]), ...(FOLD_WRITES[key] ?? [])]);
  return (['SELECT', 'INSERT', 'DELETE', 'UPDATE'] as const).filter((privilege) => wanted.has(privilege)).join(', ');
}

/** What the grants need to know about the deployment. */
export interface GrantSettings {
  /** The namespace role the loader's COPY names: the only IAM role any non-superuser may use in Redshift. */
  readonly copyRoleArn: string;
  readonly loaderRole?: string;
  readonly readerRole?: string;
}

/**
 * The privileges of the two database roles, re-applied after every migration
 * (GRANT is idempotent): the reader may SELECT the final tables; the loader may
 * write staging, insert into the final tables (delete or update only where its
 * merge policy or the fold needs to), record its files, and COPY with the one
 * namespace role. Nobody but the admin may create tables in `public`, or use any
 * other IAM role. The fold's temporary tables need TEMP on the database, which
 * Redshift gives PUBLIC by default and these grants leave alone.
 */
export function grantStatements(settings: GrantSettings): string[] {
  const reader = settings.readerRole ?? DASHBOARD_READER_ROLE;
  const loader = settings.loaderRole ?? LOADER_ROLE;
  const tables = WAREHOUSE_TABLE_KEYS.map((key) => WarehouseTables[key]);
  const finalWrites = WAREHOUSE_TABLE_KEYS.map((key) => `GRANT ${loaderPrivileges(key)} ON TABLE ${WarehouseTables[key].name} TO ROLE ${loader};`);
  return [
    'REVOKE CREATE ON SCHEMA public FROM PUBLIC;',
    `GRANT USAGE ON SCHEMA public TO ROLE ${reader};`,
    `GRANT SELECT ON TABLE ${tables.map((table) => table.name).join(', ')} TO ROLE ${reader};`,
    `GRANT USAGE ON SCHEMA public TO ROLE ${loader};`,
    `GRANT SELECT, INSERT, DELETE ON TABLE ${tables.map(stagingTableName).join(', ')} TO ROLE ${loader};`,
    ...finalWrites,
    `GRANT SELECT, INSERT ON TABLE ${LOAD_HISTORY_TABLE} TO ROLE ${loader};`,
    // Erasures: the loader unties the sales it merges from an erased customer, and may change nothing else.
    `GRANT UPDATE (customer_key) ON TABLE ${WarehouseTables.sales.name} TO ROLE ${loader};`,
    'REVOKE ASSUMEROLE ON ALL FROM PUBLIC FOR ALL;',
    `GRANT ASSUMEROLE ON ${sqlString(settings.copyRoleArn)} TO ROLE ${loader} FOR COPY;`,
  ];
}

/** The database roles the grants name (created by the schema step when missing). */
export function databaseRoles(settings: Pick<GrantSettings, 'loaderRole' | 'readerRole'> = {}): string[] {
  return [settings.readerRole ?? DASHBOARD_READER_ROLE, settings.loaderRole ?? LOADER_ROLE];
}

// ── Merge ───────────────────────────────────────────────────────────────────

/**
 * The statements that merge one table's staged rows into it (without emptying
 * staging); stamped columns (`merged_at`) get `stamp`, an SQL expression, or are
 * left out when it is null (PostgreSQL generates them). `counted` and
 * `head-account` read the fold's temporary tables.
 */
export function mergeTableStatements(table: TableDefinition, policy: MergePolicy, stamp: string | null = mergeStampSql()): string[] {
  const columnNames = new Set(table.columns.map((column) => column.name));
  switch (policy.kind) {
    case 'first-wins': {
      const orderBy = policy.orderBy ?? table.primaryKey[0];
      if (!orderBy || !columnNames.has(orderBy)) throw new Error(`${table.name}: no column ${String(orderBy)} to order duplicates by`);
      return [insertNewRows(table, `s.${orderBy}`, stamp)];
    }
    case 'latest-wins': {
      if (!columnNames.has(policy.versionColumn)) throw new Error(`${table.name}: no version column ${policy.versionColumn}`);
      const version = policy.versionColumn;
      return [
        // Drop rows that a staged run of the same key supersedes (same or later version)…
        [
          `DELETE FROM ${table.name}`,
          `WHERE EXISTS (SELECT 1 FROM ${stagingTableName(table)} s WHERE ${keyMatch(table, 's', table.name)} AND s.${version} >= ${table.name}.${version});`,
        ].join('\n'),
        // …then insert the latest staged run of every key that has no row left.
        insertNewRows(table, `s.${version} DESC`, stamp),
      ];
    }
    case 'counted': {
      const inserts = countedInserts(stamp).filter((sql) => sql.startsWith(`INSERT INTO ${table.name} (`));
      if (inserts.length === 0) throw new Error(`${table.name}: the fold counts sales and their lines only`);
      return inserts;
    }
    case 'fill':
      if (table.name !== WarehouseTables.tillSales.name) throw new Error(`${table.name}: only till sales fill in`);
      return tillSalesStatements();
    case 'head-account':
      if (table.name !== WarehouseTables.ingestFiles.name) throw new Error(`${table.name}: only ingest_files shows head accounts`);
      return ingestFilesStatements();
    default: {
      const unhandled: never = policy;
      return unhandled;
    }
  }
}

export interface MergeOptions {
  /** The run's instant, stamped on every row the merge adds (`merged_at`); the statement's time without it. */
  readonly mergedAt?: Date;
  /** Leave stamped columns out of the inserts (PostgreSQL generates them: the tests that run the merge there). */
  readonly omitStamps?: boolean;
  /** Prune every file's memberships down to its head (a rebuild: no row is still on its way). */
  readonly pruneAll?: boolean;
}

/**
 * Merge and empty the staging tables of `keys`. When any fold table is among them,
 * the fold runs in its order (`fold-sql.ts`): the heads this run moves (before
 * `file_versions` changes), accounts and `is_current`, `ingest_files`, memberships,
 * till sales, the verdicts, the sales and lines that count, the removals, pruning;
 * the fold tables are merged whether or not this run loaded them (an empty
 * staging table merges nothing). DELETE, not TRUNCATE: TRUNCATE commits the
 * transaction early in Redshift. Concurrent runs are safe without a LOCK:
 * Redshift's serializable isolation aborts one of two runs that touch the same
 * tables, and the loader retries it on its next run.
 */
export function mergeStatements(keys: readonly WarehouseTableKey[] = WAREHOUSE_TABLE_KEYS, options: MergeOptions = {}): string[] {
  const stamp = options.omitStamps ? null : mergeStampSql(options.mergedAt);
  const merge = (key: WarehouseTableKey) => mergeTableStatements(WarehouseTables[key], MERGE_POLICIES[key], stamp);
  const others = keys.filter((key) => !FOLD_KEYS.includes(key)).flatMap(merge);
  const empty = keys.map((key) => `DELETE FROM ${stagingTableName(WarehouseTables[key])};`);
  if (!keys.some((key) => FOLD_KEYS.includes(key))) return [...others, ...empty];
  return [
    foldHeadsStatement(),
    ...merge('fileVersions'),
    currentVersionStatement(),
    ...merge('ingestFiles'),
    ...merge('saleSources'),
    ...merge('tillSales'),
    verdictStatement(),
    ...(keys.includes('sales') ? merge('sales') : []),
    ...(keys.includes('saleItems') ? merge('saleItems') : []),
    ...removals(),
    pruneStatement({ all: options.pruneAll }),
    ...dropFoldTables(),
    ...others,
    ...empty,
  ];
}

// ── Load ────────────────────────────────────────────────────────────────────

/** One table's share of a load run: the manifest listing its new files, and those files. */
export interface TableLoad {
  readonly table: WarehouseTableKey;
  readonly manifestUrl: string;
  readonly files: readonly string[];
}

/** The most statements the Data API takes in one BatchExecuteStatement. */
export const BATCH_STATEMENT_LIMIT = 40;

/**
 * One load run as one transaction: COPY each table's new files (by manifest) into
 * staging with the namespace's COPY role, merge (stamping `merged_at` with
 * `mergedAt`, the run's instant, when given), record the files, empty staging.
 */
export function loadStatements(loads: readonly TableLoad[], copyRoleArn: string, runId: string, mergedAt?: Date, erasures: readonly ErasedKey[] = []): string[] {
  const ordered = WAREHOUSE_TABLE_KEYS.flatMap((key) => loads.filter((load) => load.table === key && load.files.length > 0));
  if (ordered.length === 0) return [];
  const copies = ordered.map(({ table, manifestUrl }) => {
    const definition = WarehouseTables[table];
    return `COPY ${stagingTableName(definition)} (${copyColumns(definition)}) FROM ${sqlString(manifestUrl)} IAM_ROLE ${sqlString(copyRoleArn)} MANIFEST ${copyOptions()};`;
  });
  const history = ordered.flatMap(({ table, files }) => files.map((file) => `(${sqlString(file)}, ${sqlString(WarehouseTables[table].name)}, ${sqlString(runId)}, GETDATE())`));
  // A sale an erasure covers comes back untied (a re-driven file, a replay): only this run's rows are checked.
  const suppress = mergedAt && ordered.some((load) => load.table === 'sales') ? erasureStatements(erasures, `merged_at = ${mergeStampSql(mergedAt)}`) : [];
  const statements = [...copies, ...mergeStatements(ordered.map((load) => load.table), { mergedAt }), ...suppress, `INSERT INTO ${LOAD_HISTORY_TABLE} (file, table_name, run_id, loaded_at) VALUES\n${history.join(',\n')};`];
  if (statements.length > BATCH_STATEMENT_LIMIT) throw new Error(`a load run of ${statements.length} statements exceeds the Data API's ${BATCH_STATEMENT_LIMIT}`);
  return statements;
}

/**
 * How far the final `sales` table trails the consumer for the sales one run merged:
 * seconds from the oldest sale's `loaded_at` (when the consumer wrote it) to its
 * `merged_at` (the run's stamp). NULL when the run merged no sale.
 */
export function mergeLagQuery(mergedAt: Date): string {
  return `SELECT DATEDIFF(second, MIN(loaded_at), MAX(merged_at)) AS lag_seconds FROM ${WarehouseTables.sales.name} WHERE merged_at = ${mergeStampSql(mergedAt)};`;
}

/** The files recorded as loaded in the last `days` days (the loader skips them). */
export function loadedFilesQuery(days: number): string {
  return `SELECT file FROM ${LOAD_HISTORY_TABLE} WHERE loaded_at >= DATEADD(day, -${Math.ceil(days)}, GETDATE());`;
}

// ── Erasures ────────────────────────────────────────────────────────────────

/** One erased customer: their key, and the instant up to which their sales are untied from them. */
export interface ErasedKey {
  readonly customerKey: string;
  readonly erasedAt: string;
}

/** Keys one UPDATE names (each a 64-hex literal and a timestamp: well under the Data API's 100 KB). */
export const ERASED_KEYS_PER_STATEMENT = 500;

/**
 * Statements that untie from their customer the sales erasures cover (sold up
 * to the erasure; the sale and its figures stay). `where` narrows them, e.g. to
 * the rows one load run merged (`merged_at = <stamp>`), so a run touches only its
 * own rows; without it every sale is checked (an erasure, a rebuild).
 */
export function erasureStatements(erasures: readonly ErasedKey[], where?: string): string[] {
  const statements: string[] = [];
  for (let start = 0; start < erasures.length; start += ERASED_KEYS_PER_STATEMENT) {
    const covered = erasures
      .slice(start, start + ERASED_KEYS_PER_STATEMENT)
      .map(({ customerKey, erasedAt }) => `(customer_key = ${sqlString(customerKey)} AND sold_at <= ${mergeStampSql(new Date(erasedAt))})`)
      .join(' OR ');
    statements.push(`UPDATE ${WarehouseTables.sales.name} SET customer_key = NULL WHERE ${where ? `${where} AND ` : ''}(${covered});`);
  }
  return statements;
}

/** Where erasures are recorded in the warehouse bucket: `erasures/<customer_key>/<erasedAt ISO>` (empty objects; the key says it all). */
export const ERASURES_PREFIX = 'erasures/';

/** The marker key of one erasure. */
export function erasureMarkerKey(erasure: ErasedKey): string {
  return `${ERASURES_PREFIX}${erasure.customerKey}/${erasure.erasedAt}`;
}

/** The erasure a marker key names, or undefined for anything else under the prefix. */
export function erasureOfMarker(key: string): ErasedKey | undefined {
  const match = new RegExp(`^${ERASURES_PREFIX}([0-9a-f]{64})/(.+)$`).exec(key);
  if (!match || Number.isNaN(Date.parse(match[2]!))) return undefined;
  return { customerKey: match[1]!, erasedAt: match[2]! };
}

// ── Reconciliation ──────────────────────────────────────────────────────────

/** What the reconciliation counts; each must be zero. */
export const ReconciliationCheck = {
  /** A sale with no basket line at all. */
  SalesWithoutItems: 'sales_without_items',
  /** A sale whose `item_count` is not its number of lines. */
  ItemCountMismatch: 'item_count_mismatch',
  /** A sale whose `total_pence` is not the sum of its lines. */
  TotalMismatch: 'total_mismatch',
} as const;

export type ReconciliationCheck = (typeof ReconciliationCheck)[keyof typeof ReconciliationCheck];

/**
 * One row of counts, one column per check, over the sales loaded in the last
 * `lookbackHours` except the last `graceMinutes` (a sale and its lines travel in
 * different Firehose files, so they may land one load run apart).
 */
export function reconciliationQuery(graceMinutes: number, lookbackHours: number): string {
  return [
    'WITH window_sales AS (',
    `  SELECT event_id, item_count, total_pence FROM sales WHERE loaded_at >= DATEADD(hour, -${Math.ceil(lookbackHours)}, GETDATE()) AND loaded_at < DATEADD(minute, -${Math.ceil(graceMinutes)}, GETDATE())`,
    '), lines AS (',
    '  SELECT i.event_id, COUNT(*) AS line_count, SUM(i.price_pence) AS line_pence FROM sale_items i JOIN window_sales w ON w.event_id = i.event_id GROUP BY i.event_id',
    ')',
    'SELECT',
    `  SUM(CASE WHEN l.event_id IS NULL THEN 1 ELSE 0 END) AS ${ReconciliationCheck.SalesWithoutItems},`,
    `  SUM(CASE WHEN l.event_id IS NOT NULL AND l.line_count <> w.item_count THEN 1 ELSE 0 END) AS ${ReconciliationCheck.ItemCountMismatch},`,
    `  SUM(CASE WHEN l.event_id IS NOT NULL AND l.line_pence <> w.total_pence THEN 1 ELSE 0 END) AS ${ReconciliationCheck.TotalMismatch}`,
    'FROM window_sales w LEFT JOIN lines l ON l.event_id = w.event_id;',
  ].join('\n');
}

// ── Replay ──────────────────────────────────────────────────────────────────

/**
 * Statements that rebuild the warehouse from every row Firehose ever delivered
 * (`rows/`): empty the final tables, COPY each table's files into staging with
 * the namespace's default role (the COPY role), then merge. Run by an operator as
 * the admin (docs/aws.md, "Rebuild from the clean rows").
 */
export function rebuildStatements(bucket: string, prefixOf: (table: TableDefinition) => string = rowsPrefix, erasures: readonly ErasedKey[] = []): string[] {
  const tables = WAREHOUSE_TABLE_KEYS.map((key) => WarehouseTables[key]);
  return [
    ...tables.map((table) => `DELETE FROM ${table.name};`),
    ...tables.map((table) => `COPY ${stagingTableName(table)} (${copyColumns(table)}) FROM ${sqlString(`s3://${bucket}/${prefixOf(table)}`)} IAM_ROLE default ${copyOptions()};`),
    ...mergeStatements(WAREHOUSE_TABLE_KEYS, { pruneAll: true }),
    // The rows may predate an erasure's scrub: the rebuilt tables honour every erasure.
    ...erasureStatements(erasures),
  ];
}

/** The most event ids one DELETE … IN (…) lists (well under the Data API's 100 KB a statement). */
export const EVENT_IDS_PER_STATEMENT = 1_000;

/**
 * Statements that remove the rows of the given events (sales, their lines, their
 * quarantine entries) and files, so that replayed raw events load again under the
 * current rules instead of being skipped as already loaded.
 */
export function forgetStatements(eventIds: readonly string[], files: readonly string[]): string[] {
  const statements: string[] = [];
  for (let start = 0; start < eventIds.length; start += EVENT_IDS_PER_STATEMENT) {
    const list = eventIds.slice(start, start + EVENT_IDS_PER_STATEMENT).map(sqlString).join(', ');
    for (const table of [WarehouseTables.saleItems, WarehouseTables.sales, WarehouseTables.quarantine]) statements.push(`DELETE FROM ${table.name} WHERE event_id IN (${list});`);
  }
  for (let start = 0; start < files.length; start += EVENT_IDS_PER_STATEMENT) {
    const list = files.slice(start, start + EVENT_IDS_PER_STATEMENT).map(sqlString).join(', ');
    // The versions go too: the replayed accounts move each file's head again, and the fold shows it in ingest_files.
    for (const table of [WarehouseTables.ingestFiles, WarehouseTables.fileVersions]) statements.push(`DELETE FROM ${table.name} WHERE file IN (${list});`);
  }
  return statements;
}
