import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeStatementCommand, ExecuteStatementCommand, GetStatementResultCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { reconcileDeployed } from './reconcile.js';

const cloudFormation = mockClient(CloudFormationClient);
const redshift = mockClient(RedshiftDataClient);
const clients = { cloudFormation: cloudFormation as unknown as CloudFormationClient, redshift: redshift as unknown as RedshiftDataClient };

const OUTPUTS = [
  { OutputKey: 'WorkgroupName', OutputValue: 'supercafe-0000' },
  { OutputKey: 'DatabaseName', OutputValue: 'supercafe' },
  { OutputKey: 'AdminSecretArn', OutputValue: 'arn:aws:secretsmanager:eu-west-2:111111111111:secret:admin' },
];

describe('CLI: supercafe reconcile --aws (the deployed warehouse)', () => {
  beforeEach(() => {
    cloudFormation.reset();
    redshift.reset();
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'SuperCafeData', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE', Outputs: OUTPUTS }] });
    redshift.on(ExecuteStatementCommand).resolves({ Id: 'q' });
    redshift.on(DescribeStatementCommand).resolves({ Status: 'FINISHED' });
    // Every query answers "nothing": an empty branch-day.
    redshift.on(GetStatementResultCommand).resolves({ ColumnMetadata: [], Records: [] });
  });

  it("finds the workgroup and database from the data stack's outputs and signs in as the caller", async () => {
    // Act
    const report = await reconcileDeployed(clients, { branch: 'Leeds', date: '2024-03-05', aws: true });

    // Assess
    expect(report.status).toBe('no_live_sales');
    expect(cloudFormation.commandCalls(DescribeStacksCommand)[0]?.args[0].input).toEqual({ StackName: 'SuperCafeData' });
    const calls = redshift.commandCalls(ExecuteStatementCommand).map((call) => call.args[0].input);
    expect(calls.length).toBeGreaterThan(0);
    for (const input of calls) expect(input).toMatchObject({ WorkgroupName: 'supercafe-0000', Database: 'supercafe', SecretArn: undefined });
  });

  it("signs in with the stack's admin secret with --admin, on the stack named", async () => {
    // Act
    await reconcileDeployed(clients, { branch: 'Leeds', date: '2024-03-05', aws: true, admin: true, stack: 'StagingData' });

    // Assess
    expect(cloudFormation.commandCalls(DescribeStacksCommand)[0]?.args[0].input).toEqual({ StackName: 'StagingData' });
    expect(redshift.commandCalls(ExecuteStatementCommand)[0]?.args[0].input.SecretArn).toBe('arn:aws:secretsmanager:eu-west-2:111111111111:secret:admin');
  });

  it('says which output is missing from a stack that is not the data stack', async () => {
    // Prepare
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'SuperCafePipeline', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE', Outputs: [] }] });

    // Act
    const act = reconcileDeployed(clients, { branch: 'Leeds', date: '2024-03-05', aws: true, stack: 'SuperCafePipeline' });

    // Assess
    await expect(act).rejects.toThrow('stack SuperCafePipeline has no output WorkgroupName, DatabaseName');
    expect(redshift.commandCalls(ExecuteStatementCommand)).toHaveLength(0);
  });

  it('says what to grant when the warehouse refuses the caller', async () => {
    // Prepare
    redshift.on(ExecuteStatementCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));

    // Act
    const act = reconcileDeployed(clients, { branch: 'Leeds', date: '2024-03-05', aws: true });

    // Assess
    await expect(act).rejects.toThrow(/reconciling on workgroup supercafe-0000: access denied \(User is not authorized\); tag your IAM role RedshiftDbRoles=dashboard_reader/);
  });
});
