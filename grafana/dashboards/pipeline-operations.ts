import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { Target } from '../panels/common.js';
import * as consumer from '../panels/consumer.js';
import * as rejects from '../panels/rejects.js';
import * as throughput from '../panels/throughput.js';
import { OPERATIONS_RANGES, baseDashboard, numberPanels, resourceVariable } from './compose.js';

export const PIPELINE_OPERATIONS_UID = 'supercafe-pipeline-operations';

/**
 * The operators' dashboard: throughput, rejects, lag, consumer health, dead
 * letters and file runs. One definition, two targets: in AWS the metric panels
 * read CloudWatch (the Powertools metrics plus Kinesis, Lambda and SQS), locally
 * they read the `ops_metrics` table the local stack keeps under the same names;
 * rejects and files come from warehouse tables in both.
 */
export function pipelineOperations(target: Target): dashboard.Dashboard {
  const builder = baseDashboard({
    uid: PIPELINE_OPERATIONS_UID,
    title: 'Super Café: pipeline operations',
    description: 'Ingest throughput, rejects, end-to-end lag, consumer health and dead letters.',
    target,
    from: 'now-24h',
    refresh: { aws: '5m', local: '30s' },
    ranges: OPERATIONS_RANGES,
  });
  if (target === Target.Aws) {
    builder
      .withVariable(resourceVariable('region', 'Region', 'AWS region of the pipeline.', 'eu-west-2'))
      .withVariable(resourceVariable('stream', 'Sales stream', 'Kinesis stream name (stack output).', 'supercafe-sales-events'))
      .withVariable(resourceVariable('consumer', 'Consumer function', 'sales-transform Lambda function name (stack output).', 'supercafe-sales-transform'))
      .withVariable(resourceVariable('dlq', 'Dead-letter queue', 'Consumer on-failure SQS queue name (stack output).', 'supercafe-sales-transform-dlq'));
  }
  builder
    .withRow(new RowBuilder('Throughput'))
    .withPanel(throughput.eventsPerMinute(target))
    .withRow(new RowBuilder('Quality and lag'))
    .withPanel(rejects.rejectsByReason(target))
    .withPanel(consumer.endToEndLag(target))
    .withRow(new RowBuilder('Consumer'));
  if (target === Target.Aws) builder.withPanel(consumer.consumerIteratorAge().span(9));
  builder
    .withPanel(consumer.consumerFailures(target).span(target === Target.Aws ? 9 : 18))
    .withPanel(consumer.deadLetters(target))
    .withRow(new RowBuilder('Files'))
    .withPanel(rejects.recentFiles(target));
  return numberPanels(builder.build());
}
