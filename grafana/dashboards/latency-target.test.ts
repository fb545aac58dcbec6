import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { testStacks } from '../../test/infra/helpers.js';
import { capacityProgram } from '../../tools/capacity/cli.js';
import { combineTemplates, loaderIntervalMinutes, warehouseBuffering, type CfnTemplate } from '../../tools/capacity/template-settings.js';
import { AWS_LATENCY, AWS_UPLOAD_TO_PANEL_MINUTES } from '../panels/freshness.js';
import { parseDuration } from '../viewer/time-range.js';

/**
 * The upload-to-panel target the freshness panel states for AWS holds for the
 * stacks as synthesised at their defaults: no warehouse delivery stream (Firehose
 * → S3) buffers longer, the loader's schedule (COPY and merge into the final
 * tables) runs at least as often, the
 * AWS dashboard refreshes at least as often as the panel says, and the capacity
 * planner's worst case for the repository's settings is within the target.
 */
let template: CfnTemplate;

beforeAll(() => {
  const { data, pipeline } = testStacks({ grafana: 'none' });
  template = combineTemplates(Template.fromStack(data).toJSON() as CfnTemplate, Template.fromStack(pipeline).toJSON() as CfnTemplate);
});

describe('Dashboard: the AWS latency target on the freshness panel', () => {
  it('counts a Firehose buffer no shorter than any warehouse delivery stream (Firehose → S3) uses', () => {
    // Act
    const buffering = warehouseBuffering(template);
    // Assess
    expect(buffering.deliveryStreams).toBeGreaterThan(0);
    expect(buffering.seconds).toBeLessThanOrEqual(AWS_LATENCY.firehoseBufferMinutes * 60);
  });

  it('counts a merge interval no shorter than the loader’s schedule (COPY from S3, then merge)', () => {
    // Act
    const minutes = loaderIntervalMinutes(template);
    // Assess
    expect(minutes).toBeLessThanOrEqual(AWS_LATENCY.mergeIntervalMinutes);
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
