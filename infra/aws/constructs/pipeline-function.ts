import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, type CfnResource } from 'aws-cdk-lib';
import { ManagedPolicy, Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { acknowledge } from '../nag.js';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../../contracts/index.js';

/** The repository root: NodejsFunction entries and the lock file are resolved from it. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A path inside the repository, absolute. */
export function repoPath(relative: string): string {
  return fileURLToPath(new URL(relative, `file://${REPO_ROOT}`));
}

/**
 * The Lambda runtime of every pipeline function, in one place: Node.js 24, the
 * current LTS (Node.js 20 was deprecated on 2026-04-30). The handlers use nothing
 * newer than Node 20 (the local toolchain, `engines`), so they run unchanged on
 * it; esbuild targets the runtime's version.
 */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;
/** The esbuild target matching LAMBDA_RUNTIME. */
export const BUNDLE_TARGET = 'node24';
/** The oldest Node.js major any function may run (a test fails below it). */
export const MIN_NODE_MAJOR = 22;

/** Validates a memory size: Lambda accepts 128–10240 MB. */
export function checkMemorySize(owner: string, memorySize: number): number {
  if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10_240) {
    throw new Error(`${owner}: memorySize must be an integer from 128 to 10240 MB, got ${memorySize}`);
  }
  return memorySize;
}

export interface PipelineFunctionProps {
  /** The handler module (TypeScript), bundled by esbuild; it must export `handler`. */
  readonly entry: string;
  /** Powertools service name, also the metric dimension `service`. */
  readonly serviceName: string;
  readonly description: string;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  readonly environment?: Readonly<Record<string, string>>;
  /** Node options beside `--enable-source-maps` (`NODE_OPTIONS`), e.g. a V8 heap size. */
  readonly nodeOptions?: readonly string[];
  readonly logRetention?: RetentionDays;
  readonly reservedConcurrentExecutions?: number;
  /**
   * The IAM path of the function's role (`access.ts`): a role under the personal-data
   * path may decrypt raw data, as the data stack's key and resource policies allow.
   * Ignored when `role` is given.
   */
  readonly rolePath?: string;
  /** A role made by the caller (e.g. one the warehouse maps to a database role by tag). */
  readonly role?: IRole;
}

/** The execution role of a pipeline function: logs (the managed basic policy), under `path` when given. */
export function createFunctionRole(scope: Construct, id: string, description: string, path?: string): Role {
  return new Role(scope, id, {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description,
    path,
    managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
  });
}

/**
 * A pipeline Lambda with the house defaults: NodejsFunction bundled locally by
 * esbuild as ESM for Node 24 on arm64 (cheaper per GB-second), the AWS SDK bundled
 * (the version the tests ran against, not whatever the runtime ships), X-Ray
 * tracing for Powertools Tracer, Powertools service and namespace in the
 * environment, and its own log group with a retention so logs do not pile up.
 */
export class PipelineFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    const memorySize = checkMemorySize(id, props.memorySize ?? 256);

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // IAM descriptions take Latin-1 only (no arrows): name the service.
    const role = props.role ?? createFunctionRole(this, 'Role', `Execution role of the ${props.serviceName} function`, props.rolePath);

    this.function = new NodejsFunction(this, 'Function', {
      role,
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize,
      timeout: props.timeout ?? Duration.seconds(60),
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      projectRoot: REPO_ROOT,
      depsLockFilePath: repoPath('package-lock.json'),
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        NODE_OPTIONS: ['--enable-source-maps', ...(props.nodeOptions ?? [])].join(' '),
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLE_TARGET,
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        bundleAwsSDK: true,
        // esbuild's own warnings and errors only, not its size summary.
        logLevel: LogLevel.WARNING,
        // Some dependencies still call require(); give the ESM bundle one.
        banner: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
      },
    });

    const acknowledgements = [
      {
        id: 'AwsSolutions-IAM4',
        finding: 'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        reason: 'AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch logs; it grants no data access.',
      },
      {
        id: 'AwsSolutions-IAM5',
        finding: 'Resource::*',
        reason: 'X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions (CDK adds them for Tracing.ACTIVE); no other statement of this role uses "*".',
      },
    ];
    acknowledge(this, ...acknowledgements);
    // A caller's role sits elsewhere in the tree; the same findings arise on it.
    if (props.role instanceof Construct) acknowledge(props.role, ...acknowledgements);
  }
}

/**
 * Gives a function aws-cdk-lib makes for itself (a custom-resource handler) a log
 * group with a retention: left alone, Lambda creates `/aws/lambda/<name>` on first
 * run and keeps its logs for ever. `handler` is the function's CloudFormation resource.
 */
export function logWithRetention(scope: Construct, id: string, handler: CfnResource, retention = RetentionDays.ONE_MONTH): LogGroup {
  const logs = new LogGroup(scope, id, { retention, removalPolicy: RemovalPolicy.DESTROY });
  handler.addPropertyOverride('LoggingConfig', { LogGroup: logs.logGroupName });
  return logs;
}
