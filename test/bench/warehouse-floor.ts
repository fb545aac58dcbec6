import type pg from 'pg';
import type { ProjectionBatch } from '../../consumers/sales-transform/ports.js';
import { createPostgresSink } from '../../consumers/sales-transform/adapters/postgres-sink.js';
import { projectEvent } from '../../consumers/sales-transform/project-event.js';
import { createFileObjectReader } from '../../producers/csv-ingest/adapters/file-object-reader.js';
import { ingestFile } from '../../producers/csv-ingest/ingest-file.js';
import type { SalesStreamEvent } from '../../contracts/index.js';
import { sampleProcessTree } from './process-cpu.js';

/**
 * The warehouse's own share of the pipeline's work: the same files' clean records
 * (made by the real producer and consumer code, before timing starts) loaded
 * through the consumer's PostgreSQL sink into the real tables, with their keys and
 * indexes. No pipeline can load the warehouse for less; the bench compares it
 * with the CPU budget the throughput target leaves.
 */
export async function measureWarehouseLoad(pool: pg.Pool, files: readonly string[], pepper: string, batchSales = 2_000) {
  const events: SalesStreamEvent[] = [];
  const reader = createFileObjectReader('/');
  for (const file of files) {
    await ingestFile({ file, reader, pepper, writer: { write: async (batch) => (events.push(...batch), new Map()) } }).catch(() => undefined);
  }
  const now = new Date();
  const batches: ProjectionBatch[] = [];
  let sales: ProjectionBatch['sales'][number][] = [];
  for (const event of events) {
    const projection = projectEvent(JSON.stringify(event), { pepper, now, position: 'bench' });
    if (projection.kind !== 'sale') continue;
    sales.push(projection.record);
    if (sales.length === batchSales) {
      batches.push({ sales, quarantine: [], files: [], voids: [] });
      sales = [];
    }
  }
  if (sales.length > 0) batches.push({ sales, quarantine: [], files: [], voids: [] });

  await pool.query('TRUNCATE sales, sale_items');
  const sink = createPostgresSink(pool);
  const serverCpu = () => sampleProcessTree().filter((sample) => sample.role === 'postgres').reduce((sum, sample) => sum + sample.cpuSeconds, 0);
  const clientCpu = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1e6;
  };
  const [server0, client0, started] = [serverCpu(), clientCpu(), performance.now()];
  for (const batch of batches) await sink.load(batch);
  const result = {
    sales: batches.reduce((sum, batch) => sum + batch.sales.length, 0),
    seconds: (performance.now() - started) / 1000,
    serverCpuSeconds: serverCpu() - server0,
    clientCpuSeconds: clientCpu() - client0,
  };
  await pool.query('TRUNCATE sales, sale_items');
  return result;
}
