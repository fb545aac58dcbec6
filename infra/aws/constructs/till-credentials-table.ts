import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** The attributes `supercafe tills list` reads (never `salt` or `secretHash`). */
export const TILL_LIST_ATTRIBUTES = ['tillId', 'branch', 'label', 'createdAt', 'revokedAt'] as const;

export interface TillCredentialsTableProps {
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Till credentials (`tillId` → branch, salt, secret hash; never a secret), read by
 * the till API and written by operators (docs/live-tills.md). Stateful, so it lives
 * in the data stack with point-in-time recovery and no fixed name.
 *
 * `operatorPolicy` is what `supercafe tills issue|list|revoke --aws` needs: find
 * the table in the stack's outputs, add a credential (a conditional PutItem: an id
 * is never overwritten), revoke one (UpdateItem), and list them (Scan) without
 * reading a salt or a hash. Attach it to the operators' group or role.
 */
export class TillCredentialsTable extends Construct {
  readonly table: Table;
  readonly operatorPolicy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: TillCredentialsTableProps = {}) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'tillId', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });

    this.operatorPolicy = new ManagedPolicy(this, 'OperatorPolicy', {
      description: 'Super Café operators: issue, list and revoke till credentials (supercafe tills … --aws)',
      statements: [
        new PolicyStatement({ sid: 'FindTable', actions: ['cloudformation:DescribeStacks'], resources: [Aws.STACK_ID] }),
        new PolicyStatement({ sid: 'IssueAndRevoke', actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: [this.table.tableArn] }),
        // Listing may project the summary attributes only: the salts and hashes stay unread (IAM user guide, "DynamoDB: allows access to specific attributes").
        new PolicyStatement({
          sid: 'ListWithoutSecrets',
          actions: ['dynamodb:Scan'],
          resources: [this.table.tableArn],
          conditions: {
            'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...TILL_LIST_ATTRIBUTES] },
            StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
          },
        }),
      ],
    });
  }
}
