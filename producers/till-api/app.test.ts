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
