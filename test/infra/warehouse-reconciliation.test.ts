import { Duration } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { WarehouseGrants } from '../../infra/aws/constructs/warehouse-grants.js';
import { WarehouseReconciliation } from '../../infra/aws/constructs/warehouse-reconciliation.js';
import { templateOf, testStack } from './helpers.js';

const workgroupArn = 'arn:aws:redshift-serverless:eu-west-2:111111111111:workgroup/0000';

describe('Construct: WarehouseReconciliation', () => {
  let template: Template;

  beforeAll(() => {
    template = templateOf((stack) => {
      const grants = new WarehouseGrants(stack, 'Grants', { workgroupArn, copyRoleArn: 'arn:aws:iam::111111111111:role/copy' });
      new WarehouseReconciliation(stack, 'Reconcile', { workgroupName: 'supercafe-0000', databaseName: 'supercafe', role: grants.auditorRole, grace: Duration.minutes(50) });
    });
  });

  it('runs daily at 07:00 London as the read-only auditor role', () => {
    // Assess
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 7 * * ? *)', ScheduleExpressionTimezone: 'Europe/London' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GrantsAuditorRole'), 'Arn'] },
      Environment: { Variables: Match.objectLike({ GRACE_MINUTES: '50', LOOKBACK_HOURS: '48' }) },
    });
  });

  it('fails at synth when the grace is longer than the lookback', () => {
    // Prepare
    const stack = testStack();
    const grants = new WarehouseGrants(stack, 'Grants', { workgroupArn, copyRoleArn: 'arn:aws:iam::111111111111:role/copy' });

    // Act
    const act = () => new WarehouseReconciliation(stack, 'Reconcile', { workgroupName: 'w', databaseName: 'd', role: grants.auditorRole, grace: Duration.hours(50) });

    // Assess
    expect(act).toThrow(/grace \(3000 min\) must be shorter than the lookback \(48 h\)/);
  });
});
