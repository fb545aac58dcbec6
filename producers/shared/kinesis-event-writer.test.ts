import { KinesisClient, PutRecordsCommand, type PutRecordsCommandInput } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { splitStreamRecord, type SalesStreamEvent } from '../../contracts/index.js';
import { rawSale, transactionRecorded, fileIngested, rowRejected } from '../../test/helpers/factories.js';
import { ProducerError, StreamWriteError } from './errors.js';
import {
  chunkEntries,
  createKinesisEventWriter,
  DEFAULT_RECORD_TARGET_BYTES,
  defaultPartitionKey,
  KINESIS_RETRY_DEFAULTS,
  packRecords,
  PUT_RECORDS_MAX_BYTES,
  RECORD_MAX_BYTES,
} from './kinesis-event-writer.js';

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

/** A till sale of `branch` whose JSON is exactly `bytes` long (the customer's name pads it). */
const sized = (bytes: number, branch = 'Leeds', eventId = 'e'.repeat(32)): SalesStreamEvent => {
  const event = (customerName: string) =>
    ({
      ...transactionRecorded(rawSale({ branch, customerName }), eventId),
      source: { kind: 'till', tillId: 'till_0123456789abcdef', saleId: 'S-1' },
    }) as SalesStreamEvent;
  const padding = bytes - Buffer.byteLength(JSON.stringify(event('')));
  return event('x'.repeat(padding));
};
const lengths = (event: SalesStreamEvent) => Buffer.byteLength(JSON.stringify(event));
const entry = (dataBytes: number, key = 'k') => ({ PartitionKey: key, Data: Buffer.alloc(dataBytes) });
const linesOf = (entries: readonly { Data: Uint8Array }[]) => entries.map((record) => splitStreamRecord(record.Data).length);
const isGzip = (data: Uint8Array) => data[0] === 0x1f && data[1] === 0x8b;

describe('Function: packRecords', () => {
  it('packs two events into one record when their JSON and the newline between them fill the target exactly', () => {
    // Prepare
    const [a, b] = [sized(1000, 'Leeds', '1'.repeat(32)), sized(1200, 'Leeds', '2'.repeat(32))];
    // Act
    const exactly = packRecords([a, b], defaultPartitionKey, 1000 + 1 + 1200);
    const oneShort = packRecords([a, b], defaultPartitionKey, 1000 + 1 + 1200 - 1);
    // Assess
    expect(linesOf(exactly)).toEqual([2]);
    expect(linesOf(oneShort)).toEqual([1, 1]);
  });

  it('gzips packed records, and sends plain JSON when packing is off', () => {
    const packed = packRecords([sized(800)], defaultPartitionKey, 2048);
    const plain = packRecords([sized(800)], defaultPartitionKey, 0);
    expect(packed.map((record) => isGzip(record.Data))).toEqual([true]);
    expect(plain.map((record) => Buffer.from(record.Data).toString('utf8'))).toEqual([JSON.stringify(sized(800))]);
  });

  it('keeps the order of the events when packing is off, whatever their keys', () => {
    // Prepare: York's two events between Leeds's
    const batch = [sized(800, 'Leeds', '1'.repeat(32)), sized(800, 'York', '2'.repeat(32)), sized(800, 'York', '3'.repeat(32)), sized(800, 'Leeds', '4'.repeat(32))];
    // Act
    const entries = packRecords(batch, defaultPartitionKey, 0);
    // Assess
    expect(entries.map((record) => (JSON.parse(Buffer.from(record.Data).toString('utf8')) as { eventId: string }).eventId[0])).toEqual(['1', '2', '3', '4']);
    expect(entries.map((record) => record.PartitionKey)).toEqual(['Leeds', 'York', 'York', 'Leeds']);
  });

  it("keeps a key's events in order across records, listing records in the order they were opened", () => {
    // Prepare: room for two events per record
    const batch = ['1', '2', '3', '4', '5'].map((id, index) => sized(1000, index === 1 ? 'York' : 'Leeds', id.repeat(32)));
    // Act
    const entries = packRecords(batch, defaultPartitionKey, 2001);
    // Assess
    const ids = entries.map((record) => splitStreamRecord(record.Data).map((line) => (JSON.parse(line) as { eventId: string }).eventId[0]).join(''));
    expect(ids).toEqual(['13', '2', '45']);
  });

  it('takes an event whose JSON and partition key make 1 MiB, and refuses one byte more by name (Kinesis counts the key in the record)', () => {
    const keyBytes = Buffer.byteLength(defaultPartitionKey(sized(1000)));
    expect(keyBytes).toBeGreaterThan(0);
    expect(linesOf(packRecords([sized(RECORD_MAX_BYTES - keyBytes)], defaultPartitionKey, 0))).toEqual([1]);
    expect(lengths(sized(RECORD_MAX_BYTES - keyBytes + 1))).toBe(RECORD_MAX_BYTES - keyBytes + 1);
    expect(() => packRecords([sized(RECORD_MAX_BYTES - keyBytes + 1)], defaultPartitionKey, 0)).toThrow(
      new StreamWriteError(1, 0, 'RecordTooLarge'),
    );
  });
});

describe('Function: chunkEntries', () => {
  it('fills a call to exactly 5 MiB of data and partition keys, and starts another one byte over', () => {
    // Prepare: five entries of 1 MiB less their one-byte key
    const fill = Array.from({ length: 5 }, () => entry(RECORD_MAX_BYTES - 1));
    // Act
    const exactly = chunkEntries(fill);
    const over = chunkEntries([...fill.slice(0, 4), entry(RECORD_MAX_BYTES)]);
    // Assess
    expect(exactly.map((call) => call.length)).toEqual([5]);
    expect(over.map((call) => call.length)).toEqual([4, 1]);
  });

  it('counts the partition keys towards the 5 MiB', () => {
    const fill = [...Array.from({ length: 4 }, () => entry(RECORD_MAX_BYTES - 1)), entry(RECORD_MAX_BYTES - 2, 'kk')];
    expect(chunkEntries(fill).map((call) => call.length)).toEqual([5]);
    expect(chunkEntries([...fill.slice(0, 4), entry(RECORD_MAX_BYTES - 1, 'kk')]).map((call) => call.length)).toEqual([4, 1]);
  });

  it('puts 500 entries in a call and the 501st in the next, in order', () => {
    const entries = Array.from({ length: 501 }, (_, index) => entry(1, String(index)));
    const calls = chunkEntries(entries);
    expect(calls.map((call) => call.length)).toEqual([500, 1]);
    expect(calls.flat()).toEqual(entries);
  });

  it('makes no call for no entries, and never an empty one before an oversized entry', () => {
    expect(chunkEntries([])).toEqual([]);
    expect(chunkEntries([entry(PUT_RECORDS_MAX_BYTES + 1)]).map((call) => call.length)).toEqual([1]);
  });
});

describe('Function: defaultPartitionKey', () => {
  const till = { kind: 'till', tillId: 'till_0123456789abcdef', saleId: 'S-1' } as const;
  const longFile = `uploads/${'d'.repeat(300)}/leeds.csv`;
  const sale = transactionRecorded(rawSale({ branch: 'Leeds' }));
  const refund = { ...sale, type: 'RefundRecorded', source: till, data: { refundOf: 'a'.repeat(32), branch: '  York ', items: [], totalPence: 1, paymentMethod: 'CASH' } };
  const voided = { ...sale, type: 'SaleVoided', source: till, data: { saleEventId: 'a'.repeat(32), branch: 'Hull' } };

  it.each([
    { event: 'a till sale', value: { ...sale, source: till }, key: 'Leeds' },
    { event: 'a till sale, its branch trimmed', value: { ...sale, source: till, data: rawSale({ branch: '  Leeds  ' }) }, key: 'Leeds' },
    { event: 'a till sale, its branch cut to 256 characters', value: { ...sale, source: till, data: rawSale({ branch: 'b'.repeat(300) }) }, key: 'b'.repeat(256) },
    { event: 'a till sale without a branch', value: { ...sale, source: till, data: rawSale({ branch: '   ' }) }, key: 'unknown' },
    { event: 'a file row, by the last 256 characters of the file', value: { ...sale, source: { kind: 'file', file: longFile, version: '1', line: 1 } }, key: longFile.slice(-256) },
    { event: 'a refused file row', value: { ...rowRejected(), source: { kind: 'file', file: longFile, version: '1', line: 1 } }, key: longFile.slice(-256) },
    { event: 'a refused till sale, by its till', value: { ...rowRejected(), source: till }, key: 'till_0123456789abcdef' },
    { event: "a file's account", value: { ...fileIngested(), data: { ...(fileIngested() as { data: object }).data, file: longFile } }, key: longFile.slice(-256) },
    { event: 'a refund, by its branch', value: refund, key: 'York' },
    { event: 'a void, by its branch', value: voided, key: 'Hull' },
  ])('keys $event', ({ value, key }) => {
    expect(defaultPartitionKey(value as SalesStreamEvent)).toBe(key);
  });

  it('refuses an event type it does not know, by its type', () => {
    expect(() => defaultPartitionKey({ ...sale, type: 'SaleTeleported' } as unknown as SalesStreamEvent)).toThrow(
      new ProducerError('no partition key for an event of type SaleTeleported'),
    );
  });
});

describe('Class: KinesisEventWriter, by default and on odd answers', () => {
  beforeEach(() => kinesis.reset());

  it('packs a branch\'s till sales into gzipped records of up to 24 KiB of JSON by default', async () => {
    // Prepare
    kinesis.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => accepted(input));
    const writer = createKinesisEventWriter({ client: new KinesisClient({}), streamName: 's', sleep: noSleep });
    // Act: 30 sales of 1000 bytes, 24 to a record (24 × 1001 − 1 ≤ 24 KiB < 25 × 1001 − 1)
    await writer.write(Array.from({ length: 30 }, (_, index) => sized(1000, 'Leeds', index.toString(16).padStart(32, '0'))));
    // Assess
    const records = kinesis.commandCalls(PutRecordsCommand).flatMap((call) => call.args[0].input.Records ?? []);
    expect(records.map((record) => isGzip(record.Data ?? new Uint8Array()))).toEqual([true, true]);
    expect(linesOf(records.map((record) => ({ Data: record.Data ?? new Uint8Array() })))).toEqual([24, 6]);
    expect(DEFAULT_RECORD_TARGET_BYTES).toBe(24 * 1024);
  });

  it('writes nothing for no events', async () => {
    const writer = createKinesisEventWriter({ client: new KinesisClient({}), streamName: 's', sleep: noSleep });
    expect((await writer.write([])).size).toBe(0);
    expect(kinesis.commandCalls(PutRecordsCommand)).toHaveLength(0);
  });

  it('receipts the highest sequence number written to each shard', async () => {
    // Prepare: two calls; shard 0 answers 7 then 5, shard 1 answers 9
    let call = 0;
    kinesis.on(PutRecordsCommand).callsFake(() => {
      call++;
      return call === 1
        ? { FailedRecordCount: 0, Records: Array.from({ length: 500 }, (_, index) => ({ ShardId: index < 499 ? 'shard-0' : 'shard-1', SequenceNumber: String(index < 499 ? 7 : 9) })) }
        : { FailedRecordCount: 0, Records: [{ ShardId: 'shard-0', SequenceNumber: '5' }] };
    });
    const writer = createKinesisEventWriter({ client: new KinesisClient({}), streamName: 's', recordTargetBytes: 0, sleep: noSleep });
    // Act
    const receipt = await writer.write(events(501));
    // Assess
    expect([...receipt]).toEqual([
      ['shard-0', 7n],
      ['shard-1', 9n],
    ]);
  });

  it('does not take an answer without per-record results for success', async () => {
    // Prepare
    kinesis.on(PutRecordsCommand).resolves({ FailedRecordCount: 0 });
    const writer = createKinesisEventWriter({ client: new KinesisClient({}), streamName: 's', recordTargetBytes: 0, sleep: noSleep });
    // Act
    const error = await writer.write(events(1)).catch((thrown: unknown) => thrown);
    // Assess
    expect(error).toBeInstanceOf(StreamWriteError);
    expect(((error as StreamWriteError).cause as Error).message).toBe('sent 1 entries but got 0 results');
  });

  it('gives no cause when records were refused rather than the call thrown', async () => {
    kinesis.on(PutRecordsCommand).resolves({ FailedRecordCount: 1, Records: [{ ErrorCode: 'KMSAccessDeniedException', ErrorMessage: 'denied' }] });
    const writer = createKinesisEventWriter({ client: new KinesisClient({}), streamName: 's', recordTargetBytes: 0, sleep: noSleep });
    const error = await writer.write(events(1)).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(StreamWriteError);
    expect(Object.hasOwn(error as object, 'cause')).toBe(false);
  });
});

describe('Constants: the Kinesis quotas the writer packs to', () => {
  it('are 500 records and 5 MiB a call, 1 MiB a record, 24 KiB of JSON packed, eight attempts from 50 ms to 5 s', async () => {
    // Prepare: loaded inside the test, since Stryker (ignoreStatic) credits a module-level constant only to tests that load it
    vi.resetModules();
    const m = await import('./kinesis-event-writer.js');
    // Assess
    expect([m.PUT_RECORDS_MAX_ENTRIES, m.PUT_RECORDS_MAX_BYTES, m.RECORD_MAX_BYTES, m.DEFAULT_RECORD_TARGET_BYTES]).toEqual([500, 5_242_880, 1_048_576, 24_576]);
    expect(m.KINESIS_RETRY_DEFAULTS).toEqual({ maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 5_000 });
  });
});
