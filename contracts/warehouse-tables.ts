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

const sales: TableDefinition = {
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
};

const saleItems: TableDefinition = {
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
};

const ingestFiles: TableDefinition = {
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
    // How the file was written, and where its lines went: lines = rows_read + lines_skipped + lines_continued,
    // lines_skipped = lines_blank + lines_header + lines_preamble + lines_footnote. NULL for files read before these were kept.
    { name: 'encoding', type: 'text', width: 16, nullable: true },
    { name: 'dialect', type: 'text', width: 64, nullable: true },
    { name: 'line_endings', type: 'text', width: 8, nullable: true },
    { name: 'lines', type: 'integer', nullable: true },
    { name: 'lines_blank', type: 'integer', nullable: true },
    { name: 'lines_header', type: 'integer', nullable: true },
    { name: 'lines_preamble', type: 'integer', nullable: true },
    { name: 'lines_footnote', type: 'integer', nullable: true },
    { name: 'lines_continued', type: 'integer', nullable: true },
  ],
  primaryKey: ['file'],
  sortKey: ['finished_at'],
};

const quarantine: TableDefinition = {
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
};

export const WarehouseTables = { sales, saleItems, ingestFiles, quarantine } as const;

export type SqlDialect = 'postgres' | 'redshift';

function columnSql(column: ColumnDefinition, dialect: SqlDialect): string {
  const type =
    dialect === 'redshift' && column.type === 'text' ? `VARCHAR(${column.width ?? 256})` : column.type.toUpperCase();
  return `  ${column.name} ${type}${column.nullable ? '' : ' NOT NULL'}`;
}

/**
 * Columns added to a table after it was first deployed: nullable, so rows loaded
 * before read as NULL. `CREATE TABLE IF NOT EXISTS` leaves an existing table as it
 * is; these statements bring it up to date.
 */
function addedColumns(table: TableDefinition): readonly ColumnDefinition[] {
  return table.name === 'ingest_files' ? table.columns.slice(table.columns.findIndex((column) => column.name === 'encoding')) : [];
}

/**
 * `ALTER TABLE … ADD COLUMN IF NOT EXISTS` for each column added since a table was
 * first created (PostgreSQL; safe to run again). Redshift has no `IF NOT EXISTS`
 * here: an existing Redshift warehouse gets each statement once, without it.
 */
export function addColumnsSql(table: TableDefinition, dialect: SqlDialect, name = table.name): string[] {
  return addedColumns(table).map((column) => `ALTER TABLE ${name} ADD COLUMN${dialect === 'postgres' ? ' IF NOT EXISTS' : ''}${columnSql(column, dialect).replace(/^ {2}/, ' ')};`);
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
