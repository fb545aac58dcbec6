import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from '../nag.js';

/**
 * The SQS queue a function's failures land in: encrypted, TLS only, kept 14 days
 * for an operator to inspect and redrive. Created as `DeadLetterQueue` under
 * `scope`; `owner` says whose dead letters these are (for the nag acknowledgement).
 */
export function createDeadLetterQueue(scope: Construct, owner: string): Queue {
  const queue = new Queue(scope, 'DeadLetterQueue', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  acknowledge(queue, { id: 'AwsSolutions-SQS3', reason: `This queue is ${owner}; it needs no dead-letter queue of its own.` });
  return queue;
}
