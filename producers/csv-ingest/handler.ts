import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { S3Event } from 'aws-lambda';
import { MetricName } from '../../contracts/index.js';
import { FileRefusedError } from '../shared/errors.js';
import { createKinesisEventWriter } from '../shared/kinesis-event-writer.js';
import { logger, metrics, tracer } from '../shared/powertools.js';
import { createS3ObjectReader } from './adapters/s3-object-reader.js';
import { ingestFile } from './ingest-file.js';
import { objectKeyOf, placeholderOf } from './s3-upload.js';

const s3 = tracer.captureAWSv3Client(new S3Client({}));
const kinesis = tracer.captureAWSv3Client(new KinesisClient({}));
const writer = createKinesisEventWriter({
  client: kinesis,
  streamName: process.env.STREAM_NAME ?? '',
  onRetry: ({ failed, errorCode }) => {
    metrics.addMetric(MetricName.StreamRetries, 'Count', failed);
    logger.warn('stream retry', { failed, errorCode });
  },
});

/**
 * S3 ObjectCreated → one event per sale on the stream. A refused file is logged
 * and counted, not retried; a folder marker or zero-byte object is skipped with
 * a debug line only (no metric, no account: it is not an upload).
 */
export const handler = async (event: S3Event): Promise<void> => {
  const pepper = (await getSecret(process.env.PEPPER_SECRET_ARN ?? '', { maxAge: 300 })) as string;
  try {
    for (const record of event.Records) {
      const key = objectKeyOf(record.s3.object.key);
      const placeholder = placeholderOf(key, record.s3.object.size);
      if (placeholder) {
        logger.debug('not an upload, skipped', { file: key, placeholder });
        continue;
      }
      const reader = createS3ObjectReader({ client: s3, bucket: record.s3.bucket.name });
      try {
        const summary = await ingestFile({ file: key, reader, writer, pepper });
        const { receipt: _receipt, rejections: _rejections, ...account } = summary;
        logger.info('file ingested', { ...account });
        metrics.addMetric(MetricName.FilesIngested, 'Count', 1);
        metrics.addMetric(MetricName.RowsRead, 'Count', summary.rowsRead);
        metrics.addMetric(MetricName.EventsPublished, 'Count', summary.eventsPublished);
        metrics.addMetric(MetricName.RowsRejected, 'Count', summary.rowsRejected);
      } catch (error) {
        if (!(error instanceof FileRefusedError)) throw error;
        logger.error('file refused', { file: error.file, refusal: error.refusal, detail: error.message });
        metrics.addMetric(MetricName.FilesRefused, 'Count', 1);
      }
    }
  } finally {
    metrics.publishStoredMetrics();
  }
};
