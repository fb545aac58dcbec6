import * as common from '@grafana/grafana-foundation-sdk/common';
import { PanelBuilder as PieChartBuilder, PieChartLabels, PieChartLegendOptionsBuilder, PieChartType } from '@grafana/grafana-foundation-sdk/piechart';
import type { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { Unit, branchFilter, comparedStat, isSale, pounds, saleCount, warehouseQuery, type Target } from './common.js';

/** Average sale total, and a week earlier. Integer division and Redshift's integer AVG are avoided by dividing NUMERIC by the count. */
export const averageBasketValue = (target: Target): StatBuilder =>
  comparedStat(target, `${pounds('SUM(total_pence)')} / NULLIF(${saleCount()}, 0)`, 'Average basket value')
    .title('Average basket value')
    .description('Average sale total in the time range, net of refunds, against the same period a week earlier.')
    .unit(Unit.Pounds)
    .decimals(2);

/** Average number of basket lines per sale, and a week earlier. */
export const averageBasketSize = (target: Target): StatBuilder =>
  comparedStat(target, `SUM(CASE WHEN ${isSale()} THEN item_count END) * 1.0 / NULLIF(${saleCount()}, 0)`, 'Average basket size')
    .title('Average basket size')
    .description('Average number of items per sale (a repeated item counts each time), against the same period a week earlier.')
    .unit(Unit.Items)
    .decimals(2);

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
WHERE $__timeFilter(sold_at) AND ${branchFilter()} AND ${isSale()}
GROUP BY payment_method
ORDER BY 1`,
      ),
    );
