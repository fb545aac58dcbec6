import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { MigrationMismatchError } from '../../../contracts/index.js';
import { WarehouseStatementError, applyWarehouseSchema, type ApplySchemaOptions } from './warehouse-schema.js';

const redshift = mockClient(RedshiftDataClient);
const target = { workgroupName: 'supercafe-0000', database: 'supercafe', secretArn: 'arn:aws:secretsmanager:eu-west-2:111111111111:secret:admin' };
const noSleep = async () => undefined;

const migrations = [
  { version: 1, fingerprint: 'aaaaaaaa', statements: ['CREATE TABLE IF NOT EXISTS sales (event_id VARCHAR(32));', 'INSERT INTO schema_migrations VALUES (1);'] },
  { version: 2, fingerprint: 'bbbbbbbb', statements: ['ALTER TABLE sales ADD COLUMN channel VARCHAR(16);', 'INSERT INTO schema_migrations VALUES (2);'] },
];

function options(overrides: Partial<ApplySchemaOptions> = {}): ApplySchemaOptions {
  return {
    client: new RedshiftDataClient({}),
    target,
    bookkeeping: ['CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER);'],
    migrations,
    roles: ['dashboard_reader', 'warehouse_loader'],
    grants: ['GRANT SELECT ON TABLE sales TO ROLE dashboard_reader;'],
    sleep: noSleep,
    ...overrides,
  };
}

/** The warehouse as the Data API reports it: applied versions and existing roles. */
function warehouseHas(applied: [number, string][], roles: string[]) {
  redshift.on(ExecuteStatementCommand).callsFake((input: { Sql: string }) => ({ Id: input.Sql.includes('svv_roles') ? 'roles' : 'versions' }));
  redshift
    .on(GetStatementResultCommand, { Id: 'versions' })
    .resolves({ Records: applied.map(([version, fingerprint]) => [{ longValue: version }, { stringValue: fingerprint }]) })
    .on(GetStatementResultCommand, { Id: 'roles' })
    .resolves({ Records: roles.map((role) => [{ stringValue: role }]) });
  let batch = 0;
  redshift.on(BatchExecuteStatementCommand).callsFake(() => ({ Id: `batch-${++batch}` }));
  redshift.on(DescribeStatementCommand).resolves({ Status: 'FINISHED' });
}

const batches = () => redshift.commandCalls(BatchExecuteStatementCommand).map((call) => call.args[0].input.Sqls);

describe('Function: applyWarehouseSchema', () => {
  beforeEach(() => {
    redshift.reset();
  });

  it('on a new warehouse: bookkeeping, every migration in its own transaction, the missing roles, then the grants', async () => {
    // Prepare
    warehouseHas([], []);

    // Act
    const outcome = await applyWarehouseSchema(options());

    // Assess
    expect(outcome).toEqual({ applied: [1, 2], createdRoles: ['dashboard_reader', 'warehouse_loader'], schemaVersion: 2 });
    expect(batches()).toEqual([
      ['CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER);'],
      migrations[0]?.statements,
      migrations[1]?.statements,
      ['CREATE ROLE dashboard_reader;', 'CREATE ROLE warehouse_loader;'],
      ['GRANT SELECT ON TABLE sales TO ROLE dashboard_reader;'],
    ]);
    // Signed in as the admin, through its secret: the only step that is.
    expect(redshift.commandCalls(BatchExecuteStatementCommand)[1]?.args[0].input).toMatchObject({ SecretArn: target.secretArn, WorkgroupName: target.workgroupName, StatementName: 'supercafe-migration-1', WithEvent: true });
  });

  it('on a warehouse at version 1: applies only version 2, and re-applies the grants', async () => {
    // Prepare
    warehouseHas([[1, 'aaaaaaaa']], ['dashboard_reader', 'warehouse_loader']);

    // Act
    const outcome = await applyWarehouseSchema(options());

    // Assess
    expect(outcome).toEqual({ applied: [2], createdRoles: [], schemaVersion: 2 });
    expect(batches()).toEqual([expect.any(Array), migrations[1]?.statements, ['GRANT SELECT ON TABLE sales TO ROLE dashboard_reader;']]);
  });

  it('refuses, before any change, a warehouse whose applied migration was since edited', async () => {
    // Prepare
    warehouseHas([[1, 'deadbeef']], []);

    // Act
    const outcome = applyWarehouseSchema(options());

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(MigrationMismatchError);
    await expect(outcome).rejects.toThrow(/schema migration 1: changed since it was applied/);
    expect(batches()).toHaveLength(1);
  });

  it('refuses a warehouse newer than the code (forward-only: no rollback of the schema)', async () => {
    // Prepare
    warehouseHas([[1, 'aaaaaaaa'], [2, 'bbbbbbbb'], [3, 'cccccccc']], []);

    // Act
    const outcome = applyWarehouseSchema(options());

    // Assess
    await expect(outcome).rejects.toThrow(/schema migration 3: applied to the warehouse but unknown to this code/);
  });

  it("fails with Redshift's message when a migration fails", async () => {
    // Prepare
    warehouseHas([], []);
    redshift.on(DescribeStatementCommand, { Id: 'batch-2' }).resolves({ Status: 'FAILED', Error: 'ERROR: permission denied for schema public' });

    // Act
    const outcome = applyWarehouseSchema(options());

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(WarehouseStatementError);
    await expect(outcome).rejects.toThrow(/FAILED: ERROR: permission denied/);
    expect(batches()).toHaveLength(2);
  });

  it('refuses a role name that would need quoting', async () => {
    // Act
    const outcome = applyWarehouseSchema(options({ roles: ['x; DROP TABLE sales'] }));

    // Assess
    await expect(outcome).rejects.toThrow(/not a plain role name/);
    expect(redshift.calls()).toHaveLength(0);
  });
});
