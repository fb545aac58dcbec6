import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { keyText, outcomeAgainst, type IdempotencyKey, type IdempotencyKind, type IdempotencyRecord, type IdempotencyStore } from '../idempotency-store.js';

/** Refunds of one sale racing each other: how many read-then-update rounds before giving up. */
const MAX_REFUND_ATTEMPTS = 5;

/**
 * The till API's idempotency keys in DynamoDB (AWS): one item per key, partition
 * key `key` (`<tillId>|<kind>|<id>`), string attributes `branch`, `eventId`,
 * `fingerprint`, `claimedAt`, numbers `totalPence` and `refundedPence`. A claim is a
 * conditional PutItem (`attribute_not_exists(#key)`), so of concurrent posts with one
 * key exactly one wins; the losers read the winner (strongly consistent) to tell a
 * repeat from a conflict.
 */
export function createDynamoIdempotencyStore(options: { client: DynamoDBClient; tableName: string }): IdempotencyStore {
  const { client, tableName } = options;
  const keyOf = (key: IdempotencyKey): Record<string, AttributeValue> => ({ key: { S: keyText(key) } });

  const find = async (key: IdempotencyKey): Promise<IdempotencyRecord | undefined> => {
    const { Item: item } = await client.send(new GetItemCommand({ TableName: tableName, Key: keyOf(key), ConsistentRead: true }));
    if (!item) return undefined;
    return {
      key: { tillId: item.tillId?.S ?? key.tillId, kind: (item.kind?.S ?? key.kind) as IdempotencyKind, id: item.id?.S ?? key.id },
      branch: item.branch?.S ?? '',
      eventId: item.eventId?.S ?? '',
      fingerprint: item.fingerprint?.S ?? '',
      totalPence: Number(item.totalPence?.N ?? 0),
      claimedAt: new Date(item.claimedAt?.S ?? 0),
    };
  };

  return {
    async claim(record) {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
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
            },
            ConditionExpression: 'attribute_not_exists(#key)',
            ExpressionAttributeNames: { '#key': 'key' },
          }),
        );
        return { outcome: 'claimed' };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const stored = await find(record.key);
        if (!stored) throw new Error(`idempotency key vanished: ${record.key.kind} of ${record.key.tillId}`, { cause: error });
        return outcomeAgainst(record, stored);
      }
    },
    find,
    async reserveRefund(sale, pence) {
      // DynamoDB conditions cannot add, so: read, then set the new sum on condition that nothing moved meanwhile.
      for (let attempt = 0; attempt < MAX_REFUND_ATTEMPTS; attempt++) {
        const { Item: item } = await client.send(new GetItemCommand({ TableName: tableName, Key: keyOf(sale), ConsistentRead: true }));
        if (!item) return false;
        const refunded = item.refundedPence?.N ?? '0';
        const next = Number(refunded) + pence;
        if (next > Number(item.totalPence?.N ?? 0)) return false;
        try {
          await client.send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: keyOf(sale),
              UpdateExpression: 'SET refundedPence = :next',
              ConditionExpression: 'refundedPence = :refunded AND :next <= totalPence',
              ExpressionAttributeValues: { ':next': { N: String(next) }, ':refunded': { N: refunded } },
            }),
          );
          return true;
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }
      throw new Error(`refund of ${sale.tillId}'s sale kept racing other refunds; retry`);
    },
  };
}
