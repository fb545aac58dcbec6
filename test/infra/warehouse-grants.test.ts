import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { REDSHIFT_DB_ROLES_TAG, WarehouseGrants } from '../../infra/aws/constructs/warehouse-grants.js';
import { DASHBOARD_READER_ROLE, LOADER_ROLE } from '../../infra/aws/warehouse/warehouse-sql.js';
import { templateOf } from './helpers.js';

const workgroupArn = 'arn:aws:redshift-serverless:eu-west-2:111111111111:workgroup/0000';
const copyRoleArn = 'arn:aws:iam::111111111111:role/copy';

describe('Construct: WarehouseGrants', () => {
  let template: Template;
  let grants: WarehouseGrants | undefined;

  beforeAll(() => {
    template = templateOf((stack) => {
      grants = new WarehouseGrants(stack, 'Grants', { workgroupArn, copyRoleArn });
    });
  });

  it.each([
    ['LoaderRole', LOADER_ROLE],
    ['AuditorRole', DASHBOARD_READER_ROLE],
  ])('tags the %s so the workgroup signs it in as %s, never as the admin', (role, databaseRole) => {
    // Assess
    template.hasResourceProperties('AWS::IAM::Role', {
      Description: Match.stringLikeRegexp(databaseRole),
      Tags: Match.arrayWith([{ Key: REDSHIFT_DB_ROLES_TAG, Value: databaseRole }]),
    });
    expect(role).toBeTruthy();
  });

  it('lets each role get temporary credentials for the workgroup and run statements there, with no secret', () => {
    // Assess
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as { Properties: { PolicyDocument: unknown; Roles: { Ref: string }[] } }[];
    const signingIn = policies.filter((policy) => JSON.stringify(policy.Properties.PolicyDocument).includes('redshift-serverless:GetCredentials'));
    expect(signingIn.flatMap((policy) => policy.Properties.Roles.map((role) => role.Ref)).sort()).toEqual([
      expect.stringMatching(/^GrantsAuditorRole/),
      expect.stringMatching(/^GrantsLoaderRole/),
    ]);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'SignInWithIamIdentity', Action: 'redshift-serverless:GetCredentials', Resource: workgroupArn }),
          Match.objectLike({ Sid: 'RunStatements', Resource: workgroupArn }),
        ]),
      },
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('secretsmanager:GetSecretValue');
  });

  it('grants the database roles in SQL: the loader may use only the namespace COPY role', () => {
    // Assess
    expect(grants?.roles).toEqual([DASHBOARD_READER_ROLE, LOADER_ROLE]);
    expect(grants?.statements).toContain('REVOKE ASSUMEROLE ON ALL FROM PUBLIC FOR ALL;');
    expect(grants?.statements).toContain(`GRANT ASSUMEROLE ON '${copyRoleArn}' TO ROLE ${LOADER_ROLE} FOR COPY;`);
  });
});
