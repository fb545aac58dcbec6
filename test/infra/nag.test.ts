import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AwsSolutionsChecks, addNagChecks } from '../../infra/aws/nag.js';
import { testStacks } from './helpers.js';

interface PluginReport {
  readonly pluginName: string;
  readonly conclusion: string;
  readonly violations: readonly { readonly ruleName: string }[];
}

interface AcknowledgementEntry {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

/** Every acknowledgement recorded on the construct tree (Validations.of(x).acknowledge), with where it sits. */
function acknowledgementsUnder(root: IConstruct): AcknowledgementEntry[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({ path: construct.node.path, id, reason })),
  );
}

describe('App: the three stacks under cdk-nag AwsSolutions', () => {
  let app: App;
  let failure: unknown;
  let reports: PluginReport[] = [];

  beforeAll(() => {
    // Prepare: the app as infra/aws/app.ts builds it, with every option switched on.
    app = testStacks({
      cfnValidation: true,
      data: { sqlClientCidrs: ['10.1.0.0/16'], rowsRetentionDays: 400 },
      pipeline: { expectedBranches: ['leeds', 'london-soho'], alarmEmail: 'ops@example.com', ingestReservedConcurrency: 20 },
    }).app;
    addNagChecks(app);

    // Act
    try {
      const assembly = app.synth();
      reports = (JSON.parse(readFileSync(join(assembly.directory, VALIDATION_REPORT_FILE), 'utf8')) as { pluginReports: PluginReport[] }).pluginReports;
    } catch (error) {
      failure = error;
    }
  });

  it('synthesises with zero unacknowledged findings, errors or warnings', () => {
    // Assess: on failure the message is the validation report itself.
    expect(failure).toBeUndefined();
    expect(reports.map((report) => report.pluginName)).toEqual(expect.arrayContaining(['AwsSolutions']));
    for (const report of reports) {
      expect(report.violations, `${report.pluginName}: ${report.violations.map((v) => v.ruleName).join(', ')}`).toEqual([]);
      expect(report.conclusion).toBe('success');
    }
  });

  it('acknowledges each finding on the resource that causes it, with a reason a reviewer can check', () => {
    // Assess
    // aws-cdk-lib acknowledges some CloudFormation-Validate rules itself; ours are the AwsSolutions ones.
    const acknowledgements = acknowledgementsUnder(app).filter(({ id }) => id.startsWith('AwsSolutions'));
    expect(acknowledgements.length).toBeGreaterThan(10);
    for (const { path, id, reason } of acknowledgements) {
      expect(reason.length, `${id} at ${path}`).toBeGreaterThan(40);
      // Never an app- or stack-wide exemption.
      expect(path.split('/').length, `${id} at ${path}`).toBeGreaterThan(1);
      // A wildcard is acknowledged finding by finding, never for the whole rule.
      if (id.includes('IAM5')) expect(id, `${id} at ${path}`).toMatch(/IAM5\[(Resource|Action)::/);
    }
  });

  it('really runs the checks: an unlogged bucket fails the synth', () => {
    // Prepare
    const probe = new App();
    new Bucket(new Stack(probe, 'Probe'), 'Unlogged');
    Validations.of(probe).addPlugins(new AwsSolutionsChecks(probe));

    // Act
    const act = () => probe.synth();

    // Assess
    expect(act).toThrow(/AwsSolutions-S1/);
  });
});
