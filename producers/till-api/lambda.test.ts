import awsLambdaFastify from '@fastify/aws-lambda';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { buildTillApiServer } from './app.js';
import { createMemoryCredentialStore, issueTillCredential } from './credentials/credentials.js';
import { memoryWriter, validTillSale } from './fixtures.js';
import { createMemoryIdempotencyStore } from './idempotency/adapters/memory-idempotency-store.js';

/** An API Gateway HTTP API (payload 2.0) request. */
function httpApiEvent(body: string, headers: Record<string, string>): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/v1/sales',
    rawQueryString: '',
    headers,
    isBase64Encoded: false,
    body,
    requestContext: {
      accountId: '000000000000',
      apiId: 'api',
      domainName: 'api.example',
      domainPrefix: 'api',
      http: { method: 'POST', path: '/v1/sales', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'till' },
      requestId: 'request',
      routeKey: '$default',
      stage: '$default',
      time: '10/Sep/2021:08:15:42 +0000',
      timeEpoch: 1631261742000,
    },
  };
}

describe('Lambda adaptation (as lambda.ts wires it)', () => {
  it('serves the same app behind an HTTP API event', async () => {
    // Prepare
    const credentials = createMemoryCredentialStore();
    const writer = memoryWriter();
    const app = await buildTillApiServer({ writer, credentials, idempotency: createMemoryIdempotencyStore(), coalesce: false });
    const handler = awsLambdaFastify(app);
    await app.ready();
    const { token } = await issueTillCredential(credentials, { branch: 'Leeds' });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    // Act
    const accepted = await handler(httpApiEvent(JSON.stringify(validTillSale('Leeds')), headers), {} as Context);
    const refused = await handler(httpApiEvent(JSON.stringify(validTillSale('Leeds')), { 'content-type': 'application/json' }), {} as Context);
    // Assess
    expect(accepted.statusCode).toBe(202);
    expect(JSON.parse(accepted.body)).toMatchObject({ accepted: 1 });
    expect(refused.statusCode).toBe(401);
    expect(writer.events).toHaveLength(1);
    await app.close();
  });
});
