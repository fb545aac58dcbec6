import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { METRICS_NAMESPACE } from '../../contracts/index.js';

/** Powertools for the consumer, made once per function (service name from POWERTOOLS_SERVICE_NAME). */
export const logger = new Logger({ logLevel: 'INFO' });
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE });
export const tracer = new Tracer();
