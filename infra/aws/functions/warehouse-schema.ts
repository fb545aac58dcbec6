import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/**
 * The deploy-time step that gives the warehouse its tables: a CloudFormation custom
 * resource (behind the CDK Provider framework) that runs the schema SQL generated
 * from `contracts/` through the Redshift Data API and waits for it, so a failed
 * statement fails the deployment with Redshift's own message instead of leaving
 * Firehose to COPY into tables that do not exist.
 */

/** Where the statements run: the workgroup, database and admin secret. */
export interface WarehouseTarget {
  readonly workgroupName: string;
  readonly database: string;
  readonly secretArn: string;
}

export interface ApplySchemaOptions {
  readonly client: RedshiftDataClient;
  readonly target: WarehouseTarget;
  /** Idempotent statements (CREATE TABLE IF NOT EXISTS, GRANT), run as one transaction. */
  readonly statements: readonly string[];
  /** A database role to create first if it does not exist yet (Redshift has no CREATE ROLE IF NOT EXISTS). */
  readonly ensureRole?: string;
  readonly pollIntervalMs?: number;
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A statement the Data API reported as failed or aborted. */
export class WarehouseStatementError extends Error {
  constructor(
    readonly statementId: string,
    readonly status: string,
    detail: string,
  ) {
    super(`Redshift statement ${statementId} ${status}: ${detail}`);
    this.name = 'WarehouseStatementError';
  }
}

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,126}$/;

async function waitFor(options: ApplySchemaOptions, statementId: string): Promise<void> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  for (;;) {
    const described = await options.client.send(new DescribeStatementCommand({ Id: statementId }));
    const status = described.Status ?? 'UNKNOWN';
    if (status === 'FINISHED') return;
    if (status === 'FAILED' || status === 'ABORTED') throw new WarehouseStatementError(statementId, status, described.Error ?? 'no detail');
    if (Date.now() > deadline) throw new WarehouseStatementError(statementId, status, 'timed out waiting for the statement');
    await sleep(options.pollIntervalMs ?? 1_000);
  }
}

async function roleExists(options: ApplySchemaOptions, role: string): Promise<boolean> {
  const { client, target } = options;
  const started = await client.send(
    new ExecuteStatementCommand({
      WorkgroupName: target.workgroupName,
      Database: target.database,
      SecretArn: target.secretArn,
      Sql: 'SELECT COUNT(*) FROM svv_roles WHERE role_name = :role',
      Parameters: [{ name: 'role', value: role }],
    }),
  );
  const id = started.Id ?? '';
  await waitFor(options, id);
  const result = await client.send(new GetStatementResultCommand({ Id: id }));
  return (result.Records?.[0]?.[0]?.longValue ?? 0) > 0;
}

/** Runs the schema statements (creating the reader role first when missing) and waits for them. */
export async function applyWarehouseSchema(options: ApplySchemaOptions): Promise<{ statementId: string; createdRole: boolean }> {
  const { client, target, ensureRole } = options;
  if (ensureRole !== undefined && !ROLE_NAME.test(ensureRole)) throw new Error(`not a plain role name: ${ensureRole}`);
  const createRole = ensureRole !== undefined && !(await roleExists(options, ensureRole));
  const sqls = [...(createRole ? [`CREATE ROLE ${ensureRole};`] : []), ...options.statements];
  if (sqls.length === 0) return { statementId: '', createdRole: false };
  const started = await client.send(
    new BatchExecuteStatementCommand({
      WorkgroupName: target.workgroupName,
      Database: target.database,
      SecretArn: target.secretArn,
      Sqls: sqls,
      StatementName: 'supercafe-warehouse-schema',
    }),
  );
  const statementId = started.Id ?? '';
  await waitFor(options, statementId);
  return { statementId, createdRole: createRole };
}

/** The custom resource's properties, as CloudFormation passes them (strings and string lists). */
interface SchemaResourceProperties {
  readonly WorkgroupName: string;
  readonly Database: string;
  readonly SecretArn: string;
  readonly Statements: string[];
  readonly ReaderRole?: string;
}

const client = new RedshiftDataClient({});

/** Provider framework `onEvent` handler: Create and Update apply the schema; Delete keeps the data. */
export async function handler(event: CloudFormationCustomResourceEvent): Promise<{ PhysicalResourceId: string; Data?: Record<string, string> }> {
  const properties = event.ResourceProperties as unknown as SchemaResourceProperties;
  const physicalResourceId = `${properties.WorkgroupName}/${properties.Database}/schema`;
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const outcome = await applyWarehouseSchema({
    client,
    target: { workgroupName: properties.WorkgroupName, database: properties.Database, secretArn: properties.SecretArn },
    statements: properties.Statements,
    ensureRole: properties.ReaderRole,
  });
  console.log(JSON.stringify({ message: 'warehouse schema applied', statementId: outcome.statementId, createdRole: outcome.createdRole }));
  return { PhysicalResourceId: physicalResourceId, Data: { StatementId: outcome.statementId } };
}
