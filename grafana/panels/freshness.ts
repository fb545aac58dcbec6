import * as common from '@grafana/grafana-foundation-sdk/common';
import type { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { Unit, branchFilter, defaultStat, warehouseQuery, type Target } from './common.js';

/**
 * Freshness: when the warehouse last received a sale (`loaded_at`), and the time
 * of the latest sale itself. Timestamps are time fields, so the stat is told to
 * show them (stat panels reduce number fields only by default).
 */
export const lastSaleReceived = (target: Target): StatBuilder =>
  defaultStat()
    .title('Last sale received')
    .description('When the warehouse last loaded a sale, and when the latest sale happened (time range and branches applied).')
    .unit(Unit.FromNow)
    .span(8)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false).fields('/^(Received|Latest sale)$/'))
    .withTarget(
      warehouseQuery(
        target,
        `SELECT MAX(loaded_at) AS "Received", MAX(sold_at) AS "Latest sale"
FROM sales
WHERE $__timeFilter(sold_at) AND ${branchFilter()}`,
      ),
    );
