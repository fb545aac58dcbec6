import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { ReconciliationReport } from '../../../../producers/till-api/reconcile/reconcile-report.js';
import { DEFAULT_DATA_STACK, wantsAws, type AwsTargetOptions } from '../aws-target-options.js';
import { withWarehouse, type CliContext } from '../context.js';
import { CliError, ExitStatus } from '../exit-status.js';

export interface ReconcileOptions extends AwsTargetOptions {
  readonly branch: string;
  readonly date: string;
  readonly json?: boolean;
  /** With `--aws`: sign in with the stack's admin secret instead of the caller's IAM identity. */
  readonly admin?: boolean;
}

/** The AWS clients the deployed report needs (tests hand in mocked ones). */
export interface AwsReportClients {
  readonly cloudFormation: CloudFormationClient;
  readonly redshift: RedshiftDataClient;
}

/**
 * The report from the deployed warehouse: the data stack's outputs name the
 * workgroup and database (and the admin secret, with `admin`); the same report
 * queries run through the Redshift Data API.
 */
export async function reconcileDeployed(clients: AwsReportClients, options: ReconcileOptions): Promise<ReconciliationReport> {
  const { StackOutput } = await import('../../../aws/stack-outputs.js');
  const { readOutputs } = await import('../../../aws/scripts/stack-outputs.js');
  const { describeAwsError } = await import('../aws-target.js');
  const { dataApiReportRunner } = await import('../../../../producers/till-api/reconcile/data-api-report-runner.js');
  const { reconcileBranchDay } = await import('../../../../producers/till-api/reconcile/reconcile-report.js');
  const stack = options.stack ?? DEFAULT_DATA_STACK;
  const keys = options.admin ? [StackOutput.WorkgroupName, StackOutput.DatabaseName, StackOutput.AdminSecretArn] : [StackOutput.WorkgroupName, StackOutput.DatabaseName];
  let outputs: Partial<Record<string, string>>;
  try {
    outputs = await readOutputs(clients.cloudFormation, stack, keys);
  } catch (error) {
    throw describeAwsError(error, `reading the outputs of stack ${stack}`, 'allow cloudformation:DescribeStacks on the data stack');
  }
  const workgroupName = outputs[StackOutput.WorkgroupName] ?? '';
  const runner = dataApiReportRunner(clients.redshift, {
    workgroupName,
    database: outputs[StackOutput.DatabaseName] ?? '',
    secretArn: options.admin ? outputs[StackOutput.AdminSecretArn] : undefined,
  });
  try {
    return await reconcileBranchDay(runner, { branch: options.branch, businessDate: options.date });
  } catch (error) {
    throw describeAwsError(
      error,
      `reconciling on workgroup ${workgroupName}`,
      'tag your IAM role RedshiftDbRoles=dashboard_reader and allow redshift-serverless:GetCredentials and the Data API on the workgroup, or use --admin',
    );
  }
}

/** `supercafe reconcile --branch B --date D [--aws]`: a till-enabled branch's live sales against its nightly file. */
export async function reconcile(context: CliContext, options: ReconcileOptions): Promise<ExitStatus> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.date)) throw new CliError(`--date must be a business date as YYYY-MM-DD (got "${options.date}")`);
  const { formatReconciliation, postgresReportRunner, reconcileBranchDay } = await import('../../../../producers/till-api/reconcile/reconcile-report.js');
  let report: ReconciliationReport;
  if (wantsAws(options)) {
    const { awsRegion } = await import('../aws-target.js');
    const region = awsRegion(options);
    const { CloudFormationClient } = await import('@aws-sdk/client-cloudformation');
    const { RedshiftDataClient } = await import('@aws-sdk/client-redshift-data');
    report = await reconcileDeployed({ cloudFormation: new CloudFormationClient({ region }), redshift: new RedshiftDataClient({ region }) }, options);
  } else {
    report = await withWarehouse(context, (pool) => reconcileBranchDay(postgresReportRunner(pool), { branch: options.branch, businessDate: options.date }));
  }
  console.log(options.json ? JSON.stringify(report, null, 2) : formatReconciliation(report));
  return ExitStatus.Ok;
}
