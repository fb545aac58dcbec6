import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { StringListParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.js';
import { MISSING_UPLOADS_SERVICE } from '../functions/constants.js';
import { PipelineFunction, repoPath } from './pipeline-function.js';

/** 06:00 London: a branch's file for yesterday should be in by then. */
export const DEFAULT_UPLOAD_DEADLINE_HOUR = 6;

export interface MissingUploadsCheckProps {
  readonly bucket: IBucket;
  readonly uploadPrefix: string;
  /** Hour of the day (Europe/London, 0–23) when every branch must have uploaded. */
  readonly deadlineHour?: number;
  /** Branch prefixes expected every night; empty means "those seen in the last `lookbackDays`". */
  readonly expectedBranches?: readonly string[];
  /** An upload counts if it arrived within this many hours before the deadline. */
  readonly windowHours?: number;
  readonly lookbackDays?: number;
  /** Where the names of missing branches are sent. */
  readonly topic: ITopic;
}

/**
 * "A branch did not upload its nightly file by the deadline": EventBridge Scheduler
 * runs a small Lambda daily at the deadline, London time (so BST is handled), which
 * lists upload keys (it cannot read files) and publishes `BranchesMissingUpload`.
 */
export class MissingUploadsCheck extends Construct {
  readonly function: NodejsFunction;
  readonly schedule: Schedule;
  readonly deadlineHour: number;

  constructor(scope: Construct, id: string, props: MissingUploadsCheckProps) {
    super(scope, id);
    this.deadlineHour = props.deadlineHour ?? DEFAULT_UPLOAD_DEADLINE_HOUR;
    if (!Number.isInteger(this.deadlineHour) || this.deadlineHour < 0 || this.deadlineHour > 23) {
      throw new Error(`${id}: deadlineHour must be an hour from 0 to 23, got ${this.deadlineHour}`);
    }
    const windowHours = props.windowHours ?? 24;
    if (!Number.isInteger(windowHours) || windowHours < 1 || windowHours > 168) throw new Error(`${id}: windowHours must be 1–168, got ${windowHours}`);
    const lookbackDays = props.lookbackDays ?? 7;
    const branches = props.expectedBranches ?? [];
    const badBranch = branches.find((branch) => !/^[a-z0-9][a-z0-9-]{0,127}$/.test(branch));
    if (badBranch !== undefined) throw new Error(`${id}: expected branch "${badBranch}" is not a lowercase prefix name (letters, digits, hyphens)`);

    // A list of 500 branches does not fit a Lambda environment (4 KB), so it lives in SSM.
    const parameter = branches.length > 0 ? new StringListParameter(this, 'ExpectedBranches', { stringListValue: [...branches], description: 'Branch upload prefixes expected every night' }) : undefined;

    const fn = new PipelineFunction(this, 'Check', {
      entry: repoPath('infra/aws/functions/missing-uploads.ts'),
      serviceName: MISSING_UPLOADS_SERVICE,
      description: 'Super Café: which branches have not uploaded their nightly file',
      memorySize: 256,
      timeout: Duration.minutes(2),
      environment: {
        BUCKET_NAME: props.bucket.bucketName,
        UPLOAD_PREFIX: props.uploadPrefix,
        WINDOW_HOURS: String(windowHours),
        LOOKBACK_DAYS: String(lookbackDays),
        ALERT_TOPIC_ARN: props.topic.topicArn,
        ...(parameter ? { EXPECTED_BRANCHES_PARAMETER: parameter.parameterName } : {}),
      },
    });
    this.function = fn.function;
    this.function.addToRolePolicy(
      new PolicyStatement({
        sid: 'ListUploadKeysOnly',
        actions: ['s3:ListBucket'],
        resources: [props.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${props.uploadPrefix}*`] } },
      }),
    );
    parameter?.grantRead(this.function);
    props.topic.grantPublish(this.function);
    acknowledge(this.function.role!, {
      id: 'AwsSolutions-IAM5',
      finding: 'Action::kms:GenerateDataKey*',
      reason: "Publishing to the KMS-encrypted alarm topic needs GenerateDataKey* on the topic's key (the CDK grant), and only that key.",
    });

    const schedulerRole = new Role(this, 'SchedulerRole', { assumedBy: new ServicePrincipal('scheduler.amazonaws.com'), description: 'EventBridge Scheduler: run the nightly upload check' });
    this.schedule = new Schedule(this, 'Daily', {
      description: `Nightly upload check at ${String(this.deadlineHour).padStart(2, '0')}:00 Europe/London`,
      schedule: ScheduleExpression.cron({ minute: '0', hour: String(this.deadlineHour), timeZone: TimeZone.EUROPE_LONDON }),
      target: new LambdaInvoke(this.function, { retryAttempts: 2, role: schedulerRole }),
    });
    acknowledge(schedulerRole, {
      id: 'AwsSolutions-IAM5',
      finding: `Resource::<${Stack.of(this).getLogicalId(this.function.node.defaultChild as CfnFunction)}.Arn>:*`,
      reason: 'The scheduler may invoke any version of the check function (its ARN with :*), and no other function.',
    });
  }
}
