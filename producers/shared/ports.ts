import type { Readable } from 'node:stream';
import type { SalesStreamEvent } from '../../contracts/index.js';

/** Where an uploaded file is read from: S3 in AWS, the file system locally. */
export interface ObjectReader {
  open(key: string): Promise<Readable>;
}

/** Where producers publish events: the Kinesis stream (kinesalite locally). */
export interface EventWriter {
  /** Resolves once every event is durably accepted by the stream; rejects naming how many were not. */
  write(events: readonly SalesStreamEvent[]): Promise<void>;
}
