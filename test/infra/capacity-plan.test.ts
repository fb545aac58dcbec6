import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PipelineStack } from '../../infra/aws/stacks/pipeline-stack.js';
import { holdTemplateToPlan, settingsFromTemplate, type CfnTemplate } from '../../tools/capacity/template-settings.js';
import { FIXTURE_ENTRIES, testApp } from './helpers.js';

/**
 * The synthesised template's capacity settings against the capacity planner
 * (tools/capacity). Values are read from the template, not the constructs'
 * constants, so the constructs can be reorganised freely.
 */
describe('Stack: PipelineStack against the capacity plan', () => {
  let template: CfnTemplate;

  beforeAll(() => {
    const stack = new PipelineStack(testApp(), 'SuperCafePipeline', { handlerEntries: FIXTURE_ENTRIES });
    template = Template.fromStack(stack).toJSON() as CfnTemplate;
  });

  it('reads the deployed stream mode, memory, batching, buffering, merge and base capacity from the template', () => {
    // Act
    const settings = settingsFromTemplate(template);
    // Assess: cdk.json's defaults and the construct defaults.
    expect(settings).toMatchObject({
      streamCapacity: 'ON_DEMAND',
      shardCount: undefined,
      ingestMemoryMb: 512,
      consumerMemoryMb: 512,
      tillApiMemoryMb: 256,
      consumerBatchSize: 500,
      consumerBatchingWindowSeconds: 5,
      consumerParallelizationFactor: 1,
      firehoseBufferSeconds: 300,
      firehoseBufferMb: 5,
      deliveryStreams: 4,
      mergeIntervalMinutes: 15,
      redshiftBaseCapacity: 8,
      tillApiRateLimit: 50,
      tillApiBurstLimit: 100,
    });
    expect(settings.cloudwatchAlarms).toBeGreaterThan(0);
    expect(settings.kmsKeys).toBeGreaterThan(0);
  });

  it('follows a provisioned stream and a reserved ingest concurrency set by context', () => {
    // Act
    const stack = new PipelineStack(testApp({ context: {} }), 'Provisioned', {
      handlerEntries: FIXTURE_ENTRIES,
      streamCapacity: 'PROVISIONED',
      shardCount: 2,
      ingestReservedConcurrency: 5,
    });
    const settings = settingsFromTemplate(Template.fromStack(stack).toJSON() as CfnTemplate);
    // Assess
    expect(settings).toMatchObject({ streamCapacity: 'PROVISIONED', shardCount: 2, ingestReservedConcurrency: 5 });
  });

  it('fits 50 branches in London at the defaults', () => {
    // Act
    const { exceeded } = holdTemplateToPlan(template, { branches: 50, salesPerBranchPerDay: 300, tillShare: 0.2 }, 'eu-west-2');
    // Assess
    expect(exceeded).toEqual([]);
  });

  it('finds, today, only the Firehose records/s quota exceeded by 500 branches in London (issue 16 item 5)', () => {
    // Act
    const { exceeded } = holdTemplateToPlan(template, { branches: 500, salesPerBranchPerDay: 300, tillShare: 0.2 }, 'eu-west-2');
    // Assess
    expect(exceeded.map((quota) => quota.id)).toEqual(['firehose-records']);
  });

  // Issue 16 item 5 chooses batch sizes, reserved concurrency and Firehose packing from the plan; when it lands this passes: drop `.fails`.
  it.fails('at the defaults no quota is exceeded for 500 branches × 300 sales in London', () => {
    // Act
    const { exceeded } = holdTemplateToPlan(template, { branches: 500, salesPerBranchPerDay: 300, tillShare: 0.2 }, 'eu-west-2');
    // Assess
    expect(exceeded).toEqual([]);
  });
});
