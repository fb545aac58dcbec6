import { setImmediate as nextTurn } from 'node:timers/promises';
import type { KinesisStreamRecord } from 'aws-lambda';
import { positionOf, projectRecord, type RecordProjector } from '../../../consumers/sales-transform/process-batch.js';
import type { Projection } from '../../../consumers/sales-transform/project-event.js';

/**
 * Projections of a shard's next batch, made while the current batch loads.
 *
 * One shard's batches are handled one after another (as Lambda does), and each
 * handling is CPU in this process (decode, validate, redact, key) followed by a wait
 * on PostgreSQL. The poller reads the next batch ahead; {@link prepare} projects it
 * record by record during that wait, yielding between records so the current load's
 * replies are not held up. The handler then takes each record's projections from
 * here instead of making them ({@link project}), so the two costs overlap instead
 * of adding up.
 *
 * Nothing changes but when the work is done: a projection is a pure function of the
 * record and the pepper, and is only reused for the same record (shard sequence
 * number) under the same pepper, once. What it stamps as the load time
 * (`loadedAt`) is when it was projected, up to one batch earlier. A batch that
 * fails is read again from its checkpoint and projected again where nothing is kept.
 */
export interface ReadAheadProjection {
  /** The handler's projector: a prepared record's projections, else made now. */
  readonly project: RecordProjector;
  /** Projects the records of the batch read ahead, one a turn; stops once the handler has moved past what is prepared. */
  prepare(records: readonly KinesisStreamRecord[]): Promise<void>;
}

export interface ReadAheadProjectionOptions {
  readonly getPepper: () => Promise<string>;
  readonly clock?: () => Date;
}

interface Prepared {
  readonly pepper: string;
  readonly projections: Projection[];
}

/** A read-ahead projection for one shard's handler (see {@link ReadAheadProjection}). */
export function createReadAheadProjection(options: ReadAheadProjectionOptions): ReadAheadProjection {
  const clock = options.clock ?? (() => new Date());
  let prepared = new Map<string, Prepared>();
  // The prepare that may still add to `prepared`; a newer one, or a record the handler had to project itself, ends it.
  let current: object | undefined;

  return {
    project(record, pepper, now, position) {
      const key = record.kinesis.sequenceNumber;
      const hit = prepared.get(key);
      if (hit) {
        prepared.delete(key);
        if (hit.pepper === pepper) return hit.projections;
      } else {
        // The handler is past what was prepared (or it was another batch): preparing on would be wasted work.
        current = undefined;
      }
      return projectRecord(record, pepper, now, position);
    },

    async prepare(records) {
      const run = {};
      current = run;
      prepared = new Map();
      const pepper = await options.getPepper().catch(() => undefined);
      // Without the pepper nothing is prepared: the handler meets the same failure and reports it.
      if (pepper === undefined) return;
      for (const record of records) {
        await nextTurn();
        if (current !== run) return;
        let projections: Projection[];
        try {
          projections = projectRecord(record, pepper, clock(), positionOf(record));
        } catch {
          // The handler will meet the same error on this record, and report it as the batch's failure.
          return;
        }
        prepared.set(record.kinesis.sequenceNumber, { pepper, projections });
      }
    },
  };
}
