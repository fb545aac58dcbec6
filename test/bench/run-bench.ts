/**
 * `npm run bench`: throughput and memory of the local pipeline, each figure given as
 * a ratio against a baseline measured in the same run on the same machine, never
 * as an absolute pass/fail time. Writes test-output/bench/{bench.md,bench.json,*.svg}.
 */
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse';
import { generateLargeFile } from '../../infra/local/generate-sales.js';
import { ingestPaths } from '../../infra/local/ingest-paths.js';
import { loadCatalogue } from '../../infra/local/sales-catalogue.js';
import { standardFiles } from '../helpers/independent-stats.js';
import { CORPUS_REAL, SAMPLE_REAL, startTestStack } from '../helpers/local-stack.js';
import { renderSvg } from './bench-chart.js';
import { runMeasuringPeakRss } from './measure-rss.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const OUT = resolve('test-output', 'bench');
const RSS_ROWS = (process.env.BENCH_RSS_ROWS ?? '10000,100000,1000000').split(',').map(Number);
const RSS_LIMIT = 300 * 1024 * 1024;
const files = standardFiles(SAMPLE_REAL, CORPUS_REAL);
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
  let rows = 0;
  for (const file of files) {
    for await (const _record of createReadStream(file).pipe(parse({ relax_column_count: true, trim: true, bom: true, info: true }))) rows++;
  }
  return { rows, seconds: (performance.now() - started) / 1000 };
}

async function main() {
  await mkdir(OUT, { recursive: true });
  log(`csv-parse alone over ${files.length} sample files…`);
  const parseOnly = await best(3, csvParseAlone);

  log('whole pipeline (kinesalite + consumer + PostgreSQL) over the same files…');
  const test = await startTestStack();
  let copy: { rows: number; seconds: number };
  let pipeline: { rows: number; seconds: number };
  try {
    // Baseline 2: PostgreSQL's own COPY of the same rows into the same server.
    const pool = test.stack.warehouse.pool;
    await pool.query('CREATE TABLE bench_copy (sold text, branch text, customer text, basket text, total text, payment text, card text)');
    const copyStarted = performance.now();
    for (const file of files) await pool.query(`COPY bench_copy FROM '${file.replace(/'/g, "''")}' WITH (FORMAT csv)`);
    const copied = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_copy');
    copy = { rows: copied.rows[0]?.n ?? 0, seconds: (performance.now() - copyStarted) / 1000 };
    await pool.query('DROP TABLE bench_copy');

    const started = performance.now();
    const run = await ingestPaths(test.stack, files);
    await test.stack.waitFor(run.receipt);
    pipeline = { rows: run.summaries.reduce((sum, s) => sum + s.rowsRead, 0), seconds: (performance.now() - started) / 1000 };
  } finally {
    await test.stop();
  }

  const rate = (r: { rows: number; seconds: number }) => r.rows / r.seconds;
  const slowerBaseline = Math.min(rate(parseOnly), rate(copy));
  log('peak RSS of `supercafe ingest` on generated files…');
  const catalogue = loadCatalogue([SAMPLE_REAL]);
  const rss: { rows: number; peakRssBytes: number; seconds: number }[] = [];
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

  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
  const table = [
    '| measure | rows | rows/s | ratio |',
    '|---|---:|---:|---:|',
    `| csv-parse alone (baseline) | ${parseOnly.rows} | ${rate(parseOnly).toFixed(0)} | 1.00 |`,
    `| PostgreSQL COPY (baseline) | ${copy.rows} | ${rate(copy).toFixed(0)} | ${(rate(copy) / rate(parseOnly)).toFixed(2)} |`,
    `| whole local pipeline | ${pipeline.rows} | ${rate(pipeline).toFixed(0)} | ${(rate(pipeline) / rate(parseOnly)).toFixed(2)} of csv-parse, ${(rate(pipeline) / rate(copy)).toFixed(2)} of COPY, **${(rate(pipeline) / slowerBaseline).toFixed(2)} of the slower baseline** (target ≥ 0.50) |`,
    '',
    '| generated file | peak RSS of `supercafe ingest` | vs smallest | under 300 MB | rows/s |',
    '|---:|---:|---:|:--:|---:|',
    ...rss.map((r) => `| ${r.rows} rows | ${mb(r.peakRssBytes)} MB | ${(r.peakRssBytes / (rss[0]?.peakRssBytes ?? 1)).toFixed(2)} | ${r.peakRssBytes < RSS_LIMIT ? 'yes' : '**no**'} | ${(r.rows / r.seconds).toFixed(0)} |`),
  ].join('\n');
  console.log(table);

  await writeFile(join(OUT, 'bench.md'), `# Benchmark (${new Date().toISOString()})\n\n${table}\n`);
  await writeFile(join(OUT, 'bench.json'), JSON.stringify({ parseOnly, copy, pipeline, rss }, null, 2));
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
      title: { text: 'Peak RSS of supercafe ingest (MB) by file size' },
      xAxis: { type: 'category', data: rss.map((r) => `${r.rows.toLocaleString('en-GB')} rows`) },
      yAxis: { type: 'value', max: 400 },
      series: [
        { type: 'bar', data: rss.map((r) => Math.round(r.peakRssBytes / 1024 / 1024)), label: { show: true, position: 'top' } },
        { type: 'line', data: rss.map(() => 300), name: 'limit', lineStyle: { type: 'dashed', color: '#c00' }, symbol: 'none' },
      ],
    }),
  );
  log(`written to ${OUT}`);
}

await main();
