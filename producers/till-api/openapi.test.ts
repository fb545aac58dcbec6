import { readFile } from 'node:fs/promises';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { TillErrorResponseSchema, TillSalesResponseSchema } from '../../contracts/till-sale.js';
import { StreamWriteError } from '../shared/errors.js';
import { buildTillApiServer, tillApi } from './app.js';
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

  it('documents every status the API answers, and each body fits its schema', async () => {
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
    const documented = Object.keys((buildOpenApiDocument() as Document).paths['/v1/sales']?.post?.responses ?? {});
    expect(documented.sort()).toEqual([...DOCUMENTED_STATUSES].sort());
    expect([...seen.keys()].map(String).sort()).toEqual([...DOCUMENTED_STATUSES].sort());
    for (const [status, body] of seen) {
      const schema = status === 202 || status === 409 || status === 422 ? TillSalesResponseSchema : TillErrorResponseSchema;
      expect(schema.safeParse(body).success, `status ${status}`).toBe(true);
    }
  });
});
