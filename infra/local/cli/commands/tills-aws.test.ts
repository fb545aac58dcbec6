import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cliContext } from '../context.js';
import { ExitStatus } from '../exit-status.js';
import { issueTill, listTills, revokeTill } from './tills.js';

const cloudFormation = mockClient(CloudFormationClient);
const dynamo = mockClient(DynamoDBClient);
const TABLE = 'SuperCafeData-TillCredentialsTable1A2B3C-XYZ';

/** The data stack as CloudFormation describes it once deployed. */
function deployedDataStack(outputs: Record<string, string> = { TillCredentialsTable: TABLE }): void {
  cloudFormation.on(DescribeStacksCommand, { StackName: 'SuperCafeData' }).resolves({
    Stacks: [{ StackName: 'SuperCafeData', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE', Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })) }],
  });
}

describe('CLI: supercafe tills issue|list|revoke --aws (the deployed DynamoDB store)', () => {
  const context = cliContext({ dataDir: '/nonexistent/supercafe-test' });
  const aws = { aws: true, stack: 'SuperCafeData', region: 'eu-west-2' } as const;
  let printed: string[];

  beforeEach(() => {
    cloudFormation.reset();
    dynamo.reset();
    printed = [];
    vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void printed.push(parts.join(' ')));
    vi.spyOn(console, 'table').mockImplementation((rows: unknown) => void printed.push(JSON.stringify(rows)));
  });
  afterEach(() => vi.restoreAllMocks());

  it('issues into the table named by the data stack’s outputs, printing the token once and storing only its hash', async () => {
    // Prepare
    deployedDataStack();
    dynamo.on(PutItemCommand).resolves({});
    // Act
    const status = await issueTill(context, { branch: 'Leeds', label: 'counter', ...aws });
    // Assess
    expect(status).toBe(ExitStatus.Ok);
    const put = dynamo.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(put?.TableName).toBe(TABLE);
    expect(put?.ConditionExpression).toBe('attribute_not_exists(tillId)');
    expect(put?.Item?.branch).toEqual({ S: 'Leeds' });
    const token = /token \(shown once\): (\S+)/.exec(printed.join('\n'))?.[1] ?? '';
    const secret = token.split('.')[1] ?? '';
    expect(secret.length).toBeGreaterThan(16);
    expect(JSON.stringify(put)).not.toContain(secret);
    expect(printed.join('\n')).toContain(`DynamoDB table ${TABLE}, eu-west-2`);
    expect(printed.join('\n').split(secret)).toHaveLength(2);
  });

  it('takes --table outright without reading the stack', async () => {
    // Prepare
    dynamo.on(PutItemCommand).resolves({});
    // Act
    await issueTill(context, { branch: 'York', table: 'my-tills', region: 'eu-west-2' });
    // Assess
    expect(cloudFormation.commandCalls(DescribeStacksCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(PutItemCommand)[0]?.args[0].input.TableName).toBe('my-tills');
  });

  it('lists every credential of the table without asking for salts or hashes', async () => {
    // Prepare
    deployedDataStack();
    dynamo.on(ScanCommand).resolves({ Items: [{ tillId: { S: 'till_0123456789abcdef' }, branch: { S: 'Leeds' }, createdAt: { S: '2024-03-01T08:00:00.000Z' } }] });
    // Act
    await listTills(context, aws);
    // Assess
    const scan = dynamo.commandCalls(ScanCommand)[0]?.args[0].input;
    expect(scan?.TableName).toBe(TABLE);
    expect(scan?.ProjectionExpression).not.toMatch(/salt|secretHash/);
    expect(printed.join('\n')).toContain('till_0123456789abcdef');
  });

  it('revokes once, and says so when the till is not active', async () => {
    // Prepare
    deployedDataStack();
    dynamo.on(UpdateItemCommand).resolvesOnce({}).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    // Act
    const first = await revokeTill(context, 'till_0123456789abcdef', aws);
    const second = revokeTill(context, 'till_0123456789abcdef', aws);
    // Assess
    expect(first).toBe(ExitStatus.Ok);
    expect(dynamo.commandCalls(UpdateItemCommand)[0]?.args[0].input).toMatchObject({ TableName: TABLE, Key: { tillId: { S: 'till_0123456789abcdef' } } });
    await expect(second).rejects.toThrow(`no active till till_0123456789abcdef in DynamoDB table ${TABLE}, eu-west-2 (supercafe tills list --aws shows them)`);
  });

  it('fails naming the stack when it has no till table output (not the data stack, or not deployed)', async () => {
    // Prepare
    deployedDataStack({ StreamName: 'x' });
    // Act / Assess
    await expect(listTills(context, aws)).rejects.toThrow(/stack SuperCafeData has no output TillCredentialsTable/);
  });

  it('turns a refused call into a one-line hint at the operator policy', async () => {
    // Prepare
    deployedDataStack();
    dynamo.on(ScanCommand).rejects(Object.assign(new Error('User is not authorized to perform: dynamodb:Scan'), { name: 'AccessDeniedException' }));
    // Act / Assess
    await expect(listTills(context, aws)).rejects.toThrow(/listing DynamoDB table .* access denied .*TillOperatorPolicyArn/);
  });

  it('asks for a Region when none is given or set', async () => {
    // Prepare
    vi.stubEnv('AWS_REGION', '');
    vi.stubEnv('AWS_DEFAULT_REGION', '');
    // Act / Assess
    await expect(listTills(context, { aws: true })).rejects.toThrow(/pass --region/);
    vi.unstubAllEnvs();
  });
});
