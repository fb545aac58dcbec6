import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { KEY_ADMINISTRATION_ACTIONS, RestrictedKey } from '../../infra/aws/constructs/restricted-key.js';
import { rolesUnderJoin, templateOf } from './helpers.js';

const READERS = '/supercafe/TestData/personal-data/';
type Statement = { Sid: string; Action: string | string[]; Condition?: Record<string, Record<string, unknown>> };

describe('Construct: RestrictedKey', () => {
  let template: Template;
  let statements: Statement[];

  beforeAll(() => {
    template = templateOf((stack) => new RestrictedKey(stack, 'Personal', { description: 'test', decryptRolePath: READERS, decryptVia: ['s3'] }));
    const [key] = Object.values(template.findResources('AWS::KMS::Key')) as { Properties: { KeyPolicy: { Statement: Statement[] } } }[];
    statements = key?.Properties.KeyPolicy.Statement ?? [];
  });

  it('rotates, and is kept on delete but not after a failed first creation', () => {
    // Assess
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
  });

  it('lets the account administer the key without using it', () => {
    // Assess
    const administer = statements.find((statement) => statement.Sid === 'AdministerNotUse');
    expect([administer?.Action].flat().sort()).toEqual([...KEY_ADMINISTRATION_ACTIONS].sort());
    expect(JSON.stringify(administer)).not.toMatch(/kms:\*|Decrypt|GenerateDataKey|ReEncrypt|CreateGrant/);
  });

  it('lets only roles under the path decrypt, and any principal only through S3 (whose bucket policies refuse reads)', () => {
    // Assess
    const decrypts = statements.filter((statement) => [statement.Action].flat().some((action) => action === 'kms:Decrypt' || action === 'kms:*'));
    expect(decrypts.map((statement) => statement.Sid).sort()).toEqual(['DecryptOnlyRolesUnderPath', 'DecryptThroughServices']);
    expect(decrypts.find((statement) => statement.Sid === 'DecryptOnlyRolesUnderPath')?.Condition).toEqual({ ArnLike: { 'aws:PrincipalArn': rolesUnderJoin(READERS) } });
    expect(JSON.stringify(decrypts.find((statement) => statement.Sid === 'DecryptThroughServices')?.Condition)).toContain('s3.');
  });

  it('grants no kms:* to anyone', () => {
    // Assess
    expect(JSON.stringify(statements)).not.toContain('"kms:*"');
  });
});
