import type { Pool } from 'pg';
import type { TableDefinition } from '../../../contracts/index.js';
import type { SaleSink } from '../ports.js';
import { WarehouseTables, ingestFileRow, quarantineRow, saleItemRow, saleRow, type WarehouseRow } from '../warehouse-rows.js';

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
        await client.query('BEGIN');
        await insertRows(client, WarehouseTables.sales, batch.sales.map(({ sale }) => saleRow(sale)));
        await insertRows(client, WarehouseTables.saleItems, batch.sales.flatMap(({ items }) => items.map(saleItemRow)));
        await insertRows(client, WarehouseTables.quarantine, batch.quarantine.map(quarantineRow));
        await upsertLatest(client, WarehouseTables.ingestFiles, latestPerFile(batch.files.map(ingestFileRow)), 'finished_at');
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

function unnestSelect(table: TableDefinition, rows: readonly WarehouseRow[]): { sql: string; values: unknown[][] } {
  const values = table.columns.map((column) => rows.map((row) => row[column.name] ?? null));
  const params = table.columns.map((column, index) => `$${index + 1}::${column.type}[]`).join(', ');
  return { sql: `SELECT * FROM unnest(${params})`, values };
}

async function insertRows(client: Queryable, table: TableDefinition, rows: readonly WarehouseRow[]): Promise<void> {
  if (rows.length === 0) return;
  const { sql, values } = unnestSelect(table, rows);
  const columns = table.columns.map((column) => column.name).join(', ');
  await client.query(`INSERT INTO ${table.name} (${columns}) ${sql} ON CONFLICT (${table.primaryKey.join(', ')}) DO NOTHING`, values);
}

async function upsertLatest(client: Queryable, table: TableDefinition, rows: readonly WarehouseRow[], versionColumn: string): Promise<void> {
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

function latestPerFile(rows: readonly WarehouseRow[]): WarehouseRow[] {
  const latest = new Map<string, WarehouseRow>();
  for (const row of rows) {
    const known = latest.get(String(row.file));
    if (!known || String(row.finished_at) >= String(known.finished_at)) latest.set(String(row.file), row);
  }
  return [...latest.values()];
}
