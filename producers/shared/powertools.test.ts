import { describe, expect, it, vi } from 'vitest';

/** Loaded inside the test: the Powertools are made when the module loads, and Stryker (`ignoreStatic`) credits only tests that load it. */
const load = async () => {
  vi.resetModules();
  return import('./powertools.js');
};

describe('Powertools: the producers\' logger and metrics', () => {
  it('logs at INFO whatever POWERTOOLS_LOG_LEVEL says, and publishes metrics under the SuperCafe namespace', async () => {
    // Prepare: only Lambda's own log level control (AWS_LAMBDA_LOG_LEVEL) may change the level
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', '');
    const { logger, metrics } = await load();
    // Act
    metrics.addMetric('RowsRead', 'Count', 1);
    const emf = metrics.serializeMetrics() as { _aws: { CloudWatchMetrics: { Namespace: string }[] } };
    metrics.clearMetrics();
    // Assess
    expect(logger.getLevelName()).toBe('INFO');
    expect(emf._aws.CloudWatchMetrics.map((metric) => metric.Namespace)).toEqual(['SuperCafe']);
    vi.unstubAllEnvs();
  });
});
