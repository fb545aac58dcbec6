import { readFile } from 'node:fs/promises';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { TillCorrectionErrorSchema, TillRefundResponseSchema, TillVoidResponseSchema } from '../../contracts/till-corrections.js';
import { TillErrorResponseSchema, TillSalesResponseSchema } from '../../contracts/till-sale.js';
import { StreamWriteError } from '../shared/errors.js';
import { buildTillApiServer, REFUNDS_ROUTE, SALES_ROUTE, tillApi, VOIDS_ROUTE } from './app.js';
import { createMemoryIdempotencyStore } from './idempotency/adapters/memory-idempotency-store.js';
import { createMemoryCredentialStore, issueTillCredential } from './credentials/credentials.js';
import { memoryWriter, validTillSale } from './fixtures.js';
import { buildOpenApiDocument, DOCUMENTED_STATUSES } from './openapi.js';

type Document = { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };

describe('OpenAPI document', () => {
  it('is the rendering of the contracts (regenerate with npx tsx producers/till-api/openapi.ts)', async () => {
    const file = JSON.parse(await readFile(new URL('./openapi.json', import.meta.url), 'utf8')) as unknown;
    expect(file).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
  });

  it('describes exactly the routes the plugin serves', async () => {
    // Prepare
    const app = Fastify();
    const served: string[] = [];
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) if (method !== 'HEAD') served.push(`${method.toLowerCase()} ${route.url}`);
    });
    // Act
    await app.register(tillApi, { writer: memoryWriter(), credentials: createMemoryCredentialStore(), idempotency: createMemoryIdempotencyStore() });
    await app.ready();
    // Assess
    const documented = Object.entries((buildOpenApiDocument() as Document).paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`));
    expect(served.sort()).toEqual(documented.sort());
    await app.close();
  });

  const documentedOf = (route: keyof typeof DOCUMENTED_STATUSES) => Object.keys((buildOpenApiDocument() as Document).paths[route]?.post?.responses ?? {}).sort();

  it('documents every status the sales route answers, and each body fits its schema', async () => {
    // Prepare: a request provoking each status
    const credentials = createMemoryCredentialStore();
    const writer = memoryWriter();
    const app = await buildTillApiServer({ writer, credentials, idempotency: createMemoryIdempotencyStore(), rateLimit: { salesPerSecond: 0.001, burst: 100 } });
    const { token } = await issueTillCredential(credentials, { branch: 'Leeds' });
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const post = (payload: string, headers: Record<string, string> = auth) => app.inject({ method: 'POST', url: '/v1/sales', headers, payload });
    const sale = () => JSON.stringify(validTillSale('Leeds'));
    const seen = new Map<number, unknown>();
    const record = async (pending: ReturnType<typeof post>) => {
      const response = await pending;
      seen.set(response.statusCode, response.json());
    };
    // Act
    await record(post(sale()));
    await record(post('{'));
    await record(post(sale(), { 'content-type': 'application/json' }));
    await record(post(JSON.stringify(validTillSale('Birmingham'))));
    await record(post(JSON.stringify({ ...validTillSale('Leeds'), pad: 'x'.repeat(300_000) })));
    await record(post('sale', { ...auth, 'content-type': 'text/plain' }));
    await record(post(JSON.stringify(validTillSale('Leeds', { totalPence: 1 }))));
    const reused = validTillSale('Leeds');
    await post(JSON.stringify(reused));
    await record(post(JSON.stringify({ ...reused, occurredAt: '2021-09-11T09:00:00Z' })));
    writer.fail = new Error('unexpected');
    await record(post(sale()));
    writer.fail = new StreamWriteError(1, 3, 'ServiceUnavailable');
    await record(post(sale()));
    writer.fail = undefined;
    await record(post(JSON.stringify({ sales: Array.from({ length: 100 }, () => validTillSale('Leeds')) })));
    await app.close();
    // Assess
    expect(documentedOf(SALES_ROUTE)).toEqual([...DOCUMENTED_STATUSES[SALES_ROUTE]].sort());
    expect([...seen.keys()].map(String).sort()).toEqual([...DOCUMENTED_STATUSES[SALES_ROUTE]].sort());
    for (const [status, body] of seen) {
      const schema = status === 202 || status === 409 || status === 422 ? TillSalesResponseSchema : TillErrorResponseSchema;
      expect(schema.safeParse(body).success, `status ${status}`).toBe(true);
    }
  });

  it.each([
    [VOIDS_ROUTE, TillVoidResponseSchema],
    [REFUNDS_ROUTE, TillRefundResponseSchema],
  ] as const)('documents every status %s answers, and each body fits its schema', async (route, accepted) => {
    // Prepare: two tills of Leeds and one of York, each with a sale of 365 p
    const credentials = createMemoryCredentialStore();
    const writer = memoryWriter();
    const app = await buildTillApiServer({ writer, credentials, idempotency: createMemoryIdempotencyStore(), rateLimit: { salesPerSecond: 0.001, burst: 100 } });
    const [front, back, york] = await Promise.all([issueTillCredential(credentials, { branch: 'Leeds' }), issueTillCredential(credentials, { branch: 'Leeds' }), issueTillCredential(credentials, { branch: 'York' })]);
    const headers = (token: string, contentType = 'application/json') => ({ authorization: `Bearer ${token}`, 'content-type': contentType });
    const post = (url: string, payload: unknown, init: Record<string, string> = headers(front.token)) =>
      app.inject({ method: 'POST', url, headers: init, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
    const saleIds: string[] = [];
    for (let index = 0; index < 6; index++) {
      const sale = validTillSale('Leeds');
      saleIds.push(sale.saleId);
      await post(SALES_ROUTE, sale);
    }
    let next = 0;
    const body = (saleId: string, overrides: Record<string, unknown> = {}) =>
      route === VOIDS_ROUTE
        ? { saleId, occurredAt: '2021-09-10T09:00:00Z', ...overrides }
        : { refundId: `R-${++next}`, saleId, occurredAt: '2021-09-10T09:00:00Z', items: [{ size: 'Regular', product: 'Cortado', pricePence: 205 }], totalPence: 205, paymentMethod: 'CARD', ...overrides };
    const [one, two, three, four, five, six] = saleIds as [string, string, string, string, string, string];
    const seen = new Map<number, unknown>();
    const record = async (pending: ReturnType<typeof post>) => {
      const response = await pending;
      seen.set(response.statusCode, response.json());
    };
    // Act
    await record(post(route, body(one)));
    await record(post(route, '[]'));
    await record(post(route, body(two), { 'content-type': 'application/json' }));
    await record(post(route, body(two, { tillId: front.tillId }), headers(york.token)));
    await record(post(route, body(two), headers(back.token)));
    if (route === VOIDS_ROUTE) {
      await post(REFUNDS_ROUTE, { refundId: 'R-0', saleId: two, occurredAt: '2021-09-10T09:00:00Z', items: [{ size: 'Regular', product: 'Cortado', pricePence: 205 }], totalPence: 205, paymentMethod: 'CARD' });
      await record(post(route, body(two)));
    } else {
      await record(post(route, body(two, { items: [{ size: 'Regular', product: 'Cortado', pricePence: 400 }], totalPence: 400 })));
    }
    await record(post(route, { ...body(three), pad: 'x'.repeat(300_000) }));
    await record(post(route, 'void', headers(front.token, 'text/plain')));
    await record(post(route, body(three, { occurredAt: 'yesterday' })));
    writer.fail = new Error('unexpected');
    await record(post(route, body(four)));
    writer.fail = new StreamWriteError(1, 3, 'ServiceUnavailable');
    await record(post(route, body(five)));
    writer.fail = undefined;
    // The bucket holds 100 tokens, refilled once in 1000 s: spend them until the route answers 429.
    for (let spent = 0; spent < 150; spent++) {
      const response = await post(route, body(six));
      if (response.statusCode !== 429) continue;
      seen.set(429, response.json());
      break;
    }
    await app.close();
    // Assess
    expect(documentedOf(route)).toEqual([...DOCUMENTED_STATUSES[route]].sort());
    expect([...seen.keys()].map(String).sort()).toEqual([...DOCUMENTED_STATUSES[route]].sort());
    const codes = Object.fromEntries([...seen].map(([status, answer]) => [status, (answer as { error?: string; status?: string }).error ?? (answer as { status?: string }).status]));
    expect(codes).toMatchObject({ 202: 'accepted', 403: 'branch_forbidden', 404: 'sale_not_found', 409: route === VOIDS_ROUTE ? 'sale_refunded' : 'refund_exceeds_sale', 422: 'date_unparsable', 503: 'stream_unavailable' });
    for (const [status, answer] of seen) {
      const schema = status === 202 ? accepted : TillCorrectionErrorSchema;
      expect(schema.safeParse(answer).success, `status ${status}`).toBe(true);
    }
  });
});
