import * as common from '@grafana/grafana-foundation-sdk/common';
import type { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { Unit, branchFilter, defaultTimeseries, warehouseQuery, type Target } from './common.js';

/** What the panel counts, in the words it shows: a manager must not have to guess what "returning" means. */
export const RETURNING_DEFINITION =
  'Customers per day, recognised by name and card (name alone for cash) without storing either. ' +
  'New: first purchase ever, at any branch, that day. Returning: bought on an earlier day, at any branch. Sales without a name are not counted.';

/**
 * New and returning customers per business day, recognised by the pseudonymous
 * `customer_key` (sales without a customer have none and are not counted). A
 * customer is new on the London day of their first purchase anywhere, ever (the
 * subquery ignores the time range and branch filter on purpose), and returning on
 * any later day. `business_date` is a DATE; London midnight of it is the bar's instant.
 */
export const newVsReturningCustomers = (target: Target): TimeseriesBuilder =>
  defaultTimeseries()
    .title('New and returning customers per day')
    .description(RETURNING_DEFINITION)
    .unit(Unit.Count)
    .decimals(0)
    .drawStyle(common.GraphDrawStyle.Bars)
    .fillOpacity(70)
    .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
    .withTarget(
      warehouseQuery(
        target,
        `SELECT CAST(s.business_date AS TIMESTAMP) AT TIME ZONE 'Europe/London' AS "time",
  COUNT(DISTINCT CASE WHEN s.business_date = f.first_date THEN s.customer_key END) AS "New",
  COUNT(DISTINCT CASE WHEN s.business_date > f.first_date THEN s.customer_key END) AS "Returning"
FROM sales s
JOIN (
  SELECT customer_key, MIN(business_date) AS first_date
  FROM sales
  WHERE customer_key IS NOT NULL
  GROUP BY customer_key
) AS f ON f.customer_key = s.customer_key
WHERE $__timeFilter(s.sold_at) AND ${branchFilter('s.branch')}
GROUP BY s.business_date
ORDER BY 1`,
      ),
    );
