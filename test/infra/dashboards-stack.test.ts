import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { REDSHIFT_DB_ROLES_TAG } from '../../infra/aws/constructs/warehouse-grants.js';
import { testStacks } from './helpers.js';

describe('Stack: DashboardsStack (optional Grafana)', () => {
  it.each(['AWS_SSO', 'SAML'] as const)('signs in with %s as chosen by context, after the pre-flight check', (authentication) => {
    // Prepare
    const { dashboards } = testStacks({ grafana: authentication });

    // Act
    const template = Template.fromStack(dashboards!);

    // Assess
    template.hasResourceProperties('AWS::Grafana::Workspace', { AuthenticationProviders: [authentication], Name: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
    template.hasResourceProperties('Custom::GrafanaPreflight', { Authentication: authentication });
    template.hasResourceProperties('AWS::IAM::Role', { Tags: Match.arrayWith([{ Key: REDSHIFT_DB_ROLES_TAG, Value: 'dashboard_reader' }]) });
  });

  it('is left out with grafanaAuthentication=none, and the pipeline does not need it', () => {
    // Act
    const { app, dashboards, pipeline } = testStacks({ grafana: 'none' });
    Template.fromStack(pipeline);

    // Assess
    expect(dashboards).toBeUndefined();
    expect(app.node.children.filter((child) => child instanceof Stack).map((child) => child.node.id).sort()).toEqual(['SuperCafeData', 'SuperCafePipeline']);
    expect(pipeline.dependencies.map((stack) => stack.stackName)).toEqual(['SuperCafeData']);
  });

  it('holds no data: a failed deploy rolls back cleanly and can be retried', () => {
    // Prepare
    const { dashboards } = testStacks();

    // Act
    const resources = Object.values(Template.fromStack(dashboards!).toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string }>);

    // Assess
    expect(resources.filter((resource) => resource.DeletionPolicy !== undefined && resource.DeletionPolicy !== 'Delete')).toEqual([]);
    expect(resources.map((resource) => resource.Type)).not.toEqual(expect.arrayContaining(['AWS::S3::Bucket']));
  });
});
