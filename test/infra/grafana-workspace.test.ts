import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { GrafanaWorkspace, REDSHIFT_DB_ROLES_TAG, type GrafanaAuthentication } from '../../infra/aws/constructs/grafana-workspace.js';
import { DASHBOARD_READER_ROLE } from '../../infra/aws/warehouse/warehouse-sql.js';
import { templateOf, testStack } from './helpers.js';

const workgroupArn = 'arn:aws:redshift-serverless:eu-west-2:111111111111:workgroup/0000';
const props = { workgroupArn, workgroupName: 'supercafe', databaseName: 'supercafe' };

describe('Construct: GrafanaWorkspace', () => {
  let template: Template;

  beforeAll(() => {
    template = templateOf((stack) => new GrafanaWorkspace(stack, 'Grafana', props));
  });

  it('is an Amazon Managed Grafana workspace with the Redshift and CloudWatch data sources', () => {
    // Assess
    template.hasResourceProperties('AWS::Grafana::Workspace', {
      AccountAccessType: 'CURRENT_ACCOUNT',
      AuthenticationProviders: ['AWS_SSO'],
      PermissionType: 'CUSTOMER_MANAGED',
      DataSources: ['REDSHIFT', 'CLOUDWATCH'],
      RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GrafanaRole'), 'Arn'] },
    });
  });

  it('runs Grafana 12, the version the dashboards are built for', () => {
    // Assess
    template.hasResourceProperties('AWS::Grafana::Workspace', { GrafanaVersion: '12.4' });
  });

  it("reads the warehouse as the database's dashboard_reader role, with temporary credentials", () => {
    // Assess
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'grafana.amazonaws.com' } })] },
      Tags: Match.arrayWith([{ Key: REDSHIFT_DB_ROLES_TAG, Value: DASHBOARD_READER_ROLE }]),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'TemporaryCredentials', Action: ['redshift-serverless:GetCredentials', 'redshift-serverless:GetWorkgroup'], Resource: workgroupArn }),
          Match.objectLike({ Sid: 'RunQueries', Resource: workgroupArn }),
        ]),
      },
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('secretsmanager:GetSecretValue');
  });

  it('fails at synth on an unknown sign-in method', () => {
    // Act
    const act = () => new GrafanaWorkspace(testStack(), 'Grafana', { ...props, authentication: 'PASSWORD' as GrafanaAuthentication });

    // Assess
    expect(act).toThrow(/authentication must be one of AWS_SSO, SAML/);
  });
});
