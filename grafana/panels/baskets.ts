import * as common from '@grafana/grafana-foundation-sdk/common';
import { PanelBuilder as PieChartBuilder, PieChartLabels, PieChartLegendOptionsBuilder, PieChartType } from '@grafana/grafana-foundation-sdk/piechart';
import type { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { Unit, branchFilter, defaultStat, pounds, warehouseQuery, type Target } from './common.js';

/** Average sale total. Integer division and Redshift's integer AVG are avoided by dividing NUMERIC by the count. */
export const averageBasketValue = (target: Target): StatBuilder =>
  defaultStat()
    .title('Average basket value')
    .description('Average sale total in the time range.')
    .unit(Unit.Pounds)
    .decimals(2)
    .withTarget(
      warehouseQuery(
        target,
        `SELECT ${pounds('SUM(total_pence)')} / NULLIF(COUNT(*), 0) AS "Average basket value"
FROM sales
WHERE $__timeFilter(sold_at) AND ${branchFilter()}`,
      ),
    );

/** Average number of basket lines per sale. */
export const averageBasketSize = (target: Target): StatBuilder =>
  defaultStat()
    .title('Average basket size')
    .description('Average number of items per sale (a repeated item counts each time).')
    .unit(Unit.Items)
    .decimals(2)
    .withTarget(
      warehouseQuery(
        target,
        `SELECT SUM(item_count) * 1.0 / NULLIF(COUNT(*), 0) AS "Average basket size"
FROM sales
WHERE $__timeFilter(sold_at) AND ${branchFilter()}`,
      ),
    );

/** Share of sales paid by card and by cash. */
export const paymentMix = (target: Target): PieChartBuilder =>
  new PieChartBuilder()
    .title('Payment method mix')
    .description('Number of sales by payment method.')
    .height(8)
    .span(6)
    .unit(Unit.Count)
    .pieType(PieChartType.Donut)
    .displayLabels([PieChartLabels.Name, PieChartLabels.Percent])
    .reduceOptions(new common.ReduceDataOptionsBuilder().values(true).calcs(['lastNotNull']))
    .legend(new PieChartLegendOptionsBuilder().showLegend(true).placement(common.LegendPlacement.Bottom).displayMode(common.LegendDisplayMode.List))
    .withTarget(
      warehouseQuery(
        target,
        `SELECT payment_method AS "Payment method", COUNT(*) AS "Sales"
FROM sales
WHERE $__timeFilter(sold_at) AND ${branchFilter()}
GROUP BY payment_method
ORDER BY 1`,
      ),
    );
