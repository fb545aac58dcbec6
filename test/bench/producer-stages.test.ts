import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalStream, type LocalStream } from '../../infra/local/emulators/local-stream.js';
import { SAMPLE_STANDARD_DIR } from '../../samples/paths.js';
import { measureProducerStages } from './producer-stages.js';

describe('measureProducerStages', () => {
  let stream: LocalStream;
  beforeAll(async () => {
    stream = await openLocalStream({ streamName: 'unused' });
  }, 60_000);
  afterAll(async () => stream?.stop());

  it('measures the producer with its events dropped, packed, and sent; the last really reaches the stream', async () => {
    // Arrange: two sample files
    const files = ['birmingham_2021-08-25.csv', 'leeds_2021-08-27.csv'].map((name) => join(SAMPLE_STANDARD_DIR, name));
    // Act: two passes
    const stages = await measureProducerStages(stream.client, files, 'pepper', 2);
    // Assert
    for (const figure of [stages.framedUs, stages.packedUs, stages.sentUs]) expect(figure).toBeGreaterThan(0);
    // One call a file at least (its last rows and its account), counted on the last pass.
    expect(stages.putRecordsCalls).toBeGreaterThanOrEqual(files.length);
    const shards = (await stream.client.send(new ListShardsCommand({ StreamName: 'bench-producer-stages' }))).Shards ?? [];
    let records = 0;
    for (const shard of shards) {
      const { ShardIterator } = await stream.client.send(new GetShardIteratorCommand({ StreamName: 'bench-producer-stages', ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
      records += (await stream.client.send(new GetRecordsCommand({ ShardIterator, Limit: 10_000 }))).Records?.length ?? 0;
    }
    // Two passes sent: every call put at least one record.
    expect(records).toBeGreaterThanOrEqual(2 * stages.putRecordsCalls);
  }, 120_000);

  it('refuses files that give no row', async () => {
    await expect(measureProducerStages(stream.client, [join(SAMPLE_STANDARD_DIR, 'no-such-file.csv')], 'pepper', 1)).rejects.toThrow('no file gave a row');
  }, 60_000);
});
