import { Duration, type Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { WarehouseLoaders, type WarehouseLoadersProps } from '../../infra/aws/constructs/warehouse-loaders.js';
import { templateOf, testStack } from './helpers.js';

const build = (stack: Stack, overrides: Partial<WarehouseLoadersProps> = {}) =>
  new WarehouseLoaders(stack, 'Delivery', { bucket: new Bucket(stack, 'Rows'), encryptionKey: new Key(stack, 'Key'), ...overrides });

describe('Construct: WarehouseLoaders', () => {
  let template: Template;

  beforeAll(() => {
    template = templateOf((stack) => build(stack));
  });

  it('has one encrypted Direct PUT delivery stream per warehouse table', () => {
    // Assess
    template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 7);
    template.allResourcesProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamType: 'DirectPut',
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } },
    });
  });

  it('delivers to S3 only: no stream has a Redshift destination, so the warehouse needs no public endpoint', () => {
    // Assess
    const streams = Object.values(template.findResources('AWS::KinesisFirehose::DeliveryStream')) as { Properties: Record<string, unknown> }[];
    for (const stream of streams) {
      expect(stream.Properties.RedshiftDestinationConfiguration).toBeUndefined();
      expect(stream.Properties.ExtendedS3DestinationConfiguration).toBeDefined();
    }
  });

  it.each(['sales', 'sale_items', 'quarantine', 'ingest_files'])('writes %s rows gzipped and encrypted under rows/<table>/ by hour, errors apart', (table) => {
    // Assess
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({
        BucketARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Rows'), 'Arn'] },
        Prefix: `rows/${table}/!{timestamp:yyyy/MM/dd/HH}/`,
        ErrorOutputPrefix: `delivery-errors/${table}/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`,
        CompressionFormat: 'GZIP',
        BufferingHints: { IntervalInSeconds: 300, SizeInMBs: 5 },
        EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: Match.anyValue() } },
        CloudWatchLoggingOptions: Match.objectLike({ Enabled: true }),
      }),
    });
  });

  it('lets Firehose write only rows/ and delivery-errors/ of the warehouse bucket', () => {
    // Assess
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'WriteRows',
            Action: ['s3:AbortMultipartUpload', 's3:PutObject'],
            Resource: [
              { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Rows'), 'Arn'] }, '/delivery-errors/*']] },
              { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Rows'), 'Arn'] }, '/rows/*']] },
            ],
          }),
        ]),
      },
    });
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toMatch(/redshift|secretsmanager/);
  });

  it('keeps its delivery logs a month', () => {
    // Assess
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  describe.each([
    ['a 30-second buffer', { bufferInterval: Duration.seconds(30) }, /bufferInterval \(s\) must be from 60 to 900/],
    ['a 200 MB buffer', { bufferSizeMb: 200 }, /bufferSizeMb must be from 1 to 128/],
  ])('with %s', (_, overrides, message) => {
    it('fails at synth', () => {
      // Act
      const act = () => build(testStack(), overrides);

      // Assess
      expect(act).toThrow(message);
    });
  });
});
