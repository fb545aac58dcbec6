import type { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import type { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { METRICS_NAMESPACE, MetricName, ServiceName } from '../../contracts/index.js';
import { cloudWatchMetric } from './cloudwatch.js';
import { Target, Unit, defaultStat, defaultTimeseries, thresholds, warehouseQuery } from './common.js';

/** Lag above this is worth a look: a file's rows should be in the warehouse within a minute. */
const LAG_WARNING_MS = 60_000;

/**
 * End-to-end lag: producer publish (file upload read or till post) to the
 * warehouse load, as the consumer measures it (EndToEndLagMs).
 */
export const endToEndLag = (target: Target): TimeseriesBuilder => {
  const panel = defaultTimeseries()
    .title('End-to-end lag')
    .description('Milliseconds from the producer publishing an event to the consumer loading it: average and maximum per minute.')
    .unit(Unit.Milliseconds)
    .interval('1m')
    .thresholds(thresholds('green', [LAG_WARNING_MS, 'red']));
  if (target === Target.Aws) {
    const lag = { namespace: METRICS_NAMESPACE, metricName: MetricName.EndToEndLagMs, dimensions: { service: ServiceName.SalesTransform } };
    return panel
      .withTarget(cloudWatchMetric({ ...lag, refId: 'A', statistic: 'Average', label: 'Average' }))
      .withTarget(cloudWatchMetric({ ...lag, refId: 'B', statistic: 'Maximum', label: 'Maximum' }));
  }
  return panel.withTarget(
    warehouseQuery(
      target,
      `SELECT $__timeGroup(minute, '1m'),
  SUM(total) / NULLIF(SUM(samples), 0) AS "Average",
  MAX(maximum) AS "Maximum"
FROM ops_metrics
WHERE $__timeFilter(minute) AND name = '${MetricName.EndToEndLagMs}'
GROUP BY 1
ORDER BY 1`,
    ),
  );
};

/** How far behind the stream's tip the consumer reads (Kinesis GetRecords.IteratorAgeMilliseconds); AWS only. */
export const consumerIteratorAge = (): TimeseriesBuilder =>
  defaultTimeseries()
    .title('Consumer iterator age')
    .description('Age of the oldest record the consumer read from the sales stream (maximum per minute).')
    .unit(Unit.Milliseconds)
    .interval('1m')
    .thresholds(thresholds('green', [LAG_WARNING_MS, 'red']))
    .withTarget(
      cloudWatchMetric({
        refId: 'A',
        namespace: 'AWS/Kinesis',
        metricName: 'GetRecords.IteratorAgeMilliseconds',
        statistic: 'Maximum',
        dimensions: { StreamName: '$stream' },
        label: 'Iterator age',
      }),
    );

/**
 * Consumer failures per minute. In AWS: consumer Lambda errors (batches the
 * stream retries) and quarantined events. Locally there is no Lambda: quarantined
 * events and the writer's PutRecords retry rounds.
 */
export const consumerFailures = (target: Target): TimeseriesBuilder => {
  const panel = defaultTimeseries()
    .title('Consumer failures')
    .description('Failures per minute: in AWS consumer Lambda errors and quarantined events; locally quarantined events and stream write retries.')
    .unit(Unit.Count)
    .decimals(0)
    .interval('1m');
  if (target === Target.Aws) {
    return panel
      .withTarget(
        cloudWatchMetric({ refId: 'A', namespace: 'AWS/Lambda', metricName: 'Errors', statistic: 'Sum', dimensions: { FunctionName: '$consumer' }, label: 'Lambda errors' }),
      )
      .withTarget(
        cloudWatchMetric({
          refId: 'B',
          namespace: METRICS_NAMESPACE,
          metricName: MetricName.EventsQuarantined,
          statistic: 'Sum',
          dimensions: { service: ServiceName.SalesTransform },
          label: 'Events quarantined',
        }),
      );
  }
  return panel.withTarget(
    warehouseQuery(
      target,
      `SELECT $__timeGroup(minute, '1m'),
  SUM(CASE WHEN name = '${MetricName.EventsQuarantined}' THEN total ELSE 0 END) AS "Events quarantined",
  SUM(CASE WHEN name = '${MetricName.StreamRetries}' THEN total ELSE 0 END) AS "Stream retries"
FROM ops_metrics
WHERE $__timeFilter(minute) AND name IN ('${MetricName.EventsQuarantined}', '${MetricName.StreamRetries}')
GROUP BY 1
ORDER BY 1`,
    ),
  );
};

/**
 * Dead letters. In AWS: messages waiting in the consumer's on-failure queue
 * (batches that kept failing). The local poller retries instead of dead-lettering,
 * so locally this counts the events set aside in quarantine in the range.
 */
export const deadLetters = (target: Target): StatBuilder => {
  const panel = defaultStat().span(6).unit(Unit.Count).decimals(0).thresholds(thresholds('green', [1, 'red']));
  if (target === Target.Aws) {
    return panel
      .title('Dead-letter queue depth')
      .description('Messages visible in the consumer dead-letter queue (latest minute). Anything above zero needs a replay.')
      .withTarget(
        cloudWatchMetric({
          refId: 'A',
          namespace: 'AWS/SQS',
          metricName: 'ApproximateNumberOfMessagesVisible',
          statistic: 'Maximum',
          dimensions: { QueueName: '$dlq' },
          label: 'Dead letters',
        }),
      );
  }
  return panel
    .title('Quarantined events')
    .description('Events set aside in the time range (the local stand-in for the dead-letter queue: the local consumer retries, never dead-letters).')
    .withTarget(
      warehouseQuery(
        target,
        `SELECT COALESCE(SUM(total), 0) AS "Quarantined"
FROM ops_metrics
WHERE $__timeFilter(minute) AND name = '${MetricName.EventsQuarantined}'`,
      ),
    );
};
