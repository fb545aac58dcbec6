import { loadCatalogue } from '../catalogue/sales-catalogue.js';
import { runTillSimulator, type SimulatedTill, type TillSimulatorReport } from './simulator.js';

/**
 * The till simulator as a child process (see fork-simulator.ts): the load
 * generator gets its own event loop, as real tills have their own machines, so
 * its work is not counted as the API's latency. Speaks over the IPC channel only.
 */

export interface ChildRequest {
  readonly baseUrl: string;
  readonly credentials: readonly SimulatedTill[];
  readonly ratePerSecond: number;
  readonly durationSeconds: number;
  readonly warmUpSeconds?: number;
  readonly catalogueDir: string;
  readonly seed?: number;
}

export type ChildMessage =
  | { readonly kind: 'accepted'; readonly sales: readonly (readonly [eventId: string, sentAt: number])[] }
  | { readonly kind: 'done'; readonly report: TillSimulatorReport }
  | { readonly kind: 'failed'; readonly message: string };

const send = (message: ChildMessage) => new Promise<void>((resolve) => process.send?.(message, () => resolve()));

async function run(request: ChildRequest): Promise<void> {
  const catalogue = await loadCatalogue(request.catalogueDir);
  let pending: [string, number][] = [];
  const flush = () => {
    if (pending.length === 0) return;
    void send({ kind: 'accepted', sales: pending });
    pending = [];
  };
  const timer = setInterval(flush, 250);
  try {
    const report = await runTillSimulator({
      ...request,
      catalogue,
      onPost: (post) => post.acceptedEventIds.forEach((eventId) => pending.push([eventId, post.sentAt])),
    });
    flush();
    await send({ kind: 'done', report });
  } finally {
    clearInterval(timer);
  }
}

if (process.send) {
  process.once('message', (request: ChildRequest) => {
    run(request)
      .catch((error: unknown) => send({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }))
      .finally(() => process.disconnect());
  });
}
