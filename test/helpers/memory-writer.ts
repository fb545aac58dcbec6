import type { SalesStreamEvent } from '../../contracts/index.js';
import type { EventWriter, WriteReceipt } from '../../producers/shared/ports.js';

/** An EventWriter that keeps what it is given, for producer unit tests. */
export function memoryWriter(): EventWriter & { events: SalesStreamEvent[] } {
  const events: SalesStreamEvent[] = [];
  return {
    events,
    async write(batch): Promise<WriteReceipt> {
      events.push(...batch);
      return new Map([['shard-0', BigInt(events.length)]]);
    },
  };
}
