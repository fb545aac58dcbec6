import { CustomResource, Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { GrafanaSignIn } from '../functions/constants.js';
import { acknowledge } from '../nag.js';
import { customResourceProvider } from './custom-resource-provider.js';
import { PipelineFunction, repoPath } from './pipeline-function.js';

export interface GrafanaPreflightProps {
  readonly authentication: GrafanaSignIn;
}

/**
 * The dashboards stack's first step (`Custom::GrafanaPreflight`): it checks what the
 * chosen sign-in needs (IAM Identity Center for `AWS_SSO`) and fails the deploy in
 * seconds, saying what is missing and what to do, instead of letting the workspace
 * fail after a long wait. The workspace depends on it (`guard`).
 */
export class GrafanaPreflight extends Construct {
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: GrafanaPreflightProps) {
    super(scope, id);
    const fn = new PipelineFunction(this, 'Check', {
      entry: repoPath('infra/aws/functions/grafana-preflight.ts'),
      serviceName: 'grafana-preflight',
      description: 'Super Café: is what Grafana sign-in needs in place (IAM Identity Center)?',
      timeout: Duration.minutes(1),
    }).function;
    fn.addToRolePolicy(new PolicyStatement({ sid: 'SeeIdentityCenter', actions: ['sso:ListInstances'], resources: ['*'] }));
    acknowledge(fn.role!, {
      id: 'AwsSolutions-IAM5',
      finding: 'Resource::*',
      reason: 'sso:ListInstances has no resource-level permissions; it only lists the Identity Center instances the account can see.',
    });
    const provider = customResourceProvider(this, fn);
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::GrafanaPreflight',
      properties: { Authentication: props.authentication },
    });
  }

  /** Makes each construct wait for the check to pass. */
  guard(...constructs: Construct[]): void {
    for (const construct of constructs) construct.node.addDependency(this.resource);
  }
}
