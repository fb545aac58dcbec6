import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand, TransactionCanceledException, TransactWriteItemsCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { IdempotencyKind, type IdempotencyRecord } from '../idempotency-store.js';
import { createDynamoIdempotencyStore } from './dynamodb-idempotency-store.js';

const dynamo = mockClient(DynamoDBClient);
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

const record: IdempotencyRecord = {
  key: { tillId: 'till_0123456789abcdef', kind: IdempotencyKind.Sale, id: 'T1-0001' },
  branch: 'Leeds',
  eventId: 'a'.repeat(32),
  fingerprint: 'f'.repeat(64),
  totalPence: 500,
  claimedAt: new Date('2024-03-05T09:00:00Z'),
};
const storedItem = (overrides: Record<string, { S: string } | { N: string }> = {}) => ({
  key: { S: 'till_0123456789abcdef|sale|T1-0001' },
  tillId: { S: record.key.tillId },
  kind: { S: 'sale' },
  id: { S: 'T1-0001' },
  branch: { S: 'Leeds' },
  eventId: { S: record.eventId },
  fingerprint: { S: record.fingerprint },
  totalPence: { N: '500' },
  refundedPence: { N: '0' },
  claimedAt: { S: '2024-03-05T09:00:00.000Z' },
  ...overrides,
});

describe('Adapter: createDynamoIdempotencyStore', () => {
  beforeEach(() => dynamo.reset());
  const store = () => createDynamoIdempotencyStore({ client: new DynamoDBClient({ region: 'eu-west-2' }), tableName: 'till-idempotency' });

  it('claims with a conditional put on the key', async () => {
    // Prepare
    dynamo.on(PutItemCommand).resolves({});
    // Act
    const outcome = await store().claim(record);
    // Assess
    expect(outcome).toEqual({ outcome: 'claimed' });
    const put = dynamo.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(put).toMatchObject({ TableName: 'till-idempotency', ConditionExpression: 'attribute_not_exists(#key)', ExpressionAttributeNames: { '#key': 'key' } });
    expect(put?.Item?.key).toEqual({ S: 'till_0123456789abcdef|sale|T1-0001' });
    expect(put?.Item?.totalPence).toEqual({ N: '500' });
  });

  it.each([
    ['the same fingerprint is a repeat', record.fingerprint, 'repeat'],
    ['another fingerprint is a conflict', 'e'.repeat(64), 'conflict'],
  ])('after losing the put, reads the winner consistently: %s', async (_, fingerprint, expected) => {
    // Prepare
    dynamo.on(PutItemCommand).rejects(conditionFailed());
    dynamo.on(GetItemCommand).resolves({ Item: storedItem({ fingerprint: { S: fingerprint } }) });
    // Act
    const outcome = await store().claim(record);
    // Assess
    expect(outcome).toMatchObject({ outcome: expected, stored: { eventId: record.eventId, branch: 'Leeds', totalPence: 500, key: record.key } });
    expect(dynamo.commandCalls(GetItemCommand)[0]?.args[0].input).toMatchObject({ ConsistentRead: true, Key: { key: { S: 'till_0123456789abcdef|sale|T1-0001' } } });
  });

  it('passes on errors other than a failed condition', async () => {
    dynamo.on(PutItemCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    await expect(store().claim(record)).rejects.toThrow('ProvisionedThroughputExceeded');
  });

  const refund: IdempotencyRecord = { ...record, key: { tillId: 'till_fedcba9876543210', kind: IdempotencyKind.Refund, id: 'R-1' }, eventId: 'b'.repeat(32), fingerprint: 'r'.repeat(64), totalPence: 0 };
  const voidRecord: IdempotencyRecord = { ...record, key: { tillId: record.key.tillId, kind: IdempotencyKind.Void, id: record.eventId }, eventId: 'd'.repeat(32), fingerprint: 'v'.repeat(64), totalPence: 0 };
  const cancelled = (...reasons: { Code: string; Item?: Record<string, { S: string } | { N: string }> }[]) =>
    new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: reasons });
  const none = { Code: 'None' };
  const checkFailed = (Item?: Record<string, { S: string } | { N: string }>) => ({ Code: 'ConditionalCheckFailed', ...(Item ? { Item } : {}) });

  it('claims a refund and reserves its amount in one transaction', async () => {
    // Prepare
    dynamo.on(TransactWriteItemsCommand).resolves({});
    // Act
    const outcome = await store().claimRefund(refund, record, 150);
    // Assess
    expect(outcome).toEqual({ outcome: 'claimed' });
    const [put, update] = dynamo.commandCalls(TransactWriteItemsCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(put?.Put).toMatchObject({ TableName: 'till-idempotency', ConditionExpression: 'attribute_not_exists(#key)', Item: { key: { S: 'till_fedcba9876543210|refund|R-1' } } });
    expect(update?.Update).toMatchObject({
      Key: { key: { S: 'till_0123456789abcdef|sale|T1-0001' } },
      UpdateExpression: 'SET refundedPence = if_not_exists(refundedPence, :zero) + :pence',
      ConditionExpression: 'attribute_exists(#key) AND attribute_not_exists(voidedBy) AND (attribute_not_exists(refundedPence) OR refundedPence <= :room)',
      ExpressionAttributeValues: { ':zero': { N: '0' }, ':pence': { N: '150' }, ':room': { N: '350' } },
    });
    expect(dynamo.commandCalls(UpdateItemCommand)).toHaveLength(0);
  });

  it.each([
    ['its key is taken with the same content: a repeat', [checkFailed(storedItem({ key: { S: 'till_fedcba9876543210|refund|R-1' }, fingerprint: { S: 'r'.repeat(64) }, eventId: { S: 'b'.repeat(32) } })), none], { outcome: 'repeat', stored: { eventId: 'b'.repeat(32) } }],
    ['its key is taken with other content: a conflict', [checkFailed(storedItem({ fingerprint: { S: 'x'.repeat(64) }, eventId: { S: 'c'.repeat(32) } })), checkFailed(storedItem())], { outcome: 'conflict', stored: { eventId: 'c'.repeat(32) } }],
    ['the sale was voided', [none, checkFailed(storedItem({ voidedBy: { S: 'd'.repeat(32) } }))], { outcome: 'sale_voided' }],
    ['it would exceed the sale', [none, checkFailed(storedItem({ refundedPence: { N: '400' } }))], { outcome: 'exceeds', remainingPence: 100 }],
  ] as const)('reads a cancelled refund transaction: %s', async (_, reasons, expected) => {
    // Prepare
    dynamo.on(TransactWriteItemsCommand).rejects(cancelled(...reasons));
    // Act
    const outcome = await store().claimRefund(refund, record, 150);
    // Assess
    expect(outcome).toMatchObject(expected);
    expect(dynamo.commandCalls(GetItemCommand)).toHaveLength(0);
  });

  it('reads the sale when a cancellation returns no item: gone is not found', async () => {
    dynamo.on(TransactWriteItemsCommand).rejects(cancelled(none, checkFailed()));
    dynamo.on(GetItemCommand).resolves({});
    expect(await store().claimRefund(refund, record, 150)).toEqual({ outcome: 'sale_not_found' });
    expect(dynamo.commandCalls(GetItemCommand)[0]?.args[0].input).toMatchObject({ ConsistentRead: true, Key: { key: { S: 'till_0123456789abcdef|sale|T1-0001' } } });
  });

  it('lets a refund above the whole sale fail its condition rather than check beforehand', async () => {
    dynamo.on(TransactWriteItemsCommand).rejects(cancelled(none, checkFailed(storedItem())));
    expect(await store().claimRefund(refund, record, 501)).toEqual({ outcome: 'exceeds', remainingPence: 500 });
    expect(dynamo.commandCalls(TransactWriteItemsCommand)[0]?.args[0].input.TransactItems?.[1]?.Update?.ExpressionAttributeValues?.[':room']).toEqual({ N: '-1' });
  });

  it('tries a transaction that lost a race again, and passes on other failures', async () => {
    // Prepare
    dynamo.on(TransactWriteItemsCommand).rejectsOnce(cancelled(none, { Code: 'TransactionConflict' })).resolves({});
    // Act, Assess
    expect(await store().claimRefund(refund, record, 150)).toEqual({ outcome: 'claimed' });
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(2);
    dynamo.reset();
    dynamo.on(TransactWriteItemsCommand).rejects(cancelled(none, { Code: 'ValidationError' }));
    await expect(store().claimRefund(refund, record, 150)).rejects.toThrow(TransactionCanceledException);
  });

  it('voids a sale in one transaction: its key, and the mark on the sale on condition nothing was refunded', async () => {
    // Prepare
    dynamo.on(TransactWriteItemsCommand).resolves({});
    // Act
    const outcome = await store().claimVoid(voidRecord, record);
    // Assess
    expect(outcome).toEqual({ outcome: 'claimed' });
    const [put, update] = dynamo.commandCalls(TransactWriteItemsCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(put?.Put?.Item?.key).toEqual({ S: `till_0123456789abcdef|void|${record.eventId}` });
    expect(update?.Update).toMatchObject({
      Key: { key: { S: 'till_0123456789abcdef|sale|T1-0001' } },
      UpdateExpression: 'SET voidedBy = :void',
      ConditionExpression: 'attribute_exists(#key) AND (attribute_not_exists(refundedPence) OR refundedPence = :zero)',
      ExpressionAttributeValues: { ':void': { S: 'd'.repeat(32) }, ':zero': { N: '0' } },
    });
  });

  it.each([
    ['voided before: a repeat', [checkFailed(storedItem({ eventId: { S: 'd'.repeat(32) } })), none], { outcome: 'repeat', stored: { eventId: 'd'.repeat(32) } }],
    ['refunded', [none, checkFailed(storedItem({ refundedPence: { N: '100' } }))], { outcome: 'sale_refunded' }],
  ] as const)('reads a cancelled void transaction: %s', async (_, reasons, expected) => {
    dynamo.on(TransactWriteItemsCommand).rejects(cancelled(...reasons));
    expect(await store().claimVoid(voidRecord, record)).toMatchObject(expected);
  });
});
