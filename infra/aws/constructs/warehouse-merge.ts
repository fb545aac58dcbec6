import { Duration, Stack } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { LOADER_SERVICE } from '../functions/constants.js';
import { acknowledge, acknowledgeResource } from '../nag.js';
import { PipelineFunction, repoPath } from './pipeline-function.js';

/** The prefix of every Data API statement name the pipeline submits; the failure rule matches it. */
export const STATEMENT_NAME_PREFIX = 'supercafe-';

export interface WarehouseMergeProps {
  readonly workgroupName: string;
  readonly databaseName: string;
  /** The warehouse bucket (`WarehouseArchive`). */
  readonly bucket: IBucket;
  readonly encryptionKey: IKey;
  /** The namespace's COPY role, named in each COPY. */
  readonly copyRoleArn: string;
  /** The loader's execution role (`WarehouseGrants.loaderRole`): mapped to `warehouse_loader`. */
  readonly role: Role;
  /** How often new files are loaded and merged (1 min–24 h). */
  readonly interval?: Duration;
  readonly lookbackDays: number;
  readonly maxFilesPerRun?: number;
}

/**
 * The load-and-merge step: EventBridge Scheduler runs the loader function every
 * `interval` (one at a time: reserved concurrency 1). The loader COPYs the new
 * files of every table into staging and merges them in one transaction, parks a
 * file Redshift refuses under `errors/`, and wakes the warehouse only when there
 * is something to load. Failed Data API statements of the pipeline raise an
 * EventBridge event (`statementFailureRule`) that the alarms send to the topic.
 */
export class WarehouseMerge extends Construct {
  readonly function: NodejsFunction;
  readonly schedule: Schedule;
  readonly interval: Duration;
  /** Matches failed or aborted Data API statements of this pipeline (load, migrations). */
  readonly statementFailureRule: Rule;

  constructor(scope: Construct, id: string, props: WarehouseMergeProps) {
    super(scope, id);
    this.interval = props.interval ?? Duration.minutes(15);
    const minutes = this.interval.toMinutes({ integral: false });
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 24 * 60) throw new Error(`${id}: interval must be a whole number of minutes from 1 to 1440, got ${minutes}`);
    const { bucket } = props;

    const fn = new PipelineFunction(this, 'Loader', {
      entry: repoPath('infra/aws/functions/warehouse-load.ts'),
      serviceName: LOADER_SERVICE,
      description: 'Super Café: COPY new warehouse rows from S3 into staging and merge them (as warehouse_loader)',
      memorySize: 512,
      timeout: Duration.minutes(10),
      reservedConcurrentExecutions: 1,
      role: props.role,
      environment: {
        WORKGROUP_NAME: props.workgroupName,
        DATABASE_NAME: props.databaseName,
        BUCKET_NAME: bucket.bucketName,
        COPY_ROLE_ARN: props.copyRoleArn,
        LOOKBACK_DAYS: String(props.lookbackDays),
        MAX_FILES_PER_RUN: String(props.maxFilesPerRun ?? 500),
      },
    });
    this.function = fn.function;
    this.function.addToRolePolicy(new PolicyStatement({ sid: 'ListWarehouseBucket', actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    this.function.addToRolePolicy(new PolicyStatement({ sid: 'ReadState', actions: ['s3:GetObject'], resources: [bucket.arnForObjects('state/*')] }));
    this.function.addToRolePolicy(
      new PolicyStatement({
        sid: 'WriteManifestsStateAndParked',
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('manifests/*'), bucket.arnForObjects('state/*'), bucket.arnForObjects('errors/*')],
      }),
    );
    this.function.addToRolePolicy(new PolicyStatement({ sid: 'EncryptBookkeeping', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [props.encryptionKey.keyArn] }));
    for (const prefix of ['state', 'manifests', 'errors']) {
      acknowledgeResource(props.role, {
        id: 'AwsSolutions-IAM5',
        resource: bucket.arnForObjects(`${prefix}/*`),
        reason: 'The loader writes its manifests, its state and its parking markers under keys made per run and per file; it reads its state; it never reads rows (the COPY role does).',
      });
    }

    const schedulerRole = new Role(this, 'SchedulerRole', { assumedBy: new ServicePrincipal('scheduler.amazonaws.com'), description: 'EventBridge Scheduler: run the warehouse loader' });
    this.schedule = new Schedule(this, 'Every', {
      schedule: ScheduleExpression.rate(this.interval),
      description: `Load new warehouse rows every ${minutes} min`,
      target: new LambdaInvoke(this.function, { role: schedulerRole, retryAttempts: 0 }),
    });
    acknowledge(schedulerRole, {
      id: 'AwsSolutions-IAM5',
      finding: `Resource::<${Stack.of(this).getLogicalId(this.function.node.defaultChild as CfnFunction)}.Arn>:*`,
      reason: 'The scheduler may invoke any version of the loader function (its ARN with :*), and no other function.',
    });

    this.statementFailureRule = new Rule(this, 'StatementFailures', {
      description: 'Redshift Data API statements of this pipeline (load runs, migrations) that failed or were aborted',
      eventPattern: {
        source: ['aws.redshift-data'],
        detailType: ['Redshift Data Statement Status Change'],
        detail: { state: ['FAILED', 'ABORTED'], statementName: [{ prefix: STATEMENT_NAME_PREFIX }] },
      },
    });
  }
}
