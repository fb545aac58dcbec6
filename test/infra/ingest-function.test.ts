import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Stream } from 'aws-cdk-lib/aws-kinesis';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Stack } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { METRICS_NAMESPACE, ServiceName } from '../../contracts/index.js';
import { DEFAULT_INGEST_MEMORY_MB, DEFAULT_INGEST_TIMEOUT, IngestFunction, INGEST_HANDLER_ENTRY } from '../../infra/aws/constructs/ingest-function.js';
import { FIXTURE_HANDLER, logicalIdOf, templateOf, testStack } from './helpers.js';

const PEPPER_PATH = '/supercafe/TestData/personal-data/pepper/';

function build(stack: Stack, overrides: Partial<ConstructorParameters<typeof IngestFunction>[2]> = {}): IngestFunction {
  const key = new Key(stack, 'StreamKey');
  const pepperKey = new Key(stack, 'PepperKey');
  return new IngestFunction(stack, 'Ingest', {
    uploads: { bucket: new Bucket(stack, 'RawBucket'), prefix: 'uploads/', encryptionKey: key },
    rolePath: PEPPER_PATH,
    stream: new Stream(stack, 'Stream', { encryptionKey: key }),
    streamKey: key,
    pepperSecret: new Secret(stack, 'Pepper', { encryptionKey: pepperKey }),
    pepperKey,
    entry: FIXTURE_HANDLER,
    ...overrides,
  });
}

describe('Construct: IngestFunction', () => {
  let template: Template;
  let functionId: string;

  beforeAll(() => {
    template = templateOf((stack) => build(stack));
    functionId = logicalIdOf(template, 'AWS::Lambda::Function', 'IngestFunction');
  });

  it('runs Node 24 on arm64 with tracing and the ESM bundle, sized for the largest promised file', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      // One full vCPU: 2,000,000 rows at the benched 114 µs of CPU a row is ~230 s, well inside 900 s; peak RSS 256 MB.
      MemorySize: 1769,
      Timeout: 900,
      TracingConfig: { Mode: 'Active' },
    });
    expect(DEFAULT_INGEST_MEMORY_MB).toBe(1769);
    expect(DEFAULT_INGEST_TIMEOUT.toSeconds()).toBe(900);
  });

  it('runs as a role under the pepper path: the data stack lets it decrypt uploads and read the pepper', () => {
    // Assess
    template.hasResourceProperties('AWS::IAM::Role', { Path: PEPPER_PATH, AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] } });
  });

  it('gets the stream, the pepper ARN (never the pepper) and the Powertools settings', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          STREAM_NAME: { Ref: Match.stringLikeRegexp('^Stream') },
          PEPPER_SECRET_ARN: { Ref: Match.stringLikeRegexp('^Pepper') },
          UPLOAD_PREFIX: 'uploads/',
          POWERTOOLS_SERVICE_NAME: ServiceName.CsvIngest,
          POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        }),
      },
    });
  });

  it('is invoked by uploads under the prefix', () => {
    // Assess
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }] } },
            LambdaFunctionArn: { 'Fn::GetAtt': [functionId, 'Arn'] },
          },
        ],
      },
    });
  });

  it('may read uploads and write the stream, and may not read the stream', () => {
    // Assess
    const policies = template.findResources('AWS::IAM::Policy');
    const text = JSON.stringify(policies);
    expect(text).toContain('"s3:GetObject"');
    expect(text).toContain('"kinesis:PutRecords"');
    expect(text).not.toContain('kinesis:GetRecords');
    expect(text).not.toContain('s3:PutObject');
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'ReadUploads', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^RawBucket'), 'Arn'] }, '/uploads/*']] } }),
          Match.objectLike({ Sid: 'EncryptStreamRecords', Action: 'kms:GenerateDataKey' }),
        ]),
      },
    });
  });

  it('sends an upload event that still fails after 2 retries to a dead-letter queue', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IngestDeadLetterQueue'), 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
  });

  it('bundles the real ingest handler by default', () => {
    // Assess
    expect(INGEST_HANDLER_ENTRY).toMatch(/producers\/csv-ingest\/handler\.ts$/);
  });

  describe.each([
    ['three async retries', { retryAttempts: 3 }, /retryAttempts must be 0, 1 or 2/],
    ['64 MB of memory', { memorySize: 64 }, /memorySize must be an integer from 128 to 10240/],
  ])('with %s', (_, overrides, message) => {
    it('fails at synth', () => {
      // Act
      const act = () => build(testStack(), overrides);

      // Assess
      expect(act).toThrow(message);
    });
  });
});
