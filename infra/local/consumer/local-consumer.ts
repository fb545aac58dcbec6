import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type pg from 'pg';
import { createJsonLogger } from '../../../common/logging/structured-logger.js';
import { ServiceName } from '../../../contracts/index.js';
import { createPostgresSink } from '../../../consumers/sales-transform/adapters/postgres-sink.js';
import { createSalesTransform } from '../../../consumers/sales-transform/process-batch.js';
import { createSuppressingSink } from '../erasure/local-erasure.js';
import { createArchivingSink } from './event-archive.js';
import { startKinesisPoller, type KinesisPoller } from './kinesis-poller.js';
import { createReadAheadProjection, type ReadAheadProjection } from './read-ahead-projection.js';
import type { LocalMetrics } from './local-metrics.js';
import { createPostgresCheckpointStore } from './postgres-checkpoint-store.js';

export interface LocalConsumerOptions {
  readonly client: KinesisClient;
  readonly streamName: string;
  readonly region: string;
  readonly pool: pg.Pool;
  readonly pepper: string;
  readonly archiveDir: string;
  readonly deadLettersDir: string;
  /** The erasures to honour (`<data-dir>/erasures.ndjson`); none when omitted. */
  readonly erasuresFile?: string;
  readonly metrics: LocalMetrics;
  readonly log: (line: string) => void;
  readonly onCheckpoint?: (shardId: string, sequence: bigint) => void;
}

/** The shard's read-ahead projection, made on first use. */
function readAheadFor(projections: Map<string, ReadAheadProjection>, shardId: string, getPepper: () => Promise<string>): ReadAheadProjection {
  let projection = projections.get(shardId);
  if (!projection) {
    projection = createReadAheadProjection({ getPepper });
    projections.set(shardId, projection);
  }
  return projection;
}

/**
 * The consumer as it runs on a laptop: the Lambda's sales-transform handler fed by
 * the poller (Lambda's event source mapping), loading PostgreSQL and archiving
 * every loaded batch, its checkpoints kept in the warehouse so a restart resumes
 * where it stopped; records given up on go to the dead-letter folder. The same
 * wiring runs in the stack's own process or in its consumer process.
 */
export function startLocalConsumer(options: LocalConsumerOptions): Promise<KinesisPoller> {
  const { metrics, log } = options;
  const archiving = createArchivingSink(createPostgresSink(options.pool), options.archiveDir);
  // Erased customers are untied before the archive and the warehouse see a batch.
  const sink = options.erasuresFile ? createSuppressingSink(archiving, options.erasuresFile) : archiving;
  const getPepper = async () => options.pepper;
  // Each shard's next batch is projected while its current one loads (read-ahead-projection.ts).
  const readAhead = new Map<string, ReadAheadProjection>();
  return startKinesisPoller({
    client: options.client,
    streamName: options.streamName,
    region: options.region,
    onReadAhead: (shardId, event) => void readAhead.get(shardId)?.prepare(event.Records),
    handlerForShard: (shardId) =>
      createSalesTransform({
        sink,
        getPepper,
        projectRecord: readAheadFor(readAhead, shardId, getPepper).project,
        recordMetric: (name, _unit, value) => metrics.record(name, value),
        // The Lambda's log lines, in Powertools' JSON shape.
        logger: createJsonLogger({ service: ServiceName.SalesTransform, write: log }),
      }),
    onCheckpoint: options.onCheckpoint,
    checkpointStore: createPostgresCheckpointStore(options.pool),
    onError: (error, shardId) => log(`consumer ${shardId}: ${error instanceof Error ? error.message : String(error)}`),
    // The local on-failure destination: positions only, as Lambda's destination sends.
    onDeadLetter: (letter) => {
      log(`consumer ${letter.shardId}: record ${letter.sequenceNumber} given up after ${letter.attempts} attempts (dead-letters/)`);
      void mkdir(options.deadLettersDir, { recursive: true })
        .then(() => appendFile(join(options.deadLettersDir, `${new Date().toISOString().slice(0, 10)}.ndjson`), `${JSON.stringify(letter)}\n`))
        .catch(() => undefined);
    },
  });
}
