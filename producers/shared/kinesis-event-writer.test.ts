import { KinesisClient, PutRecordsCommand, type PutRecordsCommandInput } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { splitStreamRecord, type SalesStreamEvent } from '../../contracts/index.js';
import { rawSale, transactionRecorded, fileIngested } from '../../test/helpers/factories.js';
import { StreamWriteError } from './errors.js';
import { chunkEntries, createKinesisEventWriter, packRecords, PUT_RECORDS_MAX_BYTES, defaultPartitionKey, KINESIS_RETRY_DEFAULTS } from './kinesis-event-writer.js';

const kinesis = mockClient(KinesisClient);
const noSleep = async () => undefined;

const events = (count: number, branch = 'Leeds'): SalesStreamEvent[] =>
  Array.from({ length: count }, (_, index) => transactionRecorded(rawSale({ branch }), index.toString(16).padStart(32, '0')));

const sentEventIds = (input: PutRecordsCommandInput) =>
  (input.Records ?? []).flatMap((entry) =>
    splitStreamRecord(entry.Data ?? new Uint8Array()).map((line) => (JSON.parse(line) as { eventId: string }).eventId),
  );

const accepted = (input: PutRecordsCommandInput) => ({
  FailedRecordCount: 0,
  Records: (input.Records ?? []).map((_, index) => ({ ShardId: 'shardId-000000000000', SequenceNumber: String(1000 + index) })),
});

describe('Class: KinesisEventWriter', () => {
  beforeEach(() => kinesis.reset());

  it('sends at most 500 records per PutRecords call', async () => {
    // Prepare
    kinesis.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => accepted(input));
    const writer = createKinesisEventWriter({ client: new KinesisClient({}), streamName: 's', recordTargetBytes: 0, sleep: noSleep });

    // Act
    await writer.write(events(1201));

    // Assess
    const calls = kinesis.commandCalls(PutRecordsCommand);
    expect(calls.map((call) => call.args[0].input.Records?.length)).toEqual([500, 500, 201]);
  });

  it('keeps every call under 5 MiB', () => {
    const big = Array.from({ length: 30 }, () => ({ PartitionKey: 'k', Data: Buffer.alloc(400 * 1024) }));
    const calls = chunkEntries(big);
    for (const call of calls) expect(call.reduce((sum, entry) => sum + (entry.Data?.byteLength ?? 0) + 1, 0)).toBeLessThanOrEqual(PUT_RECORDS_MAX_BYTES);
    expect(calls.flat()).toHaveLength(30);
  });

  it('packs till sales of one branch into compressed records up to the target size, and never mixes branches', () => {
    // Act
    const tillSale = (event: SalesStreamEvent): SalesStreamEvent => ({ ...event, source: { kind: 'till', tillId: 'till_0123456789abcdef', saleId: (event as { eventId: string }).eventId } }) as SalesStreamEvent;
    const entries = packRecords([...events(10, 'Leeds'), ...events(3, 'York')].map(tillSale), defaultPartitionKey, 2048);

    // Assess
    const lines = entries.map((entry) => splitStreamRecord(entry.Data ?? new Uint8Array()));
    expect(lines.flat()).toHaveLength(13);
    expect(entries.length).toBeLessThan(13);
    lines.forEach((record, index) => {
      expect(record.join('\n').length).toBeLessThanOrEqual(2048);
      const branches = new Set(record.map((line) => (JSON.parse(line) as { data: { branch: string } }).data.branch));
      expect([...branches]).toEqual([entries[index]?.PartitionKey]);
    });
  });

  it("keys a file's rows and its account by the file, so the account follows its rows on one shard", () => {
    // Act
    const rows = [...events(2, 'Leeds'), ...events(1, 'York')];
    const keys = new Set([...rows, fileIngested()].map(defaultPartitionKey));
    // Assess
    expect([...keys]).toEqual(['chesterfield.csv']);
  });

  it('sends one plain JSON event per record when packing is off', () => {
    const entries = packRecords(events(2), defaultPartitionKey, 0);
    expect(entries.map((entry) => JSON.parse(Buffer.from(entry.Data ?? new Uint8Array()).toString()).eventId)).toHaveLength(2);
  });

  it('resends only the entries that failed, until all are accepted', async () => {
    // Prepare: the first call throttles the 2nd and 4th entries
    let call = 0;
    kinesis.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => {
      call++;
      if (call > 1) return accepted(input);
      return {
        FailedRecordCount: 2,
        Records: (input.Records ?? []).map((_, index) =>
          index === 1 || index === 3 ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'slow down' } : { ShardId: 's0', SequenceNumber: String(index) },
        ),
      };
    });
    const retries: number[] = [];
    const writer = createKinesisEventWriter({ client: new KinesisClient({}), streamName: 's', recordTargetBytes: 0, sleep: noSleep, onRetry: ({ failed }) => retries.push(failed) });
    const batch = events(5);

    // Act
    await writer.write(batch);

    // Assess
    const [first, second] = kinesis.commandCalls(PutRecordsCommand).map((c) => sentEventIds(c.args[0].input));
    expect(first).toHaveLength(5);
    expect(second).toEqual([batch[1]?.eventId, batch[3]?.eventId]);
    expect(retries).toEqual([2]);
  });

  it('retries a throttled call as a whole', async () => {
    let call = 0;
    kinesis.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => {
      call++;
      if (call === 1) throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
      return accepted(input);
    });
    const writer = createKinesisEventWriter({ client: new KinesisClient({}), streamName: 's', sleep: noSleep });
    const receipt = await writer.write(events(3));
    expect(kinesis.commandCalls(PutRecordsCommand)).toHaveLength(2);
    expect(receipt.size).toBe(1);
  });

  it('gives up after the bounded attempts with a clear error', async () => {
    kinesis.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => ({
      FailedRecordCount: input.Records?.length,
      Records: (input.Records ?? []).map(() => ({ ErrorCode: 'ProvisionedThroughputExceededException' })),
    }));
    const writer = createKinesisEventWriter({ client: new KinesisClient({}), streamName: 's', recordTargetBytes: 0, maxAttempts: 4, sleep: noSleep });
    await expect(writer.write(events(3))).rejects.toThrow(new StreamWriteError(3, 4, 'ProvisionedThroughputExceededException'));
    expect(kinesis.commandCalls(PutRecordsCommand)).toHaveLength(4);
  });

  it('does not retry an error that cannot pass', async () => {
    kinesis.on(PutRecordsCommand).rejects(Object.assign(new Error('no stream'), { name: 'ResourceNotFoundException' }));
    const writer = createKinesisEventWriter({ client: new KinesisClient({}), streamName: 's', sleep: noSleep });
    await expect(writer.write(events(1))).rejects.toBeInstanceOf(StreamWriteError);
    expect(kinesis.commandCalls(PutRecordsCommand)).toHaveLength(1);
  });

  it('backs off exponentially with full jitter', async () => {
    kinesis.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => ({
      Records: (input.Records ?? []).map(() => ({ ErrorCode: 'InternalFailure' })),
    }));
    const delays: number[] = [];
    const writer = createKinesisEventWriter({
      client: new KinesisClient({}),
      streamName: 's',
      maxAttempts: 5,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      random: () => 0.999,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    await expect(writer.write(events(1))).rejects.toBeInstanceOf(StreamWriteError);
    expect(delays).toEqual([199, 399, 799, 999]);
  });

  it('retries a call refused with HTTP 429, as the Firehose sink does (one shared policy)', async () => {
    // Prepare
    kinesis
      .on(PutRecordsCommand)
      .rejectsOnce(Object.assign(new Error('Too Many Requests'), { name: 'UnknownError', $metadata: { httpStatusCode: 429 } }))
      .callsFake((input: PutRecordsCommandInput) => accepted(input));
    const delays: number[] = [];
    const writer = createKinesisEventWriter({
      client: new KinesisClient({}),
      streamName: 's',
      baseDelayMs: 100,
      random: () => 0.5,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });

    // Act
    await writer.write(events(1));

    // Assess
    expect(kinesis.commandCalls(PutRecordsCommand)).toHaveLength(2);
    expect(delays).toEqual([100]);
  });

  it('does not retry an entry refused with a code that cannot pass', async () => {
    // Prepare
    kinesis.on(PutRecordsCommand).resolves({ FailedRecordCount: 1, Records: [{ ErrorCode: 'KMSAccessDeniedException', ErrorMessage: 'denied' }] });
    const delays: number[] = [];
    const writer = createKinesisEventWriter({ client: new KinesisClient({}), streamName: 's', recordTargetBytes: 0, sleep: async (ms) => void delays.push(ms) });

    // Act
    const outcome = writer.write(events(1));

    // Assess
    await expect(outcome).rejects.toThrow(new StreamWriteError(1, 1, 'KMSAccessDeniedException'));
    expect(kinesis.commandCalls(PutRecordsCommand)).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('tells each retry round, with its delay, to onRetry', async () => {
    // Prepare
    kinesis
      .on(PutRecordsCommand)
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }))
      .callsFake((input: PutRecordsCommandInput) => accepted(input));
    const rounds: unknown[] = [];
    const writer = createKinesisEventWriter({ client: new KinesisClient({}), streamName: 's', random: () => 0.5, sleep: noSleep, onRetry: (round) => rounds.push(round) });

    // Act
    await writer.write(events(2));

    // Assess
    expect(rounds).toEqual([{ attempt: 1, failed: 1, errorCode: 'ProvisionedThroughputExceededException', delayMs: 50 }]);
  });

  it('keeps the thrown error as the cause and makes 8 attempts by default', async () => {
    // Prepare
    const cause = Object.assign(new Error('no stream'), { name: 'ResourceNotFoundException' });
    kinesis.on(PutRecordsCommand).rejects(cause);
    const writer = createKinesisEventWriter({ client: new KinesisClient({}), streamName: 's', sleep: noSleep });

    // Act
    const error = await writer.write(events(1)).catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toBeInstanceOf(StreamWriteError);
    expect((error as StreamWriteError).cause).toBe(cause);
    expect(KINESIS_RETRY_DEFAULTS).toEqual({ maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 5_000 });
  });
});
