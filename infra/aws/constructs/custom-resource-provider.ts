import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { CfnFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Provider } from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { acknowledge } from '../nag.js';

/**
 * The CDK Provider framework in front of a deploy-time custom resource's handler
 * (`Provider` and `ProviderLogs` in `scope`): its logs kept a month, and the
 * cdk-nag findings every Provider brings acknowledged with their reasons.
 */
export function customResourceProvider(scope: Construct, handler: IFunction): Provider {
  const provider = new Provider(scope, 'Provider', {
    onEventHandler: handler,
    logGroup: new LogGroup(scope, 'ProviderLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
  });
  const cfnHandler = handler.node.defaultChild as CfnFunction;
  acknowledge(
    provider,
    { id: 'AwsSolutions-L1', reason: 'The Provider framework Lambda and its runtime are managed by aws-cdk-lib.' },
    {
      id: 'AwsSolutions-IAM4',
      finding: 'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      reason: 'The Provider framework Lambda only writes its own logs with AWSLambdaBasicExecutionRole.',
    },
    {
      id: 'AwsSolutions-IAM5',
      finding: `Resource::<${Stack.of(cfnHandler).getLogicalId(cfnHandler)}.Arn>:*`,
      reason: 'The Provider framework may invoke any version of its handler function (its ARN with :*), and no other function.',
    },
  );
  return provider;
}
