import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { StreamWriteError } from '../shared/errors.js';
import { createJsonLogger } from '../../common/logging/structured-logger.js';
import { buildTillApiServer, type TillApiOptions } from './app.js';
import { createMemoryCredentialStore, issueTillCredential } from './credentials/credentials.js';
import { memoryWriter, validTillSale } from './fixtures.js';
import { createMemoryIdempotencyStore } from './idempotency/adapters/memory-idempotency-store.js';

describe('Plugin: tillApi', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => app?.close());

  const start = async (options: Partial<TillApiOptions> = {}) => {
    const credentials = createMemoryCredentialStore();
    const writer = memoryWriter();
    const lines: string[] = [];
    app = await buildTillApiServer({
      writer,
      credentials,
      idempotency: createMemoryIdempotencyStore(),
      logger: createJsonLogger({ service: 'till-api', write: (line) => lines.push(line) }),
      ...options,
    });
    const { token } = await issueTillCredential(credentials, { branch: 'Leeds' });
    const post = (payload: unknown, headers: Record<string, string> = {}) =>
      (app as FastifyInstance).inject({
        method: 'POST',
        url: '/v1/sales',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
        payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      });
    return { writer, post, lines };
  };

  it('acknowledges only after the writer has the events', async () => {
    const { writer, post } = await start();
    const response = await post(validTillSale('Leeds'));
    expect(response.statusCode).toBe(202);
    expect(writer.events.map((event) => event.type)).toEqual(['TransactionRecorded']);
  });

  it('answers 500 on an unexpected failure without its message, and logs only its kind', async () => {
    const { writer, post, lines } = await start();
    writer.fail = new Error('connection to 10.0.0.1 refused for Fixture Customer');
    const response = await post(validTillSale('Leeds'));
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: 'internal_error', message: 'the sales were not recorded; retry later' });
    expect(lines.join('\n')).not.toContain('Fixture');
    expect(lines.map((line) => JSON.parse(line))).toEqual([expect.objectContaining({ level: 'ERROR', reason: 'internal_error', errorName: 'Error', service: 'till-api' })]);
  });

  it('answers 503 with Retry-After when the stream refuses', async () => {
    const { writer, post, lines } = await start();
    writer.fail = new StreamWriteError(1, 8, 'ProvisionedThroughputExceededException');
    const response = await post(validTillSale('Leeds'));
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: 'ERROR', reason: 'stream_unavailable', errorCode: 'ProvisionedThroughputExceededException', failedCount: 1, attempts: 8 }),
    ]);
  });

  it.each([
    ['an array', '[]', 'request_invalid'],
    ['a string', '"sale"', 'request_invalid'],
    ['a batch that is not a list', '{"sales": {}}', 'request_invalid'],
    ['an empty batch', '{"sales": []}', 'request_invalid'],
    ['an empty body', '', 'body_missing'],
  ])('answers %s with 400', async (_case, payload, error) => {
    const { post } = await start();
    const response = await post(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe(error);
  });

  it('does not read the body of an unauthenticated request', async () => {
    const { post } = await start();
    const response = await post('{not json', { authorization: '' });
    expect(response.statusCode).toBe(401);
  });

  it('serves without a rate limit when told so', async () => {
    const { post } = await start({ rateLimit: false });
    for (let round = 0; round < 5; round++) {
      const batch = Array.from({ length: 100 }, () => validTillSale('Leeds', { paymentMethod: 'CASH', customer: undefined }));
      expect((await post({ sales: batch })).statusCode).toBe(202);
    }
  });
});

describe('Plugin: tillApi, voids and refunds', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => app?.close());

  const start = async (options: Partial<TillApiOptions> = {}) => {
    const credentials = createMemoryCredentialStore();
    const writer = memoryWriter();
    const lines: string[] = [];
    const metrics: [string, number][] = [];
    app = await buildTillApiServer({
      writer,
      credentials,
      idempotency: createMemoryIdempotencyStore(),
      logger: createJsonLogger({ service: 'till-api', write: (line) => lines.push(line) }),
      recordMetric: (name, value) => metrics.push([name, value]),
      ...options,
    });
    const { token, tillId } = await issueTillCredential(credentials, { branch: 'Leeds' });
    const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
      (app as FastifyInstance).inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
        payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      });
    return { writer, post, lines, metrics, tillId };
  };
  const refundOf = (saleId: string) => ({ refundId: `R-${saleId}`, saleId, occurredAt: '2021-09-10T09:00:00Z', items: [{ size: 'Regular', product: 'Cortado', pricePence: 205 }], totalPence: 205, paymentMethod: 'CARD' });

  it.each([
    ['/v1/voids', 'SaleVoided'],
    ['/v1/refunds', 'RefundRecorded'],
  ])('answers %s 202 only after the writer has the event, and counts it published', async (url, type) => {
    // Prepare
    const { writer, post, metrics } = await start();
    const sale = validTillSale('Leeds');
    await post('/v1/sales', sale);
    // Act
    const response = await post(url, url === '/v1/voids' ? { saleId: sale.saleId, occurredAt: '2021-09-10T09:00:00Z', reason: 'test_sale' } : refundOf(sale.saleId));
    // Assess
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ status: 'accepted', eventId: writer.events.at(-1)?.eventId });
    expect(writer.events.map((event) => event.type)).toEqual(['TransactionRecorded', type]);
    expect(metrics).toEqual([['EventsPublished', 1], ['EventsPublished', 1]]);
  });

  it('logs a recorded void with its reason code only', async () => {
    const { post, lines, tillId } = await start();
    const sale = validTillSale('Leeds');
    await post('/v1/sales', sale);
    await post('/v1/voids', { saleId: sale.saleId, occurredAt: '2021-09-10T09:00:00Z', reason: 'duplicate_post' });
    expect(lines.map((line) => JSON.parse(line))).toEqual([expect.objectContaining({ level: 'INFO', message: 'void recorded', route: '/v1/voids', tillId, reason: 'duplicate_post' })]);
  });

  it('answers 503 when the stream refuses a refund, and its retry 202 as the same refund', async () => {
    // Prepare: a refund of the whole sale, so a retry counted again would exceed it
    const { writer, post } = await start();
    const sale = validTillSale('Leeds', { items: [{ size: 'Regular', product: 'Cortado', pricePence: 205 }], totalPence: 205 });
    await post('/v1/sales', sale);
    writer.fail = new StreamWriteError(1, 3, 'ServiceUnavailable');
    // Act
    const during = await post('/v1/refunds', refundOf(sale.saleId));
    writer.fail = undefined;
    const after = await post('/v1/refunds', refundOf(sale.saleId));
    // Assess
    expect(during.statusCode).toBe(503);
    expect(after.statusCode).toBe(202);
    expect(after.json()).toMatchObject({ status: 'duplicate' });
    expect(writer.events.filter((event) => event.type === 'RefundRecorded')).toHaveLength(1);
  });

  it.each(['/v1/voids', '/v1/refunds'])('authenticates %s before reading the body', async (url) => {
    const { post } = await start();
    const response = await post(url, '{not json', { authorization: '' });
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toBe('credentials_missing');
  });

  it('takes voids and refunds from the same bucket as sales', async () => {
    // Prepare: a burst of 2, refilled once a thousand seconds
    const { post } = await start({ rateLimit: { salesPerSecond: 0.001, burst: 2 } });
    const sale = validTillSale('Leeds');
    // Act
    const answers = [await post('/v1/sales', sale), await post('/v1/refunds', refundOf(sale.saleId)), await post('/v1/voids', { saleId: sale.saleId, occurredAt: '2021-09-10T09:00:00Z' })];
    // Assess
    expect(answers.map((answer) => answer.statusCode)).toEqual([202, 202, 429]);
    expect(answers[2]?.headers['retry-after']).toBeDefined();
  });

  it.each([
    ['not JSON', 'saleId=1', 'text/plain', 415, 'unsupported_media_type'],
    ['an array', '[]', 'application/json', 400, 'request_invalid'],
    ['malformed JSON', '{"saleId":', 'application/json', 400, 'malformed_json'],
  ])('answers a void body that is %s like a sale body', async (_, payload, contentType, status, error) => {
    const { post } = await start();
    const response = await post('/v1/voids', payload, { 'content-type': contentType });
    expect(response.statusCode).toBe(status);
    expect(response.json().error).toBe(error);
  });
});
