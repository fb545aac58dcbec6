import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { GrafanaPreflight } from '../../infra/aws/constructs/grafana-preflight.js';
import { GrafanaWorkspace } from '../../infra/aws/constructs/grafana-workspace.js';
import { logicalIdOf, templateOf } from './helpers.js';

describe('Construct: GrafanaPreflight', () => {
  let template: Template;

  beforeAll(() => {
    template = templateOf((stack) => {
      const preflight = new GrafanaPreflight(stack, 'Preflight', { authentication: 'AWS_SSO' });
      const grafana = new GrafanaWorkspace(stack, 'Grafana', { workgroupArn: 'arn:aws:redshift-serverless:eu-west-2:111111111111:workgroup/0', workgroupName: 'w', databaseName: 'd', authentication: 'AWS_SSO' });
      preflight.guard(grafana.workspace);
    });
  });

  it('checks the chosen sign-in before the workspace is created', () => {
    // Assess
    template.hasResourceProperties('Custom::GrafanaPreflight', { Authentication: 'AWS_SSO' });
    const preflightId = logicalIdOf(template, 'Custom::GrafanaPreflight', 'Preflight');
    template.hasResource('AWS::Grafana::Workspace', { DependsOn: Match.arrayWith([preflightId]) });
  });

  it('may only list the Identity Center instances the account sees', () => {
    // Assess
    template.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'SeeIdentityCenter', Action: 'sso:ListInstances' })]) } });
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toMatch(/sso:Create|sso:Put|sso-directory/);
  });
});
