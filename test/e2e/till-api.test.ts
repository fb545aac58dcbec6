import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TillSale, TillSalesResponse } from '../../contracts/till-sale.js';
import { freePort } from '../../infra/local/emulators/free-port.js';
import { localKinesisClient } from '../../infra/local/emulators/local-stream.js';
import { buildTillApiServer } from '../../producers/till-api/app.js';
import { createPostgresIdempotencyStore } from '../../producers/till-api/idempotency/adapters/postgres-idempotency-store.js';
import { validTillSale } from '../../producers/till-api/fixtures.js';
import { createPostgresCredentialStore, issueTillCredential, revokeTillCredential, type CredentialStore } from '../../producers/till-api/credentials/credentials.js';
import { formatReconciliation, postgresReportRunner, reconcileBranchDay } from '../../producers/till-api/reconcile/reconcile-report.js';
import { StreamWriteError } from '../../producers/shared/errors.js';
import { createKinesisEventWriter } from '../../producers/shared/kinesis-event-writer.js';
import { mergeReceipts, type EventWriter, type WriteReceipt } from '../../producers/shared/ports.js';
import { startTestStack, type TestStack } from '../helpers/local-stack.js';

// Personal data planted in requests: no response may ever contain them.
const CARD = '4929123456781234';
const NAME = 'Zebedee Quartermain';
const FIELD = join(import.meta.dirname, '..', 'field');

describe('End to end: the till API on a real local server', () => {
  let test: TestStack;
  let server: FastifyInstance;
  let baseUrl: string;
  let credentials: CredentialStore;
  let writer: EventWriter;
  let deadWriter: EventWriter;
  const receipt: WriteReceipt = new Map();
  const responses: string[] = [];
  // The API's writer can be swapped for one on a stopped endpoint: "the stream is down".
  const switchable: EventWriter = { write: (events) => writer.write(events) };

  const sale = (branch: string, overrides: Partial<TillSale> = {}): TillSale => validTillSale(branch, { customer: { name: NAME, cardNumber: CARD }, ...overrides });

  const post = async (body: unknown, token: string | undefined, init: { raw?: string; contentType?: string } = {}) => {
    const headers: Record<string, string> = { 'content-type': init.contentType ?? 'application/json' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${baseUrl}/v1/sales`, { method: 'POST', headers, body: init.raw ?? JSON.stringify(body) });
    const text = await response.text();
    responses.push(text);
    return { status: response.status, headers: response.headers, body: JSON.parse(text) as TillSalesResponse & { error?: string; message?: string } };
  };

  const salesRows = async (saleIds: readonly string[]) => {
    await test.stack.waitFor(new Map(receipt));
    const result = await test.stack.warehouse.pool.query<{ event_id: string; branch: string; source: string; source_ref: string; total_pence: number; item_count: number; payment_method: string; customer_key: string | null }>(
      `SELECT s.* FROM sales s WHERE s.event_id = ANY($1)`,
      [saleIds],
    );
    return result.rows;
  };

  const issue = async (branch: string) => (await issueTillCredential(credentials, { branch })).token;

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
      rateLimit: { salesPerSecond: 1, burst: 120 },
      onWritten: (written) => mergeReceipts(receipt, written),
    });
    await server.listen({ port: 0, host: '127.0.0.1' });
    const address = server.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await server?.close();
    await test?.stop();
  });

  describe('valid posts', () => {
    it('records a single sale as a till sale in the warehouse', async () => {
      // Prepare
      const token = await issue('Leeds');
      const single = sale('Leeds');
      // Act
      const response = await post(single, token);
      // Assess
      expect(response.status).toBe(202);
      expect(response.body).toMatchObject({ accepted: 1, duplicates: 0, rejected: 0 });
      const eventId = response.body.results[0]?.eventId ?? '';
      const rows = await salesRows([eventId]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ branch: 'Leeds', source: 'till', total_pence: 365, item_count: 2, payment_method: 'CARD' });
      expect(rows[0]?.source_ref).toBe(token.split('.')[0]);
      expect(rows[0]?.customer_key).toMatch(/^[0-9a-f]{64}$/);
      const items = await test.stack.warehouse.pool.query('SELECT product, flavour, size, price_pence FROM sale_items WHERE event_id = $1 ORDER BY line_no', [eventId]);
      expect(items.rows).toEqual([
        { product: 'Speciality Tea', flavour: 'Camomile', size: 'Large', price_pence: 160 },
        { product: 'Cortado', flavour: null, size: 'Regular', price_pence: 205 },
      ]);
    });

    it('records every sale of a batch, under the branch as the credential spells it', async () => {
      // Prepare
      const token = await issue('London Soho');
      const batch = [sale('london  soho'), sale('London Soho', { paymentMethod: 'CASH', customer: undefined }), sale('London Soho')];
      // Act
      const response = await post({ sales: batch }, token);
      // Assess
      expect(response.status).toBe(202);
      expect(response.body).toMatchObject({ accepted: 3, rejected: 0 });
      const rows = await salesRows(response.body.results.map((result) => result.eventId ?? ''));
      expect(rows).toHaveLength(3);
      expect(new Set(rows.map((row) => row.branch))).toEqual(new Set(['London Soho']));
    });
  });

  describe('credentials', () => {
    it.each([
      ['missing', undefined, 'credentials_missing'],
      ['malformed', 'not-a-token', 'credentials_malformed'],
      ['unknown', `till_0000000000000000.${'A'.repeat(43)}`, 'credentials_invalid'],
    ])('refuses a %s credential with 401', async (_case, token, code) => {
      const response = await post(sale('Leeds'), token);
      expect(response.status).toBe(401);
      expect(response.body.error).toBe(code);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });

    it('refuses a wrong secret for a real till with 401', async () => {
      // Prepare
      const token = await issue('Leeds');
      const [tillId] = token.split('.');
      // Act
      const response = await post(sale('Leeds'), `${tillId}.${'B'.repeat(43)}`);
      // Assess
      expect(response.status).toBe(401);
      expect(response.body.error).toBe('credentials_invalid');
    });

    it('refuses a revoked credential that worked before', async () => {
      // Prepare
      const token = await issue('Leeds');
      expect((await post(sale('Leeds'), token)).status).toBe(202);
      // Act
      expect(await revokeTillCredential(credentials, token.split('.')[0] ?? '')).toBe(true);
      const response = await post(sale('Leeds'), token);
      // Assess
      expect(response.status).toBe(401);
      expect(response.body.error).toBe('credentials_revoked');
    });

    it("refuses a till posting another branch's sales with 403, writing nothing", async () => {
      // Prepare
      const token = await issue('Leeds');
      const foreign = sale('Birmingham');
      // Act
      const response = await post({ sales: [sale('Leeds'), foreign] }, token);
      // Assess
      expect(response.status).toBe(403);
      expect(response.body.error).toBe('branch_forbidden');
      expect(response.body.message).toContain('sales[1]');
      const count = await test.stack.warehouse.pool.query('SELECT count(*)::int AS n FROM sales WHERE branch = $1', ['Birmingham']);
      expect(count.rows[0]?.n).toBe(0);
    });
  });

  describe('bad requests', () => {
    it('answers malformed JSON with 400 without quoting it', async () => {
      const token = await issue('Leeds');
      const response = await post(undefined, token, { raw: `{"saleId": "x", "customer": {"cardNumber": "${CARD}", "name": "${NAME}"` });
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('malformed_json');
    });

    it('answers a body that is not JSON with 415', async () => {
      const token = await issue('Leeds');
      const response = await post(undefined, token, { raw: 'saleId=1', contentType: 'text/plain' });
      expect(response.status).toBe(415);
      expect(response.body.error).toBe('unsupported_media_type');
    });

    it('answers a single invalid sale with 422, its reason and field, and quarantines it', async () => {
      // Prepare
      const token = await issue('Leeds');
      const wrong = sale('Leeds', { totalPence: 999 });
      // Act
      const response = await post(wrong, token);
      // Assess
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({ error: 'sales_rejected', accepted: 0, rejected: 1 });
      expect(response.body.results[0]).toMatchObject({ saleId: wrong.saleId, status: 'rejected', reason: 'total_mismatch', field: 'totalPence' });
      await test.stack.waitFor(new Map(receipt));
      const quarantine = await test.stack.warehouse.pool.query('SELECT source, reason, field FROM quarantine WHERE source_ref = $1', [token.split('.')[0]]);
      expect(quarantine.rows).toEqual([{ source: 'till', reason: 'total_mismatch', field: 'totalPence' }]);
    });

    it('accepts the good sales of a batch and reports each bad one by path', async () => {
      // Prepare
      const token = await issue('Leeds');
      const good = sale('Leeds');
      const noItems = { ...sale('Leeds'), items: [] };
      const badSize = { ...sale('Leeds'), items: [{ size: 'Huge', product: 'Latte', pricePence: 245 }], totalPence: 245 };
      const noCard = sale('Leeds', { customer: { name: NAME } });
      // Act
      const response = await post({ sales: [good, noItems, badSize, noCard, 'not a sale'] }, token);
      // Assess
      expect(response.status).toBe(202);
      expect(response.body).toMatchObject({ accepted: 1, rejected: 4 });
      expect(response.body.results.map((result) => [result.status, result.reason, result.field])).toEqual([
        ['accepted', undefined, undefined],
        ['rejected', 'basket_empty', 'items'],
        ['rejected', 'size_unknown', 'items.0.size'],
        ['rejected', 'card_missing', 'customer.cardNumber'],
        ['rejected', 'row_malformed', null],
      ]);
      expect(await salesRows([response.body.results[0]?.eventId ?? ''])).toHaveLength(1);
    });

    it('answers an oversize body with 413', async () => {
      const token = await issue('Leeds');
      const padding = 'x'.repeat(300 * 1024);
      const response = await post(undefined, token, { raw: JSON.stringify({ ...sale('Leeds'), padding }) });
      expect(response.status).toBe(413);
      expect(response.body.error).toBe('body_too_large');
    });

    it('answers a batch of more than 100 sales with 400', async () => {
      const token = await issue('Leeds');
      const response = await post({ sales: Array.from({ length: 101 }, () => sale('Leeds', { customer: undefined, paymentMethod: 'CASH' })) }, token);
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('batch_too_large');
    });

    it('answers a till over its rate with 429 and Retry-After', async () => {
      // Prepare: the server allows a burst of 120 sales, then 1 per second
      const token = await issue('Leeds');
      const cash = () => sale('Leeds', { customer: undefined, paymentMethod: 'CASH' });
      expect((await post({ sales: Array.from({ length: 100 }, cash) }, token)).status).toBe(202);
      // Act
      const response = await post({ sales: Array.from({ length: 30 }, cash) }, token);
      // Assess
      expect(response.status).toBe(429);
      expect(response.body.error).toBe('rate_limited');
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    });
  });

  describe('idempotence and outages', () => {
    it('records a sale posted twice, and repeated in a batch, once', async () => {
      // Prepare
      const token = await issue('Leeds');
      const once = sale('Leeds');
      // Act
      const first = await post(once, token);
      const again = await post({ sales: [once, once] }, token);
      // Assess
      expect(first.status).toBe(202);
      expect(again.status).toBe(202);
      expect(again.body).toMatchObject({ accepted: 0, duplicates: 2 });
      const ids = new Set([first.body.results[0]?.eventId, ...again.body.results.map((result) => result.eventId)]);
      expect(ids.size).toBe(1);
      expect(await salesRows([...ids].map(String))).toHaveLength(1);
    });

    it('answers 503 while the stream is down, and the retried sale lands once when it is back', async () => {
      // Prepare
      const token = await issue('Leeds');
      const pending = sale('Leeds');
      writer = deadWriter;
      // Act: the till posts during the outage, then retries after it
      const during = await post(pending, token);
      writer = test.stack.writer;
      const after = await post(pending, token);
      // Assess
      expect(during.status).toBe(503);
      expect(during.body.error).toBe('stream_unavailable');
      expect(during.headers.get('retry-after')).toBe('1');
      expect(after.status).toBe(202);
      expect(await salesRows([after.body.results[0]?.eventId ?? ''])).toHaveLength(1);
    });

    it('counts a sale once when the stream took it but the answer was lost', async () => {
      // Prepare: the write lands, then the writer reports a failure (a timeout after acceptance)
      const token = await issue('Leeds');
      const pending = sale('Leeds');
      writer = {
        async write(events) {
          mergeReceipts(receipt, await test.stack.writer.write(events));
          throw new StreamWriteError(events.length, 1, 'TimeoutError');
        },
      };
      // Act
      const during = await post(pending, token);
      writer = test.stack.writer;
      const after = await post(pending, token);
      // Assess
      expect(during.status).toBe(503);
      expect(after.status).toBe(202);
      expect(await salesRows([after.body.results[0]?.eventId ?? ''])).toHaveLength(1);
    });
  });

  describe('sale ids: a repeat is a duplicate, a reuse is a conflict (field cases 10 and 11)', () => {
    const fieldPost = async (name: string) => JSON.parse(await readFile(join(FIELD, name), 'utf8')) as TillSale;
    const loaded = async (eventId: string) => {
      await test.stack.waitFor(new Map(receipt));
      const { rows } = await test.stack.warehouse.pool.query<{ n: number; pence: number | null; items: number }>(
        `SELECT count(*)::int AS n, sum(total_pence)::int AS pence, (SELECT count(*)::int FROM sale_items WHERE event_id = $1) AS items FROM sales WHERE event_id = $1`,
        [eventId],
      );
      return rows[0];
    };

    it('answers a reused sale id with 409 sale_id_conflict naming the stored sale, and keeps the first sale only', async () => {
      // Prepare: field case 10, a receipt counter that restarted
      const token = await issue('Leeds');
      const first = await fieldPost('10-till-saleid-reuse/post-1.json');
      const reused = await fieldPost('10-till-saleid-reuse/post-2.json');
      // Act
      const accepted = await post(first, token);
      const conflict = await post(reused, token);
      // Assess
      expect(accepted.status).toBe(202);
      expect(conflict.status).toBe(409);
      expect(conflict.body).toMatchObject({ error: 'sale_id_conflict', accepted: 0, duplicates: 0, rejected: 1 });
      expect(conflict.body.results[0]).toMatchObject({ status: 'rejected', reason: 'sale_id_conflict', field: 'saleId', eventId: accepted.body.results[0]?.eventId });
      const warehouse = await salesRows([accepted.body.results[0]?.eventId ?? '']);
      expect(warehouse.map((row) => row.total_pence)).toEqual([245]);
      const quarantine = await test.stack.warehouse.pool.query("SELECT reason, field FROM quarantine WHERE source = 'till' AND reason = 'sale_id_conflict'");
      expect(quarantine.rows).toContainEqual({ reason: 'sale_id_conflict', field: 'saleId' });
    });

    it('answers 8 concurrent posts of one sale with 2xx and one event id, and loads it once (field case 11)', async () => {
      // Prepare
      const token = await issue('Leeds');
      const once = await fieldPost('11-till-concurrent-same-saleid/post.json');
      // Act
      const answers = await Promise.all(Array.from({ length: 8 }, () => post(once, token)));
      // Assess
      expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(202));
      expect(new Set(answers.map((answer) => answer.body.results[0]?.eventId)).size).toBe(1);
      expect(answers.filter((answer) => answer.body.accepted === 1)).toHaveLength(1);
      expect(await loaded(answers[0]?.body.results[0]?.eventId ?? '')).toEqual({ n: 1, pence: 375, items: 2 });
    });

    it('lets exactly one of concurrent posts with one sale id and different content in, answering the others 409', async () => {
      // Prepare
      const token = await issue('Leeds');
      const variants = Array.from({ length: 6 }, (_, index) => sale('Leeds', { saleId: 'RACE-1', occurredAt: `2021-09-10T09:0${index}:00Z` }));
      // Act
      const answers = await Promise.all(variants.map((variant) => post(variant, token)));
      // Assess
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([202, 409, 409, 409, 409, 409]);
      const winner = answers.find((answer) => answer.status === 202)?.body.results[0]?.eventId;
      expect(answers.filter((answer) => answer.status === 409).every((answer) => answer.body.results[0]?.eventId === winner)).toBe(true);
      expect(await salesRows([winner ?? ''])).toHaveLength(1);
    });

    it('refuses the second of two different sales with one id in one batch, recording the first', async () => {
      // Prepare
      const token = await issue('Leeds');
      const a = sale('Leeds', { saleId: 'BATCH-1' });
      const b = sale('Leeds', { saleId: 'BATCH-1', totalPence: 160, items: [{ size: 'Large', product: 'Speciality Tea', flavour: 'Camomile', pricePence: 160 }] });
      // Act
      const answer = await post({ sales: [a, b] }, token);
      // Assess
      expect(answer.status).toBe(202);
      expect(answer.body).toMatchObject({ accepted: 1, rejected: 1 });
      expect(answer.body.results[1]).toMatchObject({ status: 'rejected', reason: 'sale_id_conflict', eventId: answer.body.results[0]?.eventId });
      expect((await salesRows([answer.body.results[0]?.eventId ?? '']))[0]?.total_pence).toBe(365);
    });
  });

  describe('nightly file and live feed: each sale counts once, in either order', () => {
    const latte = { size: 'Large' as const, product: 'Latte', pricePence: 245 };
    const cortado = { size: 'Regular' as const, product: 'Cortado', pricePence: 205 };
    const branchDay = async (branch: string, date: string) => {
      await test.stack.waitFor(new Map(receipt));
      const { rows } = await test.stack.warehouse.pool.query<{ sales: number; pence: number; till: number }>(
        `SELECT count(*)::int AS sales, coalesce(sum(total_pence), 0)::int AS pence, count(CASE WHEN source = 'till' THEN 1 END)::int AS till
         FROM sales WHERE branch = $1 AND business_date = $2`,
        [branch, date],
      );
      return rows[0];
    };
    const fileOf = async (name: string, rows: readonly string[]) => {
      const file = join(test.root, name);
      await writeFile(file, `${rows.join('\n')}\n`);
      return file;
    };

    it('counts a till sale and its nightly-file row once when the till posts first, and reports what differs', async () => {
      // Prepare: two of the file's three sales were also posted live (seconds into their minute), plus one the file lacks
      const file = await fileOf('uppingham_2021-09-11.csv', [
        `11/09/2021 09:00,Uppingham,${NAME},"Large Latte - 2.45, Regular Cortado - 2.05",4.50,CARD,${CARD}`,
        `11/09/2021 09:01,Uppingham,${NAME},Regular Latte - 2.15,2.15,CASH,`,
        `11/09/2021 09:02,Uppingham,${NAME},Large Cortado - 2.35,2.35,CASH,`,
      ]);
      const token = await issue('Uppingham');
      const live = await post(
        {
          sales: [
            sale('Uppingham', { occurredAt: '2021-09-11T09:00:20+01:00', items: [cortado, latte], totalPence: 450 }),
            sale('Uppingham', { occurredAt: '2021-09-11T09:01:40+01:00', items: [{ size: 'Regular', product: 'Latte', pricePence: 215 }], totalPence: 215, paymentMethod: 'CASH', customer: undefined }),
            sale('Uppingham', { occurredAt: '2021-09-11T10:30:00+01:00' }),
          ],
        },
        token,
      );
      expect(live.body.accepted).toBe(3);
      // Act
      await test.ingest([file]);
      const report = await reconcileBranchDay(postgresReportRunner(test.stack.warehouse.pool), { branch: 'uppingham', businessDate: '2021-09-11' });
      // Assess: 3 live + the 1 file-only row
      expect(await branchDay('Uppingham', '2021-09-11')).toEqual({ sales: 4, pence: 450 + 215 + 365 + 235, till: 3 });
      expect(report).toMatchObject({
        status: 'differences',
        live: { sales: 3, pence: 450 + 215 + 365 },
        fileRows: { held: 3, matched: 2, counted: 1 },
        fileOnly: { sales: 1, pence: 235 },
        liveOnly: { sales: 1, pence: 365 },
        counted: { sales: 4, pence: 450 + 215 + 365 + 235 },
      });
      expect(report.files).toEqual([expect.objectContaining({ rowsRead: 3, eventsPublished: 3, rowsRejected: 0 })]);
      const printed = formatReconciliation(report) + JSON.stringify(report);
      expect(printed).not.toContain(CARD);
      expect(printed).not.toContain('Zebedee');
    });

    it('counts them once when the file is loaded first and the till posts late', async () => {
      // Prepare: the nightly file is in before the till caught up
      const file = await fileOf('longridge_2021-09-12.csv', [
        `12/09/2021 09:00,Longridge,${NAME},Large Latte - 2.45,2.45,CASH,`,
        `12/09/2021 09:05,Longridge,${NAME},Large Latte - 2.45,2.45,CASH,`,
      ]);
      await test.ingest([file]);
      expect(await branchDay('Longridge', '2021-09-12')).toEqual({ sales: 2, pence: 490, till: 0 });
      const token = await issue('Longridge');
      // Act: the till posts one of them, late
      const late = await post(sale('Longridge', { occurredAt: '2021-09-12T09:05:31+01:00', items: [latte], totalPence: 245, paymentMethod: 'CASH', customer: undefined }), token);
      // Assess
      expect(late.status).toBe(202);
      expect(await branchDay('Longridge', '2021-09-12')).toEqual({ sales: 2, pence: 490, till: 1 });
      // and an upload of the same file again changes nothing
      await test.ingest([file]);
      expect(await branchDay('Longridge', '2021-09-12')).toEqual({ sales: 2, pence: 490, till: 1 });
      const report = await reconcileBranchDay(postgresReportRunner(test.stack.warehouse.pool), { branch: 'Longridge', businessDate: '2021-09-12' });
      expect(report).toMatchObject({ status: 'differences', fileRows: { held: 2, matched: 1, counted: 1 }, liveOnly: { sales: 0 }, fileOnly: { sales: 1, pence: 245 } });
    });
  });

  it('never echoes a card number or a customer name', () => {
    expect(responses.length).toBeGreaterThan(10);
    for (const text of responses) {
      expect(text).not.toContain(CARD);
      expect(text).not.toContain(NAME);
      expect(text).not.toContain('Zebedee');
    }
  });
});
