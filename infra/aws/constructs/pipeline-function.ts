import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
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
 * The Lambda runtime of every pipeline function, in one place. Node.js 20 matches
 * `engines` in package.json and the local stack; move both together.
 */
export const LAMBDA_RUNTIME = Runtime.NODEJS_20_X;

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
  readonly logRetention?: RetentionDays;
  readonly reservedConcurrentExecutions?: number;
}

/**
 * A pipeline Lambda with the house defaults: NodejsFunction bundled locally by
 * esbuild as ESM for Node 20 on arm64 (cheaper per GB-second), the AWS SDK bundled
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

    this.function = new NodejsFunction(this, 'Function', {
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
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node20',
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

    acknowledge(
      this.function,
      {
        id: 'AwsSolutions-L1',
        reason: 'Node.js 20 is pinned on purpose: it is the engines version the handlers are built and tested with locally (LAMBDA_RUNTIME, one constant).',
      },
      {
        id: 'CloudFormation-Validate::W2531',
        reason: 'nodejs20.x is deprecated (2026-04-30); Lambda blocks creating functions on it from 2027-02-01. Kept to match the local Node 20 toolchain until LAMBDA_RUNTIME and engines move together (see docs/aws.md).',
      },
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
    );
  }
}
