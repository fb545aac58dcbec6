import type { Pool } from 'pg';
import type { IngestFilesRow, RowOf, TableDefinition } from '../../../contracts/index.js';
import type { SaleSink } from '../ports.js';
import { WarehouseTables, warehouseRows } from '../warehouse-rows.js';

/**
 * Loads clean records straight into PostgreSQL (the local warehouse). One
 * transaction per batch, one multi-row statement per table (arrays through
 * `unnest`), idempotent on the primary key: a redelivered sale changes nothing,
 * a file's latest run replaces its account.
 */
export function createPostgresSink(pool: Pool): SaleSink {
  return {
    async load(batch) {
      if (batch.sales.length + batch.quarantine.length + batch.files.length === 0) return;
      const client = await pool.connect();
      // A server going away mid-batch is reported through the query's rejection;
      // without a listener the client's 'error' event would also crash the process.
      const onError = () => undefined;
      client.on('error', onError);
      try {
        const rows = warehouseRows(batch);
        await client.query('BEGIN');
        await insertRows(client, WarehouseTables.sales, rows.sales);
        await insertRows(client, WarehouseTables.saleItems, rows.saleItems);
        await insertRows(client, WarehouseTables.quarantine, rows.quarantine);
        await upsertLatest(client, WarehouseTables.ingestFiles, latestPerFile(rows.ingestFiles), 'finished_at');
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.off('error', onError);
        client.release();
      }
    },
  };
}

type Queryable = { query: (text: string, values?: unknown[]) => Promise<unknown> };

/** A row as the statements below read it: by column name (its table's `RowOf` guarantees every column is there). */
type ColumnValues = Readonly<Record<string, string | number | null>>;

function unnestSelect<T extends TableDefinition>(table: T, rows: readonly RowOf<T>[]): { sql: string; values: unknown[][] } {
  const byName: readonly ColumnValues[] = rows;
  const values = table.columns.map((column) => byName.map((row) => row[column.name]));
  const params = table.columns.map((column, index) => `$${index + 1}::${column.type}[]`).join(', ');
  return { sql: `SELECT * FROM unnest(${params})`, values };
}

async function insertRows<T extends TableDefinition>(client: Queryable, table: T, rows: readonly RowOf<T>[]): Promise<void> {
  if (rows.length === 0) return;
  const { sql, values } = unnestSelect(table, rows);
  const columns = table.columns.map((column) => column.name).join(', ');
  await client.query(`INSERT INTO ${table.name} (${columns}) ${sql} ON CONFLICT (${table.primaryKey.join(', ')}) DO NOTHING`, values);
}

async function upsertLatest<T extends TableDefinition>(
  client: Queryable,
  table: T,
  rows: readonly RowOf<T>[],
  versionColumn: T['columns'][number]['name'],
): Promise<void> {
  if (rows.length === 0) return;
  const { sql, values } = unnestSelect(table, rows);
  const columns = table.columns.map((column) => column.name);
  const updates = columns.filter((name) => !table.primaryKey.includes(name)).map((name) => `${name} = EXCLUDED.${name}`);
  await client.query(
    `INSERT INTO ${table.name} (${columns.join(', ')}) ${sql}
     ON CONFLICT (${table.primaryKey.join(', ')}) DO UPDATE SET ${updates.join(', ')}
     WHERE EXCLUDED.${versionColumn} >= ${table.name}.${versionColumn}`,
    values,
  );
}

/** The latest run of each file in the batch: one statement cannot upsert the same key twice. */
function latestPerFile(rows: readonly IngestFilesRow[]): IngestFilesRow[] {
  const latest = new Map<string, IngestFilesRow>();
  for (const row of rows) {
    const known = latest.get(row.file);
    if (!known || row.finished_at >= known.finished_at) latest.set(row.file, row);
  }
  return [...latest.values()];
}
