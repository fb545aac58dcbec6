import { watch } from 'node:fs';
import { mkdir, readdir, rename, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SAMPLE_STANDARD_DIR, SAMPLE_VARIANTS_DIR } from '../../../../samples/paths.js';
import type { LocalStack } from '../../stack/embedded-stack.js';
import { filesToLoad } from '../../stack/files-to-load.js';
import { onStopSignal, openStack, type CliContext } from '../context.js';
import { CliError, ExitStatus } from '../exit-status.js';
import { ingestAndReport } from '../ingest-report.js';

export interface StartOptions {
  readonly sample: boolean;
  readonly port: string;
  readonly host: string;
}

/** How often the inbox is looked at for new files when no change was noticed (ms): the watch's fallback. */
const INBOX_POLL_MS = 1_000;
/** A file is taken once its size and modification time held this long (ms): one still being copied in waits. */
const INBOX_SETTLE_MS = 100;

const portInUse = (port: number, host: string) => new CliError(`port ${port} on ${host} is in use (Grafana's default is 3000 too): start with --port <another port>, e.g. --port 3001`);

/** Fails fast, before PostgreSQL and the stream start, when the HTTP port is taken. */
async function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? portInUse(port, host) : error));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/**
 * Resolves on the next change in `dir` (fs.watch), or after `ms` at the latest: a
 * file system whose changes are not reported is still looked at every `ms`.
 */
function changeWatcher(dir: string, signal: AbortSignal): { next(ms: number): Promise<void>; close(): void } {
  let wake: (() => void) | undefined;
  let changed = false;
  const poke = () => {
    changed = true;
    wake?.();
  };
  let watcher: ReturnType<typeof watch> | undefined;
  try {
    watcher = watch(dir, { signal }, poke);
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = undefined;
  }
  return {
    next: (ms) =>
      new Promise<void>((resolve) => {
        if (changed || signal.aborted) {
          changed = false;
          return resolve();
        }
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          wake = undefined;
          changed = false;
          resolve();
        };
        const timer = setTimeout(done, ms);
        wake = done;
        signal.addEventListener('abort', done, { once: true });
      }),
    close: () => watcher?.close(),
  };
}

/** The CSV files in `inbox` that are not still being written: size and modification time unchanged over the settle time. */
async function settledCsvFiles(inbox: string): Promise<string[]> {
  const files = (await readdir(inbox)).filter((name) => /\.csv$/i.test(name)).map((name) => join(inbox, name));
  if (files.length === 0) return [];
  const look = () => Promise.all(files.map((file) => stat(file).then((info) => `${info.size}:${info.mtimeMs}`, () => undefined)));
  const first = await look();
  await new Promise((resolve) => setTimeout(resolve, INBOX_SETTLE_MS));
  const second = await look();
  return files.filter((_file, index) => first[index] !== undefined && first[index] === second[index]);
}

/** Ingests files dropped into the inbox as soon as they are noticed, then moves them to `inbox/processed/`, until `signal` aborts. */
async function watchInbox(stack: LocalStack, inbox: string, signal: AbortSignal): Promise<void> {
  const processed = join(inbox, 'processed');
  await mkdir(processed, { recursive: true });
  const changes = changeWatcher(inbox, signal);
  console.log(`watching ${inbox} for CSV files (Ctrl-C to stop)`);
  try {
    while (!signal.aborted) {
      const files = await settledCsvFiles(inbox);
      if (files.length > 0) {
        await ingestAndReport(stack, files, signal).catch((error: unknown) => console.error(error instanceof Error ? error.message : error));
        if (signal.aborted) break;
        for (const file of files) await rename(file, join(processed, `${Date.now()}-${file.split('/').pop()}`)).catch(() => undefined);
        continue;
      }
      await changes.next(INBOX_POLL_MS);
    }
  } finally {
    changes.close();
  }
}

/**
 * `supercafe start` (`npm start`): the local stack, the sample data loaded, the
 * dashboard and till API served, the inbox watched, until Ctrl-C or SIGTERM, which
 * stop everything in order; stopping this way is how it ends, so it exits 0.
 */
export async function start(context: CliContext, options: StartOptions): Promise<ExitStatus> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new CliError(`--port must be a port number (got "${options.port}")`);
  await assertPortFree(port, options.host);
  const stop = new AbortController();
  onStopSignal(() => stop.abort());
  const stack = await openStack(context);
  try {
    const { serveLocal } = await import('../../stack/serve-local.js');
    const server = await serveLocal(stack, { port, host: options.host }).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'EADDRINUSE' ? portInUse(port, options.host) : error;
    });
    try {
      console.log(`Super Café local stack`);
      console.log(`  dashboard  ${server.url}/`);
      console.log(`  till API   ${server.url}/v1/sales, /v1/voids, /v1/refunds`);
      console.log(`  warehouse  ${stack.warehouse.url.replace(/:[^:@/]+@/, ':***@')}`);
      console.log(`  kinesis    ${stack.stream.endpoint} (stream ${stack.stream.streamName})`);
      console.log(`  inbox      ${context.dir.inbox}  (drop CSV files here)`);
      if (options.sample && !stop.signal.aborted) {
        // A warm data folder already holds the samples: only new or changed ones are read.
        const samples = await filesToLoad(stack.warehouse.pool, [SAMPLE_STANDARD_DIR, SAMPLE_VARIANTS_DIR]);
        if (samples.length === 0) console.log('sample data already loaded');
        else {
          await ingestAndReport(stack, samples, stop.signal).catch((error: unknown) => {
            if (!stop.signal.aborted) throw error;
          });
        }
      }
      await watchInbox(stack, context.dir.inbox, stop.signal);
    } finally {
      console.error('\nstopping…');
      await server.close().catch(() => undefined);
    }
  } finally {
    await stack.stop().catch((error: unknown) => console.error(`stopped, with an error: ${error instanceof Error ? error.message : String(error)}`));
  }
  return ExitStatus.Ok;
}
