import { z } from 'zod';
import {
  MAX_SALES_PER_REQUEST,
  TillErrorResponseSchema,
  TillSaleBatchSchema,
  TillSaleSchema,
  TillSalesResponseSchema,
} from '../../contracts/till-sale.js';
import { DEFAULT_BODY_LIMIT_BYTES, SALES_ROUTE } from './app.js';

/**
 * The OpenAPI 3.1 document of the till API, composed from the same zod contracts
 * the API validates with, so it cannot drift from them. `openapi.json` beside
 * this file is its rendering; a test fails if the two differ (regenerate with
 * `npx tsx producers/till-api/openapi.ts`).
 */

const schema = (type: z.ZodType) => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(type, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const error = (description: string, example: { error: string; message: string }, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: { $ref: '#/components/schemas/TillError' }, example } },
});

const retryAfter = { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 1 } } };

/** Every status the route can answer, with what it means to a till. */
export const DOCUMENTED_STATUSES = ['202', '400', '401', '403', '409', '413', '415', '422', '429', '500', '503'] as const;

/** Builds the document. */
export function buildOpenApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Super Café till API',
      version: '1.0.0',
      description:
        'Live tills post each sale as it happens. A sale is acknowledged (202) only once it is on the sales stream; ' +
        'it then reaches the warehouse and the dashboards within seconds. Retrying with the same saleId is always safe: ' +
        'the same till and saleId are one sale, however often they are posted. Responses never repeat customer names or card numbers.',
    },
    servers: [{ url: 'http://127.0.0.1:3000', description: 'npm start (local stack)' }],
    security: [{ tillToken: [] }],
    paths: {
      [SALES_ROUTE]: {
        post: {
          operationId: 'postSales',
          summary: 'Record one sale, or a batch of sales, from a till',
          description:
            `One sale object, or {"sales": [...]} with 1 to ${MAX_SALES_PER_REQUEST} sales; body at most ${DEFAULT_BODY_LIMIT_BYTES} bytes. ` +
            'Each sale is checked on its own: acceptable ones are recorded even if others in the batch are not. ' +
            'Every sale must name the branch the till is registered to.',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { oneOf: [{ $ref: '#/components/schemas/TillSale' }, { $ref: '#/components/schemas/TillSaleBatch' }] },
                example: {
                  saleId: 'T1-000123',
                  branch: 'Leeds',
                  occurredAt: '2021-09-10T08:15:42+01:00',
                  items: [
                    { size: 'Large', product: 'Speciality Tea', flavour: 'Camomile', pricePence: 160 },
                    { size: 'Regular', product: 'Cortado', pricePence: 205 },
                  ],
                  totalPence: 365,
                  paymentMethod: 'CARD',
                  customer: { name: 'A Customer', cardNumber: '************1234' },
                },
              },
            },
          },
          responses: {
            '202': {
              description:
                'At least one sale was recorded on the stream. `results` says, per sale in request order, accepted, duplicate (this saleId was recorded before with the same content, in this request or an earlier one: the same eventId, recorded once) or rejected (with reason and field; `sale_id_conflict` when the saleId was used before for a different sale, with the recorded eventId).',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/TillSalesResponse' } } },
            },
            '400': error('Malformed JSON, no body, or not a sale / batch envelope (`malformed_json`, `body_missing`, `request_invalid`, `batch_too_large`).', { error: 'malformed_json', message: 'the request body is not valid JSON' }),
            '401': error(
              'Missing, malformed, wrong or revoked till credential (`credentials_missing`, `credentials_malformed`, `credentials_invalid`, `credentials_revoked`).',
              { error: 'credentials_invalid', message: 'the till credential is not valid' },
              { 'WWW-Authenticate': { schema: { type: 'string' } } },
            ),
            '403': error('A sale names a branch other than the till\'s own (`branch_forbidden`); nothing was recorded.', { error: 'branch_forbidden', message: 'sales[0].branch is not the branch this till is registered to' }),
            '409': {
              description:
                'No sale was recorded because a saleId was already used by this till for a different sale (`sale_id_conflict`): `results` names the recorded sale\'s eventId. Give the new sale a new saleId; do not retry unchanged. A saleId repeated with the same content is not a conflict (202, duplicate).',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/TillSalesResponse' } } },
            },
            '413': error('The body is larger than the limit (`body_too_large`): send fewer sales per request.', { error: 'body_too_large', message: 'the request body is larger than 262144 bytes' }),
            '415': error('The body is not application/json (`unsupported_media_type`).', { error: 'unsupported_media_type', message: 'send the body as application/json' }),
            '422': {
              description: 'No sale in the request was acceptable (`sales_rejected`): `results` gives each reason. Do not retry unchanged.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/TillSalesResponse' } } },
            },
            '429': error('Over this till\'s rate (`rate_limited`): retry after Retry-After seconds; nothing was recorded.', { error: 'rate_limited', message: 'too many sales from this till; retry after 2 s' }, retryAfter),
            '500': error('Unexpected failure (`internal_error`): nothing is acknowledged; retry later with the same sale ids.', { error: 'internal_error', message: 'the sales were not recorded; retry later' }),
            '503': error(
              'The sales stream did not take the sales (`stream_unavailable`): nothing is acknowledged; retry with the same sale ids.',
              { error: 'stream_unavailable', message: 'the sales could not be recorded now; retry the same request (same sale ids) later' },
              retryAfter,
            ),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        tillToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: '<tillId>.<secret>',
          description: 'Issued per till by `supercafe tills issue --branch <branch>`; bound to one branch; revocable.',
        },
      },
      schemas: {
        TillSale: schema(TillSaleSchema),
        TillSaleBatch: schema(TillSaleBatchSchema),
        TillSalesResponse: schema(TillSalesResponseSchema),
        TillError: schema(TillErrorResponseSchema),
      },
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(new URL('./openapi.json', import.meta.url), `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
}
