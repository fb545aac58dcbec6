import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import awsLambdaFastify from '@fastify/aws-lambda';
import { createKinesisEventWriter } from '../shared/kinesis-event-writer.js';
import { logger, metrics, tracer } from '../shared/powertools.js';
import { buildTillApiServer } from './app.js';
import { createDynamoCredentialStore } from './credentials/adapters/dynamodb-credential-store.js';
import { withCredentialCache } from './credentials/credentials.js';
import { createDynamoIdempotencyStore } from './idempotency/adapters/dynamodb-idempotency-store.js';

/**
 * The till API in Lambda behind an API Gateway HTTP API (payload 2.0): the same
 * fastify app as on a laptop, adapted by @fastify/aws-lambda. A request's sales are
 * acknowledged only after PutRecords succeeds; retries are few and short so a
 * stream outage becomes a prompt 503 (the till retries) rather than a gateway timeout.
 *
 * Credentials: the CredentialStore port on the DynamoDB table `TILL_CREDENTIALS_TABLE`
 * (the API only reads it: GetItem), cached briefly so a busy till costs few reads.
 */
const tableName = process.env.TILL_CREDENTIALS_TABLE;
if (!tableName) throw new Error('TILL_CREDENTIALS_TABLE is not set: the till API has no credential store');
const dynamo = tracer.captureAWSv3Client(new DynamoDBClient({}));
const credentials = createDynamoCredentialStore({ client: dynamo, tableName });
const idempotencyTable = process.env.TILL_IDEMPOTENCY_TABLE;
if (!idempotencyTable) throw new Error('TILL_IDEMPOTENCY_TABLE is not set: the till API cannot tell a retried sale from a reused sale id');
const idempotency = createDynamoIdempotencyStore({ client: dynamo, tableName: idempotencyTable });

const writer = createKinesisEventWriter({
  client: tracer.captureAWSv3Client(new KinesisClient({})),
  streamName: process.env.STREAM_NAME ?? '',
  maxAttempts: 3,
  maxDelayMs: 300,
  onRetry: ({ failed, errorCode }) => logger.warn('stream retry', { failed, errorCode }),
});

// One request per instance at a time: nothing to coalesce, and buckets are per instance.
const app = await buildTillApiServer({
  writer,
  credentials: withCredentialCache(credentials, { ttlMs: 30_000 }),
  idempotency,
  coalesce: false,
  recordMetric: (name, value) => metrics.addMetric(name, 'Count', value),
  log: (line) => logger.warn(line),
});
app.addHook('onResponse', async () => metrics.publishStoredMetrics());
await app.ready();

/** API Gateway HTTP API → fastify → API Gateway response. */
export const handler = awsLambdaFastify(app);
