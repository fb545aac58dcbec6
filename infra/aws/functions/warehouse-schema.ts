import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { MIGRATIONS_TABLE, planMigrations } from '../../../contracts/warehouse-migrations.js';
import { query, runTransaction, type DataApiTarget, type WaitOptions } from '../../../common/redshift-data/data-api.js';

export { WarehouseStatementError } from '../../../common/redshift-data/data-api.js';

/**
 * The deploy-time step that gives the warehouse its schema: a CloudFormation
 * custom resource (behind the CDK Provider framework) that, as the namespace
 * admin and through the Redshift Data API, creates the bookkeeping tables, applies
 * the forward-only migrations the warehouse has not had yet (each in its own
 * transaction with its record in `schema_migrations`), creates the database roles
 * that are missing and re-applies their grants. It runs before the loaders exist
 * or change, so no COPY ever meets a table without its new column; a failed
 * statement fails the deployment with Redshift's own message.
 */

/** One migration as the template carries it: rendered statements and the fingerprint the warehouse records. */
export interface RenderedMigration {
  readonly version: number;
  readonly fingerprint: string;
  readonly statements: readonly string[];
}

export interface ApplySchemaOptions extends WaitOptions {
  readonly client: RedshiftDataClient;
  readonly target: DataApiTarget;
  /** Idempotent statements run first (CREATE TABLE IF NOT EXISTS of the bookkeeping tables). */
  readonly bookkeeping: readonly string[];
  readonly migrations: readonly RenderedMigration[];
  /** Database roles to create when missing (Redshift has no CREATE ROLE IF NOT EXISTS). */
  readonly roles: readonly string[];
  /** Idempotent GRANT/REVOKE statements, run last as one transaction. */
  readonly grants: readonly string[];
}

export interface SchemaOutcome {
  readonly applied: number[];
  readonly createdRoles: string[];
  readonly schemaVersion: number;
}

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,126}$/;

async function missingRoles(options: ApplySchemaOptions): Promise<string[]> {
  if (options.roles.length === 0) return [];
  const rows = await query(options.client, options.target, 'SELECT role_name FROM svv_roles', options);
  const existing = new Set(rows.map(([name]) => String(name)));
  return options.roles.filter((role) => !existing.has(role));
}

/** Brings the warehouse to the code's schema version, then its roles and grants. */
export async function applyWarehouseSchema(options: ApplySchemaOptions): Promise<SchemaOutcome> {
  const { client, target } = options;
  const badRole = options.roles.find((role) => !ROLE_NAME.test(role));
  if (badRole !== undefined) throw new Error(`not a plain role name: ${badRole}`);

  await runTransaction(client, target, options.bookkeeping, { ...options, statementName: 'supercafe-schema-bookkeeping' });
  const rows = await query(client, target, `SELECT version, fingerprint FROM ${MIGRATIONS_TABLE} ORDER BY version`, options);
  const applied = rows.map(([version, fingerprint]) => ({ version: Number(version), fingerprint: String(fingerprint) }));
  // Throws MigrationMismatchError, before any change, when the warehouse and the code disagree.
  const pending = planMigrations(applied, options.migrations);
  for (const migration of pending) {
    await runTransaction(client, target, migration.statements, { ...options, statementName: `supercafe-migration-${migration.version}`, withEvent: true });
  }

  const createdRoles = await missingRoles(options);
  await runTransaction(client, target, createdRoles.map((role) => `CREATE ROLE ${role};`), { ...options, statementName: 'supercafe-schema-roles' });
  await runTransaction(client, target, options.grants, { ...options, statementName: 'supercafe-schema-grants' });

  const versions = [...applied.map((record) => record.version), ...pending.map((migration) => migration.version)];
  return { applied: pending.map((migration) => migration.version), createdRoles, schemaVersion: Math.max(0, ...versions) };
}

/** The custom resource's properties, as CloudFormation passes them (strings and lists of strings). */
export interface SchemaResourceProperties {
  readonly WorkgroupName: string;
  readonly Database: string;
  readonly SecretArn: string;
  readonly Bookkeeping: string[];
  readonly Migrations: { readonly Version: string; readonly Fingerprint: string; readonly Statements: string[] }[];
  readonly Roles: string[];
  readonly Grants: string[];
}

const client = new RedshiftDataClient({});

/** Provider framework `onEvent` handler: Create and Update migrate; Delete keeps the data. */
export async function handler(event: CloudFormationCustomResourceEvent): Promise<{ PhysicalResourceId: string; Data?: Record<string, string> }> {
  const properties = event.ResourceProperties as unknown as SchemaResourceProperties;
  const physicalResourceId = `${properties.WorkgroupName}/${properties.Database}/schema`;
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const outcome = await applyWarehouseSchema({
    client,
    target: { workgroupName: properties.WorkgroupName, database: properties.Database, secretArn: properties.SecretArn },
    bookkeeping: properties.Bookkeeping,
    // CloudFormation passes every scalar as a string.
    migrations: properties.Migrations.map((migration) => ({ version: Number(migration.Version), fingerprint: migration.Fingerprint, statements: migration.Statements })),
    roles: properties.Roles,
    grants: properties.Grants,
  });
  console.log(JSON.stringify({ message: 'warehouse schema applied', ...outcome }));
  return { PhysicalResourceId: physicalResourceId, Data: { SchemaVersion: String(outcome.schemaVersion) } };
}
