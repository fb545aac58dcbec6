import { ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GrafanaSignIn, PrerequisiteMissingError, checkGrafanaPrerequisites, handler, missingPrerequisites } from './grafana-preflight.js';

const ssoAdmin = mockClient(SSOAdminClient);

const createEvent = (authentication: string) =>
  ({ RequestType: 'Create', ResourceProperties: { ServiceToken: 'x', Authentication: authentication } }) as unknown as CloudFormationCustomResourceEvent;

describe('Function: missingPrerequisites', () => {
  it('says what to do when IAM Identity Center is absent and sign-in is AWS_SSO', () => {
    // Act
    const missing = missingPrerequisites({ authentication: GrafanaSignIn.IdentityCenter, identityCenterInstances: 0 });

    // Assess
    expect(missing.join(' ')).toMatch(/IAM Identity Center is not enabled/);
    expect(missing.join(' ')).toMatch(/grafanaAuthentication=SAML/);
    expect(missing.join(' ')).toMatch(/grafanaAuthentication=none/);
  });

  it('needs nothing more once Identity Center is there, or for SAML', () => {
    expect(missingPrerequisites({ authentication: GrafanaSignIn.IdentityCenter, identityCenterInstances: 1 })).toEqual([]);
    expect(missingPrerequisites({ authentication: GrafanaSignIn.Saml, identityCenterInstances: 0 })).toEqual([]);
  });
});

describe('Function: checkGrafanaPrerequisites and the custom resource', () => {
  beforeEach(() => {
    ssoAdmin.reset();
  });

  it('asks IAM Identity Center for its instances', async () => {
    // Prepare
    ssoAdmin.on(ListInstancesCommand).resolves({ Instances: [{ InstanceArn: 'arn:aws:sso:::instance/ssoins-1' }] });

    // Act
    const missing = await checkGrafanaPrerequisites(new SSOAdminClient({}), GrafanaSignIn.IdentityCenter);

    // Assess
    expect(missing).toEqual([]);
    expect(ssoAdmin.commandCalls(ListInstancesCommand)).toHaveLength(1);
  });

  it('fails the deploy, naming what is missing, in an account without Identity Center', async () => {
    // Prepare
    ssoAdmin.on(ListInstancesCommand).resolves({ Instances: [] });

    // Act
    const outcome = handler(createEvent('AWS_SSO'));

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(PrerequisiteMissingError);
    await expect(outcome).rejects.toThrow(/Grafana pre-flight check failed: IAM Identity Center is not enabled/);
  });

  it('does not ask Identity Center at all for SAML', async () => {
    // Act
    const outcome = await handler(createEvent('SAML'));

    // Assess
    expect(outcome).toEqual({ PhysicalResourceId: 'grafana-preflight' });
    expect(ssoAdmin.calls()).toHaveLength(0);
  });
});
