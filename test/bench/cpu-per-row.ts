import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { ingestPaths } from '../../infra/local/stack/ingest-paths.js';
import type { TestStack } from '../helpers/local-stack.js';
import { cpuByRole, sampleProcessTree, type ProcessRole } from './process-cpu.js';
import type pg from 'pg';
import { measureWarehouseLoad, measureWithoutSecondaryIndexes, postgresCpuSeconds, producerEvents, projectionBatches, resetWarehouse, type WarehouseLoad } from './warehouse-floor.js';

/**
 * Issue 18 target 1: the whole pipeline's CPU per row (producer, kinesalite,
 * consumer, PostgreSQL: every process) against the floor, csv-parse plus
 * PostgreSQL loading the same sales into the warehouse tables through the
 * consumer's sink, measured alone. Both are measured warm, in the same run, on
 * the same files; each is the cheapest of its runs.
 */

/** The roles whose CPU the pipeline's figure adds up ('other': esbuild and the like, started by tsx). */
export const PIPELINE_ROLES: readonly ProcessRole[] = ['producer', 'consumer', 'kinesalite', 'postgres', 'other'];

export interface CsvParseRun {
  readonly rows: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
}

/** csv-parse alone over the files, with the options the ingest uses (best of `runs`). */
export async function csvParseAlone(files: readonly string[], runs = 3): Promise<CsvParseRun> {
  let best: CsvParseRun | undefined;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    let rows = 0;
    for (const file of files) {
      for await (const _record of createReadStream(file).pipe(parse({ relax_column_count: true, trim: true, bom: true, info: true }))) rows++;
    }
    const cpu = process.cpuUsage(cpu0);
    const result = { rows, seconds: (performance.now() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
    if (!best || result.cpuSeconds < best.cpuSeconds) best = result;
  }
  return best as CsvParseRun;
}

/**
 * PostgreSQL's own COPY of the files' text into one untyped staging table: no keys,
 * no types, no fold; what the server takes to store the rows at all. Server CPU
 * seconds per row (best of `runs`).
 */
export async function rawCopyServerUs(pool: pg.Pool, files: readonly string[], runs = 3): Promise<number> {
  await pool.query('CREATE TEMP TABLE bench_copy (sold text, branch text, customer text, basket text, total text, payment text, card text)');
  try {
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < runs; run++) {
      await pool.query('TRUNCATE bench_copy');
      const cpu0 = postgresCpuSeconds();
      for (const file of files) await pool.query(`COPY bench_copy FROM '${file.replace(/'/g, "''")}' WITH (FORMAT csv)`);
      const cpu = postgresCpuSeconds() - cpu0;
      const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_copy');
      best = Math.min(best, (cpu / Math.max(1, rows[0]?.n ?? 0)) * 1e6);
    }
    return best;
  } finally {
    await pool.query('DROP TABLE bench_copy');
  }
}

export interface PipelineRun {
  readonly rows: number;
  readonly seconds: number;
  readonly cpuSeconds: Record<ProcessRole, number>;
}

const totalCpu = (run: PipelineRun) => PIPELINE_ROLES.reduce((sum, role) => sum + run.cpuSeconds[role], 0);

/**
 * The files through the whole stack `runs` times, each into an emptied warehouse
 * (a first load every time), CPU of every process sampled from /proc around each;
 * the first run warms every process (JIT, caches, connections) and is not kept.
 */
export async function measurePipeline(test: TestStack, files: readonly string[], runs = 3): Promise<PipelineRun> {
  let best: PipelineRun | undefined;
  for (let run = 0; run < runs; run++) {
    await resetWarehouse(test.stack.warehouse.pool);
    const before = sampleProcessTree();
    const started = performance.now();
    const ingested = await ingestPaths(test.stack, files);
    await test.stack.waitFor(ingested.receipt);
    const result = { rows: ingested.summaries.reduce((sum, s) => sum + s.rowsRead, 0), seconds: (performance.now() - started) / 1000, cpuSeconds: cpuByRole(before, sampleProcessTree()) };
    if (run === 0 && runs > 1) continue;
    if (!best || totalCpu(result) < totalCpu(best)) best = result;
  }
  return best as PipelineRun;
}

export interface CpuPerRow {
  readonly files: number;
  readonly rows: number;
  /** µs of CPU per row by process, and in all. */
  readonly pipelineUs: Record<ProcessRole, number> & { readonly total: number };
  readonly pipelineRowsPerSecond: number;
  readonly floorUs: { readonly csvParse: number; readonly warehouseServer: number; readonly warehouseClient: number; readonly total: number };
  /** The floor with the local secondary indexes dropped: what the index set costs. */
  readonly floorWithoutIndexesUs: { readonly warehouseServer: number; readonly warehouseClient: number; readonly indexes: readonly string[] };
  /** PostgreSQL's raw COPY of the CSV text, server µs per row: storing the rows with nothing else. */
  readonly copyServerUs: number;
  /** Whole pipeline ÷ floor: the figure target 1 is judged by (≤ 1.8). */
  readonly ratio: number;
  readonly csvParse: CsvParseRun;
  readonly warehouse: WarehouseLoad;
  readonly pipeline: PipelineRun;
}

/** The ratio as the issue asks it printed. */
export const formatRatio = (ratio: number) => `CPU per row: ${ratio.toFixed(2)}× the floor`;

/** Measures the floor and the pipeline on one stack. */
export async function measureCpuPerRow(test: TestStack, files: readonly string[], options: { runs?: number; log?: (line: string) => void } = {}): Promise<CpuPerRow> {
  const log = options.log ?? (() => undefined);
  const runs = options.runs ?? 3;
  log('floor: csv-parse alone…');
  const csv = await csvParseAlone(files);
  log('floor: PostgreSQL loading the same sales through the consumer\'s sink (the fold included)…');
  const pool = test.stack.warehouse.pool;
  const batches = projectionBatches(await producerEvents(files, test.stack.pepper), test.stack.pepper);
  const warehouse = await measureWarehouseLoad(pool, batches, { runs });
  const unindexed = await measureWithoutSecondaryIndexes(pool, batches);
  const copyServerUs = await rawCopyServerUs(pool, files, runs);
  log(`whole pipeline, ${runs} runs…`);
  const pipeline = await measurePipeline(test, files, runs);
  const perRow = (seconds: number) => (seconds / pipeline.rows) * 1e6;
  const pipelineUs = Object.fromEntries(PIPELINE_ROLES.map((role) => [role, perRow(pipeline.cpuSeconds[role])])) as Record<ProcessRole, number>;
  const total = PIPELINE_ROLES.reduce((sum, role) => sum + pipelineUs[role], 0);
  const floor = { csvParse: (csv.cpuSeconds / csv.rows) * 1e6, warehouseServer: (warehouse.serverCpuSeconds / warehouse.sales) * 1e6, warehouseClient: (warehouse.clientCpuSeconds / warehouse.sales) * 1e6 };
  const floorTotal = floor.csvParse + floor.warehouseServer + floor.warehouseClient;
  return {
    files: files.length,
    rows: pipeline.rows,
    pipelineUs: { ...pipelineUs, total },
    pipelineRowsPerSecond: pipeline.rows / pipeline.seconds,
    floorUs: { ...floor, total: floorTotal },
    floorWithoutIndexesUs: { warehouseServer: (unindexed.serverCpuSeconds / unindexed.sales) * 1e6, warehouseClient: (unindexed.clientCpuSeconds / unindexed.sales) * 1e6, indexes: unindexed.indexes },
    copyServerUs,
    ratio: total / floorTotal,
    csvParse: csv,
    warehouse,
    pipeline,
  };
}
