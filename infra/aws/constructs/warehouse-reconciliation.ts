import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { RECONCILE_SERVICE } from '../functions/constants.js';
import { acknowledge } from '../nag.js';
import { PipelineFunction, repoPath } from './pipeline-function.js';

/** 07:00 London: after the nightly uploads (due by 06:00) have been loaded. */
export const DEFAULT_RECONCILE_HOUR = 7;

export interface WarehouseReconciliationProps {
  readonly workgroupName: string;
  readonly databaseName: string;
  /** The auditor's execution role (`WarehouseGrants.auditorRole`): mapped to `dashboard_reader`. */
  readonly role: Role;
  /** The longest a sale's lines may trail it: a Firehose buffer plus a load interval, twice over. */
  readonly grace: Duration;
  /** Hour of the day (Europe/London) the check runs. */
  readonly hour?: number;
  /** How far back it looks at loaded sales (hours). */
  readonly lookbackHours?: number;
}

/**
 * The daily reconciliation: a function that counts, among the sales loaded in the
 * last `lookbackHours` (but older than `grace`), those without basket lines, with
 * the wrong number of lines, or whose lines do not add up to the total, and
 * publishes one metric per check; `PipelineAlarms` alarms on any count above zero.
 */
export class WarehouseReconciliation extends Construct {
  readonly function: NodejsFunction;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: WarehouseReconciliationProps) {
    super(scope, id);
    const hour = props.hour ?? DEFAULT_RECONCILE_HOUR;
    if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new Error(`${id}: hour must be 0–23, got ${hour}`);
    const lookbackHours = props.lookbackHours ?? 48;
    const graceMinutes = Math.ceil(props.grace.toMinutes({ integral: false }));
    if (graceMinutes >= lookbackHours * 60) throw new Error(`${id}: grace (${graceMinutes} min) must be shorter than the lookback (${lookbackHours} h)`);

    const fn = new PipelineFunction(this, 'Check', {
      entry: repoPath('infra/aws/functions/warehouse-reconcile.ts'),
      serviceName: RECONCILE_SERVICE,
      description: 'Super Café: does every loaded sale have its basket lines, adding up to its total?',
      memorySize: 256,
      timeout: Duration.minutes(5),
      role: props.role,
      environment: {
        WORKGROUP_NAME: props.workgroupName,
        DATABASE_NAME: props.databaseName,
        GRACE_MINUTES: String(graceMinutes),
        LOOKBACK_HOURS: String(lookbackHours),
      },
    });
    this.function = fn.function;

    const schedulerRole = new Role(this, 'SchedulerRole', { assumedBy: new ServicePrincipal('scheduler.amazonaws.com'), description: 'EventBridge Scheduler: run the warehouse reconciliation' });
    this.schedule = new Schedule(this, 'Daily', {
      schedule: ScheduleExpression.cron({ minute: '0', hour: String(hour), timeZone: TimeZone.EUROPE_LONDON }),
      description: `Reconcile sales and their lines daily at ${String(hour).padStart(2, '0')}:00 London`,
      target: new LambdaInvoke(this.function, { role: schedulerRole, retryAttempts: 2 }),
    });
    acknowledge(schedulerRole, {
      id: 'AwsSolutions-IAM5',
      finding: `Resource::<${Stack.of(this).getLogicalId(this.function.node.defaultChild as CfnFunction)}.Arn>:*`,
      reason: 'The scheduler may invoke any version of the reconciliation function (its ARN with :*), and no other function.',
    });
  }
}
