import { describe, expect, it } from 'vitest';
import type { Projection } from '../../../consumers/sales-transform/project-event.js';
import { positionOf } from '../../../consumers/sales-transform/process-batch.js';
import { kinesisRecordFactory, rawSale, transactionRecorded } from '../../../test/helpers/factories.js';
import { createReadAheadProjection } from './read-ahead-projection.js';

const PEPPER = 'pepper-for-tests';
/** What the read-ahead stamps as load time, and what the handler would: they tell a prepared projection from one made at handling. */
const PREPARED_AT = new Date('2021-08-25T09:00:01.000Z');
const HANDLED_AT = new Date('2021-08-25T09:00:09.000Z');

const record = (n: number) => kinesisRecordFactory([transactionRecorded(rawSale({ customerName: `Customer ${n}` }), String(n).repeat(32))]);
const loadedAt = (projections: Projection[]) => projections.map((projection) => (projection.kind === 'sale' ? projection.record.sale.loadedAt : projection.kind));
const withoutLoadTime = (projections: Projection[]) => projections.map((projection) => (projection.kind === 'sale' ? { ...projection.record, sale: { ...projection.record.sale, loadedAt: null } } : projection));
const customerKeyOf = (projections: Projection[]) => (projections[0]?.kind === 'sale' ? projections[0].record.sale.customerKey : undefined);

function readAhead(getPepper: () => Promise<string> = async () => PEPPER) {
  return createReadAheadProjection({ getPepper, clock: () => PREPARED_AT });
}

describe('Function: createReadAheadProjection', () => {
  it("hands the handler a prepared record's projections, once each", async () => {
    // Prepare
    const projection = readAhead();
    const records = [record(1), record(2)];
    await projection.prepare(records);
    const [first, second] = records as [(typeof records)[0], (typeof records)[0]];

    // Act
    const prepared = projection.project(first, PEPPER, HANDLED_AT, positionOf(first));
    const again = projection.project(first, PEPPER, HANDLED_AT, positionOf(first));

    // Assess: the same sale either way; only the load time says when it was projected.
    expect(loadedAt(prepared)).toEqual([PREPARED_AT.toISOString()]);
    expect(loadedAt(again)).toEqual([HANDLED_AT.toISOString()]);
    expect(withoutLoadTime(prepared)).toEqual(withoutLoadTime(again));
    expect(loadedAt(projection.project(second, PEPPER, HANDLED_AT, positionOf(second)))).toEqual([PREPARED_AT.toISOString()]);
  });

  it('projects again under another pepper (a prepared customer key is only good for its own)', async () => {
    const projection = readAhead();
    const [only] = [record(3)] as const;
    await projection.prepare([only]);
    const projections = projection.project(only, 'another-pepper', HANDLED_AT, positionOf(only));
    expect(loadedAt(projections)).toEqual([HANDLED_AT.toISOString()]);
    expect(customerKeyOf(projections)).not.toBe(customerKeyOf(readAhead().project(only, PEPPER, HANDLED_AT, positionOf(only))));
  });

  it('stops preparing once the handler has had to project a record itself', async () => {
    // Prepare: the handler reaches the batch before its preparing is done.
    const projection = readAhead();
    const records = [record(4), record(5), record(6)] as const;
    const preparing = projection.prepare(records);

    // Act: the handler projects the first record itself (nothing is prepared yet), then preparing runs out.
    expect(loadedAt(projection.project(records[0], PEPPER, HANDLED_AT, positionOf(records[0])))).toEqual([HANDLED_AT.toISOString()]);
    await preparing;

    // Assess: nothing of that batch was prepared after all.
    for (const later of records.slice(1)) expect(loadedAt(projection.project(later, PEPPER, HANDLED_AT, positionOf(later)))).toEqual([HANDLED_AT.toISOString()]);
  });

  it('keeps only the latest batch read ahead', async () => {
    const projection = readAhead();
    const [older, newer] = [record(7), record(8)] as const;
    await projection.prepare([older]);
    await projection.prepare([newer]);
    expect(loadedAt(projection.project(older, PEPPER, HANDLED_AT, positionOf(older)))).toEqual([HANDLED_AT.toISOString()]);
    expect(loadedAt(projection.project(newer, PEPPER, HANDLED_AT, positionOf(newer)))).toEqual([PREPARED_AT.toISOString()]);
  });

  it('prepares nothing when the pepper cannot be had (the handler meets and reports that itself)', async () => {
    const projection = readAhead(async () => {
      throw new Error('parameter store unavailable');
    });
    const [only] = [record(9)] as const;
    await expect(projection.prepare([only])).resolves.toBeUndefined();
    expect(loadedAt(projection.project(only, PEPPER, HANDLED_AT, positionOf(only)))).toEqual([HANDLED_AT.toISOString()]);
  });
});
