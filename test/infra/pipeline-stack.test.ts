import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PipelineStack, StackOutput } from '../../infra/aws/stacks/pipeline-stack.js';
import { FIXTURE_ENTRIES, testApp } from './helpers.js';

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
type PolicyResource = { Properties: { PolicyDocument: { Statement: Statement[] }; Roles?: { Ref: string }[] } };

describe('Stack: PipelineStack', () => {
  let stack: PipelineStack;
  let template: Template;
  let policies: PolicyResource[];

  /** Logical ids of the roles whose policies allow `action` (optionally on a resource mentioning `resourceRef`). */
  const rolesAllowed = (action: string, resourceRef?: string): string[] =>
    policies
      .filter(({ Properties }) =>
        Properties.PolicyDocument.Statement.some(
          (statement) =>
            statement.Effect === 'Allow' &&
            [statement.Action].flat().includes(action) &&
            (resourceRef === undefined || JSON.stringify(statement.Resource).includes(resourceRef)),
        ),
      )
      .flatMap(({ Properties }) => (Properties.Roles ?? []).map((role) => role.Ref))
      .sort();

  beforeAll(() => {
    const app = testApp();
    stack = new PipelineStack(app, 'SuperCafePipeline', { handlerEntries: FIXTURE_ENTRIES });
    template = Template.fromStack(stack);
    policies = Object.values(template.findResources('AWS::IAM::Policy')) as PolicyResource[];
  });

  it('synthesises the whole pipeline', () => {
    // Assess
    template.resourceCountIs('AWS::Kinesis::Stream', 1);
    template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 4);
    template.resourceCountIs('AWS::RedshiftServerless::Workgroup', 1);
    template.resourceCountIs('AWS::Grafana::Workspace', 1);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(Object.keys(template.toJSON().Outputs ?? {})).toEqual(expect.arrayContaining(Object.values(StackOutput)));
  });

  it('lets only the producers write the stream', () => {
    // Assess
    const writers = rolesAllowed('kinesis:PutRecords');
    expect(writers).toHaveLength(2);
    expect(writers.every((role) => /^(CsvIngest|TillApi)/.test(role))).toBe(true);
  });

  it('lets only the consumer read the stream', () => {
    // Assess
    const readers = rolesAllowed('kinesis:GetRecords');
    expect(readers).toHaveLength(1);
    expect(readers[0]).toMatch(/^SalesTransform/);
  });

  it('lets only the ingest function read the raw uploads', () => {
    // Assess
    const rawBucketId = stack.getLogicalId(stack.rawBucket.bucket.node.defaultChild as never);
    const readers = rolesAllowed('s3:GetObject', rawBucketId);
    expect(readers).toHaveLength(1);
    expect(readers[0]).toMatch(/^CsvIngest/);
  });

  it('lets only the consumer put rows to Firehose', () => {
    // Assess
    const writers = rolesAllowed('firehose:PutRecordBatch');
    expect(writers).toHaveLength(1);
    expect(writers[0]).toMatch(/^SalesTransform/);
  });

  it('hands the consumer the delivery stream of each table', () => {
    // Assess
    const deliveryIds = Object.keys(template.findResources('AWS::KinesisFirehose::DeliveryStream'));
    const [consumer] = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'sales-transform' } } } })) as {
      Properties: { Environment: { Variables: Record<string, { Ref?: string }> } };
    }[];
    const env = consumer?.Properties.Environment.Variables ?? {};
    const refs = ['SALES_DELIVERY_STREAM', 'SALE_ITEMS_DELIVERY_STREAM', 'QUARANTINE_DELIVERY_STREAM', 'INGEST_FILES_DELIVERY_STREAM'].map((name) => env[name]?.Ref);
    expect(refs.sort()).toEqual(deliveryIds.sort());
  });

  it('uses a "*" resource only where the action has no resource-level permissions', () => {
    // Assess: what the IAM5 Resource::* acknowledgements claim.
    const allowedOnStar = /^(xray:|redshift-data:(DescribeStatement|GetStatementResult|CancelStatement|ListStatements)$|redshift-serverless:ListWorkgroups$|cloudwatch:(Describe|Get|List)|logs:(Describe|Get|StartQuery|StopQuery)|tag:GetResources$|ec2:DescribeRegions$)/;
    for (const { Properties } of policies) {
      for (const statement of Properties.PolicyDocument.Statement.filter((candidate) => candidate.Resource === '*')) {
        for (const action of [statement.Action].flat()) expect(action).toMatch(allowedOnStar);
      }
    }
  });

  it('puts no secret in any Lambda environment', () => {
    // Assess
    const functions = Object.values(template.findResources('AWS::Lambda::Function')) as { Properties: { Environment?: { Variables: Record<string, unknown> } } }[];
    for (const fn of functions) {
      for (const [name, value] of Object.entries(fn.Properties.Environment?.Variables ?? {})) {
        expect(name).not.toMatch(/PASSWORD|PEPPER$|TOKEN|SECRET$/);
        expect(JSON.stringify(value)).not.toContain('resolve:secretsmanager');
      }
    }
  });
});
