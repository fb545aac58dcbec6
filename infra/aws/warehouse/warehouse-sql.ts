import { WarehouseTables, createTableSql, type TableDefinition } from '../../../contracts/index.js';

/**
 * The Redshift SQL the AWS deployment runs, generated from the table definitions in
 * `contracts/` so a column is never spelled twice.
 *
 * Firehose is at-least-once: a retried COPY can load the same rows again. So each
 * delivery stream COPYs into a staging table (`stage_<table>`), and a scheduled
 * merge moves staged rows into the final table idempotently on its primary key,
 * in one transaction, then empties the staging tables. Dashboards read only the
 * final tables, so they never count a sale twice. The rules match the local
 * Postgres sink: an event's row is written once (first wins, like
 * `ON CONFLICT DO NOTHING`); a file's row is replaced by a later run of that file.
 */

/** The warehouse tables by their key in `WarehouseTables`. */
export type WarehouseTableKey = keyof typeof WarehouseTables;

/** How staged rows reach the final table. */
export type MergePolicy =
  /** Events are immutable facts: keep the row already loaded; among staged duplicates keep the earliest by `orderBy`. */
  | { readonly kind: 'first-wins'; readonly orderBy?: string }
  /** A later run replaces an earlier one: the row with the greatest `versionColumn` wins. */
  | { readonly kind: 'latest-wins'; readonly versionColumn: string };

/** The merge rule of each table (the local Postgres sink follows the same rules). */
export const MERGE_POLICIES: { readonly [key in WarehouseTableKey]: MergePolicy } = {
  sales: { kind: 'first-wins', orderBy: 'loaded_at' },
  saleItems: { kind: 'first-wins' },
  quarantine: { kind: 'first-wins', orderBy: 'recorded_at' },
  ingestFiles: { kind: 'latest-wins', versionColumn: 'finished_at' },
};

/** The order tables are merged and listed in: parents before children. */
export const WAREHOUSE_TABLE_KEYS: readonly WarehouseTableKey[] = ['sales', 'saleItems', 'quarantine', 'ingestFiles'];

/** The database role dashboards read through (granted to the Grafana IAM role by principal tag). */
export const DASHBOARD_READER_ROLE = 'dashboard_reader';

const STAGING_PREFIX = 'stage_';

/** Where Firehose stages a table's gzipped rows for COPY (staging bucket). */
export function intermediatePrefix(table: TableDefinition): string {
  return `intermediate/${table.name}/`;
}

/** Where Firehose lists the manifests of COPYs that failed after retrying (staging bucket). */
export function errorPrefix(table: TableDefinition): string {
  return `errors/${table.name}/`;
}

/** Where Firehose backs up every row of a table (archive bucket): the replay source. */
export function archivePrefix(table: TableDefinition): string {
  return `archive/${table.name}/`;
}

/** The staging table Firehose COPYs a table's rows into. */
export function stagingTableName(table: TableDefinition): string {
  return `${STAGING_PREFIX}${table.name}`;
}

/** The column list Firehose names in its COPY (the JSON keys of the rows, in table order). */
export function copyColumns(table: TableDefinition): string {
  return table.columns.map((column) => column.name).join(',');
}

/**
 * COPY options for the rows the Firehose sink sends: newline-delimited JSON whose
 * keys are the column names, GZIP-compressed by Firehose in the intermediate bucket,
 * ISO-8601 timestamps. Statistics and compression analysis are skipped because
 * these are small, frequent loads into staging tables that are emptied every merge.
 */
export function copyOptions(): string {
  return "JSON 'auto' GZIP TIMEFORMAT 'auto' DATEFORMAT 'auto' COMPUPDATE OFF STATUPDATE OFF";
}

/** CREATE TABLE IF NOT EXISTS for every final and staging table (safe to run again). */
export function schemaStatements(): string[] {
  return WAREHOUSE_TABLE_KEYS.flatMap((key) => {
    const table = WarehouseTables[key];
    return [createTableSql(table, 'redshift'), createTableSql(table, 'redshift', stagingTableName(table))];
  });
}

/** CREATE ROLE for the dashboards' role; Redshift has no IF NOT EXISTS here, so run it once. */
export function createReaderRoleStatement(role = DASHBOARD_READER_ROLE): string {
  return `CREATE ROLE ${role};`;
}

/** Read-only grants on the final tables (never the staging tables) to the dashboards' role. */
export function readerGrantStatements(role = DASHBOARD_READER_ROLE): string[] {
  const tables = WAREHOUSE_TABLE_KEYS.map((key) => WarehouseTables[key].name).join(', ');
  return [`GRANT USAGE ON SCHEMA public TO ROLE ${role};`, `GRANT SELECT ON TABLE ${tables} TO ROLE ${role};`];
}

function keyMatch(table: TableDefinition, left: string, right: string): string {
  return table.primaryKey.map((column) => `${left}.${column} = ${right}.${column}`).join(' AND ');
}

function insertNewRows(table: TableDefinition, rankOrder: string): string {
  const columns = table.columns.map((column) => column.name).join(', ');
  const staged = table.columns.map((column) => `staged.${column.name}`).join(', ');
  return [
    `INSERT INTO ${table.name} (${columns})`,
    `SELECT ${staged} FROM (`,
    `  SELECT s.*, ROW_NUMBER() OVER (PARTITION BY ${table.primaryKey.map((column) => `s.${column}`).join(', ')} ORDER BY ${rankOrder}) AS dedup_rank`,
    `  FROM ${stagingTableName(table)} s`,
    `) staged`,
    `WHERE staged.dedup_rank = 1`,
    `  AND NOT EXISTS (SELECT 1 FROM ${table.name} t WHERE ${keyMatch(table, 't', 'staged')});`,
  ].join('\n');
}

/** The statements that merge one table's staged rows into it (without emptying staging). */
export function mergeTableStatements(table: TableDefinition, policy: MergePolicy): string[] {
  const columnNames = new Set(table.columns.map((column) => column.name));
  switch (policy.kind) {
    case 'first-wins': {
      const orderBy = policy.orderBy ?? table.primaryKey[0];
      if (!orderBy || !columnNames.has(orderBy)) throw new Error(`${table.name}: no column ${String(orderBy)} to order duplicates by`);
      return [insertNewRows(table, `s.${orderBy}`)];
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
        insertNewRows(table, `s.${version} DESC`),
      ];
    }
    default: {
      const unhandled: never = policy;
      return unhandled;
    }
  }
}

/**
 * The whole merge, run as one transaction (the Data API runs a statement list as one).
 * The LOCK comes first so a Firehose COPY waits for the merge instead of landing
 * between the INSERT and the DELETE, where its rows would be deleted unmerged.
 */
export function mergeStatements(): string[] {
  const tables = WAREHOUSE_TABLE_KEYS.map((key) => WarehouseTables[key]);
  const lock = `LOCK ${[...tables.map((table) => table.name), ...tables.map(stagingTableName)].join(', ')};`;
  const merges = WAREHOUSE_TABLE_KEYS.flatMap((key) => mergeTableStatements(WarehouseTables[key], MERGE_POLICIES[key]));
  // DELETE, not TRUNCATE: TRUNCATE commits the transaction early in Redshift.
  const empty = tables.map((table) => `DELETE FROM ${stagingTableName(table)};`);
  return [lock, ...merges, ...empty];
}

/**
 * Statements that rebuild the warehouse from the Firehose archive (the S3 backup of
 * every row): empty the final tables, COPY each archived table into staging, then merge.
 * Run by an operator (docs/aws.md); `iamRole` is the namespace role that reads the archive.
 */
export function replayStatements(archiveBucket: string, prefixOf: (table: TableDefinition) => string = archivePrefix, iamRole = 'default'): string[] {
  const tables = WAREHOUSE_TABLE_KEYS.map((key) => WarehouseTables[key]);
  const role = iamRole === 'default' ? 'default' : `'${iamRole}'`;
  const [lock = '', ...mergeAndEmpty] = mergeStatements();
  return [
    lock,
    ...tables.map((table) => `DELETE FROM ${table.name};`),
    ...tables.map(
      (table) =>
        `COPY ${stagingTableName(table)} (${copyColumns(table)}) FROM 's3://${archiveBucket}/${prefixOf(table)}' IAM_ROLE ${role} ${copyOptions()};`,
    ),
    ...mergeAndEmpty,
  ];
}
