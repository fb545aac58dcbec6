import type { PanelBuilder as BarChartBuilder } from '@grafana/grafana-foundation-sdk/barchart';
import * as common from '@grafana/grafana-foundation-sdk/common';
import type { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import type { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { Unit, branchFilter, defaultBarChart, defaultStat, defaultTimeseries, pounds, warehouseQuery, type Target } from './common.js';

/** Revenue in the range for the selected branches. */
export const revenueStat = (target: Target): StatBuilder =>
  defaultStat()
    .title('Revenue')
    .description('Sum of sale totals in the time range for the selected branches.')
    .unit(Unit.Pounds)
    .decimals(2)
    .withTarget(
      warehouseQuery(
        target,
        `SELECT ${pounds('COALESCE(SUM(total_pence), 0)')} AS "Revenue"
FROM sales
WHERE $__timeFilter(sold_at) AND ${branchFilter()}`,
      ),
    );

/** Number of sales (transactions) in the range. */
export const salesStat = (target: Target): StatBuilder =>
  defaultStat()
    .title('Sales')
    .description('Transactions in the time range for the selected branches.')
    .unit(Unit.Count)
    .decimals(0)
    .withTarget(
      warehouseQuery(
        target,
        `SELECT COUNT(*) AS "Sales"
FROM sales
WHERE $__timeFilter(sold_at) AND ${branchFilter()}`,
      ),
    );

/**
 * Revenue per time bucket. `$__timeGroup(...)` directly followed by a comma
 * expands to `... AS "time"` on both datasources: Redshift always adds the
 * alias, PostgreSQL adds it in exactly this position (its pre-5.3 compatibility
 * rule), so `$__timeGroupAlias`, which Redshift lacks, is not needed.
 */
export const revenueOverTime = (target: Target): TimeseriesBuilder =>
  defaultTimeseries()
    .title('Revenue over time')
    .description('Revenue per time bucket (UTC buckets of the dashboard interval, at least one hour).')
    .unit(Unit.Pounds)
    .decimals(2)
    .interval('1h')
    .drawStyle(common.GraphDrawStyle.Bars)
    .fillOpacity(70)
    .withTarget(
      warehouseQuery(
        target,
        `SELECT $__timeGroup(sold_at, $__interval), ${pounds('SUM(total_pence)')} AS "Revenue"
FROM sales
WHERE $__timeFilter(sold_at) AND ${branchFilter()}
GROUP BY 1
ORDER BY 1`,
      ),
    );

/** Revenue (left axis) and number of sales (right axis) per branch. */
export const revenueByBranch = (target: Target): BarChartBuilder =>
  defaultBarChart('Branch')
    .title('Revenue and sales by branch')
    .description('Revenue and number of sales per branch in the time range.')
    .unit(Unit.Pounds)
    .overrideByName('Sales', [
      { id: 'unit', value: Unit.Count },
      { id: 'custom.axisPlacement', value: 'right' },
    ])
    .withTarget(
      warehouseQuery(
        target,
        `SELECT branch AS "Branch", ${pounds('SUM(total_pence)')} AS "Revenue", COUNT(*) AS "Sales"
FROM sales
WHERE $__timeFilter(sold_at) AND ${branchFilter()}
GROUP BY branch
ORDER BY 2 DESC, 1`,
      ),
    );
