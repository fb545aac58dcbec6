import Fastify from 'fastify';
import { createJsonLogger } from '../../../common/logging/structured-logger.js';
import { ServiceName } from '../../../contracts/index.js';
import { dashboardViewer } from '../../../grafana/viewer/plugin.js';
import { createKinesisEventWriter } from '../../../producers/shared/kinesis-event-writer.js';
import { tillApi } from '../../../producers/till-api/app.js';
import { createPostgresCredentialStore, withCredentialCache } from '../../../producers/till-api/credentials/credentials.js';
import { createPostgresIdempotencyStore } from '../../../producers/till-api/idempotency/adapters/postgres-idempotency-store.js';
import type { LocalStack } from './embedded-stack.js';

export interface LocalServer {
  readonly url: string;
  close(): Promise<void>;
}

/** The local HTTP front: the dashboard and the till API on one port. */
export async function serveLocal(stack: LocalStack, options: { port: number; host: string }): Promise<LocalServer> {
  const app = Fastify({ logger: false });
  // The viewer's empty-warehouse advice names the inbox this stack watches.
  await app.register(dashboardViewer, { pool: stack.warehouse.pool, inbox: stack.dataDir.inbox });
  await app.register(tillApi, {
    // Few, short retries: a till would rather get a quick 503 and retry than hang.
    writer: createKinesisEventWriter({ client: stack.stream.client, streamName: stack.stream.streamName, maxAttempts: 3, maxDelayMs: 300 }),
    credentials: withCredentialCache(createPostgresCredentialStore(stack.warehouse.pool), { ttlMs: 5_000 }),
    idempotency: createPostgresIdempotencyStore(stack.warehouse.pool),
    recordMetric: (name, value) => stack.metrics.record(name, value),
    logger: createJsonLogger({ service: ServiceName.TillApi, write: (line) => console.error(line) }),
  });
  app.get('/health', async () => {
    await stack.warehouse.pool.query('SELECT 1');
    return { status: 'ok' };
  });
  await app.listen({ port: options.port, host: options.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { url: `http://${options.host}:${port}`, close: () => app.close() };
}
