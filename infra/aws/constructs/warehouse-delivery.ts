import { Aws, CfnMapping, CustomResource, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { FlowLogDestination, FlowLogTrafficType, Peer, Port, SecurityGroup, SubnetType, Vpc, IpAddresses } from 'aws-cdk-lib/aws-ec2';
import { Rule, Schedule, type IRuleTarget } from 'aws-cdk-lib/aws-events';
import { CompositePrincipal, Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import { Key, type IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, LogStream, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnNamespace, CfnWorkgroup } from 'aws-cdk-lib/aws-redshiftserverless';
import { Bucket, StorageClass, type CfnBucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { acknowledge } from '../nag.js';
import { Construct } from 'constructs';
import { WarehouseTables } from '../../../contracts/index.js';
import {
  DASHBOARD_READER_ROLE,
  WAREHOUSE_TABLE_KEYS,
  archivePrefix,
  copyColumns,
  copyOptions,
  errorPrefix,
  intermediatePrefix,
  mergeStatements,
  readerGrantStatements,
  schemaStatements,
  stagingTableName,
  type WarehouseTableKey,
} from '../warehouse/warehouse-sql.js';
import { privateBucketProps } from './private-bucket-props.js';
import { FIREHOSE_CIDR_BY_REGION } from './firehose-cidrs.js';
import { PipelineFunction, repoPath } from './pipeline-function.js';

/** Redshift's port; Firehose reaches the workgroup on it. */
export const REDSHIFT_PORT = 5439;
/** The admin user Firehose, the schema step and the merge sign in as. */
export const ADMIN_USERNAME = 'supercafe_admin';
/** Firehose buffers for 60–900 s and 1–128 MiB before each COPY. */
export const BUFFER_INTERVAL_RANGE = [Duration.seconds(60), Duration.seconds(900)] as const;
export const BUFFER_SIZE_RANGE_MB = [1, 128] as const;
/** Firehose retries a failed COPY for 0–7200 s, then writes a manifest under the error prefix. */
export const RETRY_DURATION_MAX = Duration.seconds(7200);

export interface WarehouseDeliveryProps {
  readonly accessLogsBucket: IBucket;
  /** Names the namespace and workgroup (lowercase letters, digits, hyphens). */
  readonly name?: string;
  readonly databaseName?: string;
  /** Key for the warehouse, buckets, delivery streams and admin secret; created when omitted. */
  readonly encryptionKey?: IKey;
  /** Key for the HMAC pepper secret (the personal-data key); defaults to `encryptionKey`. */
  readonly pepperEncryptionKey?: IKey;
  /** Redshift Serverless base capacity in RPUs: 4, or a multiple of 8 up to 1024. */
  readonly baseCapacity?: number;
  /** Upper bound on RPUs the workgroup may scale to (a cost ceiling). */
  readonly maxCapacity?: number;
  /** Firehose buffer time before each COPY (60–900 s): longer means fewer COPYs and less Redshift time. */
  readonly bufferInterval?: Duration;
  readonly bufferSizeMb?: number;
  /** How long Firehose retries a failed COPY (0–7200 s). */
  readonly retryDuration?: Duration;
  /** How often staged rows are merged into the final tables. */
  readonly mergeInterval?: Duration;
  readonly stagingRetentionDays?: number;
  /** Days before archived rows move to Glacier Instant Retrieval (still replayable). */
  readonly archiveTransitionDays?: number;
  /** Extra CIDRs allowed to reach Redshift on 5439 (e.g. an analysts' office); none by default. */
  readonly sqlClientCidrs?: readonly string[];
  readonly removalPolicy?: RemovalPolicy;
}

function checkRange(owner: string, name: string, value: number, low: number, high: number): void {
  if (!Number.isFinite(value) || value < low || value > high) throw new Error(`${owner}: ${name} must be from ${low} to ${high}, got ${value}`);
}

/**
 * Firehose → Redshift Serverless, at-least-once made exactly-once in effect.
 *
 * - Redshift Serverless namespace (KMS) and workgroup in a VPC of its own; Firehose
 *   loads over the public endpoint, so the security group admits only Firehose's
 *   CIDR for the Region (a CloudFormation mapping), plus any CIDRs you list.
 * - Admin credentials and the HMAC pepper are generated into Secrets Manager; nothing
 *   secret appears in the template or in any environment variable.
 * - One Firehose delivery stream per warehouse table: GZIP to an intermediate bucket,
 *   COPY (JSON 'auto') into a staging table, retries for `retryDuration`, failed
 *   COPY manifests under `errors/`, and every row also backed up to the archive
 *   bucket: the replay source.
 * - The schema (final and staging tables from `contracts/`) is applied at deploy
 *   time by a custom resource that waits for Redshift; an EventBridge rule runs the
 *   merge SQL on the workgroup through the Data API every `mergeInterval`.
 */
export class WarehouseDelivery extends Construct {
  readonly encryptionKey: IKey;
  readonly adminSecret: Secret;
  readonly pepperSecret: Secret;
  readonly vpc: Vpc;
  readonly securityGroup: SecurityGroup;
  readonly namespace: CfnNamespace;
  readonly workgroup: CfnWorkgroup;
  readonly databaseName: string;
  readonly stagingBucket: Bucket;
  readonly archiveBucket: Bucket;
  readonly deliveryStreams: { readonly [key in WarehouseTableKey]: CfnDeliveryStream };
  readonly deliveryRole: Role;
  readonly schema: CustomResource;
  readonly mergeRule: Rule;
  /** Matches failed or aborted Data API statements (merge or schema); the alarms construct routes it to SNS. */
  readonly statementFailureRule: Rule;
  readonly mergeInterval: Duration;

  constructor(scope: Construct, id: string, props: WarehouseDeliveryProps) {
    super(scope, id);
    const name = props.name ?? 'supercafe';
    if (!/^[a-z][a-z0-9-]{2,40}$/.test(name)) throw new Error(`${id}: name must be 3–41 lowercase letters, digits or hyphens, got "${name}"`);
    this.databaseName = props.databaseName ?? 'supercafe';
    const baseCapacity = props.baseCapacity ?? 8;
    if (!(baseCapacity === 4 || (Number.isInteger(baseCapacity) && baseCapacity % 8 === 0 && baseCapacity >= 8 && baseCapacity <= 1024))) {
      throw new Error(`${id}: baseCapacity must be 4 or a multiple of 8 from 8 to 1024 RPUs, got ${baseCapacity}`);
    }
    if (props.maxCapacity !== undefined && props.maxCapacity < baseCapacity) {
      throw new Error(`${id}: maxCapacity (${props.maxCapacity}) must not be below baseCapacity (${baseCapacity})`);
    }
    const bufferInterval = props.bufferInterval ?? Duration.seconds(300);
    checkRange(id, 'bufferInterval (s)', bufferInterval.toSeconds(), BUFFER_INTERVAL_RANGE[0].toSeconds(), BUFFER_INTERVAL_RANGE[1].toSeconds());
    const bufferSizeMb = props.bufferSizeMb ?? 5;
    checkRange(id, 'bufferSizeMb', bufferSizeMb, ...BUFFER_SIZE_RANGE_MB);
    const retryDuration = props.retryDuration ?? Duration.hours(1);
    checkRange(id, 'retryDuration (s)', retryDuration.toSeconds(), 0, RETRY_DURATION_MAX.toSeconds());
    this.mergeInterval = props.mergeInterval ?? Duration.minutes(15);
    checkRange(id, 'mergeInterval (min)', this.mergeInterval.toMinutes(), 1, 24 * 60);
    const stagingRetentionDays = props.stagingRetentionDays ?? 7;
    checkRange(id, 'stagingRetentionDays', stagingRetentionDays, 1, 365);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    // ── Keys and secrets ────────────────────────────────────────────────────
    this.encryptionKey =
      props.encryptionKey ?? new Key(this, 'Key', { description: 'Super Café warehouse, delivery and archive', enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });

    this.adminSecret = new Secret(this, 'AdminSecret', {
      description: 'Super Café Redshift Serverless admin (Firehose COPY, schema, merge)',
      encryptionKey: this.encryptionKey,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: ADMIN_USERNAME }),
        generateStringKey: 'password',
        passwordLength: 32,
        // Redshift refuses these in passwords.
        excludeCharacters: `"'\\/@ `,
        requireEachIncludedType: true,
      },
    });
    acknowledge(this.adminSecret, {
      id: 'AwsSolutions-SMG4',
      reason: 'The namespace admin password is set from this secret at deploy; rotating it needs a coordinated namespace update (runbook in docs/aws.md), so it is not rotated automatically.',
    });

    this.pepperSecret = new Secret(this, 'PepperSecret', {
      description: 'Super Café HMAC pepper for customer_key (SecretString is the pepper itself)',
      encryptionKey: props.pepperEncryptionKey ?? this.encryptionKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    acknowledge(this.pepperSecret, {
      id: 'AwsSolutions-SMG4',
      reason: 'Rotating the pepper changes every customer_key and breaks returning-customer recognition; it is rotated only with a planned re-key, never on a timer.',
    });

    // ── Network: a VPC of its own, reachable on 5439 from Firehose only ────
    this.vpc = new Vpc(this, 'Vpc', {
      ipAddresses: IpAddresses.cidr('10.40.0.0/16'),
      // Redshift Serverless needs subnets in three AZs; the AZs resolve at deploy time.
      availabilityZones: [0, 1, 2].map((index) => Fn.select(index, Fn.getAzs())),
      natGateways: 0,
      subnetConfiguration: [{ name: 'Warehouse', subnetType: SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false }],
      flowLogs: {
        rejected: { destination: FlowLogDestination.toS3(props.accessLogsBucket, 'vpc-flow-logs/'), trafficType: FlowLogTrafficType.REJECT },
      },
    });

    const firehoseCidrs = new CfnMapping(this, 'FirehoseCidr', {
      mapping: Object.fromEntries(Object.entries(FIREHOSE_CIDR_BY_REGION).map(([region, cidr]) => [region, { cidr }])),
    });
    this.securityGroup = new SecurityGroup(this, 'WorkgroupSecurityGroup', {
      vpc: this.vpc,
      description: 'Redshift Serverless: Firehose COPY connections only',
      allowAllOutbound: true,
    });
    this.securityGroup.addIngressRule(Peer.ipv4(firehoseCidrs.findInMap(Aws.REGION, 'cidr')), Port.tcp(REDSHIFT_PORT), 'Amazon Data Firehose (this Region)');
    acknowledge(this.securityGroup, {
      id: 'AwsSolutions-EC23',
      reason: "The ingress CIDR is Firehose's published /27 for the deploying Region (FindInMap, so nag cannot evaluate it); it is never 0.0.0.0/0, and sqlClientCidrs refuses /0.",
    });
    for (const cidr of props.sqlClientCidrs ?? []) {
      if (cidr.endsWith('/0')) throw new Error(`${id}: sqlClientCidrs must not open Redshift to the internet (${cidr})`);
      this.securityGroup.addIngressRule(Peer.ipv4(cidr), Port.tcp(REDSHIFT_PORT), 'SQL client');
    }

    // ── Redshift Serverless ─────────────────────────────────────────────────
    const replayRole = new Role(this, 'ReplayRole', {
      description: 'Redshift default role: COPY the Firehose archive back into staging (replay)',
      assumedBy: new CompositePrincipal(new ServicePrincipal('redshift.amazonaws.com'), new ServicePrincipal('redshift-serverless.amazonaws.com')),
    });

    this.namespace = new CfnNamespace(this, 'Namespace', {
      namespaceName: name,
      dbName: this.databaseName,
      adminUsername: ADMIN_USERNAME,
      // A dynamic reference: CloudFormation resolves it; the template never holds the password.
      adminUserPassword: this.adminSecret.secretValueFromJson('password').unsafeUnwrap(),
      kmsKeyId: this.encryptionKey.keyArn,
      iamRoles: [replayRole.roleArn],
      defaultIamRoleArn: replayRole.roleArn,
      logExports: ['connectionlog', 'userlog'],
    });
    this.namespace.applyRemovalPolicy(removalPolicy);

    this.workgroup = new CfnWorkgroup(this, 'Workgroup', {
      workgroupName: name,
      // The attribute (not the plain name) makes CloudFormation create the namespace first.
      namespaceName: this.namespace.attrNamespaceNamespaceName,
      baseCapacity,
      maxCapacity: props.maxCapacity,
      // Firehose delivers to Redshift over its public endpoint (it cannot enter a VPC for Redshift).
      publiclyAccessible: true,
      enhancedVpcRouting: false,
      port: REDSHIFT_PORT,
      subnetIds: this.vpc.publicSubnets.map((subnet) => subnet.subnetId),
      securityGroupIds: [this.securityGroup.securityGroupId],
    });

    // ── Buckets: intermediate (COPY source) and archive (every row, for replay) ──
    const bucketDefaults = privateBucketProps(this.encryptionKey, props.accessLogsBucket);
    this.stagingBucket = new Bucket(this, 'StagingBucket', {
      ...bucketDefaults,
      serverAccessLogsPrefix: 'warehouse-staging/',
      lifecycleRules: [
        { id: 'ExpireIntermediate', prefix: 'intermediate/', expiration: Duration.days(stagingRetentionDays) },
        { id: 'ExpireErrors', prefix: 'errors/', expiration: Duration.days(30) },
        { id: 'AbortUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy,
    });
    this.archiveBucket = new Bucket(this, 'ArchiveBucket', {
      ...bucketDefaults,
      serverAccessLogsPrefix: 'warehouse-archive/',
      versioned: true,
      lifecycleRules: [
        {
          id: 'ColdArchive',
          transitions: [{ storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(props.archiveTransitionDays ?? 90) }],
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy,
    });
    const replayRead = new Policy(this, 'ReplayReadPolicy', {
      roles: [replayRole],
      statements: [
        new PolicyStatement({ sid: 'ListArchive', actions: ['s3:ListBucket'], resources: [this.archiveBucket.bucketArn] }),
        new PolicyStatement({ sid: 'ReadArchive', actions: ['s3:GetObject'], resources: [this.archiveBucket.arnForObjects('*')] }),
        new PolicyStatement({ sid: 'DecryptArchive', actions: ['kms:Decrypt'], resources: [this.encryptionKey.keyArn] }),
      ],
    });
    acknowledge(replayRead, {
      id: 'AwsSolutions-IAM5',
      finding: `Resource::<${Stack.of(this).getLogicalId(this.archiveBucket.node.defaultChild as CfnBucket)}.Arn>/*`,
      reason: 'A replay COPYs every archived object of the archive bucket; nothing else.',
    });

    // ── Firehose role, logs and one delivery stream per table ──────────────
    this.deliveryRole = new Role(this, 'DeliveryRole', {
      description: 'Firehose: stage rows in S3, COPY into Redshift, archive every row',
      assumedBy: new ServicePrincipal('firehose.amazonaws.com', { conditions: { StringEquals: { 'sts:ExternalId': Aws.ACCOUNT_ID } } }),
    });
    const deliveryLogs = new LogGroup(this, 'DeliveryLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const deliveryPolicy = new Policy(this, 'DeliveryPolicy', {
      roles: [this.deliveryRole],
      statements: [
        new PolicyStatement({
          sid: 'StageAndArchive',
          actions: ['s3:AbortMultipartUpload', 's3:GetBucketLocation', 's3:GetObject', 's3:ListBucket', 's3:ListBucketMultipartUploads', 's3:PutObject'],
          resources: [this.stagingBucket.bucketArn, this.stagingBucket.arnForObjects('*'), this.archiveBucket.bucketArn, this.archiveBucket.arnForObjects('*')],
        }),
        new PolicyStatement({ sid: 'EncryptObjects', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [this.encryptionKey.keyArn] }),
        new PolicyStatement({ sid: 'ReadAdminSecret', actions: ['secretsmanager:GetSecretValue'], resources: [this.adminSecret.secretArn] }),
        // The log group ARN ends in ":*", which covers its streams and nothing else.
        new PolicyStatement({ sid: 'LogDeliveryErrors', actions: ['logs:PutLogEvents'], resources: [deliveryLogs.logGroupArn] }),
      ],
    });
    for (const bucket of [this.stagingBucket, this.archiveBucket]) {
      acknowledge(deliveryPolicy, {
        id: 'AwsSolutions-IAM5',
        finding: `Resource::<${Stack.of(this).getLogicalId(bucket.node.defaultChild as CfnBucket)}.Arn>/*`,
        reason: 'Firehose writes objects under time-based keys it chooses, in the two buckets of its own.',
      });
    }

    const jdbcUrl = `jdbc:redshift://${this.workgroup.attrWorkgroupEndpointAddress}:${REDSHIFT_PORT}/${this.databaseName}`;
    const compressed = 'GZIP';
    const kmsConfig = { kmsEncryptionConfig: { awskmsKeyArn: this.encryptionKey.keyArn } };

    const streams: Partial<Record<WarehouseTableKey, CfnDeliveryStream>> = {};
    for (const key of WAREHOUSE_TABLE_KEYS) {
      const table = WarehouseTables[key];
      const destinationLog = new LogStream(this, `${key}RedshiftLog`, { logGroup: deliveryLogs, logStreamName: `${table.name}-redshift`, removalPolicy: RemovalPolicy.DESTROY });
      const backupLog = new LogStream(this, `${key}BackupLog`, { logGroup: deliveryLogs, logStreamName: `${table.name}-archive`, removalPolicy: RemovalPolicy.DESTROY });
      const stream = new CfnDeliveryStream(this, `${key}Delivery`, {
        deliveryStreamType: 'DirectPut',
        deliveryStreamEncryptionConfigurationInput: { keyType: 'CUSTOMER_MANAGED_CMK', keyArn: this.encryptionKey.keyArn },
        redshiftDestinationConfiguration: {
          clusterJdbcurl: jdbcUrl,
          roleArn: this.deliveryRole.roleArn,
          secretsManagerConfiguration: { enabled: true, secretArn: this.adminSecret.secretArn, roleArn: this.deliveryRole.roleArn },
          copyCommand: { dataTableName: stagingTableName(table), dataTableColumns: copyColumns(table), copyOptions: copyOptions() },
          retryOptions: { durationInSeconds: retryDuration.toSeconds() },
          s3Configuration: {
            bucketArn: this.stagingBucket.bucketArn,
            roleArn: this.deliveryRole.roleArn,
            prefix: intermediatePrefix(table),
            errorOutputPrefix: errorPrefix(table),
            compressionFormat: compressed,
            bufferingHints: { intervalInSeconds: bufferInterval.toSeconds(), sizeInMBs: bufferSizeMb },
            encryptionConfiguration: kmsConfig,
          },
          s3BackupMode: 'Enabled',
          s3BackupConfiguration: {
            bucketArn: this.archiveBucket.bucketArn,
            roleArn: this.deliveryRole.roleArn,
            prefix: archivePrefix(table),
            errorOutputPrefix: `archive-errors/${table.name}/`,
            compressionFormat: compressed,
            // The archive is read rarely: buffer long for fewer, larger objects.
            bufferingHints: { intervalInSeconds: 900, sizeInMBs: 64 },
            encryptionConfiguration: kmsConfig,
            cloudWatchLoggingOptions: { enabled: true, logGroupName: deliveryLogs.logGroupName, logStreamName: backupLog.logStreamName },
          },
          cloudWatchLoggingOptions: { enabled: true, logGroupName: deliveryLogs.logGroupName, logStreamName: destinationLog.logStreamName },
        },
      });
      stream.node.addDependency(deliveryPolicy);
      streams[key] = stream;
    }
    this.deliveryStreams = streams as { [key in WarehouseTableKey]: CfnDeliveryStream };

    // ── Schema at deploy time (custom resource that waits for Redshift) ──────
    const schemaFunction = new PipelineFunction(this, 'SchemaFunction', {
      entry: repoPath('infra/aws/functions/warehouse-schema.ts'),
      serviceName: 'warehouse-schema',
      description: 'Super Café: apply the warehouse schema generated from contracts/ (deploy-time custom resource)',
      timeout: Duration.minutes(10),
    });
    this.adminSecret.grantRead(schemaFunction.function);
    const dataApi = new Policy(this, 'SchemaDataApiPolicy', {
      roles: [schemaFunction.function.role!],
      statements: [
        new PolicyStatement({ sid: 'RunSchemaSql', actions: ['redshift-data:ExecuteStatement', 'redshift-data:BatchExecuteStatement'], resources: [this.workgroup.attrWorkgroupWorkgroupArn] }),
        new PolicyStatement({ sid: 'FollowOwnStatements', actions: ['redshift-data:DescribeStatement', 'redshift-data:GetStatementResult'], resources: ['*'] }),
      ],
    });
    acknowledge(dataApi, {
      id: 'AwsSolutions-IAM5',
      finding: 'Resource::*',
      reason: 'DescribeStatement and GetStatementResult take a statement id, not an ARN; the Data API only lets a caller read its own statements.',
    });
    const provider = new Provider(this, 'SchemaProvider', {
      onEventHandler: schemaFunction.function,
      logGroup: new LogGroup(this, 'SchemaProviderLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
    });
    acknowledge(
      provider,
      { id: 'AwsSolutions-L1', reason: 'The Provider framework Lambda and its runtime are managed by aws-cdk-lib.' },
      {
        id: 'AwsSolutions-IAM4',
        finding: 'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        reason: 'The Provider framework Lambda only writes its own logs with AWSLambdaBasicExecutionRole.',
      },
      {
        id: 'AwsSolutions-IAM5',
        finding: `Resource::<${Stack.of(this).getLogicalId(schemaFunction.function.node.defaultChild as CfnFunction)}.Arn>:*`,
        reason: 'The Provider framework may invoke any version of the schema function (its ARN with :*), and no other function.',
      },
    );
    this.schema = new CustomResource(this, 'Schema', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::WarehouseSchema',
      properties: {
        WorkgroupName: this.workgroup.attrWorkgroupWorkgroupName,
        Database: this.databaseName,
        SecretArn: this.adminSecret.secretArn,
        Statements: [...schemaStatements(), ...readerGrantStatements(DASHBOARD_READER_ROLE)],
        ReaderRole: DASHBOARD_READER_ROLE,
      },
    });
    this.schema.node.addDependency(this.workgroup, dataApi);
    // Firehose must never COPY into a table that does not exist yet.
    for (const stream of Object.values(this.deliveryStreams)) stream.node.addDependency(this.schema);

    // ── Merge on a schedule: EventBridge → Redshift Data API, no code ────────
    const statementName = `${name}-merge-staging`;
    const mergeRole = new Role(this, 'MergeRole', {
      description: 'EventBridge: run the staging merge on the workgroup through the Data API',
      assumedBy: new ServicePrincipal('events.amazonaws.com'),
    });
    mergeRole.addToPolicy(new PolicyStatement({ sid: 'RunMerge', actions: ['redshift-data:BatchExecuteStatement'], resources: [this.workgroup.attrWorkgroupWorkgroupArn] }));
    this.adminSecret.grantRead(mergeRole);
    const workgroupArn = this.workgroup.attrWorkgroupWorkgroupArn;
    const databaseName = this.databaseName;
    const secretArn = this.adminSecret.secretArn;
    const mergeTarget: IRuleTarget = {
      bind: () => ({
        arn: workgroupArn,
        role: mergeRole,
        redshiftDataParameters: { database: databaseName, secretManagerArn: secretArn, sqls: mergeStatements(), statementName, withEvent: true },
      }),
    };
    this.mergeRule = new Rule(this, 'MergeSchedule', {
      // The Data API requires the rule name to equal the statement name.
      ruleName: statementName,
      description: 'Merge Firehose staging tables into the final tables (dedup on primary key)',
      schedule: Schedule.rate(this.mergeInterval),
      targets: [mergeTarget],
    });
    this.mergeRule.node.addDependency(this.schema);

    this.statementFailureRule = new Rule(this, 'StatementFailures', {
      description: 'Redshift Data API statements (merge, schema) that failed or were aborted',
      eventPattern: {
        source: ['aws.redshift-data'],
        detailType: ['Redshift Data Statement Status Change'],
        detail: { state: ['FAILED', 'ABORTED'] },
      },
    });
  }

  /** The delivery stream names, for the consumer's environment. */
  get deliveryStreamNames(): { readonly [key in WarehouseTableKey]: string } {
    return {
      sales: this.deliveryStreams.sales.ref,
      saleItems: this.deliveryStreams.saleItems.ref,
      quarantine: this.deliveryStreams.quarantine.ref,
      ingestFiles: this.deliveryStreams.ingestFiles.ref,
    };
  }

  /** The delivery stream ARNs, for PutRecordBatch grants. */
  get deliveryStreamArns(): string[] {
    return WAREHOUSE_TABLE_KEYS.map((key) => this.deliveryStreams[key].attrArn);
  }
}
