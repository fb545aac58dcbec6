import type { IngestFile, QuarantineEntry, SaleRecord, SaleVoid } from '../../contracts/index.js';

/** What one consumer batch adds to the warehouse projection (the fold's input, docs/corrections.md). */
export interface ProjectionBatch {
  /** Sales and refunds, with where each was seen. */
  readonly sales: readonly SaleRecord[];
  readonly quarantine: readonly QuarantineEntry[];
  /** File versions' accounts. */
  readonly files: readonly IngestFile[];
  readonly voids: readonly SaleVoid[];
}

/**
 * Where clean records go: Firehose → Redshift in AWS, PostgreSQL locally. Loading
 * must be idempotent on event id (and on file for `files`): the stream is
 * at-least-once, so the same batch may arrive twice. A rejection means "transient,
 * retry the batch".
 */
/** An empty batch. */
export const emptyBatch = (): { sales: SaleRecord[]; quarantine: QuarantineEntry[]; files: IngestFile[]; voids: SaleVoid[] } => ({ sales: [], quarantine: [], files: [], voids: [] });

export interface SaleSink {
  load(batch: ProjectionBatch): Promise<void>;
}
