import { CreateStreamCommand, DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
import { profilerFlags } from './profiler-flags.js';

export interface LocalStream {
  readonly endpoint: string;
  readonly streamName: string;
  readonly region: string;
  readonly client: KinesisClient;
  stop(): Promise<void>;
}

export const LOCAL_REGION = 'eu-west-2';
export const DEFAULT_STREAM_NAME = 'supercafe-sales-events';

/** An SDK v3 Kinesis client for a local endpoint (kinesalite speaks plain HTTP). */
export function localKinesisClient(endpoint: string): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler({ connectionTimeout: 2_000, requestTimeout: 30_000 }),
    maxAttempts: 1,
  });
}

/** Creates the stream if missing and waits until it is ACTIVE. */
export async function ensureStream(client: KinesisClient, streamName: string, shardCount: number): Promise<void> {
  try {
    await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceInUseException') throw error;
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    if (summary.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`stream ${streamName} did not become ACTIVE`);
}

/** Starts kinesalite in a child process on a free loopback port, keeping the stream in `storagePath` (or in memory). */
async function spawnKinesalite(storagePath: string | undefined): Promise<{ endpoint: string; child: ChildProcess }> {
  const port = await freePort();
  if (storagePath) await mkdir(storagePath, { recursive: true });
  const child = fork(fileURLToPath(new URL('./kinesalite-child.mjs', import.meta.url)), [String(port), storagePath ?? ''], {
    execArgv: profilerFlags('kinesalite'),
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`kinesalite exited (code ${code}) before it was ready`)));
  });
  return { endpoint: `http://127.0.0.1:${port}`, child };
}

/**
 * The stream: a real Kinesis API from kinesalite on loopback (in its own process,
 * on disk in `storagePath` or else in memory), or an existing endpoint (another
 * kinesalite, LocalStack) when given.
 */
export async function openLocalStream(options: { endpoint?: string; streamName?: string; shardCount?: number; storagePath?: string } = {}): Promise<LocalStream> {
  const streamName = options.streamName ?? DEFAULT_STREAM_NAME;
  let child: ChildProcess | undefined;
  let endpoint = options.endpoint;
  if (!endpoint) ({ endpoint, child } = await spawnKinesalite(options.storagePath));
  const client = localKinesisClient(endpoint);
  await ensureStream(client, streamName, options.shardCount ?? 2);
  return {
    endpoint,
    streamName,
    region: LOCAL_REGION,
    client,
    async stop() {
      client.destroy();
      if (child && child.exitCode === null) {
        const exited = new Promise<void>((resolve) => child?.once('exit', () => resolve()));
        child.kill();
        await exited;
      }
    },
  };
}


/** True when no shard holds a record after the given checkpoints (a shard without one must be empty). */
export async function isStreamDrained(client: KinesisClient, streamName: string, checkpoints: ReadonlyMap<string, bigint>): Promise<boolean> {
  const shards = (await client.send(new ListShardsCommand({ StreamName: streamName }))).Shards ?? [];
  for (const shard of shards) {
    const checkpoint = checkpoints.get(shard.ShardId ?? '');
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand(
        checkpoint === undefined
          ? { StreamName: streamName, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }
          : { StreamName: streamName, ShardId: shard.ShardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: checkpoint.toString() },
      ),
    );
    const { Records = [] } = await client.send(new GetRecordsCommand({ ShardIterator, Limit: 1 }));
    if (Records.length > 0) return false;
  }
  return true;
}
