import type { RowOf, TableDefinition } from '../../../contracts/index.js';

/**
 * The loader's staging tables and the statement shapes every merge is made of,
 * generated from the table definitions. Staging tables (`stage_<table>`) have the
 * final table's columns and no key: Firehose and the loader are at-least-once, so
 * they hold duplicates by design.
 */

const STAGING_PREFIX = 'stage_';

/** The staging table the loader COPYs a table's rows into. */
export function stagingTableName(table: TableDefinition): string {
  return `${STAGING_PREFIX}${table.name}`;
}

/**
 * A table's column names by name, checked against its definition: a fold
 * statement that names a column the table does not have fails to compile (the
 * row type has no such key) and, for a definition built at run time, at generation.
 */
export function columnsOf<T extends TableDefinition>(table: T): { readonly [K in keyof RowOf<T> & string]: K } {
  return Object.fromEntries(table.columns.map((column) => [column.name, column.name])) as { readonly [K in keyof RowOf<T> & string]: K };
}

/** The table's column list, in definition order, optionally qualified by an alias. */
export function columnList(table: TableDefinition, alias?: string): string {
  return table.columns.map((column) => (alias ? `${alias}.${column.name}` : column.name)).join(', ');
}

/** `left.k1 = right.k1 AND …` over the table's primary key. */
export function keyMatch(table: TableDefinition, left: string, right: string): string {
  return table.primaryKey.map((column) => `${left}.${column} = ${right}.${column}`).join(' AND ');
}

/**
 * Inserts each staged key not yet in the table once, the first by `rankOrder`
 * (an ORDER BY over the staged alias `s`), and only where `condition` (over the
 * alias `staged`) holds, when given. A stamped column (`merged_at`) gets `stamp`,
 * an SQL expression, or is left out when it is null (PostgreSQL generates it).
 */
export function insertNewRows(table: TableDefinition, rankOrder: string, stamp: string | null, condition?: string): string {
  const columns = table.columns.filter((column) => column.stamp === undefined || stamp !== null);
  const values = columns.map((column) => (column.stamp ? stamp : `staged.${column.name}`));
  return [
    `INSERT INTO ${table.name} (${columns.map((column) => column.name).join(', ')})`,
    `SELECT ${values.join(', ')} FROM (`,
    `  SELECT s.*, ROW_NUMBER() OVER (PARTITION BY ${table.primaryKey.map((column) => `s.${column}`).join(', ')} ORDER BY ${rankOrder}) AS dedup_rank`,
    `  FROM ${stagingTableName(table)} s`,
    `) staged`,
    `WHERE staged.dedup_rank = 1`,
    `  AND NOT EXISTS (SELECT 1 FROM ${table.name} t WHERE ${keyMatch(table, 't', 'staged')})${condition ? `\n  AND ${condition}` : ''};`,
  ].join('\n');
}
