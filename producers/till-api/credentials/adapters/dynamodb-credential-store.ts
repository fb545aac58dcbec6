import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { CredentialStore, TillCredentialRecord, TillCredentialSummary } from '../credentials.js';

/**
 * Till credentials in DynamoDB (AWS): one item per till, partition key `tillId`,
 * string attributes `branch`, `label`?, `salt`, `secretHash`, `createdAt` and
 * `revokedAt`? (ISO instants). The API only reads (GetItem); issuing and revoking
 * are conditional writes, so a till id is never overwritten and a revoke happens once.
 */
export function createDynamoCredentialStore(options: { client: DynamoDBClient; tableName: string }): CredentialStore {
  const { client, tableName } = options;
  const text = (item: Record<string, AttributeValue>, name: string) => item[name]?.S;

  const summaryOf = (item: Record<string, AttributeValue>): TillCredentialSummary => {
    const revokedAt = text(item, 'revokedAt');
    return {
      tillId: text(item, 'tillId') ?? '',
      branch: text(item, 'branch') ?? '',
      label: text(item, 'label') ?? null,
      createdAt: new Date(text(item, 'createdAt') ?? 0),
      revokedAt: revokedAt ? new Date(revokedAt) : null,
    };
  };

  return {
    async find(tillId) {
      const { Item: item } = await client.send(new GetItemCommand({ TableName: tableName, Key: { tillId: { S: tillId } }, ConsistentRead: true }));
      if (!item) return undefined;
      const record: TillCredentialRecord = { ...summaryOf(item), salt: text(item, 'salt') ?? '', secretHash: text(item, 'secretHash') ?? '' };
      return record;
    },
    async insert(record) {
      const item: Record<string, AttributeValue> = {
        tillId: { S: record.tillId },
        branch: { S: record.branch },
        salt: { S: record.salt },
        secretHash: { S: record.secretHash },
        createdAt: { S: record.createdAt.toISOString() },
      };
      if (record.label) item.label = { S: record.label };
      if (record.revokedAt) item.revokedAt = { S: record.revokedAt.toISOString() };
      await client.send(new PutItemCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(tillId)' }));
    },
    async revoke(tillId, at) {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { tillId: { S: tillId } },
            UpdateExpression: 'SET revokedAt = :at',
            ConditionExpression: 'attribute_exists(tillId) AND attribute_not_exists(revokedAt)',
            ExpressionAttributeValues: { ':at': { S: at.toISOString() } },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
    async list() {
      const summaries: TillCredentialSummary[] = [];
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: tableName,
            // Never read salts or hashes just to list.
            ProjectionExpression: 'tillId, branch, #label, createdAt, revokedAt',
            ExpressionAttributeNames: { '#label': 'label' },
            ExclusiveStartKey: start,
          }),
        );
        summaries.push(...(page.Items ?? []).map(summaryOf));
        start = page.LastEvaluatedKey;
      } while (start);
      return summaries;
    },
  };
}
