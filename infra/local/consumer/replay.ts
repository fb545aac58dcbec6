import type pg from 'pg';
import { WarehouseTables } from '../../../contracts/index.js';
import { suppressErased, type SuppressionList } from '../../../consumers/erasure/suppression.js';
import { createPostgresSink } from '../../../consumers/sales-transform/adapters/postgres-sink.js';
import { readArchive } from './event-archive.js';

/**
 * Rebuilds the warehouse projection from the archive of clean records: empties
 * the four tables, then loads every archived batch through the same idempotent
 * sink the consumer uses. The result equals what the consumer built, row for row,
 * except that erasures are honoured: a sale an erasure covers loads untied from
 * its customer (`suppression`, `<data-dir>/erasures.ndjson`).
 */
export async function replayArchive(
  pool: pg.Pool,
  archiveDir: string,
  onProgress?: (records: number) => void,
  suppression: SuppressionList = new Map(),
): Promise<{ records: number; damagedLines: string[] }> {
  const tables = Object.values(WarehouseTables).map((table) => table.name);
  await pool.query(`TRUNCATE ${tables.join(', ')}`);
  const sink = createPostgresSink(pool);
  let records = 0;
  const damagedLines: string[] = [];
  for await (const batch of readArchive(archiveDir, undefined, (where) => damagedLines.push(where))) {
    await sink.load(suppressErased(batch, suppression));
    records += batch.sales.length + batch.quarantine.length + batch.files.length;
    onProgress?.(records);
  }
  return { records, damagedLines };
}
