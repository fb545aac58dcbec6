import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { MIN_NODE_MAJOR } from '../../infra/aws/constructs/pipeline-function.js';
import { testStacks, type TestStacks } from './helpers.js';

/**
 * What makes a first deploy into a fresh account safe to fail and retry: every
 * stateful resource is kept when removed, but not when its own creation rolls
 * back, and none has a fixed name (a retained resource holding the name would
 * make every retry fail on it). And what keeps it patched and tidy: every
 * function on Node.js 22 or later, every log group with a retention.
 */

/** Resource types that hold data, with the property that would give them a fixed name. */
const STATEFUL_TYPES: Readonly<Record<string, string | undefined>> = {
  'AWS::S3::Bucket': 'BucketName',
  'AWS::KMS::Key': undefined,
  'AWS::Kinesis::Stream': 'Name',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::RedshiftServerless::Namespace': 'NamespaceName',
  'AWS::SecretsManager::Secret': 'Name',
};
/** Stateless resources whose name property is nonetheless unique per account (a retry of a failed create would meet it). */
const NAMED_TYPES: Readonly<Record<string, string>> = {
  'AWS::RedshiftServerless::Workgroup': 'WorkgroupName',
  'AWS::Grafana::Workspace': 'Name',
  'AWS::Events::Rule': 'Name',
  'AWS::Scheduler::Schedule': 'Name',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::KinesisFirehose::DeliveryStream': 'DeliveryStreamName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
};

type Resource = { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };

/** A name is fixed unless CloudFormation makes it (absent) or it is derived from the stack's own id. */
function isFixedName(value: unknown): boolean {
  if (value === undefined) return false;
  return !JSON.stringify(value).includes('"Ref":"AWS::StackId"');
}

describe('Deployment: a fresh account deploys cleanly', () => {
  let stacks: TestStacks;
  let templates: [string, Template][];
  let resources: [string, string, Resource][];

  beforeAll(() => {
    stacks = testStacks();
    templates = [stacks.data, stacks.pipeline, stacks.dashboards!].map((stack) => [stack.stackName, Template.fromStack(stack)]);
    resources = templates.flatMap(([stack, template]) => Object.entries(template.toJSON().Resources as Record<string, Resource>).map(([id, resource]) => [stack, id, resource] as [string, string, Resource]));
  });

  it('keeps every stateful resource on update or delete, but not after a failed first creation', () => {
    // Assess
    const stateful = resources.filter(([, , resource]) => resource.Type in STATEFUL_TYPES);
    expect(stateful.length).toBeGreaterThanOrEqual(12);
    for (const [stack, id, resource] of stateful) {
      expect({ id: `${stack}/${id}`, deletion: resource.DeletionPolicy, replace: resource.UpdateReplacePolicy }).toEqual({ id: `${stack}/${id}`, deletion: 'RetainExceptOnCreate', replace: 'Retain' });
    }
  });

  it('uses a plain Retain deletion policy nowhere', () => {
    // Assess
    expect(resources.filter(([, , resource]) => resource.DeletionPolicy === 'Retain').map(([stack, id]) => `${stack}/${id}`)).toEqual([]);
  });

  it('gives no stateful or account-unique resource a fixed physical name', () => {
    // Assess
    const fixed = resources
      .filter(([, , resource]) => {
        const nameProperty = STATEFUL_TYPES[resource.Type] ?? NAMED_TYPES[resource.Type];
        return nameProperty !== undefined && isFixedName(resource.Properties?.[nameProperty]);
      })
      .map(([stack, id]) => `${stack}/${id}`);
    expect(fixed).toEqual([]);
  });

  it('names the Redshift namespace after the stack instance, so a retry after a failed create never meets the old name', () => {
    // Assess
    const [namespace] = resources.filter(([, , resource]) => resource.Type === 'AWS::RedshiftServerless::Namespace');
    expect(JSON.stringify(namespace?.[2].Properties?.NamespaceName)).toContain('"Ref":"AWS::StackId"');
  });

  it('puts every stateful resource in the data stack, and none in the pipeline or dashboards stacks', () => {
    // Assess: the alarm topic's key is the one key outside (it protects no stored data) and is kept like the rest.
    const elsewhere = resources.filter(([stack, , resource]) => stack !== stacks.data.stackName && resource.Type in STATEFUL_TYPES && resource.Type !== 'AWS::KMS::Key');
    expect(elsewhere.map(([stack, id]) => `${stack}/${id}`)).toEqual([]);
    const keysElsewhere = resources.filter(([stack, , resource]) => stack !== stacks.data.stackName && resource.Type === 'AWS::KMS::Key');
    expect(keysElsewhere.map(([, id]) => id)).toEqual([expect.stringMatching(/^MonitoringTopicKey/)]);
  });

  it(`runs every function on Node.js ${MIN_NODE_MAJOR} or later`, () => {
    // Assess
    const functions = resources.filter(([, , resource]) => resource.Type === 'AWS::Lambda::Function');
    const node = functions.map(([stack, id, resource]) => [`${stack}/${id}`, String(resource.Properties?.Runtime)] as const).filter(([, runtime]) => runtime.startsWith('nodejs'));
    expect(node.length).toBeGreaterThanOrEqual(10);
    for (const [id, runtime] of node) expect({ id, major: Number(/^nodejs(\d+)/.exec(runtime)?.[1]) }).toEqual({ id, major: expect.any(Number) as number });
    expect(node.filter(([, runtime]) => Number(/^nodejs(\d+)/.exec(runtime)?.[1]) < MIN_NODE_MAJOR)).toEqual([]);
  });

  it('gives every function a log group of its own, and every log group a retention', () => {
    // Assess
    for (const [stack, template] of templates) {
      const groups = template.findResources('AWS::Logs::LogGroup') as Record<string, Resource>;
      for (const [id, group] of Object.entries(groups)) expect({ id: `${stack}/${id}`, days: group.Properties?.RetentionInDays }).toEqual({ id: `${stack}/${id}`, days: expect.any(Number) as number });
      const functions = template.findResources('AWS::Lambda::Function') as Record<string, Resource>;
      for (const [id, fn] of Object.entries(functions)) {
        const logGroup = (fn.Properties?.LoggingConfig as { LogGroup?: { Ref?: string } } | undefined)?.LogGroup;
        expect({ id: `${stack}/${id}`, logGroup: logGroup?.Ref !== undefined && logGroup.Ref in groups }).toEqual({ id: `${stack}/${id}`, logGroup: true });
      }
    }
  });
});
