import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarehouseTables } from '../../contracts/index.js';
import type { TillRefund, TillRefundResponse, TillVoidResponse } from '../../contracts/till-corrections.js';
import type { TillSale, TillSaleItem, TillSalesResponse } from '../../contracts/till-sale.js';
import { runPanel, type PanelRow } from '../../grafana/testing/run-panel.js';
import { loadDashboards, type LoadedDashboard } from '../../grafana/viewer/dashboard-model.js';
import type { TimeRange } from '../../grafana/viewer/time-range.js';
import { freePort } from '../../infra/local/emulators/free-port.js';
import { localKinesisClient } from '../../infra/local/emulators/local-stream.js';
import { replayArchive } from '../../infra/local/consumer/replay.js';
import { createKinesisEventWriter } from '../../producers/shared/kinesis-event-writer.js';
import { mergeReceipts, type EventWriter, type WriteReceipt } from '../../producers/shared/ports.js';
import { buildTillApiServer } from '../../producers/till-api/app.js';
import { createPostgresCredentialStore, issueTillCredential, type CredentialStore } from '../../producers/till-api/credentials/credentials.js';
import { createPostgresIdempotencyStore } from '../../producers/till-api/idempotency/adapters/postgres-idempotency-store.js';
import { startTestStack, type TestStack } from '../helpers/local-stack.js';

/**
 * Till voids and refunds end to end (docs/corrections.md): the real till API on a
 * real local stack (kinesalite, the consumer, embedded PostgreSQL), the sales
 * overview's committed panel SQL run against the warehouse, and a replay of the
 * archive at the end. Each case has a branch of its own, so its figures are its own.
 */

const CARD = '4929123456781234';
const NAME = 'Zebedee Quartermain';
const TEA: TillSaleItem = { size: 'Large', product: 'Speciality Tea', flavour: 'Camomile', pricePence: 160 };
const CORTADO: TillSaleItem = { size: 'Regular', product: 'Cortado', pricePence: 205 };
const LATTE: TillSaleItem = { size: 'Large', product: 'Latte', pricePence: 245 };
/** Friday 10 September 2021, a London day (BST). */
const DAY: TimeRange = { from: new Date('2021-09-09T23:00:00Z'), to: new Date('2021-09-10T22:59:59.999Z') };
const OVERVIEW = 'supercafe-sales-overview';

type Answer<T> = { status: number; body: T & { error?: string; message?: string; eventId?: string; field?: string | null } };

describe('End to end: till voids and refunds on a real local stack', () => {
  let test: TestStack;
  let server: FastifyInstance;
  let baseUrl: string;
  let credentials: CredentialStore;
  let writer: EventWriter;
  let deadWriter: EventWriter;
  let overview: LoadedDashboard;
  const receipt: WriteReceipt = new Map();
  const responses: string[] = [];
  // The API's writer can be swapped for one on a stopped endpoint: "the stream is down".
  const switchable: EventWriter = { write: (events) => writer.write(events) };
  let serial = 0;

  const issue = async (branch: string) => {
    const { token, tillId } = await issueTillCredential(credentials, { branch });
    return { token, tillId };
  };
  const post = async <T>(route: string, body: unknown, token: string): Promise<Answer<T>> => {
    const response = await fetch(`${baseUrl}${route}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    const text = await response.text();
    responses.push(text);
    return { status: response.status, body: JSON.parse(text) as Answer<T>['body'] };
  };
  const sale = (branch: string, occurredAt: string, items: readonly TillSaleItem[] = [TEA, CORTADO]): TillSale => ({
    saleId: `S-${++serial}`,
    branch,
    occurredAt,
    items: [...items],
    totalPence: items.reduce((total, item) => total + item.pricePence, 0),
    paymentMethod: 'CARD',
    customer: { name: NAME, cardNumber: CARD },
  });
  /** Posts a sale and returns its event id. */
  const postSale = async (token: string, body: TillSale) => {
    const answer = await post<TillSalesResponse>('/v1/sales', body, token);
    expect(answer.status).toBe(202);
    return answer.body.results[0]?.eventId ?? '';
  };
  const voidOf = (saleId: string, overrides: Record<string, unknown> = {}) => ({ saleId, occurredAt: '2021-09-10T15:00:00+01:00', ...overrides });
  const refundOf = (saleId: string, items: readonly TillSaleItem[], overrides: Partial<TillRefund> = {}): TillRefund => ({
    refundId: `R-${++serial}`,
    saleId,
    occurredAt: '2021-09-10T16:00:00+01:00',
    items: [...items],
    totalPence: items.reduce((total, item) => total + item.pricePence, 0),
    paymentMethod: 'CARD',
    ...overrides,
  });
  const postVoid = (token: string, body: unknown) => post<TillVoidResponse>('/v1/voids', body, token);
  const postRefund = (token: string, body: unknown) => post<TillRefundResponse>('/v1/refunds', body, token);

  const settle = () => test.stack.waitFor(new Map(receipt));
  const query = async <T extends object>(sql: string, values: unknown[] = []) => (await test.stack.warehouse.pool.query<T & Record<string, unknown>>(sql, values)).rows;
  const salesOf = (branch: string) =>
    query<{ event_id: string; kind: string | null; refund_of: string | null; total_pence: number; item_count: number; source: string }>(
      'SELECT event_id, kind, refund_of, total_pence, item_count, source FROM sales WHERE branch = $1 ORDER BY sold_at, event_id',
      [branch],
    );
  const panel = (title: string, branch: string) => runPanel(test.stack.warehouse.pool, overview, title, DAY, [branch]);
  /** The range's own figure of a stat panel (its second row; the first is the week before). */
  const stat = async (title: string, branch: string) => Number((await panel(title, branch))[1]?.[title]);
  /** Every SQL panel of the sales overview for one branch and the day, by title. */
  const everyFigure = async (branch: string) => {
    const titles = overview.view.panels.filter((candidate) => overview.panelSql.has(candidate.id)).map((candidate) => candidate.title ?? '');
    const figures: Record<string, PanelRow[]> = {};
    for (const title of titles) figures[title] = await panel(title, branch);
    return figures;
  };

  beforeAll(async () => {
    test = await startTestStack();
    credentials = createPostgresCredentialStore(test.stack.warehouse.pool);
    writer = test.stack.writer;
    deadWriter = createKinesisEventWriter({
      client: localKinesisClient(`http://127.0.0.1:${await freePort()}`),
      streamName: test.stack.stream.streamName,
      maxAttempts: 2,
      baseDelayMs: 5,
      maxDelayMs: 10,
    });
    server = await buildTillApiServer({
      writer: switchable,
      credentials,
      idempotency: createPostgresIdempotencyStore(test.stack.warehouse.pool),
      rateLimit: false,
      onWritten: (written) => mergeReceipts(receipt, written),
    });
    await server.listen({ port: 0, host: '127.0.0.1' });
    const address = server.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const dashboards = await loadDashboards(join(import.meta.dirname, '..', '..', 'grafana', 'dashboards', 'local'));
    const found = dashboards.find((dashboard) => dashboard.view.uid === OVERVIEW);
    if (!found) throw new Error(`no dashboard ${OVERVIEW}`);
    overview = found;
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await test?.stop();
  });

  describe('voids', () => {
    it('removes a voided sale from sales, sale_items and every figure of the sales overview', async () => {
      // Prepare: a sale that stays, the figures with it alone, then the sale to void
      const { token } = await issue('Voidsby');
      await postSale(token, sale('Voidsby', '2021-09-10T09:00:00+01:00', [TEA]));
      await settle();
      const before = await everyFigure('Voidsby');
      const mistaken = sale('Voidsby', '2021-09-10T14:30:00+01:00', [LATTE, CORTADO]);
      const mistakenId = await postSale(token, mistaken);
      await settle();
      expect(await stat('Revenue', 'Voidsby')).toBeCloseTo(1.6 + 4.5, 2);
      expect(await stat('Sales', 'Voidsby')).toBe(2);
      // Act
      const voided = await postVoid(token, voidOf(mistaken.saleId, { reason: 'posted_in_error' }));
      await settle();
      // Assess
      expect(voided.status).toBe(202);
      expect(voided.body).toMatchObject({ status: 'accepted', saleEventId: mistakenId });
      expect(await query('SELECT 1 FROM sales WHERE event_id = $1', [mistakenId])).toEqual([]);
      expect(await query('SELECT 1 FROM sale_items WHERE event_id = $1', [mistakenId])).toEqual([]);
      expect(await query('SELECT kind, voided_by FROM till_sales WHERE event_id = $1', [mistakenId])).toEqual([{ kind: 'sale', voided_by: voided.body.eventId }]);
      expect(await everyFigure('Voidsby')).toEqual(before);
      expect(await stat('Revenue', 'Voidsby')).toBeCloseTo(1.6, 2);
    });

    it('still wins when it reaches the stream before its sale (the sale written only on its retry)', async () => {
      // Prepare: a sale that stays; the till posts the second sale while the stream is down
      const { token } = await issue('Earlyvoid');
      await postSale(token, sale('Earlyvoid', '2021-09-10T09:00:00+01:00', [TEA]));
      const late = sale('Earlyvoid', '2021-09-10T11:00:00+01:00', [LATTE]);
      writer = deadWriter;
      const during = await post<TillSalesResponse>('/v1/sales', late, token);
      writer = test.stack.writer;
      expect(during.status).toBe(503);
      // Act: the void lands first, then the retried sale
      const voided = await postVoid(token, voidOf(late.saleId));
      await settle();
      const retried = await postSale(token, late);
      await settle();
      // Assess
      expect(voided.status).toBe(202);
      expect(voided.body.saleEventId).toBe(retried);
      expect((await salesOf('Earlyvoid')).map((row) => row.total_pence)).toEqual([160]);
      expect(await query('SELECT 1 FROM sale_items WHERE event_id = $1', [retried])).toEqual([]);
      expect(await stat('Revenue', 'Earlyvoid')).toBeCloseTo(1.6, 2);
      expect(await stat('Sales', 'Earlyvoid')).toBe(1);
    });

    it('answers voiding twice, from the same till or another till of the branch, as a duplicate with one event id', async () => {
      // Prepare
      const front = await issue('Twicevoid');
      const back = await issue('Twicevoid');
      await postSale(front.token, sale('Twicevoid', '2021-09-10T09:00:00+01:00', [TEA]));
      const target = sale('Twicevoid', '2021-09-10T10:00:00+01:00');
      const targetId = await postSale(front.token, target);
      // Act
      const first = await postVoid(front.token, voidOf(target.saleId));
      const again = await postVoid(front.token, voidOf(target.saleId, { occurredAt: '2021-09-10T15:05:00+01:00' }));
      const fromBack = await postVoid(back.token, voidOf(target.saleId, { tillId: front.tillId }));
      const backOwn = await postVoid(back.token, voidOf(target.saleId));
      await settle();
      // Assess
      expect([first, again, fromBack].map((answer) => [answer.status, answer.body.status])).toEqual([
        [202, 'accepted'],
        [202, 'duplicate'],
        [202, 'duplicate'],
      ]);
      expect(new Set([first, again, fromBack].map((answer) => answer.body.eventId)).size).toBe(1);
      expect(backOwn).toMatchObject({ status: 404, body: { error: 'sale_not_found' } });
      expect(await query('SELECT voided_by FROM till_sales WHERE event_id = $1', [targetId])).toEqual([{ voided_by: first.body.eventId }]);
      expect((await salesOf('Twicevoid')).map((row) => row.total_pence)).toEqual([160]);
    });

    it("refuses a till of another branch (403) and leaves the sale in every figure", async () => {
      // Prepare
      const own = await issue('Ownbranch');
      const other = await issue('Otherbranch');
      const kept = sale('Ownbranch', '2021-09-10T09:00:00+01:00');
      const keptId = await postSale(own.token, kept);
      // Act
      const refused = await postVoid(other.token, voidOf(kept.saleId, { tillId: own.tillId }));
      const refusedRefund = await postRefund(other.token, refundOf(kept.saleId, [TEA], { tillId: own.tillId }));
      await settle();
      // Assess
      expect(refused).toMatchObject({ status: 403, body: { error: 'branch_forbidden' } });
      expect(refusedRefund).toMatchObject({ status: 403, body: { error: 'branch_forbidden' } });
      expect(await salesOf('Ownbranch')).toEqual([expect.objectContaining({ event_id: keptId, total_pence: 365 })]);
      expect(await query('SELECT voided_by FROM till_sales WHERE event_id = $1', [keptId])).toEqual([{ voided_by: null }]);
      expect(await stat('Revenue', 'Ownbranch')).toBeCloseTo(3.65, 2);
    });
  });

  describe('refunds', () => {
    it('records a refund as a negative sales row linked to the sale; revenue is net of it, and it is not a sale', async () => {
      // Prepare
      const { token, tillId } = await issue('Refundham');
      const bought = sale('Refundham', '2021-09-10T09:00:00+01:00');
      const boughtId = await postSale(token, bought);
      // Act
      const refunded = await postRefund(token, refundOf(bought.saleId, [CORTADO]));
      await settle();
      // Assess
      expect(refunded).toMatchObject({ status: 202, body: { status: 'accepted', refundOf: boughtId } });
      expect(await salesOf('Refundham')).toEqual([
        { event_id: boughtId, kind: 'sale', refund_of: null, total_pence: 365, item_count: 2, source: 'till' },
        { event_id: refunded.body.eventId, kind: 'refund', refund_of: boughtId, total_pence: -205, item_count: 1, source: 'till' },
      ]);
      expect(await query('SELECT size, product, flavour, price_pence FROM sale_items WHERE event_id = $1', [refunded.body.eventId])).toEqual([{ size: 'Regular', product: 'Cortado', flavour: null, price_pence: -205 }]);
      expect(await query('SELECT source_ref, customer_key, card_brand FROM sales WHERE event_id = $1', [refunded.body.eventId])).toEqual([{ source_ref: tillId, customer_key: null, card_brand: null }]);
      expect(await stat('Revenue', 'Refundham')).toBeCloseTo(1.6, 2);
      expect(Number((await panel('Revenue by branch', 'Refundham'))[0]?.Revenue)).toBeCloseTo(1.6, 2);
      expect(await stat('Sales', 'Refundham')).toBe(1);
      expect(Number((await panel('Sales by branch', 'Refundham'))[0]?.Sales)).toBe(1);
    });

    it('lets partial refunds, also posted at once, add up to the sale total and no further', async () => {
      // Prepare: a sale of 365 p
      const { token } = await issue('Partialton');
      const bought = sale('Partialton', '2021-09-10T09:00:00+01:00');
      await postSale(token, bought);
      const hundred = { ...CORTADO, pricePence: 100 };
      // Act: four refunds of 100 p at once (three fit), then the 65 p left, then a penny more
      const racing = await Promise.all(Array.from({ length: 4 }, () => postRefund(token, refundOf(bought.saleId, [hundred]))));
      const rest = await postRefund(token, refundOf(bought.saleId, [{ ...TEA, pricePence: 65 }]));
      const penny = await postRefund(token, refundOf(bought.saleId, [{ ...TEA, pricePence: 1 }]));
      await settle();
      // Assess
      expect(racing.map((answer) => answer.status).sort()).toEqual([202, 202, 202, 409]);
      expect(racing.find((answer) => answer.status === 409)?.body).toMatchObject({ error: 'refund_exceeds_sale', field: 'totalPence' });
      expect(rest.status).toBe(202);
      expect(penny).toMatchObject({ status: 409, body: { error: 'refund_exceeds_sale' } });
      expect(penny.body.message).toContain('at most 0 pence');
      const rows = await salesOf('Partialton');
      expect(rows.filter((row) => row.kind === 'refund').map((row) => row.total_pence).sort()).toEqual([-100, -100, -100, -65]);
      expect(await stat('Revenue', 'Partialton')).toBeCloseTo(0, 2);
      expect(await stat('Sales', 'Partialton')).toBe(1);
    });

    it('lands a refund retried after a failed stream write once, never refused as exceeding the sale', async () => {
      // Prepare: the whole sale refunded while the stream is down
      const { token, tillId } = await issue('Retryford');
      const bought = sale('Retryford', '2021-09-10T09:00:00+01:00');
      const boughtId = await postSale(token, bought);
      const whole = refundOf(bought.saleId, [TEA, CORTADO]);
      writer = deadWriter;
      const during = await postRefund(token, whole);
      writer = test.stack.writer;
      // Act: the till retries, then retries again, then reuses the refund id for another refund
      const retried = await postRefund(token, whole);
      const again = await postRefund(token, { ...whole, occurredAt: '2021-09-10T15:00:00Z' });
      const reused = await postRefund(token, { ...whole, items: [TEA], totalPence: 160 });
      await settle();
      // Assess
      expect(during).toMatchObject({ status: 503, body: { error: 'stream_unavailable' } });
      expect([retried, again].map((answer) => [answer.status, answer.body.status])).toEqual([
        [202, 'duplicate'],
        [202, 'duplicate'],
      ]);
      expect(reused).toMatchObject({ status: 409, body: { error: 'refund_id_conflict', field: 'refundId', eventId: retried.body.eventId } });
      expect(await salesOf('Retryford')).toEqual([
        expect.objectContaining({ event_id: boughtId, total_pence: 365 }),
        expect.objectContaining({ event_id: retried.body.eventId, kind: 'refund', refund_of: boughtId, total_pence: -365 }),
      ]);
      expect(await query("SELECT reason, field FROM quarantine WHERE source = 'till' AND source_ref = $1", [tillId])).toEqual([{ reason: 'sale_id_conflict', field: 'refundId' }]);
      expect(await stat('Revenue', 'Retryford')).toBeCloseTo(0, 2);
    });

    it('quarantines a refund whose lines do not add up, and records nothing else', async () => {
      const { token, tillId } = await issue('Mismatchby');
      const bought = sale('Mismatchby', '2021-09-10T09:00:00+01:00');
      await postSale(token, bought);
      const wrong = await postRefund(token, refundOf(bought.saleId, [CORTADO], { totalPence: 300 }));
      await settle();
      expect(wrong).toMatchObject({ status: 422, body: { error: 'total_mismatch', field: 'totalPence' } });
      expect(await query("SELECT reason, field FROM quarantine WHERE source = 'till' AND source_ref = $1", [tillId])).toEqual([{ reason: 'total_mismatch', field: 'totalPence' }]);
      expect((await salesOf('Mismatchby')).map((row) => row.kind)).toEqual(['sale']);
    });
  });

  describe('voids and refunds of one sale', () => {
    it('refuses to void a refunded sale (409 sale_refunded) and to refund a voided one (409 sale_voided)', async () => {
      // Prepare
      const { token } = await issue('Bothways');
      const refundedSale = sale('Bothways', '2021-09-10T09:00:00+01:00');
      const voidedSale = sale('Bothways', '2021-09-10T10:00:00+01:00', [LATTE]);
      const refundedId = await postSale(token, refundedSale);
      await postSale(token, voidedSale);
      expect((await postRefund(token, refundOf(refundedSale.saleId, [TEA]))).status).toBe(202);
      expect((await postVoid(token, voidOf(voidedSale.saleId))).status).toBe(202);
      // Act
      const voidRefunded = await postVoid(token, voidOf(refundedSale.saleId));
      const refundVoided = await postRefund(token, refundOf(voidedSale.saleId, [TEA]));
      await settle();
      // Assess
      expect(voidRefunded).toMatchObject({ status: 409, body: { error: 'sale_refunded' } });
      expect(refundVoided).toMatchObject({ status: 409, body: { error: 'sale_voided' } });
      expect((await salesOf('Bothways')).map((row) => [row.kind, row.total_pence])).toEqual([
        ['sale', 365],
        ['refund', -160],
      ]);
      expect(await query('SELECT voided_by FROM till_sales WHERE event_id = $1', [refundedId])).toEqual([{ voided_by: null }]);
      expect(await stat('Revenue', 'Bothways')).toBeCloseTo(2.05, 2);
    });
  });

  it('rebuilds identical tables from the archive after all of these (supercafe replay)', async () => {
    // Prepare
    await settle();
    const snapshot = async () => {
      const tables: Record<string, unknown[]> = {};
      for (const table of Object.values(WarehouseTables)) tables[table.name] = await query(`SELECT * FROM ${table.name} ORDER BY ${table.primaryKey.join(', ')}`);
      return tables;
    };
    const before = await snapshot();
    expect(before.sales?.some((row) => (row as { kind: string }).kind === 'refund')).toBe(true);
    expect(before.till_sales?.some((row) => (row as { voided_by: string | null }).voided_by !== null)).toBe(true);
    // Act
    await replayArchive(test.stack.warehouse.pool, test.stack.dataDir.archive);
    // Assess
    expect(await snapshot()).toEqual(before);
  });

  it('never echoes a card number or a customer name', () => {
    expect(responses.length).toBeGreaterThan(20);
    for (const text of responses) {
      expect(text).not.toContain(CARD);
      expect(text).not.toContain(NAME);
    }
  });
});
