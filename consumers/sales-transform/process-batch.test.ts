import type { KinesisStreamRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../common/logging/structured-logger.js';
import {
  fileIngested,
  kinesisEventFactory,
  kinesisRecordFactory,
  lambdaContextFactory,
  rawSale,
  rowRejected,
  transactionRecorded,
} from '../../test/helpers/factories.js';
import type { ProjectionBatch, SaleSink } from './ports.js';
import { addProjection, createSalesTransform, type RecordMetric } from './process-batch.js';

const PEPPER = 'pepper-for-tests';
const NOW = new Date('2021-08-25T09:00:06.000Z');
const sale = (eventId: string) => transactionRecorded(rawSale(), eventId);
const idOf = (record: KinesisStreamRecord) => ({ itemIdentifier: record.kinesis.sequenceNumber });
const eventIdsOf = (batch: ProjectionBatch) => [
  ...batch.sales.map(({ sale }) => sale.eventId),
  ...batch.quarantine.map((entry) => entry.eventId),
  ...batch.files.map((file) => file.file),
];

/** A sink that keeps every load it is given and fails those `fails` picks (a transient error, e.g. Firehose throttling). */
function recordingSink(fails: (batch: ProjectionBatch) => boolean = () => false): SaleSink & { loads: ProjectionBatch[] } {
  const loads: ProjectionBatch[] = [];
  return {
    loads,
    async load(batch) {
      loads.push(batch);
      if (fails(batch)) throw Object.assign(new Error('Slow down.'), { name: 'ServiceUnavailableException' });
    },
  };
}

/** The transform under test, with its logs and metrics kept. */
function transformWith(sink: SaleSink, getPepper: () => Promise<string> = async () => PEPPER, clock: () => Date = () => NOW) {
  const logs: Record<string, unknown>[] = [];
  const metrics: [string, string, number][] = [];
  const recordMetric: RecordMetric = (name, unit, value) => metrics.push([name, unit, value]);
  const logger = createJsonLogger({ service: 'sales-transform', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>), clock: () => NOW });
  const transform = createSalesTransform({ sink, getPepper, clock, recordMetric, logger });
  return { transform, logs, metrics };
}

describe('Function: createSalesTransform', () => {
  it('completes processing with no failures', async () => {
    // Prepare
    const records = [kinesisRecordFactory([sale('1'.repeat(32))]), kinesisRecordFactory([rowRejected()]), kinesisRecordFactory([fileIngested()])];
    const sink = recordingSink();
    const { transform, logs } = transformWith(sink);

    // Act
    const response = await transform(kinesisEventFactory(...records), lambdaContextFactory());

    // Assess
    expect(response).toStrictEqual({ batchItemFailures: [] });
    expect(sink.loads).toHaveLength(1);
    expect(eventIdsOf(sink.loads[0] as ProjectionBatch)).toEqual(['1'.repeat(32), 'b'.repeat(32), 'chesterfield.csv']);
    expect(logs).toEqual([]);
  });

  it('completes processing with some failures, reporting only the failing record', async () => {
    // Prepare
    const records = [kinesisRecordFactory([sale('1'.repeat(32))]), kinesisRecordFactory([sale('2'.repeat(32))]), kinesisRecordFactory([sale('3'.repeat(32))])];
    const sink = recordingSink((batch) => eventIdsOf(batch).includes('2'.repeat(32)));
    const { transform } = transformWith(sink);

    // Act
    const response = await transform(kinesisEventFactory(...records), lambdaContextFactory());

    // Assess
    expect(response).toStrictEqual({ batchItemFailures: [idOf(records[1] as KinesisStreamRecord)] });
  });

  it('completes processing with all failures, without throwing', async () => {
    // Prepare
    const records = [kinesisRecordFactory([sale('1'.repeat(32))]), kinesisRecordFactory([sale('2'.repeat(32))])];
    const { transform } = transformWith(recordingSink(() => true));

    // Act
    const response = await transform(kinesisEventFactory(...records), lambdaContextFactory());

    // Assess
    expect(response).toStrictEqual({ batchItemFailures: records.map(idOf) });
  });

  it('falls back to loading each record alone when the bulk load fails, so the others still load', async () => {
    // Prepare
    const records = [kinesisRecordFactory([sale('1'.repeat(32))]), kinesisRecordFactory([sale('2'.repeat(32))]), kinesisRecordFactory([sale('3'.repeat(32))])];
    const sink = recordingSink((batch) => eventIdsOf(batch).includes('2'.repeat(32)));
    const { transform } = transformWith(sink);

    // Act
    await transform(kinesisEventFactory(...records), lambdaContextFactory());

    // Assess: one bulk load of all three, then one load per record
    expect(sink.loads.map(eventIdsOf)).toEqual([['1'.repeat(32), '2'.repeat(32), '3'.repeat(32)], ['1'.repeat(32)], ['2'.repeat(32)], ['3'.repeat(32)]]);
  });

  it('quarantines a poison event and acknowledges it, but retries a record the sink failed', async () => {
    // Prepare: record 1 holds an event that can never be valid; the sink fails record 2 (transient)
    const poison = kinesisRecordFactory([transactionRecorded(rawSale({ paymentMethod: 'IOU' }), 'd'.repeat(32))], { sequenceNumber: '100' });
    const unlucky = kinesisRecordFactory([sale('2'.repeat(32))], { sequenceNumber: '200', shardId: 'shardId-000000000003' });
    const sink = recordingSink((batch) => eventIdsOf(batch).includes('2'.repeat(32)));
    const { transform, logs, metrics } = transformWith(sink);

    // Act
    const response = await transform(kinesisEventFactory(poison, unlucky), lambdaContextFactory());

    // Assess
    expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: '200' }] });
    expect(sink.loads.at(-2)?.quarantine).toEqual([
      { eventId: 'd'.repeat(32), source: 'file', sourceRef: 'chesterfield.csv', line: 1, reason: 'payment_unknown', field: 'data.paymentMethod', recordedAt: NOW.toISOString() },
    ]);
    expect(logs).toEqual([
      {
        level: 'WARN',
        message: 'event quarantined',
        reason: 'payment_unknown',
        field: 'data.paymentMethod',
        eventId: 'd'.repeat(32),
        source: 'file',
        shardId: 'shardId-000000000000',
        sequenceNumber: '100',
        timestamp: NOW.toISOString(),
        service: 'sales-transform',
      },
      {
        level: 'ERROR',
        message: 'record failed; the stream will retry it',
        reason: 'sink_load_failed',
        errorCode: 'ServiceUnavailableException',
        shardId: 'shardId-000000000003',
        sequenceNumber: '200',
        timestamp: NOW.toISOString(),
        service: 'sales-transform',
      },
    ]);
    expect(metrics).toEqual([['EventsQuarantined', 'Count', 1]]);
  });

  it('never logs a record’s data, a name or a card number', async () => {
    // Prepare
    const data = rawSale({ customerName: 'Ada Lovelace', cardNumber: '5555444433332222', paymentMethod: 'IOU' });
    const records = [kinesisRecordFactory([transactionRecorded(data)]), kinesisRecordFactory([transactionRecorded(rawSale({ customerName: 'Ada Lovelace' }), '2'.repeat(32))])];
    const { transform, logs } = transformWith(recordingSink((batch) => batch.sales.length > 0));

    // Act
    await transform(kinesisEventFactory(...records), lambdaContextFactory());

    // Assess
    const text = JSON.stringify(logs);
    expect(logs).toHaveLength(2);
    expect(text).not.toContain('Lovelace');
    expect(text).not.toContain('5555444433332222');
    for (const record of records) expect(text).not.toContain(record.kinesis.data.slice(0, 16));
  });

  it('quarantines a record whose body is not even gzip, under its stream position, and acknowledges it', async () => {
    // Prepare
    const damaged = kinesisRecordFactory(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]), { sequenceNumber: '300' });
    const sink = recordingSink();
    const { transform, logs } = transformWith(sink);

    // Act
    const response = await transform(kinesisEventFactory(damaged), lambdaContextFactory());

    // Assess
    expect(response).toStrictEqual({ batchItemFailures: [] });
    expect(sink.loads[0]?.quarantine).toEqual([
      expect.objectContaining({ source: 'stream', sourceRef: 'shardId-000000000000:300', line: null, reason: 'event_unreadable', field: null }),
    ]);
    expect(logs).toEqual([expect.objectContaining({ message: 'event quarantined', reason: 'event_unreadable', sequenceNumber: '300' })]);
  });

  it('projects every event packed into one record', async () => {
    // Prepare
    const packed = kinesisRecordFactory([sale('1'.repeat(32)), sale('2'.repeat(32)), rowRejected(), fileIngested()]);
    const sink = recordingSink();
    const { transform, metrics } = transformWith(sink);

    // Act
    const response = await transform(kinesisEventFactory(packed), lambdaContextFactory());

    // Assess
    expect(response).toStrictEqual({ batchItemFailures: [] });
    expect(eventIdsOf(sink.loads[0] as ProjectionBatch)).toEqual(['1'.repeat(32), '2'.repeat(32), 'b'.repeat(32), 'chesterfield.csv']);
    expect(metrics).toEqual([
      ['SalesLoaded', 'Count', 2],
      ['EventsQuarantined', 'Count', 1],
      ['EndToEndLagMs', 'Milliseconds', 1_000],
    ]);
  });

  it('retries every record when the pepper cannot be fetched, saying why', async () => {
    // Prepare
    const records = [kinesisRecordFactory([sale('1'.repeat(32))], { sequenceNumber: '400' })];
    const sink = recordingSink();
    const { transform, logs } = transformWith(sink, async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    });

    // Act
    const response = await transform(kinesisEventFactory(...records), lambdaContextFactory());

    // Assess
    expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: '400' }] });
    expect(sink.loads).toEqual([]);
    expect(logs).toEqual([expect.objectContaining({ level: 'ERROR', reason: 'pepper_unavailable', errorCode: 'ThrottlingException', sequenceNumber: '400' })]);
  });

  it('names the shard "shard" when the record has no event id, and never reports a negative lag', async () => {
    // Prepare: the producer's clock ran ahead of the consumer's
    const { eventID: _eventId, ...record } = kinesisRecordFactory([{ ...sale('1'.repeat(32)), recordedAt: '2021-08-25T09:00:09.000Z' }], { sequenceNumber: '600' });
    const { transform, logs, metrics } = transformWith(recordingSink((batch) => batch.files.length > 0));
    const poison = kinesisRecordFactory('not json', { sequenceNumber: '601' });
    const { eventID: _poisonId, ...anonymous } = poison;

    // Act
    await transform(kinesisEventFactory(record as KinesisStreamRecord, anonymous as KinesisStreamRecord), lambdaContextFactory());

    // Assess
    expect(metrics).toEqual([
      ['SalesLoaded', 'Count', 1],
      ['EndToEndLagMs', 'Milliseconds', 0],
      ['EventsQuarantined', 'Count', 1],
    ]);
    expect(logs).toEqual([expect.objectContaining({ reason: 'event_unreadable', shardId: 'shard', sequenceNumber: '601' })]);
  });

  it('names an unexpected failure as such', async () => {
    // Prepare: a bug of our own (here, a clock that throws)
    const record = kinesisRecordFactory([sale('1'.repeat(32))], { sequenceNumber: '500' });
    const { transform, logs } = transformWith(recordingSink(), async () => PEPPER, () => {
      throw new TypeError('clock is broken');
    });

    // Act
    const response = await transform(kinesisEventFactory(record), lambdaContextFactory());

    // Assess
    expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: '500' }] });
    expect(logs).toEqual([expect.objectContaining({ reason: 'unexpected', errorCode: 'TypeError', sequenceNumber: '500' })]);
  });
});

describe('Function: createSalesTransform, stream positions and lag', () => {
  it('names the shard "shard" when the record’s event id starts with its separator', async () => {
    // Prepare
    const record = { ...kinesisRecordFactory('not json', { sequenceNumber: '700' }), eventID: ':700' };
    const { transform, logs } = transformWith(recordingSink());
    // Act
    await transform(kinesisEventFactory(record), lambdaContextFactory());
    // Assess
    expect(logs).toEqual([expect.objectContaining({ reason: 'event_unreadable', shardId: 'shard', sequenceNumber: '700' })]);
  });

  it('measures a record’s lag from its oldest sale', async () => {
    // Prepare: sales recorded 3 s and 1 s before the clock's 09:00:06
    const packed = kinesisRecordFactory([{ ...sale('1'.repeat(32)), recordedAt: '2021-08-25T09:00:05.000Z' }, { ...sale('2'.repeat(32)), recordedAt: '2021-08-25T09:00:03.000Z' }]);
    const { transform, metrics } = transformWith(recordingSink());
    // Act
    await transform(kinesisEventFactory(packed), lambdaContextFactory());
    // Assess
    expect(metrics).toContainEqual(['EndToEndLagMs', 'Milliseconds', 3_000]);
  });
});

describe('Function: addProjection', () => {
  it('puts each kind of projection in its part of the batch', () => {
    // Prepare
    const batch = { sales: [], quarantine: [], files: [], voids: [] };
    const voided = { voidEventId: 'c'.repeat(32), saleEventId: 'a'.repeat(32), recordedAt: '2021-08-25T09:10:00.000Z' };
    // Act
    addProjection(batch, { kind: 'void', void: voided }, { shardId: 's', sequenceNumber: '1' }, createJsonLogger({ service: 't', write: () => undefined }));
    // Assess
    expect(batch).toEqual({ sales: [], quarantine: [], files: [], voids: [voided] });
  });

  it('refuses a kind of projection it does not know (the never check, at run time)', () => {
    const batch = { sales: [], quarantine: [], files: [], voids: [] };
    const act = () => addProjection(batch, { kind: 'retraction' } as never, { shardId: 's', sequenceNumber: '1' }, createJsonLogger({ service: 't', write: () => undefined }));
    expect(act).toThrow('unhandled projection "retraction"');
  });
});
