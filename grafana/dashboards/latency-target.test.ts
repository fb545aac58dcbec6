import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PipelineStack } from '../../infra/aws/stacks/pipeline-stack.js';
import { FIXTURE_ENTRIES, testApp } from '../../test/infra/helpers.js';
import { capacityProgram } from '../../tools/capacity/cli.js';
import { AWS_LATENCY, AWS_UPLOAD_TO_PANEL_MINUTES } from '../panels/freshness.js';
import { parseDuration } from '../viewer/time-range.js';

/**
 * The upload-to-panel target the freshness panel states for AWS holds for the
 * stack as synthesised at its defaults: no Firehose stream into Redshift
 * buffers longer, the merge into the final tables runs at least as often, the
 * AWS dashboard refreshes at least as often as the panel says, and the capacity
 * planner's worst case for the repository's settings is within the target.
 */
type Resources = Record<string, { Properties: Record<string, unknown> }>;

let template: Template;

beforeAll(() => {
  template = Template.fromStack(new PipelineStack(testApp(), 'SuperCafePipeline', { handlerEntries: FIXTURE_ENTRIES }));
});

describe('Dashboard: the AWS latency target on the freshness panel', () => {
  it('counts a Firehose buffer no shorter than any stream into Redshift uses', () => {
    // Act
    const streams = Object.values(template.findResources('AWS::KinesisFirehose::DeliveryStream') as Resources)
      .map((resource) => resource.Properties.RedshiftDestinationConfiguration as { S3Configuration: { BufferingHints: { IntervalInSeconds: number } } } | undefined)
      .filter((destination) => destination !== undefined);
    // Assess
    expect(streams.length).toBeGreaterThan(0);
    for (const destination of streams) expect(destination.S3Configuration.BufferingHints.IntervalInSeconds).toBeLessThanOrEqual(AWS_LATENCY.firehoseBufferMinutes * 60);
  });

  it('counts a merge interval no shorter than the merge schedule', () => {
    // Act
    const merges = Object.entries(template.findResources('AWS::Events::Rule') as Resources).filter(([id]) => id.includes('MergeSchedule'));
    // Assess
    expect(merges).toHaveLength(1);
    const rate = /^rate\((\d+) minutes?\)$/.exec(String(merges[0]?.[1].Properties.ScheduleExpression));
    expect(Number(rate?.[1])).toBeLessThanOrEqual(AWS_LATENCY.mergeIntervalMinutes);
  });

  it('is no less than the capacity planner’s worst upload-to-panel latency, and not far above it', async () => {
    // Prepare
    let printed = '';
    // Act
    await capacityProgram((text) => (printed += text), join(import.meta.dirname, '..', '..')).parseAsync(['node', 'capacity', '--json']);
    const plan = JSON.parse(printed) as { latency: { worstSeconds: number } };
    // Assess
    expect(plan.latency.worstSeconds).toBeLessThanOrEqual(AWS_UPLOAD_TO_PANEL_MINUTES * 60);
    expect(plan.latency.worstSeconds).toBeGreaterThan((AWS_UPLOAD_TO_PANEL_MINUTES - 10) * 60);
  });

  it('counts the AWS dashboard’s own refresh, and states the target on the panel', async () => {
    // Prepare
    const built = JSON.parse(await readFile(join(import.meta.dirname, 'aws', 'sales-overview.json'), 'utf8')) as { refresh: string; panels: { title?: string; description?: string }[] };
    // Assess
    expect(parseDuration(built.refresh) / 60_000).toBeLessThanOrEqual(AWS_LATENCY.refreshMinutes);
    const panel = built.panels.find((candidate) => candidate.title === 'Warehouse freshness');
    expect(panel?.description).toContain(`within ${AWS_UPLOAD_TO_PANEL_MINUTES} minutes of upload`);
  });
});
