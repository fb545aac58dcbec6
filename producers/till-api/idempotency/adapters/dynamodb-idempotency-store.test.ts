import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
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

  it('reserves a refund by setting the new sum on condition nothing moved, retrying a lost race', async () => {
    // Prepare: another refund lands between the first read and write
    dynamo
      .on(GetItemCommand)
      .resolvesOnce({ Item: storedItem({ refundedPence: { N: '100' } }) })
      .resolvesOnce({ Item: storedItem({ refundedPence: { N: '200' } }) });
    dynamo.on(UpdateItemCommand).rejectsOnce(conditionFailed()).resolves({});
    // Act
    const reserved = await store().reserveRefund(record.key, 250);
    // Assess
    expect(reserved).toBe(true);
    const updates = dynamo.commandCalls(UpdateItemCommand).map((call) => call.args[0].input);
    expect(updates.map((input) => input.ExpressionAttributeValues)).toEqual([
      { ':next': { N: '350' }, ':refunded': { N: '100' } },
      { ':next': { N: '450' }, ':refunded': { N: '200' } },
    ]);
    expect(updates[0]?.ConditionExpression).toBe('refundedPence = :refunded AND :next <= totalPence');
  });

  it('refuses a refund beyond the sale total without writing', async () => {
    dynamo.on(GetItemCommand).resolves({ Item: storedItem({ refundedPence: { N: '400' } }) });
    expect(await store().reserveRefund(record.key, 101)).toBe(false);
    expect(dynamo.commandCalls(UpdateItemCommand)).toHaveLength(0);
  });
});
