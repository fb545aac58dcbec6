import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { WAREHOUSE_TABLE_KEYS } from '../../infra/aws/warehouse/warehouse-sql.js';
import { deliveryStreamVariable } from '../../infra/aws/constructs/transform-function.js';
import { DATA_STACK_OUTPUTS, DASHBOARDS_STACK_OUTPUTS, PIPELINE_STACK_OUTPUTS } from '../../infra/aws/stack-outputs.js';
import { logicalIdOf, testStacks, type TestStacks } from './helpers.js';

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
type PolicyResource = { Properties: { PolicyDocument: { Statement: Statement[] }; Roles?: { Ref: string }[] } };

describe('Stack: PipelineStack (with the data stack it works on)', () => {
  let stacks: TestStacks;
  let template: Template;
  let data: Template;
  let policies: PolicyResource[];

  /** Logical ids of the roles whose policies allow `action` (optionally on a resource mentioning `resourceRef`), in both stacks. */
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
    stacks = testStacks();
    template = Template.fromStack(stacks.pipeline);
    data = Template.fromStack(stacks.data);
    policies = [...Object.values(template.findResources('AWS::IAM::Policy')), ...Object.values(data.findResources('AWS::IAM::Policy'))] as PolicyResource[];
  });

  it('synthesises the whole pipeline over the data stack', () => {
    // Assess
    data.resourceCountIs('AWS::Kinesis::Stream', 1);
    data.resourceCountIs('AWS::RedshiftServerless::Workgroup', 1);
    template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 8);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.resourceCountIs('Custom::WarehouseSchema', 1);
    expect(Object.keys(data.toJSON().Outputs ?? {})).toEqual(expect.arrayContaining([...DATA_STACK_OUTPUTS]));
    expect(Object.keys(template.toJSON().Outputs ?? {})).toEqual(expect.arrayContaining([...PIPELINE_STACK_OUTPUTS]));
    expect(Object.keys(Template.fromStack(stacks.dashboards!).toJSON().Outputs ?? {})).toEqual(expect.arrayContaining([...DASHBOARDS_STACK_OUTPUTS]));
  });

  it('alarms on the errors of every function it deploys that runs our code (deploy-time framework helpers fail the deploy itself)', () => {
    // Prepare
    const ours = Object.entries(template.findResources('AWS::Lambda::Function'))
      .filter(([, fn]) => (fn as { Properties: { Environment?: { Variables?: Record<string, unknown> } } }).Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME !== undefined)
      .map(([id]) => id)
      .sort();
    const errorAlarms = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { Namespace: 'AWS/Lambda', MetricName: 'Errors' } })) as {
      Properties: { Dimensions: { Name: string; Value: { Ref: string } }[]; Threshold: number; ComparisonOperator: string; TreatMissingData: string };
    }[];
    // Assess: every one of the 8 (ingest, consumer, till API, loader, reconciliation, framing, schema, upload check).
    expect(ours).toHaveLength(8);
    expect(errorAlarms.map((alarm) => alarm.Properties.Dimensions.find((dimension) => dimension.Name === 'FunctionName')?.Value.Ref).sort()).toEqual(ours);
    for (const alarm of errorAlarms) expect(alarm.Properties).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
  });

  it('watches the final tables’ freshness at the loader’s schedule and buffer, and the till API’s 5xx', () => {
    // Assess: 300 s buffer + 15 min schedule + 10 min margin.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'WarehouseMergeLagSeconds', Threshold: 1800 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'WarehouseLoadRunsCompleted', Period: 2700 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: '5xx', Dimensions: [{ Name: 'ApiId', Value: { Ref: logicalIdOf(template, 'AWS::ApiGatewayV2::Api', 'TillApi') } }] });
  });

  it('depends on the data stack, and the data stack on nothing', () => {
    // Assess
    expect(stacks.pipeline.dependencies.map((stack) => stack.stackName)).toEqual([stacks.data.stackName]);
    expect(stacks.data.dependencies).toEqual([]);
  });

  it('lets only the producers (and the operators\' replay role) write the stream', () => {
    // Assess
    const writers = rolesAllowed('kinesis:PutRecords');
    expect(writers).toEqual([expect.stringMatching(/^CsvIngest/), expect.stringMatching(/^RawReplayRole/), expect.stringMatching(/^TillApi/)]);
  });

  it('lets only the consumer and the raw archive read the stream', () => {
    // Assess
    const readers = rolesAllowed('kinesis:GetRecords');
    expect(readers).toEqual([expect.stringMatching(/^RawEventArchiveDeliveryRole/), expect.stringMatching(/^SalesTransform/)]);
  });

  it('lets only the ingest function read the raw uploads', () => {
    // Assess
    const readers = rolesAllowed('s3:GetObject', 'RawUploadsBucket');
    expect(readers).toEqual([expect.stringMatching(/^CsvIngest/)]);
  });

  it('lets only the consumer put rows to Firehose', () => {
    // Assess
    expect(rolesAllowed('firehose:PutRecordBatch')).toEqual([expect.stringMatching(/^SalesTransform/)]);
  });

  it('lets only the schema step (and operators replaying or erasing) read the Redshift admin secret; no function signs in as admin at run time', () => {
    // Assess
    // The schema step at deploy time, the operators' replay role for --forget, their erasure role.
    expect(rolesAllowed('secretsmanager:GetSecretValue', 'WarehouseAdminSecret')).toEqual([
      expect.stringMatching(/^ErasureRole/),
      expect.stringMatching(/^RawReplayRole/),
      expect.stringMatching(/^WarehouseSchemaSchemaFunction/),
    ]);
    expect(rolesAllowed('redshift-serverless:GetCredentials')).toEqual([expect.stringMatching(/^WarehouseGrantsAuditorRole/), expect.stringMatching(/^WarehouseGrantsLoaderRole/)]);
  });

  it('hands the consumer the delivery stream of each table', () => {
    // Assess
    const deliveryIds = WAREHOUSE_TABLE_KEYS.map((key) => logicalIdOf(template, 'AWS::KinesisFirehose::DeliveryStream', `WarehouseDelivery${key}Delivery`));
    const [consumer] = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'sales-transform' } } } })) as {
      Properties: { Environment: { Variables: Record<string, { Ref?: string }> } };
    }[];
    const env = consumer?.Properties.Environment.Variables ?? {};
    expect(WAREHOUSE_TABLE_KEYS.map((key) => env[deliveryStreamVariable(key)]?.Ref)).toEqual(deliveryIds);
    expect(WAREHOUSE_TABLE_KEYS.map(deliveryStreamVariable)).toEqual(['SALES_DELIVERY_STREAM', 'SALE_ITEMS_DELIVERY_STREAM', 'QUARANTINE_DELIVERY_STREAM', 'INGEST_FILES_DELIVERY_STREAM', 'SALE_SOURCES_DELIVERY_STREAM', 'TILL_SALES_DELIVERY_STREAM', 'FILE_VERSIONS_DELIVERY_STREAM']);
  });

  it('migrates the schema before the loader, the consumer and the delivery streams change', () => {
    // Assess
    const schemaId = logicalIdOf(template, 'Custom::WarehouseSchema', 'WarehouseSchema');
    template.hasResource('AWS::Lambda::Function', { Properties: Match.objectLike({ Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'warehouse-load' }) } }), DependsOn: Match.arrayWith([schemaId]) });
    template.hasResource('AWS::Lambda::Function', { Properties: Match.objectLike({ Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'sales-transform' }) } }), DependsOn: Match.arrayWith([schemaId]) });
    template.hasResource('AWS::Lambda::EventSourceMapping', { DependsOn: Match.arrayWith([schemaId]) });
    const warehouseStreams = Object.entries(template.findResources('AWS::KinesisFirehose::DeliveryStream')).filter(([id]) => id.startsWith('WarehouseDelivery'));
    expect(warehouseStreams).toHaveLength(7);
    for (const [, stream] of warehouseStreams) expect((stream as { DependsOn: string[] }).DependsOn).toContain(schemaId);
  });

  it('uses a "*" resource only where the action has no resource-level permissions', () => {
    // Assess: what the IAM5 Resource::* acknowledgements claim.
    const allowedOnStar = /^(xray:|redshift-data:(DescribeStatement|GetStatementResult|CancelStatement|ListStatements)$|redshift-serverless:(ListWorkgroups|CreateUsageLimit|UpdateUsageLimit|DeleteUsageLimit)$|cloudwatch:(Describe|Get|List)|logs:(Describe|Get|StartQuery|StopQuery)|tag:GetResources$|ec2:DescribeRegions$|sso:ListInstances$)/;
    const all = [...policies, ...(Object.values(Template.fromStack(stacks.dashboards!).findResources('AWS::IAM::Policy')) as PolicyResource[])];
    for (const { Properties } of all) {
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
