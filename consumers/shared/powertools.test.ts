import { afterAll, describe, expect, it, vi } from 'vitest';
import { METRICS_NAMESPACE } from '../../contracts/index.js';

const ENVIRONMENT = process.env;

/** The module loaded afresh under the given environment, as at a cold start. */
async function loadPowertools(environment: Record<string, string>) {
  vi.resetModules();
  process.env = { ...ENVIRONMENT, ...environment };
  return import('./powertools.js');
}

describe('Powertools for the consumer', () => {
  afterAll(() => {
    process.env = ENVIRONMENT;
  });

  it('logs at INFO, the level set in code, whatever POWERTOOLS_LOG_LEVEL says', async () => {
    // Act
    const { logger } = await loadPowertools({ POWERTOOLS_LOG_LEVEL: 'DEBUG' });
    // Assess
    expect(logger.getLevelName()).toBe('INFO');
  });

  it('publishes metrics under the pipeline’s namespace, whatever the environment says', async () => {
    // Prepare
    const { metrics } = await loadPowertools({ POWERTOOLS_METRICS_NAMESPACE: 'someone-else', POWERTOOLS_SERVICE_NAME: 'sales-transform' });
    // Act
    metrics.addMetric('SalesLoaded', 'Count', 1);
    const emf = metrics.serializeMetrics();
    // Assess
    expect(emf._aws.CloudWatchMetrics[0]?.Namespace).toBe(METRICS_NAMESPACE);
    metrics.clearMetrics();
  });
});
