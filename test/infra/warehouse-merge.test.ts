import { Duration, type Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { WarehouseGrants } from '../../infra/aws/constructs/warehouse-grants.js';
import { STATEMENT_NAME_PREFIX, WarehouseMerge, type WarehouseMergeProps } from '../../infra/aws/constructs/warehouse-merge.js';
import { templateOf, testStack } from './helpers.js';

const workgroupArn = 'arn:aws:redshift-serverless:eu-west-2:111111111111:workgroup/0000';
const copyRoleArn = 'arn:aws:iam::111111111111:role/copy';

function build(stack: Stack, overrides: Partial<WarehouseMergeProps> = {}): WarehouseMerge {
  const grants = new WarehouseGrants(stack, 'Grants', { workgroupArn, copyRoleArn });
  return new WarehouseMerge(stack, 'Merge', {
    workgroupName: 'supercafe-0000',
    databaseName: 'supercafe',
    bucket: new Bucket(stack, 'Rows'),
    encryptionKey: new Key(stack, 'Key'),
    copyRoleArn,
    role: grants.loaderRole,
    lookbackDays: 7,
    ...overrides,
  });
}

describe('Construct: WarehouseMerge', () => {
  let template: Template;

  beforeAll(() => {
    template = templateOf((stack) => build(stack));
  });

  it('runs the loader every 15 minutes, one run at a time, as the loader role', () => {
    // Assess
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(15 minutes)', State: 'ENABLED' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 1,
      Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GrantsLoaderRole'), 'Arn'] },
      Environment: {
        Variables: Match.objectLike({ WORKGROUP_NAME: 'supercafe-0000', DATABASE_NAME: 'supercafe', COPY_ROLE_ARN: copyRoleArn, LOOKBACK_DAYS: '7', BUCKET_NAME: { Ref: Match.stringLikeRegexp('^Rows') } }),
      },
    });
  });

  it('holds no secret: it signs in with its IAM identity', () => {
    // Assess
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toContain('secretsmanager');
    expect(text).not.toContain('SECRET');
  });

  it('may write manifests, its state and parking markers, and never read rows (the COPY role does)', () => {
    // Assess
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'ReadState', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [Match.anyValue(), '/state/*']] } }),
          Match.objectLike({ Sid: 'WriteManifestsStateAndParked', Action: 's3:PutObject' }),
        ]),
      },
    });
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toContain('/rows/*');
  });

  it('routes failed or aborted pipeline statements (by name) to an EventBridge rule', () => {
    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.redshift-data'],
        'detail-type': ['Redshift Data Statement Status Change'],
        detail: { state: ['FAILED', 'ABORTED'], statementName: [{ prefix: STATEMENT_NAME_PREFIX }] },
      },
    });
  });

  it.each([
    ['half a minute', Duration.seconds(30)],
    ['two days', Duration.days(2)],
  ])('fails at synth with an interval of %s', (_, interval) => {
    // Act
    const act = () => build(testStack(), { interval });

    // Assess
    expect(act).toThrow(/interval must be a whole number of minutes from 1 to 1440/);
  });
});
