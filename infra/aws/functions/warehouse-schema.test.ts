import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { WarehouseStatementError, applyWarehouseSchema } from './warehouse-schema.js';

const redshift = mockClient(RedshiftDataClient);
const target = { workgroupName: 'supercafe', database: 'supercafe', secretArn: 'arn:aws:secretsmanager:eu-west-2:111111111111:secret:admin' };
const noSleep = async () => undefined;

describe('Function: applyWarehouseSchema', () => {
  beforeEach(() => {
    redshift.reset();
  });

  it('creates the missing reader role, then runs the statements as one batch and waits for it', async () => {
    // Prepare
    redshift.on(ExecuteStatementCommand).resolves({ Id: 'count-roles' });
    redshift.on(GetStatementResultCommand).resolves({ Records: [[{ longValue: 0 }]] });
    redshift.on(BatchExecuteStatementCommand).resolves({ Id: 'schema' });
    redshift
      .on(DescribeStatementCommand, { Id: 'count-roles' })
      .resolves({ Status: 'FINISHED' })
      .on(DescribeStatementCommand, { Id: 'schema' })
      .resolvesOnce({ Status: 'STARTED' })
      .resolves({ Status: 'FINISHED' });

    // Act
    const outcome = await applyWarehouseSchema({
      client: new RedshiftDataClient({}),
      target,
      statements: ['CREATE TABLE IF NOT EXISTS sales (event_id VARCHAR(32));'],
      ensureRole: 'dashboard_reader',
      sleep: noSleep,
    });

    // Assess
    expect(outcome).toEqual({ statementId: 'schema', createdRole: true });
    const batch = redshift.commandCalls(BatchExecuteStatementCommand)[0]?.args[0].input;
    expect(batch).toMatchObject({ WorkgroupName: 'supercafe', Database: 'supercafe', SecretArn: target.secretArn });
    expect(batch?.Sqls).toEqual(['CREATE ROLE dashboard_reader;', 'CREATE TABLE IF NOT EXISTS sales (event_id VARCHAR(32));']);
    expect(redshift.commandCalls(DescribeStatementCommand, { Id: 'schema' })).toHaveLength(2);
  });

  it('leaves an existing role alone', async () => {
    // Prepare
    redshift.on(ExecuteStatementCommand).resolves({ Id: 'count-roles' });
    redshift.on(GetStatementResultCommand).resolves({ Records: [[{ longValue: 1 }]] });
    redshift.on(BatchExecuteStatementCommand).resolves({ Id: 'schema' });
    redshift.on(DescribeStatementCommand).resolves({ Status: 'FINISHED' });

    // Act
    const outcome = await applyWarehouseSchema({ client: new RedshiftDataClient({}), target, statements: ['GRANT x;'], ensureRole: 'dashboard_reader', sleep: noSleep });

    // Assess
    expect(outcome.createdRole).toBe(false);
    expect(redshift.commandCalls(BatchExecuteStatementCommand)[0]?.args[0].input.Sqls).toEqual(['GRANT x;']);
  });

  it("fails with Redshift's message when the batch fails", async () => {
    // Prepare
    redshift.on(BatchExecuteStatementCommand).resolves({ Id: 'schema' });
    redshift.on(DescribeStatementCommand).resolves({ Status: 'FAILED', Error: 'ERROR: permission denied for schema public' });

    // Act
    const outcome = applyWarehouseSchema({ client: new RedshiftDataClient({}), target, statements: ['CREATE TABLE t (a INT);'], sleep: noSleep });

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(WarehouseStatementError);
    await expect(outcome).rejects.toThrow(/FAILED: ERROR: permission denied/);
  });

  it('refuses a role name that would need quoting', async () => {
    // Act
    const outcome = applyWarehouseSchema({ client: new RedshiftDataClient({}), target, statements: [], ensureRole: 'x; DROP TABLE sales', sleep: noSleep });

    // Assess
    await expect(outcome).rejects.toThrow(/not a plain role name/);
    expect(redshift.calls()).toHaveLength(0);
  });
});
