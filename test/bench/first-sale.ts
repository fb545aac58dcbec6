import { spawn } from 'node:child_process';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { loadCatalogue } from '../../tools/catalogue/branch-profiles.js';
import { generateLargeFile } from '../../tools/generator/generate-sales.js';
import { SAMPLE_REAL } from '../helpers/local-stack.js';

/**
 * Issue 18 target 2, seconds to the first sale, each beside `node -e ''` timed in
 * the same run: `supercafe ingest` of one 382-row file on a warm data folder
 * (target 1.5 s), `npm start` on a warm folder until it watches its inbox (3 s), a
 * file dropped into the running stack's inbox until its account is in the warehouse
 * (2 s at p95), and `supercafe --help` (0.3 s). Wall clock, from spawning the
 * process; each the median of its runs.
 */

const CLI = resolve('bin', 'supercafe.js');
/** The standard 382-row sample file. */
export const FIRST_SALE_FILE = join(SAMPLE_REAL, 'leeds_2021-08-27.csv');

export interface FirstSaleTimes {
  /** `node -e ''`: what starting Node costs on this machine now. */
  readonly nodeSeconds: number;
  readonly helpSeconds: number;
  readonly ingestSeconds: number;
  readonly startReadySeconds: number;
  readonly inboxDrops: number;
  readonly inboxSeconds: { readonly p50: number; readonly p95: number; readonly max: number };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] as number;
};
const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};

/** Runs a command to its end; its wall-clock seconds. */
async function timed(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const started = performance.now();
  const code = await new Promise<number | null>((done) => spawn(command, args, { env, stdio: 'ignore' }).once('exit', done));
  if (code !== 0) throw new Error(`${[command, ...args].join(' ')} exited ${code}`);
  return (performance.now() - started) / 1000;
}

async function medianOf(runs: number, once: () => Promise<number>): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) times.push(await once());
  return median(times);
}

/** The data folder's environment: its own embedded PostgreSQL, whatever the caller's DATABASE_URL says. */
const envFor = () => ({ ...process.env, DATABASE_URL: '', KINESIS_ENDPOINT: '' });

/** `supercafe start` on `dataDir` until it prints that it watches the inbox; the running child and when it was ready. */
async function startStack(dataDir: string) {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, 'start', '--port', '0'], { env: envFor(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const readySeconds = await new Promise<number>((ready, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('watching ')) ready((performance.now() - started) / 1000);
    });
    child.stderr.on('data', () => undefined);
    child.once('exit', (code) => fail(new Error(`supercafe start exited ${code} before it was ready: ${output.slice(-500)}`)));
  });
  const stop = async () => {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGINT');
    await exited;
  };
  return { readySeconds, stop };
}

/**
 * Measures every figure of target 2 in `workDir` (removed after). `drops` files are
 * dropped into the running stack's inbox one after another, each a new 382-row file.
 */
export async function measureFirstSale(workDir: string, options: { runs?: number; drops?: number; log?: (line: string) => void } = {}): Promise<FirstSaleTimes> {
  const runs = options.runs ?? 3;
  const drops = options.drops ?? 20;
  const log = options.log ?? (() => undefined);
  const dataDir = join(workDir, 'data');
  await mkdir(workDir, { recursive: true });
  try {
    const nodeSeconds = await medianOf(runs, () => timed(process.execPath, ['-e', '']));
    const helpSeconds = await medianOf(runs, () => timed(process.execPath, [CLI, '--help']));
    log('  supercafe ingest of one 382-row file, warm data folder…');
    // The first run makes the folder warm: PostgreSQL initialised, the code bundled.
    await timed(process.execPath, [CLI, '--data-dir', dataDir, 'ingest', FIRST_SALE_FILE], envFor());
    const ingestSeconds = await medianOf(runs, () => timed(process.execPath, [CLI, '--data-dir', dataDir, 'ingest', FIRST_SALE_FILE], envFor()));

    log('  npm start on the warm folder, then files dropped into its inbox…');
    // A first start loads the sample data; the ones measured find it there.
    await (await startStack(dataDir)).stop();
    const startTimes: number[] = [];
    for (let run = 0; run < runs - 1; run++) {
      const stack = await startStack(dataDir);
      startTimes.push(stack.readySeconds);
      await stack.stop();
    }
    const stack = await startStack(dataDir);
    startTimes.push(stack.readySeconds);
    const inboxSeconds: number[] = [];
    try {
      const { databaseUrl } = JSON.parse(await readFile(join(dataDir, 'stack.json'), 'utf8')) as { databaseUrl: string };
      const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
      const catalogue = loadCatalogue([SAMPLE_REAL]);
      const inbox = join(dataDir, 'inbox');
      try {
        for (let drop = 0; drop < drops; drop++) {
          const name = `drop-${drop}-${Date.now()}.csv`;
          const staged = join(workDir, name);
          await generateLargeFile({ catalogue, rows: 382, path: staged, seed: 1_000 + drop, startDate: `2025-0${1 + (drop % 9)}-1${drop % 10}` });
          const started = performance.now();
          // A rename is how a finished file appears at once (as a copy that is still being written does not).
          await rename(staged, join(inbox, name));
          for (;;) {
            const { rowCount } = await pool.query("SELECT 1 FROM ingest_files WHERE file LIKE $1 AND status = 'loaded'", [`%${name}`]);
            if (rowCount) break;
            if (performance.now() - started > 60_000) throw new Error(`${name} was not loaded within 60 s`);
            await new Promise((done) => setTimeout(done, 10));
          }
          inboxSeconds.push((performance.now() - started) / 1000);
        }
      } finally {
        await pool.end();
      }
    } finally {
      await stack.stop();
    }
    return {
      nodeSeconds,
      helpSeconds,
      ingestSeconds,
      startReadySeconds: median(startTimes),
      inboxDrops: inboxSeconds.length,
      inboxSeconds: { p50: percentile(inboxSeconds, 50), p95: percentile(inboxSeconds, 95), max: Math.max(...inboxSeconds) },
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

