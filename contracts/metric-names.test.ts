import { readFile } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';

/** Loaded inside each test: its constants are module-level, and Stryker (`ignoreStatic`) credits only tests that load it. */
const load = async () => {
  vi.resetModules();
  return import('./metric-names.js');
};

type Dashboard = { panels: { targets?: { namespace?: string; metricName?: string }[] }[] };

describe('Contract: metric names', () => {
  // CloudWatch keys a metric's history by namespace and name: a rename starts a new, empty metric and orphans its alarms.
  it('publishes under the SuperCafe namespace, each metric named as its key', async () => {
    const { METRICS_NAMESPACE, MetricName, ServiceName } = await load();
    expect(METRICS_NAMESPACE).toBe('SuperCafe');
    expect(Object.entries(MetricName).filter(([key, name]) => key !== name)).toEqual([]);
    expect(Object.values(ServiceName)).toEqual(['csv-ingest', 'till-api', 'sales-transform']);
  });

  it('is what the committed operations dashboard queries (no panel asks for a metric nobody publishes)', async () => {
    // Prepare
    const { METRICS_NAMESPACE, MetricName } = await load();
    const dashboard = JSON.parse(await readFile(new URL('../grafana/dashboards/aws/pipeline-operations.json', import.meta.url), 'utf8')) as Dashboard;
    // Act
    const ours = dashboard.panels.flatMap((panel) => panel.targets ?? []).filter((target) => target.namespace !== undefined && !target.namespace.startsWith('AWS/'));
    // Assess
    expect(ours.length).toBeGreaterThan(0);
    expect(new Set(ours.map((target) => target.namespace))).toEqual(new Set([METRICS_NAMESPACE]));
    expect(ours.map((target) => target.metricName).filter((name) => !Object.values<string | undefined>(MetricName).includes(name))).toEqual([]);
  });
});
