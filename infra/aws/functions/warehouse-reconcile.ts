import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { z } from 'zod';
import { ReconciliationCheck, reconciliationQuery } from '../warehouse/warehouse-sql.js';
import { RECONCILE_METRIC, RECONCILE_SERVICE } from './constants.js';
import { query, type DataApiTarget, type WaitOptions } from '../../../common/redshift-data/data-api.js';

/**
 * The scheduled reconciliation: does every sale loaded in the window have its
 * basket lines, as many as it says, adding up to its total? It reads the final
 * tables as the read-only `dashboard_reader` database role (its IAM role's
 * `RedshiftDbRoles` tag) and publishes one count per check; the alarm fires on
 * any count above zero. It never reads a row's content out of the warehouse.
 */

export const ReconcileConfigSchema = z.object({
  WORKGROUP_NAME: z.string().min(1),
  DATABASE_NAME: z.string().min(1),
  /** Sales younger than this are not judged yet: their lines may be one load run behind. */
  GRACE_MINUTES: z.coerce.number().int().min(1).max(24 * 60),
  LOOKBACK_HOURS: z.coerce.number().int().min(1).max(24 * 31).default(48),
});

export type ReconcileConfig = z.output<typeof ReconcileConfigSchema>;

export type ReconciliationCounts = Readonly<Record<ReconciliationCheck, number>>;

/** Runs the checks and returns a count per check (0 when the window is empty). */
export async function reconcileWarehouse(redshift: RedshiftDataClient, config: ReconcileConfig, wait: WaitOptions = {}): Promise<ReconciliationCounts> {
  const target: DataApiTarget = { workgroupName: config.WORKGROUP_NAME, database: config.DATABASE_NAME };
  const [row = []] = await query(redshift, target, reconciliationQuery(config.GRACE_MINUTES, config.LOOKBACK_HOURS), wait);
  const checks = Object.values(ReconciliationCheck);
  // SUM over no rows is NULL: an empty window has no fault.
  return Object.fromEntries(checks.map((check, index) => [check, Number(row[index] ?? 0)])) as Record<ReconciliationCheck, number>;
}

const logger = new Logger({ serviceName: RECONCILE_SERVICE });
const metrics = new Metrics({ serviceName: RECONCILE_SERVICE });
const redshift = new RedshiftDataClient({});
const config = ReconcileConfigSchema.safeParse(process.env);

/** Scheduled entry point (EventBridge Scheduler). */
export async function handler(): Promise<ReconciliationCounts> {
  if (!config.success) throw new Error(`warehouse reconciliation misconfigured: ${config.error.issues.map((issue) => issue.path.join('.')).join(', ')}`);
  const counts = await reconcileWarehouse(redshift, config.data);
  for (const [check, count] of Object.entries(counts)) {
    const single = metrics.singleMetric();
    single.addDimension('check', check);
    single.addMetric(RECONCILE_METRIC, MetricUnit.Count, count);
  }
  logger.info('warehouse reconciliation', { counts });
  return counts;
}
