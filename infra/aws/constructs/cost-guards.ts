import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnBudget } from 'aws-cdk-lib/aws-budgets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { AwsCustomResource, PhysicalResourceId, PhysicalResourceIdReference } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.js';

/** What Redshift Serverless does when the month's RPU-hours reach the limit (its API's values). */
export const UsageLimitBreachAction = { Log: 'log', EmitMetric: 'emit-metric', Deactivate: 'deactivate' } as const;
export type UsageLimitBreachAction = (typeof UsageLimitBreachAction)[keyof typeof UsageLimitBreachAction];

/** The cost-allocation tag every resource of the app carries (`infra/aws/app.ts`); the budget counts what carries it. */
export const COST_TAG = { key: 'project', value: 'supercafe' } as const;

/** Budget alerts: forecast to pass 80 % of the month's amount, and actually past 100 %. */
export const BUDGET_FORECAST_PERCENT = 80;
export const BUDGET_ACTUAL_PERCENT = 100;

export interface CostGuardsProps {
  /** The Redshift Serverless workgroup the usage limit applies to. */
  readonly workgroupArn: string;
  /** RPU-hours a month before `breachAction` (a positive whole number). */
  readonly usageLimitRpuHours: number;
  readonly breachAction?: UsageLimitBreachAction;
  /** The month's budget for everything tagged `project=supercafe`, in USD. */
  readonly monthlyBudgetUsd: number;
  /** The alarm topic: budget alerts go where the alarms go (it must let AWS Budgets publish: `PipelineAlarms.allowPublisher`). */
  readonly topic: ITopic;
}

/**
 * The two guards on cost: a Redshift Serverless usage limit on the workgroup (RPU-hours
 * a month; CloudFormation has no resource for it, so a custom resource calls
 * CreateUsageLimit, UpdateUsageLimit and DeleteUsageLimit), and an AWS Budgets cost
 * budget for the month that alerts the alarm topic when the forecast passes 80 %
 * and when the actual cost passes 100 %. The budget counts resources tagged
 * `project=supercafe`; that tag must be activated as a cost-allocation tag once
 * (Billing → Cost allocation tags), or the budget sees nothing (docs/aws.md).
 */
export class CostGuards extends Construct {
  readonly usageLimit: AwsCustomResource;
  readonly budget: CfnBudget;

  constructor(scope: Construct, id: string, props: CostGuardsProps) {
    super(scope, id);
    const { usageLimitRpuHours: amount, monthlyBudgetUsd } = props;
    if (!Number.isInteger(amount) || amount < 1) throw new Error(`${id}: usageLimitRpuHours must be a positive whole number of RPU-hours a month, got ${amount}`);
    if (!(monthlyBudgetUsd > 0)) throw new Error(`${id}: monthlyBudgetUsd must be a positive amount, got ${monthlyBudgetUsd}`);
    const breachAction = props.breachAction ?? UsageLimitBreachAction.Deactivate;
    if (!Object.values(UsageLimitBreachAction).includes(breachAction)) {
      throw new Error(`${id}: breachAction must be one of ${Object.values(UsageLimitBreachAction).join(', ')}, got ${String(breachAction)}`);
    }

    // ── Redshift Serverless usage limit ──────────────────────────────────────
    const limitId = new PhysicalResourceIdReference();
    this.usageLimit = new AwsCustomResource(this, 'RedshiftUsageLimit', {
      resourceType: 'Custom::RedshiftServerlessUsageLimit',
      onCreate: {
        service: 'RedshiftServerless',
        action: 'CreateUsageLimit',
        parameters: { resourceArn: props.workgroupArn, usageType: 'serverless-compute', period: 'monthly', amount, breachAction },
        physicalResourceId: PhysicalResourceId.fromResponse('usageLimit.usageLimitId'),
      },
      // The period and usage type cannot change; the amount and the action can.
      onUpdate: {
        service: 'RedshiftServerless',
        action: 'UpdateUsageLimit',
        parameters: { usageLimitId: limitId, amount, breachAction },
        physicalResourceId: PhysicalResourceId.fromResponse('usageLimit.usageLimitId'),
      },
      onDelete: { service: 'RedshiftServerless', action: 'DeleteUsageLimit', parameters: { usageLimitId: limitId } },
      policy: {
        // The usage-limit actions have no resource types (Service Authorization Reference, Amazon Redshift Serverless): "*" only.
        statements: [
          new PolicyStatement({
            sid: 'ManageUsageLimit',
            actions: ['redshift-serverless:CreateUsageLimit', 'redshift-serverless:UpdateUsageLimit', 'redshift-serverless:DeleteUsageLimit'],
            resources: ['*'],
          }),
        ],
      },
      installLatestAwsSdk: false,
      timeout: Duration.minutes(2),
      logGroup: new LogGroup(this, 'UsageLimitLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
    });
    acknowledge(this.usageLimit, {
      id: 'AwsSolutions-IAM5',
      finding: 'Resource::*',
      reason: 'CreateUsageLimit, UpdateUsageLimit and DeleteUsageLimit have no resource types in IAM (Service Authorization Reference); the workgroup is named in the call.',
    });
    const provider = Stack.of(this).node.tryFindChild(`AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
    if (provider) {
      acknowledge(
        provider,
        { id: 'AwsSolutions-L1', reason: 'The AwsCustomResource provider function and its runtime are managed by aws-cdk-lib.' },
        {
          id: 'AwsSolutions-IAM4',
          finding: 'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
          reason: 'The AwsCustomResource provider function only writes its own logs with AWSLambdaBasicExecutionRole.',
        },
      );
    }

    // ── AWS Budgets: the month's cost of the tagged resources ────────────────
    const subscribers = [{ subscriptionType: 'SNS', address: props.topic.topicArn }];
    this.budget = new CfnBudget(this, 'MonthlyBudget', {
      budget: {
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: monthlyBudgetUsd, unit: 'USD' },
        filterExpression: { tags: { key: COST_TAG.key, values: [COST_TAG.value], matchOptions: ['EQUALS'] } },
      },
      notificationsWithSubscribers: [
        { notification: { notificationType: 'FORECASTED', comparisonOperator: 'GREATER_THAN', threshold: BUDGET_FORECAST_PERCENT, thresholdType: 'PERCENTAGE' }, subscribers },
        { notification: { notificationType: 'ACTUAL', comparisonOperator: 'GREATER_THAN', threshold: BUDGET_ACTUAL_PERCENT, thresholdType: 'PERCENTAGE' }, subscribers },
      ],
    });
  }
}
