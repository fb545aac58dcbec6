import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

export interface TillCredentialsTableProps {
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Till credentials (`tillId` → branch, salt, secret hash; never a secret), read by
 * the till API and written by operators (docs/live-tills.md). Stateful, so it lives
 * in the data stack with point-in-time recovery and no fixed name.
 */
export class TillCredentialsTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: TillCredentialsTableProps = {}) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'tillId', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
  }
}
