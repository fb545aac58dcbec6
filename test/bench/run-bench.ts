/**
 * `npm run bench`: throughput and memory of the local pipeline, each figure given as
 * a ratio against a baseline measured in the same run on the same machine, never
 * as an absolute pass/fail time. Writes test-output/bench/{bench.md,bench.json,*.svg}.
 */
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse';
import { generateLargeFile } from '../../tools/generator/generate-sales.js';
import { ingestPaths } from '../../infra/local/stack/ingest-paths.js';
import { loadCatalogue } from '../../tools/catalogue/branch-profiles.js';
import { standardFiles } from '../helpers/independent-stats.js';
import { CORPUS_REAL, SAMPLE_REAL, startTestStack } from '../helpers/local-stack.js';
import { runLatencyBench } from './till-latency.js';
import { DEFAULT_RECORD_TARGET_BYTES } from '../../producers/shared/kinesis-event-writer.js';
import { renderSvg } from './bench-chart.js';
import { kinesisBilling } from './kinesis-billing.js';
import { runMeasuringPeakRss } from './measure-rss.js';
import { cpuByRole, sampleProcessTree, type ProcessRole } from './process-cpu.js';
import { measureWarehouseLoad } from './warehouse-floor.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const OUT = resolve('test-output', 'bench');
const RSS_ROWS = (process.env.BENCH_RSS_ROWS ?? '10000,100000,1000000,2000000').split(',').map(Number);
/** Seconds of steady till load (0 skips the till latency bench). */
const TILL_SECONDS = Number(process.env.BENCH_TILL_SECONDS ?? '60');
const RSS_LIMIT = 300 * 1024 * 1024;
const files = standardFiles(SAMPLE_REAL, ...(CORPUS_REAL ? [CORPUS_REAL] : []));
const log = (line: string) => console.error(`bench: ${line}`);

async function best<T extends { seconds: number }>(runs: number, once: () => Promise<T>): Promise<T> {
  let winner: T | undefined;
  for (let run = 0; run < runs; run++) {
    const result = await once();
    if (!winner || result.seconds < winner.seconds) winner = result;
  }
  return winner as T;
}

/** Baseline 1: csv-parse alone, with the options the ingest uses. */
async function csvParseAlone() {
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  let rows = 0;
  for (const file of files) {
    for await (const _record of createReadStream(file).pipe(parse({ relax_column_count: true, trim: true, bom: true, info: true }))) rows++;
  }
  const cpu = process.cpuUsage(cpu0);
  return { rows, seconds: (performance.now() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

async function main() {
  await mkdir(OUT, { recursive: true });
  log(`csv-parse alone over ${files.length} sample files…`);
  const parseOnly = await best(3, csvParseAlone);

  log('whole pipeline (kinesalite + consumer + PostgreSQL) over the same files…');
  const test = await startTestStack();
  let copy: { rows: number; seconds: number };
  let pipeline: { rows: number; seconds: number; cpuSeconds: Record<ProcessRole, number> };
  let warehouse: Awaited<ReturnType<typeof measureWarehouseLoad>>;
  try {
    // Baseline 2: PostgreSQL's own COPY of the same rows into the same server.
    const pool = test.stack.warehouse.pool;
    await pool.query('CREATE TABLE bench_copy (sold text, branch text, customer text, basket text, total text, payment text, card text)');
    const copyStarted = performance.now();
    for (const file of files) await pool.query(`COPY bench_copy FROM '${file.replace(/'/g, "''")}' WITH (FORMAT csv)`);
    const copied = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_copy');
    copy = { rows: copied.rows[0]?.n ?? 0, seconds: (performance.now() - copyStarted) / 1000 };
    await pool.query('DROP TABLE bench_copy');

    log('warehouse load alone (the same clean records through the consumer\'s sink)…');
    warehouse = await measureWarehouseLoad(pool, files, test.stack.pepper);

    log('whole pipeline…');
    const before = sampleProcessTree();
    const started = performance.now();
    const run = await ingestPaths(test.stack, files);
    await test.stack.waitFor(run.receipt);
    const seconds = (performance.now() - started) / 1000;
    pipeline = { rows: run.summaries.reduce((sum, s) => sum + s.rowsRead, 0), seconds, cpuSeconds: cpuByRole(before, sampleProcessTree()) };
  } finally {
    await test.stop();
  }

  const rate = (r: { rows: number; seconds: number }) => r.rows / r.seconds;
  const slowerBaseline = Math.min(rate(parseOnly), rate(copy));
  log('peak RSS of `supercafe ingest` on generated files…');
  const catalogue = loadCatalogue([SAMPLE_REAL]);
  const rss: { rows: number; peakRssBytes: Partial<Record<ProcessRole, number>>; seconds: number }[] = [];
  for (const rows of RSS_ROWS) {
    const dir = await mkdtemp(join(tmpdir(), 'supercafe-bench-'));
    const path = join(dir, `generated-${rows}.csv`);
    await generateLargeFile({ catalogue, rows, path });
    log(`  ${rows} rows…`);
    const measured = await runMeasuringPeakRss(process.execPath, ['bin/supercafe.js', '--data-dir', join(dir, 'state'), 'ingest', path], { ...process.env, DATABASE_URL: '' });
    if (measured.exitCode !== 0) throw new Error(`ingest of ${rows} rows exited ${measured.exitCode}`);
    rss.push({ rows, peakRssBytes: measured.peakRssBytes, seconds: measured.seconds });
    await rm(dir, { recursive: true, force: true });
  }

  log('Kinesis billing per 1M sales, one event per record vs packed…');
  const billingDir = await mkdtemp(join(tmpdir(), 'supercafe-billing-'));
  await generateLargeFile({ catalogue, rows: 20_000, path: join(billingDir, 'billing.csv') });
  const billing = await kinesisBilling(await readFile(join(billingDir, 'billing.csv'), 'utf8'), [
    { label: 'one event per record', bytes: 0 },
    { label: 'packed ≤ 1 KiB, gzip', bytes: 1024 },
    { label: `packed ≤ ${DEFAULT_RECORD_TARGET_BYTES / 1024} KiB, gzip (default)`, bytes: DEFAULT_RECORD_TARGET_BYTES },
  ]);
  await rm(billingDir, { recursive: true, force: true });

  let tills: Awaited<ReturnType<typeof runLatencyBench>> | undefined;
  if (TILL_SECONDS > 0) {
    log(`till API: 200 sales/s for ${TILL_SECONDS} s, then stepping up…`);
    const tillStack = await startTestStack();
    try {
      tills = await runLatencyBench({ stack: tillStack.stack, ratePerSecond: 200, durationSeconds: TILL_SECONDS, log });
    } finally {
      await tillStack.stop();
    }
  }

  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
  // Where the time goes: CPU per row by process, against what the target allows.
  const cores = availableParallelism();
  const targetRate = 0.5 * slowerBaseline;
  const perRow = (cpuSeconds: number) => (cpuSeconds / pipeline.rows) * 1e6;
  const budgetUs = (cores / targetRate) * 1e6;
  const floor = { csvParse: (parseOnly.cpuSeconds / parseOnly.rows) * 1e6, warehouseServer: perRow(warehouse.serverCpuSeconds), warehouseClient: perRow(warehouse.clientCpuSeconds) };
  const floorUs = floor.csvParse + floor.warehouseServer + floor.warehouseClient;
  const roles: ProcessRole[] = ['producer', 'consumer', 'kinesalite', 'postgres'];
  const pipelineUs = roles.reduce((sum, role) => sum + perRow(pipeline.cpuSeconds[role]), 0);
  const unpacked = billing[0];
  const table = [
    '| measure | rows | rows/s | ratio |',
    '|---|---:|---:|---:|',
    `| csv-parse alone (baseline) | ${parseOnly.rows} | ${rate(parseOnly).toFixed(0)} | 1.00 |`,
    `| PostgreSQL COPY (baseline) | ${copy.rows} | ${rate(copy).toFixed(0)} | ${(rate(copy) / rate(parseOnly)).toFixed(2)} |`,
    `| whole local pipeline | ${pipeline.rows} | ${rate(pipeline).toFixed(0)} | ${(rate(pipeline) / rate(parseOnly)).toFixed(2)} of csv-parse, ${(rate(pipeline) / rate(copy)).toFixed(2)} of COPY, **${(rate(pipeline) / slowerBaseline).toFixed(2)} of the slower baseline** (target ≥ 0.50) |`,
    '',
    `| CPU per row, whole pipeline (${cores} cores) | µs/row |`,
    '|---|---:|',
    ...roles.map((role) => `| ${role} process${role === 'postgres' ? 'es' : ''} | ${perRow(pipeline.cpuSeconds[role]).toFixed(0)} |`),
    `| **all processes** | **${pipelineUs.toFixed(0)}** |`,
    `| budget at the target rate (${targetRate.toFixed(0)} rows/s × ${cores} cores) | ${budgetUs.toFixed(0)} |`,
    `| floor: csv-parse ${floor.csvParse.toFixed(0)} + PostgreSQL loading the same sales ${floor.warehouseServer.toFixed(0)} + its client ${floor.warehouseClient.toFixed(0)} | ${floorUs.toFixed(0)} (${((100 * floorUs) / budgetUs).toFixed(0)}% of the budget) |`,
    '',
    '| generated file | peak RSS: ingest process (producer) | consumer process | kinesalite (the stream) | ingest and consumer under 300 MB | rows/s |',
    '|---:|---:|---:|---:|:--:|---:|',
    ...rss.map((r) => {
      const own = (['producer', 'consumer', 'kinesalite'] as const).map((role) => r.peakRssBytes[role] ?? 0);
      // kinesalite is the stream's storage, sized by what the stream holds; the limit is for the pipeline's own processes.
      return `| ${r.rows} rows | ${own.map((bytes) => `${mb(bytes)} MB`).join(' | ')} | ${own.slice(0, 2).every((bytes) => bytes < RSS_LIMIT) ? 'yes' : '**no**'} | ${(r.rows / r.seconds).toFixed(0)} |`;
    }),
    '',
    '| Kinesis, per 1M sales | records | payload MB | on-demand KiB billed | vs one per record | wasted by 1 KiB rounding | provisioned PUT units |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...billing.map(
      (b) =>
        `| ${b.label} | ${b.records} | ${mb(b.payloadBytes)} | ${b.onDemandKiB} | ${(b.onDemandKiB / (unpacked?.onDemandKiB ?? 1)).toFixed(3)} | ${(100 * (1 - b.payloadBytes / 1024 / b.onDemandKiB)).toFixed(0)}% | ${b.putPayloadUnits} |`,
    ),
    ...(tills
      ? [
          '',
          '| till API (local stack) | p50 | p95 | p99 | max |',
          '|---|---:|---:|---:|---:|',
          `| sale posted → row in warehouse, 200 sales/s for ${TILL_SECONDS} s (target p95 < 1000 ms) | ${tills.steady.saleToWarehouseMs.p50} ms | ${tills.steady.saleToWarehouseMs.p95} ms | ${tills.steady.saleToWarehouseMs.p99} ms | ${tills.steady.saleToWarehouseMs.max} ms |`,
          `| API round trip | ${tills.steady.apiLatencyMs.p50} ms | ${tills.steady.apiLatencyMs.p95} ms | ${tills.steady.apiLatencyMs.p99} ms | ${tills.steady.apiLatencyMs.max} ms |`,
          '',
          `Highest rate sustained with no errors: **${tills.maxSustainedRatePerSecond} sales/s** (steps: ${tills.steps.map((step) => `${step.targetRatePerSecond}/s ${step.sustained ? 'ok' : 'not sustained'}`).join(', ')}); ${tills.steady.missing} accepted sales missing from the warehouse.`,
        ]
      : []),
  ].join('\n');
  console.log(table);

  await writeFile(join(OUT, 'bench.md'), `# Benchmark (${new Date().toISOString()})\n\n${table}\n`);
  await writeFile(join(OUT, 'bench.json'), JSON.stringify({ parseOnly, copy, pipeline, warehouse, floor, budgetUs, rss, billing, tills }, null, 2));
  await writeFile(
    join(OUT, 'cpu-per-row.svg'),
    renderSvg({
      title: { text: 'CPU µs per row: the pipeline by process, the target\'s budget, the floor' },
      grid: { left: 200 },
      legend: { bottom: 0 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: ['whole pipeline', `budget at target (${cores} cores)`, 'floor (parse + warehouse)'] },
      series: [
        ...roles.map((role) => ({ type: 'bar' as const, stack: 'cpu', name: role, data: [Math.round(perRow(pipeline.cpuSeconds[role])), 0, 0] })),
        { type: 'bar' as const, stack: 'cpu', name: 'budget', data: [0, Math.round(budgetUs), 0] },
        { type: 'bar' as const, stack: 'cpu', name: 'csv-parse', data: [0, 0, Math.round(floor.csvParse)] },
        { type: 'bar' as const, stack: 'cpu', name: 'warehouse load', data: [0, 0, Math.round(floor.warehouseServer + floor.warehouseClient)] },
      ],
    }),
  );
  await writeFile(
    join(OUT, 'kinesis-billing.svg'),
    renderSvg({
      title: { text: 'Kinesis on-demand KiB billed per 1M sales' },
      grid: { left: 260 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: billing.map((b) => b.label) },
      series: [{ type: 'bar', data: billing.map((b) => b.onDemandKiB), label: { show: true, position: 'right' } }],
    }),
  );
  await writeFile(
    join(OUT, 'throughput.svg'),
    renderSvg({
      title: { text: 'Rows per second, same machine, same run' },
      grid: { left: 180 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: ['csv-parse alone', 'PostgreSQL COPY', 'whole pipeline'] },
      series: [{ type: 'bar', data: [rate(parseOnly), rate(copy), rate(pipeline)].map(Math.round), label: { show: true, position: 'right' } }],
    }),
  );
  await writeFile(
    join(OUT, 'peak-rss.svg'),
    renderSvg({
      title: { text: 'Peak RSS by process (MB) by file size' },
      legend: { bottom: 0 },
      xAxis: { type: 'category', data: rss.map((r) => `${r.rows.toLocaleString('en-GB')} rows`) },
      yAxis: { type: 'value', max: 400 },
      series: [
        ...(['producer', 'consumer', 'kinesalite'] as const).map((role) => ({
          type: 'bar' as const,
          name: role,
          data: rss.map((r) => Math.round((r.peakRssBytes[role] ?? 0) / 1024 / 1024)),
          label: { show: true, position: 'top' as const },
        })),
        { type: 'line', data: rss.map(() => 300), name: 'limit', lineStyle: { type: 'dashed', color: '#c00' }, symbol: 'none' },
      ],
    }),
  );
  log(`written to ${OUT}`);
}

await main();
