import type pg from 'pg';
import type { SalesStreamEvent } from '../../contracts/index.js';
import { createPostgresSink } from '../../consumers/sales-transform/adapters/postgres-sink.js';
import { addProjection } from '../../consumers/sales-transform/process-batch.js';
import { emptyBatch, type ProjectionBatch, type SaleSink } from '../../consumers/sales-transform/ports.js';
import { projectEvent } from '../../consumers/sales-transform/project-event.js';
import { WarehouseTables } from '../../consumers/sales-transform/warehouse-rows.js';
import { silentLogger } from '../../common/logging/structured-logger.js';
import { createFileObjectReader } from '../../producers/csv-ingest/adapters/file-object-reader.js';
import { ingestFile } from '../../producers/csv-ingest/ingest-file.js';
import { cpuSecondsByRole, ownCpuMicros, sampleProcessTree } from './process-cpu.js';

/**
 * The warehouse's own share of the pipeline's work: the same files' clean records
 * (made by the real producer and consumer code, before timing starts) loaded
 * through the consumer's PostgreSQL sink into the real tables, with their keys,
 * indexes and the whole fold (file versions, sale sources, the till check, the
 * version commit), in the consumer's batch order. No pipeline can load the
 * warehouse for less.
 */

/** The events the producer makes of `files` (nothing published). */
export async function producerEvents(files: readonly string[], pepper: string): Promise<SalesStreamEvent[]> {
  const events: SalesStreamEvent[] = [];
  const reader = createFileObjectReader('/');
  for (const file of files) {
    await ingestFile({ file, reader, pepper, writer: { write: async (batch) => (events.push(...batch), new Map()) } }).catch(() => undefined);
  }
  return events;
}

/** The events' projections in the consumer's batches: every kind (sales, rejections, accounts, voids), in stream order. */
export function projectionBatches(events: readonly SalesStreamEvent[], pepper: string, eventsPerBatch = 2_500): ProjectionBatch[] {
  const now = new Date();
  const batches: ProjectionBatch[] = [];
  let batch = emptyBatch();
  let size = 0;
  for (const event of events) {
    addProjection(batch, projectEvent(JSON.stringify(event), { pepper, now, position: 'bench' }), { shardId: 'bench', sequenceNumber: '0' }, silentLogger);
    if (++size === eventsPerBatch) {
      batches.push(batch);
      batch = emptyBatch();
      size = 0;
    }
  }
  if (size > 0) batches.push(batch);
  return batches;
}

/** Empties every table the fold writes, so the next load is a first load. */
export async function resetWarehouse(pool: pg.Pool): Promise<void> {
  await pool.query(`TRUNCATE ${Object.values(WarehouseTables).map((table) => table.name).join(', ')}`);
}

/** CPU seconds of every PostgreSQL process under this one (the warehouse server), those that ended included. */
export const postgresCpuSeconds = (): number => cpuSecondsByRole(sampleProcessTree()).postgres;

const ownCpuSeconds = (): number => ownCpuMicros() / 1e6;

export interface WarehouseLoad {
  readonly sales: number;
  readonly seconds: number;
  readonly serverCpuSeconds: number;
  readonly clientCpuSeconds: number;
}

/**
 * Loads `batches` into an emptied warehouse `runs` times through `sink` and keeps
 * the cheapest run (server + client CPU); the first run warms the code and the
 * server and is not kept when there are more.
 */
export async function measureWarehouseLoad(pool: pg.Pool, batches: readonly ProjectionBatch[], options: { sink?: SaleSink; runs?: number } = {}): Promise<WarehouseLoad> {
  const sink = options.sink ?? createPostgresSink(pool);
  const runs = options.runs ?? 3;
  const sales = batches.reduce((sum, batch) => sum + batch.sales.length, 0);
  let best: WarehouseLoad | undefined;
  for (let run = 0; run < runs; run++) {
    await resetWarehouse(pool);
    const [server0, client0, started] = [postgresCpuSeconds(), ownCpuSeconds(), performance.now()];
    for (const batch of batches) await sink.load(batch);
    const result = { sales, seconds: (performance.now() - started) / 1000, serverCpuSeconds: postgresCpuSeconds() - server0, clientCpuSeconds: ownCpuSeconds() - client0 };
    if (run === 0 && runs > 1) continue;
    if (!best || result.serverCpuSeconds + result.clientCpuSeconds < best.serverCpuSeconds + best.clientCpuSeconds) best = result;
  }
  await resetWarehouse(pool);
  return best as WarehouseLoad;
}

/** The local stack's secondary indexes (infra/local/emulators/warehouse.ts), to weigh them: name and how to make it again. */
export async function secondaryIndexes(pool: pg.Pool): Promise<{ name: string; definition: string }[]> {
  const tables = Object.values(WarehouseTables).map((table) => table.name);
  const { rows } = await pool.query<{ name: string; definition: string }>(
    `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
     WHERE i.schemaname = current_schema() AND i.tablename = ANY($1::text[])
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [tables],
  );
  return rows;
}

/** The floor with the secondary indexes dropped for the measure (made again after): what the index set costs. */
export async function measureWithoutSecondaryIndexes(pool: pg.Pool, batches: readonly ProjectionBatch[]): Promise<WarehouseLoad & { indexes: string[] }> {
  const indexes = await secondaryIndexes(pool);
  for (const index of indexes) await pool.query(`DROP INDEX ${index.name}`);
  try {
    return { ...(await measureWarehouseLoad(pool, batches)), indexes: indexes.map((index) => index.name) };
  } finally {
    for (const index of indexes) await pool.query(index.definition);
  }
}
