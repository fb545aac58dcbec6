import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Stack } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_USERNAME, EXPORTED_LOGS, REDSHIFT_PORT, WarehouseNamespace, type WarehouseNamespaceProps } from '../../infra/aws/constructs/warehouse-namespace.js';
import { templateOf, testStack } from './helpers.js';

function build(stack: Stack, overrides: Partial<WarehouseNamespaceProps> = {}): WarehouseNamespace {
  return new WarehouseNamespace(stack, 'Warehouse', {
    encryptionKey: new Key(stack, 'WarehouseKey'),
    copySource: new Bucket(stack, 'Rows'),
    flowLogsBucket: new Bucket(stack, 'Logs'),
    ...overrides,
  });
}

/** The `<prefix>-<first 8 hex of the stack id>` join CloudFormation resolves. */
const uniqueNameOf = (prefix: string) => ({
  'Fn::Join': ['-', [prefix, { 'Fn::Select': [0, { 'Fn::Split': ['-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }] }] }]],
});

describe('Construct: WarehouseNamespace', () => {
  let template: Template;

  beforeAll(() => {
    template = templateOf((stack) => build(stack, { sqlClientCidrs: ['10.1.0.0/16'] }));
  });

  describe('a fresh account deploys it, and a failed first deploy leaves nothing in the way', () => {
    it('names the namespace and workgroup after the stack instance, never a fixed name', () => {
      // Assess
      template.hasResourceProperties('AWS::RedshiftServerless::Namespace', { NamespaceName: uniqueNameOf('supercafe') });
      template.hasResourceProperties('AWS::RedshiftServerless::Workgroup', { WorkgroupName: uniqueNameOf('supercafe') });
    });

    it('keeps the namespace and its admin secret on delete, but not after a failed first creation', () => {
      // Assess
      template.hasResource('AWS::RedshiftServerless::Namespace', { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
      template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'RetainExceptOnCreate' });
    });
  });

  describe('a private warehouse', () => {
    it('runs a workgroup that is not publicly accessible, in isolated subnets of three AZs, with enhanced VPC routing', () => {
      // Assess
      template.hasResourceProperties('AWS::RedshiftServerless::Workgroup', { PubliclyAccessible: false, EnhancedVpcRouting: true, Port: REDSHIFT_PORT, BaseCapacity: 8 });
      const [workgroup] = Object.values(template.findResources('AWS::RedshiftServerless::Workgroup')) as { Properties: { SubnetIds: unknown[] } }[];
      expect(workgroup?.Properties.SubnetIds).toHaveLength(3);
      template.resourceCountIs('AWS::EC2::InternetGateway', 0);
      template.resourceCountIs('AWS::EC2::NatGateway', 0);
      template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
    });

    it('admits only the listed private SQL clients on 5439 (isolated subnets have no internet route either way)', () => {
      // Assess
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        SecurityGroupIngress: [{ CidrIp: '10.1.0.0/16', FromPort: REDSHIFT_PORT, ToPort: REDSHIFT_PORT, IpProtocol: 'tcp', Description: Match.anyValue() }],
      });
      const groups = Object.values(template.findResources('AWS::EC2::SecurityGroup')) as { Properties: { SecurityGroupIngress?: { CidrIp: string }[] } }[];
      expect(groups.flatMap((group) => group.Properties.SecurityGroupIngress ?? []).map((rule) => rule.CidrIp)).toEqual(['10.1.0.0/16']);
    });

    it('reaches S3 for COPY through a gateway endpoint that allows the warehouse bucket alone', () => {
      // Assess
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Sid: 'WarehouseBucketOnly',
              Resource: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Rows'), 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Rows'), 'Arn'] }, '/*']] }],
            }),
          ],
        },
      });
    });

    it('signs the admin in from Secrets Manager by dynamic reference, never from the template', () => {
      // Assess
      template.hasResourceProperties('AWS::RedshiftServerless::Namespace', {
        AdminUsername: ADMIN_USERNAME,
        AdminUserPassword: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: Match.stringLikeRegexp('^WarehouseAdminSecret') }, ':SecretString:password::}}']] },
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WarehouseKey'), 'Arn'] },
      });
      expect(JSON.stringify(template.toJSON())).not.toMatch(/"(Password|AdminUserPassword)":\s*"[^{]/);
    });

    it('has one IAM role, the COPY role, which may read only rows and manifests of the warehouse bucket', () => {
      // Assess
      template.hasResourceProperties('AWS::RedshiftServerless::Namespace', {
        IamRoles: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^WarehouseCopyRole'), 'Arn'] }],
        DefaultIamRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WarehouseCopyRole'), 'Arn'] },
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'ReadRowsAndManifests',
              Action: 's3:GetObject',
              Resource: [
                { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Rows'), 'Arn'] }, '/manifests/*']] },
                { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Rows'), 'Arn'] }, '/rows/*']] },
              ],
            }),
          ]),
        },
      });
    });
  });

  it('exports its audit logs to log groups it makes, with a retention', () => {
    // Assess
    template.hasResourceProperties('AWS::RedshiftServerless::Namespace', { LogExports: [...EXPORTED_LOGS] });
    for (const logType of EXPORTED_LOGS) {
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: { 'Fn::Join': ['', ['/aws/redshift/', uniqueNameOf('supercafe'), `/${logType}`]] },
        RetentionInDays: 365,
      });
    }
  });

  describe.each([
    ['a base capacity of 12 RPUs', { baseCapacity: 12 }, /baseCapacity must be 4 or a multiple of 8/],
    ['a max capacity below the base', { baseCapacity: 16, maxCapacity: 8 }, /maxCapacity \(8\) must not be below baseCapacity/],
    ['a SQL client range open to everyone', { sqlClientCidrs: ['0.0.0.0/0'] }, /must not open Redshift to every address/],
    ['an upper-case name', { name: 'SuperCafe' }, /name must be 3–41 lowercase/],
  ])('with %s', (_, overrides, message) => {
    it('fails at synth', () => {
      // Act
      const act = () => build(testStack(), overrides);

      // Assess
      expect(act).toThrow(message);
    });
  });
});
