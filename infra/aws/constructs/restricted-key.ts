import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccountRootPrincipal, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { rolesUnder } from '../access.js';

/** Everything an administrator needs to manage a key, and nothing that uses it. */
export const KEY_ADMINISTRATION_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
] as const;

/** Actions that produce ciphertext without revealing any: open to the account's IAM policies. */
export const KEY_ENCRYPT_ACTIONS = ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'] as const;

export interface RestrictedKeyProps {
  readonly description: string;
  /** Only roles under this IAM path may decrypt (their IAM policy must allow it too). */
  readonly decryptRolePath: string;
  /** Services (e.g. `s3`, `secretsmanager`) through which encrypting is allowed; any service when omitted. */
  readonly encryptVia?: readonly string[];
  /**
   * Services through which any account principal may decrypt. S3 decrypts for a
   * multipart upload (a branch's `aws s3 cp` of a large file); reads stay refused by
   * the bucket's own policy, which lets only the same role path read objects.
   */
  readonly decryptVia?: readonly string[];
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A customer-managed key whose own policy, not the account's IAM policies, decides
 * who can decrypt: the account administers it (and may encrypt), but only roles
 * under one IAM path may decrypt with it. CDK's default key policy instead gives
 * the account `kms:*`, so any administrator could read what it protects.
 */
export class RestrictedKey extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string, props: RestrictedKeyProps) {
    super(scope, id);
    const account = new AccountRootPrincipal();
    const via = (services: readonly string[] | undefined) =>
      services && services.length > 0 ? { StringEquals: { 'kms:ViaService': services.map((service) => `${service}.${Stack.of(this).region}.amazonaws.com`) } } : undefined;

    const statements = [
      new PolicyStatement({ sid: 'AdministerNotUse', principals: [account], actions: [...KEY_ADMINISTRATION_ACTIONS], resources: ['*'] }),
      new PolicyStatement({ sid: 'EncryptThroughIam', principals: [account], actions: [...KEY_ENCRYPT_ACTIONS], resources: ['*'], conditions: via(props.encryptVia) }),
      new PolicyStatement({
        sid: 'DecryptOnlyRolesUnderPath',
        principals: [account],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: { ArnLike: { 'aws:PrincipalArn': rolesUnder(props.decryptRolePath) } },
      }),
    ];
    const decryptVia = via(props.decryptVia);
    if (decryptVia) statements.push(new PolicyStatement({ sid: 'DecryptThroughServices', principals: [account], actions: ['kms:Decrypt'], resources: ['*'], conditions: decryptVia }));

    this.key = new Key(this, 'Key', {
      description: props.description,
      enableKeyRotation: true,
      policy: new PolicyDocument({ statements }),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
  }
}
