import { CloudFormationClient, CloudFormationServiceException, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GrafanaClient, ListVersionsCommand } from '@aws-sdk/client-grafana';
import { ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { preflight } from '../../infra/aws/scripts/preflight.js';

const cloudFormation = mockClient(CloudFormationClient);
const ssoAdmin = mockClient(SSOAdminClient);
const grafana = mockClient(GrafanaClient);
const clients = () => ({ cloudFormation: new CloudFormationClient({}), ssoAdmin: new SSOAdminClient({}) });
const notFound = new CloudFormationServiceException({ name: 'ValidationError', $fault: 'client', $metadata: {}, message: 'Stack with id CDKToolkit does not exist' });

describe('Script: preflight', () => {
  beforeEach(() => {
    cloudFormation.reset();
    ssoAdmin.reset();
    grafana.reset();
  });

  it('says when the Region does not offer the Grafana version the workspace asks for, and not when it does', async () => {
    // Prepare
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'CDKToolkit', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE' }] });
    grafana.on(ListVersionsCommand).resolvesOnce({ grafanaVersions: ['9.4', '10.4'], nextToken: 'more' }).resolvesOnce({ grafanaVersions: ['10.5'] });

    // Act
    const missing = await preflight({ ...clients(), grafana: new GrafanaClient({}) }, 'SAML', 'eu-west-2');

    // Assess: both pages were read.
    expect(missing).toEqual([expect.stringMatching(/^Amazon Managed Grafana in eu-west-2 offers versions 9\.4, 10\.4, 10\.5, not 12\.4/)]);
    grafana.on(ListVersionsCommand).resolves({ grafanaVersions: ['10.4', '12.4'] });
    expect(await preflight({ ...clients(), grafana: new GrafanaClient({}) }, 'SAML', 'eu-west-2')).toEqual([]);
  });

  it('says a fresh account needs bootstrapping and IAM Identity Center for AWS_SSO', async () => {
    // Prepare
    cloudFormation.on(DescribeStacksCommand).rejects(notFound);
    ssoAdmin.on(ListInstancesCommand).resolves({ Instances: [] });

    // Act
    const missing = await preflight(clients(), 'AWS_SSO', 'eu-west-2');

    // Assess
    expect(missing[0]).toMatch(/not bootstrapped for CDK in eu-west-2: run npx cdk bootstrap/);
    expect(missing.join(' ')).toMatch(/IAM Identity Center is not enabled/);
  });

  it('finds nothing missing for SAML, or without Grafana, in a bootstrapped account', async () => {
    // Prepare
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'CDKToolkit', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE' }] });

    // Act and Assess
    expect(await preflight(clients(), 'SAML', 'eu-west-2')).toEqual([]);
    expect(await preflight(clients(), 'none', 'eu-west-2')).toEqual([]);
    expect(ssoAdmin.calls()).toHaveLength(0);
  });
});
