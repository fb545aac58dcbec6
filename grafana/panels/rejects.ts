import type { PanelBuilder as BarChartBuilder } from '@grafana/grafana-foundation-sdk/barchart';
import { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import { Unit, defaultBarChart, warehouseQuery, type Target } from './common.js';

/**
 * Rejected rows and quarantined events by reason code, from the `quarantine`
 * table, which both warehouses hold: the same SQL serves both targets.
 */
export const rejectsByReason = (target: Target): BarChartBuilder =>
  defaultBarChart('Reason')
    .title('Rejects by reason')
    .description('Rows and events refused in the time range, by reason code (from the quarantine table; no row content is kept).')
    .unit(Unit.Count)
    .withTarget(
      warehouseQuery(
        target,
        `SELECT reason AS "Reason", COUNT(*) AS "Rejected"
FROM quarantine
WHERE $__timeFilter(recorded_at)
GROUP BY reason
ORDER BY 2 DESC, 1`,
      ),
    );

/** The latest file runs: what each upload became (the answer to "did Leeds upload last night?"). */
export const recentFiles = (target: Target): TableBuilder =>
  new TableBuilder()
    .title('Files ingested')
    .description('The latest 50 file runs in the time range, newest first.')
    .height(8)
    .span(24)
    .withTarget(
      warehouseQuery(
        target,
        `SELECT finished_at AS "Finished", file AS "File", branch AS "Branch", status AS "Status",
  rows_read AS "Rows read", events_published AS "Events published", rows_rejected AS "Rows rejected", refusal AS "Refusal"
FROM ingest_files
WHERE $__timeFilter(finished_at)
ORDER BY finished_at DESC, file
LIMIT 50`,
      ),
    );
