import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIREHOSE_RECORD_TARGET_BYTES } from '../../consumers/sales-transform/adapters/firehose-sink.js';
import { DEFAULT_SETTINGS } from '../../tools/capacity/plan-inputs.js';
import { combineTemplates, holdTemplateToPlan, settingsFromTemplate, type CfnTemplate } from '../../tools/capacity/template-settings.js';
import { buildApp } from '../../infra/aws/build-app.js';
import { FIXTURE_ENTRIES, testApp, testStacks, type TestStacksOptions } from './helpers.js';

/** The data and pipeline stacks' templates as one, the way the planner reads them. */
function deployedTemplate(options: TestStacksOptions = {}): CfnTemplate {
  const { data, pipeline } = testStacks({ grafana: 'none', ...options });
  return combineTemplates(Template.fromStack(data).toJSON() as CfnTemplate, Template.fromStack(pipeline).toJSON() as CfnTemplate);
}

/**
 * The synthesised template's capacity settings against the capacity planner
 * (tools/capacity). Values are read from the template, not the constructs'
 * constants, so the constructs can be reorganised freely.
 */
describe('Stacks: DataStack and PipelineStack against the capacity plan', () => {
  let template: CfnTemplate;

  beforeAll(() => {
    template = deployedTemplate();
  });

  it('reads the deployed stream mode, memory, batching, buffering, load schedule and base capacity from the templates', () => {
    // Act
    const settings = settingsFromTemplate(template);
    // Assess: cdk.json's defaults and the construct defaults.
    expect(settings).toMatchObject({
      streamCapacity: 'ON_DEMAND',
      shardCount: undefined,
      ingestMemoryMb: 1769,
      consumerMemoryMb: 512,
      tillApiMemoryMb: 256,
      consumerBatchSize: 500,
      consumerBatchingWindowSeconds: 5,
      consumerParallelizationFactor: 1,
      firehoseBufferSeconds: 300,
      firehoseBufferMb: 5,
      deliveryStreams: 7,
      mergeIntervalMinutes: 15,
      redshiftBaseCapacity: 8,
      tillApiRateLimit: 50,
      tillApiBurstLimit: 100,
    });
    expect(settings.cloudwatchAlarms).toBeGreaterThan(0);
    expect(settings.kmsKeys).toBeGreaterThan(0);
  });

  it('reads only the warehouse delivery streams (Direct PUT into S3), not the raw archive that reads the stream', () => {
    // Act: the raw archive buffers 900 s; the warehouse streams 300 s.
    const settings = settingsFromTemplate(template);
    // Assess
    expect(settings).toMatchObject({ deliveryStreams: 7, firehoseBufferSeconds: 300 });
  });

  it('refuses a single stack: the stream and workgroup are in the data stack, the functions in the pipeline stack', () => {
    // Act / Assess
    const pipelineOnly = Template.fromStack(testStacks({ grafana: 'none' }).pipeline).toJSON() as CfnTemplate;
    expect(() => settingsFromTemplate(pipelineOnly)).toThrow(/AWS::Kinesis::Stream.*combineTemplates/);
  });

  it('follows a provisioned stream and a reserved ingest concurrency set by context', () => {
    // Act
    const settings = settingsFromTemplate(deployedTemplate({ data: { streamCapacity: 'PROVISIONED', shardCount: 2 }, pipeline: { ingestReservedConcurrency: 5, firehoseBufferSeconds: 600, mergeIntervalMinutes: 30 } }));
    // Assess
    expect(settings).toMatchObject({ streamCapacity: 'PROVISIONED', shardCount: 2, ingestReservedConcurrency: 5, firehoseBufferSeconds: 600, mergeIntervalMinutes: 30 });
  });

  it('fits 50 branches in London at the defaults', () => {
    // Act
    const { exceeded } = holdTemplateToPlan(template, { branches: 50, salesPerBranchPerDay: 300, tillShare: 0.2 }, 'eu-west-2');
    // Assess
    expect(exceeded).toEqual([]);
  });

  it('plans the Firehose packing the sink does (rows per record by bytes)', () => {
    // Assess
    expect(DEFAULT_SETTINGS.firehoseRecordBytes).toBe(FIREHOSE_RECORD_TARGET_BYTES);
  });

  it('at the defaults no quota is exceeded for 500 branches × 300 sales in London', () => {
    // Act
    const { exceeded } = holdTemplateToPlan(template, { branches: 500, salesPerBranchPerDay: 300, tillShare: 0.2 }, 'eu-west-2');
    // Assess
    expect(exceeded).toEqual([]);
  });

  it('holds the prod environment as built (ingest capped at 7, consumer 10 and till API 5 reserved) to 5,000 branches in London', () => {
    // Prepare
    const built = buildApp(testApp({ context: { 'supercafe:environment': 'prod', 'supercafe:alarmEmail': 'ops@example.com' } }), FIXTURE_ENTRIES);
    const prod = combineTemplates(Template.fromStack(built.data).toJSON() as CfnTemplate, Template.fromStack(built.pipeline).toJSON() as CfnTemplate);
    // Act
    const { settings, exceeded, plan } = holdTemplateToPlan(prod, { branches: 5000, salesPerBranchPerDay: 300, tillShare: 0.2 }, 'eu-west-2');
    // Assess
    expect(settings).toMatchObject({ ingestReservedConcurrency: 7, consumerReservedConcurrency: 10, tillApiReservedConcurrency: 5 });
    expect(exceeded).toEqual([]);
    // Without the cap the night's files would exceed London's 1 MiB/s a delivery stream.
    const uncapped = holdTemplateToPlan(template, { branches: 5000, salesPerBranchPerDay: 300, tillShare: 0.2 }, 'eu-west-2');
    expect(uncapped.exceeded.map((quota) => quota.id)).toContain('firehose-throughput');
    expect(plan.lambda.nightlyDrainSeconds).toBeLessThan(15 * 60);
  });
});
