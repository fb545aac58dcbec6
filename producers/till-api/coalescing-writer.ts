import type { SalesStreamEvent } from '../../contracts/index.js';
import type { EventWriter, WriteReceipt } from '../shared/ports.js';

export interface CoalescingWriterOptions {
  /** Stream writes in flight at once; requests arriving meanwhile wait and share the next write. */
  readonly maxInFlight?: number;
  /** Most events per shared write (one PutRecords call takes 500 records). */
  readonly maxEvents?: number;
}

interface Waiting {
  readonly events: readonly SalesStreamEvent[];
  resolve(receipt: WriteReceipt): void;
  reject(error: unknown): void;
}

/**
 * Group commit for the stream: while `maxInFlight` writes are out, the events of
 * newly arrived requests queue, and the next write carries all of them in one
 * PutRecords call. At low load a request is written at once; under load, calls
 * per second stay flat while sales per call grow, which is what lets one API
 * process outrun a per-request PutRecords (Kinesis and kinesalite alike charge
 * per call). Every request sharing a write learns that write's outcome: if it
 * fails, all of them get the error (and a 503), since none can be sure its own
 * entries landed; their retries are safe because event ids are deterministic.
 */
export function createCoalescingWriter(inner: EventWriter, options: CoalescingWriterOptions = {}): EventWriter {
  const maxInFlight = options.maxInFlight ?? 2;
  const maxEvents = options.maxEvents ?? 500;
  const queue: Waiting[] = [];
  let inFlight = 0;

  const pump = () => {
    while (inFlight < maxInFlight && queue.length > 0) {
      const group: Waiting[] = [];
      let count = 0;
      while (queue.length > 0 && (group.length === 0 || count + (queue[0]?.events.length ?? 0) <= maxEvents)) {
        const next = queue.shift();
        if (!next) break;
        group.push(next);
        count += next.events.length;
      }
      inFlight++;
      inner
        .write(group.flatMap((waiting) => waiting.events))
        .then(
          (receipt) => group.forEach((waiting) => waiting.resolve(receipt)),
          (error: unknown) => group.forEach((waiting) => waiting.reject(error)),
        )
        .finally(() => {
          inFlight--;
          pump();
        });
    }
  };

  return {
    write(events) {
      if (events.length === 0) return Promise.resolve(new Map());
      return new Promise<WriteReceipt>((resolve, reject) => {
        queue.push({ events, resolve, reject });
        pump();
      });
    },
  };
}
