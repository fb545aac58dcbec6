import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import awsLambdaFastify from '@fastify/aws-lambda';
import { retryReporter } from '../../common/retry/retry-reporter.js';
import { MetricName } from '../../contracts/index.js';
import { createKinesisEventWriter } from '../shared/kinesis-event-writer.js';
import { logger, metrics, tracer } from '../shared/powertools.js';
import { buildTillApiServer } from './app.js';
import { readTillApiConfig } from './config.js';
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
// Validated at cold start: a missing variable fails here, naming itself.
const config = readTillApiConfig(process.env);
const dynamo = tracer.captureAWSv3Client(new DynamoDBClient({}));
const credentials = createDynamoCredentialStore({ client: dynamo, tableName: config.credentialsTable });
const idempotency = createDynamoIdempotencyStore({ client: dynamo, tableName: config.idempotencyTable });

const writer = createKinesisEventWriter({
  client: tracer.captureAWSv3Client(new KinesisClient({})),
  streamName: config.streamName,
  maxAttempts: 3,
  maxDelayMs: 300,
  onRetry: retryReporter(logger, 'stream retry', (entries) => metrics.addMetric(MetricName.StreamRetries, 'Count', entries)),
});

// One request per instance at a time: nothing to coalesce, and buckets are per instance.
const app = await buildTillApiServer({
  writer,
  credentials: withCredentialCache(credentials, { ttlMs: 30_000 }),
  idempotency,
  coalesce: false,
  recordMetric: (name, value) => metrics.addMetric(name, 'Count', value),
  logger,
});
app.addHook('onResponse', async () => metrics.publishStoredMetrics());
await app.ready();

/** API Gateway HTTP API → fastify → API Gateway response. */
export const handler = awsLambdaFastify(app);
