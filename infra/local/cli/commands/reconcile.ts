import { withWarehouse, type CliContext } from '../context.js';
import { CliError, ExitStatus } from '../exit-status.js';

/** `supercafe reconcile --branch B --date D`: a till-enabled branch's live sales against its nightly file. */
export async function reconcile(context: CliContext, options: { branch: string; date: string; json?: boolean }): Promise<ExitStatus> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.date)) throw new CliError(`--date must be a business date as YYYY-MM-DD (got "${options.date}")`);
  const { formatReconciliation, postgresReportRunner, reconcileBranchDay } = await import('../../../../producers/till-api/reconcile/reconcile-report.js');
  const report = await withWarehouse(context, (pool) => reconcileBranchDay(postgresReportRunner(pool), { branch: options.branch, businessDate: options.date }));
  console.log(options.json ? JSON.stringify(report, null, 2) : formatReconciliation(report));
  return ExitStatus.Ok;
}
