/**
 * The warehouse tables, defined once. Postgres (local) and Redshift (AWS) DDL are
 * both rendered from these definitions, and the loaders map records to columns
 * through them, so a column is never spelled in two places.
 */

export type ColumnType = 'text' | 'integer' | 'bigint' | 'timestamptz' | 'date' | 'smallint';

export interface ColumnDefinition {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable?: boolean;
  /** Max characters (Redshift VARCHAR width); Postgres uses text. */
  readonly width?: number;
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
}

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
export type RowOf<T extends TableDefinition> = { [C in T['columns'][number] as C['name']]: ColumnValue<C> };

/**
 * Declares a table, keeping its column names and types as literal types so that
 * `RowOf` can derive its row type (the definition itself is returned unchanged).
 */
function defineTable<const T extends TableDefinition>(table: T): T {
  return table;
}

const sales = defineTable({
  name: 'sales',
  description: 'One row per transaction. No customer name or card number.',
  columns: [
    { name: 'event_id', type: 'text', width: 32 },
    { name: 'branch', type: 'text', width: 128 },
    { name: 'sold_at', type: 'timestamptz' },
    { name: 'business_date', type: 'date' },
    { name: 'total_pence', type: 'integer' },
    { name: 'payment_method', type: 'text', width: 8 },
    { name: 'card_brand', type: 'text', width: 16, nullable: true },
    { name: 'customer_key', type: 'text', width: 64, nullable: true },
    { name: 'item_count', type: 'smallint' },
    { name: 'source', type: 'text', width: 8 },
    { name: 'source_ref', type: 'text', width: 1024 },
    { name: 'recorded_at', type: 'timestamptz' },
    { name: 'loaded_at', type: 'timestamptz' },
  ],
  primaryKey: ['event_id'],
  sortKey: ['sold_at'],
  distKey: 'event_id',
});

const saleItems = defineTable({
  name: 'sale_items',
  description: 'One row per basket line; a repeated item is a separate line.',
  columns: [
    { name: 'event_id', type: 'text', width: 32 },
    { name: 'line_no', type: 'smallint' },
    { name: 'size', type: 'text', width: 16, nullable: true },
    { name: 'product', type: 'text', width: 128 },
    { name: 'flavour', type: 'text', width: 128, nullable: true },
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
    { name: 'file', type: 'text', width: 1024 },
    { name: 'branch', type: 'text', width: 128, nullable: true },
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
  ],
  primaryKey: ['file'],
  sortKey: ['finished_at'],
});

const quarantine = defineTable({
  name: 'quarantine',
  description: 'One row per rejected row, till sale or event: where and why, never what it said.',
  columns: [
    { name: 'event_id', type: 'text', width: 32 },
    { name: 'source', type: 'text', width: 8 },
    { name: 'source_ref', type: 'text', width: 1024 },
    { name: 'line', type: 'integer', nullable: true },
    { name: 'reason', type: 'text', width: 32 },
    { name: 'field', type: 'text', width: 128, nullable: true },
    { name: 'recorded_at', type: 'timestamptz' },
  ],
  primaryKey: ['event_id'],
  sortKey: ['recorded_at'],
});

export const WarehouseTables = { sales, saleItems, ingestFiles, quarantine } as const;

/** The warehouse tables by their key in `WarehouseTables` (`sales`, `saleItems`, …). */
export type WarehouseTableKey = keyof typeof WarehouseTables;

/** Each table's row, keyed as `WarehouseTables` is. */
export type WarehouseRows = { readonly [K in WarehouseTableKey]: RowOf<(typeof WarehouseTables)[K]> };
export type SalesRow = WarehouseRows['sales'];
export type SaleItemsRow = WarehouseRows['saleItems'];
export type IngestFilesRow = WarehouseRows['ingestFiles'];
export type QuarantineRow = WarehouseRows['quarantine'];

export type SqlDialect = 'postgres' | 'redshift';

function columnSql(column: ColumnDefinition, dialect: SqlDialect): string {
  const type =
    dialect === 'redshift' && column.type === 'text' ? `VARCHAR(${column.width ?? 256})` : column.type.toUpperCase();
  return `  ${column.name} ${type}${column.nullable ? '' : ' NOT NULL'}`;
}

/** CREATE TABLE for one table in the given dialect (Redshift adds dist and sort keys). */
export function createTableSql(table: TableDefinition, dialect: SqlDialect, name = table.name): string {
  const lines = table.columns.map((column) => columnSql(column, dialect));
  lines.push(`  PRIMARY KEY (${table.primaryKey.join(', ')})`);
  let sql = `CREATE TABLE IF NOT EXISTS ${name} (\n${lines.join(',\n')}\n)`;
  if (dialect === 'redshift') {
    sql += table.distKey ? `\nDISTSTYLE KEY DISTKEY (${table.distKey})` : '\nDISTSTYLE AUTO';
    if (table.sortKey) sql += `\nSORTKEY (${table.sortKey.join(', ')})`;
  }
  return `${sql};`;
}
