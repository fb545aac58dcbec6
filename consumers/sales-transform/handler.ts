import { FirehoseClient } from '@aws-sdk/client-firehose';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { retryReporter } from '../../common/retry/retry-reporter.js';
import { MetricName } from '../../contracts/index.js';
import { logger, metrics, tracer } from '../shared/powertools.js';
import { createFirehoseSink } from './adapters/firehose-sink.js';
import { readSalesTransformConfig } from './config.js';
import { createSalesTransform } from './process-batch.js';

// Validated at cold start: a missing variable fails here, naming itself.
const config = readSalesTransformConfig(process.env);
const firehose = tracer.captureAWSv3Client(new FirehoseClient({}));

/** Time kept back from the Lambda's timeout to report which records to retry. */
const REPORT_MARGIN_MS = 10_000;
/** The running invocation's deadline for Firehose retries (ms since the epoch). */
let deadline: number | undefined;

const transform = createSalesTransform({
  sink: createFirehoseSink({
    client: firehose,
    deliveryStreams: config.deliveryStreams,
    onRetry: retryReporter(logger, 'delivery retry', (records) => metrics.addMetric(MetricName.DeliveryRetries, 'Count', records)),
    // Retry throttled rows while the invocation may run; the event source mapping retries after that, until the records' maximum age.
    deadline: () => deadline,
  }),
  // Cached for five minutes by Powertools: one Secrets Manager call per container, not per record.
  getPepper: async () => (await getSecret(config.pepperSecretArn, { maxAge: 300 })) as string,
  recordMetric: (name, unit, value) => metrics.addMetric(name, unit, value),
  logger,
});

/** Kinesis batch → validate, redact, normalise → Firehose; partial batch response for retries. */
export const handler = async (event: KinesisStreamEvent, context: Context): Promise<KinesisStreamBatchResponse> => {
  logger.addContext(context);
  deadline = Date.now() + context.getRemainingTimeInMillis() - REPORT_MARGIN_MS;
  try {
    const response = await transform(event, context);
    if (response.batchItemFailures.length > 0) logger.warn('records to retry', { count: response.batchItemFailures.length, records: event.Records.length });
    return response;
  } finally {
    metrics.publishStoredMetrics();
  }
};
