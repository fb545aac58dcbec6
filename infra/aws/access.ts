import { Aws } from 'aws-cdk-lib';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';

/**
 * Who may read personal data, as IAM role paths. A role's path is fixed when the
 * role is created and is part of its ARN, so the key, bucket, stream and secret
 * policies of the data stack can name "the roles under this path" without naming
 * (or depending on) the roles of the pipeline stack, and no administrator reads raw
 * data by holding broad IAM permissions: getting access takes a visible change (a
 * new role under the path, or an edited policy), which CloudTrail records.
 *
 * - `personalData`: may decrypt raw uploads, raw events and the raw archive
 *   (the ingest function, the consumer, the raw archive's delivery role, the replay role).
 * - `pepper`: a sub-path of it that may also read the HMAC pepper (ingest, consumer, replay).
 */
export interface AccessPaths {
  readonly personalData: string;
  readonly pepper: string;
}

/** The paths of one deployment: scoped by the data stack's name, so two deployments in one account never share readers. */
export function accessPaths(dataStackName: string): AccessPaths {
  if (!/^[A-Za-z][A-Za-z0-9-]{0,100}$/.test(dataStackName)) throw new Error(`not a stack name usable in an IAM path: ${dataStackName}`);
  const personalData = `/supercafe/${dataStackName}/personal-data/`;
  return { personalData, pepper: `${personalData}pepper/` };
}

/** The ARN pattern of every role under `path` in this account (for `aws:PrincipalArn` conditions). */
export function rolesUnder(path: string): string {
  return `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role${path}*`;
}

/**
 * Grants across the two stacks are written as the caller's own IAM statements.
 * CDK's `grant*` helpers on a resource of the data stack would also write the
 * pipeline's role ARNs into that resource's policy (a key, a stream, a secret),
 * making the data stack depend on the pipeline stack; the path conditions above
 * already say who may, so the caller's side is all that is missing.
 */
export function allowDecrypt(grantee: IGrantable, key: IKey, viaService?: string): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [key.keyArn],
      conditions: viaService ? { StringEquals: { 'kms:ViaService': `${viaService}.${Aws.REGION}.amazonaws.com` } } : undefined,
    }),
  );
}

/** Lets `grantee` read a secret's value (and decrypt it with the secret's key through Secrets Manager). */
export function allowSecretRead(grantee: IGrantable, secret: ISecret, key: IKey): void {
  grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: [secret.secretArn] }));
  allowDecrypt(grantee, key, 'secretsmanager');
}

/** What a stream consumer (an event source mapping's function) needs: read the shards and decrypt the records. */
export function allowStreamReads(grantee: IGrantable, stream: IStream, key: IKey): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards', 'kinesis:SubscribeToShard'],
      resources: [stream.streamArn],
    }),
  );
  allowDecrypt(grantee, key);
}
