import { z } from 'zod';
import { DeliveryStreamName, SecretArn, readEnvironment } from '../../common/config/environment.js';
import { ServiceName } from '../../contracts/index.js';
import type { FirehoseDeliveryStreams } from './adapters/firehose-sink.js';

/** The consumer Lambda's environment, as the CDK stack sets it (infra/aws/constructs/transform-function.ts). */
export const SalesTransformEnvironmentSchema = z.object({
  PEPPER_SECRET_ARN: SecretArn,
  SALES_DELIVERY_STREAM: DeliveryStreamName,
  SALE_ITEMS_DELIVERY_STREAM: DeliveryStreamName,
  QUARANTINE_DELIVERY_STREAM: DeliveryStreamName,
  INGEST_FILES_DELIVERY_STREAM: DeliveryStreamName,
  SALE_SOURCES_DELIVERY_STREAM: DeliveryStreamName,
  TILL_SALES_DELIVERY_STREAM: DeliveryStreamName,
  FILE_VERSIONS_DELIVERY_STREAM: DeliveryStreamName,
});

export interface SalesTransformConfig {
  readonly pepperSecretArn: string;
  readonly deliveryStreams: FirehoseDeliveryStreams;
}

/** Reads and validates the consumer's configuration; throws a ConfigurationError naming what is missing. */
export function readSalesTransformConfig(environment: Readonly<Record<string, string | undefined>>): SalesTransformConfig {
  const env = readEnvironment(ServiceName.SalesTransform, SalesTransformEnvironmentSchema, environment);
  return {
    pepperSecretArn: env.PEPPER_SECRET_ARN,
    deliveryStreams: {
      sales: env.SALES_DELIVERY_STREAM,
      saleItems: env.SALE_ITEMS_DELIVERY_STREAM,
      quarantine: env.QUARANTINE_DELIVERY_STREAM,
      ingestFiles: env.INGEST_FILES_DELIVERY_STREAM,
      saleSources: env.SALE_SOURCES_DELIVERY_STREAM,
      tillSales: env.TILL_SALES_DELIVERY_STREAM,
      fileVersions: env.FILE_VERSIONS_DELIVERY_STREAM,
    },
  };
}
