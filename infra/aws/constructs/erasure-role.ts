import { Aws, Duration, Stack } from 'aws-cdk-lib';
import { AccountPrincipal, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { WarehouseTables } from '../../../contracts/index.js';
import { allowSecretRead } from '../access.js';
import { acknowledge, acknowledgeResource } from '../nag.js';
import { ERASURES_PREFIX, rowsPrefix } from '../warehouse/warehouse-sql.js';
import { RAW_ARCHIVE_PREFIX } from './raw-archive-bucket.js';

export interface ErasureRoleProps {
  /** Under the pepper path (`access.ts`): it must hash names and cards as the consumer does, and read the raw archive. */
  readonly path: string;
  readonly pepperSecret: ISecret;
  readonly pepperKey: IKey;
  readonly rawArchive: IBucket;
  readonly personalDataKey: IKey;
  readonly warehouseBucket: IBucket;
  readonly warehouseKey: IKey;
  readonly adminSecret: ISecret;
  readonly workgroupArn: string;
}

/**
 * The operators' erasure role (`supercafe erase --aws`, MFA required): it reads
 * the pepper to find the customer's keys, unties their sales in the warehouse (as
 * the admin, through the Data API), rewrites the clean rows of sales and the raw
 * event archive objects that hold them, and records the erasure under
 * `erasures/`, which the loader honours. Nothing more: it cannot read uploads,
 * the stream, or any other part of the buckets.
 */
export class ErasureRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: ErasureRoleProps) {
    super(scope, id);
    const role = new Role(this, 'Role', {
      description: "Operators: erase one customer's data (warehouse, clean rows, raw archive) and record the erasure (personal data; MFA required)",
      path: props.path,
      assumedBy: new AccountPrincipal(Aws.ACCOUNT_ID).withConditions({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }),
      maxSessionDuration: Duration.hours(4),
    });
    this.role = role;
    const salesRows = props.warehouseBucket.arnForObjects(`${rowsPrefix(WarehouseTables.sales)}*`);
    const markers = props.warehouseBucket.arnForObjects(`${ERASURES_PREFIX}*`);
    const rawObjects = props.rawArchive.arnForObjects(`${RAW_ARCHIVE_PREFIX}*`);

    allowSecretRead(role, props.pepperSecret, props.pepperKey);
    role.addToPolicy(new PolicyStatement({ sid: 'FindTheStack', actions: ['cloudformation:DescribeStacks'], resources: [Stack.of(this).stackId] }));
    role.addToPolicy(new PolicyStatement({ sid: 'ListArchives', actions: ['s3:ListBucket'], resources: [props.rawArchive.bucketArn, props.warehouseBucket.bucketArn] }));
    role.addToPolicy(new PolicyStatement({ sid: 'RewriteRawArchive', actions: ['s3:GetObject', 's3:PutObject'], resources: [rawObjects] }));
    role.addToPolicy(new PolicyStatement({ sid: 'RewriteSalesRows', actions: ['s3:GetObject', 's3:PutObject'], resources: [salesRows] }));
    role.addToPolicy(new PolicyStatement({ sid: 'RecordErasures', actions: ['s3:PutObject'], resources: [markers] }));
    role.addToPolicy(new PolicyStatement({ sid: 'UseArchiveKeys', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [props.personalDataKey.keyArn, props.warehouseKey.keyArn] }));
    allowSecretRead(role, props.adminSecret, props.warehouseKey);
    role.addToPolicy(new PolicyStatement({ sid: 'UntieSales', actions: ['redshift-data:ExecuteStatement'], resources: [props.workgroupArn] }));
    role.addToPolicy(new PolicyStatement({ sid: 'FollowOwnStatements', actions: ['redshift-data:DescribeStatement', 'redshift-data:GetStatementResult'], resources: ['*'] }));

    acknowledge(role, {
      id: 'AwsSolutions-IAM5',
      finding: 'Resource::*',
      reason: 'DescribeStatement and GetStatementResult take a statement id, not an ARN; the Data API only lets a caller read its own statements.',
    });
    for (const [resource, reason] of [
      [rawObjects, 'An erasure rewrites the raw archive objects (keys made by Firehose) that hold the customer, and no other prefix.'],
      [salesRows, 'An erasure rewrites the files of clean sales rows (keys made by Firehose) that hold the customer, and no other table.'],
      [markers, 'One marker per erased customer key, named by the key.'],
    ] as const) {
      acknowledgeResource(role, { id: 'AwsSolutions-IAM5', resource, reason });
    }
  }
}
