import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { awsRegion, describeAwsError } from '../../local/cli/aws-target.js';
import { DEFAULT_DATA_STACK, type AwsTargetOptions } from '../../local/cli/aws-target-options.js';
import { readOutputs } from '../scripts/stack-outputs.js';
import { StackOutput } from '../stack-outputs.js';
import { eraseCustomersInAws, type AwsErasureReport } from './aws-erasure.js';

const ERASURE_ROLE_HINT = "assume the data stack's erasure role (ErasureRoleArn output, with MFA)";

/** SDK clients, injectable for tests. */
export interface AwsErasureClients {
  readonly cloudFormation?: CloudFormationClient;
  readonly secrets?: SecretsManagerClient;
  readonly s3?: S3Client;
  readonly redshift?: RedshiftDataClient;
}

const OUTPUTS = [
  StackOutput.PepperSecretArn,
  StackOutput.WorkgroupName,
  StackOutput.DatabaseName,
  StackOutput.AdminSecretArn,
  StackOutput.WarehouseBucketName,
  StackOutput.RawArchiveBucketName,
] as const;

/**
 * `supercafe erase --aws`: finds the deployed data stack's pepper, warehouse and
 * archives from its outputs, computes the customer keys with the pepper (`keysFor`),
 * and erases them (`eraseCustomersInAws`). Run it as the data stack's erasure role
 * (`ErasureRoleArn` output, MFA): only that role may read the pepper and the raw
 * archive and rewrite them.
 */
export async function eraseInAws(
  options: AwsTargetOptions & { readonly dryRun?: boolean },
  keysFor: (pepper: string) => Promise<string[]>,
  erasedAt: Date,
  clients: AwsErasureClients = {},
): Promise<AwsErasureReport> {
  const region = awsRegion(options);
  const stack = options.stack ?? DEFAULT_DATA_STACK;
  let outputs: Record<(typeof OUTPUTS)[number], string>;
  try {
    outputs = await readOutputs(clients.cloudFormation ?? new CloudFormationClient({ region }), stack, OUTPUTS);
  } catch (error) {
    throw describeAwsError(error, `reading the outputs of stack ${stack} in ${region}`, ERASURE_ROLE_HINT);
  }
  let pepper: string;
  try {
    const secret = await (clients.secrets ?? new SecretsManagerClient({ region })).send(new GetSecretValueCommand({ SecretId: outputs[StackOutput.PepperSecretArn] }));
    pepper = secret.SecretString ?? '';
  } catch (error) {
    throw describeAwsError(error, 'reading the pepper', ERASURE_ROLE_HINT);
  }
  const keys = await keysFor(pepper);
  try {
    return await eraseCustomersInAws(
      {
        s3: clients.s3 ?? new S3Client({ region }),
        redshift: clients.redshift ?? new RedshiftDataClient({ region }),
        warehouse: { workgroupName: outputs[StackOutput.WorkgroupName], database: outputs[StackOutput.DatabaseName], secretArn: outputs[StackOutput.AdminSecretArn] },
        warehouseBucket: outputs[StackOutput.WarehouseBucketName],
        rawArchiveBucket: outputs[StackOutput.RawArchiveBucketName],
        pepper,
      },
      keys,
      erasedAt,
      options.dryRun,
    );
  } catch (error) {
    throw describeAwsError(error, 'erasing (run it again to finish: every step is safe to repeat)', ERASURE_ROLE_HINT);
  }
}
