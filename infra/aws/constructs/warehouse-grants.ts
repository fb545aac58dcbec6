import { Tags } from 'aws-cdk-lib';
import { Policy, PolicyStatement, type IRole, type Role } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.js';
import { DASHBOARD_READER_ROLE, LOADER_ROLE, databaseRoles, grantStatements } from '../warehouse/warehouse-sql.js';
import { createFunctionRole } from './pipeline-function.js';

/**
 * The IAM principal tag Redshift Serverless reads to give an IAM identity that
 * signs in with temporary credentials its database roles (colon-separated names).
 */
export const REDSHIFT_DB_ROLES_TAG = 'RedshiftDbRoles';

export interface WarehouseGrantsProps {
  /** The workgroup (`WarehouseNamespace`): what the roles may sign in to. */
  readonly workgroupArn: string;
  /** The namespace's COPY role: the only IAM role the loader's database role may use. */
  readonly copyRoleArn: string;
}

/**
 * Who may do what in the warehouse, on both sides of the sign-in. In IAM: the
 * loader's and the auditor's execution roles may get temporary credentials for
 * the workgroup and run Data API statements there, and their `RedshiftDbRoles`
 * tag names their database role. In Redshift: `statements` (run by the schema
 * step after each migration) give `warehouse_loader` COPY-into-staging and merge
 * rights only, and `dashboard_reader` SELECT on the final tables only. Grafana's
 * workspace role uses `tagAsReader` and `allowDataApi` from its own stack.
 */
export class WarehouseGrants extends Construct {
  /** The loader function's execution role (database role `warehouse_loader`). */
  readonly loaderRole: Role;
  /** The reconciliation function's execution role (database role `dashboard_reader`: read only). */
  readonly auditorRole: Role;
  /** Database roles to create when missing. */
  readonly roles: readonly string[];
  /** The grant statements, re-applied after every migration. */
  readonly statements: readonly string[];

  constructor(scope: Construct, id: string, props: WarehouseGrantsProps) {
    super(scope, id);
    this.roles = databaseRoles();
    this.statements = grantStatements({ copyRoleArn: props.copyRoleArn });

    this.loaderRole = createFunctionRole(this, 'LoaderRole', 'Warehouse loader: COPY new rows into staging and merge (database role warehouse_loader)');
    Tags.of(this.loaderRole).add(REDSHIFT_DB_ROLES_TAG, LOADER_ROLE);
    allowDataApi(this, 'LoaderDataApi', this.loaderRole, props.workgroupArn);

    this.auditorRole = createFunctionRole(this, 'AuditorRole', 'Warehouse reconciliation: read the final tables (database role dashboard_reader)');
    Tags.of(this.auditorRole).add(REDSHIFT_DB_ROLES_TAG, DASHBOARD_READER_ROLE);
    allowDataApi(this, 'AuditorDataApi', this.auditorRole, props.workgroupArn);
  }
}

/** Tags a role so the workgroup signs it in as the read-only `dashboard_reader`. */
export function tagAsReader(role: IRole): void {
  Tags.of(role).add(REDSHIFT_DB_ROLES_TAG, DASHBOARD_READER_ROLE);
}

/**
 * Lets `role` sign in to the workgroup as its IAM identity (temporary credentials,
 * no stored password) and run and follow its own Data API statements there.
 */
export function allowDataApi(scope: Construct, id: string, role: IRole, workgroupArn: string): Policy {
  const policy = new Policy(scope, id, {
    roles: [role],
    statements: [
      new PolicyStatement({ sid: 'SignInWithIamIdentity', actions: ['redshift-serverless:GetCredentials'], resources: [workgroupArn] }),
      new PolicyStatement({ sid: 'RunStatements', actions: ['redshift-data:ExecuteStatement', 'redshift-data:BatchExecuteStatement'], resources: [workgroupArn] }),
      new PolicyStatement({ sid: 'FollowOwnStatements', actions: ['redshift-data:DescribeStatement', 'redshift-data:GetStatementResult'], resources: ['*'] }),
    ],
  });
  acknowledge(policy, {
    id: 'AwsSolutions-IAM5',
    finding: 'Resource::*',
    reason: 'DescribeStatement and GetStatementResult take a statement id, not an ARN; the Data API only lets a caller read its own statements.',
  });
  return policy;
}
