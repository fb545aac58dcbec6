import type { Readable } from 'node:stream';
import type { SalesStreamEvent } from '../../contracts/index.js';

/** Where an uploaded file is read from: S3 in AWS, the file system locally. */
export interface ObjectReader {
  open(key: string): Promise<Readable>;
}

/**
 * The highest sequence number written to each shard: once a consumer's checkpoint
 * passes it on every shard, everything written has been processed.
 */
export type WriteReceipt = Map<string, bigint>;

/** Where producers publish events: the Kinesis stream (kinesalite locally). */
export interface EventWriter {
  /** Resolves once every event is durably accepted by the stream; rejects naming how many were not. */
  write(events: readonly SalesStreamEvent[]): Promise<WriteReceipt>;
}

/** Folds one receipt into another, keeping the highest sequence number per shard. */
export function mergeReceipts(into: WriteReceipt, from: WriteReceipt): WriteReceipt {
  for (const [shard, sequence] of from) {
    const known = into.get(shard);
    // `>=` here would be equivalent (an equal sequence number set again changes nothing); it is left to survive, since a
    // disable comment would also hide the `<=` and `!==` mutants of this line, which ports.test.ts kills.
    if (known === undefined || sequence > known) into.set(shard, sequence);
  }
  return into;
}

