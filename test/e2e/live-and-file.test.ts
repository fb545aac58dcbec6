import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, type SalesStreamEvent } from '../../contracts/index.js';
import { tillSaleEventId } from '../../producers/shared/event-id.js';
import { startTestStack, type TestStack } from '../helpers/local-stack.js';

/** A live till sale as the till API publishes it. */
function tillSale(saleId: string, occurredAt: string, items: { size: string; name: string; price: string }[], total: string): SalesStreamEvent {
  return {
    type: 'TransactionRecorded',
    schemaVersion: SCHEMA_VERSION,
    eventId: tillSaleEventId('till_live_test', saleId),
    recordedAt: occurredAt,
    occurredAt,
    source: { kind: 'till', tillId: 'till_live_test', saleId },
    data: { timestamp: occurredAt, branch: 'Tillville', customerName: null, items, total, paymentMethod: 'CASH', cardNumber: null, cardBrand: null },
  };
}

describe('Live tills and the nightly file together: each sale counts once', () => {
  let test: TestStack;
  let file: string;
  const figures = async () =>
    (await test.stack.warehouse.pool.query<{ sales: number; revenue: number; till: number }>(
      "SELECT count(*)::int AS sales, sum(total_pence)::int AS revenue, count(*) FILTER (WHERE source = 'till')::int AS till FROM sales WHERE branch = 'Tillville'",
    )).rows[0];

  beforeAll(async () => {
    test = await startTestStack();
    const dir = await mkdtemp(join(tmpdir(), 'supercafe-live-'));
    file = join(dir, 'tillville_01-03-2024.csv');
    await writeFile(
      file,
      [
        '01/03/2024 09:00,Tillville,Ann Example,Large Latte - 2.45,2.45,CASH,',
        '01/03/2024 09:05,Tillville,Bob Example,"Regular Tea - 1.50, Large Latte - 2.45",3.95,CASH,',
        '01/03/2024 09:10,Tillville,Cat Example,Regular Mocha - 2.30,2.30,CASH,',
        '',
      ].join('\n'),
    );
    // Two of the file's three sales were posted live by the till, seconds into their minute.
    const receipt = await test.stack.writer.write([
      tillSale('s-1', '2024-03-01T09:00:20Z', [{ size: 'Large', name: 'Latte', price: '2.45' }], '2.45'),
      tillSale('s-2', '2024-03-01T09:05:40Z', [{ size: 'Large', name: 'Latte', price: '2.45' }, { size: 'Regular', name: 'Tea', price: '1.50' }], '3.95'),
    ]);
    await test.stack.waitFor(receipt);
  }, 120_000);
  afterAll(() => test?.stop());

  it('counts each of the file rows the tills posted once, as the till sale', async () => {
    // Act
    const run = await test.ingest([file]);

    // Assess: the producer publishes every row; the fold counts the matched ones once
    expect(run.summaries[0]).toMatchObject({ rowsRead: 3, eventsPublished: 3, rowsRejected: 0 });
    expect(await figures()).toEqual({ sales: 3, revenue: 245 + 395 + 230, till: 2 });
  });

  it('leaves the figures unchanged when the file is uploaded again', async () => {
    await test.ingest([file]);
    expect(await figures()).toEqual({ sales: 3, revenue: 870, till: 2 });
  });

  it('counts a till sale posted after its file was loaded once', async () => {
    // Prepare: the file's 09:10 mocha has not been posted live yet
    expect(await figures()).toEqual({ sales: 3, revenue: 870, till: 2 });
    // Act: the till catches up, late
    const receipt = await test.stack.writer.write([tillSale('s-3', '2024-03-01T09:10:59Z', [{ size: 'Regular', name: 'Mocha', price: '2.30' }], '2.30')]);
    await test.stack.waitFor(receipt);
    // Assess
    expect(await figures()).toEqual({ sales: 3, revenue: 870, till: 3 });
  });
});
