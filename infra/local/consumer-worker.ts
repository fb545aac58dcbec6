/**
 * The consumer in its own thread: the poller, the sales-transform handler and the
 * warehouse sink, as `startConsumerThread` asks. In AWS the consumer is its own
 * Lambda; here a worker gives it its own core, so producing and consuming overlap.
 * It reports checkpoints and log lines to the main thread.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { createPostgresSink } from '../../consumers/sales-transform/adapters/postgres-sink.js';
import { createSalesTransform } from '../../consumers/sales-transform/process-batch.js';
import type { ConsumerThreadOptions, ConsumerThreadMessage } from './consumer-thread.js';
import { createArchivingSink } from './event-archive.js';
import { startKinesisPoller } from './kinesis-poller.js';
import { createLocalMetrics } from './local-metrics.js';
import { LOCAL_REGION, localKinesisClient } from './local-stream.js';

const options = workerData as ConsumerThreadOptions;
const post = (message: ConsumerThreadMessage) => parentPort?.postMessage(message);
const log = (line: string) => post({ type: 'log', line });

const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
let stopping = false;
pool.on('error', (error) => stopping || log(`warehouse connection lost: ${error.message}`));
const client = localKinesisClient(options.kinesisEndpoint);
const metrics = createLocalMetrics(pool);
const sink = createArchivingSink(createPostgresSink(pool), options.archiveDir);

const poller = await startKinesisPoller({
  client,
  streamName: options.streamName,
  region: LOCAL_REGION,
  handlerForShard: () => createSalesTransform({ sink, getPepper: async () => options.pepper, recordMetric: (name, _unit, value) => metrics.record(name, value) }),
  onCheckpoint: (shardId, sequence) => post({ type: 'checkpoint', shardId, sequence: sequence.toString() }),
  onError: (error, shardId) => log(`consumer ${shardId}: ${error instanceof Error ? error.message : String(error)}`),
  // The local on-failure destination: positions only, as Lambda's destination sends.
  onDeadLetter: (letter) => {
    log(`consumer ${letter.shardId}: record ${letter.sequenceNumber} given up after ${letter.attempts} attempts (dead-letters/)`);
    void mkdir(options.deadLettersDir, { recursive: true })
      .then(() => appendFile(join(options.deadLettersDir, `${new Date().toISOString().slice(0, 10)}.ndjson`), `${JSON.stringify(letter)}\n`))
      .catch(() => undefined);
  },
});
post({ type: 'ready' });

parentPort?.on('message', (message: { type: string }) => {
  if (message.type !== 'stop') return;
  void (async () => {
    await poller.stop();
    await metrics.stop();
    stopping = true;
    client.destroy();
    await pool.end();
    post({ type: 'stopped' });
  })();
});
