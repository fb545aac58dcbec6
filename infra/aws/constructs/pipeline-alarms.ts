import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  Metric,
  TextWidget,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Rule } from 'aws-cdk-lib/aws-events';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { CfnDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, MetricName, ServiceName } from '../../../contracts/index.js';
import { LOADER_METRIC, LOADER_SERVICE, MISSING_UPLOADS_METRIC, MISSING_UPLOADS_SERVICE, RECONCILE_METRIC, RECONCILE_SERVICE } from '../functions/constants.js';
import { ReconciliationCheck } from '../warehouse/warehouse-sql.js';
import { MissingUploadsCheck } from './missing-uploads-check.js';

/** The consumer is behind when its oldest unprocessed record is this old. */
export const ITERATOR_AGE_THRESHOLD = Duration.seconds(60);
/** Minutes the iterator age must stay high before paging (a nightly burst may spike it briefly). */
export const ITERATOR_AGE_EVALUATION_MINUTES = 3;
/** Any Lambda error or throttle in five minutes is worth a look. */
export const LAMBDA_ERRORS_THRESHOLD = 1;
export const LAMBDA_THROTTLES_THRESHOLD = 1;
/** A dead-letter queue should be empty: alarm when it holds more than this. */
export const DLQ_DEPTH_THRESHOLD = 0;
/**
 * A consumer dead letter points at stream records, which the stream keeps 24 h by
 * default: alarm (again, louder than the depth alarm) once the oldest has waited
 * half of that, while there is still time to replay them from the stream.
 */
export const DLQ_AGE_THRESHOLD = Duration.hours(12);
/** Till API 5xx answers (503: the stream refused the sale; the till retries) in five minutes before paging. */
export const API_SERVER_ERRORS_THRESHOLD = 5;
/**
 * The final tables may trail the consumer by a Firehose buffer and a load
 * interval; beyond that plus this margin the merge is late (MergeLag alarm).
 */
export const MERGE_LAG_MARGIN = Duration.minutes(10);
/** Load runs missed in a row (no finished run for this many intervals) before the loader counts as not running. */
export const LOADER_MISSED_RUNS = 3;
/** Firehose reports DeliveryToS3.Success as successful S3 writes / all writes: alarm below 100 %. */
export const S3_DELIVERY_SUCCESS_THRESHOLD = 1;
/**
 * DeliveryToS3.DataFreshness is the age of the oldest record not yet in S3. Alarm
 * above this; it must exceed the longest buffer interval (900 s).
 */
export const DELIVERY_FRESHNESS_THRESHOLD = Duration.minutes(20);
/** The raw archive's framing step should never fail a record (ExecuteProcessing.Success below 100 %). */
export const ARCHIVE_PROCESSING_SUCCESS_THRESHOLD = 1;
/** Any file waiting for a re-drive under errors/ keeps this alarm on. */
export const FILES_WAITING_REDRIVE_THRESHOLD = 0;
/** Every reconciliation count should be zero. */
export const RECONCILIATION_FAULTS_THRESHOLD = 0;
/** Rows refused by the ingest in an hour before someone should look at the files. */
export const ROWS_REJECTED_THRESHOLD = 50;
/** Alarm when at least one expected branch has not uploaded. */
export const MISSING_UPLOADS_THRESHOLD = 0;

const FIVE_MINUTES = Duration.minutes(5);

export interface MonitoredFunction {
  readonly label: string;
  readonly function: IFunction;
}

/** The warehouse loader's schedule, for the freshness alarms of the final tables. */
export interface LoaderMonitoring {
  /** How often the loader runs (its schedule). */
  readonly interval: Duration;
  /** The longest Firehose buffer before a file reaches the loader. */
  readonly bufferInterval: Duration;
}

export interface PipelineAlarmsProps {
  /** Every pipeline Lambda (the nightly-upload check's own is added here): each gets an errors and a throttles alarm. */
  readonly functions: readonly MonitoredFunction[];
  /** The Kinesis consumer: its iterator age is the pipeline's lag. */
  readonly consumer: IFunction;
  readonly deadLetterQueues: readonly { readonly label: string; readonly queue: IQueue }[];
  /** The warehouse tables' delivery streams (Firehose → S3). */
  readonly deliveryStreams: Readonly<Record<string, CfnDeliveryStream>>;
  /** The raw event archive's delivery stream (Kinesis → framing → S3). */
  readonly rawArchiveStream?: CfnDeliveryStream;
  /** Failed Data API statements (load runs, migrations); routed to the topic. */
  readonly statementFailureRule?: Rule;
  /** The warehouse loader: the merge lag and the runs it finishes. */
  readonly loader?: LoaderMonitoring;
  /** The till API: its 5xx answers. */
  readonly tillApi?: IHttpApi;
  readonly uploads: {
    readonly bucket: IBucket;
    readonly prefix: string;
    readonly deadlineHour?: number;
    readonly expectedBranches?: readonly string[];
  };
  readonly rowsRejectedThreshold?: number;
  readonly deliveryFreshnessThreshold?: Duration;
  /** Subscribed to the alarm topic (a confirmation e-mail is sent on deploy). */
  readonly alarmEmail?: string;
}

/**
 * Operational monitoring: a CloudWatch dashboard and alarms, every one notifying an
 * SNS topic (KMS-encrypted, TLS only) on ALARM and OK. Thresholds are the named
 * constants above; metrics the handlers publish come from METRICS_NAMESPACE and
 * MetricName, with Powertools' `service` dimension.
 */
export class PipelineAlarms extends Construct {
  readonly topic: Topic;
  /** The topic's key: a service that publishes to the topic needs it. */
  readonly topicKey: Key;
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];
  readonly missingUploads: MissingUploadsCheck;
  /** The merge-lag alarm's threshold (buffer + load interval + margin), when the loader is watched. */
  readonly mergeLagThreshold?: Duration;

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps) {
    super(scope, id);
    const rowsRejectedThreshold = props.rowsRejectedThreshold ?? ROWS_REJECTED_THRESHOLD;
    if (!Number.isInteger(rowsRejectedThreshold) || rowsRejectedThreshold < 0) throw new Error(`${id}: rowsRejectedThreshold must be a whole number ≥ 0`);
    const freshness = props.deliveryFreshnessThreshold ?? DELIVERY_FRESHNESS_THRESHOLD;
    if (freshness.toSeconds() <= 900) throw new Error(`${id}: deliveryFreshnessThreshold must exceed the longest Firehose buffer (900 s)`);

    this.topicKey = new Key(this, 'TopicKey', { description: 'Super Café alarm topic', enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });
    // CloudWatch alarms and EventBridge publish to the encrypted topic; they need the key.
    for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com']) {
      this.topicKey.grant(new ServicePrincipal(service), 'kms:Decrypt', 'kms:GenerateDataKey');
    }
    this.topic = new Topic(this, 'Topic', { displayName: 'Super Café pipeline alarms', masterKey: this.topicKey, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);

    // Missing data is "nothing happened" (no errors, no files), except where silence is the fault.
    const alarm = (name: string, metric: IMetric, threshold: number, comparisonOperator: ComparisonOperator, description: string, evaluationPeriods = 1, treatMissingData = TreatMissingData.NOT_BREACHING) => {
      const created = new Alarm(this, name, {
        metric,
        threshold,
        comparisonOperator,
        evaluationPeriods,
        datapointsToAlarm: evaluationPeriods,
        treatMissingData,
        alarmDescription: description,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      this.alarms.push(created);
      return created;
    };

    // ── Nightly uploads (its function is watched with the others) ────────────
    this.missingUploads = new MissingUploadsCheck(this, 'MissingUploads', {
      bucket: props.uploads.bucket,
      uploadPrefix: props.uploads.prefix,
      deadlineHour: props.uploads.deadlineHour,
      expectedBranches: props.uploads.expectedBranches,
      topic: this.topic,
    });
    const functions = [...props.functions, { label: 'MissingUploadsCheck', function: this.missingUploads.function }];

    // ── Lambda errors and throttles ──────────────────────────────────────────
    for (const { label, function: fn } of functions) {
      alarm(`${label}Errors`, fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), LAMBDA_ERRORS_THRESHOLD, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, `${label}: Lambda errors`);
      alarm(`${label}Throttles`, fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }), LAMBDA_THROTTLES_THRESHOLD, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, `${label}: Lambda throttles`);
    }

    // ── Consumer lag ─────────────────────────────────────────────────────────
    const iteratorAge = props.consumer.metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' });
    alarm(
      'ConsumerIteratorAge',
      iteratorAge,
      ITERATOR_AGE_THRESHOLD.toMilliseconds(),
      ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      `Consumer iterator age ≥ ${ITERATOR_AGE_THRESHOLD.toSeconds()} s: events wait on the stream`,
      ITERATOR_AGE_EVALUATION_MINUTES,
    );

    // ── Dead-letter queues ───────────────────────────────────────────────────
    for (const { label, queue } of props.deadLetterQueues) {
      alarm(
        `${label}Depth`,
        queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        DLQ_DEPTH_THRESHOLD,
        ComparisonOperator.GREATER_THAN_THRESHOLD,
        `${label}: messages waiting in the dead-letter queue (see docs/aws.md to redrive)`,
      );
      alarm(
        `${label}Age`,
        queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        DLQ_AGE_THRESHOLD.toSeconds(),
        ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        `${label}: a dead letter has waited ${DLQ_AGE_THRESHOLD.toHours()} h; the records it points at leave the stream at its retention (replay them now, docs/aws.md "Dead letters")`,
      );
    }

    // ── Till API ─────────────────────────────────────────────────────────────
    if (props.tillApi) {
      alarm(
        'TillApiServerErrors',
        props.tillApi.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
        API_SERVER_ERRORS_THRESHOLD,
        ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        `Till API: ${API_SERVER_ERRORS_THRESHOLD} or more 5xx answers in 5 min (503: the stream refused sales; tills retry them)`,
      );
    }

    // ── Firehose → S3 (warehouse rows and the raw archive) ───────────────────
    const firehoseMetric = (stream: CfnDeliveryStream, metricName: string, statistic: string) =>
      new Metric({ namespace: 'AWS/Firehose', metricName, dimensionsMap: { DeliveryStreamName: stream.ref }, period: FIVE_MINUTES, statistic });
    const deliveryWidgets: IMetric[] = [];
    const freshnessWidgets: IMetric[] = [];
    const streams = { ...props.deliveryStreams, ...(props.rawArchiveStream ? { rawArchive: props.rawArchiveStream } : {}) };
    for (const [label, stream] of Object.entries(streams)) {
      const success = firehoseMetric(stream, 'DeliveryToS3.Success', 'Average');
      const fresh = firehoseMetric(stream, 'DeliveryToS3.DataFreshness', 'Maximum');
      alarm(`${label}S3Success`, success, S3_DELIVERY_SUCCESS_THRESHOLD, ComparisonOperator.LESS_THAN_THRESHOLD, `${label}: a Firehose write to S3 failed (it retries for up to 24 h)`);
      alarm(`${label}Freshness`, fresh, freshness.toSeconds(), ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, `${label}: records older than ${freshness.toMinutes()} min not yet in S3`);
      deliveryWidgets.push(firehoseMetric(stream, 'DeliveryToS3.Records', 'Sum').with({ label }));
      freshnessWidgets.push(fresh.with({ label }));
    }
    if (props.rawArchiveStream) {
      alarm(
        'RawArchiveFraming',
        firehoseMetric(props.rawArchiveStream, 'ExecuteProcessing.Success', 'Average'),
        ARCHIVE_PROCESSING_SUCCESS_THRESHOLD,
        ComparisonOperator.LESS_THAN_THRESHOLD,
        'Raw archive: the framing function failed records (they are under raw-errors/ of the raw archive bucket)',
      );
    }

    // ── Metrics the functions publish ────────────────────────────────────────
    const pipelineMetric = (metricName: string, service: string, statistic = 'Sum', period = Duration.hours(1)) =>
      new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service }, statistic, period });
    // ── Warehouse loads and reconciliation (metrics published by the functions) ──
    alarm(
      'WarehouseFilesWaitingRedrive',
      pipelineMetric(LOADER_METRIC.FilesWaitingRedrive, LOADER_SERVICE, 'Maximum', Duration.hours(1)),
      FILES_WAITING_REDRIVE_THRESHOLD,
      ComparisonOperator.GREATER_THAN_THRESHOLD,
      'Redshift refused a file of rows: it is parked under errors/ of the warehouse bucket; fix the cause and re-drive it (docs/aws.md, "Re-drive")',
    );
    for (const check of Object.values(ReconciliationCheck)) {
      alarm(
        `Reconciliation${check.replace(/(^|_)(\w)/g, (_, __, letter: string) => letter.toUpperCase())}`,
        new Metric({ namespace: METRICS_NAMESPACE, metricName: RECONCILE_METRIC, dimensionsMap: { service: RECONCILE_SERVICE, check }, statistic: 'Maximum', period: Duration.days(1) }),
        RECONCILIATION_FAULTS_THRESHOLD,
        ComparisonOperator.GREATER_THAN_THRESHOLD,
        `Warehouse reconciliation: ${check.replace(/_/g, ' ')} (docs/aws.md, "Reconciliation")`,
      );
    }

    // ── Final tables: freshness, and a loader that has stopped ───────────────
    if (props.loader) {
      const { interval, bufferInterval } = props.loader;
      this.mergeLagThreshold = Duration.seconds(bufferInterval.toSeconds() + interval.toSeconds() + MERGE_LAG_MARGIN.toSeconds());
      alarm(
        'WarehouseMergeLag',
        pipelineMetric(LOADER_METRIC.MergeLagSeconds, LOADER_SERVICE, 'Maximum', FIVE_MINUTES),
        this.mergeLagThreshold.toSeconds(),
        ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        `Final tables ${this.mergeLagThreshold.toMinutes()} min or more behind the consumer (merged_at − loaded_at of the oldest sale a load run merged)`,
      );
      // One period spans the missed runs (CloudWatch allows a day at most); silence is the fault here.
      const window = Duration.seconds(Math.min(LOADER_MISSED_RUNS * interval.toSeconds(), 86_400));
      alarm(
        'WarehouseLoaderNotRunning',
        pipelineMetric(LOADER_METRIC.RunsCompleted, LOADER_SERVICE, 'Sum', window),
        1,
        ComparisonOperator.LESS_THAN_THRESHOLD,
        `No warehouse load run finished in ${window.toMinutes()} min (${LOADER_MISSED_RUNS} runs): the schedule is off or every run fails (see the loader's errors)`,
        1,
        TreatMissingData.BREACHING,
      );
    }

    // ── Ingest rejects ───────────────────────────────────────────────────────
    alarm(
      'IngestRowsRejected',
      pipelineMetric(MetricName.RowsRejected, ServiceName.CsvIngest),
      rowsRejectedThreshold,
      ComparisonOperator.GREATER_THAN_THRESHOLD,
      `More than ${rowsRejectedThreshold} CSV rows rejected in an hour (quarantine table has the reasons)`,
    );

    // ── Nightly uploads ──────────────────────────────────────────────────────
    alarm(
      'BranchesMissingUpload',
      pipelineMetric(MISSING_UPLOADS_METRIC, MISSING_UPLOADS_SERVICE, 'Maximum'),
      MISSING_UPLOADS_THRESHOLD,
      ComparisonOperator.GREATER_THAN_THRESHOLD,
      `A branch had not uploaded its nightly file by ${String(this.missingUploads.deadlineHour).padStart(2, '0')}:00 London (names in the topic message)`,
    );

    // ── Failed load runs and migrations (Data API) → topic ───────────────────
    props.statementFailureRule?.addTarget(new SnsTopic(this.topic));

    // ── Dashboard ────────────────────────────────────────────────────────────
    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(24) });
    const fiveMinuteSum = (metricName: string, service: string) => pipelineMetric(metricName, service, 'Sum', FIVE_MINUTES).with({ label: `${service} ${metricName}` });
    this.dashboard.addWidgets(
      new TextWidget({ markdown: '# Super Café pipeline\nUploads → ingest → stream → consumer → Firehose → Redshift. Alarms notify the SNS topic.', width: 24, height: 2 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Ingest: rows',
        left: [
          fiveMinuteSum(MetricName.RowsRead, ServiceName.CsvIngest),
          fiveMinuteSum(MetricName.EventsPublished, ServiceName.CsvIngest),
          fiveMinuteSum(MetricName.RowsRejected, ServiceName.CsvIngest),
          fiveMinuteSum(MetricName.EventsPublished, ServiceName.TillApi),
        ],
        width: 8,
      }),
      new GraphWidget({ title: 'Consumer: iterator age (ms)', left: [iteratorAge], leftAnnotations: [{ value: ITERATOR_AGE_THRESHOLD.toMilliseconds(), label: 'alarm' }], width: 8 }),
      new GraphWidget({
        title: 'Consumer: sales loaded, quarantined',
        left: [fiveMinuteSum(MetricName.SalesLoaded, ServiceName.SalesTransform), fiveMinuteSum(MetricName.EventsQuarantined, ServiceName.SalesTransform)],
        right: [pipelineMetric(MetricName.EndToEndLagMs, ServiceName.SalesTransform, 'p95', FIVE_MINUTES).with({ label: 'end-to-end lag p95 (ms)' })],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Lambda errors and throttles',
        left: functions.flatMap(({ label, function: fn }) => [
          fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum', label: `${label} errors` }),
          fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum', label: `${label} throttles` }),
        ]),
        width: 8,
      }),
      new GraphWidget({ title: 'Firehose: records written to S3', left: deliveryWidgets, width: 8 }),
      new GraphWidget({ title: 'Firehose: data freshness (s)', left: freshnessWidgets, leftAnnotations: [{ value: freshness.toSeconds(), label: 'alarm' }], width: 8 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Dead-letter queues',
        left: props.deadLetterQueues.map(({ label, queue }) => queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum', label })),
        width: 12,
      }),
      new GraphWidget({ title: 'Branches missing their nightly upload', left: [pipelineMetric(MISSING_UPLOADS_METRIC, MISSING_UPLOADS_SERVICE, 'Maximum')], width: 12 }),
    );
  }

  /**
   * Lets an AWS service publish to the encrypted topic on behalf of this account
   * (AWS Budgets, say): the topic policy allows it with `aws:SourceAccount` and a
   * source ARN pattern, and the key lets it encrypt the message.
   */
  allowPublisher(service: string, sourceArnLike: string): void {
    const principal = new ServicePrincipal(service);
    this.topicKey.grant(principal, 'kms:Decrypt', 'kms:GenerateDataKey');
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: `Publish${service.split('.')[0]!.replace(/^\w/, (letter) => letter.toUpperCase())}`,
        principals: [principal],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account }, ArnLike: { 'aws:SourceArn': sourceArnLike } },
      }),
    );
  }
}
