import type { IngestFile, QuarantineEntry, SaleRecord } from '../../contracts/index.js';

/** What one consumer batch adds to the warehouse projection. */
export interface ProjectionBatch {
  readonly sales: readonly SaleRecord[];
  readonly quarantine: readonly QuarantineEntry[];
  readonly files: readonly IngestFile[];
}

/**
 * Where clean records go: Firehose → Redshift in AWS, PostgreSQL locally. Loading
 * must be idempotent on event id (and on file for `files`): the stream is
 * at-least-once, so the same batch may arrive twice. A rejection means "transient,
 * retry the batch".
 */
export interface SaleSink {
  load(batch: ProjectionBatch): Promise<void>;
}
