import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { accessPaths } from '../../infra/aws/access.js';
import { rolesUnderJoin, testStacks, type TestStacks } from './helpers.js';

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Condition?: unknown };
type RoleResource = { Properties: { Path?: string; AssumeRolePolicyDocument: unknown } };

/**
 * The security model as built: who can read raw data (names, card numbers) and
 * the pepper. The data stack's own policies decide it, by IAM role path, so an
 * administrator's IAM permissions alone read nothing.
 */
describe('Stack: DataStack, who can read raw data', () => {
  let stacks: TestStacks;
  let data: Template;
  let paths: ReturnType<typeof accessPaths>;

  const keyPolicy = (description: RegExp): Statement[] => {
    const keys = Object.values(data.findResources('AWS::KMS::Key')) as { Properties: { Description: string; KeyPolicy: { Statement: Statement[] } } }[];
    const key = keys.find((candidate) => description.test(candidate.Properties.Description));
    if (!key) throw new Error(`no key ${String(description)}`);
    return key.Properties.KeyPolicy.Statement;
  };
  const decryptsWhen = (statements: Statement[]) =>
    statements.filter((statement) => statement.Effect === 'Allow' && [statement.Action].flat().some((action) => /^kms:(Decrypt|\*)$/.test(action))).map((statement) => statement.Condition);

  beforeAll(() => {
    stacks = testStacks();
    data = Template.fromStack(stacks.data);
    paths = accessPaths(stacks.data.stackName);
  });

  it('decrypts personal data only for roles under the personal-data path (or through S3, whose bucket policies refuse reads)', () => {
    // Assess
    const conditions = decryptsWhen(keyPolicy(/^Super Café personal data/));
    expect(conditions[0]).toEqual({ ArnLike: { 'aws:PrincipalArn': rolesUnderJoin(paths.personalData) } });
    expect(conditions).toHaveLength(2);
    expect(JSON.stringify(conditions[1])).toMatch(/"kms:ViaService":\[\{"Fn::Join":\["",\["s3\."/);
  });

  it('keeps the pepper under its own key, decrypted only for roles under the pepper path', () => {
    // Assess
    expect(decryptsWhen(keyPolicy(/pepper/i))).toEqual([{ ArnLike: { 'aws:PrincipalArn': rolesUnderJoin(paths.pepper) } }]);
    data.hasResourceProperties('AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp('HMAC pepper'), KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PepperKey'), 'Arn'] } });
    data.hasResourceProperties('AWS::SecretsManager::ResourcePolicy', {
      ResourcePolicy: { Statement: [Match.objectLike({ Effect: 'Deny', Action: 'secretsmanager:GetSecretValue', Condition: { ArnNotLike: { 'aws:PrincipalArn': rolesUnderJoin(paths.pepper) } } })] },
    });
  });

  it('refuses raw uploads, the raw archive and the stream to everyone outside the personal-data path', () => {
    // Assess
    const bucketDenials = (Object.values(data.findResources('AWS::S3::BucketPolicy')) as { Properties: { PolicyDocument: { Statement: Statement[] } } }[]).flatMap((policy) =>
      policy.Properties.PolicyDocument.Statement.filter((statement) => statement.Sid === 'OnlyPersonalDataRolesRead'),
    );
    expect(bucketDenials).toHaveLength(2);
    data.hasResourceProperties('AWS::Kinesis::ResourcePolicy', {
      ResourcePolicy: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { ArnNotLike: { 'aws:PrincipalArn': rolesUnderJoin(paths.personalData) } } })] },
    });
  });

  it('has exactly these roles under the personal-data path: the ingest function, the consumer, the raw archive delivery and the operators\' replay and erasure roles', () => {
    // Assess
    const rolesUnder = (path: string) =>
      [stacks.data, stacks.pipeline, stacks.dashboards!].flatMap((stack) =>
        Object.entries(Template.fromStack(stack).findResources('AWS::IAM::Role') as Record<string, RoleResource>)
          .filter(([, role]) => role.Properties.Path?.startsWith(path))
          .map(([id]) => id.replace(/[0-9A-F]{8}$/, '')),
      );
    expect(rolesUnder(paths.personalData).sort()).toEqual(['CsvIngestRole', 'ErasureRole', 'RawEventArchiveDeliveryRole', 'RawReplayRole', 'SalesTransformRole']);
    // The erasure role hashes names and cards as the consumer does, so it reads the pepper too.
    expect(rolesUnder(paths.pepper).sort()).toEqual(['CsvIngestRole', 'ErasureRole', 'SalesTransformRole']);
  });

  it('makes operators assume the replay role with MFA', () => {
    // Assess
    data.hasResourceProperties('AWS::IAM::Role', {
      Path: paths.personalData,
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })] },
    });
  });

  it('lets the erasure role (MFA) rewrite only the raw archive objects, the sales rows and the erasure markers', () => {
    // Assess
    data.hasResourceProperties('AWS::IAM::Role', {
      Path: paths.pepper,
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })] },
    });
    const policies = Object.entries(data.findResources('AWS::IAM::Policy')).filter(([id]) => id.startsWith('ErasureRole'));
    const writes = policies.flatMap(([, policy]) =>
      (policy as { Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } } }).Properties.PolicyDocument.Statement.filter((statement) =>
        [statement.Action].flat().includes('s3:PutObject'),
      ).map((statement) => JSON.stringify(statement.Resource)),
    );
    expect(writes).toHaveLength(3);
    expect(writes.join(' ')).toMatch(/\/raw\/\*/);
    expect(writes.join(' ')).toMatch(/\/rows\/sales\/\*/);
    expect(writes.join(' ')).toMatch(/\/erasures\/\*/);
    data.hasOutput('ErasureRoleArn', Match.anyValue());
  });

  it('gives the account administration of the keys, never kms:*', () => {
    // Assess
    const keys = JSON.stringify(
      Object.values(data.findResources('AWS::KMS::Key')).filter((key) => /^Super Café (personal data|HMAC pepper)/.test((key as { Properties: { Description: string } }).Properties.Description)),
    );
    expect(keys).not.toContain('"kms:*"');
  });
});

describe('Stack: DataStack, live tills', () => {
  let data: Template;

  beforeAll(() => {
    data = Template.fromStack(testStacks({ grafana: 'none' }).data);
  });

  it('keeps both till tables, credentials and idempotency keys, as stateful resources without fixed names', () => {
    // Assess
    const tables = data.findResources('AWS::DynamoDB::Table') as Record<string, { DeletionPolicy: string; Properties: { KeySchema: unknown; TableName?: string } }>;
    expect(Object.values(tables).map((table) => table.Properties.KeySchema)).toEqual(
      expect.arrayContaining([[{ AttributeName: 'tillId', KeyType: 'HASH' }], [{ AttributeName: 'key', KeyType: 'HASH' }]]),
    );
    for (const table of Object.values(tables)) {
      expect(table.DeletionPolicy).toBe('RetainExceptOnCreate');
      expect(table.Properties.TableName).toBeUndefined();
    }
  });

  it('names the tables and the operators’ till policy in its outputs (the CLI and the till API find them there)', () => {
    // Assess
    data.hasOutput('TillCredentialsTable', { Value: { Ref: Match.stringLikeRegexp('^TillCredentialsTable') } });
    data.hasOutput('TillIdempotencyTable', { Value: { Ref: Match.stringLikeRegexp('^TillIdempotencyTable') } });
    data.hasOutput('TillOperatorPolicyArn', { Value: { Ref: Match.stringLikeRegexp('^TillCredentialsOperatorPolicy') } });
  });
});
