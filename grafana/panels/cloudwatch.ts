import * as cloudwatch from '@grafana/grafana-foundation-sdk/cloudwatch';
import { cloudWatchDatasource } from './common.js';

/** A CloudWatch metric query: one statistic per minute, in the `$region` the dashboard selects. */
export interface MetricQueryOptions {
  readonly refId: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly statistic: 'Sum' | 'Average' | 'Maximum';
  readonly dimensions: cloudwatch.Dimensions;
  readonly label: string;
  /** Exact dimension match; off lets `*` values return one series per dimension value. */
  readonly matchExact?: boolean;
}

/** Builds a CloudWatch metric search query (builder mode, as the query editor would save it). */
export function cloudWatchMetric(options: MetricQueryOptions): cloudwatch.MetricsQueryBuilder {
  return new cloudwatch.MetricsQueryBuilder()
    .datasource(cloudWatchDatasource)
    .refId(options.refId)
    .queryMode(cloudwatch.QueryMode.Metrics)
    .metricQueryType(cloudwatch.MetricQueryType.Search)
    .metricEditorMode(cloudwatch.MetricEditorMode.Builder)
    .region('$region')
    .namespace(options.namespace)
    .metricName(options.metricName)
    .statistic(options.statistic)
    .dimensions(options.dimensions)
    .matchExact(options.matchExact ?? true)
    .period('60')
    .label(options.label);
}
