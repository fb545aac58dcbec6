/**
 * The local consumer in its own process, as in AWS it is its own Lambda: it gets
 * its own core and heap, so producing and consuming overlap and neither's memory
 * is the other's. Reports checkpoints and log lines to the stack over IPC; stops
 * when asked, and exits when the stack's process goes away (even after a SIGKILL).
 */
import pg from 'pg';
import type { ConsumerProcessCommand, ConsumerProcessMessage, ConsumerProcessOptions } from './consumer-process.js';
import type { KinesisPoller } from './kinesis-poller.js';
import { startLocalConsumer } from './local-consumer.js';
import { createLocalMetrics, type LocalMetrics } from './local-metrics.js';
import { localKinesisClient } from '../emulators/local-stream.js';

const post = (message: ConsumerProcessMessage) => process.send?.(message);
const log = (line: string) => post({ type: 'log', line });

let running: { pool: pg.Pool; client: ReturnType<typeof localKinesisClient>; metrics: LocalMetrics; poller: KinesisPoller } | undefined;
let stopping = false;

async function start(options: ConsumerProcessOptions): Promise<void> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
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
    erasuresFile: options.erasuresFile,
    metrics,
    log,
    onCheckpoint: (shardId, sequence) => post({ type: 'checkpoint', shardId, sequence: sequence.toString() }),
  });
  running = { pool, client, metrics, poller };
  post({ type: 'ready' });
}

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (!running) return;
  await running.poller.stop();
  await running.metrics.stop();
  running.client.destroy();
  await running.pool.end();
}

process.on('message', (command: ConsumerProcessCommand) => {
  if (command.type === 'start') {
    start(command.options).catch((error: unknown) => {
      log(`consumer process could not start: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
  } else if (command.type === 'stop') {
    void stop().then(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
// Ctrl-C reaches the whole process group: the stack, not the terminal, says when to stop.
process.on('SIGINT', () => undefined);
