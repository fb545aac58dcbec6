import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { beforeAll, describe, it } from 'vitest';
import { warehouseMigrations } from '../../contracts/index.js';
import { WarehouseGrants } from '../../infra/aws/constructs/warehouse-grants.js';
import { WarehouseSchema } from '../../infra/aws/constructs/warehouse-schema.js';
import { bookkeepingStatements, redshiftMigrationStatements } from '../../infra/aws/warehouse/warehouse-sql.js';
import { logicalIdOf, templateOf } from './helpers.js';

const workgroupArn = 'arn:aws:redshift-serverless:eu-west-2:111111111111:workgroup/0000';

describe('Construct: WarehouseSchema', () => {
  let template: Template;

  beforeAll(() => {
    template = templateOf((stack) => {
      const key = new Key(stack, 'Key');
      const grants = new WarehouseGrants(stack, 'Grants', { workgroupArn, copyRoleArn: 'arn:aws:iam::111111111111:role/copy' });
      const schema = new WarehouseSchema(stack, 'Schema', {
        workgroupName: 'supercafe-0000',
        workgroupArn,
        databaseName: 'supercafe',
        adminSecret: new Secret(stack, 'Admin', { encryptionKey: key }),
        adminSecretKey: key,
        grants,
      });
      // A stand-in for a loader: it must be created after the schema step.
      schema.runsAfter(new Bucket(stack, 'Loader'));
    });
  });

  it('carries every migration derived from contracts/, rendered for Redshift, with its fingerprint', () => {
    // Assess
    const migrations = warehouseMigrations();
    template.hasResourceProperties('Custom::WarehouseSchema', {
      Database: 'supercafe',
      WorkgroupName: 'supercafe-0000',
      Bookkeeping: bookkeepingStatements(),
      Migrations: migrations.map((migration) => ({ Version: String(migration.version), Fingerprint: migration.fingerprint, Statements: redshiftMigrationStatements(migration) })),
      Roles: ['dashboard_reader', 'warehouse_loader'],
      Grants: Match.arrayWith(['REVOKE ASSUMEROLE ON ALL FROM PUBLIC FOR ALL;']),
    });
  });

  it('runs before what depends on it (a loader never meets an older schema)', () => {
    // Assess
    const schemaId = logicalIdOf(template, 'Custom::WarehouseSchema', 'Schema');
    template.hasResource('AWS::S3::Bucket', { DependsOn: Match.arrayWith([schemaId]) });
  });

  it('reads the admin secret (it is the only function that does) and runs statements on the workgroup', () => {
    // Assess
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['secretsmanager:GetSecretValue']), Resource: { Ref: Match.stringLikeRegexp('^Admin') } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'RunSchemaSql', Resource: workgroupArn })]) },
    });
  });

  it('gives the provider framework and the schema function logs with a retention', () => {
    // Assess
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });
});
