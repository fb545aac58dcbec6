import type { PanelBuilder as BarChartBuilder } from '@grafana/grafana-foundation-sdk/barchart';
import { Unit, branchFilter, defaultBarChart, pounds, unitCount, warehouseQuery, type Target } from './common.js';

/** How many products each top list shows. */
export const TOP_PRODUCTS = 10;

/**
 * A product as the menu names it: name and flavour (`Speciality Tea - Camomile`).
 * Legacy files carry the flavour inside the name, so joining them here makes both
 * spellings one product. Letter case is kept: the data has differently priced
 * products that differ only by case.
 */
const PRODUCT_LABEL = "CASE WHEN i.flavour IS NULL THEN i.product ELSE i.product || ' - ' || i.flavour END";

const topProductsSql = (measure: string, alias: string) => `SELECT ${PRODUCT_LABEL} AS "Product", ${measure} AS "${alias}"
FROM sale_items i
JOIN sales s ON s.event_id = i.event_id
WHERE $__timeFilter(s.sold_at) AND ${branchFilter('s.branch')}
GROUP BY 1
ORDER BY 2 DESC, 1
LIMIT ${TOP_PRODUCTS}`;

/** Best sellers by units (basket lines; a repeated item counts each time). */
export const topProductsByUnits = (target: Target): BarChartBuilder =>
  defaultBarChart('Product')
    .title('Top products by units')
    .description(`The ${TOP_PRODUCTS} products sold most often, any size.`)
    .unit(Unit.Count)
    .withTarget(warehouseQuery(target, topProductsSql(unitCount(), 'Units')));

/** Best sellers by revenue. */
export const topProductsByRevenue = (target: Target): BarChartBuilder =>
  defaultBarChart('Product')
    .title('Top products by revenue')
    .description(`The ${TOP_PRODUCTS} products that took the most money, any size.`)
    .unit(Unit.Pounds)
    .withTarget(warehouseQuery(target, topProductsSql(pounds('SUM(i.price_pence)'), 'Revenue')));
