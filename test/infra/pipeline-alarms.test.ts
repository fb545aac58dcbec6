import { Duration, type Stack } from 'aws-cdk-lib';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Rule } from 'aws-cdk-lib/aws-events';
import { CfnDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { METRICS_NAMESPACE, MetricName, ServiceName } from '../../contracts/index.js';
import { LOADER_METRIC, LOADER_SERVICE, MISSING_UPLOADS_METRIC, RECONCILE_METRIC, RECONCILE_SERVICE } from '../../infra/aws/functions/constants.js';
import { ReconciliationCheck } from '../../infra/aws/warehouse/warehouse-sql.js';
import {
  API_SERVER_ERRORS_THRESHOLD,
  ARCHIVE_PROCESSING_SUCCESS_THRESHOLD,
  DLQ_AGE_THRESHOLD,
  DELIVERY_FRESHNESS_THRESHOLD,
  FILES_WAITING_REDRIVE_THRESHOLD,
  RECONCILIATION_FAULTS_THRESHOLD,
  ITERATOR_AGE_THRESHOLD,
  PipelineAlarms,
  ROWS_REJECTED_THRESHOLD,
} from '../../infra/aws/constructs/pipeline-alarms.js';
import { templateOf, testStack } from './helpers.js';

function build(stack: Stack, overrides: Partial<ConstructorParameters<typeof PipelineAlarms>[2]> = {}): PipelineAlarms {
  const fn = (id: string) => new LambdaFunction(stack, id, { runtime: Runtime.NODEJS_24_X, handler: 'index.handler', code: Code.fromInline('exports.handler=async()=>{}') });
  const consumer = fn('Consumer');
  const delivery = new CfnDeliveryStream(stack, 'SalesDelivery', { deliveryStreamType: 'DirectPut' });
  return new PipelineAlarms(stack, 'Monitoring', {
    functions: [
      { label: 'Ingest', function: fn('Ingest') },
      { label: 'Consumer', function: consumer },
    ],
    consumer,
    deadLetterQueues: [{ label: 'ConsumerDlq', queue: new Queue(stack, 'Dlq') }],
    deliveryStreams: { sales: delivery },
    rawArchiveStream: new CfnDeliveryStream(stack, 'RawArchiveDelivery', { deliveryStreamType: 'KinesisStreamAsSource' }),
    statementFailureRule: new Rule(stack, 'Failures', { eventPattern: { source: ['aws.redshift-data'] } }),
    uploads: { bucket: new Bucket(stack, 'Raw'), prefix: 'uploads/', expectedBranches: ['leeds', 'london-soho'] },
    alarmEmail: 'ops@example.com',
    loader: { interval: Duration.minutes(15), bufferInterval: Duration.seconds(300) },
    tillApi: new HttpApi(stack, 'TillHttpApi'),
    ...overrides,
  });
}

type AlarmProps = Record<string, unknown> & { MetricName?: string; AlarmActions?: unknown[]; OKActions?: unknown[] };

describe('Construct: PipelineAlarms', () => {
  let template: Template;
  let alarms: AlarmProps[];

  beforeAll(() => {
    template = templateOf((stack) => build(stack));
    alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((resource) => (resource as { Properties: AlarmProps }).Properties);
  });

  it('sends every alarm, and its recovery, to a KMS-encrypted topic with an e-mail subscription', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitoringTopicKey'), 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^MonitoringTopic/) }]);
      expect(alarm.OKActions).toEqual(alarm.AlarmActions);
    }
  });

  it('treats missing data as nothing wrong, except where silence is the fault (a loader that finishes no run)', () => {
    // Assess
    const breaching = alarms.filter((alarm) => alarm.TreatMissingData !== 'notBreaching');
    expect(breaching.map((alarm) => [alarm.MetricName, alarm.TreatMissingData])).toEqual([[LOADER_METRIC.RunsCompleted, 'breaching']]);
  });

  it(`alarms when the consumer's iterator age reaches ${ITERATOR_AGE_THRESHOLD.toSeconds()} s`, () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('^Consumer') } }],
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 60_000,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 3,
    });
  });

  it.each(['Errors', 'Throttles'])('alarms on any Lambda %s of every function', (metricName) => {
    // Assess
    // The two given, and the nightly-upload check's own function.
    const matching = alarms.filter((alarm) => alarm.MetricName === metricName);
    expect(matching).toHaveLength(3);
    expect(matching.map((alarm) => JSON.stringify(alarm.Dimensions))).toEqual(
      expect.arrayContaining([expect.stringContaining('"Ingest'), expect.stringContaining('"Consumer'), expect.stringContaining('MonitoringMissingUploadsCheck')]),
    );
    for (const alarm of matching) expect(alarm).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Sum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });

  it('alarms when a dead-letter queue holds anything', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it(`alarms when a dead letter has waited ${DLQ_AGE_THRESHOLD.toHours()} h, while its records can still be replayed from the stream`, () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Dlq'), 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 12 * 3600,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it(`alarms on ${API_SERVER_ERRORS_THRESHOLD} or more till API 5xx answers in five minutes`, () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: Match.stringLikeRegexp('^TillHttpApi') } }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms when the final tables trail the consumer by a buffer, a load interval and ten minutes (merged_at − loaded_at)', () => {
    // Assess: 300 s + 900 s + 600 s.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRICS_NAMESPACE,
      MetricName: LOADER_METRIC.MergeLagSeconds,
      Dimensions: [{ Name: 'service', Value: LOADER_SERVICE }],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 1800,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms when no load run finishes for three intervals, counting silence as the fault', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRICS_NAMESPACE,
      MetricName: LOADER_METRIC.RunsCompleted,
      Dimensions: [{ Name: 'service', Value: LOADER_SERVICE }],
      Statistic: 'Sum',
      Period: 2700,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it('keeps the loader-silence window within the day CloudWatch allows a period', () => {
    // Act
    const daily = templateOf((stack) => build(stack, { loader: { interval: Duration.hours(24), bufferInterval: Duration.seconds(900) } }));
    // Assess
    daily.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: LOADER_METRIC.RunsCompleted, Period: 86_400 });
  });

  it('alarms when a Firehose write to S3 fails, and when delivery falls behind', () => {
    // Assess
    const stream = { Name: 'DeliveryStreamName', Value: { Ref: 'SalesDelivery' } };
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Firehose',
      MetricName: 'DeliveryToS3.Success',
      Dimensions: [stream],
      Statistic: 'Average',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Firehose',
      MetricName: 'DeliveryToS3.DataFreshness',
      Dimensions: [stream],
      Statistic: 'Maximum',
      Threshold: DELIVERY_FRESHNESS_THRESHOLD.toSeconds(),
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('alarms when the raw archive framing fails records', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Firehose',
      MetricName: 'ExecuteProcessing.Success',
      Dimensions: [{ Name: 'DeliveryStreamName', Value: { Ref: 'RawArchiveDelivery' } }],
      Threshold: ARCHIVE_PROCESSING_SUCCESS_THRESHOLD,
      ComparisonOperator: 'LessThanThreshold',
    });
  });

  it('alarms while any file Redshift refused waits under errors/ for a re-drive', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRICS_NAMESPACE,
      MetricName: LOADER_METRIC.FilesWaitingRedrive,
      Dimensions: [{ Name: 'service', Value: LOADER_SERVICE }],
      Statistic: 'Maximum',
      Threshold: FILES_WAITING_REDRIVE_THRESHOLD,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it.each(Object.values(ReconciliationCheck))('alarms when the daily reconciliation counts any %s', (check) => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRICS_NAMESPACE,
      MetricName: RECONCILE_METRIC,
      Dimensions: Match.arrayWith([{ Name: 'check', Value: check }, { Name: 'service', Value: RECONCILE_SERVICE }]),
      Period: 86400,
      Threshold: RECONCILIATION_FAULTS_THRESHOLD,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('alarms when the ingest rejects more rows than the threshold in an hour', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRICS_NAMESPACE,
      MetricName: MetricName.RowsRejected,
      Dimensions: [{ Name: 'service', Value: ServiceName.CsvIngest }],
      Statistic: 'Sum',
      Period: 3600,
      Threshold: ROWS_REJECTED_THRESHOLD,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('checks nightly uploads at 06:00 London time against the configured branches', () => {
    // Assess
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 6 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/London',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitoringMissingUploadsCheck'), 'Arn'] } }),
    });
    template.hasResourceProperties('AWS::SSM::Parameter', { Type: 'StringList', Value: 'leeds,london-soho' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRICS_NAMESPACE,
      MetricName: MISSING_UPLOADS_METRIC,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'ListUploadKeysOnly', Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': ['uploads/*'] } } })]) },
    });
  });

  it('routes failed merge statements to the topic and draws a dashboard', () => {
    // Assess
    template.hasResourceProperties('AWS::Events::Rule', { Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^MonitoringTopic') } })] });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  describe.each([
    ['a freshness threshold within the buffer', { deliveryFreshnessThreshold: Duration.minutes(10) }, /must exceed the longest Firehose buffer/],
    ['a deadline hour of 24', { uploads: { bucket: undefined as never, prefix: 'uploads/', deadlineHour: 24 } }, /deadlineHour must be an hour from 0 to 23/],
    ['a negative reject threshold', { rowsRejectedThreshold: -1 }, /rowsRejectedThreshold must be a whole number/],
  ])('with %s', (_, overrides, message) => {
    it('fails at synth', () => {
      // Prepare
      const stack = testStack();
      const fixed = 'uploads' in overrides ? { uploads: { ...overrides.uploads, bucket: new Bucket(stack, 'Other') } } : overrides;

      // Act
      const act = () => build(stack, fixed);

      // Assess
      expect(act).toThrow(message);
    });
  });

  it('fails at synth on a branch name that is not a lowercase prefix', () => {
    // Prepare
    const stack = testStack();

    // Act
    const act = () => build(stack, { uploads: { bucket: new Bucket(stack, 'Other'), prefix: 'uploads/', expectedBranches: ['London Soho'] } });

    // Assess
    expect(act).toThrow(/is not a lowercase prefix name/);
  });
});
