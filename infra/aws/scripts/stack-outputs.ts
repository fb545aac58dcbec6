import { DescribeStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { StackOutput } from '../stack-outputs.js';

/**
 * Reads named outputs of a deployed stack; a missing one fails naming the stack
 * and the output (a script run against the wrong stack says so, not "undefined").
 */
export async function readOutputs<K extends StackOutput>(client: CloudFormationClient, stackName: string, keys: readonly K[]): Promise<Record<K, string>> {
  const described = await client.send(new DescribeStacksCommand({ StackName: stackName }));
  const outputs = described.Stacks?.[0]?.Outputs ?? [];
  const byKey = new Map(outputs.flatMap((output) => (output.OutputKey && output.OutputValue ? [[output.OutputKey, output.OutputValue] as const] : [])));
  const missing = keys.filter((key) => !byKey.has(key));
  if (missing.length > 0) throw new Error(`stack ${stackName} has no output ${missing.join(', ')} (is it the data stack, deployed?)`);
  return Object.fromEntries(keys.map((key) => [key, byKey.get(key) as string])) as Record<K, string>;
}
