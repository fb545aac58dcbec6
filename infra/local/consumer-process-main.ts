/**
 * The local consumer in its own process, as in AWS it is its own Lambda: it gets
 * its own core and heap, so producing and consuming overlap and neither's memory
 * is the other's. Reports checkpoints and log lines to the stack over IPC; stops
 * when asked, and exits when the stack's process goes away (even after a SIGKILL).
 */
import pg from 'pg';
import type { ConsumerProcessMessage, ConsumerProcessOptions } from './consumer-process.js';
import { startLocalConsumer } from './local-consumer.js';
import { createLocalMetrics } from './local-metrics.js';
import { localKinesisClient } from './local-stream.js';

const post = (message: ConsumerProcessMessage) => process.send?.(message);
const options = JSON.parse(process.env.SUPERCAFE_CONSUMER_OPTIONS ?? '{}') as ConsumerProcessOptions;
const log = (line: string) => post({ type: 'log', line });

const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
let stopping = false;
// An idle connection dropped by a server restart is not a crash: the pool reconnects.
pool.on('error', (error) => stopping || log(`warehouse connection lost: ${error.message}`));
const client = localKinesisClient(options.kinesisEndpoint);
const metrics = createLocalMetrics(pool);
const poller = await startLocalConsumer({
  client,
  streamName: options.streamName,
  region: options.region,
  pool,
  pepper: options.pepper,
  archiveDir: options.archiveDir,
  deadLettersDir: options.deadLettersDir,
  metrics,
  log,
  onCheckpoint: (shardId, sequence) => post({ type: 'checkpoint', shardId, sequence: sequence.toString() }),
});
post({ type: 'ready' });

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await poller.stop();
  await metrics.stop();
  client.destroy();
  await pool.end();
}

process.on('message', (message: { type?: string }) => {
  if (message.type === 'stop') void stop().then(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
