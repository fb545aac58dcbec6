import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import * as baskets from '../panels/baskets.js';
import * as busiestTimes from '../panels/busiest-times.js';
import type { Target } from '../panels/common.js';
import * as customers from '../panels/customers.js';
import * as freshness from '../panels/freshness.js';
import * as products from '../panels/products.js';
import * as revenue from '../panels/revenue.js';
import { CAFE_RANGES, baseDashboard, branchVariable, numberPanels } from './compose.js';

/** The uid both targets share, so links and the viewer's URLs survive a move to AWS. */
export const SALES_OVERVIEW_UID = 'supercafe-sales-overview';

/**
 * The business dashboard: revenue, branches, products, busy times, customers,
 * baskets and freshness, every panel filtered by the time range and `$branch`
 * (freshness ignores the range on purpose). The default range is the last 7
 * days: recent enough to read, bounded so that each refresh scans little. When
 * the newest sale is older, the viewer says so and offers to jump to it.
 */
export function salesOverview(target: Target): dashboard.Dashboard {
  const builder = baseDashboard({
    uid: SALES_OVERVIEW_UID,
    title: 'Super Café: sales overview',
    description: 'Revenue, branches, products, busiest times and customers from the sales warehouse.',
    target,
    from: 'now-7d',
    refresh: { aws: '5m', local: '1m' },
    ranges: CAFE_RANGES,
  })
    .withVariable(branchVariable(target))
    .withRow(new RowBuilder('Overview'))
    .withPanel(revenue.revenueStat(target))
    .withPanel(revenue.salesStat(target))
    .withPanel(baskets.averageBasketValue(target))
    .withPanel(baskets.averageBasketSize(target))
    .withPanel(freshness.warehouseFreshness(target))
    .withRow(new RowBuilder('Trends'))
    .withPanel(revenue.revenueOverTime(target))
    .withPanel(customers.newVsReturningCustomers(target))
    .withRow(new RowBuilder('Branches and busy times'))
    .withPanel(revenue.revenueByBranch(target).span(8).height(10))
    .withPanel(revenue.salesByBranch(target).span(8).height(10))
    .withPanel(busiestTimes.busiestTimesHeatmap(target).span(8).height(10))
    .withRow(new RowBuilder('Products and payments'))
    .withPanel(products.topProductsByUnits(target).span(9))
    .withPanel(products.topProductsByRevenue(target).span(9))
    .withPanel(baskets.paymentMix(target));
  return numberPanels(builder.build());
}
