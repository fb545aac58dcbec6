import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type AttributeValue,
  type CancellationReason,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import {
  keyText,
  outcomeAgainst,
  type IdempotencyKey,
  type IdempotencyKind,
  type IdempotencyRecord,
  type IdempotencyStore,
  type RefundClaimOutcome,
  type VoidClaimOutcome,
} from '../idempotency-store.js';

/** Transactions on one sale racing each other (`TransactionConflict`): how many tries before giving up. */
const MAX_TRANSACTION_ATTEMPTS = 5;

const failed = (reason: CancellationReason | undefined) => reason?.Code === 'ConditionalCheckFailed';

const recordOf = (item: Record<string, AttributeValue>, key: IdempotencyKey): IdempotencyRecord => ({
  key: { tillId: item.tillId?.S ?? key.tillId, kind: (item.kind?.S ?? key.kind) as IdempotencyKind, id: item.id?.S ?? key.id },
  branch: item.branch?.S ?? '',
  eventId: item.eventId?.S ?? '',
  fingerprint: item.fingerprint?.S ?? '',
  totalPence: Number(item.totalPence?.N ?? 0),
  claimedAt: new Date(item.claimedAt?.S ?? 0),
});

/**
 * The till API's idempotency keys in DynamoDB (AWS): one item per key, partition
 * key `key` (`<tillId>|<kind>|<id>`), string attributes `branch`, `eventId`,
 * `fingerprint`, `claimedAt`, numbers `totalPence` and `refundedPence`, and on a
 * voided sale `voidedBy` (the void's event id). A claim is a conditional PutItem
 * (`attribute_not_exists(#key)`), so of concurrent posts with one key exactly one
 * wins; the losers read the winner (strongly consistent) to tell a repeat from a
 * conflict. A refund's or void's claim is one TransactWriteItems: the Put of its key
 * and an Update of its sale's item (refunds add to `refundedPence` on condition it
 * stays within the total and the sale has no `voidedBy`; a void sets `voidedBy` on
 * condition nothing was refunded). Both touch the sale's item, so DynamoDB's
 * serializable transactions decide the refunds and void of one sale one at a time;
 * IAM: PutItem and UpdateItem, as for plain claims.
 */
export function createDynamoIdempotencyStore(options: { client: DynamoDBClient; tableName: string }): IdempotencyStore {
  const { client, tableName } = options;
  const keyOf = (key: IdempotencyKey): Record<string, AttributeValue> => ({ key: { S: keyText(key) } });

  const find = async (key: IdempotencyKey): Promise<IdempotencyRecord | undefined> => {
    const { Item: item } = await client.send(new GetItemCommand({ TableName: tableName, Key: keyOf(key), ConsistentRead: true }));
    return item ? recordOf(item, key) : undefined;
  };

  const itemOf = (record: IdempotencyRecord): Record<string, AttributeValue> => ({
    ...keyOf(record.key),
    tillId: { S: record.key.tillId },
    kind: { S: record.key.kind },
    id: { S: record.key.id },
    branch: { S: record.branch },
    eventId: { S: record.eventId },
    fingerprint: { S: record.fingerprint },
    totalPence: { N: String(record.totalPence) },
    refundedPence: { N: '0' },
    claimedAt: { S: record.claimedAt.toISOString() },
  });
  const putNew = (record: IdempotencyRecord): TransactWriteItem => ({
    Put: {
      TableName: tableName,
      Item: itemOf(record),
      ConditionExpression: 'attribute_not_exists(#key)',
      ExpressionAttributeNames: { '#key': 'key' },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  });
  const stored = async (record: IdempotencyRecord, returned: Record<string, AttributeValue> | undefined, cause?: unknown): Promise<IdempotencyRecord> => {
    const found = returned ? recordOf(returned, record.key) : await find(record.key);
    if (!found) throw new Error(`idempotency key vanished: ${record.key.kind} of ${record.key.tillId}`, { cause });
    return found;
  };
  /**
   * Runs a transaction of `items`; on cancellation, `settle` reads the reasons (one
   * per item, in order). A transaction that lost a race with another on the same
   * items (`TransactionConflict`) is tried again.
   */
  const transact = async <T>(items: TransactWriteItem[], settled: T, settle: (reasons: CancellationReason[], error: unknown) => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
        return settled;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        if (reasons.some((reason) => reason.Code === 'TransactionConflict') && attempt < MAX_TRANSACTION_ATTEMPTS) continue;
        if (!reasons.some(failed)) throw error;
        return settle(reasons, error);
      }
    }
  };
  /** The sale's item, read after its condition failed (the returned old item, or a consistent read). */
  const saleItem = async (sale: IdempotencyKey, returned: Record<string, AttributeValue> | undefined) =>
    returned ?? (await client.send(new GetItemCommand({ TableName: tableName, Key: keyOf(sale), ConsistentRead: true }))).Item;

  return {
    async claim(record) {
      try {
        await client.send(new PutItemCommand({ TableName: tableName, Item: itemOf(record), ConditionExpression: 'attribute_not_exists(#key)', ExpressionAttributeNames: { '#key': 'key' } }));
        return { outcome: 'claimed' };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        return outcomeAgainst(record, await stored(record, undefined, error));
      }
    },
    find,
    async claimRefund(refund, sale, pence): Promise<RefundClaimOutcome> {
      // DynamoDB conditions cannot add: the total is fixed once claimed, so "refunded + pence ≤ total" is
      // "refunded ≤ total − pence" (negative for a refund above the total: then the condition fails as it should).
      const room = sale.totalPence - pence;
      const reserve: TransactWriteItem = {
        Update: {
          TableName: tableName,
          Key: keyOf(sale.key),
          UpdateExpression: 'SET refundedPence = if_not_exists(refundedPence, :zero) + :pence',
          ConditionExpression: 'attribute_exists(#key) AND attribute_not_exists(voidedBy) AND (attribute_not_exists(refundedPence) OR refundedPence <= :room)',
          ExpressionAttributeNames: { '#key': 'key' },
          ExpressionAttributeValues: { ':zero': { N: '0' }, ':pence': { N: String(pence) }, ':room': { N: String(room) } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      };
      return transact<RefundClaimOutcome>([putNew(refund), reserve], { outcome: 'claimed' }, async ([own, onSale], error) => {
        if (failed(own)) return outcomeAgainst(refund, await stored(refund, own?.Item, error));
        const item = await saleItem(sale.key, onSale?.Item);
        if (!item) return { outcome: 'sale_not_found' };
        if (item.voidedBy) return { outcome: 'sale_voided' };
        return { outcome: 'exceeds', remainingPence: Number(item.totalPence?.N ?? 0) - Number(item.refundedPence?.N ?? 0) };
      });
    },
    async claimVoid(voidRecord, sale): Promise<VoidClaimOutcome> {
      const mark: TransactWriteItem = {
        Update: {
          TableName: tableName,
          Key: keyOf(sale.key),
          UpdateExpression: 'SET voidedBy = :void',
          ConditionExpression: 'attribute_exists(#key) AND (attribute_not_exists(refundedPence) OR refundedPence = :zero)',
          ExpressionAttributeNames: { '#key': 'key' },
          ExpressionAttributeValues: { ':void': { S: voidRecord.eventId }, ':zero': { N: '0' } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      };
      return transact<VoidClaimOutcome>([putNew(voidRecord), mark], { outcome: 'claimed' }, async ([own, onSale], error) => {
        if (failed(own)) return { outcome: 'repeat', stored: await stored(voidRecord, own?.Item, error) };
        return (await saleItem(sale.key, onSale?.Item)) ? { outcome: 'sale_refunded' } : { outcome: 'sale_not_found' };
      });
    },
  };
}
