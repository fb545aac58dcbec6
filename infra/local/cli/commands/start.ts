import { mkdir, readdir, rename } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SAMPLE_STANDARD_DIR, SAMPLE_VARIANTS_DIR } from '../../../../samples/paths.js';
import type { LocalStack } from '../../stack/embedded-stack.js';
import { onStopSignal, openStack, type CliContext } from '../context.js';
import { CliError, ExitStatus } from '../exit-status.js';
import { ingestAndReport } from '../ingest-report.js';

export interface StartOptions {
  readonly sample: boolean;
  readonly port: string;
  readonly host: string;
}

/** How often the inbox is looked at for new files (ms). */
const INBOX_POLL_MS = 1_000;

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

/** Ingests files dropped into the inbox, then moves them to `inbox/processed/`, until `signal` aborts. */
async function watchInbox(stack: LocalStack, inbox: string, signal: AbortSignal): Promise<void> {
  const processed = join(inbox, 'processed');
  await mkdir(processed, { recursive: true });
  console.log(`watching ${inbox} for CSV files (Ctrl-C to stop)`);
  while (!signal.aborted) {
    const files = (await readdir(inbox)).filter((name) => /\.csv$/i.test(name)).map((name) => join(inbox, name));
    if (files.length > 0) {
      await ingestAndReport(stack, files, signal).catch((error: unknown) => console.error(error instanceof Error ? error.message : error));
      if (signal.aborted) break;
      for (const file of files) await rename(file, join(processed, `${Date.now()}-${file.split('/').pop()}`)).catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, INBOX_POLL_MS));
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
        await ingestAndReport(stack, [SAMPLE_STANDARD_DIR, SAMPLE_VARIANTS_DIR], stop.signal).catch((error: unknown) => {
          if (!stop.signal.aborted) throw error;
        });
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
