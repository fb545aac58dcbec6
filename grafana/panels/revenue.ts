import type { PanelBuilder as BarChartBuilder } from '@grafana/grafana-foundation-sdk/barchart';
import * as common from '@grafana/grafana-foundation-sdk/common';
import type { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import type { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { Unit, branchFilter, comparedStat, defaultBarChart, defaultTimeseries, pounds, saleCount, warehouseQuery, type Target } from './common.js';

/** Revenue in the range for the selected branches, and the same period a week earlier. */
export const revenueStat = (target: Target): StatBuilder =>
  comparedStat(target, pounds('COALESCE(SUM(total_pence), 0)'), 'Revenue')
    .title('Revenue')
    .description('Sum of sale totals in the time range for the selected branches, net of refunds, against the same period a week earlier.')
    .unit(Unit.Pounds)
    .decimals(2);

/** Number of sales (transactions) in the range, and a week earlier. */
export const salesStat = (target: Target): StatBuilder =>
  comparedStat(target, saleCount(), 'Sales')
    .title('Sales')
    .description('Sales (transactions; refunds are not counted as sales) in the time range for the selected branches, against the same period a week earlier.')
    .unit(Unit.Count)
    .decimals(0);

/**
 * The trend's bucket: a UK hour while Grafana's `$__interval` is at most an hour
 * (ranges up to about a day and a half, with 24 points per panel), else a UK
 * business day. Cafés read a day by the hour and a week or a month by the day;
 * `$__interval` alone cannot give both (its ladder puts 6 h between them).
 * Both branches are instants: the hour in UTC (London's offsets are whole hours)
 * and London midnight of `business_date`.
 */
export const TREND_BUCKET = `CASE WHEN $__interval_ms <= 3600000 THEN CAST(DATE_TRUNC('hour', sold_at) AS TIMESTAMPTZ)
  ELSE CAST(business_date AS TIMESTAMP) AT TIME ZONE 'Europe/London' END`;

/** Points per trend panel: with the one-hour minimum, this makes `$__interval` an hour up to 36 h. */
export const TREND_MAX_DATA_POINTS = 24;

/** Revenue per UK hour (short ranges) or per UK business day (longer ones). */
export const revenueOverTime = (target: Target): TimeseriesBuilder =>
  defaultTimeseries()
    .title('Revenue over time')
    .description('Revenue per hour for a day, per day (UK) for longer ranges.')
    .unit(Unit.Pounds)
    .decimals(2)
    .interval('1h')
    .maxDataPoints(TREND_MAX_DATA_POINTS)
    .drawStyle(common.GraphDrawStyle.Bars)
    .fillOpacity(70)
    .withTarget(
      warehouseQuery(
        target,
        `SELECT ${TREND_BUCKET} AS "time", ${pounds('SUM(total_pence)')} AS "Revenue"
FROM sales
WHERE $__timeFilter(sold_at) AND ${branchFilter()}
GROUP BY 1
ORDER BY 1`,
      ),
    );

const byBranchSql = (measure: string, alias: string) => `SELECT branch AS "Branch", ${measure} AS "${alias}"
FROM sales
WHERE $__timeFilter(sold_at) AND ${branchFilter()}
GROUP BY branch
ORDER BY 2 DESC, 1`;

/** Revenue per branch: one measure, one axis (sales counts have their own panel). */
export const revenueByBranch = (target: Target): BarChartBuilder =>
  defaultBarChart('Branch')
    .title('Revenue by branch')
    .description('Revenue per branch in the time range, highest first.')
    .unit(Unit.Pounds)
    .decimals(2)
    .withTarget(warehouseQuery(target, byBranchSql(pounds('SUM(total_pence)'), 'Revenue')));

/** Number of sales per branch. */
export const salesByBranch = (target: Target): BarChartBuilder =>
  defaultBarChart('Branch')
    .title('Sales by branch')
    .description('Number of sales per branch in the time range, most first.')
    .unit(Unit.Count)
    .decimals(0)
    .withTarget(warehouseQuery(target, byBranchSql(saleCount(), 'Sales')));
