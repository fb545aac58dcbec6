import { CustomResource, Duration } from 'aws-cdk-lib';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { warehouseMigrations, type WarehouseMigration } from '../../../contracts/index.js';
import { allowSecretRead } from '../access.js';
import { acknowledge } from '../nag.js';
import { BATCH_STATEMENT_LIMIT, bookkeepingStatements, redshiftMigrationStatements } from '../warehouse/warehouse-sql.js';
import { customResourceProvider } from './custom-resource-provider.js';
import { PipelineFunction, repoPath } from './pipeline-function.js';
import type { WarehouseGrants } from './warehouse-grants.js';

export interface WarehouseSchemaProps {
  readonly workgroupName: string;
  readonly workgroupArn: string;
  readonly databaseName: string;
  /** The namespace admin secret: the schema step is its only reader at run time. */
  readonly adminSecret: ISecret;
  /** The admin secret's key (the warehouse key). */
  readonly adminSecretKey: IKey;
  /** Database roles and their grants, applied after the migrations. */
  readonly grants: WarehouseGrants;
  /** The migrations to apply; derived from `contracts/warehouse-tables.ts` when omitted. */
  readonly migrations?: readonly WarehouseMigration[];
}

/**
 * The schema step (`Custom::WarehouseSchema`): at deploy time, before any loader
 * or consumer that could write a new column is updated, it applies the forward-only
 * migrations derived from `contracts/` and records them in `schema_migrations`,
 * then the database roles and grants. The template carries every statement, so
 * a change in `contracts/` shows in the diff and triggers the step. Anything that
 * must not run before the schema calls `runsAfter`.
 */
export class WarehouseSchema extends Construct {
  readonly resource: CustomResource;
  readonly function: PipelineFunction;
  readonly migrations: readonly WarehouseMigration[];

  constructor(scope: Construct, id: string, props: WarehouseSchemaProps) {
    super(scope, id);
    this.migrations = props.migrations ?? warehouseMigrations();
    const rendered = this.migrations.map((migration) => ({
      Version: String(migration.version),
      Fingerprint: migration.fingerprint,
      Statements: redshiftMigrationStatements(migration),
    }));
    const tooLong = rendered.find((migration) => migration.Statements.length > BATCH_STATEMENT_LIMIT);
    if (tooLong) throw new Error(`${id}: migration ${tooLong.Version} has ${tooLong.Statements.length} statements; the Data API runs at most ${BATCH_STATEMENT_LIMIT} in one transaction`);

    this.function = new PipelineFunction(this, 'SchemaFunction', {
      entry: repoPath('infra/aws/functions/warehouse-schema.ts'),
      serviceName: 'warehouse-schema',
      description: 'Super Café: apply the warehouse migrations derived from contracts/ (deploy-time custom resource)',
      timeout: Duration.minutes(10),
    });
    const fn = this.function.function;
    allowSecretRead(fn, props.adminSecret, props.adminSecretKey);
    const dataApi = new Policy(this, 'DataApiPolicy', {
      roles: [fn.role!],
      statements: [
        new PolicyStatement({ sid: 'RunSchemaSql', actions: ['redshift-data:ExecuteStatement', 'redshift-data:BatchExecuteStatement'], resources: [props.workgroupArn] }),
        new PolicyStatement({ sid: 'FollowOwnStatements', actions: ['redshift-data:DescribeStatement', 'redshift-data:GetStatementResult'], resources: ['*'] }),
      ],
    });
    acknowledge(dataApi, {
      id: 'AwsSolutions-IAM5',
      finding: 'Resource::*',
      reason: 'DescribeStatement and GetStatementResult take a statement id, not an ARN; the Data API only lets a caller read its own statements.',
    });

    const provider = customResourceProvider(this, fn);

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::WarehouseSchema',
      properties: {
        WorkgroupName: props.workgroupName,
        Database: props.databaseName,
        SecretArn: props.adminSecret.secretArn,
        Bookkeeping: bookkeepingStatements(),
        Migrations: rendered,
        Roles: [...props.grants.roles],
        Grants: [...props.grants.statements],
      },
    });
    this.resource.node.addDependency(dataApi);
  }

  /** The schema version this deployment brings the warehouse to. */
  get version(): number {
    return Math.max(0, ...this.migrations.map((migration) => migration.version));
  }

  /** Makes each construct wait for the schema step (a loader must never meet an older schema). */
  runsAfter(...constructs: Construct[]): void {
    for (const construct of constructs) construct.node.addDependency(this.resource);
  }
}
