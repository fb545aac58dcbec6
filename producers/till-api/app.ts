import Fastify, { type FastifyError, type FastifyInstance, type FastifyPluginAsync, type FastifyReply, type FastifyRequest } from 'fastify';
import { MetricName, RejectReason, type SalesStreamEvent } from '../../contracts/index.js';
import { VoidReasonSchema } from '../../contracts/till-corrections.js';
import type { TillSalesResponse } from '../../contracts/till-sale.js';
import { StreamWriteError } from '../shared/errors.js';
import type { EventWriter, WriteReceipt } from '../shared/ports.js';
import { authenticateTill, sameBranch, type CredentialStore } from './credentials/credentials.js';
import { claimSales } from './claim-sales.js';
import type { CorrectionAnswer } from './corrections/correction-answer.js';
import { decideRefund } from './corrections/decide-refund.js';
import { decideVoid } from './corrections/decide-void.js';
import { decideSales, type TillIdentity } from './decide-sales.js';
import type { IdempotencyStore } from './idempotency/idempotency-store.js';
import { TillApiError, TillBadRequestError, TillForbiddenError, TillRateLimitedError, TillUnauthorizedError } from './errors.js';
import { createCoalescingWriter, type CoalescingWriterOptions } from './coalescing-writer.js';
import { createRateLimiter, DEFAULT_RATE_LIMIT, type RateLimitOptions } from './rate-limiter.js';
import { readSales } from './read-request.js';
import { silentLogger, type StructuredLogger } from '../../common/logging/structured-logger.js';

export interface TillApiOptions {
  /** The shared Kinesis writer: a sale is acknowledged only once the stream has it. */
  readonly writer: EventWriter;
  readonly credentials: CredentialStore;
  /** Where sale ids are claimed, so a reused id is a 409 and a repeat a duplicate (see idempotency/). */
  readonly idempotency: IdempotencyStore;
  /** Per-till token bucket; `false` turns it off (load tests of the API itself). */
  readonly rateLimit?: RateLimitOptions | false;
  readonly clock?: () => Date;
  /** Largest accepted body; bigger ones get 413 before being read. */
  readonly bodyLimitBytes?: number;
  /** Counts published and refused sales (Powertools Metrics in AWS, ops_metrics locally). */
  readonly recordMetric?: (name: MetricName, value: number) => void;
  /** Told about each successful stream write (the benchmark waits on these receipts). */
  readonly onWritten?: (receipt: WriteReceipt) => void;
  /**
   * Share stream writes between concurrent requests (group commit, see
   * coalescing-writer.ts); `false` writes each request on its own.
   */
  readonly coalesce?: CoalescingWriterOptions | false;
  /** Operational logs (Powertools Logger in Lambda, JSON lines locally): reason and error codes only, never request content. */
  readonly logger?: StructuredLogger;
}

/** 256 KiB: a full batch of 100 typical sales is about 40 KiB. */
export const DEFAULT_BODY_LIMIT_BYTES = 256 * 1024;
export const SALES_ROUTE = '/v1/sales';
export const VOIDS_ROUTE = '/v1/voids';
export const REFUNDS_ROUTE = '/v1/refunds';

const AUTH_TEXT: Readonly<Record<string, string>> = {
  credentials_missing: 'send the till credential as "Authorization: Bearer <tillId>.<secret>"',
  credentials_malformed: 'the Authorization header is not "Bearer <tillId>.<secret>"',
  credentials_invalid: 'the till credential is not valid',
  credentials_revoked: 'the till credential has been revoked; ask head office for a new one',
};

function send(reply: FastifyReply, status: number, body: object, headers: Readonly<Record<string, string>> = {}): FastifyReply {
  return reply.code(status).headers(headers).type('application/json; charset=utf-8').send(body);
}

/** Maps every failure to a JSON body with a stable code; framework and parser messages (which can quote the body) are never passed on. */
function errorHandler(bodyLimit: number, logger: StructuredLogger) {
  return (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof TillApiError) {
      const issues = error instanceof TillBadRequestError && error.issues.length > 0 ? { issues: error.issues } : {};
      return send(reply, error.statusCode, { error: error.code, message: error.message, ...issues }, error.headers);
    }
    if (error instanceof StreamWriteError) {
      logger.error('stream write failed; answered 503', { reason: 'stream_unavailable', errorCode: error.lastErrorCode, failedCount: error.failedCount, attempts: error.attempts });
      return send(
        reply,
        503,
        { error: 'stream_unavailable', message: 'the sales could not be recorded now; retry the same request (same sale ids) later' },
        { 'retry-after': '1' },
      );
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(reply, 413, { error: 'body_too_large', message: `the request body is larger than ${bodyLimit} bytes; send fewer sales per request` });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(reply, 415, { error: 'unsupported_media_type', message: 'send the body as application/json' });
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(reply, 400, { error: 'body_missing', message: 'the request has no body' });
      default:
        break;
    }
    if (error instanceof SyntaxError || error.statusCode === 400) {
      return send(reply, 400, { error: 'malformed_json', message: 'the request body is not valid JSON' });
    }
    logger.error('unexpected error; answered 500', { reason: 'internal_error', errorName: error.name, errorCode: error.code });
    return send(reply, 500, { error: 'internal_error', message: 'the sales were not recorded; retry later' });
  };
}

/**
 * The till API as a fastify plugin: `POST /v1/sales`, `POST /v1/voids` and `POST
 * /v1/refunds`. Each authenticates the till, checks it is within its rate, decides
 * the request against the contracts and the till's idempotency keys, writes the
 * events with the shared writer and only then answers (202 for what was recorded,
 * 4xx for what was refused). A failed write is a 503 and nothing is acknowledged;
 * the till retries, and its sale and refund ids make that safe.
 */
async function tillApiPlugin(app: FastifyInstance, options: TillApiOptions): Promise<void> {
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const limiter = options.rateLimit === false ? undefined : createRateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT);
  const tills = new WeakMap<FastifyRequest, TillIdentity>();
  const writer = options.coalesce === false ? options.writer : createCoalescingWriter(options.writer, options.coalesce);

  app.setErrorHandler(errorHandler(bodyLimit, logger));
  // Fastify also parses text/plain by default; a till sends JSON only, so anything else is a 415.
  app.removeContentTypeParser('text/plain');

  // Authentication runs before the body is read: strangers cannot make us parse anything.
  const authenticate = async (request: FastifyRequest) => {
    const outcome = await authenticateTill(options.credentials, request.headers.authorization);
    if (!outcome.ok) throw new TillUnauthorizedError(outcome.code, AUTH_TEXT[outcome.code] ?? 'unauthorised');
    tills.set(request, { tillId: outcome.tillId, branch: outcome.branch });
  };
  const tillOf = (request: FastifyRequest): TillIdentity => {
    const till = tills.get(request);
    if (!till) throw new TillUnauthorizedError('credentials_missing', AUTH_TEXT.credentials_missing ?? 'unauthorised');
    return till;
  };
  /** One token per sale, void or refund, from the till's one bucket. */
  const takeRate = (till: TillIdentity, cost: number) => {
    if (!limiter) return;
    const decision = limiter.take(till.tillId, cost, clock().getTime());
    if (!decision.ok) throw new TillRateLimitedError(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
  };
  const publish = async (events: readonly SalesStreamEvent[]) => {
    if (events.length === 0) return;
    // Two statements on purpose: in `onWritten?.(await write(…))` the write is skipped when no listener is set.
    const receipt = await writer.write(events);
    options.onWritten?.(receipt);
  };
  const route = { bodyLimit, onRequest: authenticate };

  app.post(SALES_ROUTE, route, async (request, reply) => {
    const till = tillOf(request);
    const sales = readSales(request.body);
    const foreign = sales.findIndex((sale) => {
      const branch = (sale as { branch?: unknown } | null)?.branch;
      return typeof branch === 'string' && branch.trim() !== '' && !sameBranch(branch, till.branch);
    });
    if (foreign >= 0) throw new TillForbiddenError(foreign);
    takeRate(till, sales.length);

    const now = clock();
    const decision = await claimSales(decideSales(sales, till, now), options.idempotency, till, now);
    await publish(decision.events);
    if (decision.accepted > 0) options.recordMetric?.(MetricName.EventsPublished, decision.accepted);
    if (decision.rejected > 0) options.recordMetric?.(MetricName.RowsRejected, decision.rejected);

    const body: TillSalesResponse = { accepted: decision.accepted, duplicates: decision.duplicates, rejected: decision.rejected, results: decision.results };
    if (decision.accepted + decision.duplicates > 0) return send(reply, 202, body);
    if (decision.results.some((result) => result.reason === RejectReason.SaleIdConflict)) {
      return send(reply, 409, { error: RejectReason.SaleIdConflict, message: 'no sale was recorded: a saleId was already used for a different sale; see results for the recorded eventId', ...body });
    }
    return send(reply, 422, { error: 'sales_rejected', message: 'no sale in the request was acceptable; see results for each reason', ...body });
  });

  /** A void or refund: one request, one decision, its events written before the answer. */
  const correct = (name: string, decide: typeof decideVoid) => async (request: FastifyRequest, reply: FastifyReply) => {
    const till = tillOf(request);
    takeRate(till, 1);
    const answer: CorrectionAnswer = await decide(request.body, till, options.idempotency, clock());
    await publish(answer.events);
    const accepted = 'status' in answer.body && answer.body.status === 'accepted';
    if (accepted) options.recordMetric?.(MetricName.EventsPublished, 1);
    const rejections = answer.events.filter((event) => event.type === 'RowRejected').length;
    if (rejections > 0) options.recordMetric?.(MetricName.RowsRejected, rejections);
    if (accepted) {
      const reason = VoidReasonSchema.safeParse((request.body as { reason?: unknown } | null)?.reason);
      logger.info(`${name} recorded`, { route: request.url, tillId: till.tillId, ...(reason.success ? { reason: reason.data } : {}) });
    }
    return send(reply, answer.statusCode, answer.body);
  };
  app.post(VOIDS_ROUTE, route, correct('void', decideVoid));
  app.post(REFUNDS_ROUTE, route, correct('refund', decideRefund));
}

/** The till API plugin: `app.register(tillApi, { writer, credentials })`. */
export const tillApi: FastifyPluginAsync<TillApiOptions> = tillApiPlugin;

/** A fastify instance serving only the till API (Lambda, tests, benchmarks). */
export async function buildTillApiServer(options: TillApiOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, return503OnClosing: true });
  await app.register(tillApi, options);
  return app;
}
