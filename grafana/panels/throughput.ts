import type { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { METRICS_NAMESPACE, MetricName, ServiceName } from '../../contracts/index.js';
import { cloudWatchMetric } from './cloudwatch.js';
import { Target, Unit, defaultTimeseries, warehouseQuery } from './common.js';

/** The counters the throughput panel plots, with their series names. */
export const THROUGHPUT_SERIES = [
  [MetricName.RowsRead, 'Rows read'],
  [MetricName.EventsPublished, 'Events published'],
  [MetricName.SalesLoaded, 'Sales loaded'],
  [MetricName.RowsRejected, 'Rows rejected'],
  [MetricName.EventsQuarantined, 'Events quarantined'],
] as const;

/** Which function publishes each counter (Powertools adds the `service` dimension). */
const PUBLISHER: Record<(typeof THROUGHPUT_SERIES)[number][0], string> = {
  [MetricName.RowsRead]: ServiceName.CsvIngest,
  [MetricName.EventsPublished]: '*',
  [MetricName.SalesLoaded]: ServiceName.SalesTransform,
  [MetricName.RowsRejected]: '*',
  [MetricName.EventsQuarantined]: ServiceName.SalesTransform,
};

/**
 * Events ingested and rejected per minute. Locally the counters are the
 * `ops_metrics` rows the local stack sums per minute under the same names the
 * Lambdas publish to CloudWatch; the fixed one-minute bucket keeps "per minute" true
 * whatever the range.
 */
export const eventsPerMinute = (target: Target): TimeseriesBuilder => {
  const panel = defaultTimeseries()
    .title('Events per minute')
    .description('Rows read, events published, sales loaded, rows rejected and events quarantined per minute.')
    .unit(Unit.Count)
    .decimals(0)
    .interval('1m')
    .span(24);
  if (target === Target.Aws) {
    THROUGHPUT_SERIES.forEach(([metric, label], index) => {
      const service = PUBLISHER[metric];
      panel.withTarget(
        cloudWatchMetric({
          refId: String.fromCharCode(65 + index),
          namespace: METRICS_NAMESPACE,
          metricName: metric,
          statistic: 'Sum',
          dimensions: { service },
          matchExact: service !== '*',
          label: service === '*' ? `${label} (\${PROP('Dim.service')})` : label,
        }),
      );
    });
    return panel;
  }
  const columns = THROUGHPUT_SERIES.map(([metric, label]) => `  SUM(CASE WHEN name = '${metric}' THEN total ELSE 0 END) AS "${label}"`).join(',\n');
  const names = THROUGHPUT_SERIES.map(([metric]) => `'${metric}'`).join(', ');
  return panel.withTarget(
    warehouseQuery(
      target,
      `SELECT $__timeGroup(minute, '1m'),
${columns}
FROM ops_metrics
WHERE $__timeFilter(minute) AND name IN (${names})
GROUP BY 1
ORDER BY 1`,
    ),
  );
};
