import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** The item actions the till API's idempotency store uses (producers/till-api/idempotency/adapters/dynamodb-idempotency-store.ts). */
export const TILL_IDEMPOTENCY_ACTIONS = ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'] as const;

export interface TillIdempotencyTableProps {
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The till API's idempotency keys: one item per `<tillId>|<kind>|<id>` (partition
 * key `key`, a string) holding the event id and fingerprint of the sale or refund
 * first posted under it, and the pence refunded against a sale. A claim is a
 * conditional PutItem, a lookup a strongly consistent GetItem, a refund an
 * UpdateItem of `refundedPence`: so a till's retry is the same sale and a reused
 * sale id is refused (docs/live-tills.md). Stateful: the data stack keeps it, with
 * point-in-time recovery and no fixed name. No personal data: ids, amounts, hashes.
 */
export class TillIdempotencyTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: TillIdempotencyTableProps = {}) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'key', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
  }
}
