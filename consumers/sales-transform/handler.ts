import { FirehoseClient } from '@aws-sdk/client-firehose';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { logger, metrics, tracer } from '../shared/powertools.js';
import { createFirehoseSink } from './adapters/firehose-sink.js';
import { createSalesTransform } from './process-batch.js';

const firehose = tracer.captureAWSv3Client(new FirehoseClient({}));

/** Time kept back from the Lambda's timeout to report which records to retry. */
const REPORT_MARGIN_MS = 10_000;
/** The running invocation's deadline for Firehose retries (ms since the epoch). */
let deadline: number | undefined;

const transform = createSalesTransform({
  sink: createFirehoseSink({
    client: firehose,
    deliveryStreams: {
      sales: process.env.SALES_DELIVERY_STREAM ?? '',
      saleItems: process.env.SALE_ITEMS_DELIVERY_STREAM ?? '',
      quarantine: process.env.QUARANTINE_DELIVERY_STREAM ?? '',
      ingestFiles: process.env.INGEST_FILES_DELIVERY_STREAM ?? '',
    },
    // Retry throttled rows while the invocation may run; the event source mapping retries after that, until the records' maximum age.
    deadline: () => deadline,
  }),
  // Cached for five minutes by Powertools: one Secrets Manager call per container, not per record.
  getPepper: async () => (await getSecret(process.env.PEPPER_SECRET_ARN ?? '', { maxAge: 300 })) as string,
  recordMetric: (name, unit, value) => metrics.addMetric(name, unit, value),
});

/** Kinesis batch → validate, redact, normalise → Firehose; partial batch response for retries. */
export const handler = async (event: KinesisStreamEvent, context: Context): Promise<KinesisStreamBatchResponse> => {
  logger.addContext(context);
  deadline = Date.now() + context.getRemainingTimeInMillis() - REPORT_MARGIN_MS;
  try {
    const response = await transform(event, context);
    if (response.batchItemFailures.length > 0) logger.warn('records to retry', { count: response.batchItemFailures.length });
    return response;
  } finally {
    metrics.publishStoredMetrics();
  }
};
