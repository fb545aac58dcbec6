import { Aws } from 'aws-cdk-lib';
import { CfnWorkspace } from 'aws-cdk-lib/aws-grafana';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { acknowledge } from '../nag.js';
import { Construct } from 'constructs';
import { GRAFANA_VERSION, GrafanaSignIn } from '../functions/constants.js';
import { uniqueName } from './warehouse-namespace.js';
import { REDSHIFT_DB_ROLES_TAG, tagAsReader } from './warehouse-grants.js';

/** How people sign in to the workspace: IAM Identity Center (`AWS_SSO`) or your own SAML identity provider. */
export const GrafanaAuthentication = GrafanaSignIn;
export type GrafanaAuthentication = GrafanaSignIn;

export { REDSHIFT_DB_ROLES_TAG };

export interface GrafanaWorkspaceProps {
  readonly workgroupArn: string;
  readonly workgroupName: string;
  readonly databaseName: string;
  readonly authentication?: GrafanaAuthentication;
  readonly name?: string;
  /** Grafana version (`GRAFANA_VERSION`, 12.4, by default: what the dashboards are built for). */
  readonly grafanaVersion?: string;
}

/**
 * Amazon Managed Grafana for the head-office panels. The workspace role may read
 * the warehouse through the Redshift Data API with temporary credentials (no stored
 * password), mapped by principal tag to the read-only `dashboard_reader` database
 * role, and read CloudWatch metrics and logs for the operations panels. The
 * Redshift data source and the dashboards from `grafana/dashboards/` are provisioned
 * after deploy by `infra/aws/scripts/provision-grafana.ts`.
 */
export class GrafanaWorkspace extends Construct {
  readonly workspace: CfnWorkspace;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: GrafanaWorkspaceProps) {
    super(scope, id);
    const authentication = props.authentication ?? GrafanaAuthentication.IdentityCenter;
    if (!Object.values(GrafanaAuthentication).includes(authentication)) {
      throw new Error(`${id}: authentication must be one of ${Object.values(GrafanaAuthentication).join(', ')}, got ${String(authentication)}`);
    }

    this.role = new Role(this, 'Role', {
      description: 'Amazon Managed Grafana: read the warehouse (dashboard_reader) and CloudWatch',
      assumedBy: new ServicePrincipal('grafana.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
    });
    tagAsReader(this.role);

    const redshift = new Policy(this, 'WarehouseReadPolicy', {
      roles: [this.role],
      statements: [
        new PolicyStatement({ sid: 'TemporaryCredentials', actions: ['redshift-serverless:GetCredentials', 'redshift-serverless:GetWorkgroup'], resources: [props.workgroupArn] }),
        new PolicyStatement({
          sid: 'RunQueries',
          actions: ['redshift-data:ExecuteStatement', 'redshift-data:ListDatabases', 'redshift-data:ListSchemas', 'redshift-data:ListTables', 'redshift-data:DescribeTable'],
          resources: [props.workgroupArn],
        }),
        new PolicyStatement({
          sid: 'FollowOwnQueries',
          actions: ['redshift-data:DescribeStatement', 'redshift-data:GetStatementResult', 'redshift-data:CancelStatement', 'redshift-data:ListStatements', 'redshift-serverless:ListWorkgroups'],
          resources: ['*'],
        }),
      ],
    });
    const cloudWatch = new Policy(this, 'OperationsReadPolicy', {
      roles: [this.role],
      statements: [
        new PolicyStatement({
          sid: 'ReadMetricsAndLogs',
          actions: [
            'cloudwatch:DescribeAlarms',
            'cloudwatch:DescribeAlarmsForMetric',
            'cloudwatch:DescribeAlarmHistory',
            'cloudwatch:GetMetricData',
            'cloudwatch:ListMetrics',
            'logs:DescribeLogGroups',
            'logs:GetLogGroupFields',
            'logs:StartQuery',
            'logs:StopQuery',
            'logs:GetQueryResults',
            'logs:GetLogEvents',
            'tag:GetResources',
            'ec2:DescribeRegions',
          ],
          resources: ['*'],
        }),
      ],
    });
    acknowledge(redshift, {
      id: 'AwsSolutions-IAM5',
      finding: 'Resource::*',
      reason: 'Statement-id and list actions of the Data API and ListWorkgroups have no resource-level permissions; queries themselves are scoped to the workgroup.',
    });
    acknowledge(cloudWatch, {
      id: 'AwsSolutions-IAM5',
      finding: 'Resource::*',
      reason: 'Read-only CloudWatch metric/log query actions of the Grafana CloudWatch data source have no resource-level permissions.',
    });

    this.workspace = new CfnWorkspace(this, 'Workspace', {
      // Not a fixed name: a second deployment in the account, or a retry, never collides.
      name: props.name ?? uniqueName('supercafe'),
      description: 'Super Café: sales panels (Redshift) and pipeline operations (CloudWatch)',
      accountAccessType: 'CURRENT_ACCOUNT',
      authenticationProviders: [authentication],
      permissionType: 'CUSTOMER_MANAGED',
      roleArn: this.role.roleArn,
      dataSources: ['REDSHIFT', 'CLOUDWATCH'],
      grafanaVersion: props.grafanaVersion ?? GRAFANA_VERSION,
      pluginAdminEnabled: false,
    });
    this.workspace.node.addDependency(redshift, cloudWatch);
  }
}
