import { z } from 'zod';
import { DynamoTableName, KinesisStreamName, readEnvironment } from '../../common/config/environment.js';
import { ServiceName } from '../../contracts/index.js';

/** The till API Lambda's environment, as the CDK stack sets it (infra/aws/constructs/till-api.ts). */
export const TillApiEnvironmentSchema = z.object({
  STREAM_NAME: KinesisStreamName,
  TILL_CREDENTIALS_TABLE: DynamoTableName,
  TILL_IDEMPOTENCY_TABLE: DynamoTableName,
});

export interface TillApiConfig {
  readonly streamName: string;
  /** The DynamoDB table of till credentials (the API only reads it). */
  readonly credentialsTable: string;
  /** The DynamoDB table of claimed till sale ids (conditional writes). */
  readonly idempotencyTable: string;
}

/** Reads and validates the till API's configuration; throws a ConfigurationError naming what is missing. */
export function readTillApiConfig(environment: Readonly<Record<string, string | undefined>>): TillApiConfig {
  const env = readEnvironment(ServiceName.TillApi, TillApiEnvironmentSchema, environment);
  return { streamName: env.STREAM_NAME, credentialsTable: env.TILL_CREDENTIALS_TABLE, idempotencyTable: env.TILL_IDEMPOTENCY_TABLE };
}
