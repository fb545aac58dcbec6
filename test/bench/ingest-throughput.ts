import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createFileObjectReader } from '../../producers/csv-ingest/adapters/file-object-reader.js';
import { ingestFile } from '../../producers/csv-ingest/ingest-file.js';
import type { EventWriter } from '../../producers/shared/ports.js';
import { SAMPLES_DIR } from '../../samples/paths.js';

/**
 * The producer alone (decode, sniff, frame, parse, map, validate, ids) over the
 * sample files, with a writer that drops events: rows per second, best of N
 * passes, and each file's account. A quick before/after check for csv-ingest
 * changes; `npm run bench` measures the whole pipeline.
 * Usage: npx tsx test/bench/ingest-throughput.ts [folder] [passes] [--accounts]
 */
// The repository's own samples unless told otherwise (the shared corpus, where it is here, is a folder to pass).
const root = process.argv[2] ?? SAMPLES_DIR;
const passes = Number(process.argv[3] ?? 5);
const showAccounts = process.argv.includes('--accounts');

function csvFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return csvFiles(path);
      return name.endsWith('.csv') ? [path] : [];
    });
}

const files = csvFiles(root);
const writer: EventWriter = { write: async () => new Map() };
const reader = createFileObjectReader(root);
let best = Infinity;
// CPU time is steadier than wall time on a shared machine: report both.
let bestCpu = Infinity;
let rows = 0;
const accounts: string[] = [];
for (let pass = 0; pass < passes; pass++) {
  rows = 0;
  const started = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  for (const path of files) {
    const file = relative(root, path);
    try {
      const summary = await ingestFile({ file, reader, writer, pepper: 'bench-pepper' });
      rows += summary.rowsRead;
      if (pass === 0) accounts.push(`${file}\t${summary.layout}\tread ${summary.rowsRead}\tpublished ${summary.eventsPublished}\trejected ${summary.rowsRejected}\tskipped ${summary.linesSkipped}`);
    } catch (error) {
      if (pass === 0) accounts.push(`${file}\trefused\t${(error as Error).message}`);
    }
  }
  best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e9);
  const cpu = process.cpuUsage(cpuStart);
  bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1e6);
}
if (showAccounts) console.log(accounts.join('\n'));
console.log(
  `${files.length} files, ${rows} rows, best of ${passes} passes: ${best.toFixed(3)} s wall (${Math.round(rows / best)} rows/s), ${bestCpu.toFixed(3)} s CPU (${Math.round(rows / bestCpu)} rows/CPU-s, ${((bestCpu / rows) * 1e6).toFixed(1)} µs/row)`,
);
