import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { GrafanaSignIn } from '../functions/constants.js';
import { GrafanaPreflight } from '../constructs/grafana-preflight.js';
import { GrafanaWorkspace } from '../constructs/grafana-workspace.js';
import { StackOutput } from '../stack-outputs.js';
import type { DataStack } from './data-stack.js';

export interface DashboardsStackProps extends StackProps {
  readonly data: DataStack;
  /** How people sign in: IAM Identity Center (`AWS_SSO`) or your own SAML identity provider. */
  readonly authentication: GrafanaSignIn;
}

/**
 * Amazon Managed Grafana, on its own and optional: the pipeline runs without it,
 * and a fresh account that has no IAM Identity Center can leave it out or choose
 * SAML. A pre-flight check runs first and fails the deploy with what is missing;
 * the stack holds no data, so a failed deploy rolls back cleanly and can be retried.
 */
export class DashboardsStack extends Stack {
  readonly preflight: GrafanaPreflight;
  readonly grafana: GrafanaWorkspace;

  constructor(scope: Construct, id: string, props: DashboardsStackProps) {
    super(scope, id, { description: 'Super Café dashboards: Amazon Managed Grafana on the warehouse (optional)', ...props });
    const warehouse = props.data.warehouse;

    this.preflight = new GrafanaPreflight(this, 'Preflight', { authentication: props.authentication });
    this.grafana = new GrafanaWorkspace(this, 'Grafana', {
      workgroupArn: warehouse.workgroupArn,
      workgroupName: warehouse.workgroup.attrWorkgroupWorkgroupName,
      databaseName: warehouse.databaseName,
      authentication: props.authentication,
    });
    this.preflight.guard(this.grafana.workspace);

    const output = (key: StackOutput, value: string, description: string) => new CfnOutput(this, key, { value, description });
    output(StackOutput.GrafanaWorkspaceId, this.grafana.workspace.attrId, 'Amazon Managed Grafana workspace');
    output(StackOutput.GrafanaEndpoint, this.grafana.workspace.attrEndpoint, 'Grafana URL (https://<endpoint>)');
    output(StackOutput.WorkgroupName, warehouse.workgroup.attrWorkgroupWorkgroupName, 'Redshift Serverless workgroup the data source reads');
    output(StackOutput.DatabaseName, warehouse.databaseName, 'Warehouse database');
  }
}
