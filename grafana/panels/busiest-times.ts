import * as common from '@grafana/grafana-foundation-sdk/common';
import { HeatmapColorMode, HeatmapColorOptionsBuilder, HeatmapColorScale, PanelBuilder as HeatmapBuilder } from '@grafana/grafana-foundation-sdk/heatmap';
import { Unit, branchFilter, isSale, warehouseQuery, type Target } from './common.js';

/** Day columns Monday first; the number is EXTRACT(DOW ...), which is 0 for Sunday on both engines. */
export const WEEKDAYS = [
  ['Mon', 1],
  ['Tue', 2],
  ['Wed', 3],
  ['Thu', 4],
  ['Fri', 5],
  ['Sat', 6],
  ['Sun', 0],
] as const;

/**
 * `sold_at` is stored in UTC. `AT TIME ZONE 'Europe/London'` turns a TIMESTAMPTZ
 * into London wall-clock time on PostgreSQL and on Redshift alike (Redshift's
 * CONVERT_TIMEZONE does not exist in PostgreSQL), so hours follow BST and GMT.
 */
const LOCAL_TIME = "sold_at AT TIME ZONE 'Europe/London'";

const dayColumns = WEEKDAYS.map(([day, dow]) => `  SUM(CASE WHEN local_dow = ${dow} THEN 1 ELSE 0 END) AS "${day}"`).join(',\n');

/**
 * Sales per UK-local hour (rows) and weekday (columns): the heatmap panel's
 * "rows" layout, where the first field is x and each further number field is
 * one y bucket, in column order.
 */
export const busiestTimesHeatmap = (target: Target): HeatmapBuilder =>
  new HeatmapBuilder()
    .title('Busiest days and hours (UK time)')
    .description('Number of sales per weekday and hour of the day, in UK local time.')
    .height(9)
    .span(12)
    .calculate(false)
    .cellGap(2)
    .showValue(common.VisibilityMode.Auto)
    .unit(Unit.Count)
    .color(new HeatmapColorOptionsBuilder().mode(HeatmapColorMode.Scheme).scheme('Oranges').scale(HeatmapColorScale.Exponential).exponent(0.5).steps(64))
    .withTarget(
      warehouseQuery(
        target,
        `SELECT local_hour AS "Hour",
${dayColumns}
FROM (
  SELECT CAST(EXTRACT(HOUR FROM ${LOCAL_TIME}) AS INTEGER) AS local_hour,
         CAST(EXTRACT(DOW FROM ${LOCAL_TIME}) AS INTEGER) AS local_dow
  FROM sales
  WHERE $__timeFilter(sold_at) AND ${branchFilter()} AND ${isSale()}
) AS local_sales
GROUP BY local_hour
ORDER BY local_hour`,
      ),
    );
