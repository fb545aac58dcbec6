import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { authenticateTill, issueTillCredential } from '../credentials.js';
import { createDynamoCredentialStore } from './dynamodb-credential-store.js';

const dynamo = mockClient(DynamoDBClient);

describe('Adapter: createDynamoCredentialStore', () => {
  beforeEach(() => dynamo.reset());
  const store = () => createDynamoCredentialStore({ client: new DynamoDBClient({ region: 'eu-west-2' }), tableName: 'till-credentials' });

  it('writes a new credential only if its id is free, and reads it back to authenticate', async () => {
    // Prepare: the table echoes what was put
    let stored: Record<string, unknown> | undefined;
    dynamo.on(PutItemCommand).callsFake((input: { Item: Record<string, unknown> }) => {
      stored = input.Item;
      return {};
    });
    dynamo.on(GetItemCommand).callsFake(() => ({ Item: stored }));
    // Act
    const issued = await issueTillCredential(store(), { branch: 'Leeds', label: 'counter' });
    const outcome = await authenticateTill(store(), `Bearer ${issued.token}`);
    // Assess
    const put = dynamo.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(put?.ConditionExpression).toBe('attribute_not_exists(tillId)');
    expect(JSON.stringify(put)).not.toContain(issued.token.split('.')[1]);
    expect(outcome).toEqual({ ok: true, tillId: issued.tillId, branch: 'Leeds' });
  });

  it('revokes once', async () => {
    dynamo.on(UpdateItemCommand).resolvesOnce({}).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));
    expect(await store().revoke('till_0123456789abcdef', new Date())).toBe(true);
    expect(await store().revoke('till_0123456789abcdef', new Date())).toBe(false);
  });

  it('lists every page without reading salts or hashes', async () => {
    dynamo
      .on(ScanCommand)
      .resolvesOnce({ Items: [{ tillId: { S: 'till_a' }, branch: { S: 'Leeds' }, createdAt: { S: '2021-09-10T08:00:00.000Z' } }], LastEvaluatedKey: { tillId: { S: 'till_a' } } })
      .resolvesOnce({ Items: [{ tillId: { S: 'till_b' }, branch: { S: 'Leeds' }, createdAt: { S: '2021-09-10T09:00:00.000Z' }, revokedAt: { S: '2021-09-11T09:00:00.000Z' } }] });
    const listed = await store().list();
    expect(listed.map((summary) => [summary.tillId, summary.revokedAt?.toISOString() ?? null])).toEqual([
      ['till_a', null],
      ['till_b', '2021-09-11T09:00:00.000Z'],
    ]);
    expect(dynamo.commandCalls(ScanCommand)[0]?.args[0].input.ProjectionExpression).not.toMatch(/salt|secretHash/);
  });
});
