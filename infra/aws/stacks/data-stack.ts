import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccountPrincipal, AnyPrincipal, Effect, PolicyDocument, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CfnResourcePolicy, CfnSecret, Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { accessPaths, allowSecretRead, rolesUnder, type AccessPaths } from '../access.js';
import { AccessLogsBucket } from '../constructs/access-logs-bucket.js';
import { ErasureRole } from '../constructs/erasure-role.js';
import { RawArchiveBucket, RAW_ARCHIVE_PREFIX } from '../constructs/raw-archive-bucket.js';
import { RawBucket } from '../constructs/raw-bucket.js';
import { RestrictedKey } from '../constructs/restricted-key.js';
import { SalesStream, type StreamCapacity } from '../constructs/sales-stream.js';
import { TillCredentialsTable } from '../constructs/till-credentials-table.js';
import { TillIdempotencyTable } from '../constructs/till-idempotency-table.js';
import { WarehouseArchive } from '../constructs/warehouse-archive.js';
import { WarehouseNamespace } from '../constructs/warehouse-namespace.js';
import { acknowledge } from '../nag.js';
import { StackOutput } from '../stack-outputs.js';

export interface DataStackProps extends StackProps {
  /** Starts the Redshift namespace and workgroup names (lowercase); the stack id completes them. */
  readonly resourceName?: string;
  readonly streamCapacity?: StreamCapacity;
  readonly shardCount?: number;
  readonly streamRetentionHours?: number;
  /** Days before a raw upload (names, card numbers) is deleted. */
  readonly rawRetentionDays?: number;
  /** Days the raw event archive keeps each event (names, card numbers). */
  readonly rawArchiveRetentionDays?: number;
  readonly redshiftBaseCapacity?: number;
  readonly redshiftMaxCapacity?: number;
  readonly sqlClientCidrs?: readonly string[];
  /** Days a file Redshift refused stays parked for a re-drive. */
  readonly parkedRetentionDays?: number;
  /** Days the clean rows are kept (for ever when omitted). */
  readonly rowsRetentionDays?: number;
  readonly loadLookbackDays?: number;
}

/**
 * Everything that holds data, in a stack of its own so the pipeline stack (code,
 * schedules, delivery streams, alarms) can be replaced or torn down freely: the
 * keys, the raw uploads, the sales-events stream, the raw event archive, the
 * pepper, the till credentials, the warehouse bucket and Redshift. Every stateful
 * resource is kept when removed from the stack or when the stack is deleted, but
 * not when its own first creation rolls back (`RETAIN_ON_UPDATE_OR_DELETE`), and
 * none has a fixed name, so a failed first deploy leaves nothing in the way of
 * the next.
 */
export class DataStack extends Stack {
  readonly access: AccessPaths;
  readonly accessLogs: AccessLogsBucket;
  readonly personalDataKey: RestrictedKey;
  readonly pepperKey: RestrictedKey;
  readonly warehouseKey: Key;
  readonly rawUploads: RawBucket;
  readonly rawArchive: RawArchiveBucket;
  readonly salesStream: SalesStream;
  readonly pepperSecret: ISecret;
  readonly tillCredentials: TillCredentialsTable;
  readonly tillIdempotency: TillIdempotencyTable;
  readonly warehouseArchive: WarehouseArchive;
  readonly warehouse: WarehouseNamespace;
  /** For operators replaying the raw archive (`scripts/replay-raw.ts`): assumable with MFA, under the personal-data path. */
  readonly replayRole: Role;
  /** For operators erasing a customer (`supercafe erase --aws`): assumable with MFA, under the pepper path. */
  readonly erasure: ErasureRole;

  constructor(scope: Construct, id: string, props: DataStackProps = {}) {
    super(scope, id, { description: 'Super Café data: keys, raw uploads, event stream, raw archive, pepper, warehouse (kept on delete)', ...props });
    this.access = accessPaths(this.stackName);
    const retain = RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;

    // Logs of every bucket (and the warehouse VPC's rejected flows).
    this.accessLogs = new AccessLogsBucket(this, 'AccessLogs');

    // ── Keys: personal data and the pepper decrypt only for their role paths ──
    this.personalDataKey = new RestrictedKey(this, 'PersonalDataKey', {
      description: 'Super Café personal data: raw uploads, sales-events stream, raw event archive',
      decryptRolePath: this.access.personalData,
      decryptVia: ['s3'],
    });
    this.pepperKey = new RestrictedKey(this, 'PepperKey', {
      description: 'Super Café HMAC pepper (customer_key, event ids)',
      decryptRolePath: this.access.pepper,
      encryptVia: ['secretsmanager'],
    });
    this.warehouseKey = new Key(this, 'WarehouseKey', { description: 'Super Café warehouse: namespace, rows, admin secret (no personal data)', enableKeyRotation: true, removalPolicy: retain });

    // ── Raw uploads ─────────────────────────────────────────────────────────
    this.rawUploads = new RawBucket(this, 'RawUploads', {
      accessLogsBucket: this.accessLogs.bucket,
      encryptionKey: this.personalDataKey.key,
      readerRolePath: this.access.personalData,
      rawRetentionDays: props.rawRetentionDays,
    });

    // ── The event log, and the durable copy of every raw event ──────────────
    this.salesStream = new SalesStream(this, 'SalesEvents', {
      capacity: props.streamCapacity,
      shardCount: props.shardCount,
      retention: props.streamRetentionHours === undefined ? undefined : Duration.hours(props.streamRetentionHours),
      encryptionKey: this.personalDataKey.key,
      readerRolePath: this.access.personalData,
    });
    this.rawArchive = new RawArchiveBucket(this, 'RawArchive', {
      accessLogsBucket: this.accessLogs.bucket,
      encryptionKey: this.personalDataKey.key,
      readerRolePath: this.access.personalData,
      retentionDays: props.rawArchiveRetentionDays,
    });

    // ── The pepper: owned here, under its own key, readable by the pepper path only ──
    // The L1 secret: the L2 would also give the whole account decrypt-through-Secrets-Manager in the pepper key's policy.
    const pepper = new CfnSecret(this, 'Pepper', {
      description: 'Super Café HMAC pepper for customer_key and event ids (SecretString is the pepper itself)',
      kmsKeyId: this.pepperKey.key.keyArn,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    pepper.applyRemovalPolicy(retain);
    this.pepperSecret = Secret.fromSecretAttributes(this, 'PepperSecret', { secretCompleteArn: pepper.ref, encryptionKey: this.pepperKey.key });
    new CfnResourcePolicy(this, 'PepperPolicy', {
      secretId: pepper.ref,
      blockPublicPolicy: true,
      resourcePolicy: new PolicyDocument({
        statements: [
          new PolicyStatement({
            sid: 'OnlyPepperRolesRead',
            effect: Effect.DENY,
            principals: [new AnyPrincipal()],
            actions: ['secretsmanager:GetSecretValue'],
            resources: ['*'],
            conditions: { ArnNotLike: { 'aws:PrincipalArn': rolesUnder(this.access.pepper) } },
          }),
        ],
      }),
    });
    acknowledge(pepper, {
      id: 'AwsSolutions-SMG4',
      reason: 'Rotating the pepper changes every customer_key and event id and breaks returning-customer recognition; it is rotated only with a planned re-key, never on a timer.',
    });

    // ── Live tills: credentials (operators write, the API reads) and idempotency keys (the API's) ──
    this.tillCredentials = new TillCredentialsTable(this, 'TillCredentials');
    this.tillIdempotency = new TillIdempotencyTable(this, 'TillIdempotency');

    // ── Warehouse: the bucket of clean rows, then Redshift that COPYs from it ──
    this.warehouseArchive = new WarehouseArchive(this, 'WarehouseRows', {
      accessLogsBucket: this.accessLogs.bucket,
      encryptionKey: this.warehouseKey,
      parkedRetentionDays: props.parkedRetentionDays,
      rowsRetentionDays: props.rowsRetentionDays,
      lookbackDays: props.loadLookbackDays,
    });
    this.warehouse = new WarehouseNamespace(this, 'Warehouse', {
      name: props.resourceName,
      encryptionKey: this.warehouseKey,
      copySource: this.warehouseArchive.bucket,
      flowLogsBucket: this.accessLogs.bucket,
      baseCapacity: props.redshiftBaseCapacity,
      maxCapacity: props.redshiftMaxCapacity,
      sqlClientCidrs: props.sqlClientCidrs,
    });

    // ── The operators' replay role ──────────────────────────────────────────
    this.replayRole = new Role(this, 'RawReplayRole', {
      description: 'Operators: replay the raw event archive into the sales-events stream (personal data; MFA required)',
      path: this.access.personalData,
      assumedBy: new AccountPrincipal(this.account).withConditions({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }),
      maxSessionDuration: Duration.hours(4),
    });
    this.replayRole.addToPolicy(new PolicyStatement({ sid: 'ListArchive', actions: ['s3:ListBucket'], resources: [this.rawArchive.bucket.bucketArn] }));
    this.replayRole.addToPolicy(new PolicyStatement({ sid: 'ReadArchive', actions: ['s3:GetObject'], resources: [this.rawArchive.bucket.arnForObjects(`${RAW_ARCHIVE_PREFIX}*`)] }));
    this.replayRole.addToPolicy(new PolicyStatement({ sid: 'DecryptArchiveEncryptStream', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [this.personalDataKey.key.keyArn] }));
    this.replayRole.addToPolicy(
      new PolicyStatement({ sid: 'Republish', actions: ['kinesis:PutRecords', 'kinesis:ListShards', 'kinesis:DescribeStreamSummary'], resources: [this.salesStream.stream.streamArn] }),
    );
    // `--forget` drops the replayed events' rows first, as the admin, through the Data API.
    allowSecretRead(this.replayRole, this.warehouse.adminSecret, this.warehouseKey);
    this.replayRole.addToPolicy(
      new PolicyStatement({ sid: 'ForgetReplayedRows', actions: ['redshift-data:BatchExecuteStatement'], resources: [this.warehouse.workgroupArn] }),
    );
    this.replayRole.addToPolicy(new PolicyStatement({ sid: 'FollowOwnStatements', actions: ['redshift-data:DescribeStatement'], resources: ['*'] }));
    acknowledge(this.replayRole, {
      id: 'AwsSolutions-IAM5',
      finding: 'Resource::*',
      reason: 'DescribeStatement takes a statement id, not an ARN; the Data API only lets a caller read its own statements.',
    });
    acknowledge(this.replayRole, {
      id: 'AwsSolutions-IAM5',
      finding: `Resource::<${this.getLogicalId(this.rawArchive.bucket.node.defaultChild as never)}.Arn>/${RAW_ARCHIVE_PREFIX}*`,
      reason: 'A replay reads the archive objects of a time range; their keys are made by Firehose.',
    });

    // ── The operators' erasure role ─────────────────────────────────────────
    this.erasure = new ErasureRole(this, 'Erasure', {
      path: this.access.pepper,
      pepperSecret: this.pepperSecret,
      pepperKey: this.pepperKey.key,
      rawArchive: this.rawArchive.bucket,
      personalDataKey: this.personalDataKey.key,
      warehouseBucket: this.warehouseArchive.bucket,
      warehouseKey: this.warehouseKey,
      adminSecret: this.warehouse.adminSecret,
      workgroupArn: this.warehouse.workgroupArn,
    });

    // ── Outputs ─────────────────────────────────────────────────────────────
    const output = (key: StackOutput, value: string, description: string) => new CfnOutput(this, key, { value, description });
    output(StackOutput.RawBucketName, this.rawUploads.bucket.bucketName, 'Branches upload CSVs here');
    output(StackOutput.UploadPrefix, this.rawUploads.uploadPrefix, 'Key prefix: <prefix><branch>/<file>.csv');
    output(StackOutput.UploaderPolicyArn, this.rawUploads.uploaderPolicy.managedPolicyArn, 'Attach to a branch identity tagged supercafe-branch=<branch>');
    output(StackOutput.StreamName, this.salesStream.stream.streamName, 'Sales-events stream');
    output(StackOutput.RawArchiveBucketName, this.rawArchive.bucket.bucketName, `Every raw event, kept ${this.rawArchive.retentionDays} days (personal data)`);
    output(StackOutput.RawReplayRoleArn, this.replayRole.roleArn, 'Assume (with MFA) to replay the raw archive');
    output(StackOutput.ErasureRoleArn, this.erasure.role.roleArn, "Assume (with MFA) to erase a customer's data (supercafe erase --aws)");
    output(StackOutput.TillCredentialsTable, this.tillCredentials.table.tableName, 'Till credentials (hashes), keyed by tillId');
    output(StackOutput.TillOperatorPolicyArn, this.tillCredentials.operatorPolicy.managedPolicyArn, 'Attach to operators who issue, list and revoke tills (supercafe tills … --aws)');
    output(StackOutput.TillIdempotencyTable, this.tillIdempotency.table.tableName, 'Till API idempotency keys (sale and refund ids per till)');
    output(StackOutput.WorkgroupName, this.warehouse.workgroup.attrWorkgroupWorkgroupName, 'Redshift Serverless workgroup (private)');
    output(StackOutput.DatabaseName, this.warehouse.databaseName, 'Warehouse database');
    output(StackOutput.AdminSecretArn, this.warehouse.adminSecret.secretArn, 'Redshift admin credentials (schema step and operators only)');
    output(StackOutput.PepperSecretArn, this.pepperSecret.secretArn, 'HMAC pepper (readable by the pepper role path only)');
    output(StackOutput.WarehouseBucketName, this.warehouseArchive.bucket.bucketName, 'Clean rows (rows/), parked files (errors/): the loader source and rebuild source');
  }
}
