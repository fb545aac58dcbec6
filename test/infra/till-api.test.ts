import type { Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Stream } from 'aws-cdk-lib/aws-kinesis';
import { Key } from 'aws-cdk-lib/aws-kms';
import { beforeAll, describe, expect, it } from 'vitest';
import { ServiceName } from '../../contracts/index.js';
import { TillApi, TILL_API_HANDLER_ENTRY } from '../../infra/aws/constructs/till-api.js';
import { TillCredentialsTable } from '../../infra/aws/constructs/till-credentials-table.js';
import { TillIdempotencyTable } from '../../infra/aws/constructs/till-idempotency-table.js';
import { FIXTURE_HANDLER, templateOf, testStack } from './helpers.js';

function build(stack: Stack, overrides: Partial<ConstructorParameters<typeof TillApi>[2]> = {}): TillApi {
  const key = new Key(stack, 'Key');
  return new TillApi(stack, 'Till', {
    stream: new Stream(stack, 'Stream', { encryptionKey: key }),
    credentialsTable: new TillCredentialsTable(stack, 'TillCredentials').table,
    idempotencyTable: new TillIdempotencyTable(stack, 'TillIdempotency').table,
    streamKey: key,
    entry: FIXTURE_HANDLER,
    rateLimit: 20,
    burstLimit: 40,
    ...overrides,
  });
}

describe('Construct: TillApi', () => {
  let template: Template;

  beforeAll(() => {
    template = templateOf((stack) => build(stack));
  });

  it('is an HTTP API that hands every route to the till Lambda (payload 2.0)', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'ANY /{proxy+}' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
  });

  it('throttles and access-logs its stage', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TillAccessLogs'), 'Arn'] } },
    });
  });

  it('runs the till handler as a producer: write-only on the stream (outside the personal-data path), read-only on credentials', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Environment: {
        Variables: Match.objectLike({
          STREAM_NAME: { Ref: Match.stringLikeRegexp('^Stream') },
          TILL_CREDENTIALS_TABLE: { Ref: Match.stringLikeRegexp('^TillCredentials') },
          TILL_IDEMPOTENCY_TABLE: { Ref: Match.stringLikeRegexp('^TillIdempotency') },
          POWERTOOLS_SERVICE_NAME: ServiceName.TillApi,
        }),
      },
    });
    const text = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(text).toContain('kinesis:PutRecords');
    expect(text).not.toContain('kinesis:GetRecords');
    // Credentials: read only. Idempotency keys: exactly the store's three item actions.
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => (policy as { Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } } }).Properties.PolicyDocument.Statement,
    );
    const onTable = (prefix: string) =>
      statements.filter((statement) => JSON.stringify(statement.Resource).includes(prefix)).flatMap((statement) => [statement.Action].flat());
    expect(onTable('TillCredentials').sort()).toEqual(['dynamodb:GetItem']);
    expect(onTable('TillIdempotency').sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(statements.flatMap((statement) => [statement.Action].flat()).filter((action) => action.startsWith('dynamodb:')).sort()).toEqual(
      ['dynamodb:GetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    );
    const roles = Object.values(template.findResources('AWS::IAM::Role')) as { Properties: { Path?: string } }[];
    expect(roles.every((role) => role.Properties.Path === undefined)).toBe(true);
  });

  it('keeps till credentials in an encrypted, point-in-time-recoverable table keyed by tillId', () => {
    // Assess
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'tillId', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    // Stateful: kept on delete, not after a failed first creation, and no fixed name.
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'RetainExceptOnCreate', Properties: Match.objectLike({ TableName: Match.absent() }) });
  });

  it('keeps idempotency keys in their own encrypted, point-in-time-recoverable table keyed by the string `key`', () => {
    // Assess
    const tables = template.findResources('AWS::DynamoDB::Table', { Properties: { KeySchema: [{ AttributeName: 'key', KeyType: 'HASH' }] } });
    expect(Object.keys(tables)).toEqual([expect.stringMatching(/^TillIdempotency/)]);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [{ AttributeName: 'key', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'key', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TableName: Match.absent(),
      }),
    });
  });

  it('gives operators a managed policy to issue, revoke and list tills without reading a salt or hash', () => {
    // Assess
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          { Sid: 'FindTable', Action: 'cloudformation:DescribeStacks', Effect: 'Allow', Resource: { Ref: 'AWS::StackId' } },
          { Sid: 'IssueAndRevoke', Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TillCredentials'), 'Arn'] } },
          {
            Sid: 'ListWithoutSecrets',
            Action: 'dynamodb:Scan',
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TillCredentials'), 'Arn'] },
            Condition: {
              'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['tillId', 'branch', 'label', 'createdAt', 'revokedAt'] },
              StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
            },
          },
        ],
      },
    });
  });

  it('keeps concurrency of its own when told, so the nightly ingests cannot take it', () => {
    // Act
    const reserved = templateOf((stack) => build(stack, { reservedConcurrentExecutions: 5 }));
    // Assess
    reserved.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 5, Environment: Match.objectLike({ Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: ServiceName.TillApi }) }) });
  });

  it('points at producers/till-api/lambda.ts by default, and takes another entry as a prop', () => {
    // Assess
    expect(TILL_API_HANDLER_ENTRY).toMatch(/producers\/till-api\/lambda\.ts$/);
  });

  it('fails at synth on a non-positive rate limit', () => {
    // Act
    const act = () => build(testStack(), { rateLimit: 0 });

    // Assess
    expect(act).toThrow(/rateLimit must be positive/);
  });
});
