import * as common from '@grafana/grafana-foundation-sdk/common';
import type { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { Unit, branchFilter, defaultStat, warehouseQuery, type Target } from './common.js';

/**
 * The steps that set how long, in AWS at the stack's defaults, a sale takes
 * from upload (or till post) to this dashboard: the Firehose buffer before each
 * COPY into staging, the merge into the final tables, and the dashboard's own
 * refresh. Locally the same path takes seconds.
 */
export const AWS_LATENCY = { firehoseBufferMinutes: 5, mergeIntervalMinutes: 15, refreshMinutes: 5 } as const;

/**
 * The upload-to-panel target stated on the panel: the three steps at their
 * worst plus a few minutes of processing (ingest, consumer, COPY, merge).
 * `grafana/dashboards/latency-target.test.ts` holds it against the synthesised
 * template and the capacity planner's worst case (`npm run capacity`).
 */
export const AWS_UPLOAD_TO_PANEL_MINUTES = 30;

/**
 * The warehouse's own freshness: when a sale last reached the final tables
 * (`merged_at`: the load run's merge in AWS, the consumer's load locally) and the
 * newest sale of the selected branches, whatever the dashboard's time range, so
 * a quiet range never hides a stalled pipeline. Timestamps are time fields, so
 * the stat is told to show them (stat panels reduce number fields only by default).
 */
export const warehouseFreshness = (target: Target): StatBuilder =>
  defaultStat()
    .title('Warehouse freshness')
    .description(
      `When a sale last reached the warehouse's final tables, and the newest sale of the selected branches, whatever the time range. ` +
        `In AWS a sale reaches this panel within ${AWS_UPLOAD_TO_PANEL_MINUTES} minutes of upload (Firehose buffer ${AWS_LATENCY.firehoseBufferMinutes} min, ` +
        `merge every ${AWS_LATENCY.mergeIntervalMinutes} min, refresh every ${AWS_LATENCY.refreshMinutes} min, and processing); locally within seconds.`,
    )
    .unit(Unit.FromNow)
    .span(8)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false).fields('/^(Loaded|Newest sale)$/'))
    .withTarget(
      warehouseQuery(
        target,
        `SELECT MAX(merged_at) AS "Loaded", MAX(CASE WHEN ${branchFilter()} THEN sold_at END) AS "Newest sale"
FROM sales`,
      ),
    );
