import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CredentialStore } from '../../../producers/till-api/credentials/credentials.js';
import { createDynamoCredentialStore } from '../../../producers/till-api/credentials/adapters/dynamodb-credential-store.js';
import { readOutputs } from '../../aws/scripts/stack-outputs.js';
import { StackOutput } from '../../aws/stack-outputs.js';
import { DEFAULT_DATA_STACK, type AwsTargetOptions } from './aws-target-options.js';
import { CliError } from './exit-status.js';

/**
 * The deployed pipeline as the CLI reaches it (options in aws-target-options.ts):
 * the table from the data stack's outputs unless named, the Region from the flag
 * or the environment, the AWS SDK's usual credential chain (profile, SSO,
 * environment). Loaded only when a command runs with `--aws`.
 */

/** The Region to work in; a clear error when none is set. */
export function awsRegion(options: AwsTargetOptions, env: NodeJS.ProcessEnv = process.env): string {
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new CliError('which AWS Region? pass --region (e.g. --region eu-west-2) or set AWS_REGION');
  return region;
}

/** The AWS SDK's errors as one line an operator can act on (no stack trace, never request content). */
export function describeAwsError(error: unknown, what: string, accessHint = "attach the stack's TillOperatorPolicyArn policy"): CliError {
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'CredentialsProviderError' || /Could not load credentials/.test(message)) return new CliError(`${what}: no AWS credentials (aws sso login, or set AWS_PROFILE)`);
  if (name === 'AccessDeniedException' || name === 'AccessDenied') return new CliError(`${what}: access denied (${message}); ${accessHint}`);
  if (name === 'ResourceNotFoundException') return new CliError(`${what}: ${message} (is the table name right, and the Region?)`);
  return new CliError(`${what}: ${message}`);
}

/** SDK clients, injectable for tests. */
export interface AwsClients {
  readonly cloudFormation?: CloudFormationClient;
  readonly dynamo?: DynamoDBClient;
}

/** The deployed till-credentials table: `--table`, or the data stack's `TillCredentialsTable` output. */
export async function tillCredentialsTable(options: AwsTargetOptions, clients: AwsClients = {}): Promise<{ tableName: string; region: string }> {
  const region = awsRegion(options);
  if (options.table) return { tableName: options.table, region };
  const stack = options.stack ?? DEFAULT_DATA_STACK;
  try {
    const outputs = await readOutputs(clients.cloudFormation ?? new CloudFormationClient({ region }), stack, [StackOutput.TillCredentialsTable]);
    return { tableName: outputs[StackOutput.TillCredentialsTable], region };
  } catch (error) {
    throw describeAwsError(error, `reading the outputs of stack ${stack} in ${region}`);
  }
}

/** The CredentialStore on the deployed DynamoDB table, with where it is (for the command's output). */
export async function deployedTillStore(options: AwsTargetOptions, clients: AwsClients = {}): Promise<{ store: CredentialStore; tableName: string; region: string }> {
  const { tableName, region } = await tillCredentialsTable(options, clients);
  const store = createDynamoCredentialStore({ client: clients.dynamo ?? new DynamoDBClient({ region }), tableName });
  // Every call names the table in its error, so a wrong Region or a missing policy says so.
  const wrap =
    <A extends unknown[], R>(what: string, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (error) {
        throw describeAwsError(error, `${what} DynamoDB table ${tableName} (${region})`);
      }
    };
  return {
    store: { find: wrap('reading', store.find), insert: wrap('writing to', store.insert), revoke: wrap('writing to', store.revoke), list: wrap('listing', store.list) },
    tableName,
    region,
  };
}
