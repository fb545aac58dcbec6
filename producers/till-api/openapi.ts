import { z } from 'zod';
import {
  MAX_SALES_PER_REQUEST,
  TillErrorResponseSchema,
  TillSaleBatchSchema,
  TillSaleSchema,
  TillSalesResponseSchema,
} from '../../contracts/till-sale.js';
import { TillCorrectionErrorSchema, TillRefundResponseSchema, TillRefundSchema, TillVoidResponseSchema, TillVoidSchema } from '../../contracts/till-corrections.js';
import { DEFAULT_BODY_LIMIT_BYTES, REFUNDS_ROUTE, SALES_ROUTE, VOIDS_ROUTE } from './app.js';

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

const error = (description: string, example: { error: string; message: string }, headers?: Record<string, unknown>, schemaName = 'TillError') => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName}` }, example } },
});
/** A refusal of a void or refund: its body may name the field at fault and the recorded event a conflict is with. */
const refused = (description: string, example: { error: string; message: string; eventId?: string; field?: string | null }) => error(description, example, undefined, 'TillCorrectionError');

const retryAfter = { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 1 } } };

/** Every status each route can answer, with what it means to a till. */
export const DOCUMENTED_STATUSES = {
  [SALES_ROUTE]: ['202', '400', '401', '403', '409', '413', '415', '422', '429', '500', '503'],
  [VOIDS_ROUTE]: ['202', '400', '401', '403', '404', '409', '413', '415', '422', '429', '500', '503'],
  [REFUNDS_ROUTE]: ['202', '400', '401', '403', '404', '409', '413', '415', '422', '429', '500', '503'],
} as const;

const unauthorised = error(
  'Missing, malformed, wrong or revoked till credential (`credentials_missing`, `credentials_malformed`, `credentials_invalid`, `credentials_revoked`).',
  { error: 'credentials_invalid', message: 'the till credential is not valid' },
  { 'WWW-Authenticate': { schema: { type: 'string' } } },
);
const unsupportedMediaType = error('The body is not application/json (`unsupported_media_type`).', { error: 'unsupported_media_type', message: 'send the body as application/json' });
const tooLarge = error('The body is larger than the limit (`body_too_large`).', { error: 'body_too_large', message: 'the request body is larger than 262144 bytes' });
const rateLimited = error(
  "Over this till's rate (`rate_limited`; sales, voids and refunds share one bucket, one token each): retry after Retry-After seconds; nothing was recorded.",
  { error: 'rate_limited', message: 'too many sales from this till; retry after 2 s' },
  retryAfter,
);
const internal = error('Unexpected failure (`internal_error`): nothing is acknowledged; retry later with the same request.', { error: 'internal_error', message: 'the sales were not recorded; retry later' });
const streamUnavailable = error(
  'The sales stream did not take the events (`stream_unavailable`): nothing is acknowledged; retry the same request (same ids) later.',
  { error: 'stream_unavailable', message: 'the sales could not be recorded now; retry the same request (same sale ids) later' },
  retryAfter,
);
const notAnObject = error('Malformed JSON, no body, or not a JSON object (`malformed_json`, `body_missing`, `request_invalid`).', { error: 'request_invalid', message: 'the body is not a JSON object; send one JSON object' });
const saleNotFound = refused(
  'No sale is known under `tillId` (the caller when left out) and `saleId` (`sale_not_found`): name the till that posted the sale and its saleId. Nothing was recorded.',
  { error: 'sale_not_found', message: 'no sale is known under this tillId and saleId: name the till that posted the sale (tillId, yours when left out) and its saleId' },
);
const foreignSale = refused("The sale was posted at another branch (`branch_forbidden`): a till may only void or refund its own branch's sales. Nothing was recorded.", {
  error: 'branch_forbidden',
  message: "the sale was posted at another branch; a till may only void or refund its own branch's sales",
});

/** Builds the document. */
export function buildOpenApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Super Café till API',
      version: '1.0.0',
      description:
        'Live tills post each sale as it happens, and void or refund the sales of their branch. A sale, void or refund is acknowledged (202) only once it is on the sales stream; ' +
        'it then reaches the warehouse and the dashboards within seconds. Retrying with the same saleId (or refundId) is always safe: ' +
        'the same till and saleId are one sale, however often they are posted; a sale is voided once, whichever till voids it. Responses never repeat customer names or card numbers.',
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
            '401': unauthorised,
            '403': error('A sale names a branch other than the till\'s own (`branch_forbidden`); nothing was recorded.', { error: 'branch_forbidden', message: 'sales[0].branch is not the branch this till is registered to' }),
            '409': {
              description:
                'No sale was recorded because a saleId was already used by this till for a different sale (`sale_id_conflict`): `results` names the recorded sale\'s eventId. Give the new sale a new saleId; do not retry unchanged. A saleId repeated with the same content is not a conflict (202, duplicate).',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/TillSalesResponse' } } },
            },
            '413': error('The body is larger than the limit (`body_too_large`): send fewer sales per request.', { error: 'body_too_large', message: 'the request body is larger than 262144 bytes' }),
            '415': unsupportedMediaType,
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
      [VOIDS_ROUTE]: {
        post: {
          operationId: 'postVoid',
          summary: 'Void a sale of the branch: it was posted in error, and leaves every figure',
          description:
            'Names the sale by the till that posted it (`tillId`, the caller when left out) and that till\'s `saleId`; any till of the sale\'s branch may void it. ' +
            'Voiding is idempotent: one void per sale, whichever till asks and however often (202 `duplicate`, the same eventId). A void may come before its sale reaches the warehouse; it still wins. ' +
            'A sale with refunds cannot be voided (409 `sale_refunded`): refund what remains instead. `reason` is a code, never free text.',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/TillVoid' },
                example: { saleId: 'T1-000123', occurredAt: '2021-09-10T08:17:05+01:00', reason: 'posted_in_error' },
              },
            },
          },
          responses: {
            '202': {
              description: 'The void is on the stream: `accepted` (voided now) or `duplicate` (voided before; the same eventId). Either way the sale leaves `sales`, `sale_items` and every dashboard figure.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/TillVoidResponse' } } },
            },
            '400': notAnObject,
            '401': unauthorised,
            '403': foreignSale,
            '404': saleNotFound,
            '409': refused('The sale has refunds (`sale_refunded`): as at a point of sale, a refunded sale is not voided; refund what remains of it instead. Nothing was recorded.', {
              error: 'sale_refunded',
              message: 'the sale has refunds and cannot be voided; refund what remains of it instead',
            }),
            '413': tooLarge,
            '415': unsupportedMediaType,
            '422': refused('The void is invalid: `error` is the reason code (`row_malformed`, `date_unparsable`, `date_impossible` when dated more than 10 minutes ahead), `field` the field at fault. Do not retry unchanged.', {
              error: 'date_impossible',
              message: 'occurredAt is in the future: check the till clock',
              field: 'occurredAt',
            }),
            '429': rateLimited,
            '500': internal,
            '503': streamUnavailable,
          },
        },
      },
      [REFUNDS_ROUTE]: {
        post: {
          operationId: 'postRefund',
          summary: 'Refund (part of) a sale of the branch: a negative sale of its own, linked to the original',
          description:
            'A refund has its own `refundId` (the till\'s own id: a retry with the same refundId and content is the same refund, 202 `duplicate`), names the sale as a void does, and lists the lines given back with their prices; they must add up to `totalPence`. ' +
            'The refunds of a sale may not add up to more than its total (checked atomically). In the warehouse a refund is a `sales` row of kind `refund` with negative amounts and `refund_of` the sale\'s event id; revenue is net of it, sale counts do not count it.',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/TillRefund' },
                example: {
                  refundId: 'T1-R-000007',
                  saleId: 'T1-000123',
                  occurredAt: '2021-09-10T08:40:00+01:00',
                  items: [{ size: 'Regular', product: 'Cortado', pricePence: 205 }],
                  totalPence: 205,
                  paymentMethod: 'CARD',
                },
              },
            },
          },
          responses: {
            '202': {
              description: 'The refund is on the stream: `accepted` (recorded now) or `duplicate` (this refundId was recorded before with the same content, also after a 503: the same eventId, counted once).',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/TillRefundResponse' } } },
            },
            '400': notAnObject,
            '401': unauthorised,
            '403': foreignSale,
            '404': saleNotFound,
            '409': refused(
              'Not recorded: `refund_id_conflict` (this refundId was used before for a different refund: `eventId` names the recorded one; give the new refund a new refundId), `sale_voided` (the sale was voided: nothing to refund), or `refund_exceeds_sale` (the sale\'s refunds would add up to more than its total; the message says how much remains).',
              { error: 'refund_exceeds_sale', message: "the sale's refunds would add up to more than its total; at most 160 pence of it remain to refund", field: 'totalPence' },
            ),
            '413': tooLarge,
            '415': unsupportedMediaType,
            '422': refused(
              "The refund is invalid, by the same rules and reason codes as a sale (`total_mismatch` when the lines do not add up to `totalPence`, `basket_empty`, `size_unknown`, `price_invalid`, `total_invalid`, `date_impossible`, …): `error` is the reason, `field` the field at fault. Quarantined like a refused sale. Do not retry unchanged.",
              { error: 'total_mismatch', message: "totalPence: totalPence is not the sum of the items' pricePence", field: 'totalPence' },
            ),
            '429': rateLimited,
            '500': internal,
            '503': streamUnavailable,
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
        TillVoid: schema(TillVoidSchema),
        TillVoidResponse: schema(TillVoidResponseSchema),
        TillRefund: schema(TillRefundSchema),
        TillRefundResponse: schema(TillRefundResponseSchema),
        TillCorrectionError: schema(TillCorrectionErrorSchema),
      },
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(new URL('./openapi.json', import.meta.url), `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
}
