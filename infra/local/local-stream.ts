import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import kinesalite from 'kinesalite';
import { freePort } from './free-port.js';

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

/**
 * The stream: a real Kinesis API from kinesalite on loopback (in memory), or an
 * existing endpoint (another kinesalite, LocalStack) when one is given.
 */
export async function openLocalStream(options: { endpoint?: string; streamName?: string; shardCount?: number } = {}): Promise<LocalStream> {
  const streamName = options.streamName ?? DEFAULT_STREAM_NAME;
  let server: ReturnType<typeof kinesalite> | undefined;
  let endpoint = options.endpoint;
  if (!endpoint) {
    server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 64 });
    const port = await freePort();
    await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', () => resolve()));
    endpoint = `http://127.0.0.1:${port}`;
  }
  const client = localKinesisClient(endpoint);
  await ensureStream(client, streamName, options.shardCount ?? 2);
  return {
    endpoint,
    streamName,
    region: LOCAL_REGION,
    client,
    async stop() {
      client.destroy();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}
