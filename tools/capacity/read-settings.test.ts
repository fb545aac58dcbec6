import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from './plan-inputs.js';
import { contextForEnvironment, dashboardSettings, grafanaIntervalSeconds, readRepositorySettings, settingsFromContext } from './read-settings.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('Function: settingsFromContext', () => {
  it('reads the supercafe:* keys and keeps construct defaults for the rest', () => {
    // Act
    const settings = settingsFromContext({ 'supercafe:streamCapacity': 'PROVISIONED', 'supercafe:shardCount': '2', 'supercafe:firehoseBufferSeconds': 900, 'other:key': 1 });
    // Assess
    expect(settings).toMatchObject({ streamCapacity: 'PROVISIONED', shardCount: 2, firehoseBufferSeconds: 900, consumerBatchSize: DEFAULT_SETTINGS.consumerBatchSize });
  });

  it('refuses a setting that is not a number, naming it', () => {
    // Assess
    expect(() => settingsFromContext({ 'supercafe:mergeIntervalMinutes': 'hourly' })).toThrow(/supercafe:mergeIntervalMinutes must be a number/);
    expect(() => settingsFromContext({ 'supercafe:streamCapacity': 'SOMETIMES' })).toThrow(/ON_DEMAND or PROVISIONED/);
  });
});

describe('Function: dashboardSettings', () => {
  it('counts the Redshift panels and reads the refresh interval', () => {
    // Act
    const settings = dashboardSettings(
      { uid: 'sales', refresh: '5m', panels: [{ type: 'row' }, { datasource: { type: 'grafana-redshift-datasource' } }, { datasource: { type: 'cloudwatch' } }] },
      'fallback',
    );
    // Assess
    expect(settings).toEqual({ name: 'sales', refreshSeconds: 300, redshiftPanels: 1 });
  });

  it('reads Grafana intervals and treats no refresh as 0', () => {
    // Assess
    expect([grafanaIntervalSeconds('30s'), grafanaIntervalSeconds('1m'), grafanaIntervalSeconds('1h'), grafanaIntervalSeconds(''), grafanaIntervalSeconds(false)]).toEqual([30, 60, 3600, 0, 0]);
    expect(() => grafanaIntervalSeconds('soon')).toThrow(/not a Grafana refresh interval/);
  });
});

describe('Function: contextForEnvironment', () => {
  const context = {
    'supercafe:ingestMemoryMb': 1769,
    'supercafe:environments': { '//': 'a comment', prod: { account: '222222222222', region: 'eu-west-2', settings: { ingestReservedConcurrency: 8 } } },
  };

  it('lays the environment’s settings over the top-level keys', () => {
    // Act
    const merged = contextForEnvironment(context, 'prod');
    // Assess
    expect(settingsFromContext(merged)).toMatchObject({ ingestMemoryMb: 1769, ingestReservedConcurrency: 8 });
  });

  it('names the environments there are when asked for another', () => {
    expect(() => contextForEnvironment(context, 'staging')).toThrow('no environment "staging" in cdk.json (it defines prod)');
  });
});

describe('Function: readRepositorySettings', () => {
  it('plans prod by default: the reserved concurrency it sets', () => {
    // Act
    const prod = readRepositorySettings(REPO_ROOT);
    const dev = readRepositorySettings(REPO_ROOT, {}, 'dev');
    // Assess
    expect(prod).toMatchObject({ ingestReservedConcurrency: 7, consumerReservedConcurrency: 10, tillApiReservedConcurrency: 5 });
    expect(dev).toMatchObject({ ingestReservedConcurrency: undefined, redshiftBaseCapacity: 4 });
  });

  it('reads this checkout’s cdk.json and generated AWS dashboards, with overrides', () => {
    // Act
    const settings = readRepositorySettings(REPO_ROOT, { mergeIntervalMinutes: '60' });
    // Assess
    expect(settings.mergeIntervalMinutes).toBe(60);
    expect(settings.dashboards.map((d) => d.name).sort()).toEqual(expect.arrayContaining([expect.stringMatching(/sales/), expect.stringMatching(/operations/)]));
    expect(settings.dashboards.every((d) => d.redshiftPanels > 0)).toBe(true);
  });
});
