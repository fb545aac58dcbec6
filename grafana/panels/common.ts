import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as BarChartBuilder } from '@grafana/grafana-foundation-sdk/barchart';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { SqlDialect, SqlQueryBuilder } from './sql-query.js';

/**
 * Where a dashboard runs. `local`: Grafana's PostgreSQL datasource on the local
 * warehouse (and the localhost viewer). `aws`: the Redshift plugin for the same
 * tables plus CloudWatch for the Lambda, Kinesis and SQS metrics.
 */
export const Target = { Local: 'local', Aws: 'aws' } as const;
export type Target = (typeof Target)[keyof typeof Target];

/** Datasource uids fixed by grafana/provisioning, so the JSON needs no import-time mapping. */
export const DatasourceUid = {
  Warehouse: 'supercafe-warehouse',
  Redshift: 'supercafe-redshift',
  CloudWatch: 'supercafe-cloudwatch',
} as const;

/** The plugin ids of Grafana 11/12 (PostgreSQL was renamed from `postgres`, which stays an alias). */
export const DatasourceType = {
  Postgres: 'grafana-postgresql-datasource',
  Redshift: 'grafana-redshift-datasource',
  CloudWatch: 'cloudwatch',
} as const;

/** The SQL datasource holding the warehouse tables for a target. */
export function warehouseDatasource(target: Target): common.DataSourceRef {
  return target === Target.Aws
    ? { type: DatasourceType.Redshift, uid: DatasourceUid.Redshift }
    : { type: DatasourceType.Postgres, uid: DatasourceUid.Warehouse };
}

export const cloudWatchDatasource: common.DataSourceRef = { type: DatasourceType.CloudWatch, uid: DatasourceUid.CloudWatch };

/** One warehouse SQL target; the text is the same for every target, only the query model differs. */
export function warehouseQuery(target: Target, sql: string): SqlQueryBuilder {
  return new SqlQueryBuilder(target === Target.Aws ? SqlDialect.Redshift : SqlDialect.Postgres, warehouseDatasource(target), sql);
}

/**
 * The `$branch` filter. `sqlstring` quotes and escapes every selected value itself,
 * so the text is the same on PostgreSQL and Redshift (whose own interpolation
 * leaves a single value unquoted), and "All" expands to every branch.
 */
export const branchFilter = (column = 'branch'): string => `${column} IN (\${branch:sqlstring})`;

/**
 * A row of `sales` that is a sale, not a refund (docs/corrections.md): refunds are
 * negative rows of their own, so revenue sums net them out, and counts of sales,
 * basket sizes and busy hours leave them out. NULL (rows loaded before refunds) is a sale.
 */
export const isSale = (kind = 'kind'): string => `COALESCE(${kind}, 'sale') = 'sale'`;

/** The number of sales among the rows aggregated (refunds are not sales). */
export const saleCount = (kind = 'kind'): string => `COUNT(CASE WHEN ${isSale(kind)} THEN 1 END)`;

/** Units of basket lines: a refunded line gives one back. */
export const unitCount = (kind = 's.kind'): string => `SUM(CASE WHEN ${isSale(kind)} THEN 1 ELSE -1 END)`;

/** How far back the headline stats look for their comparison: the same period a week earlier. */
export const COMPARISON_SHIFT = '7 days';

/**
 * The dashboard range moved back a week, for the comparison row of a headline
 * stat. Grafana's panel time shift moves every query of a panel, so the shift is
 * written into this one query instead; the column stays bare so Redshift's sort
 * key and PostgreSQL's index still apply. `$__timeFrom()` is an RFC 3339 UTC
 * literal on both datasources, and the cast reads its `Z`.
 */
export const weekEarlierFilter = (column = 'sold_at'): string =>
  `${column} BETWEEN CAST($__timeFrom() AS TIMESTAMPTZ) - INTERVAL '${COMPARISON_SHIFT}' AND CAST($__timeTo() AS TIMESTAMPTZ) - INTERVAL '${COMPARISON_SHIFT}'`;

/** Integer pence as pounds: `100.0` makes it NUMERIC on both engines (Redshift's AVG of an INTEGER truncates). */
export const pounds = (penceExpression: string): string => `${penceExpression} / 100.0`;

/** Panel units (Grafana's unit ids, which the viewer formats the same way). */
export const Unit = {
  Pounds: 'currencyGBP',
  Count: 'short',
  Milliseconds: 'ms',
  FromNow: 'dateTimeFromNow',
  Items: 'none',
} as const;

const legend = () =>
  new common.VizLegendOptionsBuilder().showLegend(true).placement(common.LegendPlacement.Bottom).displayMode(common.LegendDisplayMode.List);

/** A single-value stat over a one-row table query. */
export const defaultStat = (): StatBuilder =>
  new StatBuilder()
    .height(4)
    .span(4)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .colorMode(common.BigValueColorMode.None)
    .graphMode(common.BigValueGraphMode.None)
    .textMode(common.BigValueTextMode.ValueAndName);

/**
 * A headline stat compared with the same period a week earlier. The query
 * returns two rows in time order, the week-earlier period first, each with the
 * start of its period as `time` and the measure as `alias`; the stat shows the
 * last row and, with Grafana's "percent change" (the change from the first
 * value to the last), how it compares. `measure` is an aggregate over `sales`.
 */
export function comparedStat(target: Target, measure: string, alias: string): StatBuilder {
  const period = (start: string, filter: string) => `SELECT ${start} AS "time", ${measure} AS "${alias}"
FROM sales
WHERE ${filter} AND ${branchFilter()}`;
  return defaultStat()
    .textMode(common.BigValueTextMode.Value)
    .showPercentChange(true)
    .percentChangeColorMode(common.PercentChangeColorMode.Standard)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false).fields(`/^${alias}$/`))
    .withTarget(
      warehouseQuery(
        target,
        `${period(`CAST($__timeFrom() AS TIMESTAMPTZ) - INTERVAL '${COMPARISON_SHIFT}'`, weekEarlierFilter())}
UNION ALL
${period('CAST($__timeFrom() AS TIMESTAMPTZ)', '$__timeFilter(sold_at)')}
ORDER BY 1`,
      ),
    );
}

/** A time series panel with visible points: sales data is sparse in time, and a lone day must still show. */
export const defaultTimeseries = (): TimeseriesBuilder =>
  new TimeseriesBuilder()
    .height(8)
    .span(12)
    .lineWidth(2)
    .fillOpacity(20)
    .showPoints(common.VisibilityMode.Always)
    .pointSize(5)
    .drawStyle(common.GraphDrawStyle.Line)
    .spanNulls(false)
    .legend(legend())
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.None));

/** A categorical bar chart whose first column names the bars. */
export const defaultBarChart = (xField: string): BarChartBuilder =>
  new BarChartBuilder()
    .height(8)
    .span(12)
    .xField(xField)
    .orientation(common.VizOrientation.Horizontal)
    .showValue(common.VisibilityMode.Auto)
    .fillOpacity(80)
    .legend(legend())
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.None));

/** Absolute thresholds: base colour, then each `[value, colour]` step. */
export const thresholds = (base: string, ...steps: [number, string][]): dashboard.ThresholdsConfigBuilder =>
  new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps([{ value: null, color: base }, ...steps.map(([value, color]) => ({ value, color }))]);
