import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { METRICS_NAMESPACE } from '../../contracts/index.js';

/**
 * Powertools for the producers, made once per function. The service name comes
 * from POWERTOOLS_SERVICE_NAME (set per function by the CDK stack).
 */
export const logger = new Logger({ logLevel: 'INFO' });
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE });
export const tracer = new Tracer();
