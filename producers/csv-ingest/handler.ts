import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { S3Event } from 'aws-lambda';
import { retryReporter } from '../../common/retry/retry-reporter.js';
import { MetricName } from '../../contracts/index.js';
import { FileRefusedError } from '../shared/errors.js';
import { createKinesisEventWriter } from '../shared/kinesis-event-writer.js';
import { logger, metrics, tracer } from '../shared/powertools.js';
import { createS3ObjectReader } from './adapters/s3-object-reader.js';
import { branchFolderOf, sameBranchAs } from './branch-folder.js';
import { readCsvIngestConfig } from './config.js';
import { ingestFile } from './ingest-file.js';
import { fileVersionOf, objectKeyOf, placeholderOf } from './s3-upload.js';

// Validated at cold start: a missing variable fails here, naming itself.
const config = readCsvIngestConfig(process.env);
const s3 = tracer.captureAWSv3Client(new S3Client({}));
const kinesis = tracer.captureAWSv3Client(new KinesisClient({}));
const writer = createKinesisEventWriter({
  client: kinesis,
  streamName: config.streamName,
  onRetry: retryReporter(logger, 'stream retry', (entries) => metrics.addMetric(MetricName.StreamRetries, 'Count', entries)),
});

const uploadPrefix = config.uploadPrefix;

/**
 * S3 ObjectCreated → one event per sale on the stream, each row and the account
 * carrying the upload's version (its S3 sequencer). A refused file is logged
 * and counted, not retried; a folder marker or zero-byte object is skipped with
 * a debug line only (no metric, no account: it is not an upload).
 */
export const handler = async (event: S3Event): Promise<void> => {
  const pepper = (await getSecret(config.pepperSecretArn, { maxAge: 300 })) as string;
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
        // Rows under a branch's folder must be that branch's (branch_mismatch otherwise).
        const folder = branchFolderOf(key, uploadPrefix);
        // The S3 sequencer orders re-uploads of one key: the later upload is the later version.
        const version = fileVersionOf(record.s3.object.sequencer);
        if (version === undefined) logger.warn('no S3 sequencer: the version is the ingest instant', { file: key });
        const summary = await ingestFile({ file: key, version, reader, writer, pepper, checkSale: folder === undefined ? undefined : sameBranchAs(folder) });
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
