import Fastify from 'fastify';
import { dashboardViewer } from '../../grafana/viewer/plugin.js';
import type { LocalStack } from './embedded-stack.js';

export interface LocalServer {
  readonly url: string;
  close(): Promise<void>;
}

/** The local HTTP front: the dashboard and the till API on one port. */
export async function serveLocal(stack: LocalStack, options: { port: number; host: string }): Promise<LocalServer> {
  const app = Fastify({ logger: false });
  await app.register(dashboardViewer, { pool: stack.warehouse.pool });
  app.get('/health', async () => {
    await stack.warehouse.pool.query('SELECT 1');
    return { status: 'ok' };
  });
  await app.listen({ port: options.port, host: options.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { url: `http://${options.host}:${port}`, close: () => app.close() };
}
