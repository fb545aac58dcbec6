import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { CostGuards } from '../../infra/aws/constructs/cost-guards.js';
import { templateOf, testStack, testStacks } from './helpers.js';

const WORKGROUP_ARN = 'arn:aws:redshift-serverless:eu-west-2:111111111111:workgroup/0000-1111';

function build(stack: Stack, overrides: Partial<ConstructorParameters<typeof CostGuards>[2]> = {}): CostGuards {
  return new CostGuards(stack, 'Cost', { workgroupArn: WORKGROUP_ARN, usageLimitRpuHours: 1200, monthlyBudgetUsd: 450, topic: new Topic(stack, 'Alarms'), ...overrides });
}

/** A custom resource's Create/Update/Delete call as the provider receives it (a JSON string, tokens joined in). */
function sdkCall(template: Template, phase: 'Create' | 'Update' | 'Delete'): Record<string, unknown> {
  const [resource] = Object.values(template.findResources('Custom::RedshiftServerlessUsageLimit')) as { Properties: Record<string, unknown> }[];
  const value = resource?.Properties[phase];
  const text = typeof value === 'string' ? value : ((value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(''));
  return JSON.parse(text) as Record<string, unknown>;
}

describe('Construct: CostGuards', () => {
  let template: Template;

  beforeAll(() => {
    template = templateOf((stack) => build(stack));
  });

  it('limits the workgroup to the month’s RPU-hours, deactivating it at the limit by default', () => {
    // Assess
    expect(sdkCall(template, 'Create')).toMatchObject({
      service: 'RedshiftServerless',
      action: 'CreateUsageLimit',
      parameters: { resourceArn: WORKGROUP_ARN, usageType: 'serverless-compute', period: 'monthly', amount: 1200, breachAction: 'deactivate' },
      physicalResourceId: { responsePath: 'usageLimit.usageLimitId' },
    });
    expect(sdkCall(template, 'Update')).toMatchObject({ action: 'UpdateUsageLimit', parameters: { usageLimitId: 'PHYSICAL:RESOURCEID:', amount: 1200, breachAction: 'deactivate' } });
    expect(sdkCall(template, 'Delete')).toMatchObject({ action: 'DeleteUsageLimit', parameters: { usageLimitId: 'PHYSICAL:RESOURCEID:' } });
  });

  it('may manage usage limits and nothing else (the actions have no resource types, so "*")', () => {
    // Assess
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Sid: 'ManageUsageLimit',
            Action: ['redshift-serverless:CreateUsageLimit', 'redshift-serverless:DeleteUsageLimit', 'redshift-serverless:UpdateUsageLimit'],
            Effect: 'Allow',
            Resource: '*',
          },
        ],
      },
    });
  });

  it('budgets the month’s cost of the project-tagged resources, alerting the topic at 80 % forecast and 100 % actual', () => {
    // Assess
    const topic = { Ref: Match.stringLikeRegexp('^Alarms') };
    template.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: {
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: 450, Unit: 'USD' },
        FilterExpression: { Tags: { Key: 'project', Values: ['supercafe'], MatchOptions: ['EQUALS'] } },
        BudgetName: Match.absent(),
      },
      NotificationsWithSubscribers: [
        { Notification: { NotificationType: 'FORECASTED', ComparisonOperator: 'GREATER_THAN', Threshold: 80, ThresholdType: 'PERCENTAGE' }, Subscribers: [{ SubscriptionType: 'SNS', Address: topic }] },
        { Notification: { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 100, ThresholdType: 'PERCENTAGE' }, Subscribers: [{ SubscriptionType: 'SNS', Address: topic }] },
      ],
    });
  });

  it('keeps its provider’s logs a month', () => {
    // Assess
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it.each([
    ['a fractional usage limit', { usageLimitRpuHours: 10.5 }, /usageLimitRpuHours must be a positive whole number/],
    ['a zero budget', { monthlyBudgetUsd: 0 }, /monthlyBudgetUsd must be a positive amount/],
    ['an unknown breach action', { breachAction: 'stop' as never }, /breachAction must be one of log, emit-metric, deactivate/],
  ])('fails at synth on %s', (_, overrides, message) => {
    expect(() => build(testStack(), overrides)).toThrow(message);
  });
});

describe('Stack: PipelineStack, cost guards', () => {
  it('lets AWS Budgets (this account’s only) publish to the encrypted alarm topic', () => {
    // Prepare
    const { pipeline } = testStacks({ grafana: 'none', pipeline: { monthlyBudgetUsd: 900, redshiftUsageLimitRpuHours: 2000 } });
    const template = Template.fromStack(pipeline);
    // Assess
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sns:Publish',
            Principal: { Service: 'budgets.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }, ArnLike: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
    const key = JSON.stringify(template.findResources('AWS::KMS::Key', { Properties: { Description: 'Super Café alarm topic' } }));
    expect(key).toContain('budgets.amazonaws.com');
    template.hasResourceProperties('AWS::Budgets::Budget', { Budget: Match.objectLike({ BudgetLimit: { Amount: 900, Unit: 'USD' } }) });
    expect(JSON.stringify(template.findResources('Custom::RedshiftServerlessUsageLimit'))).toContain('\\"amount\\":2000');
  });
});

