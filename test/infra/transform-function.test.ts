import { Duration, type Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Stream } from 'aws-cdk-lib/aws-kinesis';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { beforeAll, describe, expect, it } from 'vitest';
import { METRICS_NAMESPACE, ServiceName } from '../../contracts/index.js';
import { CONSUMER_SEMI_SPACE_MB } from '../../consumers/sales-transform/heap-tuning.js';
import { TransformFunction, TRANSFORM_HANDLER_ENTRY } from '../../infra/aws/constructs/transform-function.js';
import { FIXTURE_HANDLER, templateOf, testStack } from './helpers.js';

const deliveryStreams = { sales: 'sc-sales', saleItems: 'sc-sale-items', quarantine: 'sc-quarantine', ingestFiles: 'sc-ingest-files', saleSources: 'sc-sale-sources', tillSales: 'sc-till-sales', fileVersions: 'sc-file-versions' };

const PEPPER_PATH = '/supercafe/TestData/personal-data/pepper/';

function build(stack: Stack, overrides: Partial<ConstructorParameters<typeof TransformFunction>[2]> = {}): TransformFunction {
  const streamKey = new Key(stack, 'StreamKey');
  const pepperKey = new Key(stack, 'PepperKey');
  return new TransformFunction(stack, 'Transform', {
    stream: new Stream(stack, 'Stream', { encryptionKey: streamKey }),
    streamKey,
    pepperSecret: new Secret(stack, 'Pepper', { encryptionKey: pepperKey }),
    pepperKey,
    rolePath: PEPPER_PATH,
    deliveryStreams,
    deliveryStreamArns: ['arn:aws:firehose:eu-west-2:111111111111:deliverystream/sc-sales'],
    entry: FIXTURE_HANDLER,
    batchSize: 250,
    maxBatchingWindow: Duration.seconds(10),
    retryAttempts: 4,
    maxRecordAge: Duration.hours(2),
    ...overrides,
  });
}

describe('Construct: TransformFunction', () => {
  let template: Template;

  beforeAll(() => {
    template = templateOf((stack) => build(stack));
  });

  it('maps the stream with the configured batch size and window, from the oldest record', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Stream'), 'Arn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 250,
      MaximumBatchingWindowInSeconds: 10,
    });
  });

  it('reports failed records, bisects a failing batch and bounds retries and record age', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 4,
      MaximumRecordAgeInSeconds: 7200,
    });
  });

  it('sends what it gives up on to an SQS dead-letter queue (no poison-pill loop)', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TransformDeadLetterQueue'), 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });

  it('gets the four delivery streams, the pepper ARN and the Powertools settings', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Environment: {
        Variables: Match.objectLike({
          PEPPER_SECRET_ARN: { Ref: Match.stringLikeRegexp('^Pepper') },
          SALES_DELIVERY_STREAM: 'sc-sales',
          SALE_ITEMS_DELIVERY_STREAM: 'sc-sale-items',
          QUARANTINE_DELIVERY_STREAM: 'sc-quarantine',
          INGEST_FILES_DELIVERY_STREAM: 'sc-ingest-files',
          SALE_SOURCES_DELIVERY_STREAM: 'sc-sale-sources',
          TILL_SALES_DELIVERY_STREAM: 'sc-till-sales',
          FILE_VERSIONS_DELIVERY_STREAM: 'sc-file-versions',
          POWERTOOLS_SERVICE_NAME: ServiceName.SalesTransform,
          POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        }),
      },
    });
  });

  it('runs with the young generation the local consumer process has, so the CPU the bench measures is what Lambda bills', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: `--enable-source-maps --max-semi-space-size=${CONSUMER_SEMI_SPACE_MB}` }) },
    });
    expect(CONSUMER_SEMI_SPACE_MB).toBe(32);
  });

  it('reads the stream as a role under the pepper path, which the stream and key policies of the data stack admit', () => {
    // Assess
    template.hasResourceProperties('AWS::IAM::Role', { Path: PEPPER_PATH });
  });

  it('may read the stream and put rows to Firehose, and may not write the stream', () => {
    // Assess
    const text = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(text).toContain('kinesis:GetRecords');
    // Its grants are its own statements: the stream's policy never names this role.
    template.resourceCountIs('AWS::Kinesis::ResourcePolicy', 0);
    expect(text).not.toContain('kinesis:PutRecord');
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'PutWarehouseRows', Action: 'firehose:PutRecordBatch', Resource: 'arn:aws:firehose:eu-west-2:111111111111:deliverystream/sc-sales' }),
        ]),
      },
    });
  });

  it('defaults to 500-record batches, retried until the records are 6 h old (no fixed count), and the real handler', () => {
    // Prepare
    const defaults = templateOf((stack) => build(stack, { batchSize: undefined, maxBatchingWindow: undefined, retryAttempts: undefined, maxRecordAge: undefined }));

    // Assess: without MaximumRetryAttempts Lambda retries a Kinesis batch until it expires (CloudFormation's default, -1).
    defaults.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 500,
      MaximumBatchingWindowInSeconds: 5,
      MaximumRetryAttempts: Match.absent(),
      MaximumRecordAgeInSeconds: 21600,
      BisectBatchOnFunctionError: true,
      ParallelizationFactor: 1,
    });
    defaults.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: Match.absent(), Environment: Match.objectLike({ Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'sales-transform' }) }) });
    expect(TRANSFORM_HANDLER_ENTRY).toMatch(/consumers\/sales-transform\/handler\.ts$/);
  });

  it('keeps concurrency for the consumer when told', () => {
    // Act
    const reserved = templateOf((stack) => build(stack, { reservedConcurrentExecutions: 10, parallelizationFactor: 2 }));
    // Assess
    reserved.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 10 });
    reserved.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ParallelizationFactor: 2 });
  });

  describe.each([
    ['a batch size of 0', { batchSize: 0 }, /batchSize must be an integer from 1 to 10000/],
    ['a batch size of 10001', { batchSize: 10_001 }, /batchSize must be an integer from 1 to 10000/],
    ['a batching window over 300 s', { maxBatchingWindow: Duration.seconds(301) }, /maxBatchingWindow must be at most 300 seconds/],
    ['a negative retry count', { retryAttempts: -1 }, /retryAttempts must be an integer/],
    ['a record age under a minute', { maxRecordAge: Duration.seconds(30) }, /maxRecordAge must be from 60 seconds to 7 days/],
    ['a parallelization factor of 11', { parallelizationFactor: 11 }, /parallelizationFactor must be an integer from 1 to 10/],
  ])('with %s', (_, overrides, message) => {
    it('fails at synth', () => {
      // Act
      const act = () => build(testStack(), overrides);

      // Assess
      expect(act).toThrow(message);
    });
  });
});
