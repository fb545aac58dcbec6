import { ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { GrafanaSignIn } from './constants.js';

/**
 * What Amazon Managed Grafana needs before its workspace can be created, checked
 * first thing in the dashboards stack (a custom resource the workspace depends on)
 * and by `infra/aws/scripts/preflight.ts` before a deploy. A workspace signing in
 * with IAM Identity Center (`AWS_SSO`) fails to create in an account where
 * Identity Center is not enabled, after a long wait and with a vague message;
 * this check fails in seconds and says what to do. The dashboards stack holds no
 * data, so its rollback leaves the pipeline as it was.
 */

export { GrafanaSignIn };

export interface PrerequisiteFacts {
  readonly authentication: GrafanaSignIn;
  /** IAM Identity Center instances visible to the account (organisation or account instances). */
  readonly identityCenterInstances: number;
}

/** What is missing, one sentence each saying how to fix it; empty when the workspace can be created. */
export function missingPrerequisites(facts: PrerequisiteFacts): string[] {
  switch (facts.authentication) {
    case GrafanaSignIn.IdentityCenter:
      return facts.identityCenterInstances > 0
        ? []
        : [
            'IAM Identity Center is not enabled for this account, and Grafana sign-in is set to AWS_SSO.',
            'Enable it (IAM Identity Center console → Enable; it also needs AWS Organizations) and deploy again,',
            'or deploy the dashboards with -c supercafe:grafanaAuthentication=SAML and connect your own identity provider after deploy,',
            'or leave Grafana out with -c supercafe:grafanaAuthentication=none (docs/aws.md, "A fresh account").',
          ];
    case GrafanaSignIn.Saml:
      // Nothing to check before deploy: the identity provider is connected to the workspace afterwards.
      return [];
    default: {
      const unhandled: never = facts.authentication;
      return unhandled;
    }
  }
}

/** Gathers the facts from the account (ListInstances needs sso:ListInstances) and says what is missing. */
export async function checkGrafanaPrerequisites(ssoAdmin: SSOAdminClient, authentication: GrafanaSignIn): Promise<string[]> {
  let identityCenterInstances = 0;
  if (authentication === GrafanaSignIn.IdentityCenter) {
    const listed = await ssoAdmin.send(new ListInstancesCommand({ MaxResults: 10 }));
    identityCenterInstances = listed.Instances?.length ?? 0;
  }
  return missingPrerequisites({ authentication, identityCenterInstances });
}

/** A pre-flight check that failed; the message lists what is missing. */
export class PrerequisiteMissingError extends Error {
  constructor(readonly missing: readonly string[]) {
    super(`Grafana pre-flight check failed: ${missing.join(' ')}`);
    this.name = 'PrerequisiteMissingError';
  }
}

const ssoAdmin = new SSOAdminClient({});

/** Provider framework `onEvent` handler: Create and Update check; Delete has nothing to undo. */
export async function handler(event: CloudFormationCustomResourceEvent): Promise<{ PhysicalResourceId: string }> {
  const physicalResourceId = 'grafana-preflight';
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const authentication = String(event.ResourceProperties.Authentication) as GrafanaSignIn;
  const missing = await checkGrafanaPrerequisites(ssoAdmin, authentication);
  if (missing.length > 0) throw new PrerequisiteMissingError(missing);
  return { PhysicalResourceId: physicalResourceId };
}
