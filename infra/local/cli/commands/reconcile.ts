import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { ReconciliationReport } from '../../../../producers/till-api/reconcile/reconcile-report.js';
import { withWarehouse, type CliContext } from '../context.js';
import { CliError, ExitStatus } from '../exit-status.js';

export interface ReconcileOptions {
  readonly branch: string;
  readonly date: string;
  readonly json?: boolean;
  /** Report from the deployed warehouse (Redshift Data API) instead of the local one. */
  readonly aws?: boolean;
  /** The deployed data stack whose outputs name the workgroup and database. */
  readonly stack?: string;
  readonly region?: string;
  /** Sign in with the stack's admin secret instead of the caller's IAM identity. */
  readonly admin?: boolean;
}

/** The data stack's default name (infra/aws/app.ts). */
const DATA_STACK = 'SuperCafeData';

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
  const { dataApiReportRunner } = await import('../../../../producers/till-api/reconcile/data-api-report-runner.js');
  const { reconcileBranchDay } = await import('../../../../producers/till-api/reconcile/reconcile-report.js');
  const keys = options.admin ? [StackOutput.WorkgroupName, StackOutput.DatabaseName, StackOutput.AdminSecretArn] : [StackOutput.WorkgroupName, StackOutput.DatabaseName];
  const outputs: Partial<Record<string, string>> = await readOutputs(clients.cloudFormation, options.stack ?? DATA_STACK, keys);
  const runner = dataApiReportRunner(clients.redshift, {
    workgroupName: outputs[StackOutput.WorkgroupName] ?? '',
    database: outputs[StackOutput.DatabaseName] ?? '',
    secretArn: options.admin ? outputs[StackOutput.AdminSecretArn] : undefined,
  });
  return reconcileBranchDay(runner, { branch: options.branch, businessDate: options.date });
}

/** `supercafe reconcile --branch B --date D [--aws]`: a till-enabled branch's live sales against its nightly file. */
export async function reconcile(context: CliContext, options: ReconcileOptions): Promise<ExitStatus> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.date)) throw new CliError(`--date must be a business date as YYYY-MM-DD (got "${options.date}")`);
  const { formatReconciliation, postgresReportRunner, reconcileBranchDay } = await import('../../../../producers/till-api/reconcile/reconcile-report.js');
  let report: ReconciliationReport;
  if (options.aws) {
    const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) throw new CliError('--aws needs a Region: --region or AWS_REGION');
    const { CloudFormationClient } = await import('@aws-sdk/client-cloudformation');
    const { RedshiftDataClient } = await import('@aws-sdk/client-redshift-data');
    report = await reconcileDeployed({ cloudFormation: new CloudFormationClient({ region }), redshift: new RedshiftDataClient({ region }) }, options);
  } else {
    report = await withWarehouse(context, (pool) => reconcileBranchDay(postgresReportRunner(pool), { branch: options.branch, businessDate: options.date }));
  }
  console.log(options.json ? JSON.stringify(report, null, 2) : formatReconciliation(report));
  return ExitStatus.Ok;
}
