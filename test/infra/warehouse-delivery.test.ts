import { Duration, type Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { WarehouseDelivery, ADMIN_USERNAME, REDSHIFT_PORT } from '../../infra/aws/constructs/warehouse-delivery.js';
import { copyOptions, mergeStatements, readerGrantStatements, schemaStatements } from '../../infra/aws/warehouse/warehouse-sql.js';
import { templateOf, testStack } from './helpers.js';

function build(stack: Stack, overrides: Partial<ConstructorParameters<typeof WarehouseDelivery>[2]> = {}): WarehouseDelivery {
  return new WarehouseDelivery(stack, 'Warehouse', { accessLogsBucket: new Bucket(stack, 'Logs'), ...overrides });
}

describe('Construct: WarehouseDelivery', () => {
  let template: Template;

  beforeAll(() => {
    template = templateOf((stack) => build(stack));
  });

  describe('Redshift Serverless', () => {
    it('has a KMS-encrypted namespace whose admin password comes from Secrets Manager, never the template', () => {
      // Assess
      template.hasResourceProperties('AWS::RedshiftServerless::Namespace', {
        NamespaceName: 'supercafe',
        DbName: 'supercafe',
        AdminUsername: ADMIN_USERNAME,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WarehouseKey'), 'Arn'] },
        AdminUserPassword: {
          'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: Match.stringLikeRegexp('^WarehouseAdminSecret') }, ':SecretString:password::}}']],
        },
      });
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: Match.objectLike({ SecretStringTemplate: JSON.stringify({ username: ADMIN_USERNAME }), GenerateStringKey: 'password' }),
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WarehouseKey'), 'Arn'] },
      });
    });

    it('generates the HMAC pepper into Secrets Manager', () => {
      // Assess
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        Description: Match.stringLikeRegexp('HMAC pepper'),
        GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
      });
    });

    it('runs an 8-RPU workgroup across three subnets', () => {
      // Assess
      template.hasResourceProperties('AWS::RedshiftServerless::Workgroup', {
        BaseCapacity: 8,
        PubliclyAccessible: true,
        EnhancedVpcRouting: false,
        Port: REDSHIFT_PORT,
      });
      const [workgroup] = Object.values(template.findResources('AWS::RedshiftServerless::Workgroup')) as { Properties: { SubnetIds: unknown[] } }[];
      expect(workgroup?.Properties.SubnetIds).toHaveLength(3);
      template.resourceCountIs('AWS::EC2::Subnet', 3);
      template.resourceCountIs('AWS::EC2::NatGateway', 0);
    });

    it("admits only Firehose's CIDR for the Region on the Redshift port", () => {
      // Assess
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        SecurityGroupIngress: [
          {
            CidrIp: { 'Fn::FindInMap': [Match.stringLikeRegexp('^WarehouseFirehoseCidr'), { Ref: 'AWS::Region' }, 'cidr'] },
            FromPort: REDSHIFT_PORT,
            ToPort: REDSHIFT_PORT,
            IpProtocol: 'tcp',
          },
        ],
      });
      const mappings = template.toJSON().Mappings as Record<string, Record<string, { cidr: string }>>;
      const firehose = Object.values(mappings).find((mapping) => 'eu-west-2' in mapping);
      expect(firehose?.['eu-west-2']).toEqual({ cidr: '18.130.1.96/27' });
      expect(firehose?.['us-east-1']).toEqual({ cidr: '52.70.63.192/27' });
    });
  });

  describe('Firehose delivery', () => {
    it('has one encrypted delivery stream per warehouse table', () => {
      // Assess
      template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 4);
      template.allResourcesProperties('AWS::KinesisFirehose::DeliveryStream', {
        DeliveryStreamType: 'DirectPut',
        DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WarehouseKey'), 'Arn'] } },
      });
    });

    it.each([
      ['sales', 'stage_sales'],
      ['sale_items', 'stage_sale_items'],
      ['quarantine', 'stage_quarantine'],
      ['ingest_files', 'stage_ingest_files'],
    ])('COPYs %s rows (gzip, JSON) into %s, retries, archives every row and keeps errors apart', (table, staging) => {
      // Assess
      template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
        RedshiftDestinationConfiguration: Match.objectLike({
          ClusterJDBCURL: { 'Fn::Join': ['', ['jdbc:redshift://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^WarehouseWorkgroup'), 'Workgroup.Endpoint.Address'] }, ':5439/supercafe']] },
          CopyCommand: { DataTableName: staging, DataTableColumns: Match.stringLikeRegexp('^event_id,|^file,'), CopyOptions: copyOptions() },
          RetryOptions: { DurationInSeconds: 3600 },
          SecretsManagerConfiguration: { Enabled: true, SecretARN: { Ref: Match.stringLikeRegexp('^WarehouseAdminSecret') }, RoleARN: Match.anyValue() },
          S3Configuration: Match.objectLike({
            CompressionFormat: 'GZIP',
            Prefix: `intermediate/${table}/`,
            ErrorOutputPrefix: `errors/${table}/`,
            BufferingHints: { IntervalInSeconds: 300, SizeInMBs: 5 },
            EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: Match.anyValue() } },
          }),
          S3BackupMode: 'Enabled',
          S3BackupConfiguration: Match.objectLike({
            BucketARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WarehouseArchiveBucket'), 'Arn'] },
            Prefix: `archive/${table}/`,
            CompressionFormat: 'GZIP',
          }),
          CloudWatchLoggingOptions: Match.objectLike({ Enabled: true }),
        }),
      });
    });

    it('loads JSON rows by column name from gzip', () => {
      // Assess
      expect(copyOptions()).toContain("JSON 'auto'");
      expect(copyOptions()).toContain('GZIP');
    });

    it('keeps the archive (replay source) versioned and encrypted', () => {
      // Assess
      template.hasResourceProperties('AWS::S3::Bucket', {
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })] },
      });
    });
  });

  describe('deduplication', () => {
    it('applies the schema generated from contracts/ at deploy time, before any delivery stream exists', () => {
      // Assess
      template.hasResourceProperties('Custom::WarehouseSchema', {
        Statements: [...schemaStatements(), ...readerGrantStatements()],
        ReaderRole: 'dashboard_reader',
        Database: 'supercafe',
      });
      const schemaId = Object.keys(template.findResources('Custom::WarehouseSchema'))[0];
      const streams = Object.values(template.findResources('AWS::KinesisFirehose::DeliveryStream')) as { DependsOn?: string[] }[];
      expect(streams.every((stream) => stream.DependsOn?.includes(schemaId ?? '?'))).toBe(true);
    });

    it('merges staging into the final tables on a schedule through the Data API', () => {
      // Assess
      const rules = template.findResources('AWS::Events::Rule', { Properties: { ScheduleExpression: 'rate(15 minutes)' } });
      const [rule] = Object.values(rules) as { Properties: { Name: string; Targets: { RedshiftDataParameters: Record<string, unknown>; Arn: unknown }[] } }[];
      expect(rule).toBeDefined();
      const target = rule?.Properties.Targets[0];
      expect(target?.Arn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^WarehouseWorkgroup/), 'Workgroup.WorkgroupArn'] });
      expect(target?.RedshiftDataParameters).toMatchObject({ Database: 'supercafe', Sqls: mergeStatements(), WithEvent: true });
      // The Data API requires the rule's name to equal the statement's.
      expect(target?.RedshiftDataParameters.StatementName).toBe(rule?.Properties.Name);
    });

    it('catches failed Data API statements for the alarm topic', () => {
      // Assess
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { source: ['aws.redshift-data'], 'detail-type': ['Redshift Data Statement Status Change'], detail: { state: ['FAILED', 'ABORTED'] } },
      });
    });
  });

  it('puts no secret value in the template', () => {
    // Assess
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toMatch(/"(Password|AdminUserPassword)":\s*"[^{]/);
  });

  describe.each([
    ['a base capacity of 12 RPUs', { baseCapacity: 12 }, /baseCapacity must be 4 or a multiple of 8/],
    ['a max capacity below the base', { baseCapacity: 16, maxCapacity: 8 }, /maxCapacity \(8\) must not be below baseCapacity/],
    ['a 30-second buffer', { bufferInterval: Duration.seconds(30) }, /bufferInterval \(s\) must be from 60 to 900/],
    ['a 3-hour retry', { retryDuration: Duration.hours(3) }, /retryDuration \(s\) must be from 0 to 7200/],
    ['a SQL client open to the internet', { sqlClientCidrs: ['0.0.0.0/0'] }, /must not open Redshift to the internet/],
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
