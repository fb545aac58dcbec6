import type { ProjectionBatch, SaleSink } from './ports.js';

/**
 * Merges the loads of records processed together (BatchProcessor handles a batch's
 * records concurrently) into one bulk load. If the bulk load fails, each record's
 * part is retried alone, one after another in arrival order (the fold must see a
 * file version's rows before or with its account, never beside it), so only the
 * records that really fail are reported as batch item failures and retried by the
 * stream.
 */
export function createCoalescingSink(inner: SaleSink): SaleSink {
  let queue: { batch: ProjectionBatch; resolve: () => void; reject: (error: unknown) => void }[] = [];

  async function drain(): Promise<void> {
    const waiting = queue;
    queue = [];
    const merged: ProjectionBatch = {
      sales: waiting.flatMap((entry) => entry.batch.sales),
      quarantine: waiting.flatMap((entry) => entry.batch.quarantine),
      files: waiting.flatMap((entry) => entry.batch.files),
      voids: waiting.flatMap((entry) => entry.batch.voids),
    };
    try {
      await inner.load(merged);
      for (const entry of waiting) entry.resolve();
    } catch (error) {
      // Stryker disable next-line OptionalChaining: a queue of one has a first entry
      if (waiting.length === 1) return waiting[0]?.reject(error);
      for (const entry of waiting) {
        await inner.load(entry.batch).then(
          () => entry.resolve(),
          (single: unknown) => entry.reject(single),
        );
      }
    }
  }

  return {
    load(batch) {
      return new Promise<void>((resolve, reject) => {
        if (queue.length === 0) setImmediate(() => void drain());
        queue.push({ batch, resolve, reject });
      });
    },
  };
}
