import { z } from 'zod';
import { KinesisStreamName, S3FolderPrefix, SecretArn, readEnvironment } from '../../common/config/environment.js';
import { ServiceName } from '../../contracts/index.js';

/** The ingest Lambda's environment, as the CDK stack sets it (infra/aws/constructs/ingest-function.ts). */
export const CsvIngestEnvironmentSchema = z.object({
  STREAM_NAME: KinesisStreamName,
  PEPPER_SECRET_ARN: SecretArn,
  UPLOAD_PREFIX: S3FolderPrefix,
});

export interface CsvIngestConfig {
  readonly streamName: string;
  readonly pepperSecretArn: string;
  /** Where branches upload: `<prefix><branch folder>/<file>.csv`. */
  readonly uploadPrefix: string;
}

/** Reads and validates the ingest's configuration; throws a ConfigurationError naming what is missing. */
export function readCsvIngestConfig(environment: Readonly<Record<string, string | undefined>>): CsvIngestConfig {
  const env = readEnvironment(ServiceName.CsvIngest, CsvIngestEnvironmentSchema, environment);
  return { streamName: env.STREAM_NAME, pepperSecretArn: env.PEPPER_SECRET_ARN, uploadPrefix: env.UPLOAD_PREFIX };
}
