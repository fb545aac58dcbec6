/**
 * `npm run bench` (issue 18): every figure a ratio against a baseline measured in
 * the same run on the same machine, never a pass/fail time.
 *
 * 1. CPU per row of the whole pipeline against the floor (csv-parse plus
 *    PostgreSQL loading the same tables, the fold included), and the floor's own
 *    parts (its secondary indexes; PostgreSQL's raw COPY beside it).
 * 2. The profile's top functions per process (full run only; flame graphs).
 * 3. Seconds to the first sale (`ingest`, `start`, the inbox, `--help`), each beside `node -e ''`.
 * 4. Lambda GB-seconds per 1M sales for the ingest and consumer handlers (for `npm run capacity -- --bench`).
 * 5. Peak RSS of the ingest, consumer and kinesalite processes, 10 k to 2 M rows.
 * 6. Kinesis billing per 1M sales, packed and not. 7. The till API's latency.
 *
 * Writes test-output/bench/{bench.md,bench.json,*.svg}; a full run also writes the
 * README's results section and docs/bench/*.svg. `--quick` (about a minute or two)
 * is for development: smaller files, fewer runs, no profile, the README untouched.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { DEFAULT_INGEST_MEMORY_MB } from '../../infra/aws/constructs/ingest-function.js';
import { DEFAULT_TRANSFORM_MEMORY_MB } from '../../infra/aws/constructs/transform-function.js';
import { DEFAULT_RECORD_TARGET_BYTES } from '../../producers/shared/kinesis-event-writer.js';
import { loadCatalogue } from '../../tools/catalogue/branch-profiles.js';
import { gbSecondsFromCpu } from '../../tools/capacity/plan-inputs.js';
import { generateLargeFile } from '../../tools/generator/generate-sales.js';
import { standardFiles } from '../helpers/independent-stats.js';
import { CORPUS_REAL, SAMPLE_REAL, startTestStack } from '../helpers/local-stack.js';
import { renderSvg } from './bench-chart.js';
import { cpuPerRowChart } from './cpu-per-row-chart.js';
import { formatRatio, measureCpuPerRow, PIPELINE_ROLES, type CpuPerRow } from './cpu-per-row.js';
import { measureFirstSale, type FirstSaleTimes } from './first-sale.js';
import { kinesisBilling } from './kinesis-billing.js';
import { runMeasuringPeakRss } from './measure-rss.js';
import type { ProcessRole } from './process-cpu.js';
import { profileMarkdown, profilePipeline, type PipelineProfile } from './profile/profile-pipeline.js';
import { replaceBenchSection } from './readme-section.js';
import { runLatencyBench } from './till-latency.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const options = new Command('bench')
  .description('Benchmarks of the local pipeline, each a ratio against a baseline of the same run')
  .option('--quick', 'a development run of a minute or two: small files, fewer runs, no profile; the README is left alone')
  .option('--no-readme', 'leave README.md and docs/bench/ alone after a full run')
  .parse()
  .opts<{ quick?: boolean; readme: boolean }>();
const quick = options.quick === true;

const OUT = resolve('test-output', 'bench');
const DOCS = resolve('docs', 'bench');
const RSS_ROWS = (process.env.BENCH_RSS_ROWS ?? (quick ? '10000,100000' : '10000,100000,2000000')).split(',').map(Number);
/** Seconds of steady till load (0 skips the till latency bench). */
// 30 s at 200 sales/s is 6,000 sales: p95 and p99 are steady by then, and the bench keeps inside its 10 minutes on a slow machine.
const TILL_SECONDS = Number(process.env.BENCH_TILL_SECONDS ?? (quick ? '10' : '30'));
const RSS_LIMIT = 300 * 1024 * 1024;
const TARGETS = { ratio: 1.8, ingestSeconds: 1.5, startSeconds: 3, inboxP95Seconds: 2, helpSeconds: 0.3, benchMinutes: 10 } as const;
// The quick run reads the sample files only; a full run adds the shared corpus when it is there.
const files = standardFiles(SAMPLE_REAL, ...(CORPUS_REAL && !quick ? [CORPUS_REAL] : []));
const benchStarted = performance.now();
const steps = (quick ? 5 : 6) - (TILL_SECONDS > 0 ? 0 : 1);
let step = 0;
const log = (line: string) => console.error(`bench [${((performance.now() - benchStarted) / 1000).toFixed(0)} s]: ${line}`);
const begin = (what: string) => log(`(${++step}/${steps}) ${what}`);

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
const s = (seconds: number) => `${seconds.toFixed(2)} s`;
const meets = (ok: boolean) => (ok ? 'yes' : '**no**');

/** Lambda compute per 1M sales, from CPU per row, at each function's configured memory. */
function lambdaPerMillionSales(cpu: CpuPerRow) {
  // CPU µs per row × 1M rows = CPU seconds per 1M rows (a row is a sale, give or take the rejected ones).
  const at = (cpuSeconds: number, memoryMb: number) => ({ cpuSeconds: Math.round(cpuSeconds), memoryMb, gbSeconds: Math.round(gbSecondsFromCpu(cpuSeconds, memoryMb)) });
  return { measuredAt: new Date().toISOString(), ingest: at(cpu.pipelineUs.producer, DEFAULT_INGEST_MEMORY_MB), consumer: at(cpu.pipelineUs.consumer, DEFAULT_TRANSFORM_MEMORY_MB) };
}

function cpuSection(cpu: CpuPerRow, cores: number): string {
  const us = (value: number) => value.toFixed(0);
  const stages = cpu.producerStages;
  return [
    `**${formatRatio(cpu.ratio)}** (target ≤ ${TARGETS.ratio}×): ${us(cpu.pipelineUs.total)} µs of CPU per row for the whole pipeline against a floor of ${us(cpu.floorUs.total)} µs; ${cpu.rows} rows of ${cpu.files} files, ${cpu.pipelineRowsPerSecond.toFixed(0)} rows/s on ${cores} cores; each part the cheapest of ${cpu.rounds} interleaved rounds (the rounds' own ratios: ${cpu.roundRatios.map((ratio) => `${ratio.toFixed(2)}×`).join(', ')}).`,
    '',
    '| CPU per row | µs/row |',
    '|---|---:|',
    ...PIPELINE_ROLES.map((role) => `| ${role} process${role === 'postgres' ? 'es' : ''} | ${us(cpu.pipelineUs[role])} |`),
    `| **whole pipeline** | **${us(cpu.pipelineUs.total)}** |`,
    `| floor: csv-parse alone | ${us(cpu.floorUs.csvParse)} |`,
    `| floor: PostgreSQL loading the same tables through the consumer's sink (server) | ${us(cpu.floorUs.warehouseServer)} |`,
    `| floor: the sink's client side | ${us(cpu.floorUs.warehouseClient)} |`,
    `| **floor** | **${us(cpu.floorUs.total)}** |`,
    `| the floor's load without its ${cpu.floorWithoutIndexesUs.indexes.length} secondary indexes (server + client) | ${us(cpu.floorWithoutIndexesUs.warehouseServer)} + ${us(cpu.floorWithoutIndexesUs.warehouseClient)} |`,
    `| PostgreSQL's raw COPY of the CSV text into one untyped staging table (server) | ${us(cpu.copyServerUs)} |`,
    `| essential work, each step alone: the producer's contract check, content key (HMAC), JSON and gzip | ${us(cpu.essential.producerUs.total)} |`,
    `| essential work: the consumer's gunzip, JSON and contract check, customer key (HMAC), match key | ${us(cpu.essential.consumerUs.total)} |`,
    `| **floor + essential work + kinesalite: the least the guarantees allow** | **${us(cpu.leastUs)} (${cpu.leastRatio.toFixed(2)}×)** |`,
    `| the pipeline's own overhead above that (SDK and HTTP, streams, framing, records, archive, their garbage) | ${us(cpu.pipelineUs.total - cpu.leastUs)} |`,
    `| the producer alone, by stage: read, frame, parse, contract check, ids (events dropped) | ${us(stages.framedUs)} |`,
    `| … and packing them into records (JSON, gzip) | +${us(stages.packedUs - stages.framedUs)} |`,
    `| … and PutRecords through the SDK and HTTP (${stages.putRecordsCalls} calls, ${((stages.sentUs - stages.packedUs) * stages.rows / stages.putRecordsCalls / 1000).toFixed(1)} ms of CPU each) | +${us(stages.sentUs - stages.packedUs)} |`,
  ].join('\n');
}

function firstSaleSection(times: FirstSaleTimes): string {
  const row = (what: string, seconds: number, target: number) => `| ${what} | ${s(seconds)} | ${(seconds / times.nodeSeconds).toFixed(0)}× | ≤ ${target} s | ${meets(seconds <= target)} |`;
  return [
    `| seconds to the first sale (wall clock, median of runs) | seconds | × \`node -e ''\` (${s(times.nodeSeconds)}) | target | met |`,
    '|---|---:|---:|---:|:--:|',
    row('`supercafe ingest` of one 382-row file, warm data folder', times.ingestSeconds, TARGETS.ingestSeconds),
    row('`npm start` on a warm folder, until it watches its inbox', times.startReadySeconds, TARGETS.startSeconds),
    row(`a file dropped into the running stack's inbox, until loaded: p95 of ${times.inboxDrops} (p50 ${s(times.inboxSeconds.p50)}, max ${s(times.inboxSeconds.max)})`, times.inboxSeconds.p95, TARGETS.inboxP95Seconds),
    row('`supercafe --help`', times.helpSeconds, TARGETS.helpSeconds),
  ].join('\n');
}

function lambdaSection(lambda: ReturnType<typeof lambdaPerMillionSales>): string {
  return [
    '| Lambda compute per 1M sales (handler CPU, one vCPU per 1,769 MB) | CPU s | memory | GB-s |',
    '|---|---:|---:|---:|',
    `| ingest (csv-ingest) | ${lambda.ingest.cpuSeconds} | ${lambda.ingest.memoryMb} MB | ${lambda.ingest.gbSeconds} |`,
    `| consumer (sales-transform) | ${lambda.consumer.cpuSeconds} | ${lambda.consumer.memoryMb} MB | ${lambda.consumer.gbSeconds} |`,
    '',
    '`npm run capacity -- --bench test-output/bench/bench.json` prices these in its Lambda line.',
  ].join('\n');
}

type RssRun = { rows: number; peakRssBytes: Partial<Record<ProcessRole, number>>; seconds: number };
const RSS_ROLES = ['producer', 'consumer', 'kinesalite'] as const;

function rssSection(rss: readonly RssRun[]): string {
  return [
    '| generated file | peak RSS: ingest process | consumer process | kinesalite | all three ≤ 300 MB | rows/s |',
    '|---:|---:|---:|---:|:--:|---:|',
    ...rss.map((r) => {
      const peaks = RSS_ROLES.map((role) => r.peakRssBytes[role] ?? 0);
      return `| ${r.rows.toLocaleString('en-GB')} rows | ${peaks.map((bytes) => `${mb(bytes)} MB`).join(' | ')} | ${meets(peaks.every((bytes) => bytes <= RSS_LIMIT))} | ${(r.rows / r.seconds).toFixed(0)} |`;
    }),
  ].join('\n');
}

async function measureRss(): Promise<RssRun[]> {
  const catalogue = loadCatalogue([SAMPLE_REAL]);
  const rss: RssRun[] = [];
  for (const rows of RSS_ROWS) {
    const dir = await mkdtemp(join(tmpdir(), 'supercafe-bench-'));
    try {
      const path = join(dir, `generated-${rows}.csv`);
      await generateLargeFile({ catalogue, rows, path });
      log(`  ${rows.toLocaleString('en-GB')} rows…`);
      const measured = await runMeasuringPeakRss(process.execPath, ['bin/supercafe.js', '--data-dir', join(dir, 'state'), 'ingest', path], { ...process.env, DATABASE_URL: '', KINESIS_ENDPOINT: '' });
      if (measured.exitCode !== 0) throw new Error(`ingest of ${rows} rows exited ${measured.exitCode}`);
      rss.push({ rows, peakRssBytes: measured.peakRssBytes, seconds: measured.seconds });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return rss;
}

async function measureBilling() {
  const dir = await mkdtemp(join(tmpdir(), 'supercafe-billing-'));
  try {
    await generateLargeFile({ catalogue: loadCatalogue([SAMPLE_REAL]), rows: 20_000, path: join(dir, 'billing.csv') });
    return await kinesisBilling(await readFile(join(dir, 'billing.csv'), 'utf8'), [
      { label: 'one event per record', bytes: 0 },
      { label: 'packed ≤ 1 KiB, gzip', bytes: 1024 },
      { label: `packed ≤ ${DEFAULT_RECORD_TARGET_BYTES / 1024} KiB, gzip (default)`, bytes: DEFAULT_RECORD_TARGET_BYTES },
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function billingSection(billing: Awaited<ReturnType<typeof measureBilling>>): string {
  const unpacked = billing[0];
  return [
    '| Kinesis, per 1M sales | records | payload MB | on-demand KiB billed | vs one per record | wasted by 1 KiB rounding | provisioned PUT units |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...billing.map(
      (b) =>
        `| ${b.label} | ${b.records} | ${mb(b.payloadBytes)} | ${b.onDemandKiB} | ${(b.onDemandKiB / (unpacked?.onDemandKiB ?? 1)).toFixed(3)} | ${(100 * (1 - b.payloadBytes / 1024 / b.onDemandKiB)).toFixed(0)}% | ${b.putPayloadUnits} |`,
    ),
  ].join('\n');
}

function tillSection(tills: Awaited<ReturnType<typeof runLatencyBench>>): string {
  const ms = (p: { p50: number; p95: number; p99: number; max: number }) => `${p.p50} ms | ${p.p95} ms | ${p.p99} ms | ${p.max} ms`;
  return [
    '| till API (local stack) | p50 | p95 | p99 | max |',
    '|---|---:|---:|---:|---:|',
    `| sale posted → row in warehouse, 200 sales/s for ${TILL_SECONDS} s (target p95 < 1000 ms) | ${ms(tills.steady.saleToWarehouseMs)} |`,
    `| API round trip | ${ms(tills.steady.apiLatencyMs)} |`,
    '',
    `Highest rate sustained with no errors: **${tills.maxSustainedRatePerSecond} sales/s** (steps: ${tills.steps.map((one) => `${one.targetRatePerSecond}/s ${one.sustained ? 'ok' : 'not sustained'}`).join(', ')}); ${tills.steady.missing} accepted sales missing from the warehouse.`,
  ].join('\n');
}

function charts(cpu: CpuPerRow, rss: readonly RssRun[], billing: Awaited<ReturnType<typeof measureBilling>>, first: FirstSaleTimes): Record<string, string> {
  return {
    'cpu-per-row.svg': cpuPerRowChart(cpu, TARGETS.ratio),
    'first-sale.svg': renderSvg({
      title: { text: `Seconds to the first sale (node -e '' takes ${first.nodeSeconds.toFixed(2)} s)` },
      grid: { left: 220 },
      legend: { bottom: 0 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: ['supercafe --help', 'inbox drop → loaded (p95)', 'npm start → ready', 'supercafe ingest (382 rows)'] },
      series: [
        { type: 'bar', name: 'measured', data: [first.helpSeconds, first.inboxSeconds.p95, first.startReadySeconds, first.ingestSeconds].map((v) => Number(v.toFixed(2))), label: { show: true, position: 'right' } },
        { type: 'bar', name: 'target', data: [TARGETS.helpSeconds, TARGETS.inboxP95Seconds, TARGETS.startSeconds, TARGETS.ingestSeconds] },
      ],
    }),
    'kinesis-billing.svg': renderSvg({
      title: { text: 'Kinesis on-demand KiB billed per 1M sales' },
      grid: { left: 260 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: billing.map((b) => b.label) },
      series: [{ type: 'bar', data: billing.map((b) => b.onDemandKiB), label: { show: true, position: 'right' } }],
    }),
    'peak-rss.svg': renderSvg({
      title: { text: 'Peak RSS by process (MB) by file size' },
      legend: { bottom: 0 },
      xAxis: { type: 'category', data: rss.map((r) => `${r.rows.toLocaleString('en-GB')} rows`) },
      yAxis: { type: 'value', max: 400 },
      series: [
        ...RSS_ROLES.map((role) => ({ type: 'bar' as const, name: role, data: rss.map((r) => Math.round((r.peakRssBytes[role] ?? 0) / 1024 / 1024)), label: { show: true, position: 'top' as const } })),
        { type: 'line', data: rss.map(() => 300), name: 'limit', lineStyle: { type: 'dashed', color: '#c00' }, symbol: 'none' },
      ],
    }),
  };
}

async function main() {
  await mkdir(OUT, { recursive: true });
  const cores = availableParallelism();

  begin(`CPU per row: the floor and the whole pipeline in interleaved rounds, over ${files.length} sample files…`);
  const test = await startTestStack();
  let cpu: CpuPerRow;
  let tills: Awaited<ReturnType<typeof runLatencyBench>> | undefined;
  try {
    cpu = await measureCpuPerRow(test, files, { rounds: quick ? 1 : 3, log });
    log(formatRatio(cpu.ratio));
    // On the same stack, warm already: one start-up fewer (its tables are emptied by each pipeline run, not after).
    if (TILL_SECONDS > 0) {
      begin(`till API: 200 sales/s for ${TILL_SECONDS} s, then stepping up…`);
      tills = await runLatencyBench({ stack: test.stack, ratePerSecond: 200, durationSeconds: TILL_SECONDS, log, ...(quick ? { stepRates: [400, 800], stepSeconds: 5 } : {}) });
    }
  } finally {
    await test.stop();
  }

  let profiles: PipelineProfile[] = [];
  if (!quick) {
    begin('profiles of the producer, consumer and kinesalite processes…');
    // Every other file: the shares of a profile need no more, and the profiled run is the slowest of the bench's.
    profiles = await profilePipeline(files.filter((_, index) => index % 2 === 0), OUT, 8);
  }

  begin('seconds to the first sale…');
  const first = await measureFirstSale(await mkdtemp(join(tmpdir(), 'supercafe-first-sale-')), { runs: quick ? 1 : 3, drops: quick ? 5 : 20, log });
  const lambda = lambdaPerMillionSales(cpu);

  begin(`peak RSS of \`supercafe ingest\` on generated files of ${RSS_ROWS.map((rows) => rows.toLocaleString('en-GB')).join(', ')} rows…`);
  const rss = await measureRss();

  begin('Kinesis billing per 1M sales, one event per record vs packed…');
  const billing = await measureBilling();


  const benchMinutes = (performance.now() - benchStarted) / 60_000;
  const results = [
    `Run of ${new Date().toISOString().slice(0, 10)}, ${cores} cores, ${quick ? '`--quick`' : 'full'}: ${benchMinutes.toFixed(1)} minutes${quick ? '' : ` (target ≤ ${TARGETS.benchMinutes})`}.`,
    '',
    cpuSection(cpu, cores),
    ...(profiles.length > 0 ? ['', 'Where the CPU goes (top functions by self time, from `--cpu-prof`; flame graphs in `test-output/bench/flame-*.svg`):', '', profileMarkdown(profiles, 5)] : []),
    '',
    firstSaleSection(first),
    '',
    lambdaSection(lambda),
    '',
    rssSection(rss),
    '',
    billingSection(billing),
    ...(tills ? ['', tillSection(tills)] : []),
    '',
    '![CPU µs per row by process, against the floor and the least the guarantees allow](docs/bench/cpu-per-row.svg) ![Seconds to the first sale](docs/bench/first-sale.svg) ![Peak RSS by process and file size](docs/bench/peak-rss.svg) ![Kinesis KiB billed per 1M sales](docs/bench/kinesis-billing.svg)',
  ].join('\n');
  console.log(results);

  await writeFile(join(OUT, 'bench.md'), `# Benchmark (${new Date().toISOString()})\n\n${results}\n`);
  await writeFile(join(OUT, 'bench.json'), JSON.stringify({ quick, cores, benchMinutes, cpuPerRow: cpu, profiles, firstSale: first, lambdaPerMillionSales: lambda, rss, billing, tills }, null, 2));
  const svgs = charts(cpu, rss, billing, first);
  for (const [name, svg] of Object.entries(svgs)) await writeFile(join(OUT, name), svg);
  if (!quick && options.readme) {
    await mkdir(DOCS, { recursive: true });
    for (const name of Object.keys(svgs)) await copyFile(join(OUT, name), join(DOCS, name));
    await writeFile('README.md', replaceBenchSection(await readFile('README.md', 'utf8'), results));
    log('README.md results section and docs/bench/*.svg written');
  }
  log(`done in ${benchMinutes.toFixed(1)} minutes; written to ${OUT}`);
}

await main();
