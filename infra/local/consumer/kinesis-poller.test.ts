import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { openLocalStream, type LocalStream } from '../emulators/local-stream.js';
import { startKinesisPoller, type DeadLetter } from './kinesis-poller.js';

describe('Function: startKinesisPoller', () => {
  let stream: LocalStream;
  beforeAll(async () => {
    stream = await openLocalStream({ shardCount: 1 });
  });
  afterAll(() => stream?.stop());

  it('retries a failing record, then gives it up as a dead letter and goes on', async () => {
    // Prepare: three records, the middle one a poison pill
    const put = await stream.client.send(
      new PutRecordsCommand({ StreamName: stream.streamName, Records: ['a', 'poison', 'c'].map((text) => ({ Data: Buffer.from(text), PartitionKey: 'k' })) }),
    );
    const handled: string[] = [];
    const attempts = new Map<string, number>();
    const letters: DeadLetter[] = [];
    const handler = async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
      const failures = [];
      for (const record of event.Records) {
        const text = Buffer.from(record.kinesis.data, 'base64').toString();
        attempts.set(text, (attempts.get(text) ?? 0) + 1);
        if (text === 'poison') failures.push({ itemIdentifier: record.kinesis.sequenceNumber });
        else handled.push(text);
      }
      return { batchItemFailures: failures };
    };

    // Act
    const poller = await startKinesisPoller({ client: stream.client, streamName: stream.streamName, region: stream.region, handlerForShard: () => handler, retryDelayMs: 1, maxRetries: 3, onDeadLetter: (letter) => letters.push(letter) });
    const last = put.Records?.at(-1);
    await poller.waitFor(new Map([[last?.ShardId ?? '', BigInt(last?.SequenceNumber ?? '0')]]));
    await poller.stop();

    // Assess: the poison was tried 1 + 3 times, then dead-lettered by position. As with
    // Lambda, records after a failure are handed over again on each retry (loads are
    // idempotent); records before it are not.
    expect(attempts.get('poison')).toBe(4);
    expect(letters).toEqual([expect.objectContaining({ sequenceNumber: put.Records?.[1]?.SequenceNumber, attempts: 4, partitionKey: 'k' })]);
    expect(handled.filter((text) => text === 'a')).toHaveLength(1);
    expect(handled.filter((text) => text === 'c')).toHaveLength(5);
  });

  it('hands each batch read ahead to onReadAhead before its handler sees it, and then to the handler all the same', async () => {
    // Prepare: five records, read two at a time (the stream also holds the test's above).
    const texts = ['ahead-1', 'ahead-2', 'ahead-3', 'ahead-4', 'ahead-5'];
    const put = await stream.client.send(new PutRecordsCommand({ StreamName: stream.streamName, Records: texts.map((text) => ({ Data: Buffer.from(text), PartitionKey: 'k' })) }));
    const textOf = (record: KinesisStreamEvent['Records'][number]) => Buffer.from(record.kinesis.data, 'base64').toString();
    const handled: string[] = [];
    const readAhead: { texts: string[]; handledBefore: string[] }[] = [];
    const handler = async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
      handled.push(...event.Records.map(textOf));
      // A slow load: the next batch's read ahead lands meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { batchItemFailures: [] };
    };

    // Act
    const poller = await startKinesisPoller({
      client: stream.client,
      streamName: stream.streamName,
      region: stream.region,
      batchSize: 2,
      handlerForShard: () => handler,
      onReadAhead: (shardId, event) => {
        expect(shardId).toBe(put.Records?.[0]?.ShardId);
        readAhead.push({ texts: event.Records.map(textOf), handledBefore: [...handled] });
      },
    });
    const last = put.Records?.at(-1);
    await poller.waitFor(new Map([[last?.ShardId ?? '', BigInt(last?.SequenceNumber ?? '0')]]));
    await poller.stop();

    // Assess: every batch but the first was read ahead, none of its records handled yet; all were handled once, in order.
    const ours = (list: string[]) => list.filter((text) => text.startsWith('ahead-'));
    expect(ours(handled)).toEqual(texts);
    const aheadOfOurs = readAhead.filter((batch) => ours(batch.texts).length > 0);
    expect(aheadOfOurs.flatMap((batch) => ours(batch.texts))).toEqual(expect.arrayContaining(texts.slice(2)));
    for (const batch of aheadOfOurs) for (const text of ours(batch.texts)) expect(batch.handledBefore).not.toContain(text);
  });
});
