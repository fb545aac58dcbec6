import type { WriteReceipt } from '../../../producers/shared/ports.js';

/**
 * The consumer's progress per shard (the last sequence number fully processed),
 * and waiters for "everything in this receipt is processed".
 */
export class CheckpointTracker {
  private readonly checkpoints = new Map<string, bigint>();
  private readonly waiters = new Set<() => void>();

  advance(shardId: string, sequence: bigint): void {
    if ((this.checkpoints.get(shardId) ?? -1n) >= sequence) return;
    this.checkpoints.set(shardId, sequence);
    for (const wake of [...this.waiters]) wake();
  }

  get(shardId: string): bigint | undefined {
    return this.checkpoints.get(shardId);
  }

  snapshot(): ReadonlyMap<string, bigint> {
    return new Map(this.checkpoints);
  }

  /** Resolves once every shard's checkpoint has passed the receipt's sequence numbers. */
  waitFor(receipt: WriteReceipt, signal?: AbortSignal): Promise<void> {
    const reached = () => [...receipt].every(([shardId, sequence]) => (this.checkpoints.get(shardId) ?? -1n) >= sequence);
    return new Promise<void>((resolve, reject) => {
      const check = () => {
        if (signal?.aborted) {
          this.waiters.delete(check);
          reject(signal.reason);
        } else if (reached()) {
          this.waiters.delete(check);
          resolve();
        }
      };
      this.waiters.add(check);
      signal?.addEventListener('abort', check, { once: true });
      check();
    });
  }
}
