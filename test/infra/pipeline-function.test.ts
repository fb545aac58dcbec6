import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CfnResource } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { METRICS_NAMESPACE } from '../../contracts/index.js';
import { BUNDLE_TARGET, LAMBDA_RUNTIME, MIN_NODE_MAJOR, PipelineFunction, logWithRetention, repoPath } from '../../infra/aws/constructs/pipeline-function.js';
import { testStack } from './helpers.js';

describe('Construct: PipelineFunction', () => {
  let template: Template;
  let bundle: string;

  beforeAll(() => {
    // Prepare: real esbuild bundling, offline, of one of the pipeline's own functions.
    const stack = testStack({ bundle: true, context: { 'aws:cdk:enable-asset-metadata': true } });
    new PipelineFunction(stack, 'Check', { entry: repoPath('infra/aws/functions/missing-uploads.ts'), serviceName: 'missing-uploads', description: 'test' });

    // Act
    const assembly = stack.node.root as unknown as { synth(): { directory: string } };
    const out = assembly.synth();
    template = Template.fromStack(stack);
    const [code] = Object.values(template.findResources('AWS::Lambda::Function')) as { Metadata: { 'aws:asset:path': string } }[];
    bundle = join(out.directory, code?.Metadata['aws:asset:path'] ?? '');
  }, 60_000);

  it('bundles the handler locally with esbuild as an ES module', () => {
    // Assess
    const entry = join(bundle, 'index.mjs');
    expect(existsSync(entry)).toBe(true);
    const source = readFileSync(entry, 'utf8');
    expect(source.startsWith("import { createRequire as __createRequire } from 'node:module';")).toBe(true);
    expect(source).toMatch(/export\s*\{[^}]*handler/);
  });

  it('runs Node 24 on arm64 with X-Ray, source maps and the Powertools settings', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^CheckLogs') } },
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'missing-uploads', POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE, NODE_OPTIONS: '--enable-source-maps' } },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('bundles for the runtime it runs on', () => {
    // Assess
    expect(LAMBDA_RUNTIME.name).toBe(`nodejs${BUNDLE_TARGET.replace('node', '')}.x`);
    expect(Number(/^nodejs(\d+)/.exec(LAMBDA_RUNTIME.name)?.[1])).toBeGreaterThanOrEqual(MIN_NODE_MAJOR);
  });

  it('gives a function aws-cdk-lib makes for itself a log group with a retention', () => {
    // Prepare
    const stack = testStack();
    const handler = new CfnResource(stack, 'Handler', { type: 'AWS::Lambda::Function', properties: { Runtime: 'python3.13' } });

    // Act
    logWithRetention(stack, 'HandlerLogs', handler);

    // Assess
    const after = Template.fromStack(stack);
    after.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^HandlerLogs') } } });
    after.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });
});
