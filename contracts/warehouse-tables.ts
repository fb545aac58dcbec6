import { FieldLimitBytes } from './field-limits.js';

/**
 * The warehouse tables, defined once. Postgres (local) and Redshift (AWS) DDL are
 * both rendered from these definitions, and the loaders map records to columns
 * through them, so a column is never spelled in two places. Text widths are UTF-8
 * bytes taken from `field-limits.ts`, the limits the contracts enforce, so a row
 * the producers accepted always fits Redshift's `VARCHAR(bytes)`. The schema only
 * grows: a new column names the migration version that adds it (`since`), and
 * `warehouse-migrations.ts` derives the versioned migrations from these definitions.
 */

export type ColumnType = 'text' | 'integer' | 'bigint' | 'timestamptz' | 'date' | 'smallint';

export interface ColumnDefinition {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable?: boolean;
  /** Max UTF-8 bytes (Redshift `VARCHAR(width)` counts bytes); required for text. Postgres uses text. */
  readonly width?: number;
  /**
   * The schema version that added the column; 1 (the first deploy) when omitted.
   * A column added later must be nullable: rows loaded before it have no value.
   */
  readonly since?: number;
  /**
   * Set by the warehouse, never sent by the consumer: in Redshift the merge stamps
   * it when the row reaches the final table; locally, where the sink writes the
   * final table itself, it is a copy of the column `localCopyOf`. Loaders leave it
   * out of what they write (`loadedColumns`).
   */
  readonly stamp?: { readonly localCopyOf: string };
}

export interface TableDefinition {
  readonly name: string;
  readonly description: string;
  readonly columns: readonly ColumnDefinition[];
  readonly primaryKey: readonly string[];
  /** Redshift sort key: the column dashboards filter on. */
  readonly sortKey?: readonly string[];
  /** Redshift distribution key: co-locates a sale and its lines. */
  readonly distKey?: string;
  /** The schema version that created the table; 1 when omitted. */
  readonly since?: number;
}

/** Event ids are 32 hex characters (`producers/shared/event-id.ts`). */
const EVENT_ID_BYTES = 32;

const sales = defineTable({
  name: 'sales',
  description: 'One row per transaction. No customer name or card number.',
  columns: [
    { name: 'event_id', type: 'text', width: EVENT_ID_BYTES },
    { name: 'branch', type: 'text', width: FieldLimitBytes.branch },
    { name: 'sold_at', type: 'timestamptz' },
    { name: 'business_date', type: 'date' },
    { name: 'total_pence', type: 'integer' },
    { name: 'payment_method', type: 'text', width: 8 },
    { name: 'card_brand', type: 'text', width: 16, nullable: true },
    { name: 'customer_key', type: 'text', width: 64, nullable: true },
    { name: 'item_count', type: 'smallint' },
    { name: 'source', type: 'text', width: 8 },
    { name: 'source_ref', type: 'text', width: FieldLimitBytes.sourceRef },
    { name: 'recorded_at', type: 'timestamptz' },
    { name: 'loaded_at', type: 'timestamptz' },
    // When the sale reached the final table (the merge in AWS): its lag behind loaded_at is the warehouse's freshness.
    { name: 'merged_at', type: 'timestamptz', nullable: true, since: 2, stamp: { localCopyOf: 'loaded_at' } },
    // Version 3 (docs/corrections.md): refunds are rows of their own, negative, linked to the sale. NULL (rows loaded before) is a sale.
    { name: 'kind', type: 'text', width: 8, nullable: true, since: 3 },
    { name: 'refund_of', type: 'text', width: EVENT_ID_BYTES, nullable: true, since: 3 },
  ],
  primaryKey: ['event_id'],
  sortKey: ['sold_at'],
  distKey: 'event_id',
});

const saleItems = defineTable({
  name: 'sale_items',
  description: 'One row per basket line; a repeated item is a separate line.',
  columns: [
    { name: 'event_id', type: 'text', width: EVENT_ID_BYTES },
    { name: 'line_no', type: 'smallint' },
    { name: 'size', type: 'text', width: 16, nullable: true },
    { name: 'product', type: 'text', width: FieldLimitBytes.product },
    { name: 'flavour', type: 'text', width: FieldLimitBytes.flavour, nullable: true },
    { name: 'price_pence', type: 'integer' },
  ],
  primaryKey: ['event_id', 'line_no'],
  sortKey: ['event_id'],
  distKey: 'event_id',
});

const ingestFiles = defineTable({
  name: 'ingest_files',
  description: 'What became of each uploaded file: one row per file, the latest run.',
  columns: [
    { name: 'file', type: 'text', width: FieldLimitBytes.sourceRef },
    { name: 'branch', type: 'text', width: FieldLimitBytes.branch, nullable: true },
    { name: 'business_date', type: 'date', nullable: true },
    { name: 'layout', type: 'text', width: 16 },
    { name: 'rows_read', type: 'integer' },
    { name: 'events_published', type: 'integer' },
    { name: 'rows_rejected', type: 'integer' },
    { name: 'lines_skipped', type: 'integer' },
    { name: 'status', type: 'text', width: 16 },
    { name: 'refusal', type: 'text', width: 32, nullable: true },
    { name: 'started_at', type: 'timestamptz' },
    { name: 'finished_at', type: 'timestamptz' },
    // Version 2: how the file was written, and where its lines went: lines = rows_read + lines_skipped + lines_continued,
    // lines_skipped = lines_blank + lines_header + lines_preamble + lines_footnote. NULL for files read before.
    { name: 'encoding', type: 'text', width: 16, nullable: true, since: 2 },
    { name: 'dialect', type: 'text', width: 64, nullable: true, since: 2 },
    { name: 'line_endings', type: 'text', width: 8, nullable: true, since: 2 },
    { name: 'lines', type: 'integer', nullable: true, since: 2 },
    { name: 'lines_blank', type: 'integer', nullable: true, since: 2 },
    { name: 'lines_header', type: 'integer', nullable: true, since: 2 },
    { name: 'lines_preamble', type: 'integer', nullable: true, since: 2 },
    { name: 'lines_footnote', type: 'integer', nullable: true, since: 2 },
    { name: 'lines_continued', type: 'integer', nullable: true, since: 2 },
    // Version 3: the version of the file this account is of (docs/corrections.md); NULL for files read before.
    { name: 'version', type: 'text', width: 64, nullable: true, since: 3 },
  ],
  primaryKey: ['file'],
  sortKey: ['finished_at'],
});

/**
 * The fold's memory of files (docs/corrections.md): which versions of which files
 * held which sales, and each sale's match key (to tell a till sale's file row).
 * A sale read from a file counts while a current version of some file holds it.
 */
const saleSources = defineTable({
  name: 'sale_sources',
  description: 'One row per sale per file version that held it (the rows of superseded versions are pruned).',
  since: 3,
  columns: [
    { name: 'file', type: 'text', width: FieldLimitBytes.sourceRef, since: 3 },
    { name: 'version', type: 'text', width: 64, since: 3 },
    { name: 'event_id', type: 'text', width: EVENT_ID_BYTES, since: 3 },
    { name: 'line', type: 'integer', nullable: true, since: 3 },
    { name: 'match_key', type: 'text', width: EVENT_ID_BYTES, since: 3 },
  ],
  primaryKey: ['file', 'event_id', 'version'],
  sortKey: ['file'],
  distKey: 'event_id',
});

/**
 * Every till sale and refund ever recorded, and its void if any: what shadows a
 * nightly-file row (by `match_key`) and what a void removes. A void that arrives
 * before its sale is kept here (kind and key null) until the sale comes.
 */
const tillSales = defineTable({
  name: 'till_sales',
  description: 'One row per till sale or refund: its match key and, once voided, the void.',
  since: 3,
  columns: [
    { name: 'event_id', type: 'text', width: EVENT_ID_BYTES, since: 3 },
    { name: 'kind', type: 'text', width: 8, nullable: true, since: 3 },
    { name: 'match_key', type: 'text', width: EVENT_ID_BYTES, nullable: true, since: 3 },
    { name: 'voided_by', type: 'text', width: EVENT_ID_BYTES, nullable: true, since: 3 },
    { name: 'voided_at', type: 'timestamptz', nullable: true, since: 3 },
  ],
  primaryKey: ['event_id'],
  sortKey: ['event_id'],
  distKey: 'event_id',
});

const quarantine = defineTable({
  name: 'quarantine',
  description: 'One row per rejected row, till sale or event: where and why, never what it said.',
  columns: [
    { name: 'event_id', type: 'text', width: EVENT_ID_BYTES },
    { name: 'source', type: 'text', width: 8 },
    { name: 'source_ref', type: 'text', width: FieldLimitBytes.sourceRef },
    { name: 'line', type: 'integer', nullable: true },
    { name: 'reason', type: 'text', width: 32 },
    { name: 'field', type: 'text', width: FieldLimitBytes.fieldPath, nullable: true },
    { name: 'recorded_at', type: 'timestamptz' },
  ],
  primaryKey: ['event_id'],
  sortKey: ['recorded_at'],
});

/** What a column holds in a row, by column type: dates and timestamps travel as ISO-8601 text. */
interface ColumnValueTypes {
  readonly text: string;
  readonly integer: number;
  readonly bigint: number;
  readonly smallint: number;
  readonly timestamptz: string;
  readonly date: string;
}

/** The TypeScript type of one column's value: its type's value, or null too when the column is nullable. */
export type ColumnValue<C extends ColumnDefinition> = ColumnValueTypes[C['type']] | (C extends { readonly nullable: true } ? null : never);

/**
 * A table's row type, derived from its column list: one property per column, named
 * as the column is. A mapping that misspells or leaves out a column does not compile.
 */
export type RowOf<T extends TableDefinition> = { [C in T['columns'][number] as C extends { readonly stamp: object } ? never : C['name']]: ColumnValue<C> };

/**
 * Declares a table, keeping its column names and types as literal types so that
 * `RowOf` can derive its row type (the definition itself is returned unchanged).
 */
function defineTable<const T extends TableDefinition>(table: T): T {
  return table;
}

/**
 * Every version's account of every file, the current one marked (`is_current` 1):
 * `ingest_files` is the current version of each file, this is its history.
 */
const fileVersions = defineTable({
  name: 'file_versions',
  description: "Every version of every uploaded file: its account, and whether it is the file's current version.",
  since: 3,
  columns: [
    { name: 'version', type: 'text', width: 64, since: 3 },
    { name: 'is_current', type: 'smallint', since: 3 },
    // The account's columns; its version is this table's key column above.
    ...ingestFiles.columns.filter((column) => column.name !== 'version').map((column) => ({ ...column, since: 3 })),
  ],
  primaryKey: ['file', 'version'],
  sortKey: ['finished_at'],
});

export const WarehouseTables = { sales, saleItems, ingestFiles, quarantine, saleSources, tillSales, fileVersions } as const;

/** The warehouse tables by their key in `WarehouseTables` (`sales`, `saleItems`, …). */
export type WarehouseTableKey = keyof typeof WarehouseTables;

/** Each table's row, keyed as `WarehouseTables` is. */
export type WarehouseRows = { readonly [K in WarehouseTableKey]: RowOf<(typeof WarehouseTables)[K]> };
export type SalesRow = WarehouseRows['sales'];
export type SaleItemsRow = WarehouseRows['saleItems'];
export type IngestFilesRow = WarehouseRows['ingestFiles'];
export type QuarantineRow = WarehouseRows['quarantine'];
export type SaleSourcesRow = WarehouseRows['saleSources'];
export type TillSalesRow = WarehouseRows['tillSales'];
export type FileVersionsRow = WarehouseRows['fileVersions'];

export type SqlDialect = 'postgres' | 'redshift';

/** A column's type in the dialect: Redshift text is `VARCHAR(bytes)`, and a text column without a width is refused. */
export function columnTypeSql(column: ColumnDefinition, dialect: SqlDialect): string {
  if (column.type !== 'text') return column.type.toUpperCase();
  if (dialect === 'postgres') return 'TEXT';
  if (column.width === undefined) throw new Error(`column ${column.name}: a text column needs a width in bytes`);
  return `VARCHAR(${column.width})`;
}

/** A column as it appears in CREATE TABLE or ADD COLUMN; a stamped column is, in PostgreSQL, generated from its local copy. */
export function columnSql(column: ColumnDefinition, dialect: SqlDialect): string {
  const generated = column.stamp && dialect === 'postgres' ? ` GENERATED ALWAYS AS (${column.stamp.localCopyOf}) STORED` : '';
  return `${column.name} ${columnTypeSql(column, dialect)}${column.nullable || generated ? '' : ' NOT NULL'}${generated}`;
}

/** The columns a loader writes (the sinks, the COPY): every column but those the warehouse stamps. */
export function loadedColumns(table: TableDefinition): readonly ColumnDefinition[] {
  return table.columns.filter((column) => column.stamp === undefined);
}

export interface CreateTableOptions {
  /** Declare the primary key (default). Staging tables hold duplicates by design, so they declare none. */
  readonly primaryKey?: boolean;
}

/** CREATE TABLE IF NOT EXISTS for one table in the given dialect (Redshift adds dist and sort keys). */
export function createTableSql(table: TableDefinition, dialect: SqlDialect, name = table.name, options: CreateTableOptions = {}): string {
  const lines = table.columns.map((column) => `  ${columnSql(column, dialect)}`);
  if (options.primaryKey ?? true) lines.push(`  PRIMARY KEY (${table.primaryKey.join(', ')})`);
  let sql = `CREATE TABLE IF NOT EXISTS ${name} (\n${lines.join(',\n')}\n)`;
  if (dialect === 'redshift') {
    sql += table.distKey ? `\nDISTSTYLE KEY DISTKEY (${table.distKey})` : '\nDISTSTYLE AUTO';
    if (table.sortKey) sql += `\nSORTKEY (${table.sortKey.join(', ')})`;
  }
  return `${sql};`;
}
