import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DashboardsStack } from '../../infra/aws/stacks/dashboards-stack.js';
import { DataStack, type DataStackProps } from '../../infra/aws/stacks/data-stack.js';
import { PipelineStack, type HandlerEntries, type PipelineStackProps } from '../../infra/aws/stacks/pipeline-stack.js';

const cdkJson = JSON.parse(readFileSync(fileURLToPath(new URL('../../cdk.json', import.meta.url)), 'utf8')) as { context: Record<string, unknown> };

/** The stand-in handler module: the real handlers are bundled by `npm run synth`, not here. */
export const FIXTURE_HANDLER = fileURLToPath(new URL('./fixtures/handler.ts', import.meta.url));

/** Every handler entry pointed at the stand-in. */
export const FIXTURE_ENTRIES: HandlerEntries = { ingest: FIXTURE_HANDLER, transform: FIXTURE_HANDLER, tillApi: FIXTURE_HANDLER };

export interface TestAppOptions {
  /** Run esbuild for NodejsFunction assets (off: one test covers bundling). */
  readonly bundle?: boolean;
  /** Run CDK's built-in CloudFormation validation (slow; the nag test turns it on). */
  readonly cfnValidation?: boolean;
  readonly context?: Record<string, unknown>;
}

/** An App with cdk.json's context and feature flags, so tests synthesise what `cdk synth` does. */
export function testApp(options: TestAppOptions = {}): App {
  return new App({
    builtinCloudFormationValidation: options.cfnValidation ?? false,
    context: {
      ...cdkJson.context,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
}

/** A fresh stack in a fresh test App. */
export function testStack(options: TestAppOptions = {}): Stack {
  return new Stack(testApp(options), 'TestStack');
}

/** The template of a stack built by `build` in a fresh test stack. */
export function templateOf(build: (stack: Stack) => void, options: TestAppOptions = {}): Template {
  const stack = testStack(options);
  build(stack);
  return Template.fromStack(stack);
}

/** The one resource of a type whose logical id starts with `prefix`. */
export function logicalIdOf(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} starting ${prefix}, found ${ids.join(', ') || 'none'}`);
  return ids[0] as string;
}

/** The three stacks as `infra/aws/app.ts` builds them, with the stand-in handlers. */
export interface TestStacks {
  readonly app: App;
  readonly data: DataStack;
  readonly pipeline: PipelineStack;
  readonly dashboards: DashboardsStack | undefined;
}

export interface TestStacksOptions extends TestAppOptions {
  readonly data?: Omit<DataStackProps, 'env'>;
  readonly pipeline?: Omit<PipelineStackProps, 'data' | 'handlerEntries'>;
  /** Grafana sign-in; `none` leaves the dashboards stack out. */
  readonly grafana?: 'AWS_SSO' | 'SAML' | 'none';
}

export function testStacks(options: TestStacksOptions = {}): TestStacks {
  const app = testApp(options);
  const data = new DataStack(app, 'SuperCafeData', options.data);
  const pipeline = new PipelineStack(app, 'SuperCafePipeline', { ...options.pipeline, data, handlerEntries: FIXTURE_ENTRIES });
  const grafana = options.grafana ?? 'AWS_SSO';
  const dashboards = grafana === 'none' ? undefined : new DashboardsStack(app, 'SuperCafeDashboards', { data, authentication: grafana });
  return { app, data, pipeline, dashboards };
}

/** The personal-data role path pattern of the test data stack, as a policy's `aws:PrincipalArn` condition holds it. */
export function rolesUnderJoin(path: string): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, `:role${path}*`]] };
}
